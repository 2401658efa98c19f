"""UMAP's exact cosine neighbours of a small corpus, computed in compiled code instead of a Python loop.

Below 4096 rows umap-learn computes every pairwise distance with scikit-learn's
``pairwise_distances`` and its own numba ``cosine``: scikit-learn calls that function once per
pair from a Python loop (236,000 calls for a 687-unit study, about 0.9 s of CPU per fit, a
tenth of the sample study's first run over its 12 fits). :func:`small_data_knn` computes the
same matrix with the same ``umap.distances.cosine`` called from a numba loop, then picks the
neighbours as umap does (distances at or beyond the disconnection distance set to infinity, a
stable sort per row, self first), so UMAP given them as ``precomputed_knn`` builds the same
graph and the same layout as before (``tests/test_umap_knn.py`` checks both bit for bit).

The loop is compiled with ``cache=True``: :func:`workbench.analysis.clustering.compile_clustering_code`
(``workbench prepare``) fills numba's file cache, so a first analysis loads it. This module
imports numba and umap at the top: import it inside functions only, as
:mod:`workbench.analysis.clustering` does.

Example:
    >>> vectors = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 1.0]], dtype=np.float32)
    >>> indices, distances = small_data_knn(vectors, 2)
    >>> indices.tolist(), bool(abs(distances[0, 0]) < 1e-6)
    ([[0, 1], [1, 0], [2, 3], [3, 2]], True)
"""
from __future__ import annotations

import numba
import numpy as np
from umap.distances import cosine

__all__ = ["COSINE_DISCONNECTION_DISTANCE", "cosine_distance_matrix", "small_data_knn"]

#: umap's ``DISCONNECTION_DISTANCES["cosine"]``: pairs this far apart are never neighbours
COSINE_DISCONNECTION_DISTANCE = 2.0


@numba.njit(cache=True)
def _cosine_matrix(data: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled; checked through its caller
    """Every pairwise ``umap.distances.cosine``, in scikit-learn's order: upper triangle mirrored, then the diagonal."""
    n_rows = data.shape[0]
    out = np.zeros((n_rows, n_rows))
    for i in range(n_rows):
        for j in range(i + 1, n_rows):
            distance = cosine(data[i], data[j])
            out[i, j] = distance
            out[j, i] = distance
    for i in range(n_rows):
        out[i, i] = cosine(data[i], data[i])
    return out


def cosine_distance_matrix(vectors: np.ndarray) -> np.ndarray:
    """The matrix umap-learn's small-data path computes for ``metric="cosine"``, value for value.

    UMAP casts its input to C-ordered float32, and scikit-learn's ``pairwise_distances``
    stores each float64 distance in an array of the type it picks for float32 input
    (float32 in scikit-learn 1.9, float64 in older releases): the same here, so rounding
    and ties come out as in UMAP's own path.

    Example:
        >>> cosine_distance_matrix(np.array([[1.0, 0.0], [0.0, 2.0]])).round(6).tolist()
        [[0.0, 1.0], [1.0, 0.0]]
    """
    rows = np.ascontiguousarray(vectors, dtype=np.float32)
    return _cosine_matrix(rows).astype(_sklearn_output_dtype(), copy=False)


def _sklearn_output_dtype() -> np.dtype:
    """The dtype scikit-learn's ``pairwise_distances`` gives a callable metric on float32 rows (one 2 x 2 call)."""
    from sklearn.metrics import pairwise_distances

    probe = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    return pairwise_distances(probe, metric=cosine).dtype


def small_data_knn(vectors: np.ndarray, n_neighbors: int) -> tuple[np.ndarray, np.ndarray]:
    """``(indices int32, distances)`` of each row's ``n_neighbors`` nearest rows, as UMAP finds them.

    The neighbours of umap-learn's all-pairs path for fewer than 4096 rows (its
    ``nearest_neighbors(..., "precomputed")`` on the distance matrix): pairs at or beyond the
    cosine disconnection distance count as infinitely far and get index ``-1``; ties keep
    the lower row first (umap's stable ``mergesort``).

    Example:
        >>> indices, distances = small_data_knn(np.eye(3), 2)
        >>> indices[:, 0].tolist(), distances[:, 1].tolist()
        ([0, 1, 2], [1.0, 1.0, 1.0])
    """
    matrix = cosine_distance_matrix(vectors)
    matrix[matrix >= COSINE_DISCONNECTION_DISTANCE] = np.inf
    k = min(int(n_neighbors), matrix.shape[0])
    indices = np.argsort(matrix, axis=1, kind="stable")[:, :k].astype(np.int32)
    distances = np.take_along_axis(matrix, indices.astype(np.int64), axis=1)
    indices[distances == np.inf] = -1
    return indices, distances
