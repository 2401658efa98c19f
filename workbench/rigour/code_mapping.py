"""Mapping the model's codes to a human's: which human code each pain point (or suggested code) stands for.

A model code (a pain point id, or for the suggestions also a CX/UX element code; see
:mod:`workbench.rigour.model_codes`) becomes a human code by the first rule that applies:

1. ``explicit``: the ``mapping`` given (``{"PP03": "refunds", "pain-app-logs-me-out": "app",
   "customer-service": None}``); keys are pain point ids or the model's code ids, ``None``
   means "this pain point is no code of mine"; a file of them is read by :func:`load_mapping`;
2. ``same code``: the human codebook has the model's code (a pain point accepted as a code,
   or a starter-codebook CX element), or the human applied it;
3. ``best overlap`` (``auto_map=True``): the code the human gave most often to the passages
   of this model code, where "no code at all" competes too (so a pain point the human
   mostly leaves uncoded maps to nothing). It is fitted on the very codings it is scored
   against, so its kappa is a little optimistic: fix a mapping (file) before coding for a
   strict figure;
4. ``unmapped``: the model applies nothing for it.

:func:`map_model_codes` says which rule decided each model code; the report of
:func:`workbench.rigour.model_coder.model_vs_human` shows it as its ``mapping`` table.

Example:
    >>> rows = pd.DataFrame({"passage_id": ["p1"], "model_code": ["PP01"], "default_code": ["pain-a"], "label": ["A"]})
    >>> human = pd.DataFrame({"coder": "dana", "passage_id": ["p1"], "code_id": ["fees"]})
    >>> map_model_codes(rows, human)[["model_code", "code_id", "how"]].values.tolist()
    [['PP01', 'fees', 'best overlap']]
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.coding.codebook import Codebook
from workbench.errors import WorkbenchError
from workbench.schema import is_missing


def load_mapping(path: Path | str) -> dict[str, str | None]:
    """Read an explicit mapping {pain point id or model code id: human code id} from YAML, JSON or CSV.

    YAML/JSON: one ``key: code`` per entry (an empty value: "no code"). CSV: two columns
    (``model_code,code_id`` with a header).

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "mapping.yaml"
        >>> _ = path.write_text("PP01: refunds\\nPP02:\\n")
        >>> load_mapping(path)
        {'PP01': 'refunds', 'PP02': None}
    """
    path = Path(path)
    if not path.is_file():
        raise WorkbenchError(f"{path}: no such mapping file; write one `PP01: code-id` per line (YAML)")
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".csv":
        import csv
        import io

        rows = list(csv.reader(io.StringIO(text)))
        data: Any = {}
        for number, row in enumerate(rows[1:], start=2):
            if not row or not "".join(row).strip():
                continue
            if len(row) != 2:
                raise WorkbenchError(f"{path}, line {number}: expected two columns (model_code,code_id), got {len(row)}")
            data[row[0].strip()] = row[1].strip() or None
    else:
        import yaml

        try:
            data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
        except (ValueError, yaml.YAMLError) as error:
            mark = getattr(error, "problem_mark", None)
            number = mark.line + 1 if mark is not None else getattr(error, "lineno", None)
            line = f", line {number}" if number is not None else ""
            raise WorkbenchError(f"{path}{line}: not a readable mapping ({type(error).__name__}); write `PP01: code-id` per line") from error
    if not isinstance(data, Mapping):
        raise WorkbenchError(f"{path}: expected `PP01: code-id` entries (a mapping), got {type(data).__name__}")
    return {str(k): None if is_missing(v) or str(v).strip() == "" else str(v).strip() for k, v in data.items()}


def _human_space(human: pd.DataFrame, codebook: Codebook | None) -> set[str]:
    """The codes the human could have applied: the codebook's codable codes and every code they used."""
    used = set(human["code_id"].dropna().astype(str))
    return used | ({c.code_id for c in codebook.codable()} if codebook is not None else set())


