"""Personas: interviewees with similar pains, touchpoints, moments and attributes, grouped and described.

Three steps, each a plain function or a small estimator (DESIGN.md §4):

1. :func:`build_profiles` — one row per interviewee: the share of their units in each pain
   point (``painpoint:PP01`` …), in each touchpoint (``touchpoint:mobile app`` …) and each
   moment (``moment:pain`` …), their mean sentiment, the touchpoints they mention, and their
   attributes from ``participants.csv``.
2. :class:`PersonaModel` — clusters the profiles into personas (3–6 by default) and describes
   each one (name, summary, goals, frustrations, touchpoints, quotes, "design for" line).
3. :func:`place_feedback` — files each feedback item (no interviewee behind it) under the
   nearest persona; the counts are reported *beside* the personas, never added to ``size``.

:func:`build_personas_and_journey` runs all of it (and the journey map of
:mod:`workbench.journey`) on a results folder written by ``workbench analyze``.

**Features and weights.** A profile becomes one vector of four blocks; within a block every
row sums to 1 (shares, or a one-hot per attribute), so the largest distance two interviewees can
have inside a block is √2 × the block's weight:

=================  =======  ====================================================================
block              weight   what
=================  =======  ====================================================================
pain points        1.0      share of the interviewee's units in each pain point (``other`` left
                            out, the rest rescaled to sum to 1)
touchpoints        0.5      share of units at each touchpoint (``unknown`` left out, rescaled)
moments            0.5      share of pain / delight / purchase / neutral moments
attributes         1.0      one-hot of each attribute, each scaled by 1/√(number of attributes),
                            so all attributes together weigh as much as one share block
=================  =======  ====================================================================

Attributes used (unless ``attributes=`` names them): the columns of ``participants`` other than
ids, names, files and dates with 2 to max(2, n/3) distinct values — enough people per value to
make a group (``segment``, ``loyalty_tier``, ``age_band``, ``primary_channel`` in the sample
study; ``region`` has 9 values for 18 people and only describes personas).

**How many personas.** Ward (agglomerative) clustering of the weighted vectors for every k from
3 to 6 (at most n − 1); the k with the best silhouette score (Euclidean, on the same vectors)
wins, among the k whose personas all have at least 2 interviewees (if none does, the best
silhouette overall); ties go to the smaller k. ``n_personas=`` overrides the choice.
``method="kmeans"`` uses k-means (``random_state``, ``n_init=20``) instead of Ward. Ward is
deterministic; the same profiles and ``random_state`` always give the same personas.

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
:func:`place_feedback`; never part of ``size``).

**Too few interviewees.** Below 6 interviewees there are no personas: the model's
``personas_`` is an empty table with the usual columns and ``reason_`` says
``"too few interviewees for personas (4); need 6"``; reports show that line instead (no error,
so the rest of a report still renders).

Example:
    >>> passages, assignments, participants = demo_tables()
    >>> profiles = build_profiles(passages, assignments, participants)
    >>> model = PersonaModel(random_state=0).fit(profiles, passages, assignments)
    >>> model.n_personas_, sorted(model.personas_["size"].tolist())
    (3, [2, 2, 2])
    >>> model.personas_["name"].tolist()
    ['The Time-Pressed Business Flyer', 'The Budget-Watching Family Planner', 'The App-Reliant Student Traveller']
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import WorkbenchError
from workbench.schema import is_missing as _is_missing
from workbench.journey import (
    OTHER,
    UNKNOWN,
    analysis_units,
    emotion_curve,
    journey_matrix,
    ordered_touchpoints,
    stage_effectiveness,
)

#: moment kinds in report order (as workbench.sentiment.MOMENTS)
MOMENTS: tuple[str, ...] = ("pain", "delight", "purchase", "neutral")
#: fewest interviewees that give personas
MIN_INTERVIEWEES = 6

#: columns of the personas table, in order
PERSONA_COLUMNS: tuple[str, ...] = (
    "persona_id", "name", "summary", "size", "share", "attributes", "top_painpoints", "frustrations",
    "goals", "goal_passages", "touchpoints", "preferred_touchpoints", "avoided_touchpoints", "quotes", "quote_passages",
    "quote_participants", "design_for", "members", "sentiment_mean", "n_feedback_items",
)

#: participant columns that describe no one (ids, names, files, dates)
_NOT_ATTRIBUTES = re.compile(r"(^participant_id$|^name$|_name$|^name_|file|date|^email|^phone)", re.IGNORECASE)
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


class PersonaError(WorkbenchError):
    """Personas cannot be built from these inputs (the message says why and what to do).

    Example:
        >>> str(PersonaError("n_personas=9 but only 7 interviewees; pass n_personas between 1 and 7"))
        'n_personas=9 but only 7 interviewees; pass n_personas between 1 and 7'
    """


# ---------------------------------------------------------------------------------------------
# profiles

def attribute_columns(participants: pd.DataFrame) -> list[str]:
    """The columns of a participants table that describe people (not ids, names, files or dates).

    Example:
        >>> attribute_columns(pd.DataFrame(columns=["participant_id", "name", "interview_file", "segment",
        ...     "age_band", "interview_date"]))
        ['segment', 'age_band']
    """
    return [str(c) for c in participants.columns if not _NOT_ATTRIBUTES.search(str(c))]


def build_profiles(
    passages: pd.DataFrame,
    assignments: pd.DataFrame | None,
    participants: pd.DataFrame | None,
    painpoints: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per interviewee: what they talked about, how they felt, and who they are.

    Only interviewees with at least one analysed unit get a row (an interviewee listed in
    ``participants`` who said nothing analysable has nothing to cluster;
    :func:`build_personas_and_journey` lists them in its info). Feedback units are not profiled.

    Columns: ``participant_id``, ``n_units``, ``n_segments``, ``sentiment_mean``,
    ``touchpoints`` (list: touchpoints mentioned, most units first, ``unknown`` left out), the
    attribute columns of ``participants`` (NA when the interviewee is not listed there), then
    shares of the interviewee's units: ``painpoint:<id>`` (every pain point incl. ``other``,
    sorted by id), ``touchpoint:<label>`` (incl. ``unknown``) and ``moment:<kind>`` — each
    group of shares sums to 1 per row.

    Example:
        >>> passages, assignments, participants = demo_tables()
        >>> profiles = build_profiles(passages, assignments, participants)
        >>> len(profiles), profiles.loc[0, "participant_id"], profiles.loc[0, "segment"]
        (6, 'P01', 'business')
        >>> round(float(profiles.filter(like="painpoint:").iloc[0].sum()), 6)
        1.0
    """
    units = analysis_units(passages, assignments, painpoints)
    units = units[units["participant_id"].notna()]
    ids = sorted(units["participant_id"].unique())
    painpoint_ids = sorted(units["painpoint_id"].unique(), key=lambda p: (p == OTHER, p))
    touchpoints = ordered_touchpoints(units["touchpoint"])
    grouped = units.groupby("participant_id")
    table = pd.DataFrame({"participant_id": ids})
    table["n_units"] = grouped.size().reindex(ids).astype(int).to_numpy()
    table["n_segments"] = grouped["segment_id"].nunique().reindex(ids).astype(int).to_numpy()
    table["sentiment_mean"] = grouped["sentiment"].mean().reindex(ids).astype(float).to_numpy()
    table["touchpoints"] = [
        [t for t, _ in Counter(group["touchpoint"]).most_common() if t != UNKNOWN]
        for _, group in ((pid, grouped.get_group(pid)) for pid in ids)
    ]
    attributes: list[str] = []
    if participants is not None and "participant_id" in participants.columns:
        listed = participants.drop_duplicates("participant_id").copy()
        listed["participant_id"] = listed["participant_id"].astype(str)
        attributes = [c for c in attribute_columns(listed) if c not in table.columns]
        info = listed.set_index("participant_id")
        for column in attributes:
            table[column] = [None if _is_missing(v := info[column].get(pid)) else str(v) for pid in ids]
    shares: dict[str, np.ndarray] = {}
    for prefix, column, values in (("painpoint", "painpoint_id", painpoint_ids),
                                   ("touchpoint", "touchpoint", touchpoints),
                                   ("moment", "moment", list(MOMENTS) + sorted(set(units["moment"]) - set(MOMENTS)))):
        counts = pd.crosstab(units["participant_id"], units[column]).reindex(index=ids, columns=values, fill_value=0)
        totals = counts.sum(axis=1).replace(0, 1)
        for value in values:
            shares[f"{prefix}:{value}"] = (counts[value] / totals).astype(float).to_numpy()
    return pd.concat([table, pd.DataFrame(shares, index=table.index)], axis=1)


