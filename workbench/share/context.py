"""The report's view: everything the templates print, built from the loaded results as plain values.

:func:`build_context` puts the sections together (pain points, personas, journey, evidence)
with the counts, the summary and the method; the HTML and Markdown templates print only what it
returns.

Example:
    >>> table = pd.DataFrame([{"painpoint_id": "PP01", "label": "Refunds take weeks", "severity": 71.0}])
    >>> build_context(Results(Path("results"), table), charts=False)["counts"]["painpoints"]
    1
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.share.evidence_section import _evidence_view
from workbench.share.journey_section import _journey_view
from workbench.share.loading import Results
from workbench.analysis.kinds import PAINPOINT_KINDS, row_kinds
from workbench.share.painpoints_section import _is_other, _other_bucket, _painpoint_cards, _what_works
from workbench.share.personas_section import _personas_view
from workbench.share.values import _value
from workbench.share.workshop_section import _workshop_view


def build_context(results: Results, charts: bool = True) -> dict[str, Any]:
    """Everything the templates print, as plain values (strings, numbers, lists, dicts).

    Args:
        results: the loaded results.
        charts: also build the inline SVG charts (HTML and PDF only).

    Example:
        >>> table = pd.DataFrame([{"painpoint_id": "PP01", "label": "Refunds take weeks", "severity": 71.0}])
        >>> context = build_context(Results(Path("results"), table), charts=False)
        >>> context["painpoints"][0]["label"], context["personas"]["available"]
        ('Refunds take weeks', False)
    """
    speakers = _speaker_lookup(results)
    counts = _counts(results)
    painpoints = _painpoint_cards(results, speakers, counts)
    what_works = _what_works(results, speakers, counts)
    evidence = _evidence_view(results, painpoints, charts)
    other = _other_bucket(results, counts)
    personas = _personas_view(results, counts, speakers)
    journey = _journey_view(results, personas, charts)
    manifest = results.manifest
    created = str(manifest.get("created_at") or "")
    return {
        "study_name": results.study_name,
        "analysed_on": created[:10],
        "generated_on": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
        "counts": counts,
        "summary": _summary(painpoints, personas, journey, what_works["delights"]),
        "painpoints": painpoints,
        "what_works": what_works,
        "other": other,
        "personas": personas,
        "journey": journey,
        "evidence": evidence,
        "workshop": _workshop_view(results),
        "method": _method(results, counts, other),
        "version": _workbench_version(),
    }


def _workbench_version() -> str:
    try:
        from workbench import __version__

        return __version__
    except ImportError:  # pragma: no cover
        return "unknown"


def _counts(results: Results) -> dict[str, Any]:
    segments = results.segments
    interviewees = 0
    interviews = 0
    feedback_items = 0
    feedback_sources = 0
    if results.participants is not None and "participant_id" in results.participants.columns:
        interviewees = int(results.participants["participant_id"].nunique())
    if segments is not None and "source_kind" in segments.columns:
        kind = segments["source_kind"].astype("string")
        interview_rows = segments[kind == "interview"]
        feedback_rows = segments[kind == "feedback"]
        if "source_id" in segments.columns:
            interviews = int(interview_rows["source_id"].nunique())
            feedback_sources = int(feedback_rows["source_id"].nunique())
        feedback_items = len(feedback_rows)
        if not interviewees and "participant_id" in segments.columns:
            interviewees = int(interview_rows["participant_id"].dropna().nunique())
    manifest_counts = results.manifest.get("counts", {}) if isinstance(results.manifest.get("counts"), dict) else {}
    units = len(results.passages) if results.passages is not None else int(manifest_counts.get("passages", 0) or 0)
    if not units and "n_units" in results.painpoints.columns:
        units = int(pd.to_numeric(results.painpoints["n_units"], errors="coerce").fillna(0).sum())
    kinds = row_kinds(results.painpoints)
    n_painpoints = int((~_is_other(results.painpoints) & kinds.isin(PAINPOINT_KINDS)).sum())
    return {
        "interviewees": interviewees,
        "interviews": interviews or interviewees,
        "feedback_items": feedback_items,
        "feedback_sources": feedback_sources,
        "units": units,
        "segments": int(manifest_counts.get("segments", len(segments) if segments is not None else 0) or 0),
        "painpoints": n_painpoints,
    }


def _speaker_lookup(results: Results) -> dict[str, dict[str, str]]:
    """segment_id -> who said it ("P07, interview" / "App Store review") and its redacted text."""
    segments = results.segments
    if segments is None or "segment_id" not in segments.columns:
        return {}
    lookup: dict[str, dict[str, str]] = {}
    for row in segments.to_dict("records"):
        lookup[str(row["segment_id"])] = {
            "who": _source_label(row),
            "participant_id": str(_value(row, "participant_id", "") or ""),
            "text": str(_value(row, "text_redacted", "") or ""),
        }
    return lookup


def _source_label(row: Mapping[str, Any]) -> str:
    """Who a segment is from, in readers' words: "P07, interview", "App Store review", "Support email".

    Example:
        >>> _source_label({"source_kind": "interview", "participant_id": "P07"})
        'P07, interview'
        >>> _source_label({"source_kind": "feedback", "source_id": "feedback/app_store_reviews.csv", "channel": "App Store"})
        'App Store review'
        >>> _source_label({"source_kind": "feedback", "source_id": "feedback/post_trip_survey.xlsx", "channel": "App"})
        'Post-trip survey (App)'
    """
    kind = str(_value(row, "source_kind", "") or "")
    if kind == "interview":
        who = _value(row, "participant_id") or _value(row, "speaker") or "Interviewee"
        return f"{who}, interview"
    source = Path(str(_value(row, "source_id", "") or "feedback")).stem
    words = [w for w in re.split(r"[_\-\s]+", source) if w]
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    name = " ".join(words) or "feedback"
    name = re.sub(r"\bpost trip\b", "post-trip", name, flags=re.IGNORECASE)
    name = re.sub(r"\bemail\b", "email", name, flags=re.IGNORECASE)
    channel = str(_value(row, "channel", "") or "").strip()
    lowered = name.lower()
    if channel and "review" in lowered and channel.lower().replace(" ", "_") in source.lower():
        return f"{channel} review"
    if channel and "review" in lowered and channel.lower() in ("app store", "google play", "play store", "trustpilot"):
        return f"{channel} review"
    label = name[:1].upper() + name[1:]
    if channel and channel.lower() not in lowered and channel.lower() not in ("email", "e-mail", "interview"):
        label += f" ({channel})"
    return label


def _summary(painpoints: list[dict], personas: dict[str, Any], journey: dict[str, Any],
             delights: list[dict] | None = None) -> dict[str, Any]:
    pains = [p for p in painpoints if p["kind"] in ("pain", "mixed", "")] or painpoints
    top = pains[:3]
    delights = delights if delights is not None else [p for p in painpoints if p["kind"] == "delight"]
    worst = journey.get("worst") if journey.get("available") else None
    return {
        "top": top,
        "delight": delights[0] if delights else None,
        "personas_sentence": personas["sentence"] if personas["available"] else personas["reason"],
        "worst": worst,
    }


SEVERITY_METHOD = (
    "Severity (0–100) weighs three things: reach (45%: the share of voices — interviewees, or single "
    "feedback items — who raise the pain point, relative to the most widespread one), intensity (35%: how "
    "negative its passages are, blended half and half with the share of them that describe a pain moment) "
    "and frequency (20%: its share of all analysed passages, relative to the most frequent one)."
)


def _method(results: Results, counts: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    manifest = results.manifest
    info = manifest.get("info", {}) if isinstance(manifest.get("info"), dict) else {}
    options = manifest.get("options", {}) if isinstance(manifest.get("options"), dict) else {}
    packages = manifest.get("packages", {}) if isinstance(manifest.get("packages"), dict) else {}
    timings = info.get("timings_s", {}) if isinstance(info.get("timings_s"), dict) else {}
    inputs = manifest.get("inputs", {}) if isinstance(manifest.get("inputs"), dict) else {}
    return {
        "available": bool(manifest),
        "embedder": str(info.get("embedder") or options.get("embedder") or "not recorded"),
        "seed": str(info.get("seed", options.get("seed", "not recorded"))),
        "created_at": str(manifest.get("created_at") or "not recorded"),
        "python": str(manifest.get("python") or "not recorded"),
        "platform": str(manifest.get("platform") or ""),
        "packages": [{"name": str(k), "version": str(v)} for k, v in sorted(packages.items()) if v],
        "inputs": [{"name": str(k), "sha": str(v)[:12]} for k, v in sorted(inputs.items())],
        "total_seconds": timings.get("total"),
        "counts": counts,
        "severity_text": SEVERITY_METHOD,
        "other_text": (
            f"{other['n_units']} of {other['total']} passages ({other['share_text']}) fit no pain point well "
            "enough and are kept in Other rather than forced into a theme."
            if other["total"] else "No Other bucket was recorded."
        ),
        "missing": [f"{name}: {why}" for name, why in sorted(results.notes.items())],
    }
