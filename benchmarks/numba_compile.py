"""What numba compiles in one analysis of the sample study, and for how long (issue 18's cold-run probe).

Runs ``workbench analyze`` of ``interview_data/`` in this process with numba's compile events
recorded, then lists every numba function that was compiled (not loaded from the cache) with
the seconds its compilation took (nested compilations count in their callers too) and whether
it has a file cache. Point ``NUMBA_CACHE_DIR`` at an empty folder to see a fresh install's
first run; run ``workbench prepare`` (or ``compile_clustering_code()``) into the same folder
first to see what is left after the install's warm-up::

    NUMBA_CACHE_DIR=/tmp/cold .venv/bin/python benchmarks/numba_compile.py static
    NUMBA_CACHE_DIR=/tmp/warm .venv/bin/workbench prepare && \
        NUMBA_CACHE_DIR=/tmp/warm .venv/bin/python benchmarks/numba_compile.py static

Prints the table (nothing is written).
"""
from __future__ import annotations

import gc
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from numba.core import event

    seconds: dict[str, float] = defaultdict(float)
    started_at: dict[int, float] = {}

    class Listener(event.Listener):
        def on_start(self, ev: event.Event) -> None:
            started_at[id(ev.data["dispatcher"])] = time.perf_counter()

        def on_end(self, ev: event.Event) -> None:
            dispatcher = ev.data["dispatcher"]
            name = f"{dispatcher.py_func.__module__}.{dispatcher.py_func.__qualname__}"
            seconds[name] += time.perf_counter() - started_at.pop(id(dispatcher), time.perf_counter())

    event.register("numba:compile", Listener())
    from numba.core.caching import NullCache
    from numba.core.dispatcher import Dispatcher

    from workbench.study import run_analyze

    embedder = sys.argv[1] if len(sys.argv) > 1 else "static"
    started = time.perf_counter()
    run_analyze(ROOT / "interview_data", tempfile.mkdtemp(prefix="numba-probe-"), embedder=embedder)
    total = time.perf_counter() - started
    rows = sorted(
        ((seconds.get(f"{d.py_func.__module__}.{d.py_func.__qualname__}", 0.0),
          f"{d.py_func.__module__}.{d.py_func.__qualname__}", not isinstance(d._cache, NullCache))
         for d in gc.get_objects() if isinstance(d, Dispatcher) and d.signatures and d._cache_misses),
        reverse=True,
    )
    ours = [r for r in rows if not r[1].startswith("numba.")]
    print(f"analysis {total:.1f} s; compiled here: {len(ours)} library functions "
          f"({sum(r[0] for r in ours):.1f} s of compile events, nested ones counted in their callers too)")
    for spent, name, cached in ours:
        print(f"{spent:8.2f} s  file cache {'yes' if cached else 'no '}  {name}")


if __name__ == "__main__":
    main()
