"""Progress of a long run, for a person watching a terminal or a notebook.

``workbench cluster`` on a million feedback items runs for many minutes; without a sign of life
a user cannot tell a slow step from a hung one. :class:`Progress` prints one line when a step
starts and one when it ends (with its seconds), and hands out bars (``tqdm.auto``: a text bar
in a terminal, a widget in a notebook) for the steps that loop over every item. Switched off,
every method does nothing, so library code can report progress unconditionally.

``progress=None`` means "when someone is watching": stderr is a terminal, or the code runs in
a Jupyter kernel.

Example:
    >>> progress = Progress(enabled=False)
    >>> with progress.bar(3, "Scoring") as bar:
    ...     bar.update(3)
    >>> progress.enabled
    False
"""
from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

__all__ = ["Progress", "watching"]


def watching() -> bool:
    """True in a Jupyter kernel or when stderr is a terminal (where progress output helps).

    Example:
        >>> isinstance(watching(), bool)
        True
    """
    if "ipykernel" in sys.modules:
        return True
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


class _NoBar:
    """A bar that shows nothing."""

    def update(self, count: int = 1) -> None:
        """Ignore ``count``."""


class Progress:
    """Step lines and per-item bars on ``stream`` (stderr), or nothing when disabled.

    Args:
        enabled: True shows progress, False hides it, None shows it when :func:`watching`.
        stream: where the lines and bars go.

    Example:
        >>> import io
        >>> out = io.StringIO()
        >>> progress = Progress(enabled=True, stream=out)
        >>> progress.begin("Reading feedback.csv"); progress.end("1,000 rows")
        >>> out.getvalue().splitlines()[0]
        '▸ Reading feedback.csv …'
    """

    def __init__(self, enabled: bool | None = None, stream: TextIO | None = None) -> None:
        self.enabled = watching() if enabled is None else bool(enabled)
        self.stream = stream if stream is not None else sys.stderr
        self._step: tuple[str, float] | None = None
        self._started = time.perf_counter()

    def begin(self, step: str) -> None:
        """Say that ``step`` starts."""
        self._step = (step, time.perf_counter())
        self._write(f"▸ {step} …")

    def end(self, result: str = "") -> None:
        """Say that the step begun last is done (with ``result``, e.g. "1,000 rows") and how long it took."""
        if self._step is None:
            return
        step, started = self._step
        now = time.perf_counter()
        detail = f": {result}" if result else ""
        self._write(f"  done{detail} ({now - started:.1f} s; {now - self._started:.0f} s so far)")
        self._step = None

    @contextmanager
    def bar(self, total: int, description: str, unit: str = "item") -> Iterator[Any]:
        """A bar over ``total`` items (``.update(n)`` after each ``n``); a silent one when disabled or tiny.

        Example:
            >>> with Progress(enabled=False).bar(10, "Redacting") as bar:
            ...     bar.update(10)
        """
        if not self.enabled or total < 1_000:
            yield _NoBar()
            return
        from tqdm.auto import tqdm

        shown = tqdm(total=total, desc=f"  {description}", unit=unit, file=self.stream, leave=False,
                     mininterval=1.0, unit_scale=True)
        try:
            yield shown
        finally:
            shown.close()

    def _write(self, line: str) -> None:
        if self.enabled:
            print(line, file=self.stream, flush=True)
