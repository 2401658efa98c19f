"""The model as a coder on a saved study: the entry point of ``workbench agreement``.

:func:`model_vs_human_in_study` reads a study's saved results and store (the human's codings,
the study's codebook, the analysis' assignments, a mapping file if given) and runs
:func:`~workbench.rigour.model_coder.model_vs_human`; print the report with
:func:`~workbench.rigour.model_coder.format_report`.

Example:
    >>> report = model_vs_human_in_study("interview_data", coder="dana")  # doctest: +SKIP
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.coding.coding_data import load_coding_data
from workbench.coding.records import code_assignments, stored_codebook
from workbench.errors import WorkbenchError
from workbench.rigour.code_mapping import load_mapping
from workbench.rigour.model_coder import ModelAgreement, model_vs_human

if TYPE_CHECKING:  # pragma: no cover - typing only
    from workbench.storage.store import Store


def model_vs_human_in_study(
    study_dir: Path | str,
    results_dir: Path | str | None = None,
    coder: str | None = None,
    model: str = "painpoints",
    mapping: Mapping[str, str | None] | Path | str | None = None,
    auto_map: bool = True,
    store: Store | None = None,
) -> ModelAgreement:
    """:func:`model_vs_human` on a study's saved results and store (what the CLI and notebook 02 run).

    ``mapping`` may be a file (:func:`load_mapping`). The codebook is the study's, from its store.

    Example:
        >>> report = model_vs_human_in_study("interview_data", coder="dana")  # doctest: +SKIP
        >>> print(report.summary())  # doctest: +SKIP
    """
    from workbench.storage.store import Store as StoreClass
    from workbench.storage.locations import store_url, study_key

    results = Path(results_dir) if results_dir not in (None, "") else Path(study_dir) / ".workbench"
    data = load_coding_data(results)
    if data.assignments is None:
        raise WorkbenchError(f"{results / 'assignments.parquet'}: missing; run `workbench analyze STUDY` first")
    store = store if store is not None else StoreClass(store_url(results))
    study = study_key(Path(study_dir))
    if isinstance(mapping, (str, Path)):
        mapping = load_mapping(mapping)
    return model_vs_human(
        code_assignments(store, study, with_seen=True), data.assignments, data.painpoints,
        stored_codebook(store, study), data.passages, coder=coder, model=model, mapping=mapping, auto_map=auto_map,
    )
