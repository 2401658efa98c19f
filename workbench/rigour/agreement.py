"""Inter-coder agreement: Cohen's kappa per code, Krippendorff's alpha, and the disagreements to resolve.

Input is the tidy table of code assignments (:func:`workbench.coding.records.code_assignments`):
one row per (coder, passage, code). Each code is a yes/no decision per passage, so agreement
is measured code by code:

- **Cohen's kappa** for two coders, per code, over the passages both coded: observed
  agreement corrected for the agreement expected by chance (the same number as
  ``sklearn.metrics.cohen_kappa_score``). Undefined (NaN) when neither coder varies.
- **Krippendorff's alpha** (nominal) across any number of coders, with passages a coder did
  not code treated as missing (the ``krippendorff`` package). Over all codes, every
  (passage, code) pair is one yes/no unit.

A coder "coded" a passage when the table has a row for it; a row with an empty ``code_id``
says "seen, no code applies" (``code_assignments(..., with_seen=True)`` adds those). Pass
``units`` to fix the sample of passages instead.

Example:
    >>> table = pd.DataFrame({"coder": ["ana", "ana", "ben", "ben"], "passage_id": ["p1", "p2", "p1", "p2"],
    ...                       "code_id": ["fees", "app", "fees", "fees"]})
    >>> kappa_by_code(table)[["code_id", "both", "first_only", "second_only", "kappa"]]
      code_id  both  first_only  second_only  kappa
    0     app     0           1            0    0.0
    1    fees     1           0            1    0.0
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

import numpy as np
import pandas as pd

from workbench.coding.codebook import Codebook
from workbench.errors import WorkbenchError


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> float:
    """Cohen's kappa of two coders' labels for the same units (NaN when chance agreement is 1).

    Example:
        >>> cohen_kappa([1, 1, 0, 0], [1, 0, 0, 0])
        0.5
        >>> cohen_kappa([1, 1], [1, 1])
        nan
    """
    a, b = list(first), list(second)
    if len(a) != len(b) or not a:
        raise WorkbenchError(f"cohen_kappa needs two equally long, non-empty label lists; got {len(a)} and {len(b)}")
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b)) / n
    categories = set(a) | set(b)
    expected = sum((a.count(c) / n) * (b.count(c) / n) for c in categories)
    if expected >= 1.0:
        return float("nan")
    return float((observed - expected) / (1.0 - expected))


def coder_units(assignments: pd.DataFrame) -> dict[str, set[str]]:
    """The passages each coder coded (any row, with or without a code).

    Example:
        >>> units = coder_units(pd.DataFrame({"coder": ["a", "a", "b"], "passage_id": ["p1", "p2", "p1"], "code_id": ["x", None, "x"]}))
        >>> {coder: sorted(passages) for coder, passages in units.items()}
        {'a': ['p1', 'p2'], 'b': ['p1']}
    """
    _check(assignments)
    return {str(coder): set(group["passage_id"].astype(str)) for coder, group in assignments.groupby("coder", sort=True)}


def kappa_by_code(
    assignments: pd.DataFrame,
    coders: tuple[str, str] | None = None,
    units: Iterable[str] | None = None,
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """Cohen's kappa of two coders for each code, over the passages both coded (or ``units``).

    Columns: code_id, code, n_units, both, first_only, second_only, neither, agreement (share
    of passages where the two agree), kappa, alpha (Krippendorff's, same two coders). Codes
    neither coder applied are left out.

    Example:
        >>> table = pd.DataFrame({"coder": ["ana", "ana", "ana", "ben", "ben"],
        ...                       "passage_id": ["p1", "p2", "p3", "p1", "p3"], "code_id": ["fees"] * 3 + ["fees", None]})
        >>> kappa_by_code(table)[["code_id", "n_units", "agreement", "kappa"]]
          code_id  n_units  agreement  kappa
        0    fees        2        0.5    0.0
    """
    _check(assignments)
    if coders is None:
        found = sorted(assignments["coder"].astype(str).unique())
        if len(found) != 2:
            raise WorkbenchError(f"Cohen's kappa compares two coders; the assignments have {len(found)} ({', '.join(found)}); pass coders=(first, second)")
        coders = (found[0], found[1])
    first, second = coders
    seen = coder_units(assignments)
    for coder in coders:
        if coder not in seen:
            raise WorkbenchError(f"no code assignments by coder {coder!r}; known coders: {', '.join(seen) or 'none'}")
    sample = sorted(set(units) if units is not None else seen[first] & seen[second])
    presence = _presence(assignments, [first, second], sample)
    names = codebook.names() if codebook is not None else {}
    rows = []
    for code_id in _codes(presence, codebook):
        a = presence[first][code_id].to_numpy(dtype=bool)
        b = presence[second][code_id].to_numpy(dtype=bool)
        rows.append({
            "code_id": code_id, "code": names.get(code_id, code_id), "n_units": len(sample),
            "both": int((a & b).sum()), "first_only": int((a & ~b).sum()), "second_only": int((~a & b).sum()),
            "neither": int((~a & ~b).sum()), "agreement": float((a == b).mean()) if len(sample) else float("nan"),
            "kappa": cohen_kappa(a.tolist(), b.tolist()) if len(sample) else float("nan"),
            "alpha": _alpha(np.vstack([a, b]).astype(float)),
        })
    columns = ["code_id", "code", "n_units", "both", "first_only", "second_only", "neither", "agreement", "kappa", "alpha"]
    return pd.DataFrame(rows, columns=columns)


def krippendorff_alpha(
    assignments: pd.DataFrame,
    code_id: str | None = None,
    units: Iterable[str] | None = None,
    codes: Sequence[str] | None = None,
) -> float:
    """Krippendorff's alpha (nominal) across all coders, for one code or over all codes.

    Passages a coder did not code count as missing, not as "no". Over all codes (the codes
    applied at least once, or ``codes``) every (passage, code) pair is one unit. NaN when
    there is nothing to compare or no variation at all.

    Example:
        >>> table = pd.DataFrame({"coder": ["a", "a", "b", "b", "c", "c"], "passage_id": ["p1", "p2"] * 3,
        ...                       "code_id": ["fees", "app"] * 3})
        >>> krippendorff_alpha(table)
        1.0
    """
    _check(assignments)
    coders = sorted(assignments["coder"].astype(str).unique())
    seen = coder_units(assignments)
    sample = sorted(set(units) if units is not None else set().union(*seen.values()) if seen else set())
    presence = _presence(assignments, coders, sample)
    for coder in coders:  # a passage the coder never coded is missing, not "no"
        unseen = [u for u in sample if u not in seen[coder]]
        presence[coder].loc[unseen, :] = np.nan
    if code_id is not None:
        chosen = [code_id]
    elif codes is not None:
        chosen = list(codes)
    else:
        chosen = _codes(presence, None)
    if not chosen or not sample:
        return float("nan")
    matrix = np.vstack([
        np.concatenate([presence[coder].reindex(columns=chosen, fill_value=0.0)[c].to_numpy(dtype=float) for c in chosen])
        for coder in coders
    ])
    return _alpha(matrix)


def disagreements(
    assignments: pd.DataFrame,
    passages: pd.DataFrame | None = None,
    codebook: Codebook | None = None,
    units: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The (passage, code) pairs where coders differ, to talk through and resolve.

    Only passages coded by two coders or more count (or ``units``). Columns: passage_id,
    code_id, code, applied_by, not_applied_by (lists of coders), and, with ``passages``,
    participant_id, source_id and the (redacted) text.

    Example:
        >>> table = pd.DataFrame({"coder": ["ana", "ana", "ben"], "passage_id": ["p1", "p1", "p1"],
        ...                       "code_id": ["fees", "app", "fees"]})
        >>> disagreements(table)[["passage_id", "code_id", "applied_by", "not_applied_by"]]
          passage_id code_id applied_by not_applied_by
        0         p1     app      [ana]          [ben]
    """
    _check(assignments)
    seen = coder_units(assignments)
    coders = sorted(seen)
    if units is None:
        counts = pd.Series([u for c in coders for u in seen[c]]).value_counts()
        sample = sorted(counts[counts >= 2].index.astype(str))
    else:
        sample = sorted(set(units))
    presence = _presence(assignments, coders, sample)
    names = codebook.names() if codebook is not None else {}
    rows = []
    for unit in sample:
        who = [c for c in coders if unit in seen[c]]
        for code_id in _codes(presence, codebook):
            applied = [c for c in who if presence[c].at[unit, code_id]]
            if applied and len(applied) < len(who):
                rows.append({"passage_id": unit, "code_id": code_id, "code": names.get(code_id, code_id),
                             "applied_by": applied, "not_applied_by": [c for c in who if c not in applied]})
    columns = ["passage_id", "code_id", "code", "applied_by", "not_applied_by"]
    table = pd.DataFrame(rows, columns=columns)
    if passages is not None:
        extra = [c for c in ("participant_id", "source_id", "text") if c in passages.columns]
        table = table.merge(passages[["passage_id", *extra]].astype({"passage_id": str}), on="passage_id", how="left")
    return table


def _check(assignments: pd.DataFrame) -> None:
    missing = {"coder", "passage_id", "code_id"} - set(assignments.columns)
    if missing:
        raise WorkbenchError(
            f"code assignments lack the column(s) {', '.join(sorted(missing))}; pass code_assignments(store, study, with_seen=True)"
        )


def _presence(assignments: pd.DataFrame, coders: Sequence[str], sample: Sequence[str]) -> dict[str, pd.DataFrame]:
    """coder -> passages x codes table of 1.0/0.0 (code applied or not), over ``sample``."""
    applied = assignments.dropna(subset=["code_id"]).astype({"passage_id": str, "code_id": str, "coder": str})
    applied = applied[applied["passage_id"].isin(set(sample))]
    codes = sorted(applied["code_id"].unique())
    out = {}
    for coder in coders:
        mine = applied[applied["coder"] == coder]
        table = pd.crosstab(mine["passage_id"], mine["code_id"]).clip(upper=1) if not mine.empty else pd.DataFrame()
        out[coder] = table.reindex(index=list(sample), columns=codes, fill_value=0).fillna(0).astype(float)
    return out


def _codes(presence: dict[str, pd.DataFrame], codebook: Codebook | None) -> list[str]:
    codes = sorted({c for table in presence.values() for c in table.columns if table[c].fillna(0).any()})
    if codebook is None:
        return codes
    order = [c.code_id for _, c in codebook.walk() if c.code_id in codes]
    return order + [c for c in codes if c not in order]


def _alpha(reliability: np.ndarray) -> float:
    """Krippendorff's alpha (nominal) of a coders x units matrix; NaN when undefined."""
    import krippendorff

    values = reliability[~np.isnan(reliability)]
    if values.size == 0 or np.unique(values).size < 2:
        return float("nan")
    pairable = (~np.isnan(reliability)).sum(axis=0) >= 2
    if not pairable.any():
        return float("nan")
    return float(krippendorff.alpha(reliability_data=reliability, level_of_measurement="nominal"))


def simulate_coder(
    assignments: pd.DataFrame, flip: float = 0.15, seed: int = 0, name: str = "DEMO simulated coder"
) -> pd.DataFrame:
    """FOR DEMONSTRATIONS ONLY: a fake second coder who copies one coder's decisions and flips some.

    Every (passage, code) decision of ``assignments`` (one coder) is flipped with probability
    ``flip``. Use it to show how the agreement tables read before a colleague has coded;
    never report its numbers.

    Example:
        >>> first = pd.DataFrame({"coder": "ana", "passage_id": ["p1", "p2"], "code_id": ["fees", "app"]})
        >>> simulate_coder(first, flip=0.0)[["coder", "passage_id", "code_id"]].values.tolist()
        [['DEMO simulated coder', 'p1', 'fees'], ['DEMO simulated coder', 'p2', 'app']]
    """
    _check(assignments)
    rng = np.random.default_rng(seed)
    codes = sorted(assignments["code_id"].dropna().astype(str).unique())
    rows = []
    for passage_id, group in assignments.groupby("passage_id", sort=False):
        applied = set(group["code_id"].dropna().astype(str))
        chosen = [c for c in codes if (c in applied) != (rng.random() < flip)]
        rows += [{"coder": name, "passage_id": passage_id, "code_id": c} for c in chosen] or [
            {"coder": name, "passage_id": passage_id, "code_id": None}]
    return pd.DataFrame(rows, columns=["coder", "passage_id", "code_id"])
