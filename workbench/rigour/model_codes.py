"""What the model says about each passage, as codes: its pain point's code, or the coding view's suggestions.

The analysis codes every passage twice over, without being asked:

- **pain points** (coder ``model:painpoints``): each passage's pain point stands for one code
  (the code made from it with :func:`workbench.coding.painpoint_codes.code_from_painpoint`); Other is "no code".
- **suggestions** (coder ``model:suggestions``): what the coding view offers on each passage,
  the pain point's code and the code of its CX/UX element (:func:`suggested_codes`, the rule of
  :mod:`workbench.coding.suggestions` that ``widgets.coding.state.CodingState.suggestions`` uses too).

:func:`model_codes` lists either, one row per (passage, model code), before they are mapped to
a human's codes (:mod:`workbench.rigour.code_mapping`) and scored (:mod:`workbench.rigour.model_coder`).

Example:
    >>> analysis = pd.DataFrame({"passage_id": ["p1", "p2"], "painpoint_id": ["PP01", "other"]})
    >>> analysed_painpoints(analysis).values.tolist()
    [['p1', 'PP01']]
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from workbench.coding.codebook import Codebook
from workbench.coding.painpoint_codes import OTHER_PAINPOINT, painpoint_code, painpoint_code_id
from workbench.coding.suggestions import painpoint_suggestions
from workbench.errors import WorkbenchError
from workbench.schema import is_missing

#: the model coders, by the name :func:`model_codes` and :func:`~workbench.rigour.model_coder.model_vs_human` take
MODEL_CODERS = {"painpoints": "model:painpoints", "suggestions": "model:suggestions"}


def _painpoint_rows(painpoints: pd.DataFrame | None) -> dict[str, dict[str, Any]]:
    if painpoints is None or "painpoint_id" not in painpoints.columns:
        return {}
    return {str(r["painpoint_id"]): r for r in painpoints.to_dict("records")}


def analysed_painpoints(assignments: pd.DataFrame) -> pd.DataFrame:
    """passage_id and painpoint_id of the passages the analysis put in a pain point (Other and empty left out).

    Raises:
        WorkbenchError: the table lacks passage_id or painpoint_id.

    Example:
        >>> analysed_painpoints(pd.DataFrame({"passage_id": [1, 2], "painpoint_id": ["PP01", None]})).values.tolist()
        [['1', 'PP01']]
    """
    missing = {"passage_id", "painpoint_id"} - set(assignments.columns)
    if missing:
        raise WorkbenchError(
            f"the analysis' assignments lack {', '.join(sorted(missing))}; pass assignments.parquet of `workbench analyze`"
        )
    rows = assignments[["passage_id", "painpoint_id"]].copy()
    rows["passage_id"] = rows["passage_id"].astype(str)
    keep = [not is_missing(p) and str(p) not in ("", OTHER_PAINPOINT) for p in rows["painpoint_id"]]
    return rows[keep].astype({"painpoint_id": str})


def analysed_passage_ids(assignments: pd.DataFrame) -> list[str]:
    """Every passage of the analysis, Other included (the model said "no code" there).

    Example:
        >>> analysed_passage_ids(pd.DataFrame({"passage_id": [1, 2], "painpoint_id": ["PP01", "other"]}))
        ['1', '2']
    """
    if "passage_id" not in assignments.columns:
        analysed_painpoints(assignments)  # raises the error naming the columns
    return assignments["passage_id"].astype(str).tolist()


def suggested_codes(
    assignments: pd.DataFrame, painpoints: pd.DataFrame | None = None, codebook: Codebook | None = None
) -> pd.DataFrame:
    """The codes the coding view suggests for each passage: its pain point's code and its CX/UX element.

    The same rule as ``widgets.coding.state.CodingState.suggestions``
    (:func:`workbench.coding.suggestions.painpoint_suggestions`): the pain point's code (the
    codebook's code made from it, else ``pain-<label>``, which the view adds when accepted) and
    the codable code named like the pain point's ``dimension``. Passages in Other get none.
    Columns: passage_id, painpoint_id, code_id, name, reason, in_codebook.

    Example:
        >>> from workbench.coding.codebook import Code
        >>> book = Codebook([Code("customer-service", "customer service")])
        >>> painpoints = pd.DataFrame([{"painpoint_id": "PP01", "label": "Refunds take weeks", "dimension": "customer service"}])
        >>> analysis = pd.DataFrame({"passage_id": ["p1", "p2"], "painpoint_id": ["PP01", "other"]})
        >>> suggested_codes(analysis, painpoints, book)[["passage_id", "code_id", "in_codebook"]].values.tolist()
        [['p1', 'pain-refunds-take-weeks', False], ['p1', 'customer-service', True]]
    """
    rows_of = _painpoint_rows(painpoints)
    per_painpoint: dict[str, list[dict[str, Any]]] = {}
    out = []
    for passage_id, painpoint_id in analysed_painpoints(assignments).itertuples(index=False):
        if painpoint_id not in per_painpoint:
            row = rows_of.get(painpoint_id, {"painpoint_id": painpoint_id})
            per_painpoint[painpoint_id] = painpoint_suggestions(painpoint_id, row, codebook)
        out += [{"passage_id": passage_id, "painpoint_id": painpoint_id, **s} for s in per_painpoint[painpoint_id]]
    return pd.DataFrame(out, columns=["passage_id", "painpoint_id", "code_id", "name", "reason", "in_codebook"])


def model_codes(
    assignments: pd.DataFrame, painpoints: pd.DataFrame | None = None, codebook: Codebook | None = None,
    model: str = "painpoints",
) -> pd.DataFrame:
    """What the model says about each passage, before mapping to a human's codes.

    One row per (passage, model code): ``model_code`` is the pain point id (its code for
    ``painpoints``; for ``suggestions`` also the CX/UX element's code id), ``default_code`` the
    code id it stands for (the codebook's code made from the pain point, else ``pain-<label>``),
    ``label`` what a person calls it.

    Example:
        >>> analysis = pd.DataFrame({"passage_id": ["p1", "p2"], "painpoint_id": ["PP01", "other"]})
        >>> painpoints = pd.DataFrame([{"painpoint_id": "PP01", "label": "Refunds take weeks"}])
        >>> model_codes(analysis, painpoints).values.tolist()
        [['p1', 'PP01', 'PP01', 'pain-refunds-take-weeks', 'Refunds take weeks']]
    """
    if model not in MODEL_CODERS:
        raise WorkbenchError(f"model={model!r}: use one of {', '.join(MODEL_CODERS)}")
    columns = ["passage_id", "painpoint_id", "model_code", "default_code", "label"]
    rows_of = _painpoint_rows(painpoints)
    if model == "painpoints":
        out = []
        for passage_id, painpoint_id in analysed_painpoints(assignments).itertuples(index=False):
            row = rows_of.get(painpoint_id, {})
            label = painpoint_id if is_missing(row.get("label")) else str(row["label"])
            code = painpoint_code(codebook, painpoint_id, label)
            out.append({"passage_id": passage_id, "painpoint_id": painpoint_id, "model_code": painpoint_id,
                        "default_code": code.code_id if code else painpoint_code_id(label), "label": label})
        return pd.DataFrame(out, columns=columns)
    suggestions = suggested_codes(assignments, painpoints, codebook)
    is_pain = suggestions["reason"].str.startswith("pain point")
    return pd.DataFrame({
        "passage_id": suggestions["passage_id"], "painpoint_id": suggestions["painpoint_id"],
        "model_code": suggestions["painpoint_id"].where(is_pain, suggestions["code_id"]),
        "default_code": suggestions["code_id"], "label": suggestions["name"],
    }, columns=columns)
