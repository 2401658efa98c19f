"""Moving through the passages: which one is shown, the filters, next and previous (a mixin of the coding state).

:class:`PassageNavigation` is the part of :class:`~widgets.coding.state.CodingState` that knows
where the coder is: the current passage, its position among the passages the filters let
through (one participant's, those with a code, the uncoded ones), and moving to the next,
the previous or any passage. It keeps no data of its own: the state holds the passages
(``_order``, ``_rows``), this coder's codes (``_applied``) and the filters.

Example:
    >>> from widgets.coding.state import _demo_state
    >>> state = _demo_state(); state.set_filters(participant="P02"); state.position
    (1, 1)
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

from workbench.errors import WorkbenchError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from workbench.coding.codebook import Codebook
    from workbench.coding.context import Quote


class PassageNavigation:
    """The current passage, the filters, and moving between passages; mixed into ``CodingState``.

    The state provides the attributes annotated here, the ``quote`` property and ``_say``.

    Example:
        >>> from widgets.coding.state import _demo_state
        >>> _demo_state().next().passage_id
        'b-1'
    """

    passages: pd.DataFrame
    codebook: Codebook
    participant: str | None
    code_filter: str | None
    uncoded_only: bool
    _order: list[str]
    _rows: dict[str, int]
    _index: int | None
    _participant_of: dict[str, str]
    _applied: dict[str, set[tuple[str, int | None, int | None]]]
    quote: Quote | None  # the state's property
    _say: Callable[[str], None]  # the state's: set the message and tell the listeners
    _keep_selection_in_document: Callable[[], None]  # the span actions': drop a selection in another document

    @property
    def position(self) -> tuple[int, int]:
        """(1-based position of the current passage among those the filters let through, how many they let through).

        Example:
            >>> from widgets.coding.state import _demo_state
            >>> _demo_state().position
            (1, 2)
        """
        visible = self._visible()
        current = self._current_id()
        return (visible.index(current) + 1 if current in visible else 0, len(visible))

    def participants(self) -> list[str]:
        """The participants that have passages, for the participant filter.

        Example:
            >>> from widgets.coding.state import _demo_state
            >>> _demo_state().participants()
            ['P01', 'P02']
        """
        if "participant_id" not in self.passages.columns:
            return []
        return sorted(self.passages["participant_id"].dropna().astype(str).unique())

    # ------------------------------------------------------------------ moving

    def next(self) -> Quote | None:
        """Go to the next passage the filters let through (stays on the last one).

        Example:
            >>> from widgets.coding.state import _demo_state
            >>> _demo_state().next().passage_id
            'b-1'
        """
        self._move(+1)
        return self.quote

    def previous(self) -> Quote | None:
        """Go to the previous passage the filters let through (stays on the first one).

        Example:
            >>> from widgets.coding.state import _demo_state
            >>> state = _demo_state(); _ = state.next(); state.previous().passage_id
            'a-1'
        """
        self._move(-1)
        return self.quote

    def go_to(self, passage_id: str) -> Quote | None:
        """Jump to a passage by id (filters are cleared when they hide it).

        Example:
            >>> from widgets.coding.state import _demo_state
            >>> _demo_state().go_to("b-1").text
            'The app logged me out.'
        """
        if passage_id not in self._rows:
            raise WorkbenchError(f"no passage {passage_id!r} in passages.parquet; pick one from the passages table")
        if passage_id not in self._visible():
            self.participant, self.code_filter, self.uncoded_only = None, None, False
        self._index = self._rows[passage_id]
        self._keep_selection_in_document()
        self._say(self._position_text())
        return self.quote

    def set_filters(self, participant: str | None = "", code: str | None = "", uncoded_only: bool | None = None) -> None:
        """Show only one participant's passages, only passages with a code, or only uncoded ones.

        ``None`` clears a filter; leaving an argument out keeps it as it is. The current
        passage stays when the filters still let it through, else the first one that passes.

        Example:
            >>> from widgets.coding.state import _demo_state
            >>> state = _demo_state(); state.set_filters(participant="P02"); state.quote.participant_id
            'P02'
        """
        if participant != "":
            self.participant = participant or None
        if code != "":
            self.code_filter = self.codebook.get(code).code_id if code else None
        if uncoded_only is not None:
            self.uncoded_only = bool(uncoded_only)
        visible = self._visible()
        if self._current_id() not in visible:
            self._index = self._rows[visible[0]] if visible else None
        self._keep_selection_in_document()
        self._say(self._position_text() if visible else "no passage matches these filters")

    # ------------------------------------------------------------------ internals

    def _current_id(self) -> str | None:
        return None if self._index is None else self._order[self._index]

    def _passes(self, pid: str) -> bool:
        if self.participant is not None and self._participant_of.get(pid) != self.participant:
            return False
        codes = {code_id for code_id, _, _ in self._applied.get(pid, set())}
        if self.code_filter is not None and self.code_filter not in codes:
            return False
        return not (self.uncoded_only and codes)

    def _visible(self) -> list[str]:
        return [pid for pid in self._order if self._passes(pid)]

    def _first_uncoded(self) -> int | None:
        for index, pid in enumerate(self._order):
            if self._passes(pid) and not self._applied.get(pid):
                return index
        visible = self._visible()
        return self._rows[visible[0]] if visible else None

    def _move(self, step: int) -> None:
        if self._index is None:
            self._say("no passage matches these filters")
            return
        index = self._index + step
        while 0 <= index < len(self._order):
            if self._passes(self._order[index]):
                self._index = index
                self._keep_selection_in_document()
                self._say(self._position_text())
                return
            index += step
        self._say("that was the last passage" if step > 0 else "this is the first passage")

    def _position_text(self) -> str:
        position, total = self.position
        return f"passage {position} of {total}"
