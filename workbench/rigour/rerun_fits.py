"""One stability rerun's fit: the pain-point model fitted again, each lane on its own.

:mod:`workbench.rigour.stability` reruns the model with other seeds and on resamples; this
module holds what one rerun does. The main fit (:func:`workbench.analysis.painpoint_groups.group_units`)
clusters delights apart from the rest and never clusters context units (what describes the
person), so a rerun does the same: :func:`rerun_lanes` says each unit's lane from its kind,
:func:`fit_lanes` fits each lane's units and keeps the lanes' labels apart.

Takes in: the units' texts and vectors, which of them a rerun keeps, a seed. Gives out: one
membership row per rerun (a label per unit, -1 Other, -2 absent).

Example:
    >>> rerun_lanes(["pain", "delight", "context"])
    ['pain', 'delight', 'context']
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from workbench.analysis.cross_channel import CROSS_CHANNEL_LANE, MIN_UNITS

__all__ = ["ABSENT", "CONTEXT_LANE", "fit_lanes", "rerun_lanes"]

#: a unit left out of a rerun (a resample drew without it, or its lane is never clustered)
ABSENT = -2
#: the lane of the units the main fit never clusters (what describes the person)
CONTEXT_LANE = "context"
#: rerun labels of lane k start at k * this, so two lanes' groups never share a label
_LANE_OFFSET = 100_000


def rerun_lanes(unit_kinds: Sequence[str]) -> list[str]:
    """The lane each unit is clustered in, from its kind: "delight", "context" (never clustered) or "pain".

    The main fit (:func:`workbench.analysis.painpoint_groups.group_units`) clusters delights apart
    from the rest, leaves context out and gives the cross-channel passages a group of their own
    (kind ``cross_channel``: :func:`workbench.analysis.cross_channel.rerun_kinds`); reruns that mixed them would find other groups
    for reasons that say nothing about the pain points' stability.

    Example:
        >>> rerun_lanes(["pain", "delight", "context", "purchase", "neutral", "cross_channel"])
        ['pain', 'delight', 'context', 'pain', 'pain', 'cross_channel']
    """
    return [str(kind) if str(kind) in ("delight", CONTEXT_LANE, CROSS_CHANNEL_LANE) else "pain" for kind in unit_kinds]


def fit_lanes(texts: list[str], vectors: np.ndarray, chosen: np.ndarray, random_state: int,
               model_options: Mapping[str, Any] | None, lanes: Sequence[str] | None) -> np.ndarray:
    """One rerun's membership of every unit, each lane fitted on its own (labels kept apart by an offset).

    ``chosen`` are the units the rerun keeps; ``lanes`` None fits them all in one model.

    Example:
        >>> fit_lanes(texts, vectors, np.arange(len(texts)), 43, {}, rerun_lanes(kinds))  # doctest: +SKIP
        array([0, 0, 100000, -2, ...])
    """
    if lanes is None:
        return _fit_labels(texts, vectors, chosen, random_state, model_options)
    lane_of = np.asarray([str(lane) for lane in lanes], dtype=object)
    row = np.full(len(texts), ABSENT, dtype=np.int64)
    for number, lane in enumerate(sorted(set(lane_of.tolist()) - {CONTEXT_LANE})):
        in_lane = chosen[lane_of[chosen] == lane]
        if len(in_lane) == 0:
            continue
        if lane == CROSS_CHANNEL_LANE:
            # a rule, not a clustering: one group when a resample keeps enough of them, else Other
            row[in_lane] = number * _LANE_OFFSET if len(in_lane) >= MIN_UNITS else -1
            continue
        labels = _fit_labels(texts, vectors, in_lane, random_state, model_options)[in_lane]
        row[in_lane] = np.where(labels >= 0, labels + number * _LANE_OFFSET, labels)
    return row


def _fit_labels(texts: list[str], vectors: np.ndarray, chosen: np.ndarray, random_state: int,
                model_options: Mapping[str, Any] | None) -> np.ndarray:
    """One rerun's membership of every unit: its pain point, -1 Other, -2 not in the run.

    A resample the model cannot fit (too few units with words left) counts as a run in which
    every unit is absent: no evidence either way, rather than a failed analysis.
    """
    from workbench.errors import WorkbenchError
    from workbench.analysis.painpoints import PainPointModel

    row = np.full(len(texts), ABSENT, dtype=np.int64)
    try:
        # the memberships only: naming the rerun's pain points (c-TF-IDF, keyphrases) would be wasted
        labels = PainPointModel(random_state=random_state, **dict(model_options or {})).fit_labels(
            [texts[i] for i in chosen], vectors[chosen]
        )
    except WorkbenchError:
        return row
    row[chosen] = np.asarray(labels, dtype=np.int64)
    return row
