"""The store's connection: the engine behind a URL (a SQLite file in WAL mode with a busy timeout,
or a database server) and the write transaction every write runs in.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine

from workbench.errors import WorkbenchError
from workbench.storage.sqlite_wal import enable_wal


class StoreConnection:
    """The base of :class:`~workbench.storage.store.Store`: opens the engine, runs write transactions.

    Args:
        url: any SQLAlchemy URL; ``sqlite:///path/store.sqlite`` by default.

    Example:
        >>> import tempfile
        >>> StoreConnection(f"sqlite:///{Path(tempfile.mkdtemp()) / 'store.sqlite'}").engine.dialect.name
        'sqlite'
    """

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            # pre-ping: a server connection dropped while a kernel idled is replaced, not failed on
            options: dict[str, Any] = {} if str(url).startswith("sqlite") else {"pool_pre_ping": True}
            self.engine: Engine = create_engine(url, future=True, **options)
        except Exception as error:  # noqa: BLE001 - bad URLs come in many exception types
            raise WorkbenchError(f"cannot open the store at {url!r} ({error}); check WORKBENCH_STORE") from error
        if self.engine.dialect.name == "sqlite":
            Path(self.engine.url.database or ".").parent.mkdir(parents=True, exist_ok=True)
            event.listen(self.engine, "connect", _sqlite_pragmas)

    @contextlib.contextmanager
    def _write_transaction(self) -> Iterator[Connection]:
        """One write transaction; on SQLite it holds the database write lock from its first statement
        (``BEGIN IMMEDIATE``), so a read-then-write body never fails half-way on a lock upgrade."""
        with self.engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield connection
                connection.commit()
            except BaseException:
                connection.rollback()
                raise


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers (workshop kernels) read while one writer writes; wait instead of failing when busy."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=10000")  # first: switching a new file to WAL needs the lock too
    cursor.close()
    enable_wal(dbapi_connection, 10.0)
