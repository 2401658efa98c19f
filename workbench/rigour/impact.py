"""What does each pain point cost in NPS, stars or CSAT? The score with and without its items.

Feedback items often carry a score: a star rating (app-store reviews, 1–5), an NPS answer
(0–10), a CSAT answer (1–5). For each pain point and each metric:

* ``score_all``: the metric over every scored item;
* ``score_without``: the metric over the scored items that do *not* belong to the pain point
  (an item belongs to it when any of its units is assigned to it);
* ``impact = score_without - score_all``: how much the overall score would move if the pain
  point's customers scored like the rest. Positive: the pain point drags the score down.

**Metrics.** NPS is ``% promoters (9–10) - % detractors (0–6)`` on -100..100; star ratings
and CSAT are means on 1..5 (the mean, not top-2-box: it keeps the units of the scale people
answered in and does not throw away the difference between a 1 and a 3 on small samples).

**Which metric a score is** (:func:`metric_of_column`) is decided per source file, because one
``rating`` column of the segments table mixes them (stars from one export, NPS from another):
first by the name of the source column the ingest report says was used as the rating
(``rating='NPS (0-10)'``: "nps"/"recommend" → NPS, "csat"/"satisf" → CSAT, anything else →
rating), then by the values when the name says nothing: scores above 5 up to 10 are NPS's
0–10 scale, 1–5 is a rating. Extra ``meta_*`` columns whose name says CSAT or NPS are scored
too (``meta_csat_1_5`` → CSAT). Scores outside the metric's scale are ignored.

Example:
    >>> table = painpoint_impact(segments, assignments, painpoints, ingest_report)  # doctest: +SKIP
    >>> table.sort_values("impact", ascending=False).head(3)  # doctest: +SKIP
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

OTHER = "other"
NPS = "NPS (-100..100)"
RATING = "rating (1-5)"
CSAT = "CSAT (1-5)"
#: the valid answers of each metric's scale
SCALES = {NPS: (0.0, 10.0), RATING: (1.0, 5.0), CSAT: (1.0, 5.0)}
IMPACT_COLUMNS = ["painpoint_id", "label", "metric", "n_items", "score_all", "score_without", "impact", "reach"]


def nps(scores: pd.Series | np.ndarray | list[float]) -> float:
    """Net Promoter Score: % promoters (9–10) minus % detractors (0–6), -100..100; NaN when empty.

    Example:
        >>> nps([10, 9, 8, 7, 6, 0])  # 2 promoters, 2 detractors of 6
        0.0
        >>> nps([10, 10, 3, 9])
        50.0
    """
    values = np.asarray(scores, dtype=float)
    if not len(values):
        return float("nan")
    return float(100.0 * ((values >= 9).mean() - (values <= 6).mean()))


def score(values: pd.Series | np.ndarray | list[float], metric: str) -> float:
    """The metric over ``values``: NPS for :data:`NPS`, else the mean; NaN when empty.

    Example:
        >>> score([5, 4, 1], RATING), score([9, 10, 2], NPS), score([], CSAT)
        (3.3333333333333335, 33.33333333333333, nan)
    """
    array = np.asarray(values, dtype=float)
    if not len(array):
        return float("nan")
    return nps(array) if metric == NPS else float(array.mean())


def metric_of_column(column_name: str | None, values: pd.Series | None = None) -> str | None:
    """Which metric a score column holds: by its name, else by the range of its values (None: not a score).

    Example:
        >>> metric_of_column("NPS (0-10)"), metric_of_column("How likely are you to recommend us?")
        ('NPS (-100..100)', 'NPS (-100..100)')
        >>> metric_of_column("meta_csat_1_5"), metric_of_column("rating"), metric_of_column("stars")
        ('CSAT (1-5)', 'rating (1-5)', 'rating (1-5)')
        >>> metric_of_column(None, pd.Series([0, 7, 10])), metric_of_column(None, pd.Series([1, 4, 5]))
        ('NPS (-100..100)', 'rating (1-5)')
        >>> metric_of_column(None, pd.Series([12, 80])) is None
        True
    """
    name = str(column_name or "").lower()
    if re.search(r"\bnps\b|nps|recommend", name):
        return NPS
    if re.search(r"csat|satisf", name):
        return CSAT
    if name and not name.startswith("meta_") and re.search(r"rating|star|score|grade|rate", name):
        return _metric_by_values(values) if values is not None and _metric_by_values(values) == NPS else RATING
    if values is not None:
        return _metric_by_values(values)
    return None


def _metric_by_values(values: pd.Series) -> str | None:
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    if numbers.empty:
        return None
    low, high = float(numbers.min()), float(numbers.max())
    if low >= 0 and 5 < high <= 10:
        return NPS
    if low >= 0 and high <= 5:
        return RATING
    return None


_RATING_NOTE = re.compile(r"\brating='((?:[^'\\]|\\.)*)'")


def rating_columns(ingest_report: Mapping[str, Any] | None) -> dict[str, str]:
    """source_id -> name of the column the ingest used as ``rating``, from the ingest report's notes.

    Example:
        >>> report = {"files": [{"source_id": "feedback/survey.xlsx", "notes": ["columns used: item_id='ID', rating='NPS (0-10)'"]}]}
        >>> rating_columns(report)
        {'feedback/survey.xlsx': 'NPS (0-10)'}
    """
    found: dict[str, str] = {}
    for entry in (ingest_report or {}).get("files", []) or []:
        for note in entry.get("notes", []) or []:
            match = _RATING_NOTE.search(str(note))
            if match:
                found[str(entry.get("source_id"))] = match.group(1)
    return found


def scored_items(segments: pd.DataFrame, ingest_report: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """One row per (item, metric) with a valid score: segment_id, source_id, metric, value.

    The ``rating`` column is read per source file with that file's metric (:func:`metric_of_column`);
    ``meta_*`` columns named for CSAT or NPS add their own scores.

    Example:
        >>> segments = pd.DataFrame({"segment_id": ["a", "b", "c"], "source_id": ["reviews.csv", "reviews.csv", "survey.xlsx"],
        ...     "rating": [5.0, 2.0, 9.0], "meta_csat_1_5": [None, None, "4"]})
        >>> report = {"files": [{"source_id": "survey.xlsx", "notes": ["rating='NPS (0-10)'"]}]}
        >>> scored_items(segments, report)[["segment_id", "metric", "value"]].values.tolist()
        [['a', 'rating (1-5)', 5.0], ['b', 'rating (1-5)', 2.0], ['c', 'NPS (-100..100)', 9.0], ['c', 'CSAT (1-5)', 4.0]]
    """
    columns = rating_columns(ingest_report)
    parts = []
    if "rating" in segments.columns:
        rated = segments[["segment_id", "source_id", "rating"]].copy()
        rated["value"] = pd.to_numeric(rated["rating"], errors="coerce")
        rated = rated.dropna(subset=["value"])
        for source_id, part in rated.groupby(rated["source_id"].astype(str), sort=False):
            metric = metric_of_column(columns.get(source_id), part["value"])
            if metric is not None:
                parts.append(part.assign(metric=metric)[["segment_id", "source_id", "metric", "value"]])
    for column in segments.columns:
        if not str(column).startswith("meta_"):
            continue
        name = str(column).lower()
        if not re.search(r"csat|satisf|nps|recommend", name):
            continue
        values = pd.to_numeric(segments[column], errors="coerce")
        if values.notna().sum() == 0:
            continue
        metric = metric_of_column(name, values.dropna())
        if metric is None:
            continue
        part = segments.loc[values.notna(), ["segment_id", "source_id"]].assign(metric=metric, value=values[values.notna()])
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=["segment_id", "source_id", "metric", "value"])
    items = pd.concat(parts, ignore_index=True)
    low = items["metric"].map(lambda m: SCALES[m][0])
    high = items["metric"].map(lambda m: SCALES[m][1])
    items = items[(items["value"] >= low) & (items["value"] <= high)]
    items = items.drop_duplicates(subset=["segment_id", "metric"])
    items["value"] = items["value"].astype(float)
    return items.reset_index(drop=True)


def painpoint_impact(
    segments: pd.DataFrame,
    assignments: pd.DataFrame,
    painpoints: pd.DataFrame,
    ingest_report: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Per pain point and metric: scored items, score with all items, without the pain point's, impact, reach.

    ``reach`` is the share of the metric's scored items that belong to the pain point. The Other
    bucket gets no row. Rows are sorted by metric (most scored items first), then impact.

    Example:
        >>> segments = pd.DataFrame({"segment_id": ["s1", "s2", "s3", "s4"], "source_id": "reviews.csv",
        ...                          "rating": [1.0, 2.0, 5.0, 4.0]})
        >>> assignments = pd.DataFrame({"segment_id": ["s1", "s2", "s3", "s4"], "painpoint_id": ["PP01", "PP01", "PP02", "other"]})
        >>> painpoints = pd.DataFrame({"painpoint_id": ["PP01", "PP02", "other"], "label": ["Crashes", "Fast", "Other"]})
        >>> table = painpoint_impact(segments, assignments, painpoints)
        >>> table[["painpoint_id", "n_items", "score_all", "score_without", "impact"]].values.tolist()
        [['PP01', 2, 3.0, 4.5, 1.5], ['PP02', 1, 3.0, 2.3333333333333335, -0.6666666666666665]]
    """
    items = scored_items(segments, ingest_report)
    if items.empty or painpoints.empty:
        return pd.DataFrame(columns=IMPACT_COLUMNS)
    labels = dict(zip(painpoints["painpoint_id"].astype(str), painpoints["label"].astype(str)))
    ids = [p for p in painpoints["painpoint_id"].astype(str) if p != OTHER]
    membership = assignments[["segment_id", "painpoint_id"]].astype(str).drop_duplicates()
    members_of = membership.groupby("painpoint_id")["segment_id"].agg(set).to_dict()
    metric_sizes = items["metric"].value_counts(sort=False).sort_values(ascending=False, kind="stable")
    rows = []
    for metric in metric_sizes.index:
        scored = items[items["metric"] == metric]
        values = scored["value"].to_numpy()
        segment_ids = scored["segment_id"].astype(str).to_numpy()
        score_all = score(values, metric)
        for pid in ids:
            inside = np.isin(segment_ids, list(members_of.get(pid, set())))
            n_items = int(inside.sum())
            if n_items == 0:
                continue
            score_without = score(values[~inside], metric)
            rows.append({
                "painpoint_id": pid, "label": labels.get(pid, pid), "metric": metric, "n_items": n_items,
                "score_all": score_all, "score_without": score_without, "impact": score_without - score_all,
                "reach": n_items / len(values),
            })
    table = pd.DataFrame(rows, columns=IMPACT_COLUMNS)
    if table.empty:
        return table
    order = {m: i for i, m in enumerate(metric_sizes.index)}
    table["_metric_order"] = table["metric"].map(order)
    table = table.sort_values(["_metric_order", "impact"], ascending=[True, False], kind="stable")
    table["n_items"] = table["n_items"].astype("int64")
    return table.drop(columns="_metric_order").reset_index(drop=True)


