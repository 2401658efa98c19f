"""Describing fitted pain points: ids by size, centres, probabilities, representatives, keywords, names.

:class:`TopicsMixin` turns the cluster id of every usable unit into what
:class:`~workbench.analysis.painpoints.PainPointModel` offers after ``fit`` or ``merge``:
``labels_`` (pain points numbered by size, 0 = largest, ties by first unit; ``-1`` = Other),
``probabilities_`` (cosine of a unit's embedding to its pain point's centre, clipped to
[0, 1]), ``topic_embeddings_`` and the ``topics_`` table with keywords
(:mod:`workbench.analysis.keyphrases`), representative units (most central first, no
duplicate texts) and a name a researcher can read (step 6): the phrase customers in the pain
point said most and others said least (:func:`workbench.analysis.labels.phrase_label`, e.g.
"No confirmation, no booking" or "Minutes on hold"); when no phrase is shared widely enough,
the best keyphrase as the customers said it, completed by a second keyword when short.

Example:
    >>> from workbench.analysis.painpoints import PainPointModel
    >>> issubclass(PainPointModel, TopicsMixin)
    True
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from workbench.analysis.cluster_space import _unit_rows
from workbench.analysis.keyphrases import _make_label, keyphrases
from workbench.analysis.labels import phrase_document_counts, phrase_label
from workbench.analysis.refinement import OTHER

__all__ = ["LABEL_SAMPLE", "TopicsMixin", "number_by_size"]

#: texts sampled for the phrase statistics behind labels (the most central members: a tenth of it)
LABEL_SAMPLE = 20_000


def number_by_size(cluster_labels: np.ndarray, usable: np.ndarray) -> tuple[np.ndarray, list[int], dict[int, int]]:
    """Every unit's pain point numbered by size (0 = largest, ties by first unit), -1 for Other and unusable units.

    ``cluster_labels`` holds one label per usable unit (``usable`` True), in order. Returns
    ``(labels of all units, old ids largest first, old id -> new id)``.

    Example:
        >>> labels, order, new_id = number_by_size(np.array([3, 5, 5, -1]), np.array([True, True, False, True, True]))
        >>> labels.tolist(), order
        ([1, 0, -1, 0, -1], [5, 3])
    """
    rows = np.flatnonzero(usable)
    found = sorted(set(cluster_labels.tolist()) - {OTHER})
    first_seen = {t: int(np.flatnonzero(cluster_labels == t)[0]) for t in found}
    sizes = {t: int((cluster_labels == t).sum()) for t in found}
    order = sorted(found, key=lambda t: (-sizes[t], first_seen[t]))
    new_id = {old: new for new, old in enumerate(order)}
    labels = np.full(len(usable), OTHER, dtype=int)
    labels[rows] = [new_id.get(int(t), OTHER) for t in cluster_labels]
    return labels, order, new_id


class TopicsMixin:
    """Builds ``labels_``, ``probabilities_``, ``topic_embeddings_`` and ``topics_`` of a fitted model.

    Relies on the model's ``texts_``, ``settings_``, ``_usable`` (units with words),
    ``_vectors`` (unit-length embeddings), the c-TF-IDF words and vectorizer of the last fit or
    merge, and ``_joined_centres`` of :class:`~workbench.analysis.cluster_space.ClusterSpaceMixin`.

    Example:
        >>> from workbench.analysis.painpoints import PainPointModel
        >>> issubclass(PainPointModel, TopicsMixin)
        True
    """

    texts_: list[str]
    settings_: dict[str, Any]
    _usable: np.ndarray
    _vectors: np.ndarray
    _cluster_vectors: np.ndarray | None
    _cluster_centres: np.ndarray | None
    _topic_words: dict[int, list[tuple[str, float]]] | None
    _keyword_vectorizer: Any

    def _describe(self, bertopic_labels: np.ndarray) -> None:
        """Renumber by size, compute centres, probabilities, keywords and labels."""
        n_total = len(self.texts_)
        labels, order, new_id = number_by_size(bertopic_labels, self._usable)

        centres = np.zeros((len(order), self._vectors.shape[1]))
        for topic in range(len(order)):
            centres[topic] = self._vectors[labels == topic].mean(axis=0)
        centres = _unit_rows(centres)
        self._cluster_centres = (
            None if self._cluster_vectors is None else self._joined_centres(labels, len(order))
        )
        probabilities = np.zeros(n_total)
        assigned = labels >= 0
        if assigned.any():
            probabilities[assigned] = np.clip(
                np.einsum("ij,ij->i", self._vectors[assigned], centres[labels[assigned]]), 0.0, 1.0
            )

        keywords = self._keywords(order, labels, centres)
        # Phrase statistics from at most LABEL_SAMPLE texts keep naming cheap on 100k-item exports.
        step = max(1, math.ceil(n_total / LABEL_SAMPLE))
        phrase_counts = phrase_document_counts(self.texts_[::step])
        n_phrase_texts = len(self.texts_[::step])
        records = []
        used_labels: set[str] = set()
        for topic, old in enumerate(order):
            members = np.flatnonzero(labels == topic)
            closeness = self._vectors[members] @ centres[topic]
            ranked = members[np.argsort(-closeness, kind="stable")]
            representatives: list[int] = []
            seen_texts: set[str] = set()
            for index in ranked:
                text = self.texts_[index].strip().lower()
                if text not in seen_texts:
                    representatives.append(int(index))
                    seen_texts.add(text)
                if len(representatives) >= self.settings_["n_representatives"]:
                    break
            label = phrase_label(
                [self.texts_[i] for i in ranked[:LABEL_SAMPLE // 10]], phrase_counts, n_phrase_texts, used_labels
            ) or _make_label(
                keywords[topic], [self.texts_[i] for i in ranked], used_labels
            )
            used_labels.add(label.lower())
            records.append(
                {
                    "topic_id": topic,
                    "label": label,
                    "keywords": keywords[topic],
                    "size": int(len(members)),
                    "representative_indices": representatives,
                }
            )
        self.labels_ = labels
        self.probabilities_ = probabilities
        self.topic_embeddings_ = centres.astype(np.float32)
        self._raw_topic_ids = {int(old): new for old, new in new_id.items()}
        self.topics_ = pd.DataFrame(
            records, columns=["topic_id", "label", "keywords", "size", "representative_indices"]
        )

    def _keywords(self, order: list[int], labels: np.ndarray, centres: np.ndarray) -> list[list[str]]:
        """KeyBERT-style keyphrases from c-TF-IDF candidates, diversified with MMR."""
        return keyphrases(
            self.texts_,
            self._vectors,
            labels,
            order,
            centres,
            self._topic_words,
            self._keyword_vectorizer,
            self.settings_["n_keywords"],
            self.settings_["diversity"],
        )
