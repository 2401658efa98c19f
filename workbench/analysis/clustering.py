"""UMAP then HDBSCAN on the joined vectors, then refinement: the clustering step of pain points.

Steps 1-2 of :mod:`workbench.analysis.painpoints`: **UMAP** (cosine, ``min_dist=0``,
5 components, ``random_state`` honoured; seeded runs are single-threaded) with
``n_neighbors`` and epochs scaled to the corpus size, then **HDBSCAN** with
``min_cluster_size`` / ``min_samples`` and the cluster selection method scaled to the corpus
size (:func:`workbench.analysis.painpoint_settings.auto_settings`), then centroid refinement
(:mod:`workbench.analysis.refinement`) in the full joined space (:func:`cluster_units`).

HDBSCAN's "leaf" selection takes the finest clusters of its hierarchy, however briefly they
last: a theme whose cluster lived long at low density and then, at high density, creased into
two small leaves that dissolve almost at once comes out as two pain points, and each half, too
small to hold its ground, fills up with the outliers refinement hands out (the sample study's
disruption stories at one seed of three). :func:`stable_leaves` keeps leaf's fine cut but
undoes such a split: a cluster stays whole when it was more than :data:`LEAF_SPLIT_STABILITY`
times as stable (HDBSCAN's excess of mass) as the clusters it splits into, and those say
nearly the same thing (centres at cosine :data:`LEAF_SIDES_SIMILARITY` or more). Factor 1 with no
similarity test is HDBSCAN's "eom" (which lumps distinct themes of a small study); an infinite
factor is "leaf".

Up to :data:`EXACT_KNN_LIMIT` units UMAP gets exact cosine neighbours from blocked matrix
products (:func:`exact_cosine_neighbours`), and numba's file cache is switched on for UMAP's
functions, which umap-learn compiles in every new process otherwise (about 40 s before the
first fit, on two busy cores). :func:`compile_clustering_code` fills that cache (and
pynndescent's) once, at install time (``workbench prepare``), so the first analysis after an
install compiles only the two small functions umap types eagerly when it is imported
(``tests/test_prepare.py``). umap and hdbscan are imported inside the functions only.

Example:
    >>> indices, _ = exact_cosine_neighbours(np.array([[1.0, 0.0], [0.0, 1.0], [0.9, 0.1]]), 2)
    >>> indices.tolist()
    [[0, 2], [1, 2], [2, 0]]
"""
from __future__ import annotations

from typing import Any

import numpy as np

from workbench.analysis.cluster_space import _unit_rows
from workbench.analysis.refinement import refine_clusters

__all__ = ["EXACT_KNN_LIMIT", "LEAF_SIDES_SIMILARITY", "LEAF_SPLIT_STABILITY", "cluster_units",
           "compile_clustering_code", "exact_cosine_neighbours", "stable_leaves"]

#: Up to this many units UMAP gets exact cosine neighbours (blocked matrix products) instead
#: of pynndescent's approximate ones: as fast here and no numba compilation of NN-descent.
EXACT_KNN_LIMIT = 30_000
#: Below this many units umap-learn measures every pair itself (its "small data" path); the
#: same neighbours come from :func:`workbench.analysis.umap_knn.small_data_knn`, without its Python loop.
SMALL_DATA_LIMIT = 4096
#: "leaf" selection keeps a cluster whole when it is more than this many times as stable as the
#: clusters it splits into (:func:`stable_leaves`): the split is a late, short-lived crease of one
#: theme, not two themes. At 1 this is HDBSCAN's "eom", which lumps distinct themes of a small
#: study (refunds with payments, fees with buying reasons); 2 asks for a clear margin.
LEAF_SPLIT_STABILITY = 2.0
#: ... and when the centres of those clusters (in the clustered space: embedding joined with words)
#: have a cosine of at least this: the two sides say nearly the same thing. A fleeting split
#: between different themes stays (on the sample study, 3 seeds, the halves of one theme measure
#: 0.79-0.84 and neighbouring themes such as fees and buying reasons 0.52-0.69).
LEAF_SIDES_SIMILARITY = 0.75