def map_model_codes(
    model_rows: pd.DataFrame,
    human: pd.DataFrame,
    codebook: Codebook | None = None,
    mapping: Mapping[str, str | None] | None = None,
    auto_map: bool = True,
) -> pd.DataFrame:
    """Decide, for each model code, which human code it stands for, and why (the module docstring's rules).

    ``human`` is one coder's assignments over the passages to compare. Columns: model_code,
    label, default_code, code_id (None: no code), how (explicit / same code / best overlap /
    unmapped), support (passages of the model code the human coded), overlap (share of them
    the human gave ``code_id``).

    Raises:
        WorkbenchError: a mapping key is no pain point or code of the model, or a value is no code of the human's.

    Example:
        >>> rows = pd.DataFrame({"passage_id": ["p1", "p2"], "model_code": ["PP01", "PP02"],
        ...                      "default_code": ["pain-a", "pain-b"], "label": ["A", "B"]})
        >>> human = pd.DataFrame({"coder": "dana", "passage_id": ["p1", "p2"], "code_id": ["fees", None]})
        >>> map_model_codes(rows, human, mapping={"PP02": "fees"})[["model_code", "code_id", "how", "overlap"]].values.tolist()
        [['PP01', 'fees', 'best overlap', 1.0], ['PP02', 'fees', 'explicit', 0.0]]
    """
    space = _human_space(human, codebook)
    explicit = {str(k): None if is_missing(v) else str(v) for k, v in (mapping or {}).items()}
    known_keys = set(model_rows["model_code"].astype(str)) | set(model_rows["default_code"].astype(str))
    allowed_keys = known_keys | ({c.code_id for c in codebook} if codebook is not None else set())
    for key, value in explicit.items():
        if key not in allowed_keys:
            shown = ", ".join(sorted(known_keys)[:15]) or "none"
            raise WorkbenchError(f"mapping: {key!r} is no pain point or code of the model; known: {shown}")
        if value is not None and value not in space:
            shown = ", ".join(sorted(space)[:15]) or "none"
            raise WorkbenchError(
                f"mapping: {key!r} -> {value!r} is no code of the human codebook or codings; use one of: {shown}"
            )
    human_codes: dict[str, set[str]] = {}
    for passage_id, code_id in zip(human["passage_id"].astype(str), human["code_id"]):
        human_codes.setdefault(passage_id, set())
        if not is_missing(code_id):
            human_codes[passage_id].add(str(code_id))
    rows = []
    firsts = model_rows.drop_duplicates("model_code")
    for model_code, label, default_code in firsts[["model_code", "label", "default_code"]].itertuples(index=False):
        passages = sorted(set(model_rows.loc[model_rows["model_code"] == model_code, "passage_id"].astype(str)) & set(human_codes))
        if model_code in explicit or default_code in explicit:
            code_id, how = explicit.get(model_code, explicit.get(default_code)), "explicit"
        elif default_code in space:
            code_id, how = default_code, "same code"
        elif auto_map and passages:
            votes = Counter(c for p in passages for c in human_codes[p])
            votes[None] = sum(1 for p in passages if not human_codes[p])  # "no code at all" competes
            # most votes; a tie goes to "no code", then to the code first in alphabetical order
            code_id = min(votes, key=lambda c: (-votes[c], c is not None, c or ""))
            how = "best overlap"
        else:
            code_id, how = None, "unmapped"
        overlap = (sum(code_id in human_codes[p] for p in passages) / len(passages)
                   if passages and code_id is not None else float("nan"))
        rows.append({"model_code": str(model_code), "label": label, "default_code": default_code, "code_id": code_id,
                     "how": how, "support": len(passages), "overlap": overlap})
    columns = ["model_code", "label", "default_code", "code_id", "how", "support", "overlap"]
    table = pd.DataFrame(rows, columns=columns)
    table["code_id"] = pd.Series([r["code_id"] for r in rows], index=table.index, dtype=object)  # None stays None
    return table
