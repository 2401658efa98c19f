"""The codebook: a checked tree of codes (:class:`Code`, :class:`Codebook`) and its error.

A **codebook** is a tree of codes (name, description, parent, colour, examples). Codes are
checked when the codebook is made: ids are unique, every parent is a code of the book, there
is no cycle, colours are ``#rrggbb``; codes without a colour get one.

Where codebooks come from and go to lives beside this module: YAML files
(:mod:`workbench.coding.yaml_codebook`), REFI-QDA ``.qdc`` files (:mod:`workbench.coding.qdc`),
either kind by its suffix (:mod:`workbench.coding.codebook_files`), the CX lenses
(:mod:`workbench.coding.starter`), pain points (:mod:`workbench.coding.painpoint_codes`) and the
study's store (:mod:`workbench.coding.records`).

Example:
    >>> from workbench.coding.starter import starter_codebook
    >>> codebook = starter_codebook()
    >>> codebook.get("pricing").parent, codebook.get("cx-elements").codable
    ('cx-elements', False)
    >>> len(codebook.codable())
    23
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from workbench.errors import WorkbenchError

#: categorical colours given to codes that have none (colour-blind friendly, readable on white)
CODE_COLOURS = (
    "#2563eb", "#d97706", "#059669", "#db2777", "#7c3aed", "#0891b2", "#65a30d", "#dc2626",
    "#4f46e5", "#ca8a04", "#0d9488", "#c026d3",
)
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
        workbench.coding.codebook.CodebookError: codebook, code 'pricing': parent 'cx' is not a code of this codebook; add it or remove the parent
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
            >>> from workbench.coding.starter import starter_codebook
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
            >>> from workbench.coding.starter import starter_codebook
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
            >>> from workbench.coding.starter import starter_codebook
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
