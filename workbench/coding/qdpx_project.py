"""The pieces of a REFI-QDA project the exports share: source texts, the project builder, writing the file.

:func:`source_texts` lays a study's redacted turns out as one plain text per source (an
interview's turns one paragraph each, ``P01: ...``; a feedback export's items each under a
``[item id · channel · rating]`` line) and remembers where each turn starts.
:class:`ProjectBuilder` makes the ``<Project>``: users, the codebook, selections with codings and
memos (a coding on a span of a turn lands at the span's offsets in its source text), notes.
:func:`write_project` writes ``project.qde`` in the schema's order and the source files as a
``.qdpx``. :mod:`workbench.coding.qdpx` (a study's own export) and
:mod:`workbench.coding.qdpx_reexport` (an imported study's) use them.

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
from workbench.coding.qda_archive import PROJECT_ORDER, local, q
from workbench.coding.qdc import PROJECT_NS, codes_element, qda_guid
from workbench.coding.records import code_assignments
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


def study_units(study_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The segments (redacted text only) and passages of a study read now, without results (no model runs).

    Example:
        >>> import tempfile
        >>> study_units(Path(tempfile.mkdtemp()))[0].empty
        True
    """
    from workbench.analysis.passages import split_into_passages
    from workbench.ingest.study import read_study

    try:
        segments = read_study(study_dir).segments
    except WorkbenchError:
        segments = pd.DataFrame(columns=["segment_id", "source_id", "source_kind", "role", "turn", "text_redacted"])
    if segments.empty:
        return segments, pd.DataFrame(columns=["passage_id", "segment_id", "char_start", "char_end", "text"])
    return segments.drop(columns=["text"], errors="ignore"), split_into_passages(segments)


