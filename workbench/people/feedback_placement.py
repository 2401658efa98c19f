"""Feedback placement: each feedback item (no interviewee behind it) filed under the nearest persona.

Feedback authors are not interviewees and their attributes are unknown, so a placed item is
counted *beside* a persona (``n_feedback_items``), never added to its ``size``.

Example:
    >>> from workbench.people.demo import demo_tables
    >>> passages, assignments, participants = demo_tables()
    >>> model = PersonaModel().fit(build_profiles(passages, assignments, participants), passages, assignments)
    >>> len(assign_feedback(model, passages, assignments))
    2
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.people.journey import analysis_units
from workbench.people.personas import PersonaModel
from workbench.people.profiles import build_profiles


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
        >>> from workbench.people.demo import demo_tables
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
        >>> from workbench.people.demo import demo_tables
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
