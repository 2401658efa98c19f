"""The space pain points are found in: each unit's embedding joined with the words it uses.

Step 0 of :mod:`workbench.analysis.painpoints`: each unit is clustered on its embedding joined
with a small lexical part, TF-IDF of its words (sublinear, words in two or more units,
redaction tags removed) reduced by LSA to at most 100 dimensions (:func:`word_vectors`). Both
parts are unit length and weighted so the cosine between two units is
``(1 - word_weight) * embedding cosine + word_weight * word cosine`` (``word_weight=0.2``).
:class:`ClusterSpaceMixin` keeps a fitted model's word model, joined vectors and their
centres, and rebuilds them after a fit read from the cache.

Sentence embeddings put requests that *mean* nearly the same close together even when
customers name different things ("what is on my shopping list" vs "add eggs to my shopping
list", "freeze my account" vs "why is my account blocked"); the shared words tell those pain
points apart, and tie together units that name the same product or step. A fifth of the
similarity is enough for that without letting one shared word outvote the meaning: on
CLINC150 (4,500 requests, 150 intents) it raises NMI from 0.911 to 0.922 and ARI from 0.731
to 0.767, on the sample study (670 units, 13 themes) from 0.49 to 0.57 NMI and 0.33 to 0.44
ARI (mean of seeds 42, 1, 7); 0.1 gains about half of that, 0.25 and more start to lose on
CLINC, and stop-word removal hurts (short requests differ by words like "time", "name" or
"show"). ``word_weight=0`` clusters the embeddings alone.

Example:
    >>> joined = _join(np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]]), 0.2)
    >>> round(float(joined[0] @ joined[0]), 6)
    1.0
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from workbench.analysis.unit_words import prepare_for_keywords

__all__ = ["ClusterSpaceMixin", "word_vectors"]


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows (or a single vector) scaled to unit L2 norm as float64; all-zero rows stay zero.

    Example:
        >>> _unit_rows(np.array([[3.0, 4.0], [0.0, 0.0]])).tolist()
        [[0.6, 0.8], [0.0, 0.0]]
    """
    matrix = np.asarray(matrix, dtype=np.float64)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True) if matrix.ndim == 2 else np.linalg.norm(matrix)
    return matrix / np.where(norms == 0, 1.0, norms)


#: above this many rows, vectors are kept in float32 (a large corpus: half the memory; a million
#: 256-d rows are 1 GB instead of 2 GB, and every lane and step holds a copy)
FLOAT32_ABOVE_ROWS = 20_000


def unit_rows_sized(matrix: np.ndarray) -> np.ndarray:
    """:func:`_unit_rows`, in float32 when there are more than :data:`FLOAT32_ABOVE_ROWS` rows.

    Small studies keep float64 (their results do not move by a rounding); a corpus of
    millions of rows needs the memory more than the last digits.

    Example:
        >>> unit_rows_sized(np.ones((3, 2))).dtype.name, unit_rows_sized(np.ones((20_001, 2))).dtype.name
        ('float64', 'float32')
    """
    if len(matrix) <= FLOAT32_ABOVE_ROWS:
        return _unit_rows(matrix)
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, np.float32(1.0), norms)


class _WordVectors:
    """The word part of each unit's vector: TF-IDF reduced by LSA, rows of unit length.

    Sublinear TF-IDF over words (two or more letters or digits) that occur in at least two
    units, redaction tags removed, no stop words (short requests differ by words such as
    "time" or "name"), then ``TruncatedSVD`` (seeded, so deterministic) to at most
    ``dimensions`` columns. ``vectorizer`` stays None when fewer than three words are shared.
    """

    def __init__(self, dimensions: int) -> None:
        self.dimensions = dimensions
        self.vectorizer: Any = None
        self.svd: Any = None

    def fit(self, docs: list[str]) -> _WordVectors:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer
        from threadpoolctl import threadpool_limits

        vectorizer = TfidfVectorizer(sublinear_tf=True, min_df=2, preprocessor=prepare_for_keywords)
        try:
            counts = vectorizer.fit_transform(docs)
        except ValueError:  # empty vocabulary
            return self
        dimensions = min(self.dimensions, counts.shape[1] - 1, counts.shape[0] - 1)
        if dimensions < 2:
            return self
        # One BLAS thread: the randomized SVD of a few hundred units is a chain of small QR/LU
        # factorisations that OpenBLAS's threads only wait on (4.3 s of CPU instead of 0.07 s on
        # the sample study on two busy cores, 12 times per first run), and one thread gives the
        # same word vectors on every machine, whatever its number of cores.
        with threadpool_limits(limits=1, user_api="blas"):
            self.svd = TruncatedSVD(n_components=dimensions, random_state=0).fit(counts)
        self.vectorizer = vectorizer
        return self

    def transform(self, docs: Sequence[str]) -> np.ndarray:
        return _unit_rows(self.svd.transform(self.vectorizer.transform(list(docs))))


