"""The report's pain-point cards: ranked pain points with reach, severity, sentiment and quotes, and Other.

Example:
    >>> _reach_text(9, 18, 41)
    'raised by 9 of 18 interviewees and 41 feedback items'
"""
from __future__ import annotations

import re
from typing import Any

import pandas as pd

from workbench.analysis.kinds import PAINPOINT_KINDS, row_kinds
from workbench.analysis.lens_attribution import lens_text
from workbench.share.loading import Results
from workbench.share.text import _sentiment_word, _severity_level, shorten_quote
from workbench.share.values import _as_list, _value

#: the id of the bucket of units that fit no pain point
OTHER_ID = "other"
#: quotes shown per pain point
MAX_QUOTES = 3


def _is_other(painpoints: pd.DataFrame) -> pd.Series:
    ids = painpoints["painpoint_id"].astype(str).str.lower()
    other = ids == OTHER_ID
    if "kind" in painpoints.columns:
        other |= painpoints["kind"].astype(str) == "other"
    return other


def _reach_text(participants: int, total: int, feedback: int) -> str:
    """ "raised by 9 of 18 interviewees and 41 feedback items".

    Example:
        >>> _reach_text(9, 18, 41), _reach_text(0, 18, 1), _reach_text(3, 18, 0)
        ('raised by 9 of 18 interviewees and 41 feedback items', 'raised in 1 feedback item', 'raised by 3 of 18 interviewees')
    """
    parts = []
    if participants:
        parts.append(f"by {participants} of {total} interviewee{'s' if total != 1 else ''}" if total
                     else f"by {participants} interviewee{'s' if participants != 1 else ''}")
    if feedback:
        items = f"{feedback} feedback item{'s' if feedback != 1 else ''}"
        parts.append(f"and {items}" if parts else f"in {items}")
    return "raised " + " ".join(parts) if parts else "raised by no identified customer"


def _feedback_counts(results: Results) -> dict[str, int] | None:
    """Distinct feedback items per pain point (a long item split into passages counts once); None: unknown."""
    assignments, segments = results.assignments, results.segments
    if assignments is None or segments is None or not {"segment_id", "painpoint_id"} <= set(assignments.columns):
        return None
    if "source_kind" not in segments.columns or "segment_id" not in segments.columns:
        return None
    kinds = segments.set_index("segment_id")["source_kind"].astype(str)
    merged = assignments[["segment_id", "painpoint_id"]].copy()
    merged["kind"] = merged["segment_id"].map(kinds)
    feedback = merged[merged["kind"] == "feedback"]
    return {str(k): int(v) for k, v in feedback.groupby("painpoint_id")["segment_id"].nunique().items()}


def _painpoint_cards(results: Results, speakers: dict[str, dict[str, str]], counts: dict[str, Any],
                     kinds: tuple[str, ...] = PAINPOINT_KINDS) -> list[dict]:
    """The cards of the groups of ``kinds`` (pain points by default; delights for "What works")."""
    table = results.painpoints
    table = table[~_is_other(table) & row_kinds(table).isin(kinds).to_numpy()]
    if "rank" in table.columns:
        table = table.sort_values("rank", kind="stable")
    elif "severity" in table.columns:
        table = table.sort_values("severity", ascending=False, kind="stable")
    feedback_counts = _feedback_counts(results)
    cards = []
    for position, row in enumerate(table.to_dict("records"), start=1):
        pid = str(row["painpoint_id"])
        severity = float(_value(row, "severity", 0.0) or 0.0)
        participants = int(_value(row, "n_participants", 0) or 0)
        feedback = (feedback_counts.get(pid, 0) if feedback_counts is not None
                    else int(_value(row, "n_feedback_items", 0) or 0))
        sentiment = _value(row, "sentiment_mean")
        sentiment = float(sentiment) if sentiment is not None else None
        quote_ids = [str(q) for q in _as_list(_value(row, "quotes"))]
        quote_texts = [str(q) for q in _as_list(_value(row, "quote_texts"))]
        quotes = []
        for index, text in enumerate(quote_texts[:MAX_QUOTES]):
            segment = quote_ids[index] if index < len(quote_ids) else None
            who = speakers.get(segment, {}).get("who", "") if segment else ""
            if text.strip():
                quotes.append({"text": shorten_quote(text), "who": who})
        if not quotes and quote_ids:  # only ids saved: take the redacted segment text
            for segment in quote_ids[:MAX_QUOTES]:
                if segment in speakers and speakers[segment]["text"]:
                    quotes.append({"text": shorten_quote(speakers[segment]["text"]), "who": speakers[segment]["who"]})
        cards.append(
            {
                "rank": int(_value(row, "rank", position) or position),
                "position": position,
                "id": pid,
                "anchor": re.sub(r"[^A-Za-z0-9_-]", "-", pid),
                "label": str(_value(row, "label", pid)),
                # the sentence to read aloud, in the customers' words (older results: the label)
                "statement": str(_value(row, "statement", "") or "").strip() or str(_value(row, "label", pid)),
                "severity": severity,
                "severity_text": f"{severity:.0f}",
                "severity_width": max(2.0, min(100.0, severity)),
                "level": _severity_level(severity),
                "kind": str(_value(row, "kind", "") or ""),
                # "mixed (website / mobile app)" where no label clearly wins
                "dimension": lens_text(row, "dimension"),
                "touchpoint": lens_text(row, "touchpoint"),
                "stage": lens_text(row, "stage"),
                "n_participants": participants,
                "n_feedback": feedback,
                "n_units": int(_value(row, "n_units", _value(row, "n_segments", 0)) or 0),
                "reach_text": _reach_text(participants, counts["interviewees"], feedback),
                "share_participants": float(_value(row, "share_participants", 0.0) or 0.0),
                "sentiment": sentiment,
                "sentiment_word": _sentiment_word(sentiment),
                "quotes": quotes,
                "keywords": [str(k) for k in _as_list(_value(row, "keywords"))][:8],
            }
        )
    return cards


def _what_works(results: Results, speakers: dict[str, dict[str, str]], counts: dict[str, Any]) -> dict[str, Any]:
    """Delights ("What works") and purchase groups ("Why they buy"), listed apart from pain points.

    Example:
        >>> from pathlib import Path
        >>> table = pd.DataFrame([{"painpoint_id": "PP01", "label": "Refunds", "kind": "pain", "severity": 70.0},
        ...     {"painpoint_id": "PP02", "label": "Desk staff", "kind": "delight", "severity": 0.0,
        ...      "statement": "The lady at the desk walked me to the taxi.", "quote_texts": ["She walked me there."]}])
        >>> view = _what_works(Results(Path("r"), table), {}, {"interviewees": 18})
        >>> [c["statement"] for c in view["delights"]], view["purchase"], view["available"]
        (['The lady at the desk walked me to the taxi.'], [], True)
    """
    delights = _painpoint_cards(results, speakers, counts, kinds=("delight",))
    purchase = _painpoint_cards(results, speakers, counts, kinds=("purchase",))
    return {"delights": delights, "purchase": purchase, "available": bool(delights or purchase)}


def _other_bucket(results: Results, counts: dict[str, Any]) -> dict[str, Any]:
    table = results.painpoints
    rows = table[_is_other(table)]
    n_units = 0
    if len(rows):
        row = rows.iloc[0].to_dict()
        n_units = int(_value(row, "n_units", _value(row, "n_segments", 0)) or 0)
    total = counts["units"] or 0
    share = n_units / total if total else 0.0
    return {"n_units": n_units, "total": total, "share": share, "share_text": f"{share:.1%}"}
