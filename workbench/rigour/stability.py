"""How stable is each pain point? Rerun the pain-point model and see whether it is found again.

A pain point that only one random seed finds is a coin toss, not a finding. Following
Hennig's ``clusterboot`` (Hennig 2007, "Cluster-wise assessment of cluster stability",
CSDA 52), the model is fitted again several times and each pain point of the main fit is
compared with the clusters of every rerun:

* **seed reruns** (``n_seeds``, default 5): the same units and vectors, another
  ``random_state`` of :class:`~workbench.analysis.painpoints.PainPointModel` (UMAP's layout and
  everything downstream of it change);
* **resamples** (``n_resamples``, default 5): a random 80 % of the units drawn *without*
  replacement (Hennig's "subsetting" scheme), fitted with another seed. Bootstrap with
  replacement is the textbook choice, but its duplicated units are poison for a
  density-based pipeline: copies sit at distance 0 in UMAP's neighbour graph and count
  towards HDBSCAN's ``min_samples`` on their own, so duplicates make clusters that the
  data does not hold. Subsetting drops units without inventing density. (In
  ``stability_runs.parquet`` these runs have ``kind == "bootstrap"``, the name the results
  contract gives every resampling run.)

The stability of a pain point is the mean, over reruns, of the Jaccard similarity between
its members (restricted to the units present in that rerun) and the rerun's most similar
pain point (Other counts as no pain point). Hennig's reading: a mean of **0.75 or more is
stable**, **below 0.5 is unstable** ("dissolved"); in between the pain point is real but its
boundary moves. ``found_in`` counts the reruns whose best match reaches 0.5.

Pain points are compared as the researcher sees them (after renames and merges are replayed)
with the reruns as the model fits them: a pain point made by merging two by hand scores lower
than the model's own clusters, because the reruns do not merge them.

**Cost and cache.** Every rerun is a fit up to the memberships (:meth:`PainPointModel.fit_labels
<workbench.analysis.painpoints.PainPointModel.fit_labels>`: UMAP, HDBSCAN, refinement; about 1.2 s of
CPU for a 700-unit study).
The reruns' memberships are cached under ``cache_dir`` in one ``.npz`` per key, the SHA-256
of (vectors, texts, seed, model options, rerun plan), so a warm ``workbench analyze`` whose
units and vectors did not change reads them back instead of fitting again; the scores
themselves are recomputed (milliseconds) because renames and merges may have changed the
main pain points. A file per key in the results folder's ``cache/`` (beside the embedding
cache, never in it: the embedding cache's SQLite schema belongs to ``workbench.analysis.embedding_cache``)
keeps the cache as easy to delete as to inspect.

**Large corpora.** Above the model's large-corpus threshold (20,000 usable units) one fit
takes about half a minute, so only :data:`LARGE_CORPUS_PLAN` reruns run (two seeds, one
80 % resample), each in the model's own sample-then-assign mode.

**On a second core.** A rerun needs only the units and their vectors, not the main fit, so
``workbench analyze`` starts them (:func:`start_reruns`) as soon as the embedding is done, in a
worker process, while the main process fits, names and places the pain points on the other
core; the evidence step then waits for them. Same reruns, same seeds, same memberships as
run in line (``tests/test_stability.py``); the worker's CPU seconds are reported with the
step's. Only where it pays: two usable cores or more, between :data:`WORKER_MIN_UNITS` and
:data:`WORKER_MAX_UNITS` units (a new process spends a few seconds importing UMAP and HDBSCAN,
and would hold a second copy of a large corpus), and no cached memberships.

Example:
    >>> result = measure_stability(texts, vectors, membership, seed=42)  # doctest: +SKIP
    >>> result.painpoints[["painpoint_id", "stability", "stable"]].head(3)  # doctest: +SKIP
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.rigour.rerun_fits import ABSENT, CONTEXT_LANE, fit_lanes, rerun_lanes
from workbench.storage.files import atomic_write

#: Hennig's (2007) thresholds for the mean best-match Jaccard of a cluster over reruns
STABLE_AT = 0.75
UNSTABLE_BELOW = 0.5
#: a rerun "found" a pain point when its best match reaches this Jaccard
FOUND_AT = 0.5
#: share of the units each resample keeps (drawn without replacement)
RESAMPLE_SHARE = 0.8
#: (seed reruns, resamples) above the model's large-corpus threshold
LARGE_CORPUS_PLAN = (2, 1)
#: a unit absent from a resample
OTHER = "other"
_CACHE_VERSION = 3
#: fewest and most units whose reruns go to a worker process (outside: in line, at the evidence step)
WORKER_MIN_UNITS = 200
WORKER_MAX_UNITS = 20_000


@dataclass
class Reruns:
    """The memberships of every rerun, one row per rerun (``-1`` Other, ``-2`` not in the resample).

    Example:
        >>> Reruns(np.zeros((1, 3), dtype=int), ["seed"], [43]).n_runs
        1
    """

    labels: np.ndarray
    kinds: list[str]
    seeds: list[int]
    from_cache: bool = False
    seconds: float = 0.0

    @property
    def n_runs(self) -> int:
        """How many reruns there are."""
        return int(self.labels.shape[0])


@dataclass
class StabilityResult:
    """Per pain point and per rerun stability, and a summary for the manifest.

    Attributes:
        painpoints: painpoint_id, label, stability, stable, unstable, runs, found_in.
        runs: run, kind ("seed", or "bootstrap" for a resample), seed, n_painpoints, other_share, ari_vs_main.
        info: plain-JSON summary (counts of stable/unstable pain points, plan, cache, seconds).

    Example:
        >>> StabilityResult(pd.DataFrame(), pd.DataFrame()).info
        {}
    """

    painpoints: pd.DataFrame
    runs: pd.DataFrame
    info: dict[str, Any] = field(default_factory=dict)


def rerun_plan(n_units: int, n_seeds: int = 5, n_resamples: int = 5, large_corpus_threshold: int | None = 20_000) -> tuple[int, int]:
    """The (seed reruns, resamples) to run for ``n_units`` units: fewer above the large-corpus threshold.

    Example:
        >>> rerun_plan(700), rerun_plan(50_000)
        ((5, 5), (2, 1))
        >>> rerun_plan(50_000, n_seeds=1, n_resamples=0)
        (1, 0)
    """
    if large_corpus_threshold is not None and n_units > large_corpus_threshold:
        return min(n_seeds, LARGE_CORPUS_PLAN[0]), min(n_resamples, LARGE_CORPUS_PLAN[1])
    return n_seeds, n_resamples


def rerun_key(texts: Sequence[str], vectors: np.ndarray, seed: int, model_options: Mapping[str, Any] | None,
              n_seeds: int, n_resamples: int, resample_share: float = RESAMPLE_SHARE,
              lanes: Sequence[str] | None = None) -> str:
    """The cache key of a set of reruns: SHA-256 of everything that decides their memberships.

    Example:
        >>> a = rerun_key(["x", "y"], np.ones((2, 3)), 42, {}, 5, 5)
        >>> a == rerun_key(["x", "y"], np.ones((2, 3)), 42, None, 5, 5), a == rerun_key(["x", "y"], np.ones((2, 3)), 7, {}, 5, 5)
        (True, False)
    """
    digest = hashlib.sha256()
    matrix = np.ascontiguousarray(vectors, dtype=np.float32)
    digest.update(str(matrix.shape).encode())
    digest.update(matrix.tobytes())
    digest.update("\x1e".join(map(str, texts)).encode("utf-8", "surrogatepass"))
    if lanes is not None:
        digest.update(("lanes\x1e" + "\x1e".join(map(str, lanes))).encode())
    plan = {"seed": int(seed), "options": dict(model_options or {}), "n_seeds": int(n_seeds),
            "n_resamples": int(n_resamples), "share": float(resample_share), "version": _CACHE_VERSION}
    digest.update(json.dumps(plan, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def run_reruns(
    texts: Sequence[str],
    vectors: np.ndarray,
    seed: int = 42,
    n_seeds: int = 5,
    n_resamples: int = 5,
    model_options: Mapping[str, Any] | None = None,
    resample_share: float = RESAMPLE_SHARE,
    cache_dir: Path | str | None = None,
    lanes: Sequence[str] | None = None,
) -> Reruns:
    """Fit the pain-point model again ``n_seeds`` times on all units and ``n_resamples`` times on 80 % of them.

    With ``lanes`` (one per unit, :func:`rerun_lanes`) each rerun fits every lane on its own,
    as the main fit does (pain points apart from delights); units of the ``context`` lane are
    never clustered, so they are absent from every rerun.

    Seed reruns use ``random_state = seed + 1 … seed + n_seeds``; resample ``k`` draws its units
    and fits with ``seed + n_seeds + k``, so the plan is reproducible from the main seed.
    With ``cache_dir`` the memberships are read from / written to ``cache_dir/stability-KEY.npz``.

    Example:
        >>> reruns = run_reruns(texts, vectors, seed=42, n_seeds=2, n_resamples=1)  # doctest: +SKIP
        >>> reruns.kinds  # doctest: +SKIP
        ['seed', 'seed', 'bootstrap']
    """
    texts = [str(t) for t in texts]
    vectors = np.asarray(vectors)
    cache_path = None
    if cache_dir is not None:
        key = rerun_key(texts, vectors, seed, model_options, n_seeds, n_resamples, resample_share, lanes)
        cache_path = Path(cache_dir) / f"stability-{key[:32]}.npz"
        cached = _read_cache(cache_path, len(texts))
        if cached is not None:
            return cached
    started = time.perf_counter()
    n_units = len(texts)
    rows, kinds, seeds = [], [], []
    for k in range(1, n_seeds + 1):
        everyone = np.arange(n_units)
        rows.append(fit_lanes(texts, vectors, everyone, seed + k, model_options, lanes))
        kinds.append("seed")
        seeds.append(seed + k)
    keep = max(2, int(round(resample_share * n_units)))
    for k in range(1, n_resamples + 1):
        run_seed = seed + n_seeds + k
        chosen = np.sort(np.random.default_rng(run_seed).choice(n_units, size=min(keep, n_units), replace=False))
        rows.append(fit_lanes(texts, vectors, chosen, run_seed, model_options, lanes))
        kinds.append("bootstrap")
        seeds.append(run_seed)
    labels = np.vstack(rows) if rows else np.zeros((0, n_units), dtype=np.int64)
    reruns = Reruns(labels, kinds, seeds, from_cache=False, seconds=time.perf_counter() - started)
    if cache_path is not None:
        _write_cache(cache_path, reruns)
    return reruns


class PendingReruns:
    """Reruns on their way: read from the cache, running in a worker process, or to run in line.

    :meth:`result` returns the :class:`Reruns` (waiting for the worker, or running them in
    this process when no worker was started or the worker failed); :meth:`close` stops a
    worker whose result is no longer wanted. ``worker_cpu_s`` is the worker's CPU time
    (imports included) once its result is in, else 0.

    Example:
        >>> pending = start_reruns(["a"] * 3, np.zeros((3, 2)), n_seeds=0, n_resamples=0)
        >>> pending.result().n_runs, pending.in_worker
        (0, False)
    """

    def __init__(self, plan: dict[str, Any], done: Reruns | None = None) -> None:
        self.plan = plan
        self.in_worker = False
        self.worker_cpu_s = 0.0
        self._done = done
        self._process: Any = None
        self._receiver: Any = None

    def _start_worker(self) -> bool:
        """Start the worker process; False (run in line later) when it cannot be started."""
        import multiprocessing

        try:
            # spawn, not fork: this process may already hold ONNX Runtime's and OpenBLAS's threads
            context = multiprocessing.get_context("spawn")
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_rerun_worker, args=(sender, self.plan), name="workbench-stability-reruns")
            process.start()
        except Exception:  # noqa: BLE001 - no worker (sandbox, no /dev/shm...): the reruns run in line
            return False
        sender.close()
        self._process, self._receiver, self.in_worker = process, receiver, True
        return True

    def result(self) -> Reruns:
        """The reruns (waits for the worker if one runs them)."""
        if self._done is not None:
            return self._done
        if self._process is not None:
            try:
                status, payload, cpu_seconds = self._receiver.recv()
            except (EOFError, OSError):  # the worker died without an answer (killed, out of memory)
                status, payload, cpu_seconds = "lost", None, 0.0
            self.close()
            if status == "ok":
                self.worker_cpu_s = float(cpu_seconds)
                self._done = payload
                return payload
            self.in_worker = False  # its error, if any, is raised again here, with a traceback of this process
        self._done = run_reruns(**self.plan)
        return self._done

    def close(self) -> None:
        """Stop the worker if it still runs, and release its pipe (safe to call twice)."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._receiver.close()
            self._process = None


