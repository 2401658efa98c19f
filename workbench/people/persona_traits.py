"""A persona's traits, read from what its members said: frustrations, goals, touchpoints, quotes, attributes.

Each function takes the analysis units (passages with their pain point, moment, sentiment and
touchpoint) of one persona's members; :mod:`workbench.people.persona_cards` puts the traits on
the card. Only the members' own words are used: a persona never quotes someone outside it.

Example:
    >>> _value_shares(pd.Series(["business", "business", None]))
    {'business': 0.6667, 'unknown': 0.3333}
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from workbench.people.journey import OTHER, UNKNOWN
from workbench.schema import is_missing as _is_missing

#: (pattern on a delight/purchase passage, lower-cased) → the goal it shows; see _goals
GOAL_RULES: tuple[tuple[str, str], ...] = (
    (r"\bdeals?\b|bundle|price alert|cheap|discount|\boffer|bargain|[€£$]\s?\d", "Find a good deal they can trust"),
    (r"one booking|one payment|flight plus hotel|flight and (?:a )?(?:boutique )?hotel|package|all-inclusive",
     "Book the whole trip in one go"),
    (r"upgrad|champagne|welcome back|surprise|complimentary|free (?:excursion|dinner|drink|breakfast)",
     "Feel recognised and looked after"),
    (r"\b(?:staff|desk|agent|lady|man|guy|lad|manager|crew|woman)\b[^.]*\b(?:kind|lovely|brilliant|helpful|sorted|"
     r"wonderful|great|nice|patient)\b|\b(?:kind|lovely|brilliant|helpful|wonderful|patient)\b[^.]*\b(?:staff|desk|agent|"
     r"person|man|lady)\b", "Reach a helpful person when something goes wrong"),
    (r"check-?in|boarding pass|mobile key|wallet|seamless|smooth", "Move through the trip smoothly from their phone"),
    (r"notif|told me when|texted|kept (?:me|us) (?:informed|updated)|perfectly timed|heads[- ]up",
     "Be told what is happening, in time"),
    (r"\bmiles\b|\bpoints\b|platinum|\bgold\b|lounge|\btier\b", "Earn and enjoy loyalty rewards"),
    (r"refund(?:ed)?\b[^.]*\b(?:came|back|quick|days)|money came back|got (?:my|the|our) money",
     "Get money back without a fight"),
    (r"instagram|facebook|\breels?\b|tiktok", "Be inspired by offers on social media"),
)


def _value_shares(values: pd.Series) -> dict[str, float]:
    labels = ["unknown" if _is_missing(v) else str(v) for v in values]
    counts = Counter(labels)
    total = max(len(labels), 1)
    return {value: round(count / total, 4) for value, count in sorted(counts.items(), key=lambda i: (-i[1], i[0]))}


def _painpoint_info(units: pd.DataFrame | None, painpoints: pd.DataFrame | None) -> dict[str, dict[str, Any]]:
    """id → label, kind and the text used to pick a name adjective (label, keywords, dimension)."""
    info: dict[str, dict[str, Any]] = {}
    if units is not None:
        for pid, group in units.groupby("painpoint_id", sort=True):
            kinds = [k for k in group["painpoint_kind"] if not _is_missing(k)]
            kind = str(kinds[0]) if kinds else _kind_from_units(group, str(pid))
            label = str(group["label"].iloc[0])
            info[str(pid)] = {"label": label, "kind": kind, "text": label}
    if painpoints is not None and "painpoint_id" in painpoints.columns:
        for row in painpoints.to_dict("records"):
            keywords = row.get("keywords")
            words = " ".join(str(k) for k in keywords) if isinstance(keywords, (list, tuple, np.ndarray)) else ""
            entry = info.setdefault(str(row["painpoint_id"]), {})
            entry["label"] = str(row.get("label", row["painpoint_id"]))
            if not _is_missing(row.get("kind")):
                entry["kind"] = str(row.get("kind"))
            entry.setdefault("kind", None)
            entry["text"] = " ".join([entry["label"], words, str(row.get("dimension") or "")])
    return info


def _kind_from_units(group: pd.DataFrame, painpoint_id: str) -> str:
    """pain / delight / purchase / mixed from the moments of a pain point's units (as the analysis does)."""
    if painpoint_id == OTHER:
        return OTHER
    moments = group["moment"].value_counts(normalize=True)
    if moments.get("pain", 0) >= 0.4 or group["sentiment"].mean() <= -0.15:
        return "pain"
    if moments.get("delight", 0) >= 0.4:
        return "delight"
    if moments.get("purchase", 0) >= 0.3:
        return "purchase"
    return "mixed"


