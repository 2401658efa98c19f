"""The shared store: what people do to a study (pain-point edits now; codes, votes and notes later).

SQLite file by default (WAL, busy timeout), any SQLAlchemy URL (PostgreSQL) for teams.
Rows are only ever appended: an edit is undone by a newer edit, never by deleting
history, so nothing a researcher did is lost to a re-run.
"""
from __future__ import annotations

import functools
import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, create_engine, event, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from workbench.errors import WorkbenchError
from workbench.sqlite_wal import enable_wal

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


# --- safe writes
# Many kernels write at once. A write that found the store busy (SQLite: "database is locked" after
# the busy timeout; PostgreSQL: a serialization failure, a deadlock, no free connection) has not
# committed anything, so it is run again after a random, growing pause. Writes that may be retried
# by a client after an unknown outcome (a lost reply) take a ``request_id`` instead (see add_vote).

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


# --- workshop
# Live workshop sessions (issue 6): people, dot votes per round, "How might we…" statements and
# impact × effort placements. Many kernels (one per person in Voila) write at once, so every
# write to a session runs in one transaction that first bumps the session's ``revision``: on
# SQLite under ``BEGIN IMMEDIATE`` (the write lock), on PostgreSQL as a row lock on the session.
# Writes to one session are thereby serialised and the dots budget holds across processes.
# Votes, statements and placements are appended; a withdrawn vote is marked, never deleted;
# only the session row itself (lock, round, dots, revision) is updated in place.

import contextlib  # noqa: E402 - this section is appended to the module
from collections.abc import Iterator, Sequence  # noqa: E402

from sqlalchemy import Boolean, Float, ForeignKey, Index, UniqueConstraint, func, update  # noqa: E402
from sqlalchemy.engine import Connection  # noqa: E402
from sqlalchemy.exc import IntegrityError  # noqa: E402

#: dots each person gets per voting round unless the session says otherwise
DEFAULT_DOTS_PER_PERSON = 5
#: the impact × effort scale (1 = low, 5 = high)
PLACEMENT_SCALE = (1.0, 5.0)
MAX_NAME_LENGTH = 60
MAX_STATEMENT_LENGTH = 500
MAX_REQUEST_ID_LENGTH = 64
#: the session a workshop uses unless told otherwise (``WORKBENCH_SESSION``)
DEFAULT_WORKSHOP_SESSION = "workshop"
#: the longest round timer a facilitator may start, in minutes
MAX_TIMER_MINUTES = 240
#: quote ids one statement may cite
MAX_QUOTES_CITED = 20

