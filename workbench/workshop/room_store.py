"""The store as one room server sees it: every read of a workshop session done once per revision,
however many people ask.

A room server keeps one state per person (their name, dots and messages) over one shared store.
Each person's page asks for the session every second; without this, 30 people would read the
votes, statements, places and people 30 times over after every change. :class:`SessionReads`
wraps a :class:`~workbench.storage.store.Store`: ``session_info`` is always read (one small query:
it tells the revision), the session-wide reads are kept until the revision moves, and everything
else (every write above all) goes straight to the store.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from workbench.storage.store import Store, sqlite_url
    >>> reads = SessionReads(Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite")))
    >>> _ = reads.session_info("kick-off"); reads.vote_counts("kick-off")
    {}
    >>> _ = reads.cast_vote("kick-off", "PP01", "Dana")  # a write: straight to the store
    >>> _ = reads.session_info("kick-off"); reads.vote_counts("kick-off")
    {'PP01': 1}
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from workbench.storage.store import HmwStatement, Placement, Store, WorkshopSession, person_key

_Read = TypeVar("_Read")


class SessionReads:
    """A store whose session-wide reads are shared until the session's revision moves.

    Args:
        store: the workshop's store.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from workbench.storage.store import Store, sqlite_url
        >>> reads = SessionReads(Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite")))
        >>> _ = reads.join("kick-off", "Dana"); _ = reads.session_info("kick-off")
        >>> reads.people("kick-off"), reads.people("kick-off"), reads.reads_done
        (['Dana'], ['Dana'], 1)
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        #: reads that went to the store (the cached ones are not counted)
        self.reads_done = 0
        self._revision: dict[str, int] = {}
        self._cache: dict[str, dict[tuple[Any, ...], Any]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)  # writes and everything else: the store itself

    def _seen(self, info: WorkshopSession) -> WorkshopSession:
        if self._revision.get(info.name) != info.revision:
            self._revision[info.name] = info.revision
            self._cache[info.name] = {}
        return info

    def _cached(self, session: str, key: tuple[Any, ...], read: Callable[[], _Read]) -> _Read:
        if session not in self._revision:
            self.session_info(session)
        cache = self._cache.setdefault(session, {})
        if key not in cache:
            cache[key] = read()
            self.reads_done += 1
        return cache[key]  # type: ignore[no-any-return]

    def session_info(self, session: str) -> WorkshopSession:
        """The session now (always read: its revision says whether the rest changed)."""
        return self._seen(self.store.session_info(session))

    def open_session(self, session: str, dots_per_person: int | None = None) -> WorkshopSession:
        """The session, created if new (see :meth:`Store.open_session`)."""
        return self._seen(self.store.open_session(session, dots_per_person))

    def vote_counts(self, session: str, round: int | None = None) -> dict[str, int]:  # noqa: A002 - the store's word
        """Everyone's dots per pain point (once per revision)."""
        return self._cached(session, ("counts", round), lambda: self.store.vote_counts(session, round))

    def votes_of(self, session: str, voter: str, round: int | None = None) -> dict[str, int]:  # noqa: A002
        """One person's dots per pain point (once per revision and person)."""
        return self._cached(session, ("votes_of", person_key(voter), round),
                            lambda: self.store.votes_of(session, voter, round))

    def statements(self, session: str, painpoint_id: str | None = None) -> list[HmwStatement]:
        """The session's "How might we…" statements (once per revision)."""
        return self._cached(session, ("statements", painpoint_id), lambda: self.store.statements(session, painpoint_id))

    def placements(self, session: str) -> list[Placement]:
        """The session's impact × effort places (once per revision)."""
        return self._cached(session, ("placements",), lambda: self.store.placements(session))

    def starred_quotes(self, session: str) -> list[Any]:
        """The quotes people starred, with who (once per revision)."""
        return self._cached(session, ("stars",), lambda: self.store.starred_quotes(session))

    def people(self, session: str) -> list[str]:
        """Everyone who joined (once per revision)."""
        return self._cached(session, ("people",), lambda: self.store.people(session))
