"""BERTopic's view of fitted pain points, built lazily, for BERTopic's own plots.

Importing BERTopic costs about 10 s (it pulls sentence-transformers and plotly), so pain
points are found without it; :class:`BERTopicMixin` gives
:class:`~workbench.analysis.painpoints.PainPointModel` its ``bertopic_model_`` (built on first
access through BERTopic's manual mode) and ``bertopic_topic_ids_``.

Example:
    >>> from workbench.analysis.painpoints import PainPointModel
    >>> PainPointModel().bertopic_model_
    Traceback (most recent call last):
    ...
    AttributeError: PainPointModel.bertopic_model_: the model is not fitted yet; call fit(texts, embeddings)
"""
from __future__ import annotations

from typing import Any

import numpy as np

from workbench.analysis.refinement import OTHER

__all__ = ["BERTopicMixin"]


class BERTopicMixin:
    """``bertopic_model_`` and ``bertopic_topic_ids_`` of a fitted model.

    Relies on the model's ``texts_``, ``labels_``, ``settings_``, ``_usable``, ``_bertopic``
    (None until built), ``_vectorizer(settings)`` and ``_ensure_cluster_space()``.

    Example:
        >>> from workbench.analysis.painpoints import PainPointModel
        >>> issubclass(PainPointModel, BERTopicMixin)
        True
    """

    texts_: list[str]
    labels_: np.ndarray
    settings_: dict[str, Any]
    _usable: np.ndarray
    _bertopic: Any
    _cluster_vectors: Any
    _vectorizer: Any
    _ensure_cluster_space: Any

    @property
    def bertopic_model_(self) -> Any:
        """A ``BERTopic`` object with this model's pain points, for BERTopic's own plots (built on first use).

        Importing BERTopic costs about 10 s (it pulls sentence-transformers and plotly), so
        the pain points are found without it; this builds BERTopic's view of the fitted model
        through its manual mode (identity reduction, the pain points as given clusters) on
        the usable units and their joined vectors. Its topic ids are BERTopic's, numbered by
        size; ``bertopic_topic_ids_`` maps them to ``topic_id``.

        Example:
            >>> model.bertopic_model_.visualize_barchart()  # doctest: +SKIP
        """
        if not hasattr(self, "labels_"):  # an AttributeError, as for any learned attribute before fit
            raise AttributeError("PainPointModel.bertopic_model_: the model is not fitted yet; call fit(texts, embeddings)")
        if self._bertopic is None:
            from bertopic import BERTopic
            from bertopic.cluster import BaseCluster
            from bertopic.dimensionality import BaseDimensionalityReduction
            from bertopic.vectorizers import ClassTfidfTransformer

            self._ensure_cluster_space()
            rows = np.flatnonzero(self._usable)
            topic_model = BERTopic(
                umap_model=BaseDimensionalityReduction(),
                hdbscan_model=BaseCluster(),
                vectorizer_model=self._vectorizer(self.settings_),
                ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
                top_n_words=max(30, self.settings_["n_keywords"] * 3),
                calculate_probabilities=False,
            )
            topic_model.fit([self.texts_[i] for i in rows], embeddings=self._cluster_vectors[rows], y=self.labels_[rows])
            self._bertopic = topic_model
        return self._bertopic

    @property
    def bertopic_topic_ids_(self) -> dict[int, int]:
        """``{BERTopic topic id: topic_id}`` for :attr:`bertopic_model_` (builds it on first use).

        Example:
            >>> model.bertopic_topic_ids_[0]  # doctest: +SKIP
            0
        """
        topic_model = self.bertopic_model_
        ours = self.labels_[np.flatnonzero(self._usable)]
        return {int(theirs): int(mine) for theirs, mine in zip(topic_model.topics_, ours) if mine != OTHER}
