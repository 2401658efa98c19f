"""Run a per-item function on every core for large inputs, with the same result as one loop.

The text steps of a large run (redaction, sentiment and moments, unit kinds) are pure Python and
hold the GIL, so threads do not help; on a 2-core laptop a million items take minutes per step on
one core. :func:`map_chunks` cuts the items into chunks, hands them to a pool of worker
processes and puts the results back in input order. Small inputs (under ``min_items``) run in
this process: starting workers costs about a second, more than a small study's whole step.

Workers are started with ``spawn`` (a fresh interpreter that imports what the function needs),
not ``fork``: the parent may hold BLAS, numba or SQLite threads, and a forked copy of a process
with threads can deadlock. The number of workers is the number of cores this process may use,
or ``WORKBENCH_WORKERS`` when set (``1`` turns the pool off).

Example:
    >>> map_chunks(str.upper, ["a", "b", "c"], chunk_size=2, min_items=0, workers=1)
    ['A', 'B', 'C']
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = ["available_workers", "map_chunks"]

Item = TypeVar("Item")
Result = TypeVar("Result")

#: inputs smaller than this run in the calling process
DEFAULT_MIN_ITEMS = 50_000
#: items per task handed to a worker: big enough that pickling is cheap beside the work
DEFAULT_CHUNK_SIZE = 5_000

def available_workers() -> int:
    """How many worker processes to use: ``WORKBENCH_WORKERS`` if set, else the usable cores.

    Example:
        >>> available_workers() >= 1
        True
    """
    configured = os.environ.get("WORKBENCH_WORKERS", "").strip()
    if configured:
        try:
            return max(1, int(configured))
        except ValueError:
            raise ValueError(f"WORKBENCH_WORKERS={configured!r}: give a whole number of worker processes, e.g. 2") from None
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _run_chunk(function: Callable[[Item], Result], chunk: Sequence[Item]) -> list[Result]:
    return [function(item) for item in chunk]


def _run_batch(function: Callable[[Sequence[Item]], list[Result]], chunk: Sequence[Item]) -> list[Result]:
    results = list(function(chunk))
    if len(results) != len(chunk):
        raise RuntimeError(f"{getattr(function, '__name__', function)} returned {len(results)} results for {len(chunk)} items")
    return results


def map_chunks(
    function: Callable[[Any], Any],
    items: Sequence[Any],
    *,
    batched: bool = False,
    chunk_size: int | None = None,
    min_items: int | None = None,
    workers: int | None = None,
    on_chunk: Callable[[int], None] | None = None,
) -> list[Any]:
    """Return ``[function(item) for item in items]``, computed in worker processes when ``items`` is large.

    Args:
        function: a module-level function, or a ``functools.partial`` of one whose bound
            arguments pickle (workers import it by name). With ``batched`` it takes
            a list of items and returns a list of results of the same length (so it can build
            a tool such as a sentiment analyser once per chunk instead of once per item).
        items: the inputs; the results come back in the same order.
        batched: ``function`` takes a chunk (see above) instead of one item.
        chunk_size: items per task handed to a worker (default :data:`DEFAULT_CHUNK_SIZE`).
        min_items: below this many items everything runs here, in order (default
            :data:`DEFAULT_MIN_ITEMS`, read at each call).
        workers: worker processes (default :func:`available_workers`); 1 runs here.
        on_chunk: called with the number of items finished after each chunk (a progress bar).

    Raises:
        whatever ``function`` raises, re-raised here (the pool is shut down first).

    Example:
        >>> map_chunks(len, ["ab", "c", ""], min_items=0, workers=1)
        [2, 1, 0]
        >>> map_chunks(sorted, [[3, 1], [2]], batched=False, min_items=0, workers=1)
        [[1, 3], [2]]
    """
    items = list(items)
    chunk_size = DEFAULT_CHUNK_SIZE if chunk_size is None else chunk_size
    min_items = DEFAULT_MIN_ITEMS if min_items is None else min_items
    workers = available_workers() if workers is None else max(1, workers)
    chunks = [items[start : start + chunk_size] for start in range(0, len(items), max(1, chunk_size))]
    run = _run_batch if batched else _run_chunk
    results: list[Any] = []
    if workers == 1 or len(items) < min_items or len(chunks) < 2:
        for chunk in chunks:
            results.extend(run(function, chunk))
            if on_chunk is not None:
                on_chunk(len(chunk))
        return results

    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=context) as pool:
        futures = [pool.submit(run, function, chunk) for chunk in chunks]
        try:
            for future, chunk in zip(futures, chunks):
                results.extend(future.result())
                if on_chunk is not None:
                    on_chunk(len(chunk))
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return results
