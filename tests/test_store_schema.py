"""Versioned schema of the store: a new store starts at the current version, a store from before
versions (version 1) is upgraded in place with its data kept, and a store from a newer CX Workbench
is refused with a message that says what to do. On SQLite and on the PostgreSQL test server."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import create_engine, insert, select, text

from workbench.errors import WorkbenchError
from workbench.storage.migrations import SCHEMA_VERSION, stored_schema_version
from workbench.storage.store import (
    HmwStatement,
    Placement,
    Store,
    StoreVersionError,
)
from workbench.storage.tables import schema_versions

# The schema as CX Workbench wrote it before schema versions existed (version 1), as raw SQL, so this
# test does not depend on the table definitions it is checking. {pk}: an auto-numbered integer key.
VERSION_1_TABLES = {
    "painpoint_edits": """CREATE TABLE painpoint_edits (edit_id {pk}, study VARCHAR(200) NOT NULL,
        kind VARCHAR(20) NOT NULL, payload TEXT NOT NULL, author VARCHAR(200), created_at {ts} NOT NULL)""",
    "workshop_sessions": """CREATE TABLE workshop_sessions (session_id {pk}, name VARCHAR(200) NOT NULL UNIQUE,
        locked BOOLEAN NOT NULL, round INTEGER NOT NULL, dots_per_person INTEGER NOT NULL,
        revision INTEGER NOT NULL, created_at {ts} NOT NULL)""",
    "workshop_people": """CREATE TABLE workshop_people (person_id {pk},
        session_id INTEGER NOT NULL REFERENCES workshop_sessions (session_id), name VARCHAR(200) NOT NULL,
        name_key VARCHAR(200) NOT NULL, joined_at {ts} NOT NULL,
        CONSTRAINT uq_workshop_people_name UNIQUE (session_id, name_key))""",
    "workshop_votes": """CREATE TABLE workshop_votes (vote_id {pk},
        session_id INTEGER NOT NULL REFERENCES workshop_sessions (session_id), round INTEGER NOT NULL,
        painpoint_id VARCHAR(64) NOT NULL, person_id INTEGER NOT NULL REFERENCES workshop_people (person_id),
        created_at {ts} NOT NULL, withdrawn_at {ts})""",
    "workshop_statements": """CREATE TABLE workshop_statements (statement_id {pk},
        session_id INTEGER NOT NULL REFERENCES workshop_sessions (session_id), painpoint_id VARCHAR(64) NOT NULL,
        author VARCHAR(200) NOT NULL, text TEXT NOT NULL, created_at {ts} NOT NULL)""",
    "workshop_placements": """CREATE TABLE workshop_placements (placement_id {pk},
        session_id INTEGER NOT NULL REFERENCES workshop_sessions (session_id), painpoint_id VARCHAR(64) NOT NULL,
        person_id INTEGER REFERENCES workshop_people (person_id), impact FLOAT NOT NULL, effort FLOAT NOT NULL,
        created_at {ts} NOT NULL)""",
    "codes": """CREATE TABLE codes (row_id {pk}, study VARCHAR(200) NOT NULL, code_id VARCHAR(200) NOT NULL,
        payload TEXT NOT NULL, removed BOOLEAN NOT NULL, author VARCHAR(200), created_at {ts} NOT NULL)""",
    "code_assignments": """CREATE TABLE code_assignments (row_id {pk}, study VARCHAR(200) NOT NULL,
        coder VARCHAR(200) NOT NULL, passage_id VARCHAR(200) NOT NULL, segment_id VARCHAR(200),
        code_id VARCHAR(200) NOT NULL, char_start INTEGER, char_end INTEGER, action VARCHAR(10) NOT NULL,
        origin VARCHAR(200), created_at {ts} NOT NULL)""",
    "memos": """CREATE TABLE memos (row_id {pk}, study VARCHAR(200) NOT NULL, coder VARCHAR(200) NOT NULL,
        target_kind VARCHAR(20) NOT NULL, target_id VARCHAR(200) NOT NULL, text TEXT NOT NULL,
        created_at {ts} NOT NULL)""",
}

VERSION_1_ROWS = [
    "INSERT INTO painpoint_edits (study, kind, payload, author, created_at) VALUES "
    """('skylark', 'rename', '{"label": "Refunds take weeks"}', 'dana', '2026-01-05 10:00:00')""",
    "INSERT INTO workshop_sessions (name, locked, round, dots_per_person, revision, created_at) VALUES "
    "('kick-off', FALSE, 1, 3, 4, '2026-01-05 10:00:00')",
    "INSERT INTO workshop_people (session_id, name, name_key, joined_at) VALUES "
    "(1, 'Dana', 'dana', '2026-01-05 10:01:00'), (1, 'Lee', 'lee', '2026-01-05 10:01:30')",
    "INSERT INTO workshop_votes (session_id, round, painpoint_id, person_id, created_at, withdrawn_at) VALUES "
    "(1, 1, 'PP01', 1, '2026-01-05 10:02:00', NULL), (1, 1, 'PP01', 2, '2026-01-05 10:02:10', NULL), "
    "(1, 1, 'PP02', 1, '2026-01-05 10:02:20', '2026-01-05 10:03:00')",
    "INSERT INTO workshop_statements (session_id, painpoint_id, author, text, created_at) VALUES "
    "(1, 'PP01', 'Dana', 'How might we refund within a day?', '2026-01-05 10:04:00')",
    "INSERT INTO workshop_placements (session_id, painpoint_id, person_id, impact, effort, created_at) VALUES "
    "(1, 'PP01', 1, 4.0, 2.0, '2026-01-05 10:05:00')",
    "INSERT INTO codes (study, code_id, payload, removed, author, created_at) VALUES "
    """('skylark', 'fees', '{"name": "Fees"}', FALSE, 'dana', '2026-01-05 10:06:00')""",
]


def build_version_1_store(url: str, tables: tuple[str, ...] = tuple(VERSION_1_TABLES), rows: bool = True) -> None:
    """Make the tables of a version-1 store at ``url`` with raw SQL, and put a little of everything in them."""
    engine = create_engine(url)
    sqlite = engine.dialect.name == "sqlite"
    words = {"pk": "INTEGER PRIMARY KEY" if sqlite else "SERIAL PRIMARY KEY",
             "ts": "DATETIME" if sqlite else "TIMESTAMP WITH TIME ZONE"}
    with engine.begin() as connection:
        for name in tables:
            connection.execute(text(VERSION_1_TABLES[name].format(**words)))
        for statement in VERSION_1_ROWS if rows else []:
            connection.execute(text(statement))
    engine.dispose()


def _version_rows(store: Store) -> list[tuple[int, str]]:
    with store.engine.connect() as connection:
        rows = connection.execute(select(schema_versions.c.version, schema_versions.c.description)
                                  .order_by(schema_versions.c.version)).all()
    return [(int(version), str(description)) for version, description in rows]


def test_a_new_store_starts_at_the_current_version(store_url: str) -> None:
    store = Store(store_url)
    assert store.schema_version == SCHEMA_VERSION
    assert _version_rows(store) == [(SCHEMA_VERSION, "new store")]
    assert _version_rows(Store(store_url)) == [(SCHEMA_VERSION, "new store")]  # opening again changes nothing


def test_a_version_1_store_is_upgraded_in_place_and_keeps_its_data(store_url: str) -> None:
    build_version_1_store(store_url)
    store = Store(store_url)

    assert store.schema_version == SCHEMA_VERSION == 4
    assert [version for version, _ in _version_rows(store)] == [1, 2, 3, 4]
    # everything written before the upgrade reads as before
    assert [(e.kind, e.payload, e.author) for e in store.edits("skylark")] == [
        ("rename", {"label": "Refunds take weeks"}, "dana")]
    info = store.session_info("kick-off")
    assert (info.dots_per_person, info.round, info.locked) == (3, 1, False)
    assert store.vote_counts("kick-off") == {"PP01": 2}  # the withdrawn dot stays withdrawn
    assert store.votes_left("kick-off", "Dana") == 2
    assert store.people("kick-off") == ["Dana", "Lee"]
    assert [(s.painpoint_id, s.author, s.text) for s in store.statements("kick-off")] == [
        ("PP01", "Dana", "How might we refund within a day?")]
    assert store.placements("kick-off") == [Placement("PP01", "Dana", 4.0, 2.0)]
    assert [(c.code_id, c.fields) for c in store.stored_codes("skylark")] == [("fees", {"name": "Fees"})]

    # the features of version 2 work on the upgraded store
    assert store.add_vote("kick-off", "PP02", "Lee", request_id="click-1")
    assert store.add_vote("kick-off", "PP02", "Lee", request_id="click-1")  # the retry of the same click
    assert store.vote_counts("kick-off") == {"PP01": 2, "PP02": 1}
    first = store.add_statement("kick-off", "PP02", "Lee", "How might we show fees upfront?", request_id="note-1")
    assert store.add_statement("kick-off", "PP02", "Lee", "How might we show fees upfront?", request_id="note-1") == first
    assert isinstance(store.statements("kick-off", painpoint_id="PP02")[0], HmwStatement)
    # and the old write paths too: new rows continue the old numbering
    assert store.add_edit("skylark", "merge", {"members": ["PP01", "PP02"]}) == 2
    assert store.revision("kick-off") > 4

    reopened = Store(store_url)
    assert [version for version, _ in _version_rows(reopened)] == [1, 2, 3, 4]  # upgraded once
    assert reopened.vote_counts("kick-off") == {"PP01": 2, "PP02": 1}


def test_a_version_1_store_from_before_the_coding_tables_gets_them(store_url: str) -> None:
    """Stores made by the first workshop builds had only some tables: the upgrade adds the rest."""
    build_version_1_store(store_url, tables=("painpoint_edits", "workshop_sessions", "workshop_people",
                                             "workshop_votes"), rows=False)
    store = Store(store_url)
    assert store.schema_version == SCHEMA_VERSION
    assert store.record_coding("skylark", "dana", "p-1", "fees")
    assert store.add_statement("kick-off", "PP01", "Dana", "How might we?", request_id="r-1") == 1
    assert store.add_vote("kick-off", "PP01", "Dana", request_id="r-2")


def test_a_store_from_a_newer_workbench_is_refused_and_left_untouched(store_url: str) -> None:
    store = Store(store_url)
    store.add_vote("kick-off", "PP01", "Dana")
    with store.engine.begin() as connection:
        connection.execute(insert(schema_versions).values(
            version=SCHEMA_VERSION + 1, applied_at=datetime.now(timezone.utc), description="from the future"))
    store.engine.dispose()

    with pytest.raises(StoreVersionError) as raised:
        Store(store_url)
    message = str(raised.value)
    shown_url = store.engine.url.render_as_string(hide_password=True)
    assert shown_url in message
    assert f"schema version {SCHEMA_VERSION + 1}" in message and f"up to {SCHEMA_VERSION}" in message
    assert "Upgrade CX Workbench" in message and "nothing was changed" in message
    assert isinstance(raised.value, WorkbenchError)  # the CLI prints it as one line
    with create_engine(store_url).connect() as connection:
        assert stored_schema_version(connection) == SCHEMA_VERSION + 1
        assert connection.execute(text("SELECT COUNT(*) FROM workshop_votes")).scalar() == 1


def test_the_password_of_a_store_url_is_not_shown_in_errors(store_url: str) -> None:
    if not store_url.startswith("postgresql"):
        pytest.skip("a SQLite URL has no password")
    store = Store(store_url)
    with store.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO schema_version (version, applied_at, description) VALUES (:v, :t, 'future')"),
            {"v": SCHEMA_VERSION + 5, "t": "2030-01-01 00:00:00"})
    store.engine.dispose()
    with_password = store_url.replace("workbench@", "workbench:s3cret-pw@")  # trust auth ignores it
    with pytest.raises(StoreVersionError) as raised:
        Store(with_password)
    assert "s3cret-pw" not in str(raised.value) and "***" in str(raised.value)


def test_stored_payloads_survive_the_upgrade_byte_for_byte(store_url: str) -> None:
    build_version_1_store(store_url)
    before = create_engine(store_url)
    with before.connect() as connection:
        payloads = connection.execute(text("SELECT payload FROM painpoint_edits ORDER BY edit_id")).scalars().all()
    before.dispose()
    store = Store(store_url)
    with store.engine.connect() as connection:
        after = connection.execute(text("SELECT payload FROM painpoint_edits ORDER BY edit_id")).scalars().all()
    assert after == payloads
    assert json.loads(after[0]) == {"label": "Refunds take weeks"}


# Version 2 = version 1 + request ids on votes and statements, with its schema_version rows (raw SQL again).
VERSION_2_CHANGES = [
    "ALTER TABLE workshop_votes ADD COLUMN request_id VARCHAR(64)",
    "ALTER TABLE workshop_votes ADD COLUMN withdraw_request_id VARCHAR(64)",
    "ALTER TABLE workshop_statements ADD COLUMN request_id VARCHAR(64)",
    "CREATE UNIQUE INDEX uq_workshop_votes_request ON workshop_votes (session_id, request_id)",
    "CREATE UNIQUE INDEX uq_workshop_votes_withdraw_request ON workshop_votes (session_id, withdraw_request_id)",
    "CREATE UNIQUE INDEX uq_workshop_statements_request ON workshop_statements (session_id, request_id)",
    "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at {ts} NOT NULL, description VARCHAR(200) NOT NULL)",
    "INSERT INTO schema_version (version, applied_at, description) VALUES "
    "(1, '2026-01-05 09:00:00', 'found: a store from before schema versions'), "
    "(2, '2026-01-05 09:00:00', 'request ids on workshop votes and statements')",
    "UPDATE workshop_votes SET request_id = 'click-0' WHERE vote_id = 1",
]


def build_version_2_store(url: str) -> None:
    """A version-2 store at ``url``: the version-1 tables and rows plus what version 2 added."""
    build_version_1_store(url)
    engine = create_engine(url)
    ts = "DATETIME" if engine.dialect.name == "sqlite" else "TIMESTAMP WITH TIME ZONE"
    with engine.begin() as connection:
        for statement in VERSION_2_CHANGES:
            connection.execute(text(statement.format(ts=ts)))
    engine.dispose()


def test_a_version_2_store_is_upgraded_to_3_and_gains_facilitation(store_url: str) -> None:
    build_version_2_store(store_url)
    store = Store(store_url)

    assert store.schema_version == SCHEMA_VERSION == 4
    assert [version for version, _ in _version_rows(store)] == [1, 2, 3, 4]
    # the old session reads as an open, visible, unguarded session without a timer
    info = store.session_info("kick-off")
    assert (info.dots_per_person, info.locked, info.votes_hidden, info.notes_private) == (3, False, False, False)
    assert (info.round_ends_at, info.close_at_time_up, info.facilitated) == (None, False, False)
    assert store.vote_counts("kick-off") == {"PP01": 2}
    assert store.add_vote("kick-off", "PP01", "Dana", request_id="click-0")  # the stored request id still counts once
    assert store.vote_counts("kick-off") == {"PP01": 2}
    old = store.statements("kick-off")[0]
    assert (old.text, old.quote_ids, old.round) == ("How might we refund within a day?", (), None)

    # version 3 works on it: a guarded session, hidden votes, a timer, statements citing quotes
    token = "facilitator-token-0123456789"
    store.set_facilitator_token("kick-off", token)
    with pytest.raises(WorkbenchError):
        store.hide_votes("kick-off")
    assert store.hide_votes("kick-off", facilitator_token=token).votes_hidden
    assert store.start_timer("kick-off", 2, close_voting=True, facilitator_token=token).round_ends_at is not None
    store.add_statement("kick-off", "PP01", "Lee", "How might we show the refund date?", quote_ids=["p-7", "p-9"])
    assert store.statements("kick-off")[-1].quote_ids == ("p-7", "p-9")
    assert store.statements("kick-off")[-1].round == 1

    # version 4 too: stars on quotes
    assert store.star_quote("kick-off", "p-7", "PP01", "Dana")
    assert [(q.quote_id, q.people) for q in store.starred_quotes("kick-off")] == [("p-7", ("Dana",))]

    reopened = Store(store_url)
    assert [version for version, _ in _version_rows(reopened)] == [1, 2, 3, 4]  # upgraded once
    assert reopened.session_info("kick-off").votes_hidden
