"""Persona cards: the personas table, one described row per persona of a fitted model.

**The personas table** (one row per persona, biggest first): ``persona_id`` (PE1…), ``name``
("The <Adjective> <Noun>": noun from the dominant segment, adjective from the most distinctive
frustration, else from the dominant channel; unique), ``summary`` (2–3 sentences), ``size``
(interviewees), ``share``, ``attributes`` (JSON: attribute → value → share), ``top_painpoints``
(ids) and ``frustrations`` (their labels) ranked by reach among members × √lift,
``goals`` (phrases from delight/purchase passages) with ``goal_passages``, ``touchpoints``
(JSON ``{"preferred": [...], "avoided": [...]}``, also as ``preferred_touchpoints`` and
``avoided_touchpoints``), ``quotes`` (3 redacted passages of its own members, different people
where possible) with ``quote_passages`` and ``quote_participants``, ``design_for``,
``members`` (participant ids), ``sentiment_mean`` and ``n_feedback_items`` (feedback placed by
:func:`workbench.people.feedback_placement.place_feedback`; never part of ``size``).

:class:`PersonaCardsMixin` writes the rows; :class:`workbench.people.personas.PersonaModel`
inherits it and calls it at the end of ``fit``.

Example:
    >>> len(empty_personas()), PERSONA_COLUMNS[:3]
    (0, ('persona_id', 'name', 'summary'))
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pandas as pd

from workbench.people.persona_naming import SEGMENT_COLUMNS, _design_for, _persona_name, _summary
from workbench.people.persona_traits import (
    _frustrations,
    _goals,
    _painpoint_info,
    _quotes,
    _reach,
    _touchpoint_preferences,
    _value_shares,
)

#: columns of the personas table, in order
PERSONA_COLUMNS: tuple[str, ...] = (
    "persona_id", "name", "summary", "size", "share", "attributes", "top_painpoints", "frustrations",
    "goals", "goal_passages", "touchpoints", "preferred_touchpoints", "avoided_touchpoints", "quotes", "quote_passages",
    "quote_participants", "design_for", "members", "sentiment_mean", "n_feedback_items",
)


class PersonaCardsMixin:
    """Describes the personas of a fitted :class:`workbench.people.personas.PersonaModel`.

    Reads the model's ``participant_ids_``, ``n_personas_``, ``attributes_``, ``n_quotes`` and
    ``membership()``; gives the personas table (:data:`PERSONA_COLUMNS`).

    Example:
        >>> from workbench.people.demo import demo_tables
        >>> from workbench.people.personas import PersonaModel
        >>> from workbench.people.profiles import build_profiles
        >>> passages, assignments, participants = demo_tables()
        >>> model = PersonaModel().fit(build_profiles(passages, assignments, participants), passages, assignments)
        >>> isinstance(model, PersonaCardsMixin), model.personas_.columns.tolist() == list(PERSONA_COLUMNS)
        (True, True)
    """

    participant_ids_: list[str]
    n_personas_: int
    attributes_: list[str]
    n_quotes: int

    def _describe(self, profiles: pd.DataFrame, units: pd.DataFrame | None, painpoints: pd.DataFrame | None) -> pd.DataFrame:
        total = len(profiles)
        membership = self.membership()
        info = _painpoint_info(units, painpoints)
        all_reach = _reach(units, self.participant_ids_) if units is not None else {}
        describe_attributes = [c for c in profiles.columns if ":" not in c and c not in
                               ("participant_id", "n_units", "n_segments", "sentiment_mean", "touchpoints")]
        rows = []
        taken: set[str] = set()
        for number in range(1, self.n_personas_ + 1):
            persona_id = f"PE{number}"
            members = sorted(pid for pid in self.participant_ids_ if membership.get(pid) == persona_id)
            member_profiles = profiles[profiles["participant_id"].isin(members)]
            attributes = {
                column: _value_shares(member_profiles[column]) for column in describe_attributes
            }
            member_units = units[units["participant_id"].isin(members)] if units is not None else None
            frustrations = _frustrations(member_units, members, all_reach, info) if member_units is not None else []
            goals, goal_sources = _goals(member_units, info) if member_units is not None else ([], [])
            preferred, avoided = _touchpoint_preferences(member_units) if member_units is not None else ([], [])
            quotes = _quotes(member_units, [f for f, _ in frustrations], self.n_quotes) if member_units is not None else []
            sentiment = float(member_profiles["sentiment_mean"].mean()) if len(member_profiles) else 0.0
            pain_share = float(member_units["moment"].eq("pain").mean()) if member_units is not None and len(member_units) else 0.0
            name, noun, need = _persona_name(attributes, frustrations, info, self._segment_column(attributes), taken,
                                             sentiment)
            taken.add(name)
            rows.append({
                "persona_id": persona_id,
                "name": name,
                "summary": _summary(len(members), total, attributes, frustrations, goals, pain_share, sentiment),
                "size": len(members),
                "share": round(len(members) / total, 4) if total else 0.0,
                "attributes": json.dumps(attributes, ensure_ascii=False),
                "top_painpoints": [pid for pid, _ in frustrations],
                "frustrations": [label for _, label in frustrations],
                "goals": goals,
                "goal_passages": goal_sources,
                "touchpoints": json.dumps({"preferred": preferred, "avoided": avoided}, ensure_ascii=False),
                "preferred_touchpoints": preferred,
                "avoided_touchpoints": avoided,
                "quotes": [q["text"] for q in quotes],
                "quote_passages": [q["passage_id"] for q in quotes],
                "quote_participants": [q["participant_id"] for q in quotes],
                "design_for": _design_for(noun, need, frustrations),
                "members": members,
                "sentiment_mean": round(sentiment, 4),
                "n_feedback_items": 0,
            })
        return pd.DataFrame(rows, columns=list(PERSONA_COLUMNS))

    def _segment_column(self, attributes: Mapping[str, Any]) -> str | None:
        for column in SEGMENT_COLUMNS:
            if column in attributes:
                return column
        return self.attributes_[0] if self.attributes_ else None


def empty_personas() -> pd.DataFrame:
    """The personas table with no rows (what a study with too few interviewees gets).

    Example:
        >>> list(empty_personas().columns)[:4], len(empty_personas())
        (['persona_id', 'name', 'summary', 'size'], 0)
    """
    return pd.DataFrame({c: pd.Series(dtype=object) for c in PERSONA_COLUMNS})
