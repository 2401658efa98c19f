"""REFI-QDA codebooks: stable guids, the ``<Codes>`` element, and ``.qdc`` files read and written.

REFI-QDA (www.qdasoftware.org) is the exchange standard of QDA tools (ATLAS.ti, MAXQDA, NVivo,
QualCoder…). A ``.qdc`` file is the codebook alone (``urn:QDA-XML:codebook:1.0``):
:func:`read_qdc` turns one into a :class:`~workbench.coding.codebook.Codebook`, :func:`write_qdc`
writes one. The same ``<Codes>`` element (:func:`codes_element`) and guids (:func:`qda_guid`) go
into a whole project (:mod:`workbench.coding.qdpx`).

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
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path

from workbench.coding.codebook import Code, Codebook, CodebookError, slugify
from workbench.storage.files import atomic_write

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


def codes_element(parent: ET.Element, codebook: Codebook, guids: dict[str, str], q: Callable[[str], str],
                  notes: Mapping[str, str | Sequence[str]] | None = None, no_colour: Collection[str] = ()) -> None:
    """Add ``<Codes>`` with nested ``<Code>`` elements (Description, NoteRef, child codes, in the schema's order).

    ``guids`` maps code ids to REFI guids, ``q`` turns a tag into its namespaced name, ``notes``
    maps code ids to the guid (or guids) of memos on the code; codes in ``no_colour`` are written
    without a colour (they came without one).

    Example:
        >>> root = ET.Element("CodeBook")
        >>> book = Codebook([Code("fees", "Fees", colour="#dc2626"), Code("bag", "Bag fee", parent="fees", colour="#2563eb")])
        >>> codes_element(root, book, {"fees": "g-1", "bag": "g-2"}, lambda tag: tag)
        >>> ET.tostring(root).decode()
        '<CodeBook><Codes><Code guid="g-1" name="Fees" isCodable="true" color="#dc2626"><Code guid="g-2" name="Bag fee" isCodable="true" color="#2563eb" /></Code></Codes></CodeBook>'
    """
    codes = ET.SubElement(parent, q("Codes"))

    def add(container: ET.Element, code: Code) -> None:
        element = ET.SubElement(container, q("Code"), {
            "guid": guids[code.code_id], "name": code.name, "isCodable": "true" if code.codable else "false",
            **({"color": code.colour} if code.colour and code.code_id not in no_colour else {}),
        })
        if code.description:
            ET.SubElement(element, q("Description")).text = code.description
        found = (notes or {}).get(code.code_id) or []
        for note in [found] if isinstance(found, str) else found:
            ET.SubElement(element, q("NoteRef"), {"targetGUID": note})
        for child in codebook.children(code.code_id):
            add(element, child)

    for top in codebook.children(None):
        add(codes, top)


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
    codes_element(root, codebook, guids, lambda tag: f"{{{CODEBOOK_NS}}}{tag}")
    ET.indent(root)
    xml = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return atomic_write(Path(path), lambda tmp: tmp.write_bytes(xml))


def read_qdc(path: Path | str) -> Codebook:
    """Read a REFI-QDA codebook (``.qdc``) into a :class:`~workbench.coding.codebook.Codebook`.

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
