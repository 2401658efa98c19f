"""The shared store: what people do to a study (pain-point edits, codes and memos, workshop votes and notes).

SQLite file by default (WAL, busy timeout), any SQLAlchemy URL (PostgreSQL) for teams.
Rows are only ever appended: an edit is undone by a newer edit, never by deleting
history, so nothing a researcher did is lost to a re-run.

This module composes :class:`Store` from one mixin per responsibility, and is where its users
import it, the records it hands back and the errors it raises. The parts:

- ``connection`` (the engine, write transactions) and ``retries`` (busy writes run again);
- ``tables`` (the table definitions) and ``migrations`` (schema versions and upgrades);
- ``curation_edits`` (pain-point edits) and ``coding_records`` (codes, code assignments, memos);
- the workshop: ``workshop_rules`` (limits, checks of what people type), ``workshop_sessions``
  (sessions, people), ``workshop_facilitation``, ``workshop_votes``, ``workshop_statements``
  ("How might we…"), ``workshop_placements`` (impact × effort) and ``workshop_stars`` (stars on quotes).
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import DBAPIError

from workbench.errors import WorkbenchError
from workbench.storage.coding_records import CodingRecordsMixin, StoredCode, StoredCoding, StoredMemo
from workbench.storage.curation_edits import CurationEditsMixin, StoredEdit
from workbench.storage.migrations import (
    SCHEMA_VERSION,
    StoreVersionError,
    _refuse_newer,
    stored_schema_version,
    upgrade_schema,
)
from workbench.storage.retries import StoreBusyError, _safe_url, is_transient_write_error, retry_busy_writes
from workbench.storage.workshop_facilitation import FacilitatorOnlyError, WorkshopFacilitationMixin
from workbench.storage.workshop_placements import Placement, WorkshopPlacementsMixin
from workbench.storage.workshop_rules import (
    DEFAULT_DOTS_PER_PERSON,
    DEFAULT_WORKSHOP_SESSION,
    WorkshopActionError,
    person_key,
)
from workbench.storage.workshop_sessions import WorkshopSession
from workbench.storage.workshop_stars import StarredQuote, WorkshopStarsMixin
from workbench.storage.workshop_statements import HmwStatement, WorkshopStatementsMixin
from workbench.storage.workshop_votes import VoteOutcome, WorkshopVotesMixin

__all__ = [
    "DEFAULT_DOTS_PER_PERSON",
    "DEFAULT_WORKSHOP_SESSION",
    "FacilitatorOnlyError",
    "HmwStatement",
    "Placement",
    "Store",
    "StoreBusyError",
    "StoreVersionError",
    "StoredCode",
    "StoredCoding",
    "StoredEdit",
    "StoredMemo",
    "StarredQuote",
    "VoteOutcome",
    "WorkshopActionError",
    "WorkshopSession",
    "person_key",
    "sqlite_url",
]


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file.

    Example:
        >>> sqlite_url(Path("/tmp/x/store.sqlite"))
        'sqlite:////tmp/x/store.sqlite'
    """
    return f"sqlite:///{Path(path).resolve()}"


class Store(
    CurationEditsMixin,
    CodingRecordsMixin,
    WorkshopFacilitationMixin,
    WorkshopVotesMixin,
    WorkshopStatementsMixin,
    WorkshopPlacementsMixin,
    WorkshopStarsMixin,
):
    """Append-only shared state of a study: curation edits, qualitative coding, workshop sessions.

    Opening a store creates its tables, or upgrades an older store in place (see
    :mod:`workbench.storage.migrations`); a store written by a newer CX Workbench is refused.

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
        super().__init__(url)
        #: the schema version the store is at (``SCHEMA_VERSION`` once opened: older stores are upgraded)
        self.schema_version: int = self._prepare_schema()

    def _prepare_schema(self) -> int:
        """Create a new store at ``SCHEMA_VERSION``, upgrade an older one in place, refuse a newer one."""
        try:
            with self.engine.connect() as connection:
                found = stored_schema_version(connection)
        except DBAPIError as error:
            if not is_transient_write_error(error):
                raise WorkbenchError(
                    f"cannot open the store at {_safe_url(self.url)} ({error.orig}); check WORKBENCH_STORE "
                    "and that the database server is running"
                ) from error
            found = None  # busy: decide under the lock below
        if found == SCHEMA_VERSION:
            return found  # the usual case: one cheap read, no lock
        _refuse_newer(found, self.url)
        return self._upgrade_schema()

    @retry_busy_writes
    def _upgrade_schema(self) -> int:
        """Create or upgrade the schema in one transaction, holding a lock so that kernels starting
        at once do it once: on SQLite the write lock, on PostgreSQL an advisory lock."""
        with self._write_transaction() as connection:
            return upgrade_schema(connection, self.url)
