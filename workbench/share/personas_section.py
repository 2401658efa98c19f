"""The report's persona cards: who the interviewees are as groups, or why there are no personas.

Reads the personas table in any of the shapes it has been saved in (JSON text or mappings for
attributes and touchpoints, ids or labels for frustrations, texts or records for quotes).

Example:
    >>> _persona_sentence([{"name": "The Time-Pressed Business Flyer", "share_text": "33%"}])
    'One persona of interviewees: The Time-Pressed Business Flyer (33%).'
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from workbench.share.loading import Results
from workbench.share.text import shorten_quote
from workbench.share.values import _as_list, _as_mapping, _text, _value

#: personas need at least this many interviewees (fewer give no stable groups)
MIN_INTERVIEWEES_FOR_PERSONAS = 6
#: quotes shown per persona
MAX_PERSONA_QUOTES = 3
PERSONA_COLOURS = ("#2563eb", "#db2777", "#059669", "#d97706", "#7c3aed", "#0891b2", "#65a30d", "#dc2626")


def _personas_view(results: Results, counts: dict[str, Any], speakers: dict[str, dict[str, str]]) -> dict[str, Any]:
    personas = results.personas
    interviewees = counts["interviewees"]
    if personas is None or personas.empty:
        if interviewees and interviewees < MIN_INTERVIEWEES_FOR_PERSONAS:
            reason = (
                f"This study has {interviewees} interviewee{'s' if interviewees != 1 else ''}; personas need at "
                f"least {MIN_INTERVIEWEES_FOR_PERSONAS}, so none were built. Interview more customers to see "
                "who they are as groups."
            )
        elif not interviewees:
            reason = ("This study has no interviewees (feedback only); personas are built from interviewees, "
                      "so none were built.")
        else:
            note = results.notes.get("personas")
            reason = "Personas are not available in these results" + (f" ({note})." if note else ".")
        return {"available": False, "reason": reason, "cards": [], "sentence": ""}

    painpoint_labels = {str(p): str(l) for p, l in zip(results.painpoints["painpoint_id"], results.painpoints["label"])}
    cards = []
    for index, row in enumerate(personas.to_dict("records")):
        name = str(_value(row, "name", f"Persona {index + 1}"))
        share = _value(row, "share")
        size = _value(row, "size")
        members = [str(m) for m in _as_list(_value(row, "members"))]
        if size is None:
            size = len(members)
        if share is None and interviewees:
            share = int(size) / interviewees
        attributes = _persona_attributes(_value(row, "attributes"))
        touchpoints = _persona_touchpoints(row)
        frustrations = [_frustration_text(f, painpoint_labels) for f in _as_list(_value(row, "frustrations"))]
        if not frustrations:
            frustrations = [painpoint_labels.get(str(p), str(p)) for p in _as_list(_value(row, "top_painpoints"))]
        cards.append(
            {
                "id": str(_value(row, "persona_id", f"persona-{index + 1}")),
                "name": name,
                "colour": PERSONA_COLOURS[index % len(PERSONA_COLOURS)],
                "summary": str(_value(row, "summary", "") or ""),
                "size": int(size or 0),
                "share": float(share or 0.0),
                "share_text": f"{float(share or 0.0):.0%}",
                "attributes": attributes,
                "goals": [_text(g) for g in _as_list(_value(row, "goals"))],
                "frustrations": [f for f in frustrations if f],
                "preferred": touchpoints["preferred"],
                "avoided": touchpoints["avoided"],
                "quotes": _persona_quotes(_value(row, "quotes"), speakers, _as_list(_value(row, "quote_participants"))),
                "n_feedback": int(_value(row, "n_feedback_items", 0) or 0),
                "design_for": str(_value(row, "design_for", "") or ""),
                "members": members,
            }
        )
    sentence = _persona_sentence(cards)
    return {"available": True, "reason": "", "cards": cards, "sentence": sentence}


def _persona_attributes(value: Any) -> list[dict[str, str]]:
    """Attribute rows of a card; ``{"loyalty_tier": {"Gold": 0.5, "Silver": 0.5}}`` → "Gold 50%, Silver 50%"."""
    mapping = _as_mapping(value)
    if mapping:
        rows = []
        for key, shares in mapping.items():
            if isinstance(shares, Mapping):
                ordered = sorted(shares.items(), key=lambda item: -float(item[1] or 0))
                text = ", ".join(str(k) if float(v or 0) >= 0.999 else f"{k} {float(v or 0):.0%}" for k, v in ordered)
            else:
                text = _text(shares)
            if text:
                rows.append({"name": str(key).replace("_", " "), "value": text})
        return rows
    return [{"name": "", "value": _text(v)} for v in _as_list(value) if _text(v)]


def _persona_touchpoints(row: Mapping[str, Any]) -> dict[str, list[str]]:
    preferred = [_text(t) for t in _as_list(_value(row, "preferred_touchpoints"))]
    avoided = [_text(t) for t in _as_list(_value(row, "avoided_touchpoints"))]
    mapping = _as_mapping(_value(row, "touchpoints"))
    if mapping and (not preferred and not avoided):
        for key, value in mapping.items():
            target = avoided if key.lower().startswith(("avoid", "worst", "disliked", "pain")) else preferred
            target.extend(_text(v) for v in _as_list(value))
    elif not preferred and not avoided:
        preferred = [_text(t) for t in _as_list(_value(row, "touchpoints")) if not isinstance(t, Mapping)]
    return {"preferred": [t for t in preferred if t], "avoided": [t for t in avoided if t]}


def _frustration_text(value: Any, labels: dict[str, str]) -> str:
    if isinstance(value, Mapping):
        return str(value.get("label") or labels.get(str(value.get("painpoint_id")), "") or "")
    text = str(value)
    return labels.get(text, text)


def _persona_quotes(value: Any, speakers: dict[str, dict[str, str]], participants: list[Any] | None = None
                    ) -> list[dict[str, str]]:
    quotes = []
    participants = participants or []
    for index, item in enumerate(_as_list(value)[:MAX_PERSONA_QUOTES]):
        if isinstance(item, Mapping):
            text = str(item.get("text") or item.get("quote") or item.get("text_redacted") or "")
            who = str(item.get("who") or item.get("speaker") or item.get("participant_id") or "")
            segment = str(item.get("segment_id") or "")
            if not text and segment in speakers:
                text = speakers[segment]["text"]
            if not who and segment in speakers:
                who = speakers[segment]["who"]
            if who and re.fullmatch(r"P\d+", who):
                who = f"{who}, interview"
        else:
            text = str(item)
            who = f"{participants[index]}, interview" if index < len(participants) and participants[index] else ""
            if text in speakers:  # a segment id
                text, who = speakers[text]["text"], speakers[text]["who"]
        if text.strip():
            quotes.append({"text": shorten_quote(text), "who": who})
    return quotes


def _persona_sentence(cards: list[dict[str, Any]]) -> str:
    if not cards:
        return ""
    names = [f"{c['name']} ({c['share_text']})" for c in cards]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    number = {1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six"}.get(len(cards), str(len(cards)))
    return f"{number} persona{'s' if len(cards) != 1 else ''} of interviewees: {listed}."