def _reach(units: pd.DataFrame, participant_ids: Sequence[str]) -> dict[str, float]:
    """Pain point → share of the given interviewees who raise it at least once."""
    people = units[units["participant_id"].isin(list(participant_ids))]
    total = max(len(set(participant_ids)), 1)
    return {pid: group["participant_id"].nunique() / total for pid, group in people.groupby("painpoint_id")}


def _is_pain(info: Mapping[str, Any] | None) -> bool:
    kind = (info or {}).get("kind")
    return kind in (None, "pain", "mixed")


def _frustrations(units: pd.DataFrame, members: Sequence[str], all_reach: Mapping[str, float],
                  info: Mapping[str, Mapping[str, Any]], top: int = 3) -> list[tuple[str, str]]:
    """The persona's top pain points: reach among members × √(reach among members / reach among all).

    Common and distinctive beats merely common, so two personas rarely share the same list.
    Only pain points of kind pain or mixed (or of unknown kind) with pain moments or negative
    units among the members count; ``other`` never does.
    """
    reach = _reach(units, members)
    scored = []
    for pid, share in reach.items():
        if pid == OTHER or not _is_pain(info.get(pid)):
            continue
        own = units[units["painpoint_id"] == pid]
        if not ((own["moment"] == "pain").any() or (own["sentiment"] < -0.05).any()):
            continue
        lift = share / max(all_reach.get(pid, share), 1e-9)
        scored.append((share * math.sqrt(lift), share, pid))
    scored.sort(key=lambda s: (-round(s[0], 9), -s[1], s[2]))
    return [(pid, str(info.get(pid, {}).get("label", pid))) for _, _, pid in scored[:top]]


def _short(text: str, words: int = 14) -> str:
    tokens = text.split()
    return " ".join(tokens) if len(tokens) <= words else " ".join(tokens[:words]).rstrip(",;:") + "…"


def _goals(units: pd.DataFrame, info: Mapping[str, Mapping[str, Any]], top: int = 3) -> tuple[list[str], list[str]]:
    """Short phrases for what the persona wants, from their delight and purchase moments.

    1. Each rule of :data:`GOAL_RULES` is matched against the persona's delight/purchase
       passages; the goals are the phrases of the rules matched by most passages (at least one),
       ties in rule order.
    2. If that gives fewer than two, the most positive sentence (VADER, at least 8 words,
       shortened to 18) of their most positive passages (15 words or more first) fills up, so
       goals still quote their own words in studies the rules do not know.

    Returns (goals, the passage each goal rests on: its most positive matching passage).
    """
    good = units[units["moment"].isin(["delight", "purchase"])].copy()
    if good.empty:
        return [], []
    good = good.assign(_long=(good["text"].str.split().str.len() >= 15).astype(int)).sort_values(
        ["_long", "sentiment", "passage_id"], ascending=[False, False, True])
    lowered = good["text"].str.lower()
    matched = []
    for order, (pattern, phrase) in enumerate(GOAL_RULES):
        hits = lowered.str.contains(pattern, regex=True)
        if hits.any():
            matched.append((-int(hits.sum()), order, phrase, str(good.loc[hits, "passage_id"].iloc[0])))
    matched.sort()
    goals = [m[2] for m in matched[:top]]
    sources = [m[3] for m in matched[:top]]
    if len(goals) >= 2:
        return goals, sources

    from workbench.analysis.passages import split_sentences
    from workbench.analysis.sentiment import score_sentiment

    for passage_id, text in zip(good["passage_id"], good["text"]):
        sentences = [text[a:b].strip() for a, b in split_sentences(text)]
        sentences = [x for x in sentences if len(x.split()) >= 8]
        if not sentences:
            continue
        phrase = _short(sentences[int(np.argmax(score_sentiment(sentences)))], 18)
        if phrase not in goals:
            goals.append(phrase)
            sources.append(str(passage_id))
        if len(goals) >= top:
            break
    return goals, sources