def impact_columns(painpoints: pd.DataFrame, impact: pd.DataFrame) -> pd.DataFrame:
    """``painpoints`` with ``impact``, ``impact_metric``, ``impact_items`` for the primary metric (most scored items).

    Pain points without a scored item (and Other) get NaN and 0 items; ``impact_metric`` is ""
    when no item carries a score at all.

    Example:
        >>> painpoints = pd.DataFrame({"painpoint_id": ["PP01", "PP02", "other"]})
        >>> impact = pd.DataFrame({"painpoint_id": ["PP01"], "metric": [RATING], "n_items": [2], "impact": [1.5]})
        >>> impact_columns(painpoints, impact)[["impact", "impact_metric", "impact_items"]].values.tolist()
        [[1.5, 'rating (1-5)', 2], [nan, 'rating (1-5)', 0], [nan, '', 0]]
    """
    table = painpoints.copy()
    if impact is None or impact.empty:
        table["impact"], table["impact_metric"], table["impact_items"] = np.nan, "", 0
        table["impact_items"] = table["impact_items"].astype("int64")
        return table
    primary = primary_metric(impact)
    rows = impact[impact["metric"] == primary].set_index("painpoint_id")
    ids = table["painpoint_id"].astype(str)
    table["impact"] = [float(rows.loc[p, "impact"]) if p in rows.index else np.nan for p in ids]
    table["impact_metric"] = ["" if p == OTHER else primary for p in ids]
    table["impact_items"] = np.asarray([int(rows.loc[p, "n_items"]) if p in rows.index else 0 for p in ids], dtype=np.int64)
    return table


