"""Participant profiles: one row per interviewee, what they talked about, how they felt and who they are.

The first step of personas (:mod:`workbench.people.personas` clusters these rows):
:func:`build_profiles` gives, per interviewee, the share of their units in each pain point
(``painpoint:PP01`` …), in each touchpoint (``touchpoint:mobile app`` …) and each moment
(``moment:pain`` …), their mean sentiment, the touchpoints they mention, and their attributes
from ``participants.csv`` (:func:`attribute_columns`: not ids, names, files or dates).

Example:
    >>> from workbench.people.demo import demo_tables
    >>> profiles = build_profiles(*demo_tables())
    >>> profiles["participant_id"].tolist()
    ['P01', 'P02', 'P03', 'P04', 'P05', 'P06']
"""
from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd

from workbench.people.journey import OTHER, UNKNOWN, analysis_units, ordered_touchpoints
from workbench.schema import is_missing as _is_missing

#: moment kinds in report order (as workbench.analysis.sentiment.MOMENTS)
MOMENTS: tuple[str, ...] = ("pain", "delight", "purchase", "neutral")

#: participant columns that describe no one (ids, names, files, dates)
_NOT_ATTRIBUTES = re.compile(r"(^participant_id$|^name$|_name$|^name_|file|date|^email|^phone)", re.IGNORECASE)


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
    :func:`workbench.people.personas_and_journey.build_personas_and_journey` lists them in its
    info). Feedback units are not profiled.

    Columns: ``participant_id``, ``n_units``, ``n_segments``, ``sentiment_mean``,
    ``touchpoints`` (list: touchpoints mentioned, most units first, ``unknown`` left out), the
    attribute columns of ``participants`` (NA when the interviewee is not listed there), then
    shares of the interviewee's units: ``painpoint:<id>`` (every pain point incl. ``other``,
    sorted by id), ``touchpoint:<label>`` (incl. ``unknown``) and ``moment:<kind>`` — each
    group of shares sums to 1 per row.

    Example:
        >>> from workbench.people.demo import demo_tables
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
