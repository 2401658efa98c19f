"""Codebooks as YAML files: read one (``name:`` and a list of ``codes:``), write one back.

The YAML file is kept next to the study so it can be read, reviewed and versioned. Each code
has ``name`` and optionally ``id``, ``description``, ``parent`` (an id or a name), ``colour``,
``examples`` and ``codable``; :func:`save_codebook` writes what :func:`read_yaml_codebook` reads.
A codebook file of either kind (YAML or REFI-QDA ``.qdc``) is read by
:func:`workbench.coding.codebook_files.load_codebook`.

Example:
    >>> codebook_from_records([{"name": "Fees"}, {"name": "Bag fee", "parent": "Fees"}]).get("bag-fee").parent
    'fees'
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from workbench.coding.codebook import Code, Codebook, CodebookError, slugify

#: the keys a code may have in a YAML codebook
CODE_KEYS = ("id", "name", "description", "parent", "colour", "color", "examples", "codable", "source", "guid")


def read_yaml_codebook(path: Path | str) -> Codebook:
    """Read a codebook from YAML (``name:`` and a list of ``codes:``).

    Each code has ``name`` and optionally ``id`` (default: the slug of the name),
    ``description``, ``parent`` (the id or name of another code), ``colour``, ``examples``
    (a list of quotes), ``codable`` (false for a category).

    Raises:
        CodebookError: naming the file, the code and the fix.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "codebook.yaml"
        >>> _ = path.write_text("name: Refunds\\ncodes:\\n  - name: Refunds\\n  - name: Slow refund\\n    parent: Refunds\\n")
        >>> book = read_yaml_codebook(path)
        >>> book.get("slow-refund").parent
        'refunds'
        >>> _ = path.write_text("codes:\\n  - name: Slow refund\\n    parent: Refunds\\n")
        >>> read_yaml_codebook(path)
        Traceback (most recent call last):
        ...
        workbench.coding.codebook.CodebookError: .../codebook.yaml, code 'slow-refund': parent 'Refunds' is not a code of this codebook; add it or remove the parent
    """
    import yaml

    path = Path(path)
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
    """Write a codebook as YAML (atomically); :func:`read_yaml_codebook` reads it back unchanged.

    Example:
        >>> import tempfile
        >>> from workbench.coding.starter import starter_codebook
        >>> path = save_codebook(starter_codebook(), Path(tempfile.mkdtemp()) / "codebook.yaml")
        >>> read_yaml_codebook(path).codes == starter_codebook().codes
        True
    """
    import yaml

    from workbench.storage.files import atomic_write

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