def primary_metric(impact: pd.DataFrame) -> str:
    """The metric with the most scored items (the first in :func:`painpoint_impact`'s order).

    Example:
        >>> primary_metric(pd.DataFrame({"metric": [NPS, RATING, RATING], "n_items": [3, 40, 2]}))
        'rating (1-5)'
    """
    if "reach" in impact.columns and "n_items" in impact.columns and impact["reach"].gt(0).all():
        totals = (impact["n_items"] / impact["reach"]).round().groupby(impact["metric"], sort=False).max()
    else:
        totals = impact.groupby("metric", sort=False)["n_items"].sum()
    return str(totals.idxmax())  # ties: the metric listed first


def impact_summary(impact: pd.DataFrame, items: pd.DataFrame | None = None) -> dict[str, Any]:
    """Plain-JSON summary for the manifest: per metric the scored items, the overall score, the top drag.

    Example:
        >>> impact = pd.DataFrame({"painpoint_id": ["PP01"], "label": ["Crashes"], "metric": [RATING], "n_items": [2],
        ...     "score_all": [3.0], "score_without": [4.5], "impact": [1.5], "reach": [0.5]})
        >>> impact_summary(impact)["metrics"][0]["top_drag"]
        'PP01'
    """
    metrics = []
    if impact is not None and not impact.empty:
        for metric, part in impact.groupby("metric", sort=False):
            top = part.sort_values("impact", ascending=False, kind="stable").iloc[0]
            n_scored = int(round(float((part["n_items"] / part["reach"]).max()))) if (part["reach"] > 0).all() else None
            metrics.append({
                "metric": str(metric), "n_scored_items": n_scored, "score_all": round(float(part["score_all"].iloc[0]), 3),
                "top_drag": str(top["painpoint_id"]), "top_drag_impact": round(float(top["impact"]), 3),
            })
    return {"metrics": metrics, "primary": metrics[0]["metric"] if metrics else "",
            "rule": "metric per source from the ingest report's rating column name, else its value range; "
                    "NPS = % promoters (9-10) - % detractors (0-6); rating and CSAT = mean of 1-5"}
