"""Writes that survive a busy store and a retried request: a request id makes a vote, a take-back or a
statement count once however often it is sent, and a write that finds the store locked waits and
tries again instead of failing. On SQLite and on the PostgreSQL test server where it applies."""
from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import event, insert, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from workbench.storage import retries
from workbench.storage.retries import is_transient_write_error
from workbench.storage.store import (
    Store,
    StoreBusyError,
    VoteOutcome,
    WorkshopActionError,
    sqlite_url,
)
from workbench.storage.tables import workshop_votes


@pytest.fixture()
def store(store_url: str) -> Store:
    return Store(store_url)


# ------------------------------------------------------------------------------ request ids


def test_a_vote_sent_twice_with_one_request_id_spends_one_dot(store: Store) -> None:
    store.open_session("s", dots_per_person=3)
    assert store.cast_vote("s", "PP01", "Dana", request_id="click-1") == VoteOutcome(True, None, 2)
    assert store.cast_vote("s", "PP01", "Dana", request_id="click-1") == VoteOutcome(True, None, 2)
    assert store.vote_counts("s") == {"PP01": 1}
    assert store.add_vote("s", "PP01", "Dana", request_id="click-2")  # a new click is a new dot
    assert store.vote_counts("s") == {"PP01": 2}
    assert store.votes_left("s", "Dana") == 1


def test_a_retry_after_the_budget_is_spent_still_reports_the_first_dot(store: Store) -> None:
    store.open_session("s", dots_per_person=1)
    assert store.add_vote("s", "PP01", "Dana", request_id="click-1")
    assert store.add_vote("s", "PP01", "Dana", request_id="click-1")  # the retry is not refused as "no dots left"
    assert store.cast_vote("s", "PP02", "Dana", request_id="click-2") == VoteOutcome(False, "no dots left", 0)
    assert store.vote_counts("s") == {"PP01": 1}


def test_a_take_back_sent_twice_takes_back_one_dot(store: Store) -> None:
    for click in ("a", "b"):
        store.add_vote("s", "PP01", "Dana", request_id=click)
    assert store.remove_vote("s", "PP01", "Dana", request_id="undo-1")
    assert store.remove_vote("s", "PP01", "Dana", request_id="undo-1")
    assert store.vote_counts("s") == {"PP01": 1}
    assert store.remove_vote("s", "PP01", "Dana", request_id="undo-2")
    assert not store.remove_vote("s", "PP01", "Dana", request_id="undo-3")  # none left to take back
    assert store.vote_counts("s") == {}


def test_a_statement_sent_twice_with_one_request_id_is_stored_once(store: Store) -> None:
    first = store.add_statement("s", "PP01", "Dana", "How might we refund within a day?", request_id="note-1")
    again = store.add_statement("s", "PP01", "dana", "How might we  refund within a day?", request_id="note-1")
    assert first == again
    assert len(store.statements("s")) == 1


def test_request_ids_belong_to_one_action_and_one_session(store: Store) -> None:
    assert store.add_vote("morning", "PP01", "Dana", request_id="r-1")
    assert store.add_vote("afternoon", "PP01", "Dana", request_id="r-1")  # another session: another action
    assert store.vote_counts("morning") == store.vote_counts("afternoon") == {"PP01": 1}
    with pytest.raises(WorkshopActionError, match="request id 'r-1' was already used for another action"):
        store.add_vote("morning", "PP02", "Dana", request_id="r-1")
    with pytest.raises(WorkshopActionError, match="already used"):
        store.add_vote("morning", "PP01", "Lee", request_id="r-1")
    store.add_statement("morning", "PP01", "Dana", "How might we?", request_id="n-1")
    with pytest.raises(WorkshopActionError, match="already used"):
        store.add_statement("morning", "PP01", "Dana", "How might we do better?", request_id="n-1")
    assert store.vote_counts("morning") == {"PP01": 1}


@pytest.mark.parametrize("request_id", ["", "   ", "x" * 65])
def test_a_request_id_must_be_short_and_not_empty(store: Store, request_id: str) -> None:
    with pytest.raises(WorkshopActionError, match="request id .* must be 1-64 characters"):
        store.add_vote("s", "PP01", "Dana", request_id=request_id)
    assert store.vote_counts("s") == {}


