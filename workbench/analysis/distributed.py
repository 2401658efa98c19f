"""Embedding and per-row scoring on a Dask cluster, with the same results as on this machine.

When ``analyze_segments`` (and so ``workbench analyze`` / ``workbench cluster``) is given a
Dask scheduler, the two steps whose cost grows with every row run on the cluster's workers:

1. **embedding**: cached vectors are looked up in the local :class:`~workbench.analysis.embedding_cache.EmbeddingCache`;
   only the missing distinct texts go out, longest first, in order-preserving partitions of a
   few thousand texts. Each worker process builds the embedder once (kept in
   :data:`_EMBEDDERS_IN_THIS_PROCESS`) and encodes with :func:`workbench.analysis.embed.embed_texts`;
   the vectors come back, are written to the local cache, and are put back in input order.
2. **sentiment and moments**: :func:`workbench.analysis.sentiment.score_sentiment` and
   :func:`~workbench.analysis.sentiment.classify_moments` run on row partitions. They are sent with the
   embedding work and keep the workers busy while this machine fits the topic model.

Everything else (topic model, curation replay, lenses, severity, writing results) stays
local. Partitions are whole runs of :func:`~workbench.analysis.embed.embed_texts`' chunks, so every
``encode`` call on a worker gets exactly the texts it gets locally: the vectors agree (to
float32 rounding at most, where thread counts differ) and the pain points, assignments and
labels are the same.

A scheduler is given as an address (``tcp://10.0.0.5:8786``; the CLI's ``--dask`` option or
the ``WORKBENCH_DASK`` environment variable) or, in a notebook, as a ``distributed.Client``
already connected (dask-gateway, the Dask Kubernetes operator, ``LocalCluster``). A bad or
unreachable address fails within ``connect_timeout`` seconds with a :class:`DaskSchedulerError`
that names it.

``import workbench.analysis.distributed`` is cheap: ``distributed`` is imported only when a
scheduler is used.

Example:
    >>> partition_bounds(1000, n_workers=1, partition_size=2048, granularity=256)
    [(0, 256), (256, 512), (512, 768), (768, 1000)]
    >>> open_dask("tcp://127.0.0.1:1", connect_timeout=0.5)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workbench.analysis.distributed.DaskSchedulerError: could not reach the Dask scheduler at tcp://127.0.0.1:1 ...
"""
from __future__ import annotations

import math
import os
import socket
import threading
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from workbench.analysis.embed import DEFAULT_CHUNK_SIZE, embed_texts, plan_embedding
from workbench.analysis.embedders.base import Embedder
from workbench.analysis.embedding_cache import EmbeddingCache
from workbench.errors import WorkbenchError

__all__ = [
    "DASK_ENV_VAR",
    "DEFAULT_PARTITION_SIZE",
    "DaskRun",
    "DaskSchedulerError",
    "open_dask",
    "partition_bounds",
    "scheduler_from_option",
]

#: environment variable the CLI reads when ``--dask`` is not given
DASK_ENV_VAR = "WORKBENCH_DASK"
#: most texts (or rows) in one task; a partition of MiniLM vectors is ~3 MB
DEFAULT_PARTITION_SIZE = 2048
#: partitions per worker for inputs too small to fill ``partition_size``: texts go out longest
#: first, so the first partitions are the slowest, and a few per worker keep every worker busy
PARTITIONS_PER_WORKER = 4
#: fewest rows in one sentiment partition (smaller ones cost more in overhead than they save)
MIN_SCORE_PARTITION = 64
#: seconds to wait for the scheduler to answer
DEFAULT_CONNECT_TIMEOUT = 10.0
#: seconds to wait for at least one worker (an adaptive cluster may start them on demand)
DEFAULT_WORKER_TIMEOUT = 120.0
#: ``--dask`` values that mean "run here" (e.g. to override WORKBENCH_DASK for one command)
LOCAL_WORDS = ("", "local", "none", "off")


