"""The words of a persona card: its name ("The <Adjective> <Noun>"), its summary and its "design for" line.

The noun comes from the dominant customer segment (:data:`SEGMENT_NOUNS`), the adjective from
the most distinctive frustration (:data:`PAIN_ADJECTIVES`), else from the dominant channel
(:data:`CHANNEL_ADJECTIVES`), else a fallback; names are unique within a study.

Example:
    >>> _noun("business"), _noun("cruise"), _plural("Family Planner")
    ('Business Flyer', 'Cruise Customer', 'Family Planners')
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from workbench.people.persona_traits import GOAL_RULES

#: columns that say which kind of customer someone is, tried in order for a persona's noun
SEGMENT_COLUMNS: tuple[str, ...] = ("segment", "customer_segment", "traveller_type", "trip_type", "type", "persona")

#: persona nouns for common segment values (other values: "<Value> Customer")
SEGMENT_NOUNS: dict[str, str] = {
    "business": "Business Flyer",
    "family": "Family Planner",
    "student": "Student Traveller",
    "retiree": "Retired Traveller",
    "retired": "Retired Traveller",
    "leisure": "Leisure Traveller",
    "solo": "Solo Traveller",
    "couple": "Couple Getaway Planner",
    "group": "Group Organiser",
}

#: (pattern on a pain point's label, keywords and dimension) → (adjective, what they need)
PAIN_ADJECTIVES: tuple[tuple[str, str, str], ...] = (
    (r"\bconfirm|e-?ticket|no confirmation|double[- ]book|payment taken", "Reassurance-Seeking",
     "need proof at once that a booking went through"),
    (r"\brefund|voucher|money back|reimburs", "Refund-Chasing", "want their money back without a chase"),
    (r"\bhold\b|\bivr\b|\bqueue|on hold|wait|call centre|call center|phone menu|human", "Time-Pressed",
     "cannot afford to wait on hold"),
    (r"\bapp\b|log ?in|logged out|crash|password|\bcode|2fa|two-factor", "App-Reliant",
     "run their trips from the app"),
    (r"\bpoints|\bmiles|loyalty|\btier|status|reward", "Points-Chasing", "expect every mile to count"),
    (r"\bchang|amend|\brebook|name change|flexib|\bdates?\b", "Flexibility-Seeking",
     "need to change plans without a phone call"),
    (r"\bhotel|\broom|reservation|front desk|check-?in desk", "Comfort-Seeking",
     "need the room they booked to be waiting"),
    (r"notif|\bdelay|\bgate|disrupt|cancell?ation|\balert", "Schedule-Anxious", "need to hear about disruptions first"),
    (r"channel|inconsisten|repeat|different answer|\bchat\b|transferr", "Consistency-Seeking",
     "want one answer on every channel"),
    (r"\bfees?\b|\bprice|pricing|surcharge|\bcost|expensive|checkout|overcharg|value for money", "Budget-Watching",
     "need the price they see to be the price they pay"),
)

#: adjectives for a persona whose pains name none of the above, from its dominant channel
CHANNEL_ADJECTIVES: dict[str, tuple[str, str]] = {
    "mobile app": ("Mobile-First", "live in the mobile app"),
    "app": ("Mobile-First", "live in the mobile app"),
    "call centre": ("Phone-Loyal", "still pick up the phone"),
    "phone": ("Phone-Loyal", "still pick up the phone"),
    "website": ("Web-Savvy", "book on the website"),
    "email": ("Inbox-Driven", "keep everything in their inbox"),
    "social media": ("Socially Connected", "speak up on social media"),
    "airport desk": ("Face-to-Face", "prefer a person at the desk"),
    "hotel desk": ("Face-to-Face", "prefer a person at the desk"),
}

#: last-resort adjectives (and needs), tried in order until a name is unique
FALLBACK_ADJECTIVES: tuple[tuple[str, str], ...] = (
    ("Pragmatic", "want things to simply work"),
    ("Seasoned", "know how travel should go"),
    ("Detail-Minded", "read the small print"),
    ("Spontaneous", "book at short notice"),
)


def _dominant(attributes: Mapping[str, Mapping[str, float]], column: str | None, at_least: float = 0.5) -> str | None:
    if column is None or column not in attributes or not attributes[column]:
        return None
    value, share = next(iter(attributes[column].items()))
    return value if share >= at_least and value != "unknown" else None


def _noun(value: str | None) -> str:
    if value is None:
        return "Mixed Traveller"
    key = value.strip().lower()
    if key in SEGMENT_NOUNS:
        return SEGMENT_NOUNS[key]
    words = value.replace("_", " ").strip().title()
    return words if re.search(r"(traveller|traveler|customer|user|guest|flyer)$", words, re.I) else f"{words} Customer"


def _persona_name(
    attributes: Mapping[str, Mapping[str, float]],
    frustrations: Sequence[tuple[str, str]],
    info: Mapping[str, Mapping[str, Any]],
    segment_column: str | None,
    taken: set[str],
    sentiment: float,
) -> tuple[str, str, str]:
    """"The <Adjective> <Noun>": noun from the dominant segment, adjective from the most distinctive pain."""
    noun = _noun(_dominant(attributes, segment_column))
    options: list[tuple[str, str]] = []
    for pid, label in frustrations:
        # the label decides first; its keywords and CX dimension only when the label names nothing
        for text in (str(label).lower(), str(info.get(pid, {}).get("text", label)).lower()):
            found = [(adjective, need) for pattern, adjective, need in PAIN_ADJECTIVES if re.search(pattern, text)]
            if found:
                options.append(found[0])
                break
    if sentiment > 0.25:
        options.append(("Easy-Going", "mostly enjoy the trip"))
    for column in ("primary_channel", "channel", "preferred_channel"):
        channel = _dominant(attributes, column, at_least=0.4)
        if channel and channel.lower() in CHANNEL_ADJECTIVES:
            options.append(CHANNEL_ADJECTIVES[channel.lower()])
    options.extend(FALLBACK_ADJECTIVES)
    options = list(dict.fromkeys(options))
    for adjective, need in options:
        name = f"The {adjective} {noun}"
        if name not in taken:
            return name, noun, need
    adjective, need = options[0]
    number = 2
    while f"The {adjective} {noun} {number}" in taken:
        number += 1
    return f"The {adjective} {noun} {number}", noun, need


_ATTRIBUTE_PHRASES: dict[str, str] = {
    "segment": "{v} travellers",
    "age_band": "aged {v}",
    "loyalty_tier": "{v} loyalty members",
    "primary_channel": "preferring {the}{v}",
    "region": "from {v}",
}


def _attribute_phrase(column: str, value: str, share: float) -> str:
    if column == "loyalty_tier" and value.lower() in ("none", "no", ""):
        text = "outside the loyalty programme"
    else:
        the = "" if value.lower() in ("email", "social media", "phone", "post", "chat", "sms") else "the "
        text = _ATTRIBUTE_PHRASES.get(column, column.replace("_", " ") + " {v}").format(v=value, the=the)
    return text if share >= 0.999 else f"{text} ({share:.0%})"


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _summary(size: int, total: int, attributes: Mapping[str, Mapping[str, float]], frustrations: Sequence[tuple[str, str]],
             goals: Sequence[str], pain_share: float, sentiment: float) -> str:
    """Two or three sentences: who they are, what hurts, how it feels overall."""
    traits = []
    for column, shares in attributes.items():
        if not shares:
            continue
        value, share = next(iter(shares.items()))
        if value != "unknown" and share >= 0.5:
            traits.append(_attribute_phrase(column, value, share))
    who = f"{size} of {total} interviewees" + (f": {_join(traits[:4])}" if traits else "") + "."
    sentences = [who]
    if frustrations:
        sentences.append(f"What hurts most: {_join([label for _, label in frustrations[:2]])}.")
    feeling = f"{pain_share:.0%} of what they told us were pain moments (mean sentiment {sentiment:+.2f})"
    if goals:
        rule_phrases = {phrase for _, phrase in GOAL_RULES}
        feeling += (f"; what they want most: {goals[0][0].lower()}{goals[0][1:]}" if goals[0] in rule_phrases
                    else f"; at their best: “{goals[0].rstrip('.')}”")
    sentences.append(feeling + ".")
    return " ".join(sentences)


def _plural(noun: str) -> str:
    """"Business Flyer" → "Business Flyers" (last word only).

    Example:
        >>> _plural("Family Planner"), _plural("Retiree Customer")
        ('Family Planners', 'Retiree Customers')
    """
    head, _, last = noun.rpartition(" ")
    if last.endswith(("s", "x", "ch", "sh")):
        last += "es"
    elif last.endswith("y") and not last.endswith(("ay", "ey", "oy", "uy")):
        last = last[:-1] + "ies"
    else:
        last += "s"
    return f"{head} {last}".strip()


def _design_for(noun: str, need: str, frustrations: Sequence[tuple[str, str]]) -> str:
    """One line: who (the noun), what they need (from the name's adjective) and what to fix first."""
    line = f"Design for {_plural(noun).lower()} who {need}"
    if frustrations:
        line += f": fix “{frustrations[0][1]}” first"
    return line + "."