def cluster_units(cluster_vectors: np.ndarray, settings: dict[str, Any], n_usable: int, other_budget: int) -> np.ndarray:
    """Cluster ids of the rows of ``cluster_vectors`` (-1 = Other): UMAP, HDBSCAN, then refinement.

    ``settings`` are the model's resolved settings (``PainPointModel.settings_``);
    ``n_usable`` (units with words in the whole corpus) picks UMAP's initialisation;
    refinement leaves at most ``other_budget`` rows in Other. Ids are HDBSCAN's after
    refinement (compact, not yet numbered by size).

    Example:
        >>> rng = np.random.default_rng(0)
        >>> vectors = np.vstack([rng.normal(0, 0.05, (20, 8)) + np.eye(8)[0], rng.normal(0, 0.05, (20, 8)) + np.eye(8)[1]])
        >>> settings = {"n_neighbors": 10, "n_components": 2, "n_epochs": 50, "random_state": 1, "min_cluster_size": 5,
        ...             "min_samples": 2, "cluster_selection_method": "eom", "refine_iterations": 10, "min_similarity": 0.3}
        >>> labels = cluster_units(vectors / np.linalg.norm(vectors, axis=1, keepdims=True), settings, 40, 0)  # doctest: +SKIP
        >>> len(set(labels[:20].tolist())), len(set(labels[20:].tolist())), bool(labels[0] != labels[20])  # doctest: +SKIP
        (1, 1, True)
    """
    from hdbscan import HDBSCAN
    from umap import UMAP

    precomputed_knn: tuple[Any, Any, Any] = (None, None, None)
    if settings["n_neighbors"] < len(cluster_vectors) < SMALL_DATA_LIMIT:
        # UMAP's own all-pairs neighbours, without its Python loop over pairs: the same graph and layout
        from workbench.analysis.umap_knn import small_data_knn

        indices, distances = small_data_knn(cluster_vectors, settings["n_neighbors"])
        precomputed_knn = (indices, distances, None)
    elif SMALL_DATA_LIMIT <= len(cluster_vectors) <= EXACT_KNN_LIMIT:
        indices, distances = exact_cosine_neighbours(cluster_vectors, settings["n_neighbors"])
        precomputed_knn = (indices, distances, None)
    umap_model = UMAP(
        n_neighbors=settings["n_neighbors"],
        n_components=settings["n_components"],
        min_dist=0.0,
        metric="cosine",
        n_epochs=settings["n_epochs"],
        random_state=settings["random_state"],
        init="spectral" if n_usable > 50 else "random",
        n_jobs=1 if settings["random_state"] is not None else -1,
        precomputed_knn=precomputed_knn,
    )
    cluster_model = _RefinedClusters(
        HDBSCAN(
            min_cluster_size=settings["min_cluster_size"],
            min_samples=settings["min_samples"],
            cluster_selection_method=settings["cluster_selection_method"],
            metric="euclidean",
            prediction_data=False,
        ),
        unit_vectors=cluster_vectors,
        iterations=settings["refine_iterations"],
        min_similarity=settings["min_similarity"],
        other_budget=other_budget,
    )
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*n_jobs value.*")  # UMAP: seeded runs are single-threaded
        warnings.filterwarnings("ignore", message=".*n_neighbors is larger than the dataset.*")
        warnings.filterwarnings("ignore", message=".*knn_search_index.*")  # exact neighbours: no index
        reduced = np.nan_to_num(umap_model.fit_transform(cluster_vectors))
        cluster_model.fit(reduced)
    return cluster_model.labels_


class _RefinedClusters:
    """HDBSCAN on the UMAP output, then centroid refinement on the full vectors UMAP reduced.

    ``fit(reduced)`` sets ``labels_``; the reduced rows are the units in the order of
    ``unit_vectors`` (embeddings joined with their words' vectors).
    """

    def __init__(
        self, hdbscan_model: Any, unit_vectors: np.ndarray, iterations: int, min_similarity: float, other_budget: int
    ) -> None:
        self.hdbscan_model = hdbscan_model
        self.unit_vectors = unit_vectors
        self.iterations = iterations
        self.min_similarity = min_similarity
        self.other_budget = other_budget

    def fit(self, reduced: np.ndarray, y: Any = None) -> _RefinedClusters:
        labels = np.asarray(self.hdbscan_model.fit(reduced).labels_, dtype=int)
        if self.hdbscan_model.cluster_selection_method == "leaf":
            labels = stable_leaves(self.hdbscan_model.condensed_tree_.to_numpy(), labels, self.unit_vectors)
        self.labels_ = refine_clusters(
            self.unit_vectors, labels, self.iterations, self.min_similarity, self.other_budget
        )
        return self