def _rerun_worker(sender: Any, plan: dict[str, Any]) -> None:  # pragma: no cover - runs in the worker process
    """Run the reruns and send ``(status, reruns or error, CPU seconds of this process)`` back."""
    try:
        reruns = run_reruns(**plan)
        sender.send(("ok", reruns, time.process_time()))
    except BaseException as error:  # noqa: BLE001 - reported to the parent, which runs them again in line
        sender.send(("error", repr(error), time.process_time()))
    finally:
        sender.close()


def _usable_cores() -> int:
    """CPU cores this process may run on (a container's or taskset's limit)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _plan(texts: Sequence[str], vectors: np.ndarray, seed: int, n_seeds: int, n_resamples: int,
          model_options: Mapping[str, Any] | None, cache_dir: Path | str | None,
          lanes: Sequence[str] | None = None) -> dict[str, Any]:
    """The arguments of :func:`run_reruns` for these units: the rerun plan of :func:`rerun_plan` applied."""
    options = dict(model_options or {})
    n_seeds, n_resamples = rerun_plan(len(texts), n_seeds, n_resamples, options.get("large_corpus_threshold", 20_000))
    return {"texts": [str(t) for t in texts], "vectors": np.asarray(vectors), "seed": int(seed), "n_seeds": n_seeds,
            "n_resamples": n_resamples, "model_options": options, "cache_dir": cache_dir,
            "lanes": None if lanes is None else [str(lane) for lane in lanes]}


def _same_plan(first: dict[str, Any], second: dict[str, Any]) -> bool:
    """Whether two plans give the same reruns (same units, vectors, seeds, options and cache)."""
    arrays_equal = first["vectors"].shape == second["vectors"].shape and np.array_equal(first["vectors"], second["vectors"])
    others = [name for name in first if name != "vectors"]
    return arrays_equal and all(first[name] == second[name] for name in others)


def start_reruns(
    texts: Sequence[str],
    vectors: np.ndarray,
    seed: int = 42,
    n_seeds: int = 5,
    n_resamples: int = 5,
    model_options: Mapping[str, Any] | None = None,
    cache_dir: Path | str | None = None,
    worker: bool | None = None,
    lanes: Sequence[str] | None = None,
) -> PendingReruns:
    """Start the reruns of :func:`measure_stability` (its plan: fewer for large corpora); collect them later.

    Cached memberships are read at once; otherwise, with ``worker`` True (None: where it
    pays, see the module docstring) the reruns start in a worker process and this call
    returns at once, else they run in line when :meth:`PendingReruns.result` is called.
    Either way the memberships are those of :func:`run_reruns` with the same arguments.

    Example:
        >>> pending = start_reruns(texts, vectors, seed=42, cache_dir="results/cache/stability")  # doctest: +SKIP
        >>> ...  # fit and describe the main pain points meanwhile  # doctest: +SKIP
        >>> result = measure_stability(texts, vectors, membership, seed=42, pending=pending)  # doctest: +SKIP
    """
    plan = _plan(texts, vectors, seed, n_seeds, n_resamples, model_options, cache_dir, lanes)
    texts, vectors, n_seeds, n_resamples = plan["texts"], plan["vectors"], plan["n_seeds"], plan["n_resamples"]
    if cache_dir is not None:
        key = rerun_key(texts, vectors, seed, plan["model_options"], n_seeds, n_resamples, lanes=plan["lanes"])
        cached = _read_cache(Path(cache_dir) / f"stability-{key[:32]}.npz", len(texts))
        if cached is not None:
            return PendingReruns(plan, done=cached)
    pending = PendingReruns(plan)
    if worker is None:
        worker = n_seeds + n_resamples > 0 and WORKER_MIN_UNITS <= len(texts) <= WORKER_MAX_UNITS and _usable_cores() >= 2
    if worker:
        pending._start_worker()
    return pending


def _read_cache(path: Path, n_units: int) -> Reruns | None:
    """The cached reruns, or None when absent, unreadable or for another number of units."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            labels = np.asarray(data["labels"], dtype=np.int64)
            kinds = [str(k) for k in data["kinds"].tolist()]
            seeds = [int(s) for s in data["seeds"].tolist()]
    except Exception:  # noqa: BLE001 - a broken cache file is only a cache miss
        return None
    if labels.ndim != 2 or labels.shape[1] != n_units or len(kinds) != labels.shape[0]:
        return None
    return Reruns(labels, kinds, seeds, from_cache=True, seconds=0.0)


