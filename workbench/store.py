"""The shared store: what people do to a study (pain-point edits now; codes, votes and notes later).

SQLite file by default (WAL, busy timeout), any SQLAlchemy URL (PostgreSQL) for teams.
Rows are only ever appended: an edit is undone by a newer edit, never by deleting
history, so nothing a researcher did is lost to a re-run.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, create_engine, event, insert, select
from sqlalchemy.engine import Engine

from workbench.errors import WorkbenchError

metadata = MetaData()

painpoint_edits = Table(
    "painpoint_edits",
    metadata,
    Column("edit_id", Integer, primary_key=True, autoincrement=True),
    Column("study", String(200), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("payload", Text, nullable=False),  # JSON
    Column("author", String(200), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class StoredEdit:
    """One researcher edit as stored.

    Example:
        >>> StoredEdit(1, "rename", {"label": "Refunds"}, "dana", None).kind
        'rename'
    """

    edit_id: int
    kind: str
    payload: dict[str, Any]
    author: str | None
    created_at: datetime | None


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file.

    Example:
        >>> sqlite_url(Path("/tmp/x/store.sqlite"))
        'sqlite:////tmp/x/store.sqlite'
    """
    return f"sqlite:///{Path(path).resolve()}"


class Store:
    """Append-only shared state of a study.

    Args:
        url: any SQLAlchemy URL; ``sqlite:///path/store.sqlite`` by default.

    Example:
        >>> import tempfile
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
        >>> _ = store.add_edit("skylark", "rename", {"label": "Refunds take weeks"}, author="dana")
        >>> [e.payload["label"] for e in store.edits("skylark")]
        ['Refunds take weeks']
    """

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self.engine: Engine = create_engine(url, future=True)
        except Exception as error:  # noqa: BLE001 - bad URLs come in many exception types
            raise WorkbenchError(f"cannot open the store at {url!r} ({error}); check WORKBENCH_STORE") from error
        if self.engine.dialect.name == "sqlite":
            Path(self.engine.url.database or ".").parent.mkdir(parents=True, exist_ok=True)
            event.listen(self.engine, "connect", _sqlite_pragmas)
        metadata.create_all(self.engine)

    def add_edit(self, study: str, kind: str, payload: dict[str, Any], author: str | None = None) -> int:
        """Append one edit; return its id.

        Example:
            >>> import tempfile
            >>> Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite")).add_edit("s", "merge", {"members": []})
            1
        """
        with self.engine.begin() as connection:
            result = connection.execute(
                insert(painpoint_edits).values(
                    study=study,
                    kind=kind,
                    payload=json.dumps(payload, sort_keys=True),
                    author=author,
                    created_at=datetime.now(timezone.utc),
                )
            )
            return int(result.inserted_primary_key[0])

    def edits(self, study: str) -> list[StoredEdit]:
        """All edits of a study, oldest first.

        Example:
            >>> import tempfile
            >>> Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite")).edits("s")
            []
        """
        query = select(painpoint_edits).where(painpoint_edits.c.study == study).order_by(painpoint_edits.c.edit_id)
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [
            StoredEdit(row["edit_id"], row["kind"], json.loads(row["payload"]), row["author"], row["created_at"])
            for row in rows
        ]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers (workshop kernels) read while one writer writes; wait instead of failing when busy."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
