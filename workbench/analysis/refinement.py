"""Which pain point each unit ends in: centroid refinement, the capped Other bucket, ids by size.

Step 3 of :mod:`workbench.analysis.painpoints`: in the full (not UMAP-reduced) joined space
every unit moves to the pain point whose centre (mean vector) is most similar, a few rounds,
like spherical k-means started from the HDBSCAN clusters. This repairs UMAP boundary errors
and gives HDBSCAN's outliers a home. A unit less similar than ``min_similarity`` to every
centre stays in the explicit **Other** bucket (:data:`OTHER`), but Other is capped: beyond
its budget, the most similar outliers are assigned. Cluster ids are then numbered by size,
as BERTopic numbers its topics (:func:`_number_by_frequency`).

Example:
    >>> _number_by_frequency([3, 3, OTHER, 1]).tolist()
    [0, 0, -1, 1]
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd

from workbench.analysis.cluster_space import _unit_rows

__all__ = ["OTHER", "refine_clusters"]

#: label of the explicit Other bucket in ``labels_``
OTHER = -1


def refine_clusters(
    vectors: np.ndarray,
    labels: np.ndarray,
    iterations: int,
    min_similarity: float,
    other_budget: int,
    compact: bool = True,
) -> np.ndarray:
    """Move units to the most similar cluster centre; keep at most ``other_budget`` outliers.

    ``vectors`` are rows of at most unit length; ``labels`` start clusters (``-1`` = outlier). With no
    cluster at all, every unit forms one cluster. Returns labels numbered 0..k-1 (and -1), or
    with ``compact=False`` in the ids of ``labels`` (a cluster that emptied is simply absent).

    Example:
        >>> vectors = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9], [-1, 0]], dtype=float)
        >>> vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        >>> refine_clusters(vectors, np.array([0, -1, 1, 1, -1]), 5, 0.3, 0).tolist()
        [0, 0, 1, 1, 1]
        >>> refine_clusters(vectors, np.array([0, -1, 1, 1, -1]), 5, 0.3, 1).tolist()
        [0, 0, 1, 1, -1]
        >>> refine_clusters(vectors, np.array([4, -1, 9, 9, -1]), 5, 0.3, 1, compact=False).tolist()
        [4, 4, 9, 9, -1]
    """
    labels = np.asarray(labels, dtype=int).copy()
    if not (labels >= 0).any():
        return np.zeros(len(labels), dtype=int)
    for _ in range(max(iterations, 0) + 1):
        ids = np.unique(labels[labels >= 0])
        # in the vectors' own precision: float32 rows of a large corpus are not copied to float64
        centres = _cluster_centres(vectors, labels, ids).astype(vectors.dtype, copy=False)
        best, best_similarity = _nearest_centres(vectors, centres)
        new = ids[best]
        if iterations == 0:  # only give outliers a home
            new = np.where(labels >= 0, labels, new)
        new[best_similarity < min_similarity] = -1
        if (new >= 0).sum() == 0:
            break
        converged = np.array_equal(new, labels)
        labels = new
        if converged or iterations == 0:
            break
    outliers = np.flatnonzero(labels < 0)
    if len(outliers) > other_budget:
        # Too many in Other: assign the most similar outliers to their nearest centre.
        ids = np.unique(labels[labels >= 0])
        centres = _cluster_centres(vectors, labels, ids).astype(vectors.dtype, copy=False)
        similarity = vectors[outliers] @ centres.T
        best = similarity.argmax(axis=1)
        order = np.argsort(-similarity[np.arange(len(outliers)), best], kind="stable")
        take = order[: len(outliers) - other_budget]
        labels[outliers[take]] = ids[best[take]]
    if not compact:
        return labels
    # Compact ids (a cluster may have emptied during refinement).
    ids = np.unique(labels[labels >= 0])
    compact = np.full(len(labels), -1, dtype=int)
    compact[labels >= 0] = np.searchsorted(ids, labels[labels >= 0])
    return compact


#: rows compared with the centres at a time: a million rows × 400 centres at once would be 1.6 GB
_BLOCK_ROWS = 65_536


def _nearest_centres(vectors: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's most similar centre and that similarity, a block of rows at a time."""
    best = np.empty(len(vectors), dtype=np.int64)
    best_similarity = np.empty(len(vectors), dtype=np.result_type(vectors.dtype, centres.dtype))
    for start in range(0, len(vectors), _BLOCK_ROWS):
        similarity = vectors[start : start + _BLOCK_ROWS] @ centres.T
        block_best = similarity.argmax(axis=1)
        best[start : start + _BLOCK_ROWS] = block_best
        best_similarity[start : start + _BLOCK_ROWS] = similarity[np.arange(len(block_best)), block_best]
    return best, best_similarity


def _cluster_centres(vectors: np.ndarray, labels: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Unit-length mean vector of each cluster in ``ids``: one sparse product, not a pass per cluster."""
    from scipy.sparse import csr_matrix

    member = labels >= 0
    position = np.searchsorted(ids, labels[member])
    indicator = csr_matrix(
        # in the vectors' precision: a float64 indicator would make scipy copy float32 rows to float64
        (np.ones(int(member.sum()), dtype=vectors.dtype), (position, np.flatnonzero(member))),
        shape=(len(ids), len(labels)),
    )
    sums = np.asarray(indicator @ vectors)
    counts = np.asarray(indicator.sum(axis=1)).reshape(-1, 1)
    return _unit_rows(sums / np.maximum(counts, 1))



def _number_by_frequency(labels: Sequence[int] | np.ndarray) -> np.ndarray:
    """Renumber cluster ids 0, 1, … from the largest; -1 (Other) stays -1.

    The numbering BERTopic gives its topics, tie order included (a pandas sort of the sizes
    in order of first appearance), so the c-TF-IDF rows and keywords are what BERTopic found.

    Example:
        >>> _number_by_frequency([5, 5, -1, 2, 2, 2, 9]).tolist()
        [1, 1, -1, 0, 0, 0, 2]
    """
    labels = np.asarray(labels, dtype=int)
    sizes = Counter(labels.tolist())
    table = pd.DataFrame(sizes.items(), columns=["old", "size"]).sort_values("size", ascending=False)
    table = table[table["old"] != OTHER]
    mapping = {OTHER: OTHER, **dict(zip(table["old"].tolist(), range(len(table))))}
    return np.array([mapping[int(label)] for label in labels], dtype=int)