def _write_cache(path: Path, reruns: Reruns) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as handle:
            np.savez_compressed(handle, labels=reruns.labels, kinds=np.array(reruns.kinds), seeds=np.array(reruns.seeds))

    try:
        atomic_write(path, write)
    except OSError:  # a read-only results folder: the scores are still right, only slower next time
        pass


def stability_scores(
    membership: Sequence[str],
    reruns: Reruns,
    labels: Mapping[str, str] | None = None,
    other: str = OTHER,
) -> StabilityResult:
    """Score each main pain point against the reruns (mean best-match Jaccard, Hennig's clusterboot).

    Args:
        membership: the main fit's pain point id of every unit (``other`` for Other), in the
            units' order of the reruns.
        reruns: from :func:`run_reruns` (or built by hand: ``-1`` Other, ``-2`` absent).
        labels: pain point id -> label, for the table.

    Example:
        >>> main = ["A", "A", "A", "B", "B", "B", "other"]
        >>> runs = Reruns(np.array([[0, 0, 0, 1, 1, 1, -1],      # finds A and B exactly
        ...                         [0, 0, 0, 0, 0, 0, -1],      # lumps A and B together
        ...                         [0, 0, -2, 1, 1, -2, -1]]),  # a resample without units 2 and 5
        ...               ["seed", "seed", "bootstrap"], [43, 44, 45])
        >>> table = stability_scores(main, runs).painpoints
        >>> table[["painpoint_id", "stability", "found_in", "stable"]].values.tolist()
        [['A', 0.8333333333333334, 3, True], ['B', 0.8333333333333334, 3, True]]
    """
    from sklearn.metrics import adjusted_rand_score

    main = np.asarray([str(m) for m in membership], dtype=object)
    if reruns.labels.shape[1] != len(main):
        raise ValueError(f"the reruns cover {reruns.labels.shape[1]} units but the membership has {len(main)}")
    ids = [p for p in dict.fromkeys(main.tolist()) if p != other]
    ranked = {pid: position for position, pid in enumerate(labels or {})}
    ids.sort(key=lambda pid: ranked.get(pid, len(ranked)))  # the table's order (by rank) where known
    jaccards = np.full((len(ids), reruns.n_runs), np.nan)
    run_rows = []
    for r in range(reruns.n_runs):
        row = reruns.labels[r]
        present = row != ABSENT
        rerun_clusters = {int(c): np.flatnonzero(present & (row == c)) for c in np.unique(row[present]) if c >= 0}
        cluster_sets = {c: set(members.tolist()) for c, members in rerun_clusters.items()}
        for i, pid in enumerate(ids):
            members = set(np.flatnonzero(present & (main == pid)).tolist())
            if not members:
                continue  # the resample left this pain point out entirely: no evidence either way
            best = 0.0
            for cluster in cluster_sets.values():
                shared = len(members & cluster)
                if shared:
                    best = max(best, shared / len(members | cluster))
            jaccards[i, r] = best
        n_present = int(present.sum())
        run_rows.append({
            "run": r + 1,
            "kind": reruns.kinds[r],
            "seed": int(reruns.seeds[r]),
            "n_painpoints": len(rerun_clusters),
            "other_share": float((row[present] == -1).mean()) if n_present else float("nan"),
            "ari_vs_main": float(adjusted_rand_score(main[present].astype(str), row[present])) if n_present else float("nan"),
        })
    rows = []
    for i, pid in enumerate(ids):
        scored = jaccards[i][~np.isnan(jaccards[i])]
        stability = float(scored.mean()) if len(scored) else float("nan")
        rows.append({
            "painpoint_id": pid,
            "label": str((labels or {}).get(pid, pid)),
            "stability": stability,
            "stable": bool(stability >= STABLE_AT) if len(scored) else False,
            "unstable": bool(stability < UNSTABLE_BELOW) if len(scored) else False,
            "runs": int(len(scored)),
            "found_in": int((scored >= FOUND_AT).sum()),
        })
    table = pd.DataFrame(rows, columns=["painpoint_id", "label", "stability", "stable", "unstable", "runs", "found_in"])
    runs = pd.DataFrame(run_rows, columns=["run", "kind", "seed", "n_painpoints", "other_share", "ari_vs_main"])
    return StabilityResult(table, runs, _summary(table, runs, reruns))


