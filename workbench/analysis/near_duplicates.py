"""Near-duplicate pain points found after fitting, merged into one, with the reason recorded.

A clustering can cut one theme in two ("No refund, 6 weeks" and "Skylark credit, cash
refund"): two cards for one problem split the votes of a workshop. After fitting, every pair
of groups of the same lane (pain points with pain points, delights with delights) is
compared on three signals:

* **centroid**: cosine of the two groups' mean embeddings;
* **words**: cosine of their mean TF-IDF vectors (the words their customers use; an embedding
  puts "no refund" and "no confirmation" close, the words tell them apart);
* **same people**: the share of the smaller group's voices (interviewees) also in the other.

Two groups of the same kind (a pain point never merges with a group of buying decisions,
:func:`workbench.analysis.kinds.painpoint_kind`) merge when they say the same thing
(:func:`merge_reason`): centroids almost
identical (≥ :data:`SAME_CENTROID`), or close (≥ :data:`NEAR_CENTROID`) and using the same
words (centroid + words ≥ :data:`SAME_MEANING`), or close with the same head phrase in their
labels, or close and mostly the same people. Pairs merge greedily, most similar first, and
the signals are computed again after each merge. Each merge is returned as a
:class:`NearDuplicateMerge` for the manifest. Researchers' edits are replayed *after* these
merges, so a human split of a merged pain point wins (:mod:`workbench.analysis.curation`).

Example:
    >>> merge_reason(0.93, 0.20, 0.0, False)
    'centroids almost identical (0.93)'
    >>> merge_reason(0.82, 0.51, 0.1, False)
    'close centroids (0.82) and the same words (0.51)'
    >>> merge_reason(0.82, 0.30, 0.1, False) is None
    True
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from workbench.analysis.cluster_space import unit_rows_sized
from workbench.analysis.group_rows import rows_by_key

__all__ = ["NEAR_CENTROID", "NearDuplicateMerge", "SAME_CENTROID", "SAME_MEANING", "SAME_PEOPLE",
           "head_phrase", "merge_near_duplicates", "merge_reason"]

#: centroid cosine at or above which two groups are one, whatever their words
SAME_CENTROID = 0.90
#: centroid cosine from which the other signals are consulted
NEAR_CENTROID = 0.80
#: centroid cosine + word cosine at or above which two near groups say the same thing
SAME_MEANING = 1.30
#: share of the smaller group's voices also in the other at or above which near groups are one story
SAME_PEOPLE = 0.6
#: fewest voices in the smaller group for the same-people signal to count
MIN_SHARED_VOICES = 3


@dataclass(frozen=True)
class NearDuplicateMerge:
    """One automatic merge: ``merged`` went into ``kept`` (the larger), and why.

    Example:
        >>> NearDuplicateMerge("t3", "t9", "No refund", "Cash refund", "close centroids", 0.84, 0.49, 0.1).as_record()["kept"]
        't3'
    """

    kept: str
    merged: str
    kept_label: str
    merged_label: str
    reason: str
    centroid_similarity: float
    word_similarity: float
    shared_voices: float

    def as_record(self) -> dict[str, Any]:
        """A JSON-ready dict for the manifest (similarities rounded to 3 places)."""
        record = asdict(self)
        for name in ("centroid_similarity", "word_similarity", "shared_voices"):
            record[name] = round(float(record[name]), 3)
        return record


def head_phrase(label: str) -> str:
    """The head of a label: its first phrase, lower case ("Skylark miles, flight plus" → "skylark miles").

    Example:
        >>> head_phrase("No refund, 6 weeks"), head_phrase("Change fee (online)")
        ('no refund', 'change fee')
    """
    head = str(label).split(",")[0].split("(")[0]
    return " ".join(head.lower().split())


def merge_reason(centroid: float, words: float, shared_voices: float, same_head: bool) -> str | None:
    """Why two groups are near-duplicates, or None when they are not (rules in the module docstring).

    Example:
        >>> merge_reason(0.81, 0.2, 0.7, False)
        'close centroids (0.81) and mostly the same people (70%)'
    """
    if centroid >= SAME_CENTROID:
        return f"centroids almost identical ({centroid:.2f})"
    if centroid < NEAR_CENTROID:
        return None
    if centroid + words >= SAME_MEANING:
        return f"close centroids ({centroid:.2f}) and the same words ({words:.2f})"
    if same_head:
        return f"close centroids ({centroid:.2f}) and the same head phrase"
    if shared_voices >= SAME_PEOPLE:
        return f"close centroids ({centroid:.2f}) and mostly the same people ({shared_voices:.0%})"
    return None


def merge_near_duplicates(
    keys: Sequence[str],
    vectors: np.ndarray,
    texts: Sequence[str],
    voices: Sequence[str],
    labels: dict[str, str],
    groups: Sequence[str] | None = None,
    unit_kinds: Sequence[str] | None = None,
) -> tuple[np.ndarray, list[NearDuplicateMerge]]:
    """Merge the near-duplicate groups among ``groups``; return the new keys and the merges.

    Args:
        keys: the group key of each unit.
        vectors: the units' embeddings (one row each).
        texts: the units' texts.
        voices: who speaks in each unit (participant id, or the feedback item's own id).
        labels: group key → label (for the head-phrase signal and the record).
        groups: the keys that may merge with each other (one lane); None: every key in ``keys``.
        unit_kinds: the units' kinds (:func:`workbench.analysis.kinds.unit_kinds`): groups of
            different kinds (pain and purchase) never merge; None: all of one kind.

    Returns:
        ``(keys, merges)``: a copy of ``keys`` with each merged group's units under the key
        of the larger group, and the merges in the order they were made.

    Example:
        >>> from workbench.analysis.embedders import StaticEmbedder
        >>> texts = ["refund took weeks", "still no refund", "refund never came", "waiting weeks for my refund",
        ...          "app crashed at login", "the app keeps crashing"]
        >>> keys = ["a", "a", "b", "b", "c", "c"]
        >>> new_keys, merges = merge_near_duplicates(keys, StaticEmbedder().encode(texts), texts,
        ...     ["P1", "P2", "P1", "P2", "P3", "P4"], {"a": "Refund", "b": "Refund never came", "c": "App crashed"})
        >>> new_keys.tolist(), [m.merged for m in merges]
        (['a', 'a', 'a', 'a', 'c', 'c'], ['b'])
    """
    keys = np.asarray([str(k) for k in keys], dtype=object)
    vectors = unit_rows_sized(np.asarray(vectors))  # float32 for a large corpus (memory)
    wanted = sorted(set(keys.tolist()) if groups is None else {str(g) for g in groups} & set(keys.tolist()))
    merges: list[NearDuplicateMerge] = []
    if len(wanted) < 2:
        return keys, merges
    in_lane = np.isin(keys, wanted)
    words = _word_vectors([texts[i] for i in np.flatnonzero(in_lane)])
    lane_rows = np.flatnonzero(in_lane)
    voices = [str(v) for v in voices]
    # each group's rows (ascending), found with one sort rather than one scan of all units per group
    members = {str(key): lane_rows[positions] for key, positions in rows_by_key(keys[lane_rows]).items()}
    # a group's summary only changes when it absorbs another: computed once, then for the kept group only
    centres: dict[str, np.ndarray] = {}
    word_centres: dict[str, Any] = {}
    people: dict[str, set[str]] = {}
    kinds: dict[str, str] = {}

    def summarise(group: str) -> None:
        rows = members[group]
        centres[group] = _unit_rows(vectors[rows].mean(axis=0, keepdims=True))[0]
        word_centres[group] = _word_centre(words, np.searchsorted(lane_rows, rows))
        people[group] = {voices[i] for i in rows}
        kinds[group] = _kind(unit_kinds, rows)

    for group in members:
        summarise(group)
    while True:
        names = sorted(members)
        best: tuple[float, str, str, str, float, float, float] | None = None
        for position, a in enumerate(names):
            for b in names[position + 1:]:
                centroid = float(centres[a] @ centres[b])
                if centroid < NEAR_CENTROID or kinds[a] != kinds[b]:
                    continue
                word = float(word_centres[a] @ word_centres[b]) if words is not None else 0.0
                smaller = min(len(people[a]), len(people[b]))
                shared = len(people[a] & people[b]) / smaller if smaller >= MIN_SHARED_VOICES else 0.0
                same_head = head_phrase(labels.get(a, a)) == head_phrase(labels.get(b, b))
                reason = merge_reason(centroid, word, shared, same_head)
                if reason is not None and (best is None or centroid + word > best[0]):
                    best = (centroid + word, a, b, reason, centroid, word, shared)
        if best is None:
            return keys, merges
        _, a, b, reason, centroid, word, shared = best
        kept, merged = (a, b) if (len(members[a]), b) >= (len(members[b]), a) else (b, a)
        keys[members[merged]] = kept
        members[kept] = np.sort(np.concatenate([members[kept], members.pop(merged)]))
        for summary in (centres, word_centres, people, kinds):
            summary.pop(merged)
        summarise(kept)
        merges.append(NearDuplicateMerge(kept, merged, labels.get(kept, kept), labels.get(merged, merged),
                                         reason, centroid, word, shared))


def _kind(unit_kinds: Sequence[str] | None, rows: np.ndarray) -> str:
    """A group's kind for merging: pain and mixed are one kind here."""
    if unit_kinds is None:
        return ""
    from workbench.analysis.kinds import painpoint_kind

    kind = painpoint_kind([str(unit_kinds[i]) for i in rows], 0.0)
    return "pain" if kind == "mixed" else kind


def _word_vectors(texts: list[str]) -> Any:
    """TF-IDF rows of ``texts`` (sublinear, English stop words, words in two texts or more); None when empty."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    try:
        return TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=2).fit_transform(texts)
    except ValueError:  # no word occurs twice: the word signal is silent
        return None


def _word_centre(words: Any, rows: np.ndarray) -> np.ndarray:
    if words is None:
        return np.zeros(1)
    centre = np.asarray(words[rows].mean(axis=0)).ravel()
    norm = np.linalg.norm(centre)
    return centre / norm if norm else centre


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)
