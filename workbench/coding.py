"""Qualitative coding: a codebook (YAML), code assignments by coder, memos, and code tables.

A **codebook** is a tree of codes (name, description, parent, colour, examples). It is kept
as YAML next to the study so it can be read, reviewed and versioned, and in the study's store
so every coder's kernel sees the same codes. A starter codebook comes from the CX lenses
(one code per CX element, UX element and touchpoint), and a pain point the analysis found can
become a code in one call (:func:`code_from_painpoint`).

**Code assignments** are one coder's decisions about one passage (or a character span of it):
the store keeps every toggle, and the codes in force are the latest decision per
(coder, passage, code, span). **Memos** are a coder's notes on a passage, a code or the study.

The tables here are tidy DataFrames: :func:`code_assignments` (one row per code in force),
:func:`code_cooccurrence` (code x code), :func:`code_by_persona` and :func:`code_by_segment`
(code x persona / participant segment), each with a plotly heatmap
(:func:`heatmap_figure`). Inter-coder agreement lives in :mod:`workbench.agreement`.

Only redacted text is read: passages' ``text`` and segments' ``text_redacted``.

Example:
    >>> codebook = starter_codebook()
    >>> codebook.get("pricing").parent, codebook.get("cx-elements").codable
    ('cx-elements', False)
    >>> len(codebook.codable())
    23
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from workbench.errors import WorkbenchError
from workbench.schema import is_missing

if TYPE_CHECKING:  # pragma: no cover - typing only
    import plotly.graph_objects as go

    from workbench.lenses import Lens
    from workbench.store import Store

#: categorical colours given to codes that have none (colour-blind friendly, readable on white)
CODE_COLOURS = (
    "#2563eb", "#d97706", "#059669", "#db2777", "#7c3aed", "#0891b2", "#65a30d", "#dc2626",
    "#4f46e5", "#ca8a04", "#0d9488", "#c026d3",
)
#: the dimension labels of the default lenses that are UX elements; the other dimensions are CX elements
UX_ELEMENTS = ("usability", "navigation", "interaction design", "visual design", "information architecture", "content")
CODE_KEYS = ("id", "name", "description", "parent", "colour", "color", "examples", "codable", "source", "guid")
OTHER_PAINPOINT = "other"
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


class CodebookError(WorkbenchError):
    """A codebook file or code is invalid; the message names the file and the code, and the fix.

    Example:
        >>> str(CodebookError("codebook.yaml, code 'pricing': parent 'cx' is not a code; add it"))
        "codebook.yaml, code 'pricing': parent 'cx' is not a code; add it"
    """


def slugify(name: str) -> str:
    """A code id made from a name: lower case, words joined by hyphens.

    Example:
        >>> slugify("Refund for the cancelled flight!"), slugify("delivery/fulfilment")
        ('refund-for-the-cancelled-flight', 'delivery-fulfilment')
    """
    slug = re.sub(r"[^0-9a-z]+", "-", str(name).lower()).strip("-")
    return slug or "code"


@dataclass(frozen=True)
class Code:
    """One code of a codebook.

    Attributes:
        code_id: stable id (defaults to the slug of the name in files).
        name: what coders see.
        description: when to apply the code (and when not to).
        parent: ``code_id`` of the parent code, or None for a top-level code.
        colour: ``#rrggbb``.
        examples: short example quotes (redacted text only).
        codable: False for a category that only groups codes.
        source: where the code came from (``lens:dimension``, ``painpoint:PP06``, ``qdc``…).
        guid: the REFI-QDA guid when the code came from another QDA tool.

    Example:
        >>> Code("pricing", "Pricing", parent="cx-elements").fields()["parent"]
        'cx-elements'
    """

    code_id: str
    name: str
    description: str = ""
    parent: str | None = None
    colour: str | None = None
    examples: tuple[str, ...] = ()
    codable: bool = True
    source: str | None = None
    guid: str | None = None

    def fields(self) -> dict[str, Any]:
        """The code as the store keeps it (everything but the id).

        Example:
            >>> sorted(Code("a", "A").fields())
            ['codable', 'colour', 'description', 'examples', 'guid', 'name', 'parent', 'source']
        """
        return {
            "name": self.name, "description": self.description, "parent": self.parent, "colour": self.colour,
            "examples": list(self.examples), "codable": self.codable, "source": self.source, "guid": self.guid,
        }

    @classmethod
    def from_fields(cls, code_id: str, fields: Mapping[str, Any]) -> Code:
        """Rebuild a code from :meth:`fields`.

        Example:
            >>> Code.from_fields("a", {"name": "A", "examples": ["x"]}).examples
            ('x',)
        """
        return cls(
            code_id=code_id, name=str(fields.get("name") or code_id), description=str(fields.get("description") or ""),
            parent=fields.get("parent") or None, colour=fields.get("colour") or None,
            examples=tuple(str(e) for e in fields.get("examples") or ()), codable=bool(fields.get("codable", True)),
            source=fields.get("source") or None, guid=fields.get("guid") or None,
        )


@dataclass
class Codebook:
    """A tree of codes, in the order coders see them.

    Codes are checked when the codebook is made: ids are unique, every parent is a code of the
    book, there is no cycle, colours are ``#rrggbb``. Codes without a colour get one.

    Args:
        codes: the codes, parents before or after their children.
        name: the codebook's title.
        where: the file it came from, named in error messages.

    Example:
        >>> book = Codebook([Code("cx", "CX elements", codable=False), Code("pricing", "Pricing", parent="cx")])
        >>> [c.code_id for c in book.children("cx")], book.get("pricing").colour
        (['pricing'], '#d97706')
        >>> Codebook([Code("pricing", "Pricing", parent="cx")])
        Traceback (most recent call last):
        ...
        workbench.coding.CodebookError: codebook, code 'pricing': parent 'cx' is not a code of this codebook; add it or remove the parent
    """

    codes: list[Code] = field(default_factory=list)
    name: str = "Codebook"
    where: str = "codebook"

    def __post_init__(self) -> None:
        self.codes = _checked_codes(list(self.codes), self.where)

    def __len__(self) -> int:
        return len(self.codes)

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __contains__(self, code_id: object) -> bool:
        return any(code.code_id == code_id for code in self.codes)

    def get(self, code: str) -> Code:
        """The code with this id (or, failing that, this name, in any case).

        Example:
            >>> starter_codebook().get("Customer service").code_id
            'customer-service'
        """
        for candidate in self.codes:
            if candidate.code_id == code:
                return candidate
        for candidate in self.codes:
            if candidate.name.casefold() == str(code).casefold():
                return candidate
        known = ", ".join(c.code_id for c in self.codes[:12]) + (" …" if len(self.codes) > 12 else "")
        raise CodebookError(f"{self.where}: no code {code!r}; known codes: {known}")

    def add(self, code: Code) -> Code:
        """Add a code, or replace the code with the same id; return it as stored (with a colour).

        Example:
            >>> book = Codebook([Code("a", "A")])
            >>> book.add(Code("b", "B", parent="a")).colour, len(book)
            ('#d97706', 2)
        """
        codes = [c for c in self.codes if c.code_id != code.code_id]
        position = next((i for i, c in enumerate(self.codes) if c.code_id == code.code_id), len(codes))
        codes.insert(position, code)
        self.codes = _checked_codes(codes, self.where)
        return self.get(code.code_id)

    def remove(self, code_id: str) -> None:
        """Remove a code; its children move up to its parent.

        Example:
            >>> book = Codebook([Code("a", "A"), Code("b", "B", parent="a")])
            >>> book.remove("a"); book.get("b").parent is None
            True
        """
        removed = self.get(code_id)
        self.codes = [
            replace(c, parent=removed.parent) if c.parent == removed.code_id else c
            for c in self.codes
            if c.code_id != removed.code_id
        ]

    def children(self, code_id: str | None = None) -> list[Code]:
        """The codes whose parent is ``code_id`` (None: the top-level codes).

        Example:
            >>> [c.name for c in starter_codebook(touchpoints=False).children()]
            ['CX elements', 'UX elements']
        """
        return [c for c in self.codes if c.parent == code_id]

    def walk(self) -> list[tuple[int, Code]]:
        """Every code with its depth, parents first (the order coders see).

        Example:
            >>> [(depth, c.code_id) for depth, c in Codebook([Code("a", "A"), Code("b", "B", parent="a")]).walk()]
            [(0, 'a'), (1, 'b')]
        """
        order: list[tuple[int, Code]] = []

        def visit(parent: str | None, depth: int) -> None:
            for child in self.children(parent):
                order.append((depth, child))
                visit(child.code_id, depth + 1)

        visit(None, 0)
        return order

    def codable(self) -> list[Code]:
        """The codes a coder can apply, in tree order.

        Example:
            >>> [c.code_id for c in Codebook([Code("a", "A", codable=False), Code("b", "B", parent="a")]).codable()]
            ['b']
        """
        return [code for _, code in self.walk() if code.codable]

    def names(self) -> dict[str, str]:
        """code_id -> name.

        Example:
            >>> Codebook([Code("a", "Apples")]).names()
            {'a': 'Apples'}
        """
        return {c.code_id: c.name for c in self.codes}

    def to_frame(self) -> pd.DataFrame:
        """One row per code in tree order: code_id, name, parent, depth, codable, colour, description, examples.

        Example:
            >>> starter_codebook().to_frame()[["code_id", "parent", "depth"]].head(2)
                        code_id       parent  depth
            0       cx-elements          NaN      0
            1  customer-service  cx-elements      1
        """
        rows = [
            {"code_id": c.code_id, "name": c.name, "parent": c.parent, "depth": depth, "codable": c.codable,
             "colour": c.colour, "description": c.description, "examples": list(c.examples), "source": c.source}
            for depth, c in self.walk()
        ]
        columns = ["code_id", "name", "parent", "depth", "codable", "colour", "description", "examples", "source"]
        return pd.DataFrame(rows, columns=columns)


def _checked_codes(codes: list[Code], where: str) -> list[Code]:
    seen: set[str] = set()
    for code in codes:
        if not isinstance(code, Code):
            raise CodebookError(f"{where}: {code!r} is not a Code; build codes with Code(code_id, name, ...)")
        label = f"{where}, code {code.code_id!r}"
        if not str(code.code_id).strip() or not str(code.name).strip():
            raise CodebookError(f"{label}: a code needs an id and a name")
        if code.code_id in seen:
            raise CodebookError(f"{label}: the id is used twice; give each code its own id")
        seen.add(code.code_id)
        if code.colour is not None and not _COLOUR.match(str(code.colour)):
            raise CodebookError(f"{label}: colour {code.colour!r} is not #rrggbb; write it like \"#2563eb\"")
    for code in codes:
        if code.parent is not None and code.parent not in seen:
            raise CodebookError(
                f"{where}, code {code.code_id!r}: parent {code.parent!r} is not a code of this codebook; "
                "add it or remove the parent"
            )
    parents = {c.code_id: c.parent for c in codes}
    for code in codes:
        chain, node = [code.code_id], code.parent
        while node is not None:
            if node in chain:
                raise CodebookError(f"{where}, code {code.code_id!r}: parents form a cycle ({' -> '.join(chain + [node])}); break it")
            chain.append(node)
            node = parents[node]
    used = {c.colour for c in codes if c.colour}
    out = []
    for index, code in enumerate(codes):
        if not code.colour:
            colour = next((c for c in CODE_COLOURS if c not in used), CODE_COLOURS[index % len(CODE_COLOURS)])
            used.add(colour)
            code = replace(code, colour=colour)
        out.append(code)
    return out


# ---------------------------------------------------------------------------------------- YAML files


def load_codebook(path: Path | str) -> Codebook:
    """Read a codebook from YAML (``name:`` and a list of ``codes:``).

    Each code has ``name`` and optionally ``id`` (default: the slug of the name),
    ``description``, ``parent`` (the id or name of another code), ``colour``, ``examples``
    (a list of quotes), ``codable`` (false for a category). ``.qdc`` files (REFI-QDA) are
    read too.

    Raises:
        CodebookError: naming the file, the code and the fix.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "codebook.yaml"
        >>> _ = path.write_text("name: Refunds\\ncodes:\\n  - name: Refunds\\n  - name: Slow refund\\n    parent: Refunds\\n")
        >>> book = load_codebook(path)
        >>> book.get("slow-refund").parent
        'refunds'
        >>> _ = path.write_text("codes:\\n  - name: Slow refund\\n    parent: Refunds\\n")
        >>> load_codebook(path)
        Traceback (most recent call last):
        ...
        workbench.coding.CodebookError: .../codebook.yaml, code 'slow-refund': parent 'Refunds' is not a code of this codebook; add it or remove the parent
    """
    import yaml

    path = Path(path)
    if path.suffix.lower() == ".qdc":
        from workbench.qdpx import read_qdc

        return read_qdc(path)
    if not path.is_file():
        raise CodebookError(f"{path}: no such codebook file; check the path (or start from starter_codebook())")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise CodebookError(f"{path}{line}: not valid YAML ({problem}); fix the indentation or quoting there") from error
    except UnicodeDecodeError as error:
        raise CodebookError(f"{path}: not UTF-8 text; save the codebook as UTF-8") from error
    if not isinstance(data, Mapping) or not isinstance(data.get("codes"), list):
        raise CodebookError(f"{path}: expected `codes:` with a list of codes (each `- name: ...`); see save_codebook() for the layout")
    return codebook_from_records(data["codes"], name=str(data.get("name") or path.stem), where=str(path))


def codebook_from_records(records: Sequence[Any], name: str = "Codebook", where: str = "codebook") -> Codebook:
    """A codebook from a list of dicts as in the YAML file (parents by id or by name).

    Example:
        >>> book = codebook_from_records([{"name": "Fees", "colour": "#dc2626"}, {"name": "Bag fee", "parent": "Fees"}])
        >>> book.get("bag-fee").parent, book.get("fees").colour
        ('fees', '#dc2626')
    """
    codes: list[Code] = []
    for index, record in enumerate(records, start=1):
        if not isinstance(record, Mapping):
            raise CodebookError(f"{where}, code {index}: expected `name: ...` and other keys, got {record!r}")
        code_name = record.get("name")
        label = f"{where}, code {index}"
        if not isinstance(code_name, str) or not code_name.strip():
            raise CodebookError(f"{label}: has no name; add `name: ...`")
        label = f"{where}, code {code_name.strip()!r}"
        unknown = sorted(str(k) for k in record if k not in CODE_KEYS)
        if unknown:
            raise CodebookError(f"{label}: unknown key(s) {', '.join(unknown)}; use {', '.join(CODE_KEYS[:8])}")
        examples = record.get("examples") or []
        if isinstance(examples, str):
            examples = [examples]
        if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
            raise CodebookError(f"{label}: examples must be a list of quotes (`- \"...\"`)")
        codable = record.get("codable", True)
        if not isinstance(codable, bool):
            raise CodebookError(f"{label}: codable must be true or false, got {codable!r}")
        colour = record.get("colour", record.get("color"))
        codes.append(Code(
            code_id=str(record.get("id") or slugify(code_name)).strip(), name=code_name.strip(),
            description=str(record.get("description") or "").strip(), parent=record.get("parent"),
            colour=str(colour) if colour is not None else None, examples=tuple(examples), codable=codable,
            source=record.get("source"), guid=record.get("guid"),
        ))
    ids = {c.code_id for c in codes}
    by_name = {c.name.casefold(): c.code_id for c in codes}
    resolved = []
    for code in codes:
        parent = code.parent
        if parent is not None and parent not in ids:
            parent = by_name.get(str(parent).casefold(), parent)
        resolved.append(replace(code, parent=None if parent is None else str(parent)))
    return Codebook(resolved, name=name, where=where)


def save_codebook(codebook: Codebook, path: Path | str) -> Path:
    """Write a codebook as YAML (atomically); :func:`load_codebook` reads it back unchanged.

    Example:
        >>> import tempfile
        >>> path = save_codebook(starter_codebook(), Path(tempfile.mkdtemp()) / "codebook.yaml")
        >>> load_codebook(path).codes == starter_codebook().codes
        True
    """
    import yaml

    from workbench.fileio import atomic_write

    records = []
    for code in codebook.codes:
        record: dict[str, Any] = {"id": code.code_id, "name": code.name}
        for key, value in (("parent", code.parent), ("description", code.description), ("colour", code.colour),
                           ("examples", list(code.examples)), ("source", code.source), ("guid", code.guid)):
            if value:
                record[key] = value
        if not code.codable:
            record["codable"] = False
        records.append(record)
    text = "# CX Workbench codebook: edit freely; each code needs a name, parents are ids or names.\n"
    text += yaml.safe_dump({"name": codebook.name, "codes": records}, sort_keys=False, allow_unicode=True, width=100)
    return atomic_write(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))


# ---------------------------------------------------------------------------------------- codes from the analysis


def starter_codebook(
    lenses: Mapping[str, Lens] | None = None, touchpoints: bool = True, stages: bool = False
) -> Codebook:
    """A first codebook from the CX lenses: one code per CX element and UX element, grouped.

    ``touchpoints`` adds a "Touchpoints" group (one code each), ``stages`` a "Journey stages"
    group. Pass a study's lenses (``lenses_from_config(...)``) to follow its ``study.toml``.

    Example:
        >>> book = starter_codebook(stages=True)
        >>> [c.name for c in book.children()]
        ['CX elements', 'UX elements', 'Touchpoints', 'Journey stages']
        >>> book.get("navigation").parent, book.get("tp-mobile-app").name
        ('ux-elements', 'mobile app')
    """
    from workbench.lenses import default_lenses

    lenses = default_lenses() if lenses is None else lenses
    codes: list[Code] = []

    def group(group_id: str, title: str, description: str, labels: dict[str, str], prefix: str, source: str) -> None:
        if not labels:
            return
        codes.append(Code(group_id, title, description, codable=False, source=source))
        codes.extend(Code(f"{prefix}{slugify(label)}", label, text, parent=group_id, source=source)
                     for label, text in labels.items())

    dimensions = dict(lenses["dimension"].labels) if "dimension" in lenses else {}
    group("cx-elements", "CX elements", "What the story is about: the parts of the customer experience.",
          {k: v for k, v in dimensions.items() if k not in UX_ELEMENTS}, "", "lens:dimension")
    group("ux-elements", "UX elements", "What the story is about: the parts of using the app or website.",
          {k: v for k, v in dimensions.items() if k in UX_ELEMENTS}, "", "lens:dimension")
    if touchpoints and "touchpoint" in lenses:
        group("touchpoints", "Touchpoints", "Where it happened: the channel or place of the interaction.",
              dict(lenses["touchpoint"].labels), "tp-", "lens:touchpoint")
    if stages and "stage" in lenses:
        group("stages", "Journey stages", "When it happened in the customer journey.",
              dict(lenses["stage"].labels), "stage-", "lens:stage")
    return Codebook(codes, name="CX starter codebook")


def painpoint_code_id(label: str) -> str:
    """The id of the code made from a pain point with this label.

    Example:
        >>> painpoint_code_id("Refund for the cancelled")
        'pain-refund-for-the-cancelled'
    """
    return f"pain-{slugify(label)}"


def code_from_painpoint(
    painpoints: pd.DataFrame | Mapping[str, Any], painpoint_id: str | None = None, codebook: Codebook | None = None
) -> Code:
    """Turn a pain point of the analysis into a code; with ``codebook``, add it there too.

    The code is named after the pain point's label, described by its keywords and where it
    sits on the CX map, and carries up to three of its (redacted) quotes as examples. With
    a codebook the code goes under the codebook's code for the pain point's CX/UX dimension.

    Args:
        painpoints: the painpoints table, or one row of it (then ``painpoint_id`` may be left out).
        painpoint_id: which pain point (``PP06``).
        codebook: a codebook to add the code to.

    Example:
        >>> table = pd.DataFrame([{"painpoint_id": "PP06", "label": "Refund for the cancelled",
        ...     "keywords": ["refund", "weeks"], "dimension": "product and delivery", "touchpoint": "email",
        ...     "stage": "support", "quote_texts": ["It took 7 weeks and two complaints."]}])
        >>> book = starter_codebook()
        >>> code = code_from_painpoint(table, "PP06", codebook=book)
        >>> code.code_id, code.parent, code.examples, code.code_id in book
        ('pain-refund-for-the-cancelled', 'product-and-delivery', ('It took 7 weeks and two complaints.',), True)
    """
    row = _painpoint_row(painpoints, painpoint_id)
    label = str(row.get("label") or row.get("painpoint_id") or "").strip()
    pid = str(row.get("painpoint_id") or painpoint_id or "").strip()
    if not label:
        raise CodebookError(f"pain point {pid or '?'} has no label; name it before making it a code")
    if pid == OTHER_PAINPOINT:
        raise CodebookError("the Other bucket is not a pain point; pick a ranked pain point (PP01 ...)")
    keywords = [str(k) for k in _as_list(row.get("keywords"))][:8]
    place = [f"{name}: {row[name]}" for name in ("dimension", "touchpoint", "stage") if not is_missing(row.get(name))]
    description = f"Pain point {pid} found by the analysis."
    if keywords:
        description += f" Keywords: {', '.join(keywords)}."
    if place:
        description += f" {'; '.join(place)}."
    parent = None
    if codebook is not None and not is_missing(row.get("dimension")):
        match = [c for c in codebook.codes if c.name.casefold() == str(row["dimension"]).casefold()]
        parent = match[0].code_id if match else None
    code = Code(
        painpoint_code_id(label), label, description, parent=parent,
        examples=tuple(str(q) for q in _as_list(row.get("quote_texts"))[:3]), source=f"painpoint:{pid}",
    )
    return codebook.add(code) if codebook is not None else code


def _painpoint_row(painpoints: pd.DataFrame | Mapping[str, Any], painpoint_id: str | None) -> dict[str, Any]:
    if isinstance(painpoints, pd.DataFrame):
        if painpoint_id is None:
            raise CodebookError("say which pain point: code_from_painpoint(painpoints, 'PP06')")
        rows = painpoints[painpoints["painpoint_id"].astype(str) == str(painpoint_id)]
        if rows.empty:
            known = ", ".join(painpoints["painpoint_id"].astype(str).head(15))
            raise CodebookError(f"painpoints.parquet: no pain point {painpoint_id!r}; known: {known}")
        return rows.iloc[0].to_dict()
    return dict(painpoints)


def _as_list(value: Any) -> list[Any]:
    if value is None or isinstance(value, str):
        return [] if value is None or value == "" else [value]
    try:
        return [v for v in list(value) if not is_missing(v)]
    except TypeError:
        return [] if is_missing(value) else [value]


# ---------------------------------------------------------------------------------------- the codebook in the store


def store_codebook(store: Store, study: str, codebook: Codebook, author: str | None = None,
                   keep_existing: bool = False) -> int:
    """Save a codebook to the study's store; return how many codes changed.

    Writing the same codebook twice changes nothing. With ``keep_existing`` only codes the
    store does not have yet are added (a coder's kernel never overwrites shared edits).

    Example:
        >>> import tempfile
        >>> from workbench.store import Store, sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
        >>> store_codebook(store, "s", starter_codebook()), store_codebook(store, "s", starter_codebook())
        (26, 0)
    """
    existing = {c.code_id for c in store.stored_codes(study)} if keep_existing else set()
    return sum(store.put_code(study, c.code_id, c.fields(), author=author) for c in codebook.codes
               if c.code_id not in existing)


def stored_codebook(store: Store, study: str, name: str = "Codebook") -> Codebook:
    """The study's codebook as the store holds it now (empty when none was saved).

    Example:
        >>> import tempfile
        >>> from workbench.store import Store, sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
        >>> _ = store_codebook(store, "s", Codebook([Code("a", "Apples")]))
        >>> stored_codebook(store, "s").names()
        {'a': 'Apples'}
    """
    codes = [Code.from_fields(c.code_id, c.fields) for c in store.stored_codes(study)]
    ids = {c.code_id for c in codes}
    codes = [c if c.parent is None or c.parent in ids else replace(c, parent=None) for c in codes]  # parent removed
    return Codebook(codes, name=name, where=f"store ({study})")


ASSIGNMENT_COLUMNS = ("coder", "passage_id", "segment_id", "code_id", "char_start", "char_end", "origin", "created_at")


def code_assignments(store: Store, study: str, coder: str | None = None, with_seen: bool = False) -> pd.DataFrame:
    """The codes in force: one row per (coder, passage, code, span) whose latest action is ``apply``.

    With ``with_seen`` a passage a coder touched but left without any code gets one row with an
    empty ``code_id`` ("seen, nothing applies"), which agreement statistics need.

    Example:
        >>> import tempfile
        >>> from workbench.store import Store, sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
        >>> for action in ("apply", "apply", "remove", "apply"):
        ...     _ = store.record_coding("s", "dana", "p-1", "pricing", action)
        >>> _ = store.record_coding("s", "dana", "p-2", "pricing", "reject")
        >>> code_assignments(store, "s")[["coder", "passage_id", "code_id"]].values.tolist()
        [['dana', 'p-1', 'pricing']]
        >>> code_assignments(store, "s", with_seen=True)[["passage_id", "code_id"]].fillna("(seen)").values.tolist()
        [['p-1', 'pricing'], ['p-2', '(seen)']]
    """
    current = store.coding(study, coder=coder)
    rows = [{name: getattr(a, name) for name in ASSIGNMENT_COLUMNS} for a in current if a.action == "apply"]
    if with_seen:
        coded = {(r["coder"], r["passage_id"]) for r in rows}
        seen: dict[tuple[str, str], Any] = {}
        for a in current:
            if (a.coder, a.passage_id) not in coded:
                seen.setdefault((a.coder, a.passage_id), a)
        rows += [{"coder": a.coder, "passage_id": a.passage_id, "segment_id": a.segment_id, "code_id": None,
                  "char_start": None, "char_end": None, "origin": None, "created_at": a.created_at}
                 for a in seen.values()]
    frame = pd.DataFrame(rows, columns=list(ASSIGNMENT_COLUMNS))
    for column in ("char_start", "char_end"):
        frame[column] = frame[column].astype("Int64")
    return frame


def memo_table(store: Store, study: str, coder: str | None = None) -> pd.DataFrame:
    """Current memos: coder, target_kind (passage/code/study), target_id, text, created_at.

    Example:
        >>> import tempfile
        >>> from workbench.store import Store, sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
        >>> _ = store.set_memo("s", "dana", "code", "pricing", "split fees from prices?")
        >>> memo_table(store, "s")[["target_id", "text"]].values.tolist()
        [['pricing', 'split fees from prices?']]
    """
    columns = ["coder", "target_kind", "target_id", "text", "created_at"]
    return pd.DataFrame([{c: getattr(m, c) for c in columns} for m in store.memos(study, coder=coder)], columns=columns)


# ---------------------------------------------------------------------------------------- results for coding

#: segment columns the coding tools read: never the unredacted ``text``
CODING_SEGMENT_COLUMNS = (
    "segment_id", "source_id", "source_kind", "participant_id", "speaker", "role", "turn", "start_s", "end_s",
    "text_redacted", "channel", "item_id", "rating", "date",
)


@dataclass
class CodingData:
    """The saved results the coding tools read (redacted text only).

    Example:
        >>> CodingData(Path("r"), pd.DataFrame(), pd.DataFrame()).painpoints is None
        True
    """

    results_dir: Path
    passages: pd.DataFrame
    segments: pd.DataFrame
    painpoints: pd.DataFrame | None = None
    assignments: pd.DataFrame | None = None
    participants: pd.DataFrame | None = None
    personas: pd.DataFrame | None = None


def load_coding_data(results_dir: Path | str) -> CodingData:
    """Read the passages and segments (required) and the analysis tables (when present) of a results folder.

    Raises:
        WorkbenchError: the folder, its passages or segments are missing.

    Example:
        >>> import tempfile
        >>> load_coding_data(Path(tempfile.mkdtemp()) / "nowhere")
        Traceback (most recent call last):
        ...
        workbench.errors.WorkbenchError: .../nowhere: no such results folder; run `workbench analyze STUDY` first (or pass --results)
    """
    folder = Path(results_dir)
    if not folder.is_dir():
        raise WorkbenchError(f"{folder}: no such results folder; run `workbench analyze STUDY` first (or pass --results)")
    tables: dict[str, pd.DataFrame | None] = {}
    for name in ("passages", "segments", "painpoints", "assignments", "participants", "personas"):
        path = folder / f"{name}.parquet"
        if not path.is_file():
            if name in ("passages", "segments"):
                raise WorkbenchError(f"{path}: missing; run `workbench analyze STUDY` first")
            tables[name] = None
            continue
        try:
            if name == "segments":
                available = _parquet_columns(path)
                tables[name] = pd.read_parquet(path, columns=[c for c in CODING_SEGMENT_COLUMNS if c in available])
            else:
                tables[name] = pd.read_parquet(path)
        except Exception as error:  # noqa: BLE001 - pyarrow raises many types for a broken file
            raise WorkbenchError(f"{path}: not a readable Parquet file ({type(error).__name__}); run `workbench analyze STUDY` again") from error
    return CodingData(folder, tables.pop("passages"), tables.pop("segments"), **tables)  # type: ignore[arg-type]


def _parquet_columns(path: Path) -> list[str]:
    import pyarrow.parquet as pq

    return list(pq.read_schema(path).names)


# ---------------------------------------------------------------------------------------- code tables


def code_cooccurrence(assignments: pd.DataFrame, codebook: Codebook | None = None, coder: str | None = None) -> pd.DataFrame:
    """Code x code: in how many passages both codes are in force (the diagonal: passages with the code).

    A passage has a code when any coder applied it (or ``coder`` did). Rows and columns are
    named after the codes (codebook order when a codebook is given).

    Example:
        >>> table = pd.DataFrame({"coder": ["a"] * 4, "passage_id": ["p1", "p1", "p2", "p3"],
        ...                       "code_id": ["fees", "app", "fees", "app"]})
        >>> code_cooccurrence(table)
              app  fees
        app     2     1
        fees    1     2
    """
    applied = _applied(assignments, coder)
    codes = _code_order(applied["code_id"], codebook)
    indicator = pd.crosstab(applied["passage_id"], applied["code_id"]).clip(upper=1).reindex(columns=codes, fill_value=0)
    matrix = indicator.T.dot(indicator)
    names = _display_names(codes, codebook)
    matrix.index, matrix.columns = names, names
    return matrix.rename_axis(index=None, columns=None).astype(int)


def code_by_persona(
    assignments: pd.DataFrame, passages: pd.DataFrame, personas: pd.DataFrame, codebook: Codebook | None = None,
    count: str = "participants", coder: str | None = None,
) -> pd.DataFrame:
    """Code x persona: how many members of each persona (or their passages) carry each code.

    Example:
        >>> assignments = pd.DataFrame({"coder": ["a", "a"], "passage_id": ["p1", "p2"], "code_id": ["fees", "fees"]})
        >>> passages = pd.DataFrame({"passage_id": ["p1", "p2"], "participant_id": ["P01", "P02"]})
        >>> personas = pd.DataFrame({"persona_id": ["PE1", "PE2"], "name": ["Road warrior", "Student"],
        ...                          "members": [["P01"], ["P02", "P03"]]})
        >>> code_by_persona(assignments, passages, personas)
              Road warrior  Student
        fees             1        1
    """
    groups = {}
    for row in personas.itertuples():
        label = str(getattr(row, "name", None) or row.persona_id)
        for member in _as_list(row.members):
            groups[str(member)] = label
    order = [str(getattr(r, "name", None) or r.persona_id) for r in personas.itertuples()]
    return code_crosstab(assignments, passages, pd.Series(groups, dtype=object), codebook, count, coder, order)


def code_by_segment(
    assignments: pd.DataFrame, passages: pd.DataFrame, participants: pd.DataFrame, attribute: str = "segment",
    codebook: Codebook | None = None, count: str = "participants", coder: str | None = None,
) -> pd.DataFrame:
    """Code x participant attribute (customer ``segment`` by default, or ``loyalty_tier``, ``region``…).

    Example:
        >>> assignments = pd.DataFrame({"coder": ["a"] * 3, "passage_id": ["p1", "p2", "p3"], "code_id": ["fees"] * 3})
        >>> passages = pd.DataFrame({"passage_id": ["p1", "p2", "p3"], "participant_id": ["P01", "P01", "P02"]})
        >>> participants = pd.DataFrame({"participant_id": ["P01", "P02"], "segment": ["business", "student"]})
        >>> code_by_segment(assignments, passages, participants, count="passages")
              business  student
        fees         2        1
    """
    if attribute not in participants.columns:
        raise WorkbenchError(
            f"participants.parquet: no column {attribute!r}; use one of {', '.join(map(str, participants.columns))}"
        )
    groups = participants.dropna(subset=[attribute]).set_index("participant_id")[attribute].astype(str)
    return code_crosstab(assignments, passages, groups, codebook, count, coder)


def code_crosstab(
    assignments: pd.DataFrame, passages: pd.DataFrame, groups: pd.Series, codebook: Codebook | None = None,
    count: str = "participants", coder: str | None = None, group_order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Code x group, where ``groups`` maps participant_id -> group; counts participants or passages.

    Passages without a participant (feedback items) are left out.

    Example:
        >>> assignments = pd.DataFrame({"coder": ["a"], "passage_id": ["p1"], "code_id": ["fees"]})
        >>> passages = pd.DataFrame({"passage_id": ["p1"], "participant_id": ["P01"]})
        >>> code_crosstab(assignments, passages, pd.Series({"P01": "Gold"}))
              Gold
        fees     1
    """
    if count not in ("participants", "passages"):
        raise WorkbenchError(f"count={count!r}: use 'participants' or 'passages'")
    applied = _applied(assignments, coder)
    owners = passages.set_index("passage_id")["participant_id"]
    frame = applied.assign(participant_id=applied["passage_id"].map(owners))
    frame = frame.dropna(subset=["participant_id"])
    frame = frame.assign(group=frame["participant_id"].astype(str).map(groups)).dropna(subset=["group"])
    unit = "participant_id" if count == "participants" else "passage_id"
    frame = frame.drop_duplicates(subset=["code_id", "group", unit])
    table = pd.crosstab(frame["code_id"], frame["group"]) if not frame.empty else pd.DataFrame()
    codes = _code_order(applied["code_id"], codebook)
    columns = list(group_order) if group_order is not None else sorted(set(groups.astype(str)))
    table = table.reindex(index=codes, columns=columns, fill_value=0).fillna(0).astype(int)
    table.index = _display_names(codes, codebook)
    return table.rename_axis(index=None, columns=None)


def heatmap_figure(table: pd.DataFrame, title: str, colorscale: str = "Blues") -> go.Figure:
    """A plotly heatmap of a code table (co-occurrence or cross-tab), counts written in the cells.

    Example:
        >>> figure = heatmap_figure(pd.DataFrame({"Student": [2]}, index=["fees"]), "Codes by segment")
        >>> figure.layout.title.text, figure.data[0].type
        ('Codes by segment', 'heatmap')
    """
    import plotly.graph_objects as go

    figure = go.Figure(go.Heatmap(
        z=table.values, x=[str(c) for c in table.columns], y=[str(i) for i in table.index], colorscale=colorscale,
        text=table.values, texttemplate="%{text}", hovertemplate="%{y} × %{x}: %{z}<extra></extra>",
    ))
    figure.update_layout(title=title, yaxis={"autorange": "reversed"}, height=max(320, 28 * len(table) + 160),
                         margin={"l": 10, "r": 10, "t": 60, "b": 10})
    return figure


def _applied(assignments: pd.DataFrame, coder: str | None) -> pd.DataFrame:
    missing = {"passage_id", "code_id"} - set(assignments.columns)
    if missing:
        raise WorkbenchError(f"code assignments lack {', '.join(sorted(missing))}; pass code_assignments(store, study)")
    frame = assignments.dropna(subset=["code_id"])
    if coder is not None:
        frame = frame[frame["coder"] == coder]
    return frame.drop_duplicates(subset=["passage_id", "code_id"])[["passage_id", "code_id"]]


def _code_order(code_ids: Iterable[str], codebook: Codebook | None) -> list[str]:
    present = set(code_ids)
    if codebook is None:
        return sorted(present)
    ordered = [c.code_id for _, c in codebook.walk() if c.code_id in present]
    return ordered + sorted(present - set(ordered))


def _display_names(code_ids: Sequence[str], codebook: Codebook | None) -> list[str]:
    if codebook is None:
        return list(code_ids)
    names = codebook.names()
    return [names.get(c, c) for c in code_ids]


def painpoint_codings(
    assignments: pd.DataFrame, codebook: Codebook, coder: str = "analysis", limit: int | None = None
) -> pd.DataFrame:
    """The analysis' pain-point assignments as one more coder's code assignments.

    Each passage gets the code made from its pain point (codes whose ``source`` is
    ``painpoint:<id>``, see :func:`code_from_painpoint`); a passage whose pain point has no code
    (or is Other) is "seen, no code". Compare a researcher with the model, or seed a demo.

    Example:
        >>> book = Codebook([Code("pain-refunds", "Refunds", source="painpoint:PP01")])
        >>> table = pd.DataFrame({"passage_id": ["p1", "p2"], "segment_id": ["s1", "s2"], "painpoint_id": ["PP01", "other"]})
        >>> painpoint_codings(table, book)[["coder", "passage_id", "code_id"]].fillna("(seen)").values.tolist()
        [['analysis', 'p1', 'pain-refunds'], ['analysis', 'p2', '(seen)']]
    """
    codes = {c.source.split(":", 1)[1]: c.code_id for c in codebook if c.source and c.source.startswith("painpoint:")}
    rows = assignments.head(limit) if limit is not None else assignments
    frame = pd.DataFrame({
        "coder": coder, "passage_id": rows["passage_id"].astype(str).to_numpy(),
        "segment_id": rows["segment_id"].to_numpy() if "segment_id" in rows.columns else None,
        "code_id": [codes.get(str(p)) for p in rows["painpoint_id"]],
        "char_start": pd.NA, "char_end": pd.NA, "origin": "analysis", "created_at": None,
    })
    return frame.astype({"char_start": "Int64", "char_end": "Int64"})[list(ASSIGNMENT_COLUMNS)]
