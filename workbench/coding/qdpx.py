"""REFI-QDA project export: a coded study as a ``.qdpx`` project other QDA tools open.

REFI-QDA (www.qdasoftware.org) is the exchange standard of QDA tools (ATLAS.ti, MAXQDA, NVivo,
QualCoder…). A ``.qdpx`` file is a zip holding ``project.qde`` (XML, namespace
``urn:QDA-XML:project:1.0``) and the sources under ``sources/``. The export writes:

- ``Users/User``: one per coder (and memo writer);
- ``CodeBook/Codes/Code``: the study's codebook, nested by parent, with guid, name,
  ``isCodable``, ``color`` and the description;
- ``Sources/TextSource``: one per interview transcript and per feedback export, its
  **redacted** plain text in ``sources/<guid>.txt`` (``plainTextPath="internal://<guid>.txt"``).
  An interview's text is its turns, one paragraph each (``P01: ...``, ``Interviewer: ...``);
  a feedback export's text is its items, each under a ``[item id · channel · rating]`` line;
- ``PlainTextSelection``: one per coded passage (or span), ``startPosition``/``endPosition``
  being character offsets into that text (the slice is exactly the passage), holding a
  ``Coding`` with ``CodeRef targetGUID`` per coder and code, and a ``NoteRef`` per memo;
- ``Notes/Note``: the memos (on passages, codes or the whole study).

Guids are derived from the study and the ids (uuid5, :func:`workbench.coding.qdc.qda_guid`),
so exporting twice gives the same guids and a re-import in another tool updates instead of
duplicating. The codebook alone travels as a ``.qdc`` file (:mod:`workbench.coding.qdc`).

Example:
    >>> QdpxExport(Path("study.qdpx"), 2, 5, 9, 1, 0, 0).summary()
    'study.qdpx: 2 sources, 5 codes, 9 codings by 1 coder, 0 memos'
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.coding.codebook import Codebook
from workbench.coding.coding_data import load_coding_data
from workbench.coding.qdpx_project import (
    ProjectBuilder,
    QdpxExport,
    SourceText,
    source_texts,
    study_units,
    write_project,
)
from workbench.coding.records import stored_codebook
from workbench.errors import WorkbenchError

__all__ = ["QdpxExport", "SourceText", "export_qdpx", "source_texts"]


def export_qdpx(
    study_dir: Path | str,
    out: Path | str,
    results_dir: Path | str | None = None,
    store: Any = None,
    codebook: Codebook | None = None,
    project_name: str | None = None,
) -> QdpxExport:
    """Write a study's redacted sources, codebook, codings and memos as a REFI-QDA ``.qdpx`` project.

    A study made by :func:`~workbench.coding.qdpx_import.import_qdpx` is written back with every
    element of the imported project (:mod:`workbench.coding.qdpx_reexport`): its sources as they
    came in, their selections at the same offsets, Cases, Variables, Sets, Links and Graphs, plus
    what the coders changed since.

    Args:
        study_dir: the study folder (its name files the study in the store).
        out: the ``.qdpx`` file to write (atomically).
        results_dir: the results folder (default ``STUDY_DIR/.workbench``).
        store: the study's :class:`~workbench.storage.store.Store` (default: the one of the results folder).
        codebook: the codebook to export (default: the study's codebook in the store).
        project_name: the project's name (default: the study folder's name).

    Raises:
        WorkbenchError: the results folder or its passages/segments are missing, or ``out`` is not ``.qdpx``.

    Example:
        >>> export_qdpx("interview_data", "skylark.qdpx").summary()  # doctest: +SKIP
        'skylark.qdpx: 21 sources, 26 codes, 40 codings by 2 coders, 3 memos'
    """
    from workbench.coding.qdpx_import import read_import_record
    from workbench.storage.locations import store_url, study_key
    from workbench.storage.store import Store

    out = Path(out)
    if out.suffix.lower() != ".qdpx":
        raise WorkbenchError(f"{out}: a REFI-QDA project file ends in .qdpx; pass --out NAME.qdpx")
    study_dir = Path(study_dir)
    results = Path(results_dir) if results_dir is not None else study_dir / ".workbench"
    record = read_import_record(study_dir)
    if record is not None and not (results / "passages.parquet").is_file():
        segments, passages = study_units(study_dir)  # an imported study not analysed yet: read it as it is
    else:
        data = load_coding_data(results)
        segments, passages = data.segments, data.passages
    study = study_key(study_dir)
    store = store if store is not None else Store(store_url(results))
    codebook = codebook if codebook is not None else stored_codebook(store, study)
    if record is not None:
        from workbench.coding.qdpx_reexport import export_imported

        return export_imported(study_dir, record, out, store, study, codebook, segments, passages)
    project = ProjectBuilder(study, store, codebook, passages, segments)
    root = project.root(project_name or study)
    project.add_sources(root, source_texts(segments))
    project.finish(root)
    written = write_project(out, root, project.files)
    return QdpxExport(written, project.n_sources, len(codebook.codes), project.n_codings, len(project.coders),
                      len(project.memos), project.skipped)
