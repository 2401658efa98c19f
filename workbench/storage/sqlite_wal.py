"""SQLite in WAL mode, switched on safely when several processes open a new file at once.

Both SQLite files of the workbench (the embedding cache and the default store) use WAL so that
readers never wait for a writer.
"""
from __future__ import annotations

import random
import sqlite3
import time


def enable_wal(connection: sqlite3.Connection, timeout: float) -> None:
    """Put the database in WAL mode, waiting for other processes that open it at the same moment.

    Changing the journal mode needs an exclusive lock, and SQLite can answer "database is
    locked" at once instead of waiting for the busy timeout when two processes create the
    file together; so retry with a growing pause until ``timeout``.

    Example:
        >>> import tempfile
        >>> connection = sqlite3.connect(tempfile.mkdtemp() + "/cache.sqlite")
        >>> enable_wal(connection, 1.0)
        >>> connection.execute("PRAGMA journal_mode").fetchone()[0]
        'wal'
    """
    deadline = time.monotonic() + timeout
    pause = 0.01
    while True:
        try:
            mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error).lower() or time.monotonic() + pause > deadline:
                raise
            time.sleep(pause * (1 + random.random()))
            pause = min(pause * 2, 0.5)
