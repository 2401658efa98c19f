"""A REFI-QDA project file read as it is: its ``project.qde`` XML, the text of every text source, the other files.

:func:`read_qdpx` opens a ``.qdpx`` (a zip of ``project.qde`` and ``sources/``) or a bare
``.qde`` and gives a :class:`QdaArchive`: the parsed XML (namespace ``urn:QDA-XML:project:1.0``,
REFI-QDA Project 1.0/1.5), the plain text of each ``TextSource`` (from ``PlainTextContent`` or
its ``plainTextPath``: ``internal://NAME.txt`` is ``sources/NAME.txt`` in the zip), and every
other file of the zip byte for byte. :func:`project_elements` lists a project's elements as
plain tuples (users, codes, variables, cases, sources, selections, codings, notes, sets, links,
graphs), so two projects can be compared element by element, whichever tool wrote them.

Example:
    >>> q("Code"), local(q("Code"))
    ('{urn:QDA-XML:project:1.0}Code', 'Code')
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from workbench.coding.codebook import CodebookError

PROJECT_NS = "urn:QDA-XML:project:1.0"
#: the order Project.xsd requires for the children of <Project>
PROJECT_ORDER = ("Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links", "Sets", "Graphs",
                 "Description", "NoteRef")
#: the source kinds of Project.xsd; only TextSource carries text the workbench can code
SOURCE_KINDS = ("TextSource", "PictureSource", "PDFSource", "AudioSource", "VideoSource")


class QdpxError(CodebookError):
    """A REFI-QDA project file cannot be read; the message names the file, the element and the fix.

    Example:
        >>> str(QdpxError("p.qdpx: no project.qde inside; export the project again"))
        'p.qdpx: no project.qde inside; export the project again'
    """


def q(tag: str) -> str:
    """The namespaced name of a REFI-QDA project element."""
    return f"{{{PROJECT_NS}}}{tag}"


def local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.split("}", 1)[-1]


@dataclass
class QdaArchive:
    """A REFI-QDA project as read: the XML root, the texts of text sources (by guid), and the zip's other files.

    Example:
        >>> QdaArchive(Path("p.qdpx"), ET.Element(q("Project"), {"name": "p"})).name
        'p'
    """

    path: Path
    root: ET.Element
    texts: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    missing_texts: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The project's name."""
        return self.root.get("name") or self.path.stem


def read_qdpx(path: Path | str) -> QdaArchive:
    """Read a ``.qdpx`` (or a bare ``.qde``) project as it is.

    A text source whose text is neither inside nor in the zip is listed in ``missing_texts``
    (guid -> why), not dropped.

    Raises:
        QdpxError: the file is missing, not a zip or not XML, or not a REFI-QDA project.

    Example:
        >>> import tempfile, io
        >>> path = Path(tempfile.mkdtemp()) / "p.qdpx"
        >>> with zipfile.ZipFile(path, "w") as z:
        ...     z.writestr("project.qde", '<Project xmlns="urn:QDA-XML:project:1.0" name="P"><Sources>'
        ...         '<TextSource guid="a1b2c3d4-0000-0000-0000-000000000001" name="i1" plainTextPath="internal://x.txt"/>'
        ...         '</Sources></Project>')
        ...     z.writestr("sources/x.txt", "Hello there")
        >>> read_qdpx(path).texts
        {'a1b2c3d4-0000-0000-0000-000000000001': 'Hello there'}
    """
    path = Path(path)
    if not path.is_file():
        raise QdpxError(f"{path}: no such project file; check the path")
    files: dict[str, bytes] = {}
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            qde = next((n for n in names if n.lower().endswith(".qde")), None)
            if qde is None:
                raise QdpxError(f"{path}: no project.qde inside; export the project again as REFI-QDA (.qdpx)")
            xml = archive.read(qde)
            files = {n: archive.read(n) for n in names if n != qde and not n.endswith("/")}
    else:
        xml = path.read_bytes()
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as error:
        raise QdpxError(f"{path}: project.qde is not valid XML ({error}); export the project again") from error
    if root.tag != q("Project"):
        raise QdpxError(f"{path}: the root is <{root.tag}>, not a REFI-QDA <Project> ({PROJECT_NS}); "
                        "export a REFI-QDA project (.qdpx), or import a codebook (.qdc) with --codebook")
    archive = QdaArchive(path, root, files=files)
    for source in root.iterfind(f"{q('Sources')}/{q('TextSource')}"):
        guid = source.get("guid") or ""
        content = source.find(q("PlainTextContent"))
        if content is not None:
            archive.texts[guid] = content.text or ""
            continue
        where = (source.get("plainTextPath") or "").strip()
        name = where[len("internal://"):] if where.startswith("internal://") else None
        found = next((files[n] for n in (f"sources/{name}", f"Sources/{name}", name) if name and n in files), None)
        if found is None:
            archive.missing_texts[guid] = (f"its text {where or '(no plainTextPath)'} is not inside the project file"
                                           if where else "it has neither PlainTextContent nor plainTextPath")
            continue
        archive.texts[guid] = _decode(found)
    return archive


