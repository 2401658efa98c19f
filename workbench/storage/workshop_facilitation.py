"""Facilitation: what only the facilitator may do in a workshop (lock voting, start a round, set the
dots per person, hide votes, keep statements private, run the round timer), guarded by a token.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import update

from workbench.storage.retries import retry_busy_writes
from workbench.storage.tables import workshop_sessions
from workbench.storage.workshop_rules import MAX_TIMER_MINUTES, WorkshopActionError, _clean_session_name
from workbench.storage.workshop_sessions import WorkshopSession, WorkshopSessionsMixin


class FacilitatorOnlyError(WorkshopActionError):
    """A facilitator action (hide votes, timer, lock…) asked without the session's facilitator token.

    Example:
        >>> isinstance(FacilitatorOnlyError("only the facilitator can lock voting"), WorkshopActionError)
        True
    """


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


class WorkshopFacilitationMixin(WorkshopSessionsMixin):
    """The facilitator's actions of :class:`Store`; each needs the session's facilitator token once it has one.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from workbench.storage.store import Store, sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
        >>> store.new_round("kick-off"), store.hide_votes("kick-off").votes_hidden
        (2, True)
    """

    # ------------------------------------------------------------------ rounds and dots

    @retry_busy_writes
    def lock_voting(self, session: str, locked: bool = True, facilitator_token: str | None = None) -> WorkshopSession:
        """Freeze (or, with ``locked=False``, reopen) voting: locked votes cannot be added or taken back.

        Like every facilitator action, it needs ``facilitator_token`` once the session has one
        (:meth:`set_facilitator_token`); else it raises :class:`FacilitatorOnlyError`.

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
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
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
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
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
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
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> store.set_facilitator_token("s", "s3cret-0123456789").facilitated
            True
            >>> store.is_facilitator("s", "s3cret-0123456789"), store.is_facilitator("s", "guess"), store.is_facilitator("s", None)
            (True, False, False)
            >>> store.lock_voting("s", facilitator_token="guess")
            Traceback (most recent call last):
            ...
            workbench.storage.workshop_facilitation.FacilitatorOnlyError: only the facilitator can lock or unlock voting in workshop 's': open the facilitator link that `workbench workshop` printed (it carries ?facilitator=…)
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
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
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
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
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
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
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
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> 119 < store.start_timer("s", 2).seconds_left() <= 120
            True
            >>> store.start_timer("s", 0)
            Traceback (most recent call last):
            ...
            workbench.storage.workshop_rules.WorkshopActionError: a round timer runs 0.1-240 minutes; got 0
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
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
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
