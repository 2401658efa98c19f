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

import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.coding.codebook import Codebook
from workbench.coding.coding_data import load_coding_data
from workbench.coding.qdc import PROJECT_NS, codes_element, qda_guid
from workbench.coding.records import code_assignments, stored_codebook
from workbench.errors import WorkbenchError
from workbench.schema import is_missing
from workbench.storage.files import atomic_write


@dataclass
class SourceText:
    """One exported source: its redacted plain text and where each segment's text starts in it.

    Example:
        >>> SourceText("transcripts/a.txt", "interview", "P01: Hi", {"s-1": 5}).text[5:]
        'Hi'
    """

    source_id: str
    source_kind: str
    text: str
    offsets: dict[str, int]


def source_texts(segments: pd.DataFrame) -> list[SourceText]:
    """The plain text of every source (transcript or feedback export), built from redacted segments.

    Example:
        >>> segments = pd.DataFrame({"segment_id": ["s1", "s2"], "source_id": ["t.txt", "t.txt"],
        ...     "source_kind": ["interview"] * 2, "participant_id": [None, "P01"], "role": ["interviewer", "customer"],
        ...     "turn": [1, 2], "text_redacted": ["How was it?", "Slow."]})
        >>> source = source_texts(segments)[0]
        >>> print(source.text)
        Interviewer: How was it?
        <BLANKLINE>
        P01: Slow.
        <BLANKLINE>
        >>> source.text[source.offsets["s2"]:source.offsets["s2"] + 5]
        'Slow.'
    """
    if "text_redacted" not in segments.columns:
        raise WorkbenchError("segments.parquet: no text_redacted column; run `workbench analyze STUDY` again")
    out = []
    order = [c for c in ("source_id", "turn") if c in segments.columns]
    for source_id, group in segments.sort_values(order, kind="stable").groupby("source_id", sort=True):
        kind = str(group["source_kind"].iloc[0]) if "source_kind" in group.columns else "interview"
        parts: list[str] = []
        offsets: dict[str, int] = {}
        length = 0
        for row in group.to_dict("records"):
            text = "" if is_missing(row.get("text_redacted")) else str(row["text_redacted"])
            head = _turn_label(row) + ": " if kind == "interview" else _item_header(row) + "\n"
            offsets[str(row["segment_id"])] = length + len(head)
            block = head + text + "\n\n"
            parts.append(block)
            length += len(block)
        out.append(SourceText(str(source_id), kind, "".join(parts), offsets))
    return out


def _turn_label(row: dict[str, Any]) -> str:
    if str(row.get("role") or "") == "customer" and not is_missing(row.get("participant_id")):
        return str(row["participant_id"])
    return str(row.get("role") or "speaker").capitalize()


def _item_header(row: dict[str, Any]) -> str:
    parts = [str(row[name]) for name in ("item_id", "channel", "date") if not is_missing(row.get(name))]
    if not is_missing(row.get("rating")):
        parts.append(f"rating {float(row['rating']):g}")
    return "[" + " · ".join(parts or [str(row.get("segment_id"))]) + "]"


@dataclass
class QdpxExport:
    """What :func:`export_qdpx` wrote.

    Example:
        >>> QdpxExport(Path("study.qdpx"), 21, 26, 40, 2, 3, 0).summary()
        'study.qdpx: 21 sources, 26 codes, 40 codings by 2 coders, 3 memos'
    """

    path: Path
    n_sources: int
    n_codes: int
    n_codings: int
    n_coders: int
    n_notes: int
    n_skipped: int

    def summary(self) -> str:
        """One line for the CLI and notebooks."""
        line = (f"{self.path}: {self.n_sources} sources, {self.n_codes} codes, {self.n_codings} codings "
                f"by {self.n_coders} coder{'s' if self.n_coders != 1 else ''}, {self.n_notes} memos")
        if self.n_skipped:
            line += f" ({self.n_skipped} codings of codes no longer in the codebook left out)"
        return line


