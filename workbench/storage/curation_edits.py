"""Curation edits: the append-only log of what researchers did to pain points (renames, merges,
splits, moved quotes), replayed after every re-fit by :mod:`workbench.analysis.curation`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import insert, select

from workbench.storage.connection import StoreConnection
from workbench.storage.retries import retry_busy_writes
from workbench.storage.tables import painpoint_edits


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


class CurationEditsMixin(StoreConnection):
    """The curation-edit methods of :class:`Store`: append an edit, read a study's edits.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from workbench.storage.store import Store, sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
        >>> _ = store.add_edit("skylark", "rename", {"label": "Refunds take weeks"}, author="dana")
        >>> [e.kind for e in store.edits("skylark")]
        ['rename']
    """

    @retry_busy_writes
    def add_edit(self, study: str, kind: str, payload: dict[str, Any], author: str | None = None) -> int:
        """Append one edit; return its id.

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
            >>> Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite")).add_edit("s", "merge", {"members": []})
            1
        """
        with self._write_transaction() as connection:
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
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
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