def test_the_database_itself_refuses_a_second_row_with_one_request_id(store: Store) -> None:
    """The unique index backs the check in the code: even a writer that skips it cannot count twice."""
    store.add_vote("s", "PP01", "Dana", request_id="click-1")
    with store.engine.connect() as connection:
        row = dict(connection.execute(select(workshop_votes)).mappings().one())
    row.pop("vote_id")
    with pytest.raises(IntegrityError):
        with store.engine.begin() as connection:
            connection.execute(insert(workshop_votes).values(**row))
    assert store.vote_counts("s") == {"PP01": 1}


def test_one_request_sent_from_many_connections_at_once_counts_once(store_url: str) -> None:
    """A client retrying a slow request through several connections: one dot, every reply says placed."""
    Store(store_url).open_session("s", dots_per_person=5)
    barrier = threading.Barrier(8)
    results: list[bool] = []
    lock = threading.Lock()

    def send() -> None:
        own_store = Store(store_url)  # its own engine: its own connections, like another kernel
        barrier.wait()
        placed = own_store.add_vote("s", "PP01", "Dana", request_id="slow-click")
        with lock:
            results.append(placed)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [True] * 8
    assert Store(store_url).vote_counts("s") == {"PP01": 1}


# ------------------------------------------------------------------------------ busy store: retries


def _impatient_store(path: Path) -> tuple[Store, list[str]]:
    """A store on ``path`` whose connections give up on a lock at once (busy timeout 0), so that the
    retries of the store, not SQLite's own waiting, must carry a write through; and the list of the
    write transactions it begins."""
    store = Store(sqlite_url(path))
    store.open_session("s")
    store.engine.dispose()

    def no_waiting(dbapi_connection, _record) -> None:  # noqa: ANN001 - SQLAlchemy's event signature
        dbapi_connection.execute("PRAGMA busy_timeout=0")

    begun: list[str] = []

    def count_begins(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        if statement.startswith("BEGIN IMMEDIATE"):
            begun.append(statement)

    event.listen(store.engine, "connect", no_waiting)
    event.listen(store.engine, "before_cursor_execute", count_begins)
    return store, begun


def test_a_vote_that_finds_sqlite_locked_waits_and_is_counted_once(tmp_path: Path) -> None:
    store, begun = _impatient_store(tmp_path / "store.sqlite")
    other_writer = sqlite3.connect(tmp_path / "store.sqlite", isolation_level=None, check_same_thread=False)
    other_writer.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
    releasing = threading.Thread(target=lambda: (time.sleep(0.3), other_writer.execute("COMMIT")))
    releasing.start()
    try:
        assert store.add_vote("s", "PP01", "Dana")
    finally:
        releasing.join()
        other_writer.close()
    assert len(begun) >= 2  # it found the lock taken and tried again
    assert store.vote_counts("s") == {"PP01": 1}


def test_a_store_that_stays_locked_gives_a_clear_error_and_saves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(retries, "WRITE_ATTEMPTS", 3)
    store, begun = _impatient_store(tmp_path / "store.sqlite")
    other_writer = sqlite3.connect(tmp_path / "store.sqlite", isolation_level=None)
    other_writer.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreBusyError, match=r"stayed busy through 3 tries of cast_vote .*nothing was saved"):
            store.add_vote("s", "PP01", "Dana")
    finally:
        other_writer.execute("ROLLBACK")
        other_writer.close()
    assert len(begun) == 3
    assert store.vote_counts("s") == {}


def test_a_postgresql_serialization_failure_counts_as_a_busy_store(postgres_url: str) -> None:
    """A real conflict on the server: two REPEATABLE READ transactions change one row."""
    store = Store(postgres_url)
    store.open_session("s")
    first = store.engine.connect().execution_options(isolation_level="REPEATABLE READ")
    second = store.engine.connect()
    try:
        first.execute(text("SELECT revision FROM workshop_sessions")).all()  # takes its snapshot
        second.execute(text("UPDATE workshop_sessions SET revision = revision + 1"))
        second.commit()
        with pytest.raises(DBAPIError) as raised:
            first.execute(text("UPDATE workshop_sessions SET revision = revision + 1"))
        assert raised.value.orig.sqlstate == "40001"
        assert is_transient_write_error(raised.value)
    finally:
        first.rollback()
        first.close()
        second.close()


def test_a_real_mistake_is_not_retried(store: Store) -> None:
    with pytest.raises(DBAPIError) as raised:
        with store.engine.connect() as connection:
            connection.execute(text("SELECT * FROM no_such_table"))
    assert not is_transient_write_error(raised.value)
