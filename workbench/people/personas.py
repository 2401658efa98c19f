"""Personas: interviewees with similar pains, touchpoints, moments and attributes, grouped and described.

Three steps, each a plain function or a small estimator (DESIGN.md §4):

1. :func:`workbench.people.profiles.build_profiles` — one row per interviewee: the share of
   their units in each pain point (``painpoint:PP01`` …), in each touchpoint
   (``touchpoint:mobile app`` …) and each moment (``moment:pain`` …), their mean sentiment, the
   touchpoints they mention, and their attributes from ``participants.csv``.
2. :class:`PersonaModel` (this module) — clusters the profiles into personas (3–6 by default)
   and describes each one (name, summary, goals, frustrations, touchpoints, quotes, "design for"
   line: :mod:`workbench.people.persona_cards`).
3. :func:`workbench.people.feedback_placement.place_feedback` — files each feedback item (no
   interviewee behind it) under the nearest persona; the counts are reported *beside* the
   personas, never added to ``size``.

:func:`workbench.people.personas_and_journey.build_personas_and_journey` runs all of it (and
the journey map of :mod:`workbench.people.journey`) on a results folder written by
``workbench analyze``.

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

**Too few interviewees.** Below 6 interviewees there are no personas: the model's
``personas_`` is an empty table with the usual columns and ``reason_`` says
``"too few interviewees for personas (4); need 6"``; reports show that line instead (no error,
so the rest of a report still renders).

Example:
    >>> from workbench.people.demo import demo_tables
    >>> from workbench.people.profiles import build_profiles
    >>> passages, assignments, participants = demo_tables()
    >>> profiles = build_profiles(passages, assignments, participants)
    >>> model = PersonaModel(random_state=0).fit(profiles, passages, assignments)
    >>> model.n_personas_, sorted(model.personas_["size"].tolist())
    (3, [2, 2, 2])
    >>> model.personas_["name"].tolist()
    ['The Time-Pressed Business Flyer', 'The Budget-Watching Family Planner', 'The App-Reliant Student Traveller']
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import WorkbenchError
from workbench.people.journey import OTHER, UNKNOWN, analysis_units
from workbench.people.persona_cards import PersonaCardsMixin, empty_personas
from workbench.people.profiles import _NOT_ATTRIBUTES

#: fewest interviewees that give personas
MIN_INTERVIEWEES = 6


class PersonaError(WorkbenchError):
    """Personas cannot be built from these inputs (the message says why and what to do).

    Example:
        >>> str(PersonaError("n_personas=9 but only 7 interviewees; pass n_personas between 1 and 7"))
        'n_personas=9 but only 7 interviewees; pass n_personas between 1 and 7'
    """


class PersonaModel(PersonaCardsMixin):
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
        >>> from workbench.people.demo import demo_tables
        >>> from workbench.people.profiles import build_profiles
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
            >>> from workbench.people.demo import demo_tables
            >>> from workbench.people.profiles import build_profiles
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
            >>> from workbench.people.demo import demo_tables
            >>> from workbench.people.profiles import build_profiles
            >>> passages, assignments, participants = demo_tables()
            >>> PersonaModel().fit_predict(build_profiles(passages, assignments, participants)).tolist()
            ['PE1', 'PE1', 'PE2', 'PE2', 'PE3', 'PE3']
        """
        return self.fit(profiles, *args, **kwargs).labels_

    def membership(self) -> dict[str, str]:
        """Participant id → persona id (empty when there are no personas).

        Example:
            >>> from workbench.people.demo import demo_tables
            >>> from workbench.people.profiles import build_profiles
            >>> passages, assignments, participants = demo_tables()
            >>> PersonaModel().fit(build_profiles(passages, assignments, participants)).membership()["P05"]
            'PE3'
        """
        return {pid: label for pid, label in zip(self.participant_ids_, self.labels_) if label is not None}
