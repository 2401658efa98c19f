"""Workshop sessions and the people in them: a session is made on first use, people join by name.

Live workshop sessions (issue 6): people, dot votes per round, "How might we…" statements and
impact × effort placements. Many kernels (one per person in Voila) write at once, so every
write to a session runs in one transaction that first bumps the session's ``revision``: on
SQLite under ``BEGIN IMMEDIATE`` (the write lock), on PostgreSQL as a row lock on the session.
Writes to one session are thereby serialised and the dots budget holds across processes.
Votes, statements and placements are appended; a withdrawn vote is marked, never deleted;
only the session row itself (lock, round, dots, revision) is updated in place.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from workbench.storage.connection import StoreConnection
from workbench.storage.retries import retry_busy_writes
from workbench.storage.tables import workshop_people, workshop_sessions
from workbench.storage.workshop_rules import (
    DEFAULT_DOTS_PER_PERSON,
    WorkshopActionError,
    _clean_person_name,
    _clean_session_name,
    person_key,
)


@dataclass(frozen=True)
class WorkshopSession:
    """One workshop session as stored.

    Attributes:
        name: the session's name (unique in the store).
        locked: votes are frozen (the facilitator locked voting).
        round: the current voting round (1, 2, …); each round gives everyone fresh dots.
        dots_per_person: dots each person may spend per round.
        revision: grows with every write to the session; kernels poll it to see changes.
        votes_hidden: participants see only their own dots until the facilitator reveals the votes.
        notes_private: participants see only their own statements until the facilitator reveals them.
        round_ends_at: when the round timer runs out (UTC), or None when no timer runs.
        close_at_time_up: votes are refused once the timer ran out.
        facilitated: the session has a facilitator token: facilitator actions need it.

    Example:
        >>> WorkshopSession("kick-off", False, 1, 5, 0).dots_per_person
        5
        >>> WorkshopSession("kick-off", False, 1, 5, 0, votes_hidden=True).votes_hidden
        True
    """

    name: str
    locked: bool
    round: int
    dots_per_person: int
    revision: int
    votes_hidden: bool = False
    notes_private: bool = False
    round_ends_at: datetime | None = None
    close_at_time_up: bool = False
    facilitated: bool = False

    def seconds_left(self, now: datetime | None = None) -> float | None:
        """Seconds until the round timer runs out (0 once it has), or None when no timer runs.

        Example:
            >>> from datetime import timedelta
            >>> now = datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc)
            >>> WorkshopSession("s", False, 1, 5, 0, round_ends_at=now + timedelta(minutes=2)).seconds_left(now)
            120.0
            >>> WorkshopSession("s", False, 1, 5, 0).seconds_left(now) is None
            True
        """
        if self.round_ends_at is None:
            return None
        now = now or datetime.now(timezone.utc)
        return max(0.0, (_as_utc(self.round_ends_at) - now).total_seconds())

    @property
    def time_is_up(self) -> bool:
        """The round timer has run out (False when no timer runs)."""
        left = self.seconds_left()
        return left is not None and left <= 0


def _as_utc(moment: datetime) -> datetime:
    """A stored time as an aware UTC datetime (SQLite gives them back without a time zone)."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def _session_from_row(row: Any) -> WorkshopSession:
    ends_at = row["round_ends_at"]
    return WorkshopSession(str(row["name"]), bool(row["locked"]), int(row["round"]), int(row["dots_per_person"]),
                           int(row["revision"]), votes_hidden=bool(row["votes_hidden"]),
                           notes_private=bool(row["notes_private"]),
                           round_ends_at=None if ends_at is None else _as_utc(ends_at),
                           close_at_time_up=bool(row["close_at_time_up"]),
                           facilitated=bool(row["facilitator_token_hash"]))