def _summary(table: pd.DataFrame, runs: pd.DataFrame, reruns: Reruns) -> dict[str, Any]:
    counts = runs["n_painpoints"] if len(runs) else pd.Series(dtype=float)
    scored = table.dropna(subset=["stability"])
    return {
        "n_runs": reruns.n_runs,
        "n_seeds": reruns.kinds.count("seed"),
        "n_resamples": reruns.kinds.count("bootstrap"),
        "resample_share": RESAMPLE_SHARE,
        "n_painpoints": len(table),
        "n_stable": int(table["stable"].sum()),
        "n_unstable": int(table["unstable"].sum()),
        "share_stable": round(float(table["stable"].mean()), 3) if len(table) else None,
        "mean_stability": round(float(scored["stability"].mean()), 3) if len(scored) else None,
        "painpoints_per_run": {"min": int(counts.min()), "median": float(counts.median()), "max": int(counts.max())}
        if len(counts) else {},
        "mean_ari_vs_main": round(float(runs["ari_vs_main"].mean()), 3) if len(runs) else None,
        "from_cache": reruns.from_cache,
        "seconds": round(reruns.seconds, 3),
        "thresholds": {"stable": STABLE_AT, "unstable": UNSTABLE_BELOW, "found": FOUND_AT},
    }


