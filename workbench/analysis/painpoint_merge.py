"""Merging fitted pain points into one, as a researcher asks for it.

:class:`MergeMixin` gives :class:`~workbench.analysis.painpoints.PainPointModel` its ``merge``:
the merged pain point takes the members of all, c-TF-IDF keywords are computed again over
every usable unit (as BERTopic's ``merge_topics`` does), pain points are renumbered by size,
and every untouched pain point keeps its label.

Example:
    >>> from workbench.analysis.painpoints import PainPointModel
    >>> PainPointModel().merge([0, 1])
    Traceback (most recent call last):
    ...
    workbench.errors.WorkbenchError: PainPointModel.merge: the model is not fitted yet; call fit(texts, embeddings) first
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Self

import numpy as np

from workbench.analysis.ctfidf import class_tfidf_words
from workbench.analysis.refinement import _number_by_frequency
from workbench.errors import WorkbenchError

__all__ = ["MergeMixin"]


class MergeMixin:
    """``merge`` of a fitted model.

    Relies on the model's fitted state (``labels_``, ``topics_``, ``texts_``, ``settings_``,
    ``_usable``, ``_usable_labels``, ``_raw_topic_ids``) and on ``_check_fitted``,
    ``_ensure_cluster_space``, ``_vectorizer`` and ``_describe``.

    Example:
        >>> from workbench.analysis.painpoints import PainPointModel
        >>> issubclass(PainPointModel, MergeMixin)
        True
    """

    labels_: np.ndarray
    topics_: Any
    texts_: list[str]
    settings_: dict[str, Any]
    _usable: np.ndarray
    _usable_labels: np.ndarray
    _raw_topic_ids: dict[int, int]
    _check_fitted: Any
    _ensure_cluster_space: Any
    _vectorizer: Any
    _describe: Any

    def merge(self, topic_ids: Sequence[int], label: str | None = None) -> Self:
        """Merge pain points into one; keywords are recomputed and topics renumbered by size.

        Args:
            topic_ids: two or more ``topic_id`` values of ``topics_``.
            label: name of the merged pain point; None builds one from its keywords.

        Other pain points keep their labels; ids may change because pain points stay
        numbered by size (find the merged one through ``labels_`` of a member unit).

        Example:
            >>> model.merge([3, 5], label="Refunds are slow")  # doctest: +SKIP
        """
        self._check_fitted("merge")
        wanted = sorted({int(t) for t in topic_ids})
        known = set(self.topics_["topic_id"].tolist())
        unknown = [t for t in wanted if t not in known]
        if unknown or len(wanted) < 2:
            raise WorkbenchError(
                f"PainPointModel.merge: pass two or more topic ids of topics_ (0..{len(known) - 1}); got {list(topic_ids)}"
            )
        member = self.labels_[self._usable]
        keep_labels = {int(t): str(l) for t, l in zip(self.topics_["topic_id"], self.topics_["label"])}
        old_ids = {new: old for old, new in self._raw_topic_ids.items()}
        to_merge = [old_ids[t] for t in wanted]
        docs = [self.texts_[i] for i in np.flatnonzero(self._usable)]
        self._ensure_cluster_space()
        # The merged pain point takes the first id, ids are renumbered by frequency and
        # c-TF-IDF is computed again over every usable unit (as BERTopic's merge_topics does).
        raw = np.asarray(self._usable_labels, dtype=int)
        new_bertopic = _number_by_frequency(np.where(np.isin(raw, to_merge), to_merge[0], raw))
        self._topic_words, self._keyword_vectorizer = class_tfidf_words(
            docs, new_bertopic, self._vectorizer(self.settings_), max(30, self.settings_["n_keywords"] * 3)
        )
        self._usable_labels = new_bertopic
        self._bertopic = None
        # Remember each untouched pain point's label through one of its members.
        anchors = {t: int(np.flatnonzero(member == t)[0]) for t in known if t not in wanted}
        merged_anchor = int(np.flatnonzero(np.isin(member, wanted))[0])
        self._describe(new_bertopic)
        member_after = self.labels_[self._usable]
        names = dict(zip(self.topics_["topic_id"], self.topics_["label"]))
        for old_topic, anchor in anchors.items():
            names[int(member_after[anchor])] = keep_labels[old_topic]
        if label is not None:
            names[int(member_after[merged_anchor])] = str(label)
        self.topics_["label"] = [names[t] for t in self.topics_["topic_id"]]
        return self