class DaskSchedulerError(WorkbenchError):
    """The Dask scheduler could not be reached or its workers could not do the work.

    Example:
        >>> issubclass(DaskSchedulerError, WorkbenchError)
        True
    """


def scheduler_from_option(value: str | None) -> str | None:
    """The scheduler address of a ``--dask`` value, or ``None`` for a local run.

    ``""``, ``local``, ``none`` and ``off`` mean local (so ``--dask local`` overrides a
    ``WORKBENCH_DASK`` set in the shell).

    Example:
        >>> scheduler_from_option(" tcp://10.0.0.5:8786 "), scheduler_from_option("local"), scheduler_from_option(None)
        ('tcp://10.0.0.5:8786', None, None)
    """
    if value is None or value.strip().lower() in LOCAL_WORDS:
        return None
    return value.strip()


def partition_bounds(n_items: int, n_workers: int, partition_size: int, granularity: int = 1) -> list[tuple[int, int]]:
    """Cut ``n_items`` into contiguous ``(start, stop)`` slices, at most ``partition_size`` long.

    Small inputs are still spread over the workers (about :data:`PARTITIONS_PER_WORKER`
    slices each); every slice but the last is a multiple of ``granularity`` (``embed_texts``'
    chunk size), so each encode call gets the texts it gets on the local path.

    Example:
        >>> partition_bounds(5000, n_workers=2, partition_size=2048, granularity=64)
        [(0, 640), (640, 1280), (1280, 1920), (1920, 2560), (2560, 3200), (3200, 3840), (3840, 4480), (4480, 5000)]
        >>> len(partition_bounds(100_000, n_workers=2, partition_size=2048, granularity=64))
        49
        >>> partition_bounds(0, n_workers=4, partition_size=2048)
        []
    """
    if not isinstance(partition_size, int) or partition_size < 1:
        raise WorkbenchError(f"dask: partition_size={partition_size!r}; pass a positive integer such as 2048")
    if n_items <= 0:
        return []
    granularity = max(1, int(granularity))
    per_worker = math.ceil(n_items / (PARTITIONS_PER_WORKER * max(1, n_workers)))
    size = min(partition_size, per_worker)
    size = max(granularity, math.ceil(size / granularity) * granularity)  # round up to whole chunks
    if size > partition_size and partition_size >= granularity:
        size = (partition_size // granularity) * granularity
    return [(start, min(start + size, n_items)) for start in range(0, n_items, size)]


# --------------------------------------------------------------------------------------
# What runs on the workers (module-level functions: pickled by reference, so workers
# need the same cx-workbench installed)
# --------------------------------------------------------------------------------------

#: embedders already built in this worker process, keyed by class and parameters. A process
#: cache, not configuration: loading MiniLM takes seconds and must happen once per worker,
#: not once per partition.
_EMBEDDERS_IN_THIS_PROCESS: dict[tuple[str, str], Embedder] = {}
_EMBEDDERS_LOCK = threading.Lock()


def _embedder_spec(embedder: Embedder) -> tuple[type, dict[str, Any]]:
    """The class and constructor parameters of ``embedder`` (learned state ``*_`` left out).

    Example:
        >>> from workbench.analysis.embedders import StaticEmbedder
        >>> _embedder_spec(StaticEmbedder(batch_size=128))
        (<class 'workbench.analysis.embedders.static.StaticEmbedder'>, {'batch_size': 128})
    """
    params = {k: v for k, v in vars(embedder).items() if not k.endswith("_") and not k.startswith("_")}
    return type(embedder), params


def _worker_embedder(embedder_class: type, params: dict[str, Any]) -> Embedder:
    """This process's embedder for ``(embedder_class, params)``, built and loaded once."""
    key = (f"{embedder_class.__module__}.{embedder_class.__qualname__}", repr(sorted(params.items())))
    with _EMBEDDERS_LOCK:  # two threads of one worker must not load the model twice
        embedder = _EMBEDDERS_IN_THIS_PROCESS.get(key)
        if embedder is None:
            embedder = embedder_class(**params)
            if hasattr(embedder, "load"):
                embedder.load()
            _EMBEDDERS_IN_THIS_PROCESS[key] = embedder
    return embedder


def _encode_partition(
    texts: list[str], embedder_class: type, params: dict[str, Any], chunk_size: int = DEFAULT_CHUNK_SIZE
) -> np.ndarray:
    """(On a worker) the vectors of one partition of distinct texts, in the order given.

    Example:
        >>> from workbench.analysis.embedders import StaticEmbedder
        >>> _encode_partition(["app crashed", "no refund"], StaticEmbedder, {"batch_size": 256}).shape
        (2, 256)
    """
    embedder = _worker_embedder(embedder_class, params)
    # The same function as the local path with the same chunk size: each encode() call gets
    # exactly the texts it gets locally, so the model batches (and vectors) are the same.
    return embed_texts(texts, embedder, cache=None, progress=False, chunk_size=chunk_size)


def _score_partition(texts: list[str]) -> tuple[np.ndarray, list[str]]:
    """(On a worker) sentiment scores and moments of one partition of rows.

    Example:
        >>> scores, moments = _score_partition(["The hold music played for 55 minutes", "We landed at nine."])
        >>> moments
        ['pain', 'neutral']
    """
    from workbench.analysis import sentiment

    scores = sentiment.score_sentiment(texts)
    return scores, sentiment.classify_moments(texts, scores)


def _worker_environment() -> dict[str, str]:
    """(On a worker) the versions that decide whether its results match this machine's.

    Example:
        >>> sorted(_worker_environment())
        ['numpy', 'python', 'workbench']
    """
    import platform

    import workbench

    return {"workbench": workbench.__version__, "numpy": np.__version__, "python": platform.python_version()}


# --------------------------------------------------------------------------------------
# This machine's side
# --------------------------------------------------------------------------------------


def _check_reachable(address: str, timeout: float) -> None:
    """Fail fast, with the address and the fix, when nothing listens at a tcp/tls address."""
    from distributed.comm import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)
    except ValueError as error:
        raise DaskSchedulerError(_bad_address(address, str(error))) from error
    if scheme not in ("tcp", "tls"):
        return  # ws/wss/ucx/inproc: let distributed connect and report
    try:
        host, port = parse_host_port(location)
    except ValueError as error:
        raise DaskSchedulerError(_bad_address(address, str(error))) from error
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as error:
        raise DaskSchedulerError(_unreachable(address, f"{type(error).__name__}: {error}", timeout)) from error
    _check_speaks_dask(address, timeout)