workshop_sessions = Table(
    "workshop_sessions",
    metadata,
    Column("session_id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("locked", Boolean, nullable=False, default=False),
    Column("round", Integer, nullable=False, default=1),
    Column("dots_per_person", Integer, nullable=False, default=DEFAULT_DOTS_PER_PERSON),
    Column("revision", Integer, nullable=False, default=0),  # bumped by every write: kernels poll it
    Column("created_at", DateTime(timezone=True), nullable=False),
    # facilitation (schema version 3); nullable so that an upgrade can add them to existing rows (NULL = off)
    Column("votes_hidden", Boolean, nullable=True, default=False),  # participants see only their own dots
    Column("notes_private", Boolean, nullable=True, default=False),  # participants see only their own statements
    Column("round_ends_at", DateTime(timezone=True), nullable=True),  # the round timer's end (UTC), NULL: none
    Column("close_at_time_up", Boolean, nullable=True, default=False),  # votes are refused once the timer ran out
    Column("facilitator_token_hash", String(64), nullable=True),  # sha256 of the facilitator link's token
)

workshop_people = Table(
    "workshop_people",
    metadata,
    Column("person_id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", Integer, ForeignKey("workshop_sessions.session_id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),  # as first typed
    Column("name_key", String(200), nullable=False),  # casefolded, spaces collapsed: "Dana" == " dana "
    Column("joined_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("session_id", "name_key", name="uq_workshop_people_name"),
)

workshop_votes = Table(
    "workshop_votes",
    metadata,
    Column("vote_id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", Integer, ForeignKey("workshop_sessions.session_id"), nullable=False, index=True),
    Column("round", Integer, nullable=False),
    Column("painpoint_id", String(64), nullable=False),
    Column("person_id", Integer, ForeignKey("workshop_people.person_id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("withdrawn_at", DateTime(timezone=True), nullable=True),
    # the client's ids of the requests that placed / took back this dot (schema version 2): a request
    # retried after a lost reply finds its vote here instead of spending a second dot
    Column("request_id", String(MAX_REQUEST_ID_LENGTH), nullable=True),
    Column("withdraw_request_id", String(MAX_REQUEST_ID_LENGTH), nullable=True),
    Index("uq_workshop_votes_request", "session_id", "request_id", unique=True),
    Index("uq_workshop_votes_withdraw_request", "session_id", "withdraw_request_id", unique=True),
)

workshop_statements = Table(
    "workshop_statements",
    metadata,
    Column("statement_id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", Integer, ForeignKey("workshop_sessions.session_id"), nullable=False, index=True),
    Column("painpoint_id", String(64), nullable=False),
    Column("author", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("request_id", String(MAX_REQUEST_ID_LENGTH), nullable=True),  # schema version 2, as on votes
    Column("quote_ids", Text, nullable=True),  # schema version 3: JSON list of the passage ids the statement cites
    Column("round", Integer, nullable=True),  # schema version 3: the voting round it was written in
    Index("uq_workshop_statements_request", "session_id", "request_id", unique=True),
)

workshop_placements = Table(
    "workshop_placements",
    metadata,
    Column("placement_id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", Integer, ForeignKey("workshop_sessions.session_id"), nullable=False, index=True),
    Column("painpoint_id", String(64), nullable=False),
    Column("person_id", Integer, ForeignKey("workshop_people.person_id"), nullable=True),  # NULL: the consensus
    Column("impact", Float, nullable=False),
    Column("effort", Float, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


class WorkshopActionError(WorkbenchError):
    """A workshop action that cannot be done as asked (empty name, impact out of range…).

    Example:
        >>> str(WorkshopActionError("type your name (1-60 characters) to join"))
        'type your name (1-60 characters) to join'
    """


class FacilitatorOnlyError(WorkshopActionError):
    """A facilitator action (hide votes, timer, lock…) asked without the session's facilitator token.

    Example:
        >>> isinstance(FacilitatorOnlyError("only the facilitator can lock voting"), WorkshopActionError)
        True
    """


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


@dataclass(frozen=True)
class VoteOutcome:
    """What happened to one vote: placed, or refused and why.

    Attributes:
        placed: the dot was placed.
        reason: ``None`` when placed, else ``"no dots left"``, ``"voting is locked"`` or ``"time is up"``
            (the facilitator's round timer ran out and closes voting).
        votes_left: the voter's dots left in this round after the attempt.

    Example:
        >>> VoteOutcome(False, "no dots left", 0).reason
        'no dots left'
    """

    placed: bool
    reason: str | None
    votes_left: int


@dataclass(frozen=True)
class HmwStatement:
    """A "How might we…" statement attached to a pain point, citing quotes (passage ids) of it.

    Example:
        >>> HmwStatement(1, "PP01", "Dana", "How might we confirm every payment?").author
        'Dana'
        >>> HmwStatement(1, "PP01", "Dana", "How might we?", quote_ids=("a-1",), round=2).quote_ids
        ('a-1',)
    """

    statement_id: int
    painpoint_id: str
    author: str
    text: str
    created_at: datetime | None = None
    quote_ids: tuple[str, ...] = ()
    round: int | None = None  # None: written before statements recorded their round


@dataclass(frozen=True)
class Placement:
    """Where a person (or, with ``voter=None``, the group's consensus) put a pain point on the
    impact × effort board, both on the scale 1 (low) to 5 (high).

    Example:
        >>> Placement("PP01", "Dana", 4.0, 2.0).voter
        'Dana'
    """

    painpoint_id: str
    voter: str | None
    impact: float
    effort: float


def person_key(name: str) -> str:
    """How a person's name is matched: spaces collapsed, case ignored.

    Example:
        >>> person_key("  Dana   Lee ") == person_key("dana lee")
        True
    """
    return " ".join(str(name).split()).casefold()


def _clean_person_name(name: str | None) -> str:
    cleaned = " ".join(str(name or "").split())
    if not cleaned or len(cleaned) > MAX_NAME_LENGTH:
        raise WorkshopActionError(f"type your name (1-{MAX_NAME_LENGTH} characters) to join the workshop; got {name!r}")
    return cleaned


def _clean_painpoint_id(painpoint_id: str) -> str:
    cleaned = str(painpoint_id or "").strip()
    if not cleaned or len(cleaned) > 64:
        raise WorkshopActionError(f"pain point id {painpoint_id!r} is empty or too long; pass an id of painpoints.parquet")
    return cleaned


def _clean_session_name(session: str) -> str:
    cleaned = " ".join(str(session or "").split())
    if not cleaned or len(cleaned) > 200:
        raise WorkshopActionError(f"workshop session name {session!r} must be 1-200 characters; pass e.g. 'kick-off'")
    return cleaned


def _as_utc(moment: datetime) -> datetime:
    """A stored time as an aware UTC datetime (SQLite gives them back without a time zone)."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def token_hash(token: str) -> str:
    """What the store keeps of a facilitator token: its SHA-256, never the token itself.

    Example:
        >>> len(token_hash("s3cret")), token_hash("s3cret") == token_hash("s3cret")
        (64, True)
    """
    import hashlib

    return hashlib.sha256(str(token).encode("utf-8")).hexdigest()


def _token_matches(stored_hash: str | None, token: str | None) -> bool:
    """Whether ``token`` opens a session guarded by ``stored_hash`` (every token opens an unguarded one)."""
    import hmac

    if not stored_hash:
        return True
    return bool(token) and hmac.compare_digest(str(stored_hash), token_hash(str(token)))


def _require_facilitator(row: Any, token: str | None, doing: str) -> None:
    if not _token_matches(row["facilitator_token_hash"], token):
        raise FacilitatorOnlyError(
            f"only the facilitator can {doing} in workshop {row['name']!r}: open the facilitator link "
            "that `workbench workshop` printed (it carries ?facilitator=…)"
        )


def _clean_quote_ids(quote_ids: Any) -> list[str]:
    cleaned = [str(q).strip() for q in (quote_ids or ()) if str(q).strip()]
    if len(cleaned) > MAX_QUOTES_CITED or any(len(q) > 200 for q in cleaned):
        raise WorkshopActionError(f"a statement cites at most {MAX_QUOTES_CITED} quote ids of up to 200 characters")
    return list(dict.fromkeys(cleaned))


def _clean_request_id(request_id: str | None) -> str | None:
    if request_id is None:
        return None
    cleaned = str(request_id).strip()
    if not cleaned or len(cleaned) > MAX_REQUEST_ID_LENGTH:
        raise WorkshopActionError(
            f"request id {request_id!r} must be 1-{MAX_REQUEST_ID_LENGTH} characters; pass e.g. str(uuid.uuid4()), "
            "one per user action, the same one when the action is retried"
        )
    return cleaned


def _on_scale(name: str, value: float) -> float:
    low, high = PLACEMENT_SCALE
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not low <= number <= high:
        raise WorkshopActionError(f"{name} must be a number from {low:g} (low) to {high:g} (high); got {value!r}")
    return number


class WorkshopStoreMixin:
    """The workshop methods of :class:`Store` (a base class of it; use them on a ``Store``).

    A session is named by a string and created on first use with
    ``DEFAULT_DOTS_PER_PERSON`` dots per person. People are matched by name, ignoring case
    and extra spaces (:func:`person_key`).

    Example:
        >>> import tempfile
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
        >>> store.add_vote("kick-off", "PP01", "Dana"), store.add_vote("kick-off", "PP01", "Lee")
        (True, True)
        >>> store.vote_counts("kick-off"), store.votes_left("kick-off", "dana")
        ({'PP01': 2}, 4)
    """

    engine: Engine

    # ------------------------------------------------------------------ sessions

    @retry_busy_writes
    def open_session(self, session: str, dots_per_person: int | None = None) -> WorkshopSession:
        """The session named ``session``, created if new (idempotent).

        ``dots_per_person`` applies only when the session is created; change it later with
        :meth:`set_dots_per_person`.

        Example:
            >>> import tempfile
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
            >>> Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite")).session_info("s").locked
            False
        """
        return self.open_session(session)

    def revision(self, session: str) -> int:
        """A number that grows with every write to the session: poll it to see others' actions.

        Example:
            >>> import tempfile
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> before = store.revision("s"); _ = store.add_vote("s", "PP01", "Dana")
            >>> store.revision("s") > before
            True
        """
        return self.open_session(session).revision

    @retry_busy_writes
    def lock_voting(self, session: str, locked: bool = True, facilitator_token: str | None = None) -> WorkshopSession:
        """Freeze (or, with ``locked=False``, reopen) voting: locked votes cannot be added or taken back.

        Like every facilitator action, it needs ``facilitator_token`` once the session has one
        (:meth:`set_facilitator_token`); else it raises :class:`FacilitatorOnlyError`.

        Example:
            >>> import tempfile
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> _ = store.lock_voting("s")
            >>> store.add_vote("s", "PP01", "Dana")
            False
        """
        with self._workshop_write(session) as (connection, row):
            _require_facilitator(row, facilitator_token, "lock or unlock voting")
            connection.execute(update(workshop_sessions).where(
                workshop_sessions.c.session_id == row["session_id"]).values(locked=bool(locked)))
        return self.open_session(session)

    @retry_busy_writes
    def new_round(self, session: str, facilitator_token: str | None = None) -> int:
        """Start the next voting round (everyone gets fresh dots, voting reopens, the timer stops); return its number.

        Votes of earlier rounds stay in the store (``vote_counts(session, round=1)``).

        Example:
            >>> import tempfile
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> _ = store.add_vote("s", "PP01", "Dana")
            >>> store.new_round("s"), store.vote_counts("s"), store.vote_counts("s", round=1)
            (2, {}, {'PP01': 1})
        """
        with self._workshop_write(session) as (connection, row):
            _require_facilitator(row, facilitator_token, "start a new round")
            number = int(row["round"]) + 1
            connection.execute(update(workshop_sessions).where(
                workshop_sessions.c.session_id == row["session_id"]).values(round=number, locked=False,
                                                                            round_ends_at=None))
        return number

    @retry_busy_writes
    def set_dots_per_person(self, session: str, dots: int, facilitator_token: str | None = None) -> WorkshopSession:
        """Change how many dots each person has per round (dots already spent stay spent).

        Example:
            >>> import tempfile
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> store.set_dots_per_person("s", 3).dots_per_person, store.votes_left("s", "Dana")
            (3, 3)
        """
        if int(dots) < 1:
            raise WorkshopActionError(f"dots per person must be at least 1; got {dots!r}")
        with self._workshop_write(session) as (connection, row):
            _require_facilitator(row, facilitator_token, "change the dots per person")
            connection.execute(update(workshop_sessions).where(
                workshop_sessions.c.session_id == row["session_id"]).values(dots_per_person=int(dots)))
        return self.open_session(session)

    # ------------------------------------------------------------------ facilitation

    @retry_busy_writes
    def set_facilitator_token(self, session: str, token: str | None) -> WorkshopSession:
        """Guard the session's facilitator actions with ``token`` (its hash is stored); ``None`` unguards it.

        Whoever serves the workshop calls this (``workbench workshop`` does, with a fresh random
        token it prints in the facilitator link); it replaces any earlier token of the session.

        Example:
            >>> import tempfile
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> store.set_facilitator_token("s", "s3cret-0123456789").facilitated
            True
            >>> store.is_facilitator("s", "s3cret-0123456789"), store.is_facilitator("s", "guess"), store.is_facilitator("s", None)
            (True, False, False)
            >>> store.lock_voting("s", facilitator_token="guess")
            Traceback (most recent call last):
            ...
            workbench.store.FacilitatorOnlyError: only the facilitator can lock or unlock voting in workshop 's': open the facilitator link that `workbench workshop` printed (it carries ?facilitator=…)
        """
        if token is not None and len(str(token).strip()) < 16:
            raise WorkshopActionError("a facilitator token must be at least 16 characters; use secrets.token_urlsafe()")
        stored = None if token is None else token_hash(str(token).strip())
        with self._workshop_write(session) as (connection, row):
            connection.execute(update(workshop_sessions).where(
                workshop_sessions.c.session_id == row["session_id"]).values(facilitator_token_hash=stored))
        return self.open_session(session)

    def is_facilitator(self, session: str, token: str | None) -> bool:
        """Whether ``token`` opens the session's facilitator actions (any does when it has no token).

        Example:
            >>> import tempfile
            >>> Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite")).is_facilitator("s", None)
            True
        """
        row = self._workshop_session_row(_clean_session_name(session))  # a session not made yet is unguarded
        return _token_matches(None if row is None else row["facilitator_token_hash"], token)

    @retry_busy_writes
    def hide_votes(self, session: str, hidden: bool = True, facilitator_token: str | None = None) -> WorkshopSession:
        """Hide the votes (participants see only their own dots) or, with ``hidden=False``, reveal them to all.

        Example:
            >>> import tempfile
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> store.hide_votes("s").votes_hidden, store.hide_votes("s", False).votes_hidden
            (True, False)
        """
        with self._workshop_write(session) as (connection, row):
            _require_facilitator(row, facilitator_token, "hide or reveal the votes")
            connection.execute(update(workshop_sessions).where(
                workshop_sessions.c.session_id == row["session_id"]).values(votes_hidden=bool(hidden)))
        return self.open_session(session)

    @retry_busy_writes
    def set_notes_private(self, session: str, private: bool = True,
                          facilitator_token: str | None = None) -> WorkshopSession:
        """Keep "How might we…" statements private (each participant sees only their own) or reveal them all.

        Example:
            >>> import tempfile
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> store.set_notes_private("s").notes_private
            True
        """
        with self._workshop_write(session) as (connection, row):
            _require_facilitator(row, facilitator_token, "make statements private or reveal them")
            connection.execute(update(workshop_sessions).where(
                workshop_sessions.c.session_id == row["session_id"]).values(notes_private=bool(private)))
        return self.open_session(session)

    @retry_busy_writes
    def start_timer(self, session: str, minutes: float, close_voting: bool = False,
                    facilitator_token: str | None = None) -> WorkshopSession:
        """Start a round timer of ``minutes`` from now (UTC, this server's clock): every app counts down to
        the same moment. With ``close_voting``, the store refuses votes and take-backs once it ran out.

        Example:
            >>> import tempfile
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> 119 < store.start_timer("s", 2).seconds_left() <= 120
            True
            >>> store.start_timer("s", 0)
            Traceback (most recent call last):
            ...
            workbench.store.WorkshopActionError: a round timer runs 0.1-240 minutes; got 0
        """
        try:
            length = float(minutes)
        except (TypeError, ValueError):
            length = float("nan")
        if not 0.1 <= length <= MAX_TIMER_MINUTES:
            raise WorkshopActionError(f"a round timer runs 0.1-{MAX_TIMER_MINUTES} minutes; got {minutes!r}")
        from datetime import timedelta

        with self._workshop_write(session) as (connection, row):
            _require_facilitator(row, facilitator_token, "start the round timer")
            connection.execute(update(workshop_sessions).where(
                workshop_sessions.c.session_id == row["session_id"]).values(
                round_ends_at=datetime.now(timezone.utc) + timedelta(minutes=length),
                close_at_time_up=bool(close_voting)))
        return self.open_session(session)

    @retry_busy_writes
    def stop_timer(self, session: str, facilitator_token: str | None = None) -> WorkshopSession:
        """Stop the round timer (voting it closed opens again).

        Example:
            >>> import tempfile
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> _ = store.start_timer("s", 5); store.stop_timer("s").round_ends_at is None
            True
        """
        with self._workshop_write(session) as (connection, row):
            _require_facilitator(row, facilitator_token, "stop the round timer")
            connection.execute(update(workshop_sessions).where(
                workshop_sessions.c.session_id == row["session_id"]).values(round_ends_at=None,
                                                                            close_at_time_up=False))
        return self.open_session(session)

    # ------------------------------------------------------------------ people

    @retry_busy_writes
    def join(self, session: str, name: str) -> str:
        """Add a person to the session (idempotent); return their name as first typed.

        Example:
            >>> import tempfile
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
            >>> Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite")).people("s")
            []
        """
        session_id = self.open_session_id(session)
        query = (select(workshop_people.c.name).where(workshop_people.c.session_id == session_id)
                 .order_by(workshop_people.c.person_id))
        with self.engine.connect() as connection:
            return [str(name) for name in connection.execute(query).scalars()]

    # ------------------------------------------------------------------ votes

    @retry_busy_writes
    def cast_vote(self, session: str, painpoint_id: str, voter: str, request_id: str | None = None) -> VoteOutcome:
        """Place one of ``voter``'s dots on a pain point, unless they have none left or voting is locked.

        The check and the insert are one transaction that holds the session's write lock, so
        concurrent kernels can never spend more dots than a person has. A person may put
        several dots on one pain point.

        ``request_id`` (optional, 1-64 characters, e.g. a UUID made when the person clicks) makes
        the vote idempotent: sending the same request again, say after a lost reply, reports the
        dot placed the first time and spends no second dot.

        Example:
            >>> import tempfile
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> _ = store.set_dots_per_person("s", 1)
            >>> store.cast_vote("s", "PP01", "Dana")
            VoteOutcome(placed=True, reason=None, votes_left=0)
            >>> store.cast_vote("s", "PP02", "Dana")
            VoteOutcome(placed=False, reason='no dots left', votes_left=0)
        """
        painpoint = _clean_painpoint_id(painpoint_id)
        cleaned = _clean_person_name(voter)
        request = _clean_request_id(request_id)
        with self._workshop_write(session) as (connection, row):
            person_id, _name = self._workshop_person(connection, row["session_id"], cleaned)
            used = self._workshop_dots_used(connection, row["session_id"], int(row["round"]), person_id)
            left = max(0, int(row["dots_per_person"]) - used)
            if request is not None:
                done = connection.execute(select(workshop_votes.c.painpoint_id, workshop_votes.c.person_id).where(
                    workshop_votes.c.session_id == row["session_id"], workshop_votes.c.request_id == request)).first()
                if done is not None:
                    _same_request(request, (str(done[0]), int(done[1])), (painpoint, person_id))
                    return VoteOutcome(True, None, left)  # a retry: the dot was placed the first time
            if row["locked"]:
                return VoteOutcome(False, "voting is locked", left)
            if _time_is_up(row):
                return VoteOutcome(False, "time is up", left)
            if left <= 0:
                return VoteOutcome(False, "no dots left", 0)
            connection.execute(insert(workshop_votes).values(
                session_id=row["session_id"], round=int(row["round"]), painpoint_id=painpoint,
                person_id=person_id, created_at=datetime.now(timezone.utc), request_id=request,
            ))
            return VoteOutcome(True, None, left - 1)

    def add_vote(self, session: str, painpoint_id: str, voter: str, request_id: str | None = None) -> bool:
        """Place one of ``voter``'s dots on a pain point; ``False`` when refused (no dots left,
        voting locked). See :meth:`cast_vote` for the reason and for ``request_id``.

        Example:
            >>> import tempfile
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> [store.add_vote("s", "PP01", "Dana") for _ in range(6)]
            [True, True, True, True, True, False]
            >>> store.add_vote("s", "PP02", "Lee", request_id="c1"), store.add_vote("s", "PP02", "Lee", request_id="c1")
            (True, True)
            >>> store.vote_counts("s")
            {'PP01': 5, 'PP02': 1}
        """
        return self.cast_vote(session, painpoint_id, voter, request_id=request_id).placed

    @retry_busy_writes
    def remove_vote(self, session: str, painpoint_id: str, voter: str, request_id: str | None = None) -> bool:
        """Take back one of ``voter``'s dots on a pain point in this round; ``False`` when they had
        none there or voting is locked.

        With a ``request_id``, the same request sent again takes back nothing more and answers True.

        Example:
            >>> import tempfile
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> _ = store.add_vote("s", "PP01", "Dana")
            >>> store.remove_vote("s", "PP01", "Dana"), store.remove_vote("s", "PP01", "Dana")
            (True, False)
        """
        painpoint = _clean_painpoint_id(painpoint_id)
        cleaned = _clean_person_name(voter)
        request = _clean_request_id(request_id)
        with self._workshop_write(session) as (connection, row):
            if request is not None:
                done = connection.execute(select(workshop_votes.c.painpoint_id, workshop_votes.c.person_id).where(
                    workshop_votes.c.session_id == row["session_id"],
                    workshop_votes.c.withdraw_request_id == request)).first()
                if done is not None:
                    person_id = self._workshop_person(connection, row["session_id"], cleaned)[0]
                    _same_request(request, (str(done[0]), int(done[1])), (painpoint, person_id))
                    return True  # a retry: the dot was taken back the first time
            if row["locked"] or _time_is_up(row):
                return False
            person_id, _name = self._workshop_person(connection, row["session_id"], cleaned)
            latest = connection.execute(
                select(func.max(workshop_votes.c.vote_id)).where(
                    workshop_votes.c.session_id == row["session_id"],
                    workshop_votes.c.round == int(row["round"]),
                    workshop_votes.c.painpoint_id == painpoint,
                    workshop_votes.c.person_id == person_id,
                    workshop_votes.c.withdrawn_at.is_(None),
                )
            ).scalar()
            if latest is None:
                return False
            connection.execute(update(workshop_votes).where(workshop_votes.c.vote_id == latest)
                               .values(withdrawn_at=datetime.now(timezone.utc), withdraw_request_id=request))
            return True

    def vote_counts(self, session: str, round: int | None = None) -> dict[str, int]:  # noqa: A002 - the users' word
        """Dots per pain point in the current round (or in ``round``); pain points without dots are absent.

        Example:
            >>> import tempfile
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> for name, painpoint in [("Dana", "PP02"), ("Lee", "PP02"), ("Lee", "PP01")]:
            ...     _ = store.add_vote("s", painpoint, name)
            >>> store.vote_counts("s")
            {'PP02': 2, 'PP01': 1}
        """
        counts = self._workshop_counts(session, round)
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def votes_of(self, session: str, voter: str, round: int | None = None) -> dict[str, int]:  # noqa: A002
        """``voter``'s dots per pain point in the current round (or in ``round``).

        Example:
            >>> import tempfile
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> _ = store.add_vote("s", "PP01", "Dana"); _ = store.add_vote("s", "PP01", "Dana")
            >>> store.votes_of("s", "dana"), store.votes_of("s", "Lee")
            ({'PP01': 2}, {})
        """
        return self._workshop_counts(session, round, voter=voter)

    def votes_left(self, session: str, voter: str) -> int:
        """How many dots ``voter`` may still spend in the current round.

        Example:
            >>> import tempfile
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> _ = store.add_vote("s", "PP01", "Dana")
            >>> store.votes_left("s", "Dana"), store.votes_left("s", "Someone new")
            (4, 5)
        """
        info = self.open_session(session)
        return max(0, info.dots_per_person - sum(self.votes_of(session, voter).values()))

    def dots_spent(self, session: str, round: int | None = None) -> dict[str, int]:  # noqa: A002
        """Dots each person spent in the current round (or ``round``), everyone who joined included.

        Example:
            >>> import tempfile
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> _ = store.join("s", "Lee"); _ = store.add_vote("s", "PP01", "Dana")
            >>> store.dots_spent("s")
            {'Lee': 0, 'Dana': 1}
        """
        info = self.open_session(session)
        session_id = self.open_session_id(session)
        number = info.round if round is None else int(round)
        votes = (
            select(workshop_votes.c.person_id, func.count().label("n"))
            .where(workshop_votes.c.session_id == session_id, workshop_votes.c.round == number,
                   workshop_votes.c.withdrawn_at.is_(None))
            .group_by(workshop_votes.c.person_id)
            .subquery()
        )
        query = (
            select(workshop_people.c.name, func.coalesce(votes.c.n, 0))
            .select_from(workshop_people.outerjoin(votes, votes.c.person_id == workshop_people.c.person_id))
            .where(workshop_people.c.session_id == session_id)
            .order_by(workshop_people.c.person_id)
        )
        with self.engine.connect() as connection:
            return {str(name): int(n) for name, n in connection.execute(query).all()}

    # ------------------------------------------------------------------ "How might we…" statements

    @retry_busy_writes
    def add_statement(self, session: str, painpoint_id: str, author: str, text: str,
                      request_id: str | None = None, quote_ids: Sequence[str] = ()) -> int:
        """Attach a "How might we…" statement to a pain point; return its id.

        ``quote_ids`` are the ids of the quotes (passages) the statement cites; the statement
        also records the voting round it was written in.

        Idempotent: the same author adding the same text to the same pain point again (a
        double click) gets the first statement's id back, and so does a request sent again
        with the same ``request_id`` (see :meth:`cast_vote`).

        Example:
            >>> import tempfile
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> first = store.add_statement("s", "PP01", "Dana", "How might we confirm every payment?")
            >>> first == store.add_statement("s", "PP01", "dana", "How might we confirm every payment? ")
            True
        """
        painpoint = _clean_painpoint_id(painpoint_id)
        cleaned_author = _clean_person_name(author)
        cleaned = " ".join(str(text or "").split())
        if not cleaned or len(cleaned) > MAX_STATEMENT_LENGTH:
            raise WorkshopActionError(
                f"a 'How might we…' statement must be 1-{MAX_STATEMENT_LENGTH} characters; got {len(cleaned)}"
            )
        request = _clean_request_id(request_id)
        quotes = _clean_quote_ids(quote_ids)
        with self._workshop_write(session) as (connection, row):
            _person_id, display = self._workshop_person(connection, row["session_id"], cleaned_author)
            if request is not None:
                done = connection.execute(
                    select(workshop_statements.c.statement_id, workshop_statements.c.painpoint_id,
                           workshop_statements.c.author, workshop_statements.c.text).where(
                        workshop_statements.c.session_id == row["session_id"],
                        workshop_statements.c.request_id == request)).first()
                if done is not None:
                    _same_request(request, (str(done[1]), str(done[2]), str(done[3])), (painpoint, display, cleaned))
                    return int(done[0])
            existing = connection.execute(
                select(workshop_statements.c.statement_id).where(
                    workshop_statements.c.session_id == row["session_id"],
                    workshop_statements.c.painpoint_id == painpoint,
                    workshop_statements.c.author == display,
                    workshop_statements.c.text == cleaned,
                )
            ).scalar()
            if existing is not None:
                return int(existing)
            result = connection.execute(insert(workshop_statements).values(
                session_id=row["session_id"], painpoint_id=painpoint, author=display, text=cleaned,
                created_at=datetime.now(timezone.utc), request_id=request, round=int(row["round"]),
                quote_ids=json.dumps(quotes) if quotes else None,
            ))
            return int(result.inserted_primary_key[0])

    def statements(self, session: str, painpoint_id: str | None = None) -> list[HmwStatement]:
        """The session's "How might we…" statements (of one pain point, or all), oldest first.

        Example:
            >>> import tempfile
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> _ = store.add_statement("s", "PP01", "Dana", "How might we confirm every payment?", quote_ids=["a-1"])
            >>> [(s.painpoint_id, s.author, s.quote_ids, s.round) for s in store.statements("s")]
            [('PP01', 'Dana', ('a-1',), 1)]
        """
        session_id = self.open_session_id(session)
        query = select(workshop_statements).where(workshop_statements.c.session_id == session_id)
        if painpoint_id is not None:
            query = query.where(workshop_statements.c.painpoint_id == str(painpoint_id))
        with self.engine.connect() as connection:
            rows = connection.execute(query.order_by(workshop_statements.c.statement_id)).mappings().all()
        return [HmwStatement(int(r["statement_id"]), str(r["painpoint_id"]), str(r["author"]), str(r["text"]),
                             r["created_at"], tuple(json.loads(r["quote_ids"]) if r["quote_ids"] else ()),
                             None if r["round"] is None else int(r["round"])) for r in rows]

    # ------------------------------------------------------------------ impact × effort

    @retry_busy_writes
    def place(self, session: str, painpoint_id: str, voter: str | None, impact: float, effort: float,
              facilitator_token: str | None = None) -> int:
        """Put a pain point on the impact × effort board (1 = low … 5 = high); return the placement id.

        Each person has one place per pain point: the latest wins. ``voter=None`` sets the
        group's consensus place (the facilitator's: it needs ``facilitator_token`` once the session
        has one), which the board shows instead of the mean.
        Placements are not tied to voting rounds or the voting lock.

        Example:
            >>> import tempfile
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> _ = store.place("s", "PP01", "Dana", impact=2, effort=4)
            >>> _ = store.place("s", "PP01", "Dana", impact=5, effort=1)
            >>> store.placements("s")
            [Placement(painpoint_id='PP01', voter='Dana', impact=5.0, effort=1.0)]
        """
        painpoint = _clean_painpoint_id(painpoint_id)
        impact_value, effort_value = _on_scale("impact", impact), _on_scale("effort", effort)
        cleaned = None if voter is None else _clean_person_name(voter)
        with self._workshop_write(session) as (connection, row):
            if cleaned is None:
                _require_facilitator(row, facilitator_token, "set the consensus place")
            person_id = None if cleaned is None else self._workshop_person(connection, row["session_id"], cleaned)[0]
            result = connection.execute(insert(workshop_placements).values(
                session_id=row["session_id"], painpoint_id=painpoint, person_id=person_id,
                impact=impact_value, effort=effort_value, created_at=datetime.now(timezone.utc),
            ))
            return int(result.inserted_primary_key[0])

    def placements(self, session: str) -> list[Placement]:
        """The latest place of every (pain point, person) on the board; ``voter`` is ``None`` for the consensus.

        Example:
            >>> import tempfile
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> _ = store.place("s", "PP01", None, impact=4, effort=2)
            >>> store.placements("s")[0].voter is None
            True
        """
        session_id = self.open_session_id(session)
        query = (
            select(workshop_placements.c.placement_id, workshop_placements.c.painpoint_id,
                   workshop_placements.c.person_id, workshop_placements.c.impact, workshop_placements.c.effort,
                   workshop_people.c.name)
            .select_from(workshop_placements.outerjoin(
                workshop_people, workshop_people.c.person_id == workshop_placements.c.person_id))
            .where(workshop_placements.c.session_id == session_id)
            .order_by(workshop_placements.c.placement_id)
        )
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        latest: dict[tuple[str, int | None], Placement] = {}
        for _id, painpoint, person_id, impact, effort, name in rows:
            key = (str(painpoint), None if person_id is None else int(person_id))
            latest.pop(key, None)  # re-insert so the order is that of the latest placements
            latest[key] = Placement(str(painpoint), None if name is None else str(name), float(impact), float(effort))
        return list(latest.values())

    # ------------------------------------------------------------------ internals

    def open_session_id(self, session: str) -> int:
        """The store's id of a session (created if new).

        Example:
            >>> import tempfile
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

    def _workshop_counts(self, session: str, round_number: int | None, voter: str | None = None) -> dict[str, int]:
        """Dots per pain point in a round (the current one by default), of everyone or of one voter."""
        info = self.open_session(session)
        query = (
            select(workshop_votes.c.painpoint_id, func.count().label("n"))
            .join(workshop_people, workshop_people.c.person_id == workshop_votes.c.person_id)
            .where(workshop_votes.c.session_id == self.open_session_id(session),
                   workshop_votes.c.round == (info.round if round_number is None else int(round_number)),
                   workshop_votes.c.withdrawn_at.is_(None))
            .group_by(workshop_votes.c.painpoint_id)
        )
        if voter is not None:
            query = query.where(workshop_people.c.name_key == person_key(voter))
        with self.engine.connect() as connection:
            return {str(p): int(n) for p, n in connection.execute(query).all()}

    def _workshop_session_row(self, name: str) -> Any:
        with self.engine.connect() as connection:
            return connection.execute(
                select(workshop_sessions).where(workshop_sessions.c.name == name)
            ).mappings().first()

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

    @staticmethod
    def _workshop_dots_used(connection: Connection, session_id: int, round_number: int, person_id: int) -> int:
        return int(connection.execute(
            select(func.count()).select_from(workshop_votes).where(
                workshop_votes.c.session_id == session_id, workshop_votes.c.round == round_number,
                workshop_votes.c.person_id == person_id, workshop_votes.c.withdrawn_at.is_(None))
        ).scalar() or 0)


def _same_request(request_id: str, stored: tuple[Any, ...], asked: tuple[Any, ...]) -> None:
    """A request id names one action: reusing it for another one is the client's bug, not a retry."""
    if stored != asked:
        raise WorkshopActionError(
            f"request id {request_id!r} was already used for another action in this session; "
            "send a new id with each new action and the same id only when retrying it"
        )


def _session_from_row(row: Any) -> WorkshopSession:
    ends_at = row["round_ends_at"]
    return WorkshopSession(str(row["name"]), bool(row["locked"]), int(row["round"]), int(row["dots_per_person"]),
                           int(row["revision"]), votes_hidden=bool(row["votes_hidden"]),
                           notes_private=bool(row["notes_private"]),
                           round_ends_at=None if ends_at is None else _as_utc(ends_at),
                           close_at_time_up=bool(row["close_at_time_up"]),
                           facilitated=bool(row["facilitator_token_hash"]))


def _time_is_up(row: Any) -> bool:
    """The session's round timer ran out and closes voting (checked inside the vote's transaction)."""
    ends_at = row["round_ends_at"]
    return bool(row["close_at_time_up"]) and ends_at is not None and datetime.now(timezone.utc) >= _as_utc(ends_at)


class Store(WorkshopStoreMixin):
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
            # pre-ping: a server connection dropped while a kernel idled is replaced, not failed on
            options: dict[str, Any] = {} if str(url).startswith("sqlite") else {"pool_pre_ping": True}
            self.engine: Engine = create_engine(url, future=True, **options)
        except Exception as error:  # noqa: BLE001 - bad URLs come in many exception types
            raise WorkbenchError(f"cannot open the store at {url!r} ({error}); check WORKBENCH_STORE") from error
        if self.engine.dialect.name == "sqlite":
            Path(self.engine.url.database or ".").parent.mkdir(parents=True, exist_ok=True)
            event.listen(self.engine, "connect", _sqlite_pragmas)
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
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
            found = stored_schema_version(connection)
            _refuse_newer(found, self.url)
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

    @retry_busy_writes
    def add_edit(self, study: str, kind: str, payload: dict[str, Any], author: str | None = None) -> int:
        """Append one edit; return its id.

        Example:
            >>> import tempfile
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

    # --- qualitative coding (codes, code assignments by coder, memos; tables at the end of this file)

    def put_code(self, study: str, code_id: str, fields: dict[str, Any], author: str | None = None) -> bool:
        """Add or change one code of a study's codebook; return False when it already reads so.

        ``fields`` holds the code's name, description, parent, colour… (JSON-able). Writing
        the same fields twice stores one row: the codebook is the latest row per code.

        Example:
            >>> import tempfile
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> store.put_code("s", "pricing", {"name": "Pricing"}), store.put_code("s", "pricing", {"name": "Pricing"})
            (True, False)
            >>> [code.fields["name"] for code in store.stored_codes("s")]
            ['Pricing']
        """
        payload = json.dumps(fields, sort_keys=True)
        key = {"study": study, "code_id": code_id}
        return self._append_if_changed(codes_table, key, {"payload": payload, "removed": False, "author": author},
                                       compare=("payload", "removed"))

    def remove_code(self, study: str, code_id: str, author: str | None = None) -> bool:
        """Take a code out of the codebook (its history stays); return False when it was not in it.

        Example:
            >>> import tempfile
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> _ = store.put_code("s", "pricing", {"name": "Pricing"})
            >>> store.remove_code("s", "pricing"), store.stored_codes("s")
            (True, [])
        """
        current = self._latest(codes_table, {"study": study, "code_id": code_id})
        if current is None or current["removed"]:
            return False
        return self._append_if_changed(codes_table, {"study": study, "code_id": code_id},
                                       {"payload": current["payload"], "removed": True, "author": author},
                                       compare=("removed",))

    def stored_codes(self, study: str) -> list[StoredCode]:
        """The current codes of a study, in the order they were first added.

        Example:
            >>> import tempfile
            >>> Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite")).stored_codes("s")
            []
        """
        rows = self._current(codes_table, ("code_id",), codes_table.c.study == study)
        return [
            StoredCode(row["code_id"], json.loads(row["payload"]), row["author"], row["created_at"])
            for row in rows
            if not row["removed"]
        ]

    def record_coding(
        self,
        study: str,
        coder: str,
        passage_id: str,
        code_id: str,
        action: str = "apply",
        segment_id: str | None = None,
        char_start: int | None = None,
        char_end: int | None = None,
        origin: str | None = None,
    ) -> bool:
        """Record that ``coder`` applied, removed or rejected a code on a passage (or a span of it).

        ``action`` is ``apply``, ``remove`` or ``reject`` (a suggested code the coder turned
        down). The current state is the latest action per (coder, passage, code, span), so
        applying a code twice stores one row and returns False the second time.
        ``char_start``/``char_end`` are offsets into the passage's text (None: the whole passage).

        Example:
            >>> import tempfile
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> store.record_coding("s", "dana", "p-1", "pricing"), store.record_coding("s", "dana", "p-1", "pricing")
            (True, False)
            >>> store.record_coding("s", "dana", "p-1", "pricing", "remove")
            True
            >>> [(a.code_id, a.action) for a in store.coding("s")]
            [('pricing', 'remove')]
        """
        if action not in CODING_ACTIONS:
            raise WorkbenchError(f"unknown coding action {action!r}; use one of {', '.join(CODING_ACTIONS)}")
        if not coder or not coder.strip():
            raise WorkbenchError("a coding needs the coder's name; set the coder first")
        if (char_start is None) != (char_end is None) or (char_start is not None and not 0 <= char_start < char_end):
            raise WorkbenchError(
                f"passage {passage_id}: span {char_start}..{char_end} is not a span; give 0 <= start < end, or neither"
            )
        key = {"study": study, "coder": coder.strip(), "passage_id": passage_id, "code_id": code_id,
               "char_start": char_start, "char_end": char_end}
        return self._append_if_changed(code_assignments_table, key,
                                       {"action": action, "segment_id": segment_id, "origin": origin},
                                       compare=("action",))

    def coding(self, study: str, coder: str | None = None, history: bool = False) -> list[StoredCoding]:
        """Code assignments of a study: the latest action per (coder, passage, code, span), oldest first.

        Keep rows with ``action == "apply"`` for the codes in force; ``history=True`` gives every row.

        Example:
            >>> import tempfile
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> _ = store.record_coding("s", "dana", "p-1", "pricing")
            >>> _ = store.record_coding("s", "lee", "p-1", "navigation")
            >>> [(a.coder, a.code_id) for a in store.coding("s", coder="lee")]
            [('lee', 'navigation')]
        """
        table = code_assignments_table
        where = table.c.study == study if coder is None else (table.c.study == study) & (table.c.coder == coder)
        key = ("coder", "passage_id", "code_id", "char_start", "char_end")
        rows = self._rows(table, where) if history else self._current(table, key, where)
        return [
            StoredCoding(row["coder"], row["passage_id"], row["segment_id"], row["code_id"], row["char_start"],
                         row["char_end"], row["action"], row["origin"], row["created_at"])
            for row in rows
        ]

    def set_memo(self, study: str, coder: str, target_kind: str, target_id: str, text: str) -> bool:
        """Write ``coder``'s memo on a passage, a code or the study; an empty text clears it.

        ``target_kind`` is ``passage``, ``code`` or ``study``. Returns False when the memo
        already reads so (nothing is stored).

        Example:
            >>> import tempfile
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> store.set_memo("s", "dana", "passage", "p-1", "Refund story, compare with P07")
            True
            >>> [m.text for m in store.memos("s")]
            ['Refund story, compare with P07']
        """
        if target_kind not in MEMO_TARGETS:
            raise WorkbenchError(f"unknown memo target {target_kind!r}; use one of {', '.join(MEMO_TARGETS)}")
        if not coder or not coder.strip():
            raise WorkbenchError("a memo needs the coder's name; set the coder first")
        key = {"study": study, "coder": coder.strip(), "target_kind": target_kind, "target_id": target_id}
        return self._append_if_changed(memos_table, key, {"text": text.strip()}, compare=("text",),
                                       skip_new_if={"text": ""})

    def memos(self, study: str, coder: str | None = None) -> list[StoredMemo]:
        """The current (non-empty) memos of a study, oldest first.

        Example:
            >>> import tempfile
            >>> Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite")).memos("s")
            []
        """
        where = memos_table.c.study == study
        if coder is not None:
            where = where & (memos_table.c.coder == coder)
        rows = self._current(memos_table, ("coder", "target_kind", "target_id"), where)
        return [
            StoredMemo(row["coder"], row["target_kind"], row["target_id"], row["text"], row["created_at"])
            for row in rows
            if row["text"]
        ]

    def _rows(self, table: Table, where: Any) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            return [dict(r) for r in connection.execute(select(table).where(where).order_by(table.c.row_id)).mappings()]

    def _current(self, table: Table, key: tuple[str, ...], where: Any) -> list[dict[str, Any]]:
        """The latest row per key, in the order the keys first appeared."""
        latest: dict[tuple[Any, ...], dict[str, Any]] = {}
        for row in self._rows(table, where):
            identity = tuple(row[name] for name in key)
            if identity in latest:
                row = {**row, "row_id": latest[identity]["row_id"]}  # keep first-seen order
            latest[identity] = row
        return sorted(latest.values(), key=lambda row: row["row_id"])

    def _latest(self, table: Table, key: dict[str, Any], connection: Any = None) -> dict[str, Any] | None:
        conditions = [table.c[name].is_(None) if value is None else table.c[name] == value for name, value in key.items()]
        query = select(table).where(*conditions).order_by(table.c.row_id.desc()).limit(1)
        if connection is None:
            with self.engine.connect() as own:
                row = own.execute(query).mappings().first()
        else:
            row = connection.execute(query).mappings().first()
        return dict(row) if row is not None else None

    @retry_busy_writes
    def _append_if_changed(
        self,
        table: Table,
        key: dict[str, Any],
        values: dict[str, Any],
        compare: tuple[str, ...],
        skip_new_if: dict[str, Any] | None = None,
    ) -> bool:
        """Append ``key`` + ``values`` unless the latest row of ``key`` already has the same ``compare`` values."""
        with self._write_transaction() as connection:
            current = self._latest(table, key, connection)
            if current is None and skip_new_if and all(values[k] == v for k, v in skip_new_if.items()):
                return False
            if current is not None and all(current[name] == values[name] for name in compare):
                return False
            connection.execute(insert(table).values(**key, **values, created_at=datetime.now(timezone.utc)))
            return True


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers (workshop kernels) read while one writer writes; wait instead of failing when busy."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=10000")  # first: switching a new file to WAL needs the lock too
    cursor.close()
    enable_wal(dbapi_connection, 10.0)


# --- qualitative coding
# Codes, code assignments (one coder's decision on one passage or span) and memos. Append-only like
# the edits above: the current state is the latest row per key, so history is never lost.

from sqlalchemy import Boolean  # noqa: E402 - kept with the section that uses it

CODING_ACTIONS = ("apply", "remove", "reject")
MEMO_TARGETS = ("passage", "code", "study")

codes_table = Table(
    "codes",
    metadata,
    Column("row_id", Integer, primary_key=True, autoincrement=True),
    Column("study", String(200), nullable=False, index=True),
    Column("code_id", String(200), nullable=False),
    Column("payload", Text, nullable=False),  # JSON: name, description, parent, colour, examples…
    Column("removed", Boolean, nullable=False, default=False),
    Column("author", String(200), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

code_assignments_table = Table(
    "code_assignments",
    metadata,
    Column("row_id", Integer, primary_key=True, autoincrement=True),
    Column("study", String(200), nullable=False, index=True),
    Column("coder", String(200), nullable=False),
    Column("passage_id", String(200), nullable=False),
    Column("segment_id", String(200), nullable=True),
    Column("code_id", String(200), nullable=False),
    Column("char_start", Integer, nullable=True),  # offsets into the passage text; NULL = whole passage
    Column("char_end", Integer, nullable=True),
    Column("action", String(10), nullable=False),  # apply / remove / reject
    Column("origin", String(200), nullable=True),  # e.g. "suggestion:PP06"
    Column("created_at", DateTime(timezone=True), nullable=False),
)

memos_table = Table(
    "memos",
    metadata,
    Column("row_id", Integer, primary_key=True, autoincrement=True),
    Column("study", String(200), nullable=False, index=True),
    Column("coder", String(200), nullable=False),
    Column("target_kind", String(20), nullable=False),  # passage / code / study
    Column("target_id", String(200), nullable=False),
    Column("text", Text, nullable=False),  # "" clears the memo
    Column("created_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class StoredCode:
    """One code of a study's codebook as stored (``fields``: name, description, parent, colour…).

    Example:
        >>> StoredCode("pricing", {"name": "Pricing"}, "dana", None).fields["name"]
        'Pricing'
    """

    code_id: str
    fields: dict[str, Any]
    author: str | None
    created_at: datetime | None


@dataclass(frozen=True)
class StoredCoding:
    """One coder's latest decision about one code on one passage (or a span of it).

    Example:
        >>> StoredCoding("dana", "p-1", "s-1", "pricing", None, None, "apply", None, None).action
        'apply'
    """

    coder: str
    passage_id: str
    segment_id: str | None
    code_id: str
    char_start: int | None
    char_end: int | None
    action: str
    origin: str | None
    created_at: datetime | None


@dataclass(frozen=True)
class StoredMemo:
    """One coder's memo on a passage, a code or the study.

    Example:
        >>> StoredMemo("dana", "passage", "p-1", "compare with P07", None).target_kind
        'passage'
    """

    coder: str
    target_kind: str
    target_id: str
    text: str
    created_at: datetime | None


# --- schema versions
# ``schema_version`` holds one row per version the store reached (the highest is in force). A store
# made before versions existed has no such table and is version 1. ``Store(url)`` creates a new
# store at SCHEMA_VERSION, upgrades an older one in place (keeping every row) and refuses a newer
# one, which this code would misread. To change the schema: bump SCHEMA_VERSION, change the tables
# above, and add the step from the previous version to MIGRATIONS (idempotent, data kept).

from sqlalchemy import inspect, text  # noqa: E402 - kept with the section that uses it

#: the schema version this code reads and writes
SCHEMA_VERSION = 3
#: any fixed number: PostgreSQL advisory lock taken while a store is created or upgraded
_MIGRATION_LOCK_KEY = 7_050_801

schema_versions = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
    Column("description", String(200), nullable=False),
)

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


#: step from version N to N + 1
MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _migrate_1_to_2, 2: _migrate_2_to_3}
MIGRATIONS_DESCRIPTIONS = {
    1: "found: a store from before schema versions",
    2: "request ids on workshop votes and statements",
    3: "facilitation: hidden votes, private statements, round timer, facilitator token; quotes cited",
}
