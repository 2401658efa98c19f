"""The report's journey: the stage × touchpoint map, stage effectiveness, the worst stage, the emotion curve.

Stages and touchpoints come in journey order and the scores use the formulas of
:mod:`workbench.people.journey`, so the report and the notebooks agree.

Example:
    >>> _worst_stage([{"stage": "support", "units": 10, "score": 31.0, "sentiment": -0.4},
    ...               {"stage": "use", "units": 30, "score": 58.0, "sentiment": 0.1}])["stage"]
    'support'
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from workbench.share.charts import _emotion_svg, _sentiment_colour
from workbench.share.loading import Results
from workbench.share.text import _sentiment_word, _severity_level, format_signed
from workbench.share.values import _value


def _stage_order(stages: Iterable[str]) -> list[str]:
    """Stages in journey order (``unknown`` last), as :func:`workbench.people.journey.ordered_stages`."""
    present = [s for s in dict.fromkeys(str(s) for s in stages) if s and s not in ("None", "nan")]
    try:
        from workbench.people.journey import ordered_stages

        return ordered_stages(present)
    except ImportError:  # pragma: no cover - journey module absent
        from workbench.analysis.lenses import STAGE_LABELS

        known = [s for s in STAGE_LABELS if s in present]
        return known + sorted(s for s in present if s not in known)


def _touchpoint_order(touchpoints: Iterable[str]) -> list[str]:
    """Touchpoints in map order (``unknown`` last), as :func:`workbench.people.journey.ordered_touchpoints`."""
    present = [t for t in dict.fromkeys(str(t) for t in touchpoints) if t and t not in ("None", "nan")]
    try:
        from workbench.people.journey import ordered_touchpoints

        return ordered_touchpoints(present)
    except ImportError:  # pragma: no cover - journey module absent
        from workbench.analysis.lenses import TOUCHPOINT_LABELS

        known = [t for t in TOUCHPOINT_LABELS if t in present]
        return known + sorted(t for t in present if t not in known)


def _journey_view(results: Results, personas: dict[str, Any], charts: bool) -> dict[str, Any]:
    journey = results.journey
    if journey is None or journey.empty or not {"stage", "touchpoint"} <= set(journey.columns):
        note = results.notes.get("journey")
        return {
            "available": False,
            "reason": "The journey map is not available in these results" + (f" ({note})." if note else "."),
            "stages": [], "touchpoints": [], "rows": [], "effectiveness": [], "worst": None,
            "emotion": {"available": False, "reason": "", "svg": "", "table": [], "stages": []},
        }
    journey = journey.copy()
    units_column = "n_units" if "n_units" in journey.columns else "n_segments"
    journey["_units"] = pd.to_numeric(journey.get(units_column, 0), errors="coerce").fillna(0)
    journey["_sentiment"] = pd.to_numeric(journey.get("sentiment_mean"), errors="coerce")
    journey["_pain"] = pd.to_numeric(journey["pain_share"], errors="coerce") if "pain_share" in journey else float("nan")
    stages = _stage_order(journey["stage"])
    touchpoints = _touchpoint_order(journey["touchpoint"])
    cells = {(str(r["stage"]), str(r["touchpoint"])): r for r in journey.to_dict("records")}
    max_units = max(float(journey["_units"].max() or 0), 1.0)
    rows = []
    for touchpoint in touchpoints:
        row_cells = []
        for stage in stages:
            cell = cells.get((stage, touchpoint))
            if cell is None or not cell["_units"]:
                row_cells.append({"empty": True, "units": 0, "colour": "#ffffff", "sentiment": None, "top": "",
                                  "pain_text": ""})
                continue
            sentiment = None if pd.isna(cell["_sentiment"]) else float(cell["_sentiment"])
            pain = None if pd.isna(cell["_pain"]) else float(cell["_pain"])
            row_cells.append(
                {
                    "empty": False,
                    "units": int(cell["_units"]),
                    "sentiment": sentiment,
                    "colour": _sentiment_colour(sentiment),
                    "weight": "700" if cell["_units"] >= max_units * 0.5 else "500",
                    "top": str(_value(cell, "top_painpoint_label", "") or ""),
                    "pain_text": f"{pain:.0%} pain" if pain is not None else "",
                }
            )
        rows.append({"touchpoint": touchpoint, "cells": row_cells})
    effectiveness = _stage_effectiveness(results, journey, stages)
    worst = _worst_stage(effectiveness)
    emotion = _emotion_view(results, personas, stages, charts)
    return {
        "available": True,
        "reason": "",
        "stages": stages,
        "touchpoints": touchpoints,
        "rows": rows,
        "effectiveness": effectiveness,
        "worst": worst,
        "emotion": emotion,
    }


def _stage_effectiveness(results: Results, journey: pd.DataFrame, stages: list[str]) -> list[dict[str, Any]]:
    """Per stage: units, mean sentiment, pain share, most raised pain point, effectiveness 0–100.

    Effectiveness is :func:`workbench.people.journey.stage_effectiveness`:
    ``50 × (1 + sentiment) × (1 − 0.5 × pain share)``.
    """
    scores: dict[str, float] = {}
    try:
        from workbench.people.journey import stage_effectiveness

        matrix = journey.assign(n_units=journey["_units"], sentiment_mean=journey["_sentiment"].fillna(0.0),
                                pain_share=journey["_pain"].fillna(0.0))
        table = stage_effectiveness(matrix)
        scores = {str(r["stage"]): float(r["effectiveness"]) for r in table.to_dict("records")}
    except Exception:  # noqa: BLE001 - journey module absent or changed: use the same formula here
        scores = {}
    rows = []
    for stage in stages:
        part = journey[journey["stage"].astype(str) == stage]
        units = float(part["_units"].sum())
        if not units:
            continue
        weights = part["_units"]
        sentiment = float((part["_sentiment"].fillna(0) * weights).sum() / units)
        pain = float((part["_pain"].fillna(0) * weights).sum() / units) if part["_pain"].notna().any() else None
        top = ""
        if "top_painpoint_label" in part.columns:
            labelled = part.dropna(subset=["top_painpoint_label"])
            if len(labelled):
                by_label = labelled.groupby(labelled["top_painpoint_label"].astype(str))["_units"].sum()
                top = str(by_label.sort_values(ascending=False, kind="stable").index[0])
        score = scores.get(stage)
        if score is None:
            score = 50.0 * (1.0 + sentiment) * (1.0 - 0.5 * (pain or 0.0))
        score = max(0.0, min(100.0, score))
        rows.append(
            {
                "stage": stage,
                "units": int(units),
                "sentiment": sentiment,
                "sentiment_word": _sentiment_word(sentiment),
                "pain_share": pain,
                "pain_text": f"{pain:.0%}" if pain is not None else "–",
                "top": top,
                "score": score,
                "score_text": f"{score:.0f}",
                "level": _severity_level(100 - score),
            }
        )
    return rows


def _worst_stage(effectiveness: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The stage with the lowest effectiveness among stages holding at least 5% of the units."""
    known = [r for r in effectiveness if r["stage"] != "unknown"]
    total = sum(r["units"] for r in known)
    candidates = [r for r in known if total and r["units"] >= 0.05 * total] or known
    if not candidates:
        return None
    return min(candidates, key=lambda r: (r["score"], r["sentiment"]))