def measure_stability(
    texts: Sequence[str],
    vectors: np.ndarray,
    membership: Sequence[str],
    labels: Mapping[str, str] | None = None,
    seed: int = 42,
    n_seeds: int = 5,
    n_resamples: int = 5,
    model_options: Mapping[str, Any] | None = None,
    cache_dir: Path | str | None = None,
    pending: PendingReruns | None = None,
    lanes: Sequence[str] | None = None,
) -> StabilityResult:
    """Rerun the model (:func:`run_reruns`, fewer runs for large corpora) and score the main pain points.

    Args:
        texts, vectors: the units and embeddings the main fit used, in the same order.
        membership: pain point id of each unit in the main fit (``"other"`` for Other).
        labels: pain point id -> label.
        seed: the main fit's seed (reruns use seeds after it).
        n_seeds, n_resamples: reruns of each kind (0 and 0: nothing is measured).
        model_options: the extra ``PainPointModel`` parameters the main fit used.
        cache_dir: where rerun memberships are cached (None: no cache).
        pending: reruns started earlier by :func:`start_reruns` with these same arguments
            (then they are collected, not run again).
        lanes: each unit's lane (:func:`rerun_lanes`): reruns fit each lane on its own, as the
            main fit does; the context lane is not scored. None: all units in one fit.

    Example:
        >>> result = measure_stability(texts, vectors, membership, seed=42)  # doctest: +SKIP
        >>> result.info["n_stable"], result.info["n_painpoints"]  # doctest: +SKIP
        (9, 12)
    """
    options = dict(model_options or {})
    threshold = options.get("large_corpus_threshold", 20_000)
    wanted = _plan(texts, vectors, seed, n_seeds, n_resamples, options, cache_dir, lanes)
    if pending is None or not _same_plan(pending.plan, wanted):
        if pending is not None:  # started for other units or options: not the reruns asked for
            pending.close()
        pending = start_reruns(texts, vectors, seed, n_seeds, n_resamples, options, cache_dir, worker=False, lanes=lanes)
    reruns = pending.result()
    if lanes is not None:  # context units are never clustered: no group of theirs to score
        membership = [OTHER if str(lane) == CONTEXT_LANE else member for member, lane in zip(membership, lanes)]
    result = stability_scores(membership, reruns, labels)
    result.info["large_corpus"] = bool(threshold is not None and len(texts) > threshold)
    result.info["in_worker"] = pending.in_worker
    result.info["worker_cpu_s"] = round(pending.worker_cpu_s, 3)
    return result


def stability_note(stability: float | None, found_in: int | None, runs: int | None) -> str:
    """A reader's line for one pain point: "stable (found in 10 of 10 reruns)", "unstable: only 3 of 10 reruns found it".

    Example:
        >>> stability_note(0.91, 10, 10), stability_note(0.41, 3, 10), stability_note(0.6, 7, 10)
        ('stable: found in 10 of 10 reruns', 'unstable: only 3 of 10 reruns found it', 'boundary moves: found in 7 of 10 reruns')
        >>> stability_note(None, None, None)
        'not measured'
    """
    if stability is None or runs is None or found_in is None or (isinstance(stability, float) and np.isnan(stability)):
        return "not measured"
    found_in, runs = int(found_in), int(runs)
    if stability >= STABLE_AT:
        return f"stable: found in {found_in} of {runs} reruns"
    if stability < UNSTABLE_BELOW:
        return f"unstable: only {found_in} of {runs} reruns found it"
    return f"boundary moves: found in {found_in} of {runs} reruns"