def _touchpoint_preferences(units: pd.DataFrame, top: int = 3) -> tuple[list[str], list[str]]:
    """Preferred: touchpoints they speak well of (mean sentiment > 0.05), most said first; avoided: < −0.05."""
    known = units[units["touchpoint"] != UNKNOWN]
    stats = known.groupby("touchpoint")["sentiment"].agg(["size", "mean"])
    stats["weight"] = stats["size"] * stats["mean"].abs()
    preferred = stats[stats["mean"] > 0.05].sort_values(["weight", "size"], ascending=False)
    avoided = stats[stats["mean"] < -0.05].sort_values(["weight", "size"], ascending=False)
    return list(preferred.index[:top]), list(avoided.index[:top])


def _quotes(units: pd.DataFrame, frustration_ids: Sequence[str], n_quotes: int) -> list[dict[str, str]]:
    """Representative quotes of the persona's own members, from different members where possible.

    Picks, in turn: the most negative passage of the top frustration, the most positive
    delight/purchase passage, then the next frustrations' most negative passages, then the
    strongest (largest |sentiment|) remaining passages. Passages of 15–80 words are preferred
    (readable on a card); shorter or longer ones are used when nothing else is left.
    """
    pool = units[units["text"].str.strip().str.len() > 0].copy()
    if pool.empty:
        pool = units.copy()
    words = pool["text"].str.split().str.len()
    pool["_readable"] = ((words >= 15) & (words <= 80)).astype(int)
    pool["_strength"] = pool["sentiment"].abs()
    wanted: list[pd.DataFrame] = []
    ordered_frustrations = list(frustration_ids)
    if ordered_frustrations:
        wanted.append(pool[pool["painpoint_id"] == ordered_frustrations[0]].sort_values(
            ["_readable", "sentiment", "passage_id"], ascending=[False, True, True]))
    wanted.append(pool[pool["moment"].isin(["delight", "purchase"])].sort_values(
        ["_readable", "sentiment", "passage_id"], ascending=[False, False, True]))
    for pid in ordered_frustrations[1:]:
        wanted.append(pool[pool["painpoint_id"] == pid].sort_values(
            ["_readable", "sentiment", "passage_id"], ascending=[False, True, True]))
    wanted.append(pool.sort_values(["_readable", "_strength", "passage_id"], ascending=[False, False, True]))
    chosen: list[dict[str, str]] = []
    for allow_same_person in (False, True):
        for candidates in wanted:
            if len(chosen) >= n_quotes:
                break
            used_people = {q["participant_id"] for q in chosen}
            used_passages = {q["passage_id"] for q in chosen}
            used_texts = {q["text"].strip().lower() for q in chosen}
            for row in candidates.itertuples():
                if row.passage_id in used_passages or (not allow_same_person and row.participant_id in used_people):
                    continue
                if str(row.text).strip().lower() in used_texts:
                    continue
                chosen.append({"passage_id": str(row.passage_id), "participant_id": str(row.participant_id),
                               "text": str(row.text)})
                break
    return chosen[:n_quotes]
