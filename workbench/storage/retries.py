"""Busy-write retries: a write that found the store busy runs again after a random, growing pause.

Many kernels write at once. A write that found the store busy (SQLite: "database is locked" after
the busy timeout; PostgreSQL: a serialization failure, a deadlock, no free connection) has not
committed anything, so it is run again after a random, growing pause. Writes that may be retried
by a client after an unknown outcome (a lost reply) take a ``request_id`` instead (see
``Store.cast_vote``).
"""
from __future__ import annotations

import functools
import random
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError

from workbench.errors import WorkbenchError

#: how many times a write is tried before the store is reported busy
WRITE_ATTEMPTS = 8
#: the first pause between tries, in seconds; doubled after each try up to WRITE_RETRY_MAX_DELAY_S
WRITE_RETRY_FIRST_DELAY_S = 0.05
WRITE_RETRY_MAX_DELAY_S = 2.0
#: PostgreSQL errors after which nothing was committed and the same transaction may simply run again:
#: serialization failure, deadlock, lock not available, too many connections, server starting up
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03", "53300", "57P03"})
_TRANSIENT_MESSAGES = ("database is locked", "database is busy", "database table is locked",
                       "too many clients already", "the database system is starting up")

_Result = TypeVar("_Result")
_writing = threading.local()  # set while a write runs: only the outermost write of a thread retries


class StoreBusyError(WorkbenchError):
    """A write found the store busy every time it tried; nothing of it was saved.

    Example:
        >>> str(StoreBusyError("the store at sqlite:///s.sqlite stayed busy; try again"))
        'the store at sqlite:///s.sqlite stayed busy; try again'
    """


def is_transient_write_error(error: BaseException) -> bool:
    """Whether a failed write committed nothing and may run again as it was (a lock, not a bug).

    Example:
        >>> import sqlite3
        >>> from sqlalchemy.exc import OperationalError
        >>> is_transient_write_error(OperationalError("BEGIN", {}, sqlite3.OperationalError("database is locked")))
        True
        >>> is_transient_write_error(OperationalError("INSERT", {}, sqlite3.OperationalError("no such table: x")))
        False
    """
    if not isinstance(error, DBAPIError) or error.orig is None:
        return False
    original = error.orig
    sqlstate = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if sqlstate in TRANSIENT_SQLSTATES:
        return True
    message = str(original).lower()
    return any(fragment in message for fragment in _TRANSIENT_MESSAGES)


def retry_busy_writes(method: Callable[..., _Result]) -> Callable[..., _Result]:
    """Decorate a store method that writes: run it again (up to ``WRITE_ATTEMPTS`` times, with
    growing random pauses) while it fails on a busy store; then raise :class:`StoreBusyError`.

    The method must be one transaction (or several that are each safe to repeat): a busy error
    means its transaction rolled back. A write inside another write runs once; the outer one retries.

    Example:
        >>> class Flaky:
        ...     url, tries = "sqlite:///example.sqlite", 0
        ...     @retry_busy_writes
        ...     def write(self):
        ...         import sqlite3
        ...         from sqlalchemy.exc import OperationalError
        ...         self.tries += 1
        ...         if self.tries < 3:
        ...             raise OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))
        ...         return "saved"
        >>> flaky = Flaky(); flaky.write(), flaky.tries
        ('saved', 3)
    """

    @functools.wraps(method)
    def write_with_retries(self: Any, *args: Any, **kwargs: Any) -> _Result:
        if getattr(_writing, "active", False):
            return method(self, *args, **kwargs)
        _writing.active = True
        try:
            delay = WRITE_RETRY_FIRST_DELAY_S
            for attempt in range(1, WRITE_ATTEMPTS + 1):
                try:
                    return method(self, *args, **kwargs)
                except DBAPIError as error:
                    if not is_transient_write_error(error):
                        raise
                    if attempt == WRITE_ATTEMPTS:
                        raise StoreBusyError(
                            f"the store at {_safe_url(getattr(self, 'url', '?'))} stayed busy through {attempt} tries "
                            f"of {method.__name__} ({error.orig}); nothing was saved: try again, and if it persists "
                            "check that no process holds the store open in a long transaction"
                        ) from error
                # full jitter: kernels that collided do not collide again in step
                time.sleep(delay * (0.5 + random.random()))
                delay = min(delay * 2, WRITE_RETRY_MAX_DELAY_S)
            raise AssertionError("unreachable")  # pragma: no cover
        finally:
            _writing.active = False

    return write_with_retries


def _safe_url(url: Any) -> str:
    """The URL without its password, fit for an error message."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(str(url)).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL is shown as given
        return str(url)
