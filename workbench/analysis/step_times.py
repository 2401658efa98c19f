"""Wall-clock and CPU seconds per step of an analysis, for the manifest's ``timings_s`` and ``cpu_s``.

Wall time alone misleads on a shared machine: a step that waited for a core looks slow.
CPU time (``time.process_time``: every thread of this process, user and system) says what the
step itself cost, so before/after comparisons of the code hold under any load.

Example:
    >>> steps = StepTimes()
    >>> steps.start(); _ = sum(range(1000)); steps.stop("count")
    >>> sorted(steps.wall_s()), sorted(steps.cpu_s())
    (['count'], ['count'])
"""
from __future__ import annotations

import time

__all__ = ["StepTimes"]


class StepTimes:
    """Seconds per named step: ``start()`` then ``stop(name)``; a name stopped twice adds up.

    Example:
        >>> steps = StepTimes()
        >>> steps.start(); steps.stop("a"); steps.start(); steps.stop("a")
        >>> steps.wall_s()["a"] >= 0.0, list(steps.cpu_s())
        (True, ['a'])
    """

    def __init__(self) -> None:
        self._wall: dict[str, float] = {}
        self._cpu: dict[str, float] = {}
        self._started = (time.perf_counter(), time.process_time())

    def start(self) -> None:
        """Start timing the next step."""
        self._started = (time.perf_counter(), time.process_time())

    def stop(self, name: str) -> None:
        """Record the seconds since the last :meth:`start` under ``name``."""
        wall, cpu = self._started
        self._wall[name] = self._wall.get(name, 0.0) + time.perf_counter() - wall
        self._cpu[name] = self._cpu.get(name, 0.0) + time.process_time() - cpu

    def wall_s(self) -> dict[str, float]:
        """Wall-clock seconds per step, rounded to milliseconds."""
        return {name: round(seconds, 3) for name, seconds in self._wall.items()}

    def cpu_s(self) -> dict[str, float]:
        """CPU seconds per step (all threads of this process), rounded to milliseconds."""
        return {name: round(seconds, 3) for name, seconds in self._cpu.items()}