class ProjectBuilder:
    """Builds a REFI-QDA ``<Project>`` of a study: users, codebook, selections with codings and memos, notes.

    Guids are derived from the study and the ids (:func:`~workbench.coding.qdc.qda_guid`), or are
    the guids the codes, codings and memos came with from another tool.

    Example:
        >>> import tempfile
        >>> from workbench.storage.store import Store, sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
        >>> empty = pd.DataFrame(columns=["passage_id", "segment_id", "char_start", "char_end", "text"])
        >>> builder = ProjectBuilder("demo", store, Codebook(), empty, None)
        >>> builder.root("demo").get("name"), builder.coders
        ('demo', [])
    """

    def __init__(self, study: str, store: Any, codebook: Codebook, passages: pd.DataFrame,
                 segments: pd.DataFrame | None, user_guids: dict[str, str] | None = None,
                 note_guids: dict[tuple[str, str, str], str] | None = None) -> None:
        from workbench.coding.spans import TurnIndex

        self.study, self.store, self.codebook = study, store, codebook
        self.index = TurnIndex(passages, segments)
        self.coding = code_assignments(store, study)
        self.memos = store.memos(study)
        self.coders = sorted(set(self.coding["coder"].astype(str)) | {m.coder for m in self.memos})
        self.user_guids = {name: self.guid("user", name) for name in self.coders} | dict(user_guids or {})
        self.note_guids = {(m.coder, m.target_kind, m.target_id): self.guid("note", f"{m.coder}/{m.target_kind}/{m.target_id}")
                           for m in self.memos} | dict(note_guids or {})
        self.code_guids = {c.code_id: c.guid or self.guid("code", c.code_id) for c in codebook.codes}
        self.files: dict[str, bytes] = {}
        self.n_sources = self.n_codings = self.skipped = 0
        self.now = _timestamp(datetime.now(timezone.utc))

    def guid(self, kind: str, key: str) -> str:
        """A stable guid of one thing of this study."""
        return qda_guid(self.study, kind, key)

    def root(self, name: str, users: bool = True, codebook: bool = True, code_notes_kept: dict[str, list[str]] | None = None,
             no_colour: set[str] | None = None) -> ET.Element:
        """``<Project>`` with ``<Users>`` and ``<CodeBook>`` (code memos referenced from their codes)."""
        from workbench import __version__

        ET.register_namespace("", PROJECT_NS)
        root = ET.Element(q("Project"), {"name": name, "origin": f"CX Workbench {__version__}", "creationDateTime": self.now})
        if users and self.coders:
            element = ET.SubElement(root, q("Users"))
            for coder in self.coders:
                ET.SubElement(element, q("User"), {"guid": self.user_guids[coder], "name": coder})
        if codebook:
            self.add_codebook(root, code_notes_kept or {}, no_colour or set())
        return root

    def add_codebook(self, root: ET.Element, kept_notes: dict[str, list[str]], no_colour: set[str]) -> None:
        """``<CodeBook>`` of the codebook, with the memos on codes referenced from them."""
        if not self.codebook.codes:
            return
        notes: dict[str, list[str]] = {code_id: list(guids) for code_id, guids in kept_notes.items()}
        for memo in self.memos:
            if memo.target_kind == "code":
                guid = self.note_guids[(memo.coder, memo.target_kind, memo.target_id)]
                if guid not in notes.setdefault(memo.target_id, []):
                    notes[memo.target_id].append(guid)
        codes_element(ET.SubElement(root, q("CodeBook")), self.codebook, self.code_guids, q, notes, no_colour)

    def selections(self, place: Any, skip_origin: str | None = None,
                   skip_notes: set[str] | None = None) -> dict[str, dict[tuple[int, int], dict[str, Any]]]:
        """source_id -> (start, end) -> {passage_id, codings, notes}: where each coding and memo lies.

        ``place(span)`` gives (source_id, start, end) of a turn span in a source text, or None;
        codings whose ``origin`` starts with ``skip_origin`` and memos in ``skip_notes`` are left
        to the caller (they are in an imported project already).
        """
        from workbench.coding.spans import span_from_key

        out: dict[str, dict[tuple[int, int], dict[str, Any]]] = {}

        def entry(span: Any, name: str) -> dict[str, Any] | None:
            where = None if span is None else place(span)
            if where is None:
                return None
            return out.setdefault(where[0], {}).setdefault((where[1], where[2]), {"passage_id": name, "codings": [], "notes": []})

        for row in self.coding.to_dict("records"):
            if skip_origin and str(row.get("origin") or "").startswith(skip_origin):
                continue
            found = entry(self.index.to_turn(row["passage_id"], row["char_start"], row["char_end"]), str(row["passage_id"]))
            if row["code_id"] not in self.code_guids or found is None:
                self.skipped += 1
                continue
            found["codings"].append(row)
            self.n_codings += 1
        for memo in self.memos:
            if skip_notes and self.note_guids[(memo.coder, memo.target_kind, memo.target_id)] in skip_notes:
                continue
            if memo.target_kind in ("passage", "span"):
                span = (self.index.to_turn(memo.target_id, None, None) if memo.target_kind == "passage"
                        else span_from_key(memo.target_id))
                found = entry(span, memo.target_id)
                if found is not None:
                    found["notes"].append(self.note_guids[(memo.coder, memo.target_kind, memo.target_id)])
        return out

    def selection_element(self, parent: ET.Element, source_id: str, start: int, end: int, entry: dict[str, Any],
                          at: int | None = None) -> ET.Element:
        """One ``<PlainTextSelection>`` with its ``<Coding>`` and ``<NoteRef>`` elements."""
        key = f"{entry['passage_id']}/{start}/{end}"
        chosen = ET.Element(q("PlainTextSelection"), {"guid": self.guid("selection", key), "name": entry["passage_id"],
                                                      "startPosition": str(start), "endPosition": str(end)})
        for row in entry["codings"]:
            attributes = {"guid": self.guid("coding", f"{key}/{row['coder']}/{row['code_id']}"),
                          "creatingUser": self.user_guids[str(row["coder"])]}
            if not is_missing(row.get("created_at")):
                attributes["creationDateTime"] = _timestamp(row["created_at"])
            coding_element = ET.SubElement(chosen, q("Coding"), attributes)
            ET.SubElement(coding_element, q("CodeRef"), {"targetGUID": self.code_guids[row["code_id"]]})
        for note in entry["notes"]:
            ET.SubElement(chosen, q("NoteRef"), {"targetGUID": note})
        if at is None:
            parent.append(chosen)
        else:
            parent.insert(at, chosen)
        return chosen

    def add_sources(self, root: ET.Element, sources: list[SourceText],
                    chosen: dict[str, dict[tuple[int, int], dict[str, Any]]] | None = None) -> None:
        """``<Sources>`` with one ``<TextSource>`` per source text (file under ``sources/``) and its selections
        (``chosen``: from :meth:`selections`; by default worked out here)."""
        if not sources:
            return
        chosen = self.selections(source_places(sources)) if chosen is None else chosen
        container = root.find(q("Sources"))
        container = ET.SubElement(root, q("Sources")) if container is None else container
        for source in sources:
            source_guid = self.guid("source", source.source_id)
            self.files[f"sources/{source_guid}.txt"] = source.text.encode("utf-8")
            element = ET.SubElement(container, q("TextSource"), {
                "guid": source_guid, "name": Path(source.source_id).name,
                "plainTextPath": f"internal://{source_guid}.txt", "creationDateTime": self.now,
            })
            ET.SubElement(element, q("Description")).text = f"{source.source_kind}: {source.source_id} (redacted)"
            for (start, end), entry in sorted(chosen.get(source.source_id, {}).items()):
                self.selection_element(element, source.source_id, start, end, entry)
            self.n_sources += 1

    def finish(self, root: ET.Element, kept_notes: set[str] | None = None) -> None:
        """``<Notes>`` with every memo not already among ``kept_notes``, the study memos referenced from the project."""
        kept_notes = kept_notes or set()
        fresh = [m for m in self.memos if self.note_guids[(m.coder, m.target_kind, m.target_id)] not in kept_notes]
        if fresh:
            notes = root.find(q("Notes"))
            notes = ET.SubElement(root, q("Notes")) if notes is None else notes
            for memo in fresh:
                attributes = {"guid": self.note_guids[(memo.coder, memo.target_kind, memo.target_id)],
                              "name": f"Memo by {memo.coder} on {memo.target_kind} {memo.target_id}",
                              "creatingUser": self.user_guids[memo.coder]}
                if memo.created_at is not None:
                    attributes["creationDateTime"] = _timestamp(memo.created_at)
                ET.SubElement(ET.SubElement(notes, q("Note"), attributes), q("PlainTextContent")).text = memo.text
        for memo in fresh:
            if memo.target_kind == "study":
                ET.SubElement(root, q("NoteRef"), {"targetGUID": self.note_guids[(memo.coder, memo.target_kind, memo.target_id)]})


