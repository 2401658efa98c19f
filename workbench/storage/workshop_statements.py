"""\"How might we…\" statements: what people write about a pain point, citing its quotes.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import insert, select

from workbench.storage.retries import retry_busy_writes
from workbench.storage.tables import workshop_statements
from workbench.storage.workshop_rules import (
    MAX_QUOTES_CITED,
    MAX_STATEMENT_LENGTH,
    WorkshopActionError,
    _clean_painpoint_id,
    _clean_person_name,
    _clean_request_id,
    _same_request,
)
from workbench.storage.workshop_sessions import WorkshopSessionsMixin


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


def _clean_quote_ids(quote_ids: Any) -> list[str]:
    cleaned = [str(q).strip() for q in (quote_ids or ()) if str(q).strip()]
    if len(cleaned) > MAX_QUOTES_CITED or any(len(q) > 200 for q in cleaned):
        raise WorkshopActionError(f"a statement cites at most {MAX_QUOTES_CITED} quote ids of up to 200 characters")
    return list(dict.fromkeys(cleaned))


class WorkshopStatementsMixin(WorkshopSessionsMixin):
    """The "How might we…" methods of :class:`Store`.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from workbench.storage.store import Store, sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
        >>> _ = store.add_statement("kick-off", "PP01", "Dana", "How might we refund in a day?")
        >>> [s.text for s in store.statements("kick-off", "PP01")]
        ['How might we refund in a day?']
    """

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
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
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
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
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
