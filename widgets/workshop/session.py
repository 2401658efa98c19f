"""What the store-backed states share: re-reading one workshop session only when it changed, and
a fresh id per click so the store's retries of a write count it once.

Example:
    >>> len(request_id())
    32
"""
from __future__ import annotations

import uuid

from workbench.storage.store import Store, WorkshopSession


class SessionReader:
    """A state that mirrors one workshop session of the store and re-reads it only when it changed.

    Subclasses set ``store``, ``session`` and ``info`` and say in ``_reload`` what they read.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from workbench.storage.store import Store, sqlite_url
        >>> class Reads(SessionReader):
        ...     def __init__(self, store, session):
        ...         self.store, self.session, self.reads = store, session, 0
        ...     def _reload(self):
        ...         self.reads += 1
        >>> state = Reads(Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite")), "kick-off")
        >>> state.refresh(), state.refresh(), state.reads
        (True, False, 1)
    """

    store: Store
    session: str
    info: WorkshopSession
    _revision: int = -1

    def refresh(self, force: bool = False) -> bool:
        """Re-read the store if anything changed since the last read; return whether it did."""
        info = self.store.session_info(self.session)
        if not force and info.revision == self._revision:
            return False
        self.info = info
        self._reload()
        self._revision = info.revision
        return True

    def _reload(self) -> None:
        raise NotImplementedError


def request_id() -> str:
    """A fresh id for one click: the store's retries of that write then count it once.

    Example:
        >>> len(request_id()) == 32 and request_id() != request_id()
        True
    """
    return uuid.uuid4().hex