def stable_leaves(
    tree: np.ndarray, labels: np.ndarray, vectors: np.ndarray, factor: float = LEAF_SPLIT_STABILITY,
    min_similarity: float = LEAF_SIDES_SIMILARITY,
) -> np.ndarray:
    """HDBSCAN's "leaf" clusters, with every split undone that was fleeting and between look-alikes.

    ``tree`` is HDBSCAN's condensed tree (``condensed_tree_.to_numpy()``: parent, child,
    lambda_val, child_size; points are ``0..n-1``, the root is ``n``), ``labels`` its leaf
    labels and ``vectors`` the clustered rows (unit length; cosines decide "look-alike").
    Bottom-up as HDBSCAN's "eom": a cluster's stability is the excess of mass
    ``sum((lambda_leaving - lambda_birth) * size)`` of what leaves it; a cluster (never the
    root) is selected instead of the clusters selected below it when its stability is more than
    ``factor`` times theirs together **and** the centres of those clusters have pairwise cosines
    of at least ``min_similarity``. Every point under a selected cluster gets its label (points
    that fell out of it before it split included, as HDBSCAN labels them); the rest are outliers
    (-1). Ids are new (0..k-1). ``labels`` come back unchanged when the root never splits.

    Example:
        >>> # root 6 splits into cluster 7 (points 0-2) and cluster 8, which splits late into 9 (3, 4) and 10 (5)
        >>> tree = np.array([(6, 7, 1.0, 3), (6, 8, 1.0, 3), (7, 0, 5.0, 1), (7, 1, 5.0, 1), (7, 2, 5.0, 1),
        ...                  (8, 9, 4.0, 2), (8, 10, 4.0, 1), (9, 3, 4.5, 1), (9, 4, 4.5, 1), (10, 5, 4.5, 1)],
        ...                 dtype=[("parent", int), ("child", int), ("lambda_val", float), ("child_size", int)])
        >>> leaf = np.array([0, 0, 0, 1, 1, 2])
        >>> alike = np.array([[1.0, 0.0]] * 3 + [[0.0, 1.0], [0.0, 1.0], [0.6, 0.8]])
        >>> stable_leaves(tree, leaf, alike).tolist()  # 8 lived from 1 to 4 (stability 9), its leaves 1.5: kept whole
        [0, 0, 0, 1, 1, 1]
        >>> stable_leaves(tree, leaf, alike, factor=float("inf")).tolist()  # plain leaf
        [0, 0, 0, 1, 1, 2]
        >>> apart = np.array([[1.0, 0.0]] * 3 + [[0.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
        >>> stable_leaves(tree, leaf, apart).tolist()  # the two sides say different things: split kept
        [0, 0, 0, 1, 1, 2]
    """
    labels = np.asarray(labels, dtype=int)
    n_points = len(labels)
    parent = np.asarray(tree["parent"], dtype=np.int64)
    child = np.asarray(tree["child"], dtype=np.int64)
    lam = np.asarray(tree["lambda_val"], dtype=np.float64)
    size = np.asarray(tree["child_size"], dtype=np.float64)
    root = n_points
    is_cluster = child >= n_points
    if not (parent[is_cluster] == root).any():
        return labels
    n_nodes = int(max(child.max(), root)) + 1
    birth = np.zeros(n_nodes)
    birth[child[is_cluster]] = lam[is_cluster]
    lam = np.where(np.isfinite(lam), lam, birth[parent])  # duplicate points can leave at lambda = inf
    stability = np.bincount(parent, weights=(lam - birth[parent]) * size, minlength=n_nodes)
    up = np.full(n_nodes, -1)
    up[child[is_cluster]] = parent[is_cluster]
    # the sum of the vectors of every point under each cluster: children have larger ids than parents
    vectors = np.asarray(vectors, dtype=np.float64)
    sums = np.zeros((n_nodes, vectors.shape[1]))
    points = ~is_cluster
    np.add.at(sums, parent[points], vectors[child[points]])
    for node in range(n_nodes - 1, root, -1):
        if up[node] >= 0:
            sums[up[node]] += sums[node]
    centres = _unit_rows(sums)
    children: dict[int, list[int]] = {}
    for p, c in zip(parent[is_cluster].tolist(), child[is_cluster].tolist()):
        children.setdefault(p, []).append(c)
    selected: dict[int, list[int]] = {}
    score = np.zeros(n_nodes)
    for node in range(n_nodes - 1, root - 1, -1):
        below = children.get(node)
        if below is None:
            selected[node], score[node] = [node], stability[node]
            continue
        parts = [s for c in below for s in selected[c]]
        under = float(sum(score[c] for c in below))
        alike = float((centres[parts] @ centres[parts].T).min()) >= min_similarity
        if node != root and alike and stability[node] > factor * under:
            selected[node], score[node] = [node], stability[node]
        else:
            selected[node], score[node] = parts, under
    # each cluster's selected ancestor (itself included), parents before children
    chosen = {node: i for i, node in enumerate(sorted(selected[root]))}
    owner = np.full(n_nodes, -1)
    for node in range(root, n_nodes):
        owner[node] = chosen.get(node, owner[up[node]] if up[node] >= 0 else -1)
    result = np.full(n_points, -1)
    result[child[points]] = owner[parent[points]]
    return result


