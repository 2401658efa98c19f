"""Pain points as codes: a pain point of the analysis made a code, found in a codebook, or read as codings.

A pain point the analysis found becomes a code in one call (:func:`code_from_painpoint`),
named after its label, described by its keywords and place on the CX map, with its quotes as
examples; :func:`painpoint_code` finds the code a codebook already has for a pain point, and
:func:`painpoint_codings` reads the analysis' assignments as one more coder's code assignments.
The Other bucket (:data:`OTHER_PAINPOINT`) is never a code.

Example:
    >>> painpoint_code_id("Slow refunds"), painpoint_code(Codebook([Code("pain-slow-refunds", "Slow refunds")]), "PP01", "Slow refunds").name
    ('pain-slow-refunds', 'Slow refunds')
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from workbench.coding.codebook import Code, Codebook, CodebookError, slugify
from workbench.coding.coding_data import as_list
from workbench.coding.records import ASSIGNMENT_COLUMNS
from workbench.schema import is_missing

#: the pain point id of the analysis' Other bucket (passages no pain point holds)
OTHER_PAINPOINT = "other"


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
        >>> from workbench.coding.starter import starter_codebook
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
    keywords = [str(k) for k in as_list(row.get("keywords"))][:8]
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
        examples=tuple(str(q) for q in as_list(row.get("quote_texts"))[:3]), source=f"painpoint:{pid}",
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



def painpoint_code(codebook: Codebook | None, painpoint_id: str, label: str) -> Code | None:
    """The codebook's code for a pain point: made from it (its ``source``) or named like it; None when it has none.

    Example:
        >>> book = Codebook([Code("refunds", "Refunds", source="painpoint:PP01")])
        >>> painpoint_code(book, "PP01", "Slow refunds").code_id, painpoint_code(book, "PP02", "App") is None
        ('refunds', True)
    """
    for code in codebook or ():
        if code.source == f"painpoint:{painpoint_id}" or code.code_id == painpoint_code_id(label):
            return code
    return None


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