def word_vectors(docs: Sequence[str], dimensions: int = 100) -> np.ndarray | None:
    """LSA vectors of ``docs``' words, unit length (None when too few words are shared).

    The lexical part of the vectors :class:`PainPointModel` clusters (step 0 of the module
    docstring); a unit with none of the shared words gets a row of zeros.

    Example:
        >>> docs = ["refund took weeks", "still no refund", "app crashes", "the app crashes again"]
        >>> vectors = word_vectors(docs, dimensions=2)
        >>> vectors.shape, bool(vectors[0] @ vectors[1] > vectors[0] @ vectors[2])
        ((4, 2), True)
    """
    model = _WordVectors(dimensions).fit(list(docs))
    return None if model.vectorizer is None else model.transform(docs)


def _joined_dtype(large_corpus: Any) -> type:
    """float32 for every unit's joined vector in the large-corpus mode (half the memory), else float64.

    Example:
        >>> _joined_dtype(None).__name__, _joined_dtype({"n_units": 10**6}).__name__
        ('float64', 'float32')
    """
    return np.float32 if large_corpus is not None and large_corpus is not False else np.float64


def _join(embeddings: np.ndarray, words: np.ndarray, word_weight: float) -> np.ndarray:
    """``[sqrt(1 - w) * embedding, sqrt(w) * words]``: cosines add up with weights ``1 - w`` and ``w``."""
    return np.hstack([embeddings * math.sqrt(1.0 - word_weight), words * math.sqrt(word_weight)])


class ClusterSpaceMixin:
    """A fitted :class:`~workbench.analysis.painpoints.PainPointModel`'s cluster space.

    The word model fitted on the clustered units, every usable unit's joined vector
    (``_cluster_vectors``) and each pain point's centre in that space (``_cluster_centres``);
    ``transform``, ``merge`` and ``bertopic_model_`` need them. After a fit read from the
    cache they are rebuilt on first use (:meth:`_ensure_cluster_space`).

    Example:
        >>> from workbench.analysis.painpoints import PainPointModel
        >>> issubclass(PainPointModel, ClusterSpaceMixin)
        True
    """

    settings_: dict[str, Any]
    sample_indices_: np.ndarray
    texts_: list[str]
    labels_: np.ndarray
    topics_: Any
    _word_model: _WordVectors | None
    _cluster_vectors: np.ndarray | None
    _cluster_centres: np.ndarray | None
    _usable: np.ndarray
    _vectors: np.ndarray

    def _fit_word_model(self, docs: list[str], settings: dict[str, Any]) -> _WordVectors | None:
        """The word model of step 0 fitted on ``docs`` (None when words are off or none are shared)."""
        if settings["word_weight"] <= 0:
            return None
        model = _WordVectors(settings["word_dimensions"]).fit(docs)
        return model if model.vectorizer is not None else None

    def _joined(self, docs: Sequence[str], vectors: np.ndarray, settings: dict[str, Any]) -> np.ndarray:
        """The vectors that are clustered: embedding joined with the words (rows are independent)."""
        if self._word_model is None:
            return vectors
        return _join(vectors, self._word_model.transform(docs), settings["word_weight"])

    def _ensure_cluster_space(self) -> None:
        """Rebuild the word model, joined vectors and their centres after a fit read from the cache.

        Every piece is deterministic (seeded SVD on the same sample, row-wise transforms), so
        this gives what the fit itself computed.
        """
        if self._cluster_vectors is not None:
            return
        settings = self.settings_
        rows = self.sample_indices_
        self._word_model = self._fit_word_model([self.texts_[i] for i in rows], settings)
        usable_rows = np.flatnonzero(self._usable)
        width = self._vectors.shape[1] + (0 if self._word_model is None else self._word_model.svd.n_components)
        joined = np.zeros((len(self.texts_), width), dtype=_joined_dtype(settings.get("large_corpus")))
        for start in range(0, len(usable_rows), 20_000):
            chunk = usable_rows[start : start + 20_000]
            joined[chunk] = self._joined([self.texts_[i] for i in chunk], self._vectors[chunk], settings)
        self._cluster_vectors = joined
        self._cluster_centres = self._joined_centres(self.labels_, len(self.topics_))

    def _joined_centres(self, labels: np.ndarray, n_topics: int) -> np.ndarray:
        return _unit_rows(
            np.stack([self._cluster_vectors[labels == t].mean(axis=0) for t in range(n_topics)])
            if n_topics
            else np.zeros((0, self._cluster_vectors.shape[1]))
        )
