"""REFI-QDA exchange: export a coded study as a ``.qdpx`` project, read and write ``.qdc`` codebooks.

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

Guids are derived from the study and the ids (uuid5), so exporting twice gives the same guids
and a re-import in another tool updates instead of duplicating.

A ``.qdc`` file is the codebook alone (``urn:QDA-XML:codebook:1.0``): :func:`read_qdc`
turns one into a :class:`~workbench.coding.Codebook`, :func:`write_qdc` writes one.

Example:
    >>> import tempfile
    >>> path = write_qdc(Codebook([Code("fees", "Fees"), Code("bag-fee", "Bag fee", parent="fees")]),
    ...                  Path(tempfile.mkdtemp()) / "codebook.qdc")
    >>> [(c.name, c.parent) for c in read_qdc(path)]
    [('Fees', None), ('Bag fee', 'fees')]
"""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.coding import Code, Codebook, CodebookError, load_coding_data, slugify, stored_codebook
from workbench.errors import WorkbenchError
from workbench.fileio import atomic_write
from workbench.schema import is_missing

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
_GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/cx-workbench/refi-qda")


def qda_guid(study: str, kind: str, key: str) -> str:
    """A stable REFI-QDA guid for one thing of a study (same inputs, same guid).

    Example:
        >>> qda_guid("skylark", "code", "pricing") == qda_guid("skylark", "code", "pricing")
        True
        >>> len(qda_guid("skylark", "code", "pricing"))
        36
    """
    return str(uuid.uuid5(_GUID_NAMESPACE, f"{study}\x1f{kind}\x1f{key}"))


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
        store: the study's :class:`~workbench.store.Store` (default: the one of the results folder).
        codebook: the codebook to export (default: the study's codebook in the store).
        project_name: the project's name (default: the study folder's name).

    Raises:
        WorkbenchError: the results folder or its passages/segments are missing, or ``out`` is not ``.qdpx``.

    Example:
        >>> export_qdpx("interview_data", "skylark.qdpx").summary()  # doctest: +SKIP
        'skylark.qdpx: 21 sources, 26 codes, 40 codings by 2 coders, 3 memos'
    """
    from workbench.coding import code_assignments
    from workbench.store import Store
    from workbench.study import store_url, study_key

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
        _codes_element(ET.SubElement(root, q("CodeBook")), codebook, code_guids, q, code_notes)

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


def _codes_element(parent: ET.Element, codebook: Codebook, guids: dict[str, str], q: Any,
                   notes: dict[str, str] | None = None) -> None:
    """``<Codes>`` with nested ``<Code>`` elements (Description, NoteRef, child codes, in the schema's order)."""
    codes = ET.SubElement(parent, q("Codes"))

    def add(container: ET.Element, code: Code) -> None:
        element = ET.SubElement(container, q("Code"), {
            "guid": guids[code.code_id], "name": code.name, "isCodable": "true" if code.codable else "false",
            **({"color": code.colour} if code.colour else {}),
        })
        if code.description:
            ET.SubElement(element, q("Description")).text = code.description
        if notes and code.code_id in notes:
            ET.SubElement(element, q("NoteRef"), {"targetGUID": notes[code.code_id]})
        for child in codebook.children(code.code_id):
            add(element, child)

    for top in codebook.children(None):
        add(codes, top)


def _timestamp(value: Any) -> str:
    """xsd:dateTime in UTC (``2026-09-01T10:00:00Z``); naive datetimes are taken as UTC."""
    moment = pd.Timestamp(value).to_pydatetime()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------------------- .qdc codebooks


def write_qdc(codebook: Codebook, path: Path | str, study: str = "codebook") -> Path:
    """Write a codebook as a REFI-QDA ``.qdc`` file (atomically).

    Example:
        >>> import tempfile
        >>> path = write_qdc(Codebook([Code("fees", "Fees", "Any fee or charge")]), Path(tempfile.mkdtemp()) / "c.qdc")
        >>> b'urn:QDA-XML:codebook:1.0' in path.read_bytes()
        True
    """
    from workbench import __version__

    ET.register_namespace("", CODEBOOK_NS)
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": f"CX Workbench {__version__}"})
    guids = {c.code_id: c.guid or qda_guid(study, "code", c.code_id) for c in codebook.codes}
    _codes_element(root, codebook, guids, lambda tag: f"{{{CODEBOOK_NS}}}{tag}")
    ET.indent(root)
    xml = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return atomic_write(Path(path), lambda tmp: tmp.write_bytes(xml))


def read_qdc(path: Path | str) -> Codebook:
    """Read a REFI-QDA codebook (``.qdc``) into a :class:`~workbench.coding.Codebook`.

    Code ids are the slugs of the names (made unique with ``-2``, ``-3``… where names repeat);
    the REFI guids, colours, descriptions and the nesting are kept.

    Raises:
        CodebookError: naming the file and the code (not XML, not a codebook, a code without name or guid).

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "book.qdc"
        >>> _ = path.write_text('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        ...     '<Code guid="0b5c5a6e-6b44-4a57-9a1c-5d6f1e4e9b10" name="Fees" isCodable="true" color="#dc2626">'
        ...     '<Description>Any fee</Description></Code></Codes></CodeBook>')
        >>> code = read_qdc(path).get("fees")
        >>> code.description, code.colour, code.guid
        ('Any fee', '#dc2626', '0b5c5a6e-6b44-4a57-9a1c-5d6f1e4e9b10')
    """
    path = Path(path)
    if not path.is_file():
        raise CodebookError(f"{path}: no such codebook file; check the path")
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        raise CodebookError(f"{path}: not valid XML ({error}); export the codebook again as REFI-QDA .qdc") from error
    if root.tag not in (f"{{{CODEBOOK_NS}}}CodeBook", f"{{{PROJECT_NS}}}Project"):
        raise CodebookError(f"{path}: the root is <{root.tag}>, not a REFI-QDA <CodeBook> ({CODEBOOK_NS}); export a .qdc codebook")
    ns = root.tag[1:].split("}")[0]
    codes_element = root.find(f".//{{{ns}}}Codes")
    if codes_element is None:
        raise CodebookError(f"{path}: has no <Codes>; export a codebook that holds codes")
    codes: list[Code] = []
    used: set[str] = set()

    def visit(element: ET.Element, parent: str | None) -> None:
        for child in element.findall(f"{{{ns}}}Code"):
            name = (child.get("name") or "").strip()
            guid = (child.get("guid") or "").strip()
            where = f"{path}, code {name or '(no name)'}"
            if not name:
                raise CodebookError(f"{where}: a Code without name (guid {guid or '?'}); name it in the source tool")
            if not guid:
                raise CodebookError(f"{where}: a Code without guid; export the codebook again from the source tool")
            code_id = _unique(slugify(name), used)
            description = child.findtext(f"{{{ns}}}Description") or ""
            colour = child.get("color")
            codes.append(Code(code_id, name, description.strip(), parent=parent,
                              colour=colour if colour and colour.startswith("#") else None,
                              codable=(child.get("isCodable", "true").strip().lower() != "false"),
                              source="qdc", guid=guid))
            visit(child, code_id)

    visit(codes_element, None)
    if not codes:
        raise CodebookError(f"{path}: <Codes> is empty; export a codebook that holds codes")
    return Codebook(codes, name=path.stem, where=str(path))


def _unique(code_id: str, used: set[str]) -> str:
    candidate, n = code_id, 1
    while candidate in used:
        n += 1
        candidate = f"{code_id}-{n}"
    used.add(candidate)
    return candidate

