"""Stars on quotes: in the workshop, each person may star the quotes on a card that prove its pain point.

A star is not a dot: it costs nothing and has no round. The store appends one row per star and
per star taken back; the latest row per (person, quote) is in force. A star and the bump of the
session's revision are one transaction, so every kernel polling the revision sees it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import insert, select

from workbench.storage.retries import retry_busy_writes
from workbench.storage.tables import workshop_people, workshop_sessions, workshop_stars
from workbench.storage.workshop_rules import WorkshopActionError, _clean_painpoint_id, _clean_person_name, person_key
from workbench.storage.workshop_sessions import WorkshopSessionsMixin

#: longest quote id the store accepts (a passage id)
MAX_QUOTE_ID_LENGTH = 200


@dataclass(frozen=True)
class StarredQuote:
    """A quote starred in a session: on which card, by how many people, and who.

    Example:
        >>> StarredQuote("s-1a-2", "PP03", ("Dana", "Lee")).stars
        2
    """

    quote_id: str
    painpoint_id: str
    people: tuple[str, ...]

    @property
    def stars(self) -> int:
        """How many people starred the quote."""
        return len(self.people)


def _clean_quote_id(quote_id: str) -> str:
    cleaned = str(quote_id or "").strip()
    if not cleaned or len(cleaned) > MAX_QUOTE_ID_LENGTH or any(ch in cleaned for ch in "\n\r\t"):
        raise WorkshopActionError(f"quote id {quote_id!r} is not a passage id; star a quote shown on a card")
    return cleaned


class WorkshopStarsMixin(WorkshopSessionsMixin):
    """The quote-star methods of :class:`Store`.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from workbench.storage.store import Store, sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
        >>> store.star_quote("kick-off", "s-1a-2", "PP03", "Dana"), store.star_quote("kick-off", "s-1a-2", "PP03", "Dana")
        (True, False)
        >>> store.star_quote("kick-off", "s-1a-2", "PP03", "Lee")
        True
        >>> [(q.quote_id, q.stars) for q in store.starred_quotes("kick-off")]
        [('s-1a-2', 2)]
    """

    @retry_busy_writes
    def star_quote(self, session: str, quote_id: str, painpoint_id: str, person: str, starred: bool = True) -> bool:
        """Star (or, with ``starred=False``, unstar) a quote for ``person``; return False when it already was so.

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
            >>> _ = store.star_quote("s", "q-1", "PP01", "Dana")
            >>> store.star_quote("s", "q-1", "PP01", "dana", starred=False), store.starred_quotes("s")
            (True, [])
        """
        quote = _clean_quote_id(quote_id)
        painpoint = _clean_painpoint_id(painpoint_id)
        name = _clean_person_name(person)
        with self._workshop_write(session) as (connection, row):
            person_id, _ = self._workshop_person(connection, row["session_id"], name)
            latest = connection.execute(
                select(workshop_stars.c.starred).where(
                    workshop_stars.c.session_id == row["session_id"], workshop_stars.c.person_id == person_id,
                    workshop_stars.c.quote_id == quote).order_by(workshop_stars.c.star_id.desc()).limit(1)
            ).scalar()
            if (latest is None and not starred) or (latest is not None and bool(latest) == bool(starred)):
                return False
            connection.execute(insert(workshop_stars).values(
                session_id=row["session_id"], person_id=person_id, quote_id=quote, painpoint_id=painpoint,
                starred=bool(starred), created_at=datetime.now(timezone.utc)))
            return True

    def starred_quotes(self, session: str) -> list[StarredQuote]:
        """The quotes starred now, most stars first (then in the order they were first starred).

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
            >>> Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite")).starred_quotes("s")
            []
        """
        session_id = self.open_session_id(session)
        query = (select(workshop_stars.c.star_id, workshop_stars.c.quote_id, workshop_stars.c.painpoint_id,
                        workshop_stars.c.starred, workshop_stars.c.person_id, workshop_people.c.name)
                 .join(workshop_people, workshop_people.c.person_id == workshop_stars.c.person_id)
                 .where(workshop_stars.c.session_id == session_id).order_by(workshop_stars.c.star_id))
        latest: dict[tuple[int, str], tuple[bool, str, str, int]] = {}
        first_seen: dict[str, int] = {}
        with self.engine.connect() as connection:
            for star_id, quote_id, painpoint_id, starred, person_id, name in connection.execute(query):
                latest[(int(person_id), str(quote_id))] = (bool(starred), str(painpoint_id), str(name), int(person_id))
                first_seen.setdefault(str(quote_id), int(star_id))
        people: dict[str, list[tuple[int, str]]] = {}
        cards: dict[str, str] = {}
        for (_, quote_id), (starred, painpoint_id, name, person_id) in latest.items():
            if starred:
                people.setdefault(quote_id, []).append((person_id, name))
                cards.setdefault(quote_id, painpoint_id)
        ordered = sorted(people, key=lambda q: (-len(people[q]), first_seen[q]))
        return [StarredQuote(q, cards[q], tuple(name for _, name in sorted(people[q]))) for q in ordered]

    def star_sessions(self) -> list[str]:
        """The workshop sessions in which someone starred a quote, oldest first.

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
            >>> _ = store.star_quote("kick-off", "q-1", "PP01", "Dana"); store.star_sessions()
            ['kick-off']
        """
        query = (select(workshop_sessions.c.name).where(workshop_sessions.c.session_id.in_(
            select(workshop_stars.c.session_id).distinct())).order_by(workshop_sessions.c.session_id))
        with self.engine.connect() as connection:
            return [str(name) for name in connection.execute(query).scalars()]

    def stars_of(self, session: str, person: str) -> set[str]:
        """The quote ids ``person`` has starred now.

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
            >>> _ = store.star_quote("s", "q-1", "PP01", "Dana"); store.stars_of("s", " DANA ")
            {'q-1'}
        """
        key = person_key(person)
        return {q.quote_id for q in self.starred_quotes(session) if key in {person_key(p) for p in q.people}}