def _check_speaks_dask(address: str, timeout: float) -> None:
    """Open and close one Dask connection under a hard deadline.

    ``distributed`` keeps waiting for the handshake of a port that accepts connections but
    never answers (a wrong service, a firewall), whatever its own timeout says; this probe
    runs in its own thread and event loop (a notebook's loop may be running) and gives up in time.
    """
    import asyncio
    from concurrent.futures import ThreadPoolExecutor
    from concurrent.futures import TimeoutError as FutureTimeout

    from distributed.comm import connect
    from distributed.security import Security

    async def probe() -> None:
        comm = await connect(address, timeout=timeout, **Security().get_connection_args("client"))
        await comm.close()

    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="workbench-dask-probe")
    try:
        executor.submit(asyncio.run, asyncio.wait_for(probe(), timeout)).result(timeout=timeout + 5)
    except (TimeoutError, FutureTimeout) as error:
        raise DaskSchedulerError(_unreachable(address, "connected, but no Dask scheduler answered", timeout)) from error
    except Exception as error:  # noqa: BLE001 - any failure to speak Dask there is the same problem
        raise DaskSchedulerError(_unreachable(address, f"{type(error).__name__}: {error}", timeout)) from error
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


def _bad_address(address: str, reason: str) -> str:
    return (
        f"{address!r} is not a Dask scheduler address ({reason}); pass one like tcp://HOST:8786 "
        f"with --dask or the {DASK_ENV_VAR} environment variable, or leave both unset to run on this machine"
    )


