"""REFI-QDA project import: another QDA tool's ``.qdpx`` (or ours) into a study, and a report of what did not fit.

:func:`import_qdpx` reads a project (:mod:`workbench.coding.qda_archive`) and maps it into a
study folder and its store:

- each ``TextSource`` becomes a transcript (``transcripts/NAME.txt``, its text as it came);
- the codebook (nesting, colours, descriptions, guids) goes to the study's store;
- each ``PlainTextSelection`` with its ``Coding`` elements becomes code assignments in the store,
  by the coder named in ``creatingUser``, on the span of the turn it covers (character offsets
  found by aligning the source text with the turns the study's reader makes of it; redacted
  names move offsets exactly as the redaction did); ``origin`` keeps the coding's guid;
- ``Notes`` become memos on the code, span or study that refers to them;
- ``Cases`` with their ``VariableValue`` elements become ``participants.csv`` (one participant
  per case, one column per variable, ``interview_file`` from the case's first text source),
  when the study has no participants file yet.

Nothing is dropped silently: what cannot be mapped (a selection across two turns or over a
speaker label, a coding of an unknown code, a picture or PDF source, a Set, a Link, a Graph, a
memo on a source…) is listed in :attr:`QdpxImport.not_mapped`, each with the reason, and kept:
the original project is saved in ``STUDY/qda/`` with a record of what went where, so
:func:`workbench.coding.qdpx.export_qdpx` writes every element back (see
:mod:`workbench.coding.qdpx_reexport`).

Example:
    >>> QdpxImport(Path("s"), "P", 2, 5, 9, 1, 2, 3, 1).summary()
    'P: 2 sources, 5 codes, 9 codings, 1 memos, 2 cases, 3 variables, 1 sets; all mapped'
"""
from __future__ import annotations

import csv
import json
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.coding.codebook import Code, Codebook, slugify
from workbench.coding.qda_archive import QdaArchive, QdpxError, local, q, read_qdpx
from workbench.coding.records import store_codebook, stored_codebook
from workbench.coding.spans import TurnIndex, TurnSpan, span_key, trim_span
from workbench.coding.text_alignment import OffsetMap, locate_turns
from workbench.errors import WorkbenchError
from workbench.schema import is_missing
from workbench.storage.files import escape_spreadsheet_cell

#: where an imported project and its record are kept in the study folder
IMPORT_FOLDER = "qda"
KEPT_PROJECT = "imported.qdpx"
RECORD_FILE = "import.json"
#: the coder of codings and memos whose creatingUser the project does not name
UNKNOWN_CODER = "imported"
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


