"""Export of a study that came from a REFI-QDA project: every element of that project, plus what the coders did since.

:func:`export_imported` starts from the project kept in ``STUDY/qda/`` by
:func:`~workbench.coding.qdpx_import.import_qdpx` and writes it back with:

- its ``Users``, ``Variables``, ``Cases``, ``Sets``, ``Links``, ``Graphs``, project description,
  every source (text sources as they came in, pictures, PDFs…) and every file of the zip, as they were;
- the codebook as the study's store holds it now (guids, names, nesting, colours, descriptions;
  a code added in the workbench gets a new guid; a code that came without a colour gets none);
- each imported selection at its own offsets, with the imported codings still in force (a
  coding a coder removed in the workbench is left out) and those that could not be mapped;
- new codings and memos made in the workbench, on new selections whose offsets are found by
  aligning the turns with the source text again (:mod:`workbench.coding.text_alignment`);
- the imported notes with the memo text as it reads now (a memo a coder cleared is left out).

So an export, imported into a fresh study and exported again, gives the same elements.

Example:
    >>> export_imported("imported_study", {}, "again.qdpx", None, "s", None, None, None)  # doctest: +SKIP
"""
from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.coding.codebook import Codebook
from workbench.coding.qda_archive import local, q, read_qdpx
from workbench.coding.qdpx_project import ProjectBuilder, QdpxExport, source_places, source_texts, write_project
from workbench.coding.qdpx_import import IMPORT_FOLDER, KEPT_PROJECT
from workbench.coding.text_alignment import OffsetMap, locate_turns
from workbench.errors import WorkbenchError
from workbench.schema import is_missing


def export_imported(study_dir: Path | str, record: dict[str, Any], out: Path | str, store: Any, study: str,
                    codebook: Codebook, segments: pd.DataFrame, passages: pd.DataFrame) -> QdpxExport:
    """Write an imported study back as a ``.qdpx`` (see the module's text); ``record`` is the import's record."""
    study_dir = Path(study_dir)
    kept_path = study_dir / IMPORT_FOLDER / KEPT_PROJECT
    if not kept_path.is_file():
        raise WorkbenchError(f"{kept_path}: the imported project is missing; import it again into a fresh study")
    archive = read_qdpx(kept_path)
    root = copy.deepcopy(archive.root)
    user_guids: dict[str, str] = {}
    for guid, name in record.get("users", {}).items():
        user_guids.setdefault(name, guid)
    notes = {guid: tuple(key) for guid, key in record.get("notes", {}).items()}
    builder = ProjectBuilder(study, store, codebook, passages, segments, user_guids=user_guids,
                             note_guids={key: guid for guid, key in notes.items()})  # type: ignore[misc]

    # users: the imported ones, and the coders who coded or wrote memos here since
    fresh_coders = ({str(r["coder"]) for r in builder.coding.to_dict("records") if not str(r.get("origin") or "").startswith("qdpx:")}
                    | {m.coder for m in builder.memos if builder.note_guids[(m.coder, m.target_kind, m.target_id)] not in notes})
    new_users = sorted(c for c in fresh_coders if c not in user_guids)
    if new_users:
        users = root.find(q("Users"))
        users = ET.SubElement(root, q("Users")) if users is None else users
        for coder in new_users:
            ET.SubElement(users, q("User"), {"guid": builder.user_guids[coder], "name": coder})

    # the codebook as the store holds it now; the imported memos on codes stay referenced
    codes = record.get("codes", {})
    kept_code_notes: dict[str, list[str]] = {}
    for element in archive.root.iter(q("Code")):
        code_id = codes.get(element.get("guid", ""))
        if code_id:
            kept_code_notes[code_id] = [ref.get("targetGUID", "") for ref in element.findall(q("NoteRef"))]
    for old in root.findall(q("CodeBook")):
        root.remove(old)
    builder.add_codebook(root, kept_code_notes, set(record.get("colourless", [])))

    # imported selections: the codings in force, and those never mapped
    keep = {str(r["origin"])[len("qdpx:"):] for r in builder.coding.to_dict("records")
            if str(r.get("origin") or "").startswith("qdpx:")} | set(record.get("kept_codings", []))
    paths: dict[str, str] = record.get("source_paths", {})
    containers: dict[str, ET.Element] = {}
    sources = root.find(q("Sources"))
    for source in (list(sources) if sources is not None else []):
        if source.get("guid") not in paths:
            continue
        containers[paths[source.get("guid", "")]] = source
        for selection in [child for child in source if local(child.tag).endswith("Selection")]:
            codings = selection.findall(q("Coding"))
            for coding in codings:
                if coding.get("guid", "") not in keep:
                    selection.remove(coding)
            if codings and not selection.findall(q("Coding")) and not selection.findall(q("NoteRef")):
                source.remove(selection)

    # new codings and memos: on the imported sources (offsets found again), and on sources added since
    others = source_texts(segments[~segments["source_id"].astype(str).isin(set(paths.values()))]) \
        if segments is not None and not segments.empty else []
    imported_place, own_place = _imported_places(study_dir, archive.texts, paths), source_places(others)
    chosen = builder.selections(lambda span: imported_place(span) or own_place(span), skip_origin="qdpx:",
                                skip_notes=set(notes))
    for source_id, container in containers.items():
        at = _after_selections(container)
        for (start, end), entry in sorted(chosen.get(source_id, {}).items()):
            builder.selection_element(container, source_id, start, end, entry, at=at)
            at += 1
    builder.add_sources(root, others, chosen)

    # imported notes with the memo text as it reads now; a cleared memo is left out
    current = {(m.coder, m.target_kind, m.target_id): m.text for m in builder.memos}
    gone = set()
    for note in root.iterfind(f"{q('Notes')}/{q('Note')}"):
        key = notes.get(note.get("guid", ""))
        if key is None:
            continue
        if key not in current:
            gone.add(note.get("guid", ""))
            continue
        content = note.find(q("PlainTextContent"))
        if content is not None and (content.text or "").strip() != current[key]:
            content.text = current[key]
    _remove_notes(root, gone)
    builder.finish(root, kept_notes=set(notes))
    files = dict(archive.files) | builder.files
    written = write_project(Path(out), root, files)
    return QdpxExport(written, len(containers) + builder.n_sources, len(codebook.codes),
                      builder.n_codings + sum(1 for r in builder.coding.to_dict("records")
                                              if str(r.get("origin") or "").startswith("qdpx:")),
                      len({c for c in builder.coders}), len(builder.memos), builder.skipped)