def _emotion_view(results: Results, personas: dict[str, Any], stages: list[str], charts: bool) -> dict[str, Any]:
    """Mean sentiment per persona and stage (:func:`workbench.people.journey.emotion_curve`), with an SVG chart."""
    unavailable = {"available": False, "svg": "", "table": [], "stages": [], "series": []}
    passages = results.passages
    cards = personas.get("cards", [])
    if passages is None or "sentiment" not in passages.columns:
        return {**unavailable, "reason": "The emotion curve needs the passages with their sentiment."}
    if not cards:
        return {**unavailable, "reason": "The emotion curve is drawn per persona; there are no personas in these results."}
    try:
        from workbench.people.journey import emotion_curve

        membership = {member: card["id"] for card in cards for member in card["members"]}
        curve = emotion_curve(passages, membership, results.assignments, include_all=True)
    except Exception as error:  # noqa: BLE001 - an optional chart must never stop the report
        return {**unavailable, "reason": f"The emotion curve could not be computed ({type(error).__name__})."}
    curve = curve[curve["stage"].astype(str) != "unknown"]
    curve_stages = _stage_order(curve["stage"])
    if not curve_stages:
        return {**unavailable, "reason": "No interviewee passage has a journey stage, so there is no emotion curve."}
    means = {(str(r["persona_id"]), str(r["stage"])): r["sentiment_mean"] for r in curve.to_dict("records")}

    def values(persona_id: str) -> list[float | None]:
        found = [means.get((persona_id, stage)) for stage in curve_stages]
        return [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in found]

    series = [{"name": card["name"], "colour": card["colour"], "dashed": False, "values": values(card["id"])}
              for card in cards]
    series.append({"name": "All interviewees", "colour": "#6b7280", "dashed": True, "values": values("all")})
    table = [{"name": s["name"], "colour": s["colour"], "values": [format_signed(v) for v in s["values"]]}
             for s in series]
    return {"available": True, "reason": "", "svg": _emotion_svg(curve_stages, series) if charts else "",
            "table": table, "stages": curve_stages, "series": series}
