"""Units into groups, kept apart by kind: pain points, delights ("What works") and context.

:func:`group_units` is the grouping step of the analysis:

1. **Lanes.** Each unit's kind (:func:`workbench.analysis.kinds.unit_kinds`) sends it to one
   lane: context units (what describes the person) are not clustered at all and form the
   ``context`` group that persona building reads; delights are clustered on their own ("What
   works"); every other unit (pain, purchase and neutral moments) is clustered into pain
   points. A delight therefore never sits in a pain point, and never pulls one towards itself.
2. **Fit.** Each clustered lane is fitted with :class:`~workbench.analysis.painpoints.PainPointModel`
   (same parameters and seed; each fit cached on its own). HDBSCAN selects "leaf" clusters
   unless ``cluster_selection_method`` is given: the finer cut never lumps two problems into
   one pain point (with "eom" a small study's refund and payment stories can come out as one
   card), and step 3 joins the pieces that say the same thing. A fleeting split of one theme
   into two look-alike leaves is undone at the fit (:func:`~workbench.analysis.clustering.stable_leaves`):
   its halves, too small to hold their ground, would each fill up with outliers. A lane with fewer than
   :data:`~workbench.analysis.painpoint_settings.MIN_UNITS` usable units is one group.
3. **Near-duplicates** within a lane are merged (:mod:`workbench.analysis.near_duplicates`)
   and renamed from their joint members; a group of buying decisions never merges with a pain
   point (groups merge with groups of their own kind only).
   3b. **Cross-channel inconsistency** ("the app said X, the branch said Y", "the chat can't see my
   e-mails") is taken out of the topic groups it is about into a group of its own (key ``x0``), when
   enough passages from enough people tell of it (:mod:`workbench.analysis.cross_channel`).
4. **Reactions follow their story.** An interview answer to "How did that make you feel?"
   ("Stupid and angry at the same time") has no topic of its own: clustered, such answers
   form a group of feelings instead of joining the problems they are about. They are left out
   of the fit and join the group of the answer they react to (``follows``), or, without one,
   the nearest pain point.
5. **Names** are unique and no two groups share a head phrase: going from the largest group
   down, a group whose head collides with a larger group's is renamed with the best phrase
   of its own that does not (:func:`workbench.analysis.labels.phrase_label`).

Keys: ``t<n>`` for pain-lane groups (``x0`` the cross-channel one), ``d<n>`` for delights, ``context``, and
:data:`~workbench.analysis.curation.OTHER` for units too short to place.

Example:
    >>> lane_of("t3"), lane_of("d0"), lane_of("context"), lane_of("other")
    ('pain', 'delight', 'context', 'other')
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from workbench.analysis.cluster_space import FLOAT32_ABOVE_ROWS
from workbench.analysis.cross_channel import CROSS_CHANNEL_KEY, CROSS_CHANNEL_LABEL, separate_cross_channel
from workbench.analysis.curation import OTHER
from workbench.analysis.group_rows import rows_by_key
from workbench.analysis.labels import heads_collide, phrase_document_counts, phrase_label
from workbench.analysis.near_duplicates import NearDuplicateMerge, head_phrase, merge_near_duplicates
from workbench.analysis.painpoint_settings import MIN_UNITS
from workbench.analysis.painpoint_topics import LABEL_SAMPLE
from workbench.analysis.painpoints import PainPointModel
from workbench.analysis.unit_words import is_usable_text
from workbench.errors import WorkbenchError

__all__ = ["CONTEXT", "Groups", "group_units", "lane_model_options", "lane_of"]

#: the key (and pain-point id) of the group of context units
CONTEXT = "context"
#: key prefix of each clustered lane
_PREFIX = {"pain": "t", "delight": "d"}


def lane_of(key: str) -> str:
    """The lane of a group key: "pain", "delight", "context" or "other" (curation keys: "pain").

    Example:
        >>> lane_of("e12"), lane_of("d1")
        ('pain', 'delight')
    """
    if key == OTHER:
        return "other"
    if key == CONTEXT:
        return "context"
    return "delight" if key.startswith("d") else "pain"


def lane_model_options(model_options: dict[str, Any] | None = None) -> dict[str, Any]:
    """The :class:`PainPointModel` options every lane is fitted with: HDBSCAN's "leaf" clusters unless given.

    Example:
        >>> lane_model_options(), lane_model_options({"cluster_selection_method": "eom", "min_words": 3})
        ({'cluster_selection_method': 'leaf'}, {'cluster_selection_method': 'eom', 'min_words': 3})
    """
    return {"cluster_selection_method": "leaf", **(model_options or {})}


@dataclass
class Groups:
    """The grouping of the units of one analysis.

    Attributes:
        keys: the group key of each unit.
        probabilities: per unit, cosine of its embedding to its group's centre in [0, 1]
            (0 for Other and context).
        labels: key → name.
        keywords: key → keywords.
        merges: the near-duplicate merges made (:class:`NearDuplicateMerge`).
        info: per lane: units, groups, whether the fit came from the cache, model parameters.

    Example:
        >>> Groups(np.array(["t0"]), np.array([0.9]), {"t0": "Refunds"}, {"t0": ["refund"]}).labels["t0"]
        'Refunds'
    """

    keys: np.ndarray
    probabilities: np.ndarray
    labels: dict[str, str]
    keywords: dict[str, list[str]]
    merges: list[NearDuplicateMerge] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)


def group_units(
    texts: Sequence[str],
    vectors: np.ndarray,
    kinds: Sequence[str],
    voices: Sequence[str],
    seed: int = 42,
    cache: Any = None,
    model_options: dict[str, Any] | None = None,
    follows: Sequence[int] | None = None,
    prototype_vectors: np.ndarray | None = None,
) -> Groups:
    """Group units by lane, fit each lane, merge near-duplicates and name every group.

    Args:
        texts: the units' texts.
        vectors: their embeddings, one row each.
        kinds: their kinds (:func:`workbench.analysis.kinds.unit_kinds`).
        voices: who speaks in each unit (participant id, or the feedback item's own id).
        seed: random state of every fit.
        cache: an :class:`~workbench.analysis.embedding_cache.EmbeddingCache` for the fits, or None.
        model_options: extra parameters of :class:`~workbench.analysis.painpoints.PainPointModel`.
        follows: per unit, the row of the unit whose story it reacts to (an answer to "how did
            that feel?"), or -1; None: no unit is a reaction.
        prototype_vectors: the embeddings of :data:`workbench.analysis.cross_channel.PROTOTYPES` by the
            units' embedder: pain-lane passages telling of answers that differ between channels then form
            a group of their own (step 3b); None: no such group.

    Raises:
        WorkbenchError: fewer than ``MIN_UNITS`` units have words (too few to find pain points).

    Example:
        >>> groups = group_units(texts, vectors, kinds, voices, seed=42)  # doctest: +SKIP
        >>> sorted(set(groups.keys))[:3]  # doctest: +SKIP
        ['context', 'd0', 'd1']
    """
    texts = [t if isinstance(t, str) else "" for t in texts]
    if not (len(texts) == len(vectors) == len(kinds) == len(voices)):
        raise WorkbenchError(
            f"group_units: got {len(texts)} texts, {len(vectors)} vectors, {len(kinds)} kinds and {len(voices)} "
            "voices; pass one of each per unit"
        )
    options = lane_model_options(model_options)
    min_words = int(options.get("min_words", 2))
    usable = np.array([is_usable_text(t, min_words) for t in texts], dtype=bool)
    if int(usable.sum()) < MIN_UNITS:
        raise WorkbenchError(
            f"PainPointModel.fit: only {int(usable.sum())} of {len(texts)} units have words to cluster; "
            f"at least {MIN_UNITS} are needed to find pain points. Add more interviews or feedback, "
            "or code a set this small by hand"
        )
    vectors = np.asarray(vectors, dtype=np.float32 if len(vectors) > FLOAT32_ABOVE_ROWS else np.float64)
    kinds = np.asarray([str(k) for k in kinds], dtype=object)
    keys = np.full(len(texts), OTHER, dtype=object)
    probabilities = np.zeros(len(texts))
    labels: dict[str, str] = {}
    keywords: dict[str, list[str]] = {}
    info: dict[str, Any] = {"model_options": dict(options)}

    context_rows = np.flatnonzero(kinds == CONTEXT)  # small talk too short to cluster ("Cheers.") is context too
    keys[context_rows] = CONTEXT
    if len(context_rows):
        labels[CONTEXT] = "About the customers (context for personas)"
        keywords[CONTEXT] = []
    info["context"] = {"n_units": int(len(context_rows))}
    follows_row = np.full(len(texts), -1) if follows is None else np.asarray(follows, dtype=int)
    apart = ["delight", CONTEXT]
    reactions = (follows_row >= 0) & ~np.isin(kinds, apart) & usable
    lanes = {"delight": np.flatnonzero(kinds == "delight"), "pain": np.flatnonzero(~np.isin(kinds, apart) & ~reactions)}
    merges: list[NearDuplicateMerge] = []
    for lane, rows in lanes.items():
        lane_info = _fit_lane(_PREFIX[lane], rows, texts, vectors, usable, seed, cache, options,
                              keys, probabilities, labels, keywords)
        groups = sorted({str(k) for k in keys[rows]} - {OTHER})
        new_keys, lane_merges = merge_near_duplicates(
            keys[rows], vectors[rows], [texts[i] for i in rows], [str(voices[i]) for i in rows], labels, groups,
            unit_kinds=kinds[rows].tolist(),
        )
        keys[rows] = new_keys
        _rename_merged(lane_merges, keys, rows, texts, labels, keywords)
        merges += lane_merges
        lane_info["n_groups"] = len({str(k) for k in keys[rows]} - {OTHER})
        lane_info["merges"] = len(lane_merges)
        info[lane] = lane_info
    if prototype_vectors is not None:
        info["cross_channel"] = _cross_channel(lanes["pain"], keys, texts, vectors, voices, prototype_vectors,
                                               labels, keywords)
    info["reactions"] = {"n_units": int(reactions.sum()),
                         "joined_their_story": _follow_stories(np.flatnonzero(reactions), follows_row, keys, vectors)}
    _probabilities(keys, vectors, probabilities)
    _unique_heads(keys, texts, labels, keywords)
    return Groups(keys, probabilities, labels, keywords, merges, info)


def _fit_lane(
    prefix: str, rows: np.ndarray, texts: list[str], vectors: np.ndarray, usable: np.ndarray, seed: int,
    cache: Any, options: dict[str, Any], keys: np.ndarray, probabilities: np.ndarray,
    labels: dict[str, str], keywords: dict[str, list[str]],
) -> dict[str, Any]:
    """Fit one lane in place (``keys``, ``labels``, ``keywords``); returns what the manifest records."""
    n_usable = int(usable[rows].sum()) if len(rows) else 0
    info: dict[str, Any] = {"n_units": int(len(rows)), "fitted": False, "from_cache": False}
    if n_usable == 0:
        return info
    if n_usable < MIN_UNITS:
        members = rows[usable[rows]]
        key = f"{prefix}0"
        keys[members] = key
        lane_texts = [texts[i] for i in members]
        labels[key] = phrase_label(lane_texts, phrase_document_counts(texts), len(texts)) or _word_label(lane_texts)
        keywords[key] = _top_words(lane_texts)
        return info
    model = PainPointModel(random_state=seed, **options).fit([texts[i] for i in rows], vectors[rows], cache=cache)
    found = model.labels_
    keys[rows] = [OTHER if label < 0 else f"{prefix}{label}" for label in found]
    probabilities[rows] = model.probabilities_
    for topic in model.topics_.itertuples():
        labels[f"{prefix}{topic.topic_id}"] = str(topic.label)
        keywords[f"{prefix}{topic.topic_id}"] = [str(k) for k in topic.keywords]
    info.update(fitted=True, from_cache=bool(model.from_cache_), model_params=model.get_params())
    return info


def _rename_merged(
    merges: list[NearDuplicateMerge], keys: np.ndarray, rows: np.ndarray, texts: list[str],
    labels: dict[str, str], keywords: dict[str, list[str]],
) -> None:
    """A merged group is named again from all its members; its keywords interleave both groups'."""
    if not merges:
        return
    # phrase statistics from at most LABEL_SAMPLE texts, and at most a tenth of that per group, as the
    # lane's own labels were made (painpoint_topics): naming stays cheap on a million-item export
    lane_texts = [texts[i] for i in rows[:: max(1, math.ceil(len(rows) / LABEL_SAMPLE))]]
    counts = phrase_document_counts(lane_texts)
    for merge in merges:
        if merge.kept not in labels:
            continue
        member_rows = rows[keys[rows] == merge.kept]
        members = [texts[i] for i in member_rows[:: max(1, math.ceil(len(member_rows) / (LABEL_SAMPLE // 10)))]]
        taken = [label for key, label in labels.items() if key not in (merge.kept, merge.merged)]
        labels[merge.kept] = phrase_label(members, counts, len(lane_texts), taken) or labels[merge.kept]
        first, second = keywords.get(merge.kept, []), keywords.pop(merge.merged, [])
        mixed = [k for pair in zip(first, second) for k in pair] + first[len(second):] + second[len(first):]
        keywords[merge.kept] = list(dict.fromkeys(mixed))[: max(len(first), len(second))]
        labels.pop(merge.merged, None)


def _cross_channel(
    rows: np.ndarray, keys: np.ndarray, texts: list[str], vectors: np.ndarray, voices: Sequence[str],
    prototype_vectors: np.ndarray, labels: dict[str, str], keywords: dict[str, list[str]],
) -> dict[str, Any]:
    """Step 3b: the cross-channel group (:mod:`workbench.analysis.cross_channel`); returns its manifest record."""
    split = separate_cross_channel(keys, rows, texts, vectors, voices, prototype_vectors, excluded=[OTHER])
    if split.formed:
        for key in split.taken_from:  # a group whose every member moved is gone
            if not (keys[rows] == key).any():
                labels.pop(key, None)
                keywords.pop(key, None)
        # named for what its members share, their shape: their most frequent phrase is their topic (a refund, a fee)
        labels[CROSS_CHANNEL_KEY] = CROSS_CHANNEL_LABEL
        keywords[CROSS_CHANNEL_KEY] = _top_words([texts[i] for i in rows[keys[rows] == CROSS_CHANNEL_KEY]])
    return split.as_record()


def _follow_stories(rows: np.ndarray, follows: np.ndarray, keys: np.ndarray, vectors: np.ndarray) -> int:
    """Each reaction joins its story's pain-lane group, else the nearest one; returns how many joined a story."""
    groups = sorted(k for k in set(keys.tolist()) if lane_of(k) == "pain")
    if not groups or not len(rows):
        return 0
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(norms == 0, 1.0, norms)
    rows_of = rows_by_key(keys)
    centres = np.vstack([unit[rows_of[g]].mean(axis=0) for g in groups])
    centres /= np.where(np.linalg.norm(centres, axis=1, keepdims=True) == 0, 1.0, np.linalg.norm(centres, axis=1, keepdims=True))
    joined = 0
    for row in sorted(rows.tolist()):
        story = int(follows[row])
        if story >= 0 and lane_of(str(keys[story])) == "pain":
            keys[row] = keys[story]
            joined += 1
        else:
            keys[row] = groups[int(np.argmax(centres @ unit[row]))]
    return joined


def _probabilities(keys: np.ndarray, vectors: np.ndarray, probabilities: np.ndarray) -> None:
    """Cosine of each grouped unit to its group's centre (after merges), clipped to [0, 1]."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(norms == 0, 1.0, norms)
    for key, rows in rows_by_key(keys).items():
        if key in (OTHER, CONTEXT):
            continue
        centre = unit[rows].mean(axis=0)
        centre /= np.linalg.norm(centre) or 1.0
        probabilities[rows] = np.clip(unit[rows] @ centre, 0.0, 1.0)
    probabilities[np.isin(keys, [OTHER, CONTEXT])] = 0.0


def _unique_heads(keys: np.ndarray, texts: list[str], labels: dict[str, str], keywords: dict[str, list[str]]) -> None:
    """Largest group first, rename any group whose name's head collides with a larger group's."""
    rows_of = rows_by_key(keys)
    sizes = {key: len(rows_of.get(key, ())) for key in labels}
    step = max(1, math.ceil(len(texts) / LABEL_SAMPLE))
    counts = None
    used_heads: list[str] = []
    used_labels: set[str] = set()
    for key in sorted(labels, key=lambda k: (k == CONTEXT, -sizes[k], k)):
        label = labels[key]
        if key != CONTEXT and (label.lower() in used_labels or any(heads_collide(head_phrase(label), h) for h in used_heads)):
            counts = counts if counts is not None else phrase_document_counts(texts[::step])
            member_rows = rows_of.get(key, np.zeros(0, dtype=int))
            members = [texts[i] for i in member_rows[:: max(1, math.ceil(len(member_rows) / (LABEL_SAMPLE // 10)))]]
            label = (phrase_label(members, counts, len(texts[::step]), used_labels, used_heads)
                     or _word_label(members, keywords.get(key, []), used_heads, used_labels))
            labels[key] = label
        used_heads.append(head_phrase(label))
        used_labels.add(label.lower())


def _top_words(texts: list[str], n: int = 10) -> list[str]:
    """The most frequent content words of ``texts`` (English stop words and redaction tags left out)."""
    from sklearn.feature_extraction.text import CountVectorizer

    from workbench.analysis.unit_words import prepare_for_keywords

    try:
        counts = CountVectorizer(stop_words="english").fit([prepare_for_keywords(t) for t in texts])
    except ValueError:  # no content word at all
        return []
    matrix = counts.transform([prepare_for_keywords(t) for t in texts]).sum(axis=0).A1
    words = counts.get_feature_names_out()
    order = sorted(range(len(words)), key=lambda i: (-matrix[i], words[i]))
    return [str(words[i]) for i in order[:n]]


def _word_label(texts: list[str], keywords: Sequence[str] = (), avoid_heads: Sequence[str] = (),
                taken: set[str] | None = None) -> str:
    """A name from the first keyword (or frequent word) that collides with no head already used."""
    taken = taken or set()
    for word in [*keywords, *_top_words(texts, 20)]:
        if not any(heads_collide(word, h) for h in avoid_heads) and word.lower() not in taken:
            return word[:1].upper() + word[1:]
    return f"Group of {len(texts)} passages"
