"""The report's evidence: how far to trust the pain points (stability, saturation, impact on scores).

Reads the evidence tables of :mod:`workbench.rigour` saved beside the results; results that
predate them say "not measured".

Example:
    >>> _stability_badge({"stability": 0.9})["level"]
    'stable'
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from markupsafe import Markup

from workbench.share.charts import _saturation_svg
from workbench.share.loading import Results
from workbench.share.text import _NUMERIC_TEXT, _numeric, format_signed
from workbench.share.values import _number, _value


def _stability_badge(row: Mapping[str, Any]) -> dict[str, str]:
    """The stability of one pain point for readers: level (stable/moderate/unstable/none) and a line.

    Example:
        >>> badge = _stability_badge({"stability": 0.4, "found_in": 3, "runs": 10})
        >>> badge["level"], badge["text"], str(badge["score"])
        ('unstable', 'unstable: only 3 of 10 reruns found it', '0.40')
        >>> _stability_badge({})["level"]
        'none'
    """
    from workbench.rigour.stability import STABLE_AT, UNSTABLE_BELOW, stability_note

    stability = _number(row.get("stability"))
    found_in, runs = _number(row.get("found_in")), _number(row.get("runs"))
    if stability is None:
        return {"level": "none", "text": "not measured", "score": "–"}
    level = "stable" if stability >= STABLE_AT else "unstable" if stability < UNSTABLE_BELOW else "moderate"
    if found_in is None or runs is None:
        text = {"stable": "stable", "unstable": "unstable", "moderate": "boundary moves"}[level]
    else:
        text = stability_note(stability, int(found_in), int(runs))
    return {"level": level, "text": text, "score": _numeric(f"{stability:.2f}")}


def _impact_text(value: float | None, metric: str) -> str:
    """ "+4.4 NPS" / "+0.10 rating" style text of an impact (score without minus score with).

    Example:
        >>> str(_impact_text(4.4375, "NPS (-100..100)")), str(_impact_text(-0.1, "rating (1-5)")), _impact_text(None, "")
        ('+4.4 NPS', '−0.10 rating', '–')
    """
    if value is None:
        return "–"
    # the unit word comes from a fixed list (never from the file), so the text can be marked safe
    word = next((w for w in ("NPS", "CSAT", "rating") if metric.startswith(w)), "")
    text = format_signed(value, 1 if word == "NPS" else 2)
    return Markup(f"{text} {word}".strip()) if _NUMERIC_TEXT.match(text) else text


def _evidence_view(results: Results, cards: list[dict[str, Any]], charts: bool) -> dict[str, Any]:
    """Stability per pain point, the saturation curve and verdict, and impact beside reach (issue 9)."""
    info = results.manifest.get("info", {}) if isinstance(results.manifest.get("info"), dict) else {}
    evidence = info.get("evidence", {}) if isinstance(info.get("evidence"), dict) else {}
    stability_rows = {}
    if not results.stability.empty and "painpoint_id" in results.stability.columns:
        stability_rows = {str(r["painpoint_id"]): r for r in results.stability.to_dict("records")}
    elif "stability" in results.painpoints.columns:
        stability_rows = {str(r["painpoint_id"]): r for r in results.painpoints.to_dict("records")}
    impact = results.impact if {"painpoint_id", "metric", "impact"} <= set(results.impact.columns) else pd.DataFrame()
    primary = ""
    if not impact.empty:
        from workbench.rigour.impact import primary_metric

        primary = primary_metric(impact)
    primary_rows = ({str(r["painpoint_id"]): r for r in impact[impact["metric"] == primary].to_dict("records")}
                    if primary else {})
    for card in cards:
        card["stability"] = _stability_badge(stability_rows.get(card["id"], {}))
        row = primary_rows.get(card["id"])
        card["impact_text"] = _impact_text(_number(row["impact"]), primary) if row is not None else "–"

    stability_info = evidence.get("stability", {}) if isinstance(evidence.get("stability"), dict) else {}
    measured = bool(stability_rows)
    per_run = stability_info.get("painpoints_per_run") or {}
    n_stable = sum(1 for c in cards if c["stability"]["level"] == "stable")
    n_unstable = sum(1 for c in cards if c["stability"]["level"] == "unstable")
    stability = {
        "available": measured,
        "n_runs": int(stability_info.get("n_runs") or 0),
        "sentence": (
            f"{n_stable} of {len(cards)} pain points are stable (found again with a mean Jaccard of 0.75 or more "
            f"across {int(stability_info.get('n_runs') or 0)} reruns with other seeds and 80% resamples), "
            f"{n_unstable} unstable (below 0.5)."
            + (f" The reruns found {per_run.get('min')} to {per_run.get('max')} pain points." if per_run else "")
        ) if measured else "Stability was not measured in these results (run `workbench analyze` again).",
    }

    saturation_info = evidence.get("saturation", {}) if isinstance(evidence.get("saturation"), dict) else {}
    table = results.saturation
    needed = {"position", "cumulative_painpoints", "new_painpoints"}
    saturation: dict[str, Any] = {"available": False, "verdict": "", "svg": "", "rows": [], "notes": []}
    if not table.empty and needed <= set(table.columns):
        rows = []
        for r in table.to_dict("records"):
            mean, low, high = (_number(r.get(k)) for k in ("random_order_mean", "random_order_low", "random_order_high"))
            rows.append({
                "position": int(r["position"]),
                "who": str(_value(r, "participant_id", "") or _value(r, "source_id", "") or ""),
                "new": int(r["new_painpoints"]),
                "cumulative": int(r["cumulative_painpoints"]),
                "new_codes": int(_number(r.get("new_codes")) or 0),
                "random_text": _numeric(f"{mean:.1f} ({low:.0f}–{high:.0f})" if None not in (mean, low, high) else "–"),
                "mean": mean, "low": low, "high": high,
            })
        excluded = saturation_info.get("feedback_items_excluded")
        notes = [f"{int(excluded):,} feedback items are not interviews and are left out of the curve."] if excluded else []
        if saturation_info.get("n_codes"):
            notes.append(str(saturation_info.get("codes_verdict") or ""))
        saturation = {
            "available": True,
            "verdict": str(saturation_info.get("verdict") or ""),
            "svg": _saturation_svg(rows) if charts else "",
            "rows": rows,
            "notes": [n for n in notes if n],
            "with_codes": bool(saturation_info.get("n_codes")),
        }

    impact_rows = []
    for r in (impact.to_dict("records") if not impact.empty else []):
        metric = str(r["metric"])
        digits = 1 if metric.startswith("NPS") else 2
        impact_rows.append({
            "label": str(r.get("label", r["painpoint_id"])),
            "id": str(r["painpoint_id"]),
            "metric": metric,
            "n_items": int(r.get("n_items") or 0),
            "reach_text": _numeric(f"{float(r.get('reach') or 0):.0%}"),
            "score_all": _numeric(f"{float(r['score_all']):.{digits}f}"),
            "score_without": _numeric(f"{float(r['score_without']):.{digits}f}"
                                      if _number(r.get("score_without")) is not None else "–"),
            "impact_text": _numeric(format_signed(_number(r["impact"]), digits)),
            "drags": (_number(r["impact"]) or 0) > 0,
        })
    impact_view = {
        "available": bool(impact_rows),
        "primary": primary,
        "rows": impact_rows,
        "reason": "" if impact_rows else (
            "No feedback item in these results carries a rating, NPS or CSAT score." if evidence.get("impact")
            else "Impact on scores was not measured in these results."),
    }
    return {"available": measured or saturation["available"] or impact_view["available"],
            "stability": stability, "saturation": saturation, "impact": impact_view}
