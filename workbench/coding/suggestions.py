"""What the analysis suggests a coder apply to a passage: its pain point's code and its CX/UX element's code.

The rule, shared by the coding view (``widgets.coding.state.CodingState.suggestions``) and the
model as a coder (:func:`workbench.rigour.model_codes.suggested_codes`): a passage the analysis
put in a pain point (not Other) gets

1. the pain point's code: the codebook's code made from it or named like it
   (:func:`~workbench.coding.painpoint_codes.painpoint_code`), else ``pain-<label>``, which the
   coding view adds to the codebook when the coder accepts it;
2. the codable code named like the pain point's ``dimension`` (its CX/UX element), when the
   codebook has one.

Example:
    >>> book = Codebook([Code("customer-service", "customer service")])
    >>> painpoint = {"painpoint_id": "PP01", "label": "Refunds take weeks", "dimension": "customer service"}
    >>> [(s["code_id"], s["in_codebook"]) for s in painpoint_suggestions("PP01", painpoint, book)]
    [('pain-refunds-take-weeks', False), ('customer-service', True)]
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from workbench.coding.codebook import Code, Codebook
from workbench.coding.painpoint_codes import OTHER_PAINPOINT, painpoint_code, painpoint_code_id
from workbench.schema import is_missing


def painpoint_suggestions(
    painpoint_id: str, painpoint: Mapping[str, Any], codebook: Codebook | None
) -> list[dict[str, Any]]:
    """The codes suggested for a passage of one pain point, in order: code_id, name, reason, in_codebook.

    ``painpoint`` is the pain point's row of the painpoints table (its ``label`` and
    ``dimension`` are read; an empty mapping when the table is not at hand).

    Example:
        >>> painpoint_suggestions("PP02", {}, None)
        [{'code_id': 'pain-pp02', 'name': 'PP02', 'reason': 'pain point PP02', 'in_codebook': False}]
    """
    label = painpoint_id if is_missing(painpoint.get("label")) else str(painpoint["label"])
    code: Code | None = painpoint_code(codebook, painpoint_id, label)
    found = [{"code_id": code.code_id if code else painpoint_code_id(label), "name": code.name if code else label,
              "reason": f"pain point {painpoint_id}", "in_codebook": code is not None}]
    dimension = painpoint.get("dimension")
    if not is_missing(dimension):
        codable = codebook.codable() if codebook is not None else []
        match = [c for c in codable if c.name.casefold() == str(dimension).casefold()]
        if match:
            found.append({"code_id": match[0].code_id, "name": match[0].name,
                          "reason": f"CX/UX element of pain point {painpoint_id}", "in_codebook": True})
    return found


def suggested_painpoints(assignments: pd.DataFrame | None) -> dict[str, tuple[str, float | None]]:
    """passage_id -> (its pain point, the probability) for the passages the analysis put in a pain point (not Other).

    Example:
        >>> table = pd.DataFrame({"passage_id": ["a-1", "b-1"], "painpoint_id": ["PP01", "other"], "probability": [0.9, 0.1]})
        >>> suggested_painpoints(table)
        {'a-1': ('PP01', 0.9)}
    """
    if assignments is None or "painpoint_id" not in assignments.columns:
        return {}
    out = {}
    for row in assignments.to_dict("records"):
        pid = str(row.get("painpoint_id"))
        if pid and pid != OTHER_PAINPOINT and not is_missing(row.get("painpoint_id")):
            probability = row.get("probability")
            out[str(row["passage_id"])] = (pid, None if is_missing(probability) else float(probability))
    return out