@dataclass
class QdpxImport:
    """What :func:`import_qdpx` brought into the study, and what it could not map (kept for export).

    Example:
        >>> QdpxImport(Path("s"), "P", 1, 1, 1, 0, 0, 0, 0, not_mapped=["Set 'Key quotes': no sets here"]).summary()
        'P: 1 sources, 1 codes, 1 codings, 0 memos, 0 cases, 0 variables, 0 sets; 1 elements not mapped (kept for export)'
    """

    study_dir: Path
    project: str
    n_sources: int
    n_codes: int
    n_codings: int
    n_memos: int
    n_cases: int
    n_variables: int
    n_sets: int
    written: list[str] = field(default_factory=list)
    not_mapped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the CLI and notebooks."""
        counts = (f"{self.project}: {self.n_sources} sources, {self.n_codes} codes, {self.n_codings} codings, "
                  f"{self.n_memos} memos, {self.n_cases} cases, {self.n_variables} variables, {self.n_sets} sets")
        if not self.not_mapped:
            return counts + "; all mapped"
        return counts + f"; {len(self.not_mapped)} elements not mapped (kept for export)"

    def report(self) -> str:
        """The summary, then each element that could not be mapped and why."""
        return "\n".join([self.summary()] + [f"  not mapped: {line}" for line in self.not_mapped])


def import_qdpx(path: Path | str, study_dir: Path | str, store: Any = None) -> QdpxImport:
    """Import a REFI-QDA project into a study folder and its store (see the module's text for the mapping).

    Args:
        path: the ``.qdpx`` (or ``.qde``) file.
        study_dir: the study folder (made when missing); its store is ``STUDY/.workbench/store.sqlite``
            or ``WORKBENCH_STORE``.
        store: the study's :class:`~workbench.storage.store.Store` (default: as above).

    Raises:
        QdpxError: the file is not a REFI-QDA project, or the study already holds an imported project.

    Example:
        >>> import_qdpx("maxqda_project.qdpx", "imported_study").report()  # doctest: +SKIP
    """
    from workbench.config import load_study_config
    from workbench.storage.locations import store_url, study_key
    from workbench.storage.store import Store

    archive = read_qdpx(path)
    study = Path(study_dir)
    kept = study / IMPORT_FOLDER
    if (kept / RECORD_FILE).exists():
        raise QdpxError(f"{study}: already holds an imported project ({kept / KEPT_PROJECT}); "
                        "import into a fresh study folder, or remove that folder first")
    study.mkdir(parents=True, exist_ok=True)
    config = load_study_config(study)
    store = store if store is not None else Store(store_url(study / ".workbench"))
    key = study_key(study)
    done = _Import(archive, study, key, store)
    done.codebook()
    done.cases_and_variables(config.participants_file)
    done.sources(config.transcripts_dir)
    done.selections()
    done.notes()
    done.the_rest()
    kept.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(archive.path, kept / KEPT_PROJECT)
    (kept / RECORD_FILE).write_text(json.dumps(done.record(), indent=1, ensure_ascii=False), encoding="utf-8")
    return done.result


class _Import:
    """One import: the archive, the study, and what went where (for the record and the report)."""

    def __init__(self, archive: QdaArchive, study: Path, key: str, store: Any) -> None:
        self.archive, self.study, self.key, self.store = archive, study, key, store
        root = archive.root
        self.users = {u.get("guid", ""): (u.get("name") or u.get("id") or f"user-{u.get('guid', '')[:8]}").strip()
                      for u in root.iterfind(f"{q('Users')}/{q('User')}")}
        self.codes: dict[str, str] = {}  # code guid -> code_id
        self.colourless: list[str] = []
        self.paths: dict[str, str] = {}  # text source guid -> source_id in the study
        self.notes_at: dict[str, tuple[str, str]] = {}  # note guid -> (target kind, target id) of its first referrer
        self.memos: dict[str, list[str]] = {}  # note guid -> [coder, kind, target]
        self.kept_codings: list[str] = []
        self.result = QdpxImport(study, archive.name, 0, 0, 0, 0, 0, 0, 0)

    def not_mapped(self, line: str) -> None:
        self.result.not_mapped.append(line)

    def coder(self, user_guid: str | None) -> str:
        return self.users.get(user_guid or "", UNKNOWN_CODER) or UNKNOWN_CODER

    # ------------------------------------------------------------------ codes

    def codebook(self) -> None:
        existing = stored_codebook(self.store, self.key)
        by_guid = {c.guid: c.code_id for c in existing.codes if c.guid}
        used = {c.code_id for c in existing.codes}
        codes: list[Code] = []

        def visit(element: ET.Element, parent: str | None) -> None:
            for child in element.findall(q("Code")):
                guid, name = (child.get("guid") or "").strip(), (child.get("name") or "").strip()
                if not guid or not name:
                    self.not_mapped(f"a Code without {'guid' if not guid else 'name'} ({name or guid}): cannot be "
                                    "referred to; kept for export")
                    continue
                code_id = by_guid.get(guid) or _unique(slugify(name), used)
                colour = child.get("color")
                if colour and not _COLOUR.match(colour):
                    self.not_mapped(f"code {name!r}: colour {colour!r} is not #rrggbb; a colour of ours is shown")
                if not colour or not _COLOUR.match(colour):
                    self.colourless.append(code_id)
                codes.append(Code(code_id, name, (child.findtext(q("Description")) or "").strip(), parent=parent,
                                  colour=colour if colour and _COLOUR.match(colour) else None,
                                  codable=(child.get("isCodable", "true").strip().lower() != "false"),
                                  source="qdpx", guid=guid))
                self.codes[guid] = code_id
                for ref in child.findall(q("NoteRef")):
                    self.notes_at.setdefault(ref.get("targetGUID", ""), ("code", code_id))
                visit(child, code_id)

        for codes_element in self.archive.root.iterfind(f"{q('CodeBook')}/{q('Codes')}"):
            visit(codes_element, None)
        if codes:
            store_codebook(self.store, self.key, Codebook(codes, where=str(self.archive.path)), author=None)
        self.result.n_codes = len(codes)

    # ------------------------------------------------------------------ cases and variables

    def cases_and_variables(self, participants_file: str) -> None:
        root = self.archive.root
        variables = {v.get("guid", ""): (v.get("name") or v.get("guid", "")).strip()
                     for v in root.iterfind(f"{q('Variables')}/{q('Variable')}")}
        cases = root.findall(f"{q('Cases')}/{q('Case')}")
        self.result.n_variables, self.result.n_cases = len(variables), len(cases)
        for source in root.iterfind(f"{q('Sources')}/*"):
            if source.findall(q("VariableValue")):
                self.not_mapped(f"variables of source {source.get('name')!r}: the workbench keeps attributes per "
                                "participant (case), not per file; kept for export")
        if not cases:
            return
        target = self.study / participants_file
        if target.exists():
            self.not_mapped(f"{len(cases)} cases: {target} exists already, so the cases were not merged into it; "
                            "kept for export")
            return
        columns = ["participant_id", "interview_file"] + sorted(set(variables.values()))
        rows, seen = [], set()
        for number, case in enumerate(cases, start=1):
            name = (case.get("name") or "").strip() or f"C{number:02d}"
            pid = _unique(name, seen)
            row = {"participant_id": pid, "interview_file": ""}
            sources = [ref.get("targetGUID", "") for ref in case.findall(q("SourceRef"))]
            row["_sources"] = sources  # resolved once the sources are written
            for value in case.findall(q("VariableValue")):
                ref = value.find(q("VariableRef"))
                guid = "" if ref is None else ref.get("targetGUID", "")
                typed = next((child for child in value if child.tag != q("VariableRef")), None)
                if guid not in variables:
                    self.not_mapped(f"case {name!r}: a value of an unknown variable {guid!r}; kept for export")
                    continue
                row[variables[guid]] = "" if typed is None else (typed.text or "").strip()
            if case.findall(q("CodeRef")) or case.findall(q("SelectionRef")):
                self.not_mapped(f"case {name!r}: its codes and selections are kept for export (the workbench "
                                "groups codes by participant from the coded passages instead)")
            rows.append(row)
        self._cases = (target, columns, rows)

    def _write_participants(self) -> None:
        if not hasattr(self, "_cases"):
            return
        target, columns, rows = self._cases
        for row in rows:
            files = [self.paths[g] for g in row.pop("_sources") if g in self.paths]
            row["interview_file"] = files[0] if files else ""
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            # participants.csv opens in spreadsheets: text cells that a spreadsheet would run as a
            # formula are escaped; numbers (a Case variable of -3) stay numbers for the round trip
            writer.writerows({key: value if _is_number(value) else escape_spreadsheet_cell(value)
                              for key, value in row.items()} for row in rows)
        self.result.written.append(str(target.relative_to(self.study)))

    # ------------------------------------------------------------------ sources

    def sources(self, transcripts_dir: str) -> None:
        folder = self.study / transcripts_dir
        container = self.archive.root.find(q("Sources"))
        for source in (list(container) if container is not None else []):
            kind, guid, name = local(source.tag), source.get("guid", ""), (source.get("name") or "").strip()
            if kind != "TextSource":
                self.not_mapped(f"{kind} {name or guid!r}: the workbench codes text only; kept for export")
                continue
            if guid not in self.archive.texts:
                self.not_mapped(f"TextSource {name or guid!r}: {self.archive.missing_texts.get(guid, 'no text')}; "
                                "kept for export")
                continue
            text = self.archive.texts[guid]
            filename = _file_name(name or guid)
            target = folder / filename
            n = 1
            while target.exists() and target.read_text(encoding="utf-8", errors="replace") != text:
                n += 1
                target = folder / f"{Path(filename).stem}-{n}.txt"
            folder.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                target.write_text(text, encoding="utf-8")
            self.paths[guid] = target.relative_to(self.study).as_posix()
            self.result.written.append(self.paths[guid])
            self.result.n_sources += 1
            if source.findall(q("Coding")):
                self.not_mapped(f"TextSource {name!r}: {len(source.findall(q('Coding')))} codings of the whole "
                                "source (no selection); kept for export")
            for ref in source.findall(q("NoteRef")):
                self.not_mapped(f"TextSource {name!r}: memo {ref.get('targetGUID')} on the whole source; kept for export")
                self.notes_at.setdefault(ref.get("targetGUID", ""), ("source", guid))
        self._write_participants()

    # ------------------------------------------------------------------ selections and codings

    def selections(self) -> None:
        turns = self._turns()
        container = self.archive.root.find(q("Sources"))
        for source in (list(container) if container is not None else []):
            guid = source.get("guid", "")
            for selection in source:
                if not local(selection.tag).endswith("Selection"):
                    continue
                where = f"selection {selection.get('name') or selection.get('guid')!r} in {source.get('name')!r}"
                span, why = self._span(guid, selection, turns)
                codings = selection.findall(q("Coding"))
                for ref in selection.findall(q("NoteRef")):
                    target = ("span", span_key(span)) if span is not None else ("unmapped", selection.get("guid", ""))
                    self.notes_at.setdefault(ref.get("targetGUID", ""), target)
                if span is None:
                    self.kept_codings += [c.get("guid", "") for c in codings]
                    self.not_mapped(f"{where}: {why}; its {len(codings)} codings are kept for export")
                    continue
                for coding in codings:
                    self._coding(coding, span, where)

    def _coding(self, coding: ET.Element, span: TurnSpan, where: str) -> None:
        ref = coding.find(q("CodeRef"))
        code_guid = "" if ref is None else ref.get("targetGUID", "")
        guid = coding.get("guid", "")
        if code_guid not in self.codes:
            self.kept_codings.append(guid)
            self.not_mapped(f"{where}: a coding of code {code_guid!r}, which is not in the codebook; kept for export")
            return
        passage_id, start, end = self.index.to_record(span)
        new = self.store.record_coding(self.key, self.coder(coding.get("creatingUser")), passage_id,
                                       self.codes[code_guid], segment_id=span.segment_id, char_start=start,
                                       char_end=end, origin=f"qdpx:{guid}")
        if new:
            self.result.n_codings += 1
        else:
            self.kept_codings.append(guid)
            self.not_mapped(f"{where}: coding {guid} repeats another of the same coder and code; kept for export")

    def _turns(self) -> dict[str, list[tuple[tuple[int, int] | None, dict[str, Any], OffsetMap]]]:
        """Per imported source: each turn's place in the source text, its row, and the map from that piece of
        the source text to the turn's redacted text (the reader's tidied white space and the redaction both)."""
        from workbench.analysis.passages import split_into_passages
        from workbench.ingest.study import read_study

        try:
            segments = read_study(self.study).segments
        except WorkbenchError as error:
            self.not_mapped(f"the study could not be read ({error}); no selection could be placed")
            segments = None
        if segments is None or segments.empty:
            import pandas as pd

            self.index = TurnIndex(pd.DataFrame(columns=["passage_id", "segment_id", "char_start", "char_end"]))
            return {}
        self.index = TurnIndex(split_into_passages(segments), segments)
        out = {}
        for guid, source_id in self.paths.items():
            rows = segments[segments["source_id"].astype(str) == source_id].sort_values("turn").to_dict("records")
            raw = ["" if is_missing(r.get("text")) else str(r["text"]) for r in rows]
            source = self.archive.texts[guid]
            out[guid] = [(place, row, OffsetMap(source[place[0]:place[1]] if place else text,
                                                "" if is_missing(row.get("text_redacted")) else str(row["text_redacted"])))
                         for place, row, text in zip(locate_turns(source, raw), rows, raw)]
        return out

    def _span(self, source_guid: str, selection: ET.Element, turns: dict[str, Any]) -> tuple[TurnSpan | None, str]:
        if local(selection.tag) != "PlainTextSelection":
            return None, f"a {local(selection.tag)} (the workbench codes text only)"
        if source_guid not in turns:
            return None, "its source could not be imported"
        try:
            start, end = int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
        except ValueError:
            return None, "its startPosition/endPosition are not whole numbers"
        text = self.archive.texts[source_guid]
        if not 0 <= start < end <= len(text):
            return None, f"{start}..{end} lies outside the source's {len(text)} characters"
        start, end = trim_span(text, start, end)
        if not turns[source_guid]:
            return None, (f"the study's reader found no turns in {self.paths[source_guid]} (it needs speaker labels, "
                          "`Name: text`; see `workbench ingest`)")
        for place, row, mapping in turns[source_guid]:
            if place is None or not (place[0] <= start and end <= place[1]):
                continue
            low = mapping.to_redacted(start - place[0])
            high = mapping.to_redacted(end - place[0], end=True)
            if low >= high:
                return None, "it covers only personal data that the redaction replaced"
            return TurnSpan(str(row["segment_id"]), low, high), ""
        return None, f"{start}..{end} is not inside one turn (it spans turns, or a speaker label)"

    # ------------------------------------------------------------------ notes and the rest

    def notes(self) -> None:
        used: set[tuple[str, str, str]] = set()
        for ref in self.archive.root.findall(q("NoteRef")):
            self.notes_at.setdefault(ref.get("targetGUID", ""), ("study", self.key))
        for note in self.archive.root.iterfind(f"{q('Notes')}/{q('Note')}"):
            guid, name = note.get("guid", ""), note.get("name") or note.get("guid", "")
            text = (note.findtext(q("PlainTextContent")) or "").strip()
            target = self.notes_at.get(guid)
            if target is None or target[0] in ("source", "unmapped"):
                why = "it is on nothing the workbench codes" if target is None else "what it is on could not be mapped"
                self.not_mapped(f"memo {name!r}: {why}; kept for export")
                continue
            coder = self.coder(note.get("creatingUser"))
            if (coder, *target) in used or not text:
                self.not_mapped(f"memo {name!r}: {'empty' if not text else 'a second memo by ' + coder + ' on the same thing'}; "
                                "kept for export")
                continue
            used.add((coder, *target))
            self.store.set_memo(self.key, coder, target[0], target[1], text)
            self.memos[guid] = [coder, target[0], target[1]]
            self.result.n_memos += 1

    def the_rest(self) -> None:
        root = self.archive.root
        for kind, tag in (("Set", "Sets"), ("Link", "Links"), ("Graph", "Graphs")):
            for element in root.iterfind(f"{q(tag)}/{q(kind)}"):
                self.not_mapped(f"{kind} {element.get('name') or element.get('guid')!r}: the workbench has no "
                                f"{tag.lower()}; kept for export")
                if kind == "Set":
                    self.result.n_sets += 1

    def record(self) -> dict[str, Any]:
        return {"project": self.archive.name, "source_paths": self.paths, "codes": self.codes,
                "colourless": self.colourless, "notes": self.memos, "users": self.users,
                "kept_codings": self.kept_codings, "not_mapped": self.result.not_mapped}


def read_import_record(study_dir: Path | str) -> dict[str, Any] | None:
    """The record of the project imported into a study (None when none was).

    Example:
        >>> import tempfile
        >>> read_import_record(tempfile.mkdtemp()) is None
        True
    """
    path = Path(study_dir) / IMPORT_FOLDER / RECORD_FILE
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise QdpxError(f"{path}: unreadable ({error}); import the project again into a fresh study") from error


def _file_name(name: str) -> str:
    base = re.sub(r"[^\w.\- ]+", "_", Path(name.replace("\\", "/")).name).strip(" .") or "source"
    return base if base.lower().endswith(".txt") else f"{base}.txt"


def _unique(code_id: str, used: set[str]) -> str:
    candidate, n = code_id, 1
    while candidate in used:
        n += 1
        candidate = f"{code_id}-{n}"
    used.add(candidate)
    return candidate


def _is_number(value: object) -> bool:
    """Whether a cell is a plain number (``"-3"``, ``"+1.5"``), which a spreadsheet reads as a number, not a formula."""
    try:
        float(str(value))
    except ValueError:
        return False
    return True
