"""One person's "How might we…" statements: adding one that cites quotes, and reading a pain point's.

:class:`StatementsMixin` is part of :class:`widgets.workshop.voting.VoteState`.

Example:
    >>> HMW_PREFIX
    'How might we'
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from workbench.storage.store import HmwStatement, Store, WorkshopActionError
from widgets.workshop.session import request_id

HMW_PREFIX = "How might we"


class StatementsMixin:
    """The statements this person sees and adds (part of ``VoteState``).

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from workbench.storage.store import Store, sqlite_url
        >>> from widgets.workshop.demo import demo_results
        >>> from widgets.workshop.painpoints import PainPointsState
        >>> from widgets.workshop.voting import VoteState
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
        >>> dana = VoteState(store, "kick-off", PainPointsState(demo_results()).cards)
        >>> dana.join("Dana"), dana.add_statement("PP02", "pay refunds in a week?", ["c-1"])
        (True, True)
        >>> [(s.text, s.quote_ids) for s in dana.statements_for("PP02")]
        [('How might we pay refunds in a week?', ('c-1',))]
    """

    store: Store
    session: str
    name: str | None
    statements: list[HmwStatement]
    notes_private: bool
    refresh: Callable[..., bool]
    _label: Callable[[str], str]
    _require_name: Callable[[str, str], bool]
    _say: Callable[..., None]

    def statements_for(self, painpoint_id: str) -> list[HmwStatement]:
        """The "How might we…" statements of one pain point, oldest first."""
        return [s for s in self.statements if s.painpoint_id == painpoint_id]

    def add_statement(self, painpoint_id: str, text: str, quote_ids: Sequence[str] = ()) -> bool:
        """Add a "How might we…" statement to a pain point ("How might we" is added when missing),
        citing the quotes (passage ids) in ``quote_ids``."""
        label = self._label(painpoint_id)
        if not self._require_name("statements", "adding a statement"):
            return False
        cleaned = " ".join(str(text or "").split())
        if not cleaned:
            self._say("Write a statement first, e.g. “How might we confirm every payment at once?”", "statements")
            return False
        if not cleaned.casefold().startswith(HMW_PREFIX.casefold()):
            cleaned = f"{HMW_PREFIX} {cleaned[0].lower()}{cleaned[1:]}"
        try:
            self.store.add_statement(self.session, painpoint_id, self.name or "", cleaned, request_id=request_id(),
                                     quote_ids=[q for q in quote_ids if q])
        except WorkshopActionError as error:
            self._say(str(error), "statements")
            return False
        self.refresh(force=True)
        private = " Others see it when the facilitator reveals the statements." if self.notes_private else ""
        self._say(f"Statement added to “{label}”.{private}", "statements")
        return True