def exact_cosine_neighbours(vectors: np.ndarray, n_neighbors: int, block: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """Exact ``n_neighbors`` nearest rows by cosine (each row first, itself), in UMAP's format.

    Returns ``(indices int32, cosine distances float32)``, both ``(n, n_neighbors)``,
    nearest first; computed in blocks of ``block`` rows, so memory stays at ``block * n``.

    Example:
        >>> vectors = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.1, 1]], dtype=float)
        >>> indices, distances = exact_cosine_neighbours(vectors, 2)
        >>> indices.tolist(), bool(distances[:, 0].max() < 1e-6)
        ([[0, 1], [1, 0], [2, 3], [3, 2]], True)
    """
    unit = _unit_rows(vectors).astype(np.float32)
    n_rows = len(unit)
    k = min(n_neighbors, n_rows)
    indices = np.empty((n_rows, k), dtype=np.int32)
    distances = np.empty((n_rows, k), dtype=np.float32)
    for start in range(0, n_rows, block):
        similarity = unit[start : start + block] @ unit.T
        # The row itself first, whatever ties there are (UMAP expects self as neighbour 0).
        similarity[np.arange(len(similarity)), np.arange(start, start + len(similarity))] = np.inf
        part = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        part_similarity = np.take_along_axis(similarity, part, axis=1)
        order = np.argsort(-part_similarity, axis=1, kind="stable")
        indices[start : start + block] = np.take_along_axis(part, order, axis=1)
        nearest = np.take_along_axis(part_similarity, order, axis=1)
        nearest[:, 0] = 1.0
        distances[start : start + block] = np.clip(1.0 - nearest, 0.0, 2.0)
    return indices, distances


def compile_clustering_code(n_units: int = 300, random_state: int = 42) -> float:
    """Compile the numba code of a first clustering into numba's file cache; return the seconds it took.

    Imports pynndescent (whose typed functions compile on import, cached by pynndescent
    itself) and clusters ``n_units`` synthetic unit vectors (six themes) with the settings
    :func:`~workbench.analysis.painpoint_settings.auto_settings` gives a small study, seeded,
    through :func:`cluster_units`: the same UMAP and HDBSCAN code paths an interview study
    takes (exact neighbours by UMAP itself, spectral initialisation, the seeded
    single-threaded layout). ``workbench prepare`` (run by ``make install``) calls it, so the
    first ``workbench analyze`` after an install loads machine code instead of spending a
    minute compiling it; a second call only loads the cache (a few seconds).

    Example:
        >>> seconds = compile_clustering_code()  # doctest: +SKIP
        >>> compile_clustering_code() < seconds  # doctest: +SKIP
        True
    """
    import time

    from workbench.analysis.painpoint_settings import auto_settings

    started = time.perf_counter()
    _cache_umap_compilation()
    import pynndescent  # noqa: F401  (its eagerly typed functions compile here, into its own cache)

    rng = np.random.default_rng(random_state)
    n_themes = 6
    centres = rng.normal(size=(n_themes, 64))
    vectors = _unit_rows(np.repeat(centres, -(-n_units // n_themes), axis=0)[:n_units]
                         + rng.normal(0.0, 0.35, (n_units, 64)))
    settings = dict(auto_settings(n_units), n_components=5, random_state=random_state, refine_iterations=10,
                    min_similarity=0.3)
    cluster_units(vectors, settings, n_usable=n_units, other_budget=n_units // 20)
    return time.perf_counter() - started


def _cache_umap_compilation() -> None:
    """Let numba keep UMAP's compiled functions on disk, so only the first fit ever compiles them.

    umap-learn decorates its functions without ``cache=True``, so every new process spent
    about 40 s (two busy cores) compiling them before the first fit, longer than the fit
    itself at 10,000 units. Enabling numba's file cache on those dispatchers before their
    first call stores the machine code next to the package (or in numba's user cache
    folder when that is read-only), keyed by numba's own checks of source and CPU. Every
    module of the umap package is covered (``umap.distances.cosine``, which UMAP's own exact
    neighbours of a small corpus use, was compiled afresh in every process before).
    """
    import sys

    try:
        import umap.distances
        import umap.layouts
        import umap.spectral
        import umap.umap_
        import umap.utils
        from numba.core.caching import NullCache
        from numba.core.dispatcher import Dispatcher
    except ImportError:  # pragma: no cover - a numba or umap without these internals
        return
    modules = [module for name, module in list(sys.modules.items())
               if module is not None and (name == "umap" or name.startswith("umap."))]
    for module in modules:
        for value in list(vars(module).values()):
            if isinstance(value, Dispatcher) and isinstance(getattr(value, "_cache", None), NullCache):
                try:
                    value.enable_caching()
                except Exception:  # pragma: no cover - caching is an optimisation only
                    pass