def _unreachable(address: str, reason: str, timeout: float) -> str:
    return (
        f"could not reach the Dask scheduler at {address} within {timeout:g} s ({reason}); check that "
        f"`dask scheduler` runs there and the port is open, fix --dask or the {DASK_ENV_VAR} environment "
        "variable, or leave both unset to run on this machine"
    )


def open_dask(
    scheduler: Any,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    worker_timeout: float = DEFAULT_WORKER_TIMEOUT,
    partition_size: int = DEFAULT_PARTITION_SIZE,
) -> DaskRun:
    """Connect to ``scheduler`` (an address or a ``distributed.Client``) and check its workers.

    Raises :class:`DaskSchedulerError` naming the address when it is malformed, nothing
    answers within ``connect_timeout`` seconds, no worker joins within ``worker_timeout``
    seconds, or the workers cannot import this version of the workbench.

    Example:
        >>> open_dask("http://scheduler:8786")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        workbench.analysis.distributed.DaskSchedulerError: 'http://scheduler:8786' is not a Dask scheduler address ...
        >>> run = open_dask("tcp://10.0.0.5:8786")  # doctest: +SKIP
        >>> run.info()["scheduler"]  # doctest: +SKIP
        'tcp://10.0.0.5:8786'
    """
    try:
        from distributed import Client
    except ImportError as error:  # pragma: no cover - a dependency of the package
        raise DaskSchedulerError(
            "running on a Dask cluster needs the 'distributed' package; run `pip install dask distributed`"
        ) from error

    if isinstance(scheduler, Client):
        client, owns_client = scheduler, False
        address = str(getattr(client.scheduler, "address", None) or client.scheduler_info().get("address", "?"))
    elif isinstance(scheduler, str) and scheduler.strip():
        address = scheduler.strip()
        _check_reachable(address, connect_timeout)
        try:
            client = Client(address, timeout=connect_timeout, set_as_default=False)
        except ValueError as error:
            raise DaskSchedulerError(_bad_address(address, str(error))) from error
        except (OSError, TimeoutError) as error:
            raise DaskSchedulerError(_unreachable(address, str(error), connect_timeout)) from error
        owns_client = True
    else:
        raise DaskSchedulerError(
            f"dask scheduler {scheduler!r}: pass an address such as tcp://HOST:8786 or a distributed.Client"
        )
    run = DaskRun(client, address, owns_client, partition_size)
    try:
        run.check_workers(worker_timeout)
    except BaseException:
        run.close()
        raise
    return run