def source_places(sources: list[SourceText]) -> Any:
    """``place(span)``: where a turn span lies in the built source texts, as (source_id, start, end); None elsewhere.

    Example:
        >>> from workbench.coding.spans import TurnSpan
        >>> place = source_places([SourceText("t.txt", "interview", "P01: Too slow.", {"s1": 5})])
        >>> place(TurnSpan("s1", 0, 3)), place(TurnSpan("s9", 0, 3))
        (('t.txt', 5, 8), None)
    """
    offsets = {seg: (s.source_id, offset) for s in sources for seg, offset in s.offsets.items()}

    def place(span: Any) -> tuple[str, int, int] | None:
        found = offsets.get(span.segment_id)
        return None if found is None else (found[0], found[1] + span.start, found[1] + span.end)

    return place


def write_project(out: Path, root: ET.Element, files: dict[str, bytes]) -> Path:
    """Write ``project.qde`` (children in the schema's order) and the source files as a ``.qdpx``, atomically.

    Example:
        >>> import tempfile
        >>> path = write_project(Path(tempfile.mkdtemp()) / "p.qdpx", ET.Element(q("Project"), {"name": "p"}), {})
        >>> zipfile.ZipFile(path).namelist()
        ['project.qde']
    """
    order = {name: i for i, name in enumerate(PROJECT_ORDER)}
    children = list(root)
    for child in children:
        root.remove(child)
    root.extend(sorted(children, key=lambda child: order.get(local(child.tag), len(order))))
    ET.register_namespace("", PROJECT_NS)
    ET.indent(root)
    xml = ET.tostring(root, encoding="utf-8", xml_declaration=True)

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("project.qde", xml)
            for name, data in files.items():
                archive.writestr(name, data)

    return atomic_write(out, write)


def _timestamp(value: Any) -> str:
    """xsd:dateTime in UTC (``2026-09-01T10:00:00Z``); naive datetimes are taken as UTC."""
    moment = pd.Timestamp(value).to_pydatetime()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
