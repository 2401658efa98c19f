"""Schema versions and upgrades: which version a store is at, and the steps from one to the next.

``schema_version`` holds one row per version the store reached (the highest is in force). A store
made before versions existed has no such table and is version 1. ``Store(url)`` creates a new
store at SCHEMA_VERSION, upgrades an older one in place (keeping every row) and refuses a newer
one, which this code would misread. To change the schema: bump SCHEMA_VERSION, change the tables
in :mod:`workbench.storage.tables`, and add the step from the previous version to MIGRATIONS
(idempotent, data kept).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from sqlalchemy import Table, func, insert, inspect, select, text
from sqlalchemy.engine import Connection

from workbench.errors import WorkbenchError
from workbench.storage.retries import _safe_url
from workbench.storage.tables import (
    metadata,
    schema_versions,
    workshop_sessions,
    workshop_statements,
    workshop_votes,
)

#: the schema version this code reads and writes
SCHEMA_VERSION = 4
#: any fixed number: PostgreSQL advisory lock taken while a store is created or upgraded
_MIGRATION_LOCK_KEY = 7_050_801

#: the tables of version 1 (before schema versions): any of them marks an unversioned store as version 1
_VERSION_1_TABLES = ("painpoint_edits", "workshop_sessions", "workshop_people", "workshop_votes",
                     "workshop_statements", "workshop_placements", "codes", "code_assignments", "memos")


class StoreVersionError(WorkbenchError):
    """The store was written by a newer CX Workbench than this one; nothing was changed in it.

    Example:
        >>> str(StoreVersionError("the store at sqlite:///s.sqlite is at schema version 9"))
        'the store at sqlite:///s.sqlite is at schema version 9'
    """


def stored_schema_version(connection: Connection) -> int | None:
    """The schema version of the store behind ``connection``: None when it is empty (new).

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from workbench.storage.store import Store, sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
        >>> with store.engine.connect() as connection:
        ...     stored_schema_version(connection) == SCHEMA_VERSION
        True
    """
    inspector = inspect(connection)
    if inspector.has_table(schema_versions.name):
        version = connection.execute(select(func.max(schema_versions.c.version))).scalar()
        if version is not None:
            return int(version)
    if any(inspector.has_table(name) for name in _VERSION_1_TABLES):
        return 1
    return None


def _refuse_newer(found: int | None, url: str) -> None:
    if found is not None and found > SCHEMA_VERSION:
        from workbench import __version__

        raise StoreVersionError(
            f"the store at {_safe_url(url)} is at schema version {found}, but this CX Workbench ({__version__}) "
            f"knows versions up to {SCHEMA_VERSION}: it was written by a newer CX Workbench. Upgrade CX Workbench "
            "here (pip install -U cx-workbench) to open it, or point WORKBENCH_STORE at another store; "
            "nothing was changed in it"
        )


def _add_missing_columns_and_indexes(connection: Connection, table: Table, columns: tuple[str, ...]) -> None:
    """ALTER an existing table to the current definition of ``columns`` and create its missing indexes."""
    inspector = inspect(connection)
    if not inspector.has_table(table.name):
        return  # created whole by create_all
    present = {column["name"] for column in inspector.get_columns(table.name)}
    preparer = connection.dialect.identifier_preparer
    for name in columns:
        if name not in present:
            column = table.c[name]
            connection.exec_driver_sql(
                f"ALTER TABLE {preparer.format_table(table)} ADD COLUMN {preparer.format_column(column)} "
                f"{column.type.compile(dialect=connection.dialect)}"
            )
    indexes = {index["name"] for index in inspector.get_indexes(table.name)}
    for index in table.indexes:
        if index.name not in indexes:
            index.create(connection)


def _migrate_1_to_2(connection: Connection) -> None:
    """Version 2: client request ids on votes and statements (retried requests are not counted twice)."""
    _add_missing_columns_and_indexes(connection, workshop_votes, ("request_id", "withdraw_request_id"))
    _add_missing_columns_and_indexes(connection, workshop_statements, ("request_id",))
    metadata.create_all(connection)  # tables an old store never had (e.g. coding tables)


def _migrate_2_to_3(connection: Connection) -> None:
    """Version 3: facilitation (hidden votes, private statements, round timer, facilitator token) and
    statements that cite quotes and record their round. Existing rows read as before (NULL = off)."""
    _add_missing_columns_and_indexes(connection, workshop_sessions, (
        "votes_hidden", "notes_private", "round_ends_at", "close_at_time_up", "facilitator_token_hash"))
    _add_missing_columns_and_indexes(connection, workshop_statements, ("quote_ids", "round"))
    metadata.create_all(connection)


def _migrate_3_to_4(connection: Connection) -> None:
    """Version 4: stars on the quotes of the workshop's cards (a new table; nothing else changes)."""
    metadata.create_all(connection)


#: step from version N to N + 1
MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _migrate_1_to_2, 2: _migrate_2_to_3, 3: _migrate_3_to_4}
MIGRATIONS_DESCRIPTIONS = {
    1: "found: a store from before schema versions",
    2: "request ids on workshop votes and statements",
    3: "facilitation: hidden votes, private statements, round timer, facilitator token; quotes cited",
    4: "stars on the quotes of the workshop's cards",
}


def upgrade_schema(connection: Connection, url: str) -> int:
    """Create or upgrade the schema on ``connection`` (one write transaction the caller commits);
    return the version it is at now. Refuses a store of a newer version (``url`` names it).

    On PostgreSQL it first takes an advisory lock, so that kernels starting at once upgrade once.

    Example:
        >>> from sqlalchemy import create_engine
        >>> with create_engine("sqlite://").begin() as connection:
        ...     upgrade_schema(connection, "sqlite://") == stored_schema_version(connection) == SCHEMA_VERSION
        True
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
    found = stored_schema_version(connection)
    _refuse_newer(found, url)
    now = datetime.now(timezone.utc)
    if found is None:
        metadata.create_all(connection)
        connection.execute(insert(schema_versions).values(
            version=SCHEMA_VERSION, applied_at=now, description="new store"))
        return SCHEMA_VERSION
    if not inspect(connection).has_table(schema_versions.name):
        schema_versions.create(connection)
        connection.execute(insert(schema_versions).values(
            version=found, applied_at=now, description=MIGRATIONS_DESCRIPTIONS[found]))
    for version in range(found, SCHEMA_VERSION):
        MIGRATIONS[version](connection)
        connection.execute(insert(schema_versions).values(
            version=version + 1, applied_at=now, description=MIGRATIONS_DESCRIPTIONS[version + 1]))
    return SCHEMA_VERSION