def _decode(data: bytes) -> str:
    """A source file's text: UTF-8 (with or without BOM), or UTF-16 when it starts with its BOM.

    Example:
        >>> _decode("Olá".encode("utf-16")), _decode("Hi".encode("utf-8-sig"))
        ('Olá', 'Hi')
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    return data.decode("utf-8-sig", errors="replace")


def _refs(element: ET.Element, tag: str) -> tuple[str, ...]:
    return tuple(ref.get("targetGUID", "") for ref in element.findall(q(tag)))


def project_elements(root: ET.Element, texts: dict[str, str] | None = None) -> dict[str, set[tuple]]:
    """Every element of a project as plain tuples, by kind, to compare two projects element by element.

    Kinds: users, codes (with parent and notes), variables, cases (values, sources), sources
    (kind, name, the text's length and content when given), selections (source, offsets, name),
    codings (selection, code, user), notes (name, user, text), sets (members), links, graphs, and
    the project's own notes.

    Example:
        >>> root = ET.fromstring('<Project xmlns="urn:QDA-XML:project:1.0" name="P"><CodeBook><Codes>'
        ...     '<Code guid="c1" name="Fees" isCodable="true"/></Codes></CodeBook></Project>')
        >>> project_elements(root)["codes"]
        {('c1', 'Fees', 'true', None, '', None, ())}
    """
    out: dict[str, set[tuple]] = {kind: set() for kind in (
        "users", "codes", "variables", "cases", "sources", "selections", "codings", "notes", "sets", "links",
        "graphs", "project_notes")}
    for user in root.iterfind(f"{q('Users')}/{q('User')}"):
        out["users"].add((user.get("guid"), user.get("name"), user.get("id")))

    def code(element: ET.Element, parent: str | None) -> None:
        out["codes"].add((element.get("guid"), element.get("name"), element.get("isCodable"), element.get("color"),
                          (element.findtext(q("Description")) or "").strip(), parent, _refs(element, "NoteRef")))
        for child in element.findall(q("Code")):
            code(child, element.get("guid"))

    for top in root.iterfind(f"{q('CodeBook')}/{q('Codes')}/{q('Code')}"):
        code(top, None)
    for variable in root.iterfind(f"{q('Variables')}/{q('Variable')}"):
        out["variables"].add((variable.get("guid"), variable.get("name"), variable.get("typeOfVariable"),
                              (variable.findtext(q("Description")) or "").strip()))
    for case in root.iterfind(f"{q('Cases')}/{q('Case')}"):
        out["cases"].add((case.get("guid"), case.get("name"), (case.findtext(q("Description")) or "").strip(),
                          _refs(case, "CodeRef"), _values(case), _refs(case, "SourceRef"), _refs(case, "SelectionRef")))
    sources = root.find(q("Sources"))
    for source in (list(sources) if sources is not None else []):
        guid = source.get("guid")
        text = (texts or {}).get(guid or "")
        out["sources"].add((guid, local(source.tag), source.get("name"), text, _values(source),
                            _refs(source, "NoteRef"), tuple(_coding(c) for c in source.findall(q("Coding")))))
        for selection in source:
            if local(selection.tag).endswith("Selection"):
                out["selections"].add((selection.get("guid"), guid, local(selection.tag),
                                       tuple(sorted((k, v) for k, v in selection.attrib.items()
                                                    if k not in ("guid", "creationDateTime", "modifiedDateTime"))),
                                       _refs(selection, "NoteRef")))
                for coding in selection.findall(q("Coding")):
                    out["codings"].add((selection.get("guid"),) + _coding(coding))
    for note in root.iterfind(f"{q('Notes')}/{q('Note')}"):
        out["notes"].add((note.get("guid"), note.get("name"), note.get("creatingUser"),
                          (note.findtext(q("PlainTextContent")) or "").strip()))
    for kind, tag in (("sets", "Set"), ("links", "Link"), ("graphs", "Graph")):
        for element in root.iterfind(f"{q(tag + 's')}/{q(tag)}"):
            out[kind].add((element.get("guid"), _canonical(element)))
    out["project_notes"] = {_refs(root, "NoteRef")}
    return out


def _canonical(element: ET.Element) -> tuple:
    """An element and everything in it as nested tuples (tag, attributes, text), white space between tags ignored."""
    return (local(element.tag), tuple(sorted(element.attrib.items())), (element.text or "").strip(),
            tuple(_canonical(child) for child in element))


def _values(element: ET.Element) -> tuple[tuple[str, str, str], ...]:
    values = []
    for value in element.findall(q("VariableValue")):
        ref = value.find(q("VariableRef"))
        typed = next((child for child in value if child.tag != q("VariableRef")), None)
        values.append(("" if ref is None else ref.get("targetGUID", ""), "" if typed is None else local(typed.tag),
                       "" if typed is None else (typed.text or "").strip()))
    return tuple(sorted(values))


def _coding(coding: ET.Element) -> tuple[str | None, str, str | None]:
    ref = coding.find(q("CodeRef"))
    return coding.get("guid"), "" if ref is None else ref.get("targetGUID", ""), coding.get("creatingUser")