@dataclass
class DaskRun:
    """One analysis's use of a Dask cluster: embed, score, and what it did (for the manifest).

    Built by :func:`open_dask`. The client is closed by :meth:`close` (or when this object is
    garbage-collected) only if :func:`open_dask` opened it from an address.

    Example:
        >>> DaskRun.__name__
        'DaskRun'
    """

    client: Any
    address: str
    owns_client: bool
    partition_size: int = DEFAULT_PARTITION_SIZE
    n_workers: int = 0
    embed_partitions: int = 0
    texts_sent: int = 0
    score_partitions: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    _score_futures: list[Any] = field(default_factory=list, repr=False)
    _closer: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.owns_client:
            self._closer = weakref.finalize(self, _close_quietly, self.client)

    def check_workers(self, worker_timeout: float = DEFAULT_WORKER_TIMEOUT) -> None:
        """Wait for a worker, then check every worker runs this workbench version."""
        import workbench

        try:
            self.client.wait_for_workers(1, timeout=worker_timeout)
        except (TimeoutError, OSError) as error:
            raise DaskSchedulerError(
                f"the Dask scheduler at {self.address} has no worker after {worker_timeout:g} s; start some with "
                f"`dask worker {self.address}` (or scale the cluster), or run without --dask / {DASK_ENV_VAR}"
            ) from error
        try:
            environments = self.client.run(_worker_environment)
        except Exception as error:  # e.g. ModuleNotFoundError: workbench is not installed there
            raise DaskSchedulerError(
                f"the workers of the Dask scheduler at {self.address} cannot run the workbench "
                f"({type(error).__name__}: {error}); install the same package on every worker: "
                f"`pip install cx-workbench=={workbench.__version__}` (the models come with it)"
            ) from error
        mine = _worker_environment()["workbench"]
        others = sorted({env.get("workbench", "?") for env in environments.values()} - {mine})
        if others:
            raise DaskSchedulerError(
                f"the workers of the Dask scheduler at {self.address} run cx-workbench {', '.join(others)} but this "
                f"machine runs {mine}; results would differ, so install cx-workbench=={mine} on every worker"
            )
        self.n_workers = len(environments)

    def embed(
        self,
        texts: Sequence[str],
        embedder: Embedder,
        cache: EmbeddingCache | None = None,
        progress: bool | None = None,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ) -> np.ndarray:
        """Vectors of ``texts`` in order: cached ones read here, the missing ones encoded on the workers.

        The same contract as :func:`workbench.analysis.embed.embed_texts` (duplicates encoded once,
        float32 ``(len(texts), embedder.dimension)``), and the same vectors: partitions are
        whole runs of its ``chunk_size`` chunks, so every ``encode`` call sees the same texts.

        Example:
            >>> vectors = run.embed(["no refund yet", "app crashed"], get_embedder("static"))  # doctest: +SKIP
            >>> vectors.shape  # doctest: +SKIP
            (2, 256)
        """
        from distributed import as_completed

        texts = [str(text) for text in texts]
        dimension = int(embedder.dimension)
        if not texts:
            return np.zeros((0, dimension), dtype=np.float32)
        started = time.perf_counter()
        # the same plan as embed_texts (distinct texts, cache hits, misses longest first), so
        # partitions are slices of the local path's chunks
        model_id = embedder.model_id
        unique, inverse, matrix, missing = plan_embedding(texts, embedder, dimension, cache)

        if not isinstance(chunk_size, int) or chunk_size < 1:
            raise WorkbenchError(f"embed on Dask: chunk_size={chunk_size!r}; pass a positive integer such as 512")
        bounds = partition_bounds(len(missing), self.n_workers, self.partition_size, granularity=chunk_size)
        embedder_class, params = _embedder_spec(embedder)
        futures = {}
        for index, (start, stop) in enumerate(bounds):
            chunk = [unique[row] for row in missing[start:stop]]
            future = self.client.submit(
                _encode_partition, chunk, embedder_class, params, chunk_size, key=f"workbench-embed-{index}-{_token()}", retries=1
            )
            futures[future] = (index, start, stop, chunk)
        self.embed_partitions += len(bounds)
        self.texts_sent += len(missing)

        bar = None
        if futures and (_interactive() if progress is None else bool(progress)):
            from tqdm.auto import tqdm

            bar = tqdm(total=len(missing), desc=f"Embedding on Dask ({model_id.split(':')[0]})", unit="text")
        try:
            for future in as_completed(list(futures), loop=self.client.loop):
                index, start, stop, chunk = futures[future]
                vectors = np.asarray(self._result(future, f"embedding partition {index + 1} of {len(bounds)}"),
                                     dtype=np.float32)
                if vectors.shape != (len(chunk), dimension):
                    raise DaskSchedulerError(
                        f"a worker of {self.address} returned shape {vectors.shape} for {len(chunk)} texts of "
                        f"embedder {model_id!r}; expected ({len(chunk)}, {dimension}): the workers run another model"
                    )
                matrix[missing[start:stop]] = vectors
                if cache is not None:  # after each partition: an interrupted run keeps what it did
                    cache.put_many(model_id, chunk, vectors)
                if bar is not None:
                    bar.update(len(chunk))
        except BaseException:
            for future in futures:
                future.cancel()
            raise
        finally:
            if bar is not None:
                bar.close()
        self.seconds["embed"] = round(time.perf_counter() - started, 3)
        return matrix[inverse]

    def submit_scoring(self, texts: Sequence[str]) -> None:
        """Send sentiment and moment scoring of ``texts`` (one per row) to the workers; returns at once.

        Collect the results with :meth:`scores`. Sent before the topic model is fitted here,
        the scoring runs meanwhile.
        """
        texts = [text if isinstance(text, str) else "" for text in texts]
        bounds = partition_bounds(len(texts), self.n_workers, self.partition_size, MIN_SCORE_PARTITION)
        self._score_futures = [
            self.client.submit(_score_partition, texts[start:stop], key=f"workbench-score-{index}-{_token()}", retries=1)
            for index, (start, stop) in enumerate(bounds)
        ]
        self.score_partitions += len(bounds)

    def scores(self) -> tuple[np.ndarray, list[str]]:
        """Sentiment scores and moments of the texts sent by :meth:`submit_scoring`, in row order."""
        started = time.perf_counter()
        all_scores: list[np.ndarray] = []
        all_moments: list[str] = []
        total = len(self._score_futures)
        for index, future in enumerate(self._score_futures):
            part_scores, part_moments = self._result(future, f"sentiment partition {index + 1} of {total}")
            all_scores.append(np.asarray(part_scores, dtype=np.float64))
            all_moments.extend(part_moments)
        self._score_futures = []
        self.seconds["scores_wait"] = round(time.perf_counter() - started, 3)
        return (np.concatenate(all_scores) if all_scores else np.zeros(0, dtype=np.float64)), all_moments

    def _result(self, future: Any, what: str) -> Any:
        """A future's result; a worker failure becomes one clear :class:`DaskSchedulerError`."""
        try:
            return future.result()
        except WorkbenchError as error:
            raise DaskSchedulerError(f"a worker of the Dask scheduler at {self.address} failed on {what}: {error}") from error
        except Exception as error:
            from distributed import KilledWorker

            hint = (
                "workers ran out of memory or died; give them more memory or lower the partition size"
                if isinstance(error, KilledWorker)
                else "check the worker logs; every worker needs the same cx-workbench installed"
            )
            raise DaskSchedulerError(
                f"a worker of the Dask scheduler at {self.address} failed on {what} ({type(error).__name__}: {error}); {hint}"
            ) from error

    def info(self) -> dict[str, Any]:
        """What ran where, for the manifest.

        Example:
            >>> run.info()  # doctest: +SKIP
            {'scheduler': 'tcp://10.0.0.5:8786', 'n_workers': 8, 'partition_size': 2048, 'embed_partitions': 5, ...}
        """
        return {
            "scheduler": self.address,
            "n_workers": self.n_workers,
            "partition_size": self.partition_size,
            "embed_partitions": self.embed_partitions,
            "texts_sent": self.texts_sent,
            "score_partitions": self.score_partitions,
            "remote": ["embedding", "sentiment", "moments"],
            "seconds": dict(self.seconds),
        }

    def close(self) -> None:
        """Cancel what is still pending and close the client if this run opened it."""
        for future in self._score_futures:
            future.cancel()
        self._score_futures = []
        if self._closer is not None:
            self._closer()


def _close_quietly(client: Any) -> None:
    try:
        client.close(timeout=5)
    except Exception:  # noqa: BLE001 - closing a client to a vanished scheduler is not an error
        pass


def _token() -> str:
    """A unique suffix for task keys (two analyses on one cluster never share results)."""
    return f"{os.getpid()}-{time.time_ns()}"


def _interactive() -> bool:
    """True in a Jupyter kernel or when stderr is a terminal (where a progress bar helps)."""
    import sys

    shell = sys.modules.get("IPython")
    try:
        if shell is not None and type(shell.get_ipython()).__name__ == "ZMQInteractiveShell":
            return True
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