def export_qdpx(
    study_dir: Path | str,
    out: Path | str,
    results_dir: Path | str | None = None,
    store: Any = None,
    codebook: Codebook | None = None,
    project_name: str | None = None,
) -> QdpxExport:
    """Write a study's redacted sources, codebook, codings and memos as a REFI-QDA ``.qdpx`` project.

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
    from workbench.storage.store import Store
    from workbench.storage.locations import store_url, study_key

    out = Path(out)
    if out.suffix.lower() != ".qdpx":
        raise WorkbenchError(f"{out}: a REFI-QDA project file ends in .qdpx; pass --out NAME.qdpx")
    study_dir = Path(study_dir)
    results = Path(results_dir) if results_dir is not None else study_dir / ".workbench"
    data = load_coding_data(results)
    study = study_key(study_dir)
    store = store if store is not None else Store(store_url(results))
    codebook = codebook if codebook is not None else stored_codebook(store, study)
    coding = code_assignments(store, study)
    memos = store.memos(study)

    guid = lambda kind, key: qda_guid(study, kind, key)  # noqa: E731 - short local alias
    sources = source_texts(data.segments)
    passages = data.passages.set_index("passage_id")
    code_guids = {c.code_id: c.guid or guid("code", c.code_id) for c in codebook.codes}
    coders = sorted(set(coding["coder"].astype(str)) | {m.coder for m in memos})
    user_guids = {name: guid("user", name) for name in coders}
    note_guids = {(m.coder, m.target_kind, m.target_id): guid("note", f"{m.coder}/{m.target_kind}/{m.target_id}") for m in memos}

    ET.register_namespace("", PROJECT_NS)
    q = lambda tag: f"{{{PROJECT_NS}}}{tag}"  # noqa: E731
    now = _timestamp(datetime.now(timezone.utc))
    from workbench import __version__

    root = ET.Element(q("Project"), {"name": project_name or study, "origin": f"CX Workbench {__version__}",
                                      "creationDateTime": now})
    if coders:
        users = ET.SubElement(root, q("Users"))
        for name in coders:
            ET.SubElement(users, q("User"), {"guid": user_guids[name], "name": name})
    code_notes = {m.target_id: note_guids[(m.coder, m.target_kind, m.target_id)] for m in memos if m.target_kind == "code"}
    if codebook.codes:
        codes_element(ET.SubElement(root, q("CodeBook")), codebook, code_guids, q, code_notes)

    # selections: (source, start, end) -> codings and notes
    selections: dict[str, dict[tuple[int, int], dict[str, Any]]] = {s.source_id: {} for s in sources}
    source_of = {seg: s for s in sources for seg in s.offsets}

    def selection(passage_id: str, char_start: Any = None, char_end: Any = None) -> dict[str, Any] | None:
        if passage_id not in passages.index:
            return None
        row = passages.loc[passage_id]
        source = source_of.get(str(row["segment_id"]))
        if source is None:
            return None
        start = source.offsets[str(row["segment_id"])] + int(row["char_start"])
        end = source.offsets[str(row["segment_id"])] + int(row["char_end"])
        if not is_missing(char_start):
            start, end = start + int(char_start), start + int(char_end)
        entry = selections[source.source_id].setdefault((start, end), {"passage_id": passage_id, "codings": [], "notes": []})
        return entry

    skipped = 0
    n_codings = 0
    for row in coding.to_dict("records"):
        if row["code_id"] not in code_guids:
            skipped += 1
            continue
        entry = selection(str(row["passage_id"]), row["char_start"], row["char_end"])
        if entry is None:
            skipped += 1
            continue
        entry["codings"].append(row)
        n_codings += 1
    for memo in memos:
        if memo.target_kind == "passage":
            entry = selection(memo.target_id)
            if entry is not None:
                entry["notes"].append(note_guids[(memo.coder, memo.target_kind, memo.target_id)])

    files: dict[str, str] = {}
    sources_element = ET.SubElement(root, q("Sources"))
    for source in sources:
        source_guid = guid("source", source.source_id)
        files[f"sources/{source_guid}.txt"] = source.text
        element = ET.SubElement(sources_element, q("TextSource"), {
            "guid": source_guid, "name": Path(source.source_id).name, "plainTextPath": f"internal://{source_guid}.txt",
            "creationDateTime": now,
        })
        ET.SubElement(element, q("Description")).text = f"{source.source_kind}: {source.source_id} (redacted)"
        for (start, end), entry in sorted(selections[source.source_id].items()):
            key = f"{entry['passage_id']}/{start}/{end}"
            chosen = ET.SubElement(element, q("PlainTextSelection"), {
                "guid": guid("selection", key), "name": entry["passage_id"],
                "startPosition": str(start), "endPosition": str(end),
            })
            for row in entry["codings"]:
                attributes = {"guid": guid("coding", f"{key}/{row['coder']}/{row['code_id']}"),
                              "creatingUser": user_guids[str(row["coder"])]}
                if not is_missing(row.get("created_at")):
                    attributes["creationDateTime"] = _timestamp(row["created_at"])
                coding_element = ET.SubElement(chosen, q("Coding"), attributes)
                ET.SubElement(coding_element, q("CodeRef"), {"targetGUID": code_guids[row["code_id"]]})
            for note in entry["notes"]:
                ET.SubElement(chosen, q("NoteRef"), {"targetGUID": note})
    if not sources:
        root.remove(sources_element)

    if memos:
        notes = ET.SubElement(root, q("Notes"))
        for memo in memos:
            attributes = {"guid": note_guids[(memo.coder, memo.target_kind, memo.target_id)],
                          "name": f"Memo by {memo.coder} on {memo.target_kind} {memo.target_id}",
                          "creatingUser": user_guids[memo.coder]}
            if memo.created_at is not None:
                attributes["creationDateTime"] = _timestamp(memo.created_at)
            note = ET.SubElement(notes, q("Note"), attributes)
            ET.SubElement(note, q("PlainTextContent")).text = memo.text
    for memo in memos:
        if memo.target_kind == "study":
            ET.SubElement(root, q("NoteRef"), {"targetGUID": note_guids[(memo.coder, memo.target_kind, memo.target_id)]})

    ET.indent(root)
    xml = ET.tostring(root, encoding="utf-8", xml_declaration=True)

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("project.qde", xml)
            for name, text in files.items():
                archive.writestr(name, text.encode("utf-8"))

    atomic_write(out, write)
    return QdpxExport(out, len(sources), len(codebook.codes), n_codings, len(coders), len(memos), skipped)


def _timestamp(value: Any) -> str:
    """xsd:dateTime in UTC (``2026-09-01T10:00:00Z``); naive datetimes are taken as UTC."""
    moment = pd.Timestamp(value).to_pydatetime()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