def _imported_places(study_dir: Path, texts: dict[str, str], paths: dict[str, str]) -> Any:
    """``place(span)`` for turns of the imported sources: the span's offsets in the source text as it came in."""
    from workbench.ingest.study import read_study

    where: dict[str, tuple[str, int, OffsetMap]] = {}
    try:
        segments = read_study(study_dir).segments
    except WorkbenchError:
        segments = None
    if segments is not None and not segments.empty:
        for guid, source_id in paths.items():
            rows = segments[segments["source_id"].astype(str) == source_id].sort_values("turn").to_dict("records")
            raw = ["" if is_missing(r.get("text")) else str(r["text"]) for r in rows]
            source = texts.get(guid, "")
            for place, row in zip(locate_turns(source, raw), rows):
                if place is not None:
                    redacted = "" if is_missing(row.get("text_redacted")) else str(row["text_redacted"])
                    where[str(row["segment_id"])] = (source_id, place[0], OffsetMap(source[place[0]:place[1]], redacted))

    def place(span: Any) -> tuple[str, int, int] | None:
        found = where.get(span.segment_id)
        if found is None:
            return None
        source_id, start, mapping = found
        return source_id, start + mapping.to_raw(span.start), start + mapping.to_raw(span.end, end=True)

    return place


def _after_selections(source: ET.Element) -> int:
    """Where a new selection goes in a text source: after its selections (Project.xsd's order)."""
    at = 0
    for index, child in enumerate(source):
        if local(child.tag) in ("Description", "PlainTextContent") or local(child.tag).endswith("Selection"):
            at = index + 1
    return at


def _remove_notes(root: ET.Element, gone: set[str]) -> None:
    """Take the notes in ``gone`` out, and every reference to them."""
    if not gone:
        return
    for parent in root.iter():
        for child in list(parent):
            if (local(child.tag) == "Note" and child.get("guid") in gone) or \
                    (local(child.tag) in ("NoteRef", "MemberNote") and child.get("targetGUID") in gone):
                parent.remove(child)
