"""Have we heard it all? Thematic saturation: new pain points and codes per added interview.

Interviews are taken in the order they were held (``interview_date`` of participants.csv;
without dates, in file order) and for each one we count the pain points it raises that no
earlier interview raised. A pain point *appears* in an interview when the interview
contributes at least ``min_units`` of its units (1 by default; 2 ignores one passing remark).
The human codes applied in the store (:func:`workbench.coding.records.code_assignments`) are counted
the same way; without codes those columns are 0 and the info says so.

Order matters (an early interview always "adds" more), so the curve is also drawn over
``n_orders`` random orders of the same interviews: mean and 10th/90th percentile of the
cumulative number of pain points after k interviews.

The verdict follows Guest, Namey & Chen (2020, "A simple method to assess and report thematic
saturation", PLOS ONE): saturation is called when a run of :data:`SATURATION_RUN` (3)
consecutive interviews at the end adds nothing new.

Feedback items (reviews, surveys, e-mails) are not interviews: they are left out of the
curve and counted separately in the info (pain points only feedback raised are listed there
too), because a thousand reviews would otherwise "saturate" any study.

Example:
    >>> table, info = saturation_table(passages, assignments, participants)  # doctest: +SKIP
    >>> info["verdict"]  # doctest: +SKIP
    'The last 4 interviews added no new pain point: saturation is likely; recruiting more of the same people will add little.'
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

#: consecutive interviews at the end that must add nothing new to call saturation (Guest et al. 2020)
SATURATION_RUN = 3
#: random interview orders for the mean and 10th/90th percentile curve
N_ORDERS = 200
OTHER = "other"

SATURATION_COLUMNS = ["position", "source_id", "participant_id", "new_painpoints", "cumulative_painpoints",
                      "new_codes", "cumulative_codes", "random_order_mean", "random_order_low", "random_order_high"]


def _natural_key(text: str) -> list[Any]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", str(text))]


def interview_order(passages: pd.DataFrame, participants: pd.DataFrame | None = None) -> pd.DataFrame:
    """The interviews (source_id, participant_id, date) in the order they were held.

    Dated interviews come first by date; undated ones follow in file order (natural sort,
    so ``interview_2`` comes before ``interview_10``).

    Example:
        >>> passages = pd.DataFrame({"source_id": ["t/b.txt", "t/a.txt", "f/r.csv"], "participant_id": ["P02", "P01", None],
        ...                          "source_kind": ["interview", "interview", "feedback"]})
        >>> people = pd.DataFrame({"participant_id": ["P01", "P02"], "interview_date": ["2026-09-05", "2026-09-01"]})
        >>> interview_order(passages, people)["source_id"].tolist(), interview_order(passages)["source_id"].tolist()
        (['t/b.txt', 't/a.txt'], ['t/a.txt', 't/b.txt'])
    """
    interviews = passages[passages["source_kind"].astype(str) == "interview"]
    rows = []
    for source_id, part in interviews.groupby(interviews["source_id"].astype(str), sort=False):
        people = part["participant_id"].dropna().astype(str)
        rows.append({"source_id": source_id, "participant_id": people.mode().iloc[0] if len(people) else None})
    order = pd.DataFrame(rows, columns=["source_id", "participant_id"])
    order["date"] = pd.NaT
    if participants is not None and len(participants) and "interview_date" in participants.columns:
        dates = pd.to_datetime(participants["interview_date"], errors="coerce")
        by_person = dict(zip(participants["participant_id"].astype(str), dates))
        by_file = dict(zip(participants["interview_file"].astype(str), dates)) if "interview_file" in participants else {}
        order["date"] = [by_file.get(s, by_person.get(str(p), pd.NaT)) for s, p in zip(order["source_id"], order["participant_id"])]
    order["file_key"] = [_natural_key(s) for s in order["source_id"]]
    order["undated"] = order["date"].isna()
    order = order.sort_values(["undated", "date"], kind="stable")
    dated, undated = order[~order["undated"]], order[order["undated"]]
    undated = undated.iloc[sorted(range(len(undated)), key=lambda i: undated["file_key"].iloc[i])]
    return pd.concat([dated, undated])[["source_id", "participant_id", "date"]].reset_index(drop=True)


def _items_per_interview(units: pd.DataFrame, column: str, order: list[str], min_units: int) -> list[set[str]]:
    """For each interview in ``order``, the values of ``column`` it contributes ``min_units`` or more units to."""
    counts = units.groupby(["source_id", column]).size()
    found: list[set[str]] = []
    for source_id in order:
        if source_id in counts.index.get_level_values(0):
            part = counts.loc[source_id]
            found.append({str(k) for k, n in part.items() if n >= min_units})
        else:
            found.append(set())
    return found


def _cumulative(sets: list[set[str]]) -> tuple[list[int], list[int]]:
    seen: set[str] = set()
    new, total = [], []
    for items in sets:
        added = items - seen
        seen |= items
        new.append(len(added))
        total.append(len(seen))
    return new, total


def saturation_table(
    passages: pd.DataFrame,
    assignments: pd.DataFrame,
    participants: pd.DataFrame | None = None,
    codes: pd.DataFrame | None = None,
    min_units: int = 1,
    n_orders: int = N_ORDERS,
    seed: int = 42,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """New and cumulative pain points and codes per interview, in interview order and over random orders.

    Args:
        passages: passage_id, source_id, source_kind, participant_id (``passages.parquet``).
        assignments: passage_id, painpoint_id (``assignments.parquet``); Other is never counted.
        participants: participant_id, interview_date (and interview_file), for the order.
        codes: applied human codes (passage_id, code_id), e.g. ``code_assignments(store, study)``;
            None or empty: the code columns are 0 and the info says so.
        min_units: units an interview must contribute for a pain point (or code) to appear in it.
        n_orders: random orders for the mean and 10th/90th percentile curve.
        seed: seed of the random orders.

    Returns:
        The table (:data:`SATURATION_COLUMNS`, one row per interview) and a plain-JSON info
        with the ``verdict``.

    Example:
        >>> passages = pd.DataFrame({"passage_id": list("abcdefg"), "participant_id": ["P1", "P1", "P2", "P3", "P4", "P5", None],
        ...     "source_id": ["i1", "i1", "i2", "i3", "i4", "i5", "fb.csv"],
        ...     "source_kind": ["interview"] * 6 + ["feedback"]})
        >>> assignments = pd.DataFrame({"passage_id": list("abcdefg"), "painpoint_id": ["PP1", "PP2", "PP2", "PP1", "PP2", "PP1", "PP3"]})
        >>> table, info = saturation_table(passages, assignments, n_orders=20)
        >>> table["new_painpoints"].tolist(), table["cumulative_painpoints"].tolist()
        ([2, 0, 0, 0, 0], [2, 2, 2, 2, 2])
        >>> info["verdict"]
        'The last 4 interviews added no new pain point: saturation is likely; recruiting more of the same people will add little.'
        >>> info["feedback_only_painpoints"]
        ['PP3']
    """
    if min_units < 1:
        raise ValueError(f"min_units must be 1 or more, not {min_units}")
    units = passages[["passage_id", "source_id", "source_kind"]].merge(
        assignments[["passage_id", "painpoint_id"]], on="passage_id", how="inner"
    )
    units["source_id"] = units["source_id"].astype(str)
    kind = units["source_kind"].astype(str)
    interview_units = units[(kind == "interview") & (units["painpoint_id"].astype(str) != OTHER)]
    feedback_units = units[(kind != "interview") & (units["painpoint_id"].astype(str) != OTHER)]
    order = interview_order(passages, participants)
    sources = order["source_id"].tolist()
    painpoint_sets = _items_per_interview(interview_units, "painpoint_id", sources, min_units)
    new_pp, total_pp = _cumulative(painpoint_sets)

    code_note = ""
    if codes is not None and len(codes) and {"passage_id", "code_id"} <= set(codes.columns):
        applied = codes.dropna(subset=["code_id"])[["passage_id", "code_id"]].drop_duplicates()
        coded = applied.merge(passages[["passage_id", "source_id", "source_kind"]], on="passage_id", how="inner")
        coded["source_id"] = coded["source_id"].astype(str)
        coded = coded[coded["source_kind"].astype(str) == "interview"]
        code_sets = _items_per_interview(coded, "code_id", sources, min_units)
        n_codes = int(coded["code_id"].nunique())
    else:
        code_sets = [set() for _ in sources]
        n_codes = 0
        code_note = "no human codes are applied in the store yet: the code columns are 0"
    new_codes, total_codes = _cumulative(code_sets)

    rng = np.random.default_rng(seed)
    curves = np.zeros((max(n_orders, 0), len(sources)))
    for k in range(curves.shape[0]):
        curves[k] = _cumulative([painpoint_sets[i] for i in rng.permutation(len(sources))])[1]
    has_orders = curves.shape[0] > 0 and len(sources) > 0
    table = pd.DataFrame({
        "position": np.arange(1, len(sources) + 1, dtype=np.int64),
        "source_id": sources,
        "participant_id": order["participant_id"].tolist(),
        "new_painpoints": np.asarray(new_pp, dtype=np.int64),
        "cumulative_painpoints": np.asarray(total_pp, dtype=np.int64),
        "new_codes": np.asarray(new_codes, dtype=np.int64),
        "cumulative_codes": np.asarray(total_codes, dtype=np.int64),
        "random_order_mean": curves.mean(axis=0) if has_orders else np.full(len(sources), np.nan),
        "random_order_low": np.percentile(curves, 10, axis=0) if has_orders else np.full(len(sources), np.nan),
        "random_order_high": np.percentile(curves, 90, axis=0) if has_orders else np.full(len(sources), np.nan),
    }, columns=SATURATION_COLUMNS)

    interview_painpoints = set().union(*painpoint_sets) if painpoint_sets else set()
    feedback_painpoints = set(feedback_units["painpoint_id"].astype(str))
    feedback_items = passages[passages["source_kind"].astype(str) != "interview"]
    item_column = "segment_id" if "segment_id" in feedback_items.columns else "passage_id"
    info = {
        "verdict": saturation_verdict(new_pp, table["participant_id"].tolist()),
        "codes_verdict": saturation_verdict(new_codes, table["participant_id"].tolist(), thing="code") if n_codes else "",
        "n_interviews": len(sources),
        "n_painpoints_in_interviews": len(interview_painpoints),
        "n_codes": n_codes,
        "min_units": int(min_units),
        "n_orders": int(max(n_orders, 0)),
        "order": "interview_date" if participants is not None and "interview_date" in getattr(participants, "columns", [])
        and order["date"].notna().any() else "file order",
        "run_needed": SATURATION_RUN,
        "trailing_without_new": _trailing_zeros(new_pp),
        "feedback_items_excluded": int(feedback_items[item_column].nunique()),
        "feedback_only_painpoints": sorted(feedback_painpoints - interview_painpoints),
        "notes": [n for n in (code_note, "feedback items are not interviews: they are left out of the curve") if n],
    }
    return table, info


def _trailing_zeros(new: list[int]) -> int:
    count = 0
    for value in reversed(new):
        if value:
            break
        count += 1
    return count


def saturation_verdict(new_per_interview: list[int], participant_ids: list[Any] | None = None, thing: str = "pain point") -> str:
    """A plain sentence: is the study saturated (the last :data:`SATURATION_RUN` interviews added nothing new)?

    Example:
        >>> saturation_verdict([5, 3, 1, 0, 0, 0, 0])
        'The last 4 interviews added no new pain point: saturation is likely; recruiting more of the same people will add little.'
        >>> saturation_verdict([5, 3, 1, 2], ["P1", "P2", "P3", "P4"])
        'Interview 4 (P4) still added 2 new pain points: not saturated yet.'
        >>> saturation_verdict([5, 3, 1, 0])
        'Interview 3 still added 1 new pain point and only the last 1 interview added none: too early to call saturation (3 in a row without anything new are needed).'
        >>> saturation_verdict([])
        'No interview in these results: saturation cannot be judged (feedback items are not interviews).'
    """
    if not new_per_interview:
        return "No interview in these results: saturation cannot be judged (feedback items are not interviews)."
    trailing = _trailing_zeros(new_per_interview)
    n = len(new_per_interview)
    if trailing == n:
        return f"No interview raised any {thing}: saturation cannot be judged."
    last_position = n - trailing
    added = new_per_interview[last_position - 1]
    who = ""
    if participant_ids is not None and last_position - 1 < len(participant_ids) and participant_ids[last_position - 1]:
        who = f" ({participant_ids[last_position - 1]})"
    plural = "s" if added != 1 else ""
    if trailing >= SATURATION_RUN:
        return (f"The last {trailing} interviews added no new {thing}: saturation is likely; "
                "recruiting more of the same people will add little.")
    if trailing == 0:
        return f"Interview {last_position}{who} still added {added} new {thing}{plural}: not saturated yet."
    return (f"Interview {last_position}{who} still added {added} new {thing}{plural} and only the last {trailing} "
            f"interview{'s' if trailing != 1 else ''} added none: too early to call saturation "
            f"({SATURATION_RUN} in a row without anything new are needed).")


def saturation_figure(saturation: pd.DataFrame, verdict: str = "") -> Any:
    """A Plotly figure of the saturation curve: interview order, random-order mean and 10–90 % band.

    Example:
        >>> table = pd.DataFrame({"position": [1, 2, 3], "cumulative_painpoints": [3, 4, 4], "new_painpoints": [3, 1, 0],
        ...     "random_order_mean": [2.5, 3.6, 4.0], "random_order_low": [2, 3, 4], "random_order_high": [3, 4, 4]})
        >>> len(saturation_figure(table, "Not yet.").data)
        4
    """
    import plotly.graph_objects as go

    x = saturation["position"].tolist()
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=x, y=saturation["random_order_high"].tolist(), mode="lines", line={"width": 0},
                                showlegend=False, hoverinfo="skip"))
    figure.add_trace(go.Scatter(x=x, y=saturation["random_order_low"].tolist(), mode="lines", line={"width": 0},
                                fill="tonexty", fillcolor="rgba(107,114,128,0.18)", name="random orders, 10–90 %"))
    figure.add_trace(go.Scatter(x=x, y=saturation["random_order_mean"].tolist(), mode="lines",
                                line={"dash": "dash", "color": "#6b7280"}, name="random orders, mean"))
    figure.add_trace(go.Scatter(x=x, y=saturation["cumulative_painpoints"].tolist(), mode="lines+markers",
                                line={"color": "#2563eb"}, name="interview order",
                                customdata=saturation["new_painpoints"].tolist(),
                                hovertemplate="after interview %{x}: %{y} pain points (+%{customdata})<extra></extra>"))
    figure.update_layout(title=verdict or "Pain points found as interviews are added", xaxis_title="interviews",
                         yaxis_title="pain points found", template="plotly_white", height=380,
                         title_font_size=13)
    return figure