class WorkshopSessionsMixin(StoreConnection):
    """Workshop sessions and people, the base of the other workshop mixins of :class:`Store`.

    A session is named by a string and created on first use with
    ``DEFAULT_DOTS_PER_PERSON`` dots per person. People are matched by name, ignoring case
    and extra spaces (:func:`person_key`).

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from workbench.storage.store import Store, sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
        >>> store.join("kick-off", "Dana"), store.open_session("kick-off").dots_per_person
        ('Dana', 5)
    """

    # ------------------------------------------------------------------ sessions

    @retry_busy_writes
    def open_session(self, session: str, dots_per_person: int | None = None) -> WorkshopSession:
        """The session named ``session``, created if new (idempotent).

        ``dots_per_person`` applies only when the session is created; change it later with
        :meth:`set_dots_per_person`.

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
            >>> store.open_session("kick-off", dots_per_person=3).dots_per_person
            3
            >>> store.open_session("kick-off").round
            1
        """
        name = _clean_session_name(session)
        if dots_per_person is not None and int(dots_per_person) < 1:
            raise WorkshopActionError(f"dots per person must be at least 1; got {dots_per_person!r}")
        row = self._workshop_session_row(name)
        if row is None:
            try:
                with self._write_transaction() as connection:
                    connection.execute(insert(workshop_sessions).values(
                        name=name, locked=False, round=1, revision=0, created_at=datetime.now(timezone.utc),
                        votes_hidden=False, notes_private=False, close_at_time_up=False,
                        dots_per_person=int(dots_per_person or DEFAULT_DOTS_PER_PERSON),
                    ))
            except IntegrityError:  # another kernel created it a moment ago
                pass
            row = self._workshop_session_row(name)
        assert row is not None
        return _session_from_row(row)

    def session_info(self, session: str) -> WorkshopSession:
        """The session's state now (lock, round, dots, revision); created if new.

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
            >>> Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite")).session_info("s").locked
            False
        """
        return self.open_session(session)

    def revision(self, session: str) -> int:
        """A number that grows with every write to the session: poll it to see others' actions.

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> before = store.revision("s"); _ = store.add_vote("s", "PP01", "Dana")
            >>> store.revision("s") > before
            True
        """
        return self.open_session(session).revision

    # ------------------------------------------------------------------ people

    @retry_busy_writes
    def join(self, session: str, name: str) -> str:
        """Add a person to the session (idempotent); return their name as first typed.

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> store.join("s", "Dana  Lee"), store.join("s", "dana lee"), store.people("s")
            ('Dana Lee', 'Dana Lee', ['Dana Lee'])
        """
        cleaned = _clean_person_name(name)
        with self._workshop_write(session) as (connection, row):
            return self._workshop_person(connection, row["session_id"], cleaned)[1]

    def people(self, session: str) -> list[str]:
        """Everyone who joined the session, in the order they joined.

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
            >>> Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite")).people("s")
            []
        """
        session_id = self.open_session_id(session)
        query = (select(workshop_people.c.name).where(workshop_people.c.session_id == session_id)
                 .order_by(workshop_people.c.person_id))
        with self.engine.connect() as connection:
            return [str(name) for name in connection.execute(query).scalars()]

    # ------------------------------------------------------------------ internals

    def open_session_id(self, session: str) -> int:
        """The store's id of a session (created if new).

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
            >>> Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite")).open_session_id("s")
            1
        """
        name = _clean_session_name(session)
        cache: dict[str, int] = self.__dict__.setdefault("_workshop_session_ids", {})
        if name not in cache:
            self.open_session(name)
            row = self._workshop_session_row(name)
            assert row is not None
            cache[name] = int(row["session_id"])
        return cache[name]

    def _workshop_session_row(self, name: str) -> Any:
        with self.engine.connect() as connection:
            return connection.execute(
                select(workshop_sessions).where(workshop_sessions.c.name == name)
            ).mappings().first()

    @contextlib.contextmanager
    def _workshop_write(self, session: str) -> Iterator[tuple[Connection, Any]]:
        """One write transaction on a session, serialised with every other write to it.

        SQLite: ``BEGIN IMMEDIATE`` takes the database write lock before anything is read
        (waiting up to the busy timeout). PostgreSQL and others: the first statement updates
        the session row, which locks it until commit. Either way, what the body reads cannot
        change before it commits.
        """
        session_id = self.open_session_id(session)
        with self.engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                connection.execute(update(workshop_sessions).where(workshop_sessions.c.session_id == session_id)
                                   .values(revision=workshop_sessions.c.revision + 1))
                row = connection.execute(
                    select(workshop_sessions).where(workshop_sessions.c.session_id == session_id)
                ).mappings().one()
                yield connection, row
                connection.commit()
            except BaseException:
                connection.rollback()
                raise

    @staticmethod
    def _workshop_person(connection: Connection, session_id: int, name: str) -> tuple[int, str]:
        """(person id, name as first typed) of ``name`` in a session, adding the person if new."""
        key = person_key(name)
        found = connection.execute(
            select(workshop_people.c.person_id, workshop_people.c.name).where(
                workshop_people.c.session_id == session_id, workshop_people.c.name_key == key)
        ).first()
        if found is not None:
            return int(found[0]), str(found[1])
        result = connection.execute(insert(workshop_people).values(
            session_id=session_id, name=name, name_key=key, joined_at=datetime.now(timezone.utc)))
        return int(result.inserted_primary_key[0]), name
