"""Dot votes: each person spends a budget of dots per round on pain points, and may take one back.

A vote and the check of the voter's dots left are one transaction under the session's write
lock, so kernels voting at once never spend more dots than a person has.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection

from workbench.storage.retries import retry_busy_writes
from workbench.storage.tables import workshop_people, workshop_votes
from workbench.storage.workshop_rules import (
    _clean_painpoint_id,
    _clean_person_name,
    _clean_request_id,
    _same_request,
    person_key,
)
from workbench.storage.workshop_sessions import WorkshopSessionsMixin, _as_utc


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


def _time_is_up(row: Any) -> bool:
    """The session's round timer ran out and closes voting (checked inside the vote's transaction)."""
    ends_at = row["round_ends_at"]
    return bool(row["close_at_time_up"]) and ends_at is not None and datetime.now(timezone.utc) >= _as_utc(ends_at)


class WorkshopVotesMixin(WorkshopSessionsMixin):
    """The dot-vote methods of :class:`Store`.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from workbench.storage.store import Store, sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
        >>> store.add_vote("kick-off", "PP01", "Dana"), store.add_vote("kick-off", "PP01", "Lee")
        (True, True)
        >>> store.vote_counts("kick-off"), store.votes_left("kick-off", "dana")
        ({'PP01': 2}, 4)
    """

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
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
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
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
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
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
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
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
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
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
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
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
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
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
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

    # ------------------------------------------------------------------ internals

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

    @staticmethod
    def _workshop_dots_used(connection: Connection, session_id: int, round_number: int, person_id: int) -> int:
        return int(connection.execute(
            select(func.count()).select_from(workshop_votes).where(
                workshop_votes.c.session_id == session_id, workshop_votes.c.round == round_number,
                workshop_votes.c.person_id == person_id, workshop_votes.c.withdrawn_at.is_(None))
        ).scalar() or 0)
