"""Loading a results folder for the report: the saved tables, read safely.

:func:`load_results` reads what ``workbench analyze`` saved (``STUDY/.workbench`` by default)
into a :class:`Results`. Only ``painpoints.parquet`` is required; an absent or broken optional
table becomes ``None`` with a note saying why, so the report says that part is missing. Only
redacted text is read: the ``text`` column of the segments table is never among the columns
asked for. When the analysis saved no personas or journey, they are built here from the saved
tables (:func:`workbench.people.personas_and_journey.build_personas_and_journey`).

Example:
    >>> results = load_results("interview_data/.workbench")  # doctest: +SKIP
    >>> results.painpoints["label"].iloc[0]  # doctest: +SKIP
    'Refunds take weeks'
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.errors import WorkbenchError
from workbench.storage.files import recover_results

PAINPOINTS_FILE = "painpoints.parquet"
ASSIGNMENTS_FILE = "assignments.parquet"
PASSAGES_FILE = "passages.parquet"
SEGMENTS_FILE = "segments.parquet"
PARTICIPANTS_FILE = "participants.parquet"
PERSONAS_FILE = "personas.parquet"
JOURNEY_FILE = "journey.parquet"
MANIFEST_FILE = "manifest.json"
#: the evidence of issue 9 (workbench.rigour.stability / saturation / impact); absent in older results
STABILITY_FILE = "stability.parquet"
STABILITY_RUNS_FILE = "stability_runs.parquet"
SATURATION_FILE = "saturation.parquet"
IMPACT_FILE = "impact.parquet"

#: the only segment columns the report reads: ``text`` (unredacted) is never among them
SAFE_SEGMENT_COLUMNS = (
    "segment_id", "source_id", "source_kind", "participant_id", "speaker", "role", "channel", "touchpoint",
    "date", "item_id", "text_redacted", "turn",
)
#: passage columns the report reads (``text`` there is the redacted unit text)
SAFE_PASSAGE_COLUMNS = (
    "passage_id", "segment_id", "text", "participant_id", "source_kind", "source_id", "channel", "sentiment",
    "moment", "touchpoint", "stage",
)


@dataclass
class Results:
    """The saved tables of one analysis, as the report reads them.

    Only ``painpoints`` is required; every other table may be ``None`` and the
    report then says that part is not available. ``segments`` never holds the
    unredacted ``text`` column.

    Attributes:
        results_dir: the folder the tables were read from.
        painpoints: one row per pain point, most severe first, ``other`` last.
        manifest: ``manifest.json`` (empty when absent).
        notes: why an optional part is missing, by part (``personas``, ``journey``…).

    Example:
        >>> table = pd.DataFrame([{"painpoint_id": "PP01", "label": "Refunds take weeks", "severity": 71.0}])
        >>> Results(Path("results"), table).study_name
        'results'
    """

    results_dir: Path
    painpoints: pd.DataFrame
    manifest: dict[str, Any] = field(default_factory=dict)
    assignments: pd.DataFrame | None = None
    passages: pd.DataFrame | None = None
    segments: pd.DataFrame | None = None
    participants: pd.DataFrame | None = None
    personas: pd.DataFrame | None = None
    journey: pd.DataFrame | None = None
    title: str | None = None
    notes: dict[str, str] = field(default_factory=dict)
    #: evidence tables (empty when the results predate them: "not measured")
    stability: pd.DataFrame = field(default_factory=pd.DataFrame)
    stability_runs: pd.DataFrame = field(default_factory=pd.DataFrame)
    saturation: pd.DataFrame = field(default_factory=pd.DataFrame)
    impact: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def study_name(self) -> str:
        """The study's name: ``[study] name`` of study.toml, else the manifest's study, else the folder."""
        if self.title:
            return self.title
        name = self.manifest.get("study_name") or self.manifest.get("study")
        if name:
            return str(name)
        folder = Path(self.results_dir)
        return folder.parent.name if folder.name == ".workbench" and folder.parent.name else folder.name


def load_results(results_dir: Path | str, study_dir: Path | str | None = None) -> Results:
    """Read the saved results of ``workbench analyze`` for a report.

    Args:
        results_dir: the results folder (``STUDY/.workbench`` by default).
        study_dir: the study folder, to take the study's name from its ``study.toml``
            (default: the results folder's parent when it holds a study.toml).

    Raises:
        WorkbenchError: the folder or its ``painpoints.parquet`` is missing or unreadable.

    Example:
        >>> import tempfile
        >>> load_results(tempfile.mkdtemp())
        Traceback (most recent call last):
        ...
        workbench.errors.WorkbenchError: .../painpoints.parquet: no pain points in this folder; run `workbench analyze STUDY` first
    """
    folder = Path(results_dir)
    if not folder.is_dir():
        raise WorkbenchError(f"{folder}: no such results folder; run `workbench analyze STUDY` first (or pass --results)")
    recover_results(folder)  # a run killed mid-commit: finish or undo it before reading
    painpoints_path = folder / PAINPOINTS_FILE
    if not painpoints_path.is_file():
        raise WorkbenchError(f"{painpoints_path}: no pain points in this folder; run `workbench analyze STUDY` first")
    try:
        painpoints = pd.read_parquet(painpoints_path)
    except Exception as error:  # noqa: BLE001 - pyarrow raises many types for a broken file
        raise WorkbenchError(
            f"{painpoints_path}: not a readable Parquet file ({type(error).__name__}); run `workbench analyze STUDY` again"
        ) from error
    if "painpoint_id" not in painpoints.columns or "label" not in painpoints.columns:
        raise WorkbenchError(
            f"{painpoints_path}: lacks the painpoint_id/label columns; run `workbench analyze STUDY` again"
        )

    notes: dict[str, str] = {}
    manifest: dict[str, Any] = {}
    if (folder / MANIFEST_FILE).is_file():
        try:
            manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            notes["manifest"] = f"{MANIFEST_FILE} could not be read"
    else:
        notes["manifest"] = f"{MANIFEST_FILE} is missing"

    results = Results(
        results_dir=folder,
        painpoints=painpoints,
        manifest=manifest if isinstance(manifest, dict) else {},
        assignments=_read_optional(folder / ASSIGNMENTS_FILE, notes),
        passages=_read_optional(folder / PASSAGES_FILE, notes, SAFE_PASSAGE_COLUMNS),
        segments=_read_optional(folder / SEGMENTS_FILE, notes, SAFE_SEGMENT_COLUMNS),
        participants=_read_optional(folder / PARTICIPANTS_FILE, notes),
        personas=_read_optional(folder / PERSONAS_FILE, notes),
        journey=_read_optional(folder / JOURNEY_FILE, notes),
        title=_study_title(folder, study_dir),
        notes=notes,
        stability=_read_evidence(folder / STABILITY_FILE),
        stability_runs=_read_evidence(folder / STABILITY_RUNS_FILE),
        saturation=_read_evidence(folder / SATURATION_FILE),
        impact=_read_evidence(folder / IMPACT_FILE),
    )
    if results.personas is None or results.journey is None:
        _build_personas_and_journey(results)
    return results


def _read_optional(path: Path, notes: dict[str, str], columns: Iterable[str] | None = None) -> pd.DataFrame | None:
    """An optional table, or None (with a note) when it is absent or broken; only ``columns`` are read."""
    if not path.is_file():
        notes[path.stem] = f"{path.name} is not in the results folder"
        return None
    try:
        if columns is None:
            return pd.read_parquet(path)
        import pyarrow.parquet as pq

        present = set(pq.read_schema(path).names)
        return pd.read_parquet(path, columns=[c for c in columns if c in present])
    except Exception as error:  # noqa: BLE001 - an optional table must never stop the report
        notes[path.stem] = f"{path.name} could not be read ({type(error).__name__})"
        return None


def _read_evidence(path: Path) -> pd.DataFrame:
    """An evidence table, or an empty one when it is absent or unreadable (older results: "not measured").

    Example:
        >>> _read_evidence(Path("no/such/stability.parquet")).empty
        True
    """
    if not path.is_file():
        return pd.DataFrame()
    try:
        return pd.read_parquet(path)
    except Exception:  # noqa: BLE001 - an optional table must never stop the report
        return pd.DataFrame()


def _study_title(folder: Path, study_dir: Path | str | None) -> str | None:
    candidates = [Path(study_dir)] if study_dir is not None else []
    if folder.name == ".workbench":
        candidates.append(folder.parent)
    for candidate in candidates:
        if (candidate / "study.toml").is_file():
            try:
                from workbench.config import load_study_config

                name = load_study_config(candidate).name
            except WorkbenchError:
                continue
            if name and name != "Untitled study":
                return name
    return None


def _build_personas_and_journey(results: Results) -> None:
    """Build personas and the journey from the saved tables when the analysis did not save them."""
    try:
        from workbench.people.personas_and_journey import build_personas_and_journey
    except ImportError:
        return
    try:
        personas, journey, _info = build_personas_and_journey(results.results_dir)
    except WorkbenchError as error:
        results.notes["personas"] = str(error)
        return
    except Exception as error:  # noqa: BLE001 - an optional part must never stop the report
        results.notes["personas"] = f"personas could not be built ({type(error).__name__}: {error})"
        return
    if results.personas is None and personas is not None:
        results.personas = personas
        results.notes.pop("personas", None)
        if personas.empty and isinstance(_info, dict) and _info.get("reason"):
            results.notes["personas"] = str(_info["reason"])
    if results.journey is None and journey is not None:
        results.journey = journey
        results.notes.pop("journey", None)