# ---------------------------------------------------------------------------------------------
# the model

class PersonaModel:
    """Cluster interviewee profiles into personas and describe each one.

    Parameters (scikit-learn style; learned state ends with ``_``):
        n_personas: fixed number of personas (None: chosen by silhouette, see the module doc).
        min_personas, max_personas: the range of k tried when choosing (3..6).
        method: ``"ward"`` (agglomerative, default) or ``"kmeans"``.
        painpoint_weight, touchpoint_weight, moment_weight, attribute_weight: block weights.
        attributes: attribute columns to cluster on (None: chosen automatically).
        attribute_weights: extra multiplier per attribute, e.g. ``{"segment": 2.0}``.
        min_interviewees: fewest interviewees that give personas (6).
        min_persona_size: smallest persona the automatic choice prefers (2).
        n_quotes: quotes per persona (3).
        random_state: seed (k-means; Ward needs none but the result is deterministic either way).

    Learned:
        ``labels_`` (persona id per profile row, in the input's order; ``None`` when there are no personas),
        ``personas_`` (the personas table), ``n_personas_``, ``scores_`` (silhouette per k),
        ``criterion_`` (how k was chosen, in words), ``features_`` (the weighted vectors,
        indexed by participant id), ``centroids_`` (per persona), ``attributes_``,
        ``reason_`` (why there are no personas, else ``None``).

    Example:
        >>> passages, assignments, participants = demo_tables()
        >>> profiles = build_profiles(passages, assignments, participants)
        >>> model = PersonaModel(n_personas=2).fit(profiles, passages, assignments)
        >>> model.n_personas_, model.criterion_
        (2, 'n_personas=2 (set by the user)')
        >>> PersonaModel().fit(profiles.head(4)).reason_
        'too few interviewees for personas (4); need 6'
    """

    def __init__(
        self,
        n_personas: int | None = None,
        min_personas: int = 3,
        max_personas: int = 6,
        method: str = "ward",
        painpoint_weight: float = 1.0,
        touchpoint_weight: float = 0.5,
        moment_weight: float = 0.5,
        attribute_weight: float = 1.0,
        attributes: Sequence[str] | None = None,
        attribute_weights: Mapping[str, float] | None = None,
        min_interviewees: int = MIN_INTERVIEWEES,
        min_persona_size: int = 2,
        n_quotes: int = 3,
        random_state: int = 42,
    ) -> None:
        self.n_personas = n_personas
        self.min_personas = min_personas
        self.max_personas = max_personas
        self.method = method
        self.painpoint_weight = painpoint_weight
        self.touchpoint_weight = touchpoint_weight
        self.moment_weight = moment_weight
        self.attribute_weight = attribute_weight
        self.attributes = attributes
        self.attribute_weights = attribute_weights
        self.min_interviewees = min_interviewees
        self.min_persona_size = min_persona_size
        self.n_quotes = n_quotes
        self.random_state = random_state

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor parameters (scikit-learn convention).

        Example:
            >>> PersonaModel(n_personas=4).get_params()["n_personas"]
            4
        """
        names = ["n_personas", "min_personas", "max_personas", "method", "painpoint_weight", "touchpoint_weight",
                 "moment_weight", "attribute_weight", "attributes", "attribute_weights", "min_interviewees",
                 "min_persona_size", "n_quotes", "random_state"]
        return {name: getattr(self, name) for name in names}

    # -- features ------------------------------------------------------------------------------

    def _choose_attributes(self, profiles: pd.DataFrame) -> list[str]:
        candidates = [c for c in profiles.columns if ":" not in c and c not in
                      ("participant_id", "n_units", "n_segments", "sentiment_mean", "touchpoints")
                      and not _NOT_ATTRIBUTES.search(c)]
        if self.attributes is not None:
            missing = [a for a in self.attributes if a not in candidates]
            if missing:
                raise PersonaError(
                    f"personas: attribute(s) {missing} not in the participants table (has {candidates}); "
                    "fix the names passed as attributes="
                )
            return list(self.attributes)
        limit = max(2, len(profiles) // 3)
        chosen = []
        for column in candidates:
            values = profiles[column].dropna()
            if 2 <= values.nunique() <= limit:
                chosen.append(column)
        return chosen

    def _feature_frame(self, profiles: pd.DataFrame) -> pd.DataFrame:
        blocks = []
        for prefix, weight, skip in (("painpoint:", self.painpoint_weight, f"painpoint:{OTHER}"),
                                     ("touchpoint:", self.touchpoint_weight, f"touchpoint:{UNKNOWN}"),
                                     ("moment:", self.moment_weight, None)):
            columns = [c for c in profiles.columns if c.startswith(prefix) and c != skip]
            if not columns:
                continue
            block = profiles[columns].astype(float)
            totals = block.sum(axis=1).replace(0, 1)
            blocks.append(block.div(totals, axis=0) * weight)
        attributes = self.attributes_
        extra = dict(self.attribute_weights or {})
        for column in attributes:
            scale = self.attribute_weight * float(extra.get(column, 1.0)) / math.sqrt(max(len(attributes), 1))
            values = profiles[column].astype(object).where(profiles[column].notna(), None)
            levels = sorted({str(v) for v in values if v is not None})
            onehot = pd.DataFrame(
                {f"attribute:{column}={level}": [float(str(v) == level) if v is not None else 0.0 for v in values]
                 for level in levels}, index=profiles.index)
            blocks.append(onehot * scale)
        frame = pd.concat(blocks, axis=1) if blocks else pd.DataFrame(index=profiles.index)
        frame.index = profiles["participant_id"].astype(str).to_numpy()
        return frame.fillna(0.0)

    def _cluster(self, x: np.ndarray, k: int) -> np.ndarray:
        if k <= 1:
            return np.zeros(len(x), dtype=int)
        if self.method == "kmeans":
            from sklearn.cluster import KMeans

            return KMeans(n_clusters=k, random_state=self.random_state, n_init=20).fit_predict(x)
        if self.method != "ward":
            raise PersonaError(f"personas: unknown method {self.method!r}; use 'ward' or 'kmeans'")
        from sklearn.cluster import AgglomerativeClustering

        return AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(x)

    # -- fit -----------------------------------------------------------------------------------

    def fit(
        self,
        profiles: pd.DataFrame,
        passages: pd.DataFrame | None = None,
        assignments: pd.DataFrame | None = None,
        painpoints: pd.DataFrame | None = None,
    ) -> PersonaModel:
        """Group the profiles into personas; with the units (passages/assignments) also describe them.

        Without ``passages`` the personas have names, attributes and members but no quotes,
        goals or touchpoints (those come from what people said).

        Example:
            >>> passages, assignments, participants = demo_tables()
            >>> profiles = build_profiles(passages, assignments, participants)
            >>> model = PersonaModel().fit(profiles, passages, assignments)
            >>> dict(zip(profiles["participant_id"], model.labels_))
            {'P01': 'PE1', 'P02': 'PE1', 'P03': 'PE2', 'P04': 'PE2', 'P05': 'PE3', 'P06': 'PE3'}
        """
        from sklearn.metrics import silhouette_score

        input_ids = profiles["participant_id"].astype(str).tolist()
        # cluster in participant-id order, so the row order of the input never changes the result
        profiles = profiles.sort_values("participant_id").reset_index(drop=True)
        n = len(profiles)
        self.participant_ids_ = profiles["participant_id"].astype(str).tolist()
        self.attributes_ = self._choose_attributes(profiles)
        self.features_ = self._feature_frame(profiles)
        self.scores_: dict[int, float] = {}
        self.reason_: str | None = None
        self.profiles_ = profiles
        if n < self.min_interviewees:
            self.reason_ = f"too few interviewees for personas ({n}); need {self.min_interviewees}"
            self.criterion_ = "none: " + self.reason_
            self.n_personas_ = 0
            self.labels_ = np.array([None] * n, dtype=object)
            self.participant_ids_ = input_ids
            self.centroids_ = pd.DataFrame(columns=self.features_.columns)
            self.personas_ = empty_personas()
            return self
        x = self.features_.to_numpy(dtype=float)
        if self.n_personas is not None:
            k = int(self.n_personas)
            if not 1 <= k <= n:
                raise PersonaError(
                    f"personas: n_personas={self.n_personas} but there are {n} interviewees; "
                    f"pass n_personas between 1 and {n} (or None to choose by silhouette)"
                )
            labels = self._cluster(x, k)
            if 2 <= k <= n - 1:
                self.scores_[k] = float(silhouette_score(x, labels))
            self.criterion_ = f"n_personas={k} (set by the user)"
        else:
            low, high = max(2, self.min_personas), min(self.max_personas, n - 1)
            candidates: list[tuple[int, float, np.ndarray, bool]] = []
            for k in range(low, high + 1):
                labels_k = self._cluster(x, k)
                if len(set(labels_k)) < 2:
                    continue
                score = float(silhouette_score(x, labels_k))
                self.scores_[k] = round(score, 4)
                big_enough = min(Counter(labels_k).values()) >= self.min_persona_size
                candidates.append((k, score, labels_k, big_enough))
            if not candidates:
                k, labels = 1, np.zeros(n, dtype=int)
                self.criterion_ = "one persona: the profiles do not separate into groups"
            else:
                pool = [c for c in candidates if c[3]] or candidates
                best = max(pool, key=lambda c: (round(c[1], 9), -c[0]))
                k, labels = best[0], best[2]
                self.criterion_ = (
                    f"best silhouette ({best[1]:.3f}) over k={low}..{high} with "
                    f"{'Ward linkage' if self.method == 'ward' else 'k-means'} on weighted profile features"
                    + (f", personas of at least {self.min_persona_size} interviewees" if pool is not candidates else "")
                )
        # persona ids: biggest first, then by first member id
        groups: dict[int, list[int]] = {}
        for row, label in enumerate(labels):
            groups.setdefault(int(label), []).append(row)
        ordered = sorted(groups.values(), key=lambda rows: (-len(rows), self.participant_ids_[rows[0]]))
        persona_of_row = np.empty(n, dtype=object)
        for number, rows in enumerate(ordered, start=1):
            persona_of_row[rows] = f"PE{number}"
        self.n_personas_ = len(ordered)
        self.centroids_ = self.features_.groupby(persona_of_row).mean().reindex([f"PE{i}" for i in range(1, len(ordered) + 1)])
        persona_of = dict(zip(self.participant_ids_, persona_of_row))
        self.labels_ = np.array([persona_of[pid] for pid in input_ids], dtype=object)  # in the input's row order
        self.participant_ids_ = input_ids
        units = analysis_units(passages, assignments, painpoints) if passages is not None else None
        self.personas_ = self._describe(profiles, units, painpoints)
        return self

    def fit_predict(self, profiles: pd.DataFrame, *args: Any, **kwargs: Any) -> np.ndarray:
        """Fit and return ``labels_``.

        Example:
            >>> passages, assignments, participants = demo_tables()
            >>> PersonaModel().fit_predict(build_profiles(passages, assignments, participants)).tolist()
            ['PE1', 'PE1', 'PE2', 'PE2', 'PE3', 'PE3']
        """
        return self.fit(profiles, *args, **kwargs).labels_

    def membership(self) -> dict[str, str]:
        """Participant id → persona id (empty when there are no personas).

        Example:
            >>> passages, assignments, participants = demo_tables()
            >>> PersonaModel().fit(build_profiles(passages, assignments, participants)).membership()["P05"]
            'PE3'
        """
        return {pid: label for pid, label in zip(self.participant_ids_, self.labels_) if label is not None}

    # -- descriptions --------------------------------------------------------------------------

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

    from workbench.passages import split_sentences
    from workbench.sentiment import score_sentiment

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


# ---------------------------------------------------------------------------------------------
# feedback

def assign_feedback(model: PersonaModel, passages: pd.DataFrame, assignments: pd.DataFrame | None = None) -> pd.DataFrame:
    """File each feedback item (no interviewee) under the nearest persona.

    A feedback item (one ``segment_id``; it may have several passages) gets the pain-point,
    touchpoint and moment blocks of a profile, weighted as in the model; the distance to each
    persona's centroid is measured on those blocks only (feedback has no attributes). Ties go
    to the lower persona id. Pain points or touchpoints no interviewee mentioned are left out
    of the vector.

    Returns:
        One row per feedback item: ``segment_id``, ``persona_id``, ``distance`` (empty when the
        model has no personas).

    Example:
        >>> passages, assignments, participants = demo_tables()
        >>> model = PersonaModel().fit(build_profiles(passages, assignments, participants), passages, assignments)
        >>> assign_feedback(model, passages, assignments)[["segment_id", "persona_id"]].values.tolist()
        [['f1', 'PE1'], ['f2', 'PE3']]
    """
    columns = ["segment_id", "persona_id", "distance"]
    if not getattr(model, "n_personas_", 0):
        return pd.DataFrame(columns=columns)
    units = analysis_units(passages, assignments)
    feedback = units[units["participant_id"].isna()].copy()
    if feedback.empty:
        return pd.DataFrame(columns=columns)
    feedback["participant_id"] = feedback["segment_id"]  # one pseudo-profile per feedback item
    pseudo = build_profiles(feedback, None, None)
    known = [c for c in model.features_.columns if not c.startswith("attribute:")]
    probe = PersonaModel(**{**model.get_params(), "attributes": []})
    probe.attributes_ = []
    item_features = probe._feature_frame(pseudo.reindex(columns=list(pseudo.columns) +
                                                        [c for c in model.profiles_.columns
                                                         if ":" in c and c not in pseudo.columns], fill_value=0.0))
    item_features = item_features.reindex(columns=known, fill_value=0.0)
    # rescale each share block over the columns the model knows (a feedback-only pain point is dropped)
    for prefix, weight in (("painpoint:", model.painpoint_weight), ("touchpoint:", model.touchpoint_weight),
                           ("moment:", model.moment_weight)):
        block = [c for c in known if c.startswith(prefix)]
        if block and weight:
            sums = item_features[block].sum(axis=1) / weight
            item_features[block] = item_features[block].div(sums.replace(0, 1), axis=0)
    centroids = model.centroids_[known].to_numpy(dtype=float)
    x = item_features.to_numpy(dtype=float)
    distances = np.sqrt(((x[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2))
    nearest = distances.argmin(axis=1)
    persona_ids = list(model.centroids_.index)
    return pd.DataFrame({
        "segment_id": item_features.index.astype(str),
        "persona_id": [persona_ids[i] for i in nearest],
        "distance": distances[np.arange(len(x)), nearest].round(4),
    }, columns=columns)


def place_feedback(model: PersonaModel, passages: pd.DataFrame, assignments: pd.DataFrame | None = None) -> pd.DataFrame:
    """How many feedback items sound like each persona (counted apart from the persona's ``size``).

    Returns one row per persona: ``persona_id``, ``name``, ``n_feedback_items``,
    ``share_feedback`` (of all feedback items placed). See :func:`assign_feedback` for how an
    item is placed. ``size`` (interviewees) is never changed: feedback authors are not
    interviewees and their attributes are unknown.

    Example:
        >>> passages, assignments, participants = demo_tables()
        >>> model = PersonaModel().fit(build_profiles(passages, assignments, participants), passages, assignments)
        >>> place_feedback(model, passages, assignments)[["persona_id", "n_feedback_items"]].values.tolist()
        [['PE1', 1], ['PE2', 0], ['PE3', 1]]
        >>> model.personas_["size"].tolist()
        [2, 2, 2]
    """
    columns = ["persona_id", "name", "n_feedback_items", "share_feedback"]
    if not getattr(model, "n_personas_", 0):
        return pd.DataFrame(columns=columns)
    placed = assign_feedback(model, passages, assignments)
    counts = placed["persona_id"].value_counts()
    total = max(len(placed), 1)
    table = model.personas_[["persona_id", "name"]].copy()
    table["n_feedback_items"] = [int(counts.get(p, 0)) for p in table["persona_id"]]
    table["share_feedback"] = [round(int(counts.get(p, 0)) / total, 4) for p in table["persona_id"]]
    return table.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# the step run by `workbench analyze`

def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if not math.isfinite(float(value)) else round(float(value), 4)
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if _is_missing(value):
        return None
    return str(value)


def build_personas_and_journey(
    results_dir: Path | str,
    n_personas: int | None = None,
    random_state: int = 42,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Read an analysis results folder and return (personas, journey, info).

    Reads ``passages.parquet``, ``assignments.parquet``, ``painpoints.parquet`` and
    ``participants.parquet`` (missing participants: no attributes). ``personas`` is the
    :class:`PersonaModel` table plus ``n_feedback_items`` (feedback placed by
    :func:`place_feedback`, apart from ``size``); list columns hold strings, ``attributes`` and
    ``touchpoints`` are JSON strings, so both tables write to Parquet as they are. ``journey`` is
    :func:`workbench.journey.journey_matrix`. ``info`` (JSON-safe) holds the criterion,
    silhouette per k, weights, attributes used, the reason when there are no personas,
    interviewees without analysed units, feedback counts, stage effectiveness and the emotion
    curve.

    Raises:
        PersonaError: a required file is missing (run ``workbench analyze`` first).

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> passages, assignments, participants = demo_tables()
        >>> for name, table in [("passages", passages), ("assignments", assignments), ("participants", participants),
        ...                     ("painpoints", pd.DataFrame({"painpoint_id": ["PP01"], "label": ["Hold loop"]}))]:
        ...     table.to_parquet(folder / f"{name}.parquet")
        >>> personas, journey, info = build_personas_and_journey(folder)
        >>> len(personas), int(journey["n_units"].sum()) == len(passages), info["reason"]
        (3, True, None)
    """
    folder = Path(results_dir)
    tables: dict[str, pd.DataFrame] = {}
    for name in ("passages", "assignments", "painpoints"):
        path = folder / f"{name}.parquet"
        if not path.exists():
            raise PersonaError(f"{path}: not found; run `workbench analyze` on the study first")
        tables[name] = pd.read_parquet(path)
    participants_path = folder / "participants.parquet"
    participants = pd.read_parquet(participants_path) if participants_path.exists() else pd.DataFrame(columns=["participant_id"])
    passages, assignments, painpoints = tables["passages"], tables["assignments"], tables["painpoints"]

    profiles = build_profiles(passages, assignments, participants, painpoints)
    model = PersonaModel(n_personas=n_personas, random_state=random_state).fit(profiles, passages, assignments, painpoints)
    personas = model.personas_.copy()
    feedback = place_feedback(model, passages, assignments)
    if len(personas):
        counts = dict(zip(feedback["persona_id"], feedback["n_feedback_items"]))
        personas["n_feedback_items"] = [int(counts.get(p, 0)) for p in personas["persona_id"]]
    journey = journey_matrix(passages, assignments, painpoints)
    listed = set(participants["participant_id"].dropna().astype(str)) if "participant_id" in participants.columns else set()
    curve = emotion_curve(passages, model.membership(), assignments, include_all=True) if model.n_personas_ else pd.DataFrame()
    params = model.get_params()
    info = {
        "n_interviewees": len(profiles),
        "participants_without_units": sorted(listed - set(profiles["participant_id"])),
        "n_personas": model.n_personas_,
        "criterion": model.criterion_,
        "silhouette_by_k": {str(k): v for k, v in model.scores_.items()},
        "reason": model.reason_,
        "method": model.method,
        "weights": {k: params[k] for k in ("painpoint_weight", "touchpoint_weight", "moment_weight", "attribute_weight")},
        "attributes_used": model.attributes_,
        "random_state": random_state,
        "feedback_items_placed": {str(p): int(n) for p, n in zip(feedback.get("persona_id", []), feedback.get("n_feedback_items", []))},
        "stage_effectiveness": stage_effectiveness(journey).to_dict("records"),
        "emotion_curve": curve.to_dict("records"),
    }
    return personas.reset_index(drop=True), journey, _json_safe(info)


# ---------------------------------------------------------------------------------------------
# a tiny study for examples and tests

def demo_tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Six interviewees in three clear groups plus two feedback items: (passages, assignments, participants).

    Example:
        >>> passages, assignments, participants = demo_tables()
        >>> len(passages), int(passages["participant_id"].isna().sum()), len(participants)
        (17, 2, 6)
    """
    people = {
        "P01": ("business", "Gold", "call centre"), "P02": ("business", "Platinum", "call centre"),
        "P03": ("family", "none", "website"), "P04": ("family", "Silver", "website"),
        "P05": ("student", "none", "mobile app"), "P06": ("student", "none", "mobile app"),
    }
    said = {  # pain point, touchpoint, stage, moment, sentiment, text
        "business": [
            ("PP01", "phone and IVR", "support", "pain", -0.7, "I was on hold for fifty minutes and the menu kept looping back"),
            ("PP01", "call centre", "support", "pain", -0.6, "Nobody picked up, the call dropped twice before I reached an agent"),
            ("PP04", "store / in person", "use", "delight", 0.8, "The lounge staff sorted my rebooking in minutes, brilliant service"),
        ],
        "family": [
            ("PP02", "website", "purchase/booking", "pain", -0.6, "The price jumped at checkout when the baggage fees for the kids appeared"),
            ("PP02", "website", "purchase/booking", "pain", -0.5, "Resort fees were hidden until the very last step of paying"),
            ("PP05", "website", "consideration", "purchase", 0.5, "We booked because the bundle deal for four was cheaper than elsewhere"),
        ],
        "student": [
            ("PP03", "mobile app", "purchase/booking", "pain", -0.6, "The app crashed and logged me out right in the middle of paying"),
            ("PP03", "mobile app", "use", "pain", -0.5, "The login code never arrived so I could not open my boarding pass"),
            ("other", "mobile app", "use", "neutral", 0.0, "I mostly just use the app for everything really"),
        ],
    }
    rows, assigned = [], []
    for pid, (segment, _tier, _channel) in people.items():
        lines = said[segment] if pid in ("P01", "P03", "P05") else said[segment][:2]
        for index, (painpoint, touchpoint, stage, moment, score, text) in enumerate(lines, start=1):
            passage_id = f"{pid.lower()}s{index}-1"
            rows.append({"passage_id": passage_id, "segment_id": f"{pid.lower()}s{index}", "text": text,
                         "participant_id": pid, "source_kind": "interview", "channel": None,
                         "sentiment": score, "moment": moment, "touchpoint": touchpoint, "stage": stage})
            assigned.append({"passage_id": passage_id, "segment_id": f"{pid.lower()}s{index}", "painpoint_id": painpoint,
                             "label": {"PP01": "Hold loop", "PP02": "Hidden fees", "PP03": "App login crash",
                                       "PP04": "Helpful desk staff", "PP05": "Bundle deal", "other": "Other"}[painpoint],
                             "probability": 0.9, "sentiment": score, "moment": moment, "touchpoint": touchpoint,
                             "stage": stage})
    for item, (painpoint, touchpoint, stage, score, text) in enumerate([
        ("PP01", "call centre", "support", -0.8, "Two hours on hold and the line went dead"),
        ("PP03", "mobile app", "use", -0.6, "App logs me out every single time I open it"),
    ], start=1):
        rows.append({"passage_id": f"f{item}-1", "segment_id": f"f{item}", "text": text, "participant_id": None,
                     "source_kind": "feedback", "channel": None, "sentiment": score, "moment": "pain",
                     "touchpoint": touchpoint, "stage": stage})
        assigned.append({"passage_id": f"f{item}-1", "segment_id": f"f{item}", "painpoint_id": painpoint,
                         "label": {"PP01": "Hold loop", "PP03": "App login crash"}[painpoint], "probability": 0.9,
                         "sentiment": score, "moment": "pain", "touchpoint": touchpoint, "stage": stage})
    participants = pd.DataFrame(
        [{"participant_id": pid, "interview_file": f"transcripts/{pid}.txt", "segment": seg, "loyalty_tier": tier,
          "primary_channel": channel, "interview_date": "2026-09-01"} for pid, (seg, tier, channel) in people.items()]
    )
    return pd.DataFrame(rows), pd.DataFrame(assigned), participants
