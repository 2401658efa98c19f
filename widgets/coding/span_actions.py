"""Coding spans of turns with the mouse: select, code, see who coded what, remove, memo (a mixin of the coding state).

:class:`SpanActions` is the part of :class:`~widgets.coding.state.CodingState` that works on
the whole interview the current passage belongs to (a *document*), as QDA tools do: the coder
selects any span of a turn (:meth:`~SpanActions.select`), picks or types a code
(:meth:`~SpanActions.code_selection`; a new name joins the codebook under a parent), sees the
spans highlighted in their codes' colours with the coder on hover
(:meth:`~SpanActions.document_turns`), removes a code (:meth:`~SpanActions.remove_code_at`) and
writes memos on a span or a code. Every action goes to the shared store at once, keyed by the
coder, so two coders in two browsers never overwrite each other; :meth:`~SpanActions.refresh`
brings in what the others did. How spans are kept in the store: :mod:`workbench.coding.spans`.

Example:
    >>> from widgets.coding.state import _demo_state
    >>> state = _demo_state()
    >>> state.select("a", 4, 10)
    'refund'
    >>> state.code_selection("Refunds").code_id, [(s.code_id, s.span.start, s.span.end) for s in state.spans_at("a", 5)]
    ('refunds', [('refunds', 4, 10)])
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd

from widgets.coding.document import DocumentView
from workbench.coding.codebook import Code, Codebook, CodebookError, slugify
from workbench.coding.records import stored_codebook
from workbench.coding.spans import CodedSpan, TurnIndex, TurnSpan, coded_spans, span_key, trim_span
from workbench.errors import WorkbenchError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from workbench.storage.store import Store


class SpanActions(DocumentView):
    """Span coding on the current document; mixed into ``CodingState``, which provides the attributes annotated here.

    Example:
        >>> from widgets.coding.state import _demo_state
        >>> state = _demo_state(); _ = state.select("b", 4, 7); state.selected_text
        'app'
    """

    store: Store
    study: str
    coder: str
    codebook: Codebook
    passages: pd.DataFrame
    segments: pd.DataFrame | None
    selection: TurnSpan | None
    _turns: TurnIndex
    _spans: list[CodedSpan]
    _unknown_units: int
    _applied: dict[str, set[tuple[str, int | None, int | None]]]
    _span_memos: dict[str, str]
    _rows: dict[str, int]
    _say: Callable[[str], None]
    _changed: Callable[[], None]
    _read_store: Callable[[], None]
    _current_id: Callable[[], str | None]
    _require_coder: Callable[[], None]
    go_to: Callable[[str], Any]

    # ------------------------------------------------------------------ what is selected

    @property
    def selected_text(self) -> str:
        """The text of the coder's selection ("" when nothing is selected)."""
        if self.selection is None:
            return ""
        return self._turn_text(self.selection.segment_id)[self.selection.start:self.selection.end]

    def spans_at(self, segment_id: str, offset: int) -> list[CodedSpan]:
        """The codes in force (every coder's) on the character at ``offset`` of a turn.

        Example:
            >>> from widgets.coding.state import _demo_state
            >>> state = _demo_state(); _ = state.select("a", 0, 3); _ = state.code_selection("App problems")
            >>> [(s.code_id, s.coder) for s in state.spans_at("a", 1)], state.spans_at("a", 8)
            ([('app', 'dana')], [])
        """
        point = TurnSpan(str(segment_id), int(offset), int(offset) + 1)
        return [c for c in self._spans if c.span.overlaps(point)]

    def selection_codes(self) -> list[CodedSpan]:
        """The codes in force on exactly the selected span (what the span panel lists)."""
        if self.selection is None:
            return []
        return [c for c in self._spans if c.span == self.selection]

    # ------------------------------------------------------------------ selecting and coding

    def select(self, segment_id: str, start: int, end: int) -> str | None:
        """Select a span of a turn (offsets into its redacted text; white space at the ends is dropped).

        Returns the selected text, or None when the span holds no text (the selection is cleared).

        Example:
            >>> from widgets.coding.state import _demo_state
            >>> _demo_state().select("a", 3, 15)
            'refund took'
        """
        segment_id = str(segment_id)
        text = self._turn_text(segment_id)
        start, end = trim_span(text, start, end)
        if start >= end:
            self.selection = None
            self._say("nothing selected")
            return None
        self.selection = TurnSpan(segment_id, start, end)
        self._say(f"selected “{_short(text[start:end])}”: pick or type a code")
        return text[start:end]

    def select_at(self, segment_id: str, offset: int) -> list[CodedSpan]:
        """What a click in a turn does: select the coded span under it (the shortest one there) and
        return the codes on it; on uncoded text, drop the selection and make the passage clicked
        the current one (so the code buttons, suggestions and passage memo work on it, mouse only).

        Example:
            >>> from widgets.coding.state import _demo_state
            >>> state = _demo_state(); _ = state.select("a", 4, 10); _ = state.code_selection("Refunds")
            >>> state.clear_selection(); [c.code_id for c in state.select_at("a", 6)], state.selected_text
            (['refunds'], 'refund')
            >>> state.select_at("b", 2), state.quote.passage_id
            ([], 'b-1')
        """
        here = self.spans_at(segment_id, offset)
        if not here:
            self.clear_selection()
            clicked = next((pid for start, end, pid in self._turns.passages_of(segment_id)
                            if start <= int(offset) <= end), None)
            if clicked is not None and clicked in self._rows and clicked != self._current_id():
                self.go_to(clicked)
            return []
        shortest = min(here, key=lambda c: (c.span.length, c.span.start)).span
        self.selection = shortest
        found = self.selection_codes()
        self._say(f"“{_short(self.selected_text)}”: " + ", ".join(f"{self._name(c.code_id)} ({c.coder})" for c in found))
        return found

    def clear_selection(self) -> None:
        """Forget the selection."""
        self.selection = None
        self._say("")

    def code_selection(self, code: str, parent: str | None = None, description: str = "",
                       origin: str | None = None) -> Code:
        """Apply a code to the selected span: an existing code (id or name), or a new one named so under ``parent``.

        A new code joins the study's codebook (shared with every coder) before it is applied.
        ``origin`` records where the decision came from (``None``: the coder's own).

        Example:
            >>> from widgets.coding.state import _demo_state
            >>> state = _demo_state(); _ = state.select("b", 4, 7)
            >>> code = state.code_selection("Login trouble", parent="App problems")
            >>> code.code_id, code.parent, state.codebook.get("login-trouble").name
            ('login-trouble', 'app', 'Login trouble')
        """
        if self.selection is None:
            raise WorkbenchError("select some text of a turn first, then pick a code")
        self._require_coder()
        chosen = self._code_or_new(code, parent, description)
        self._record_span(self.selection, chosen.code_id, "apply", origin)
        self._say(f"{chosen.name} on “{_short(self.selected_text)}”")
        return chosen

    def add_named_code(self, name: str, parent: str | None = None, description: str = "") -> Code:
        """The codebook's code of this name (or id); a new code under ``parent`` when there is none.

        Example:
            >>> from widgets.coding.state import _demo_state
            >>> state = _demo_state(); code = state.add_named_code("Staff attitude")
            >>> code.code_id, state.add_named_code("staff attitude").code_id
            ('staff-attitude', 'staff-attitude')
        """
        self._require_coder()
        return self._code_or_new(name, parent, description)

    def use_code(self, code: str) -> bool:
        """What a click on a code button (or its digit key) does: toggle the code on the selected span,
        or, with nothing selected, on the current passage; return whether it is on now.

        Example:
            >>> from widgets.coding.state import _demo_state
            >>> state = _demo_state(); _ = state.select("a", 4, 10)
            >>> state.use_code("Refunds"), state.use_code("Refunds"), state.use_code("App problems")
            (True, False, True)
        """
        if self.selection is None:
            return self.toggle(code)  # type: ignore[attr-defined]
        code_id = self._known_code_id(code)
        if any(c.code_id == code_id and c.coder == self.coder for c in self.selection_codes()):
            self.remove_code(code_id)
            return False
        self.code_selection(code_id)
        return True

    def remove_code(self, code: str, span: TurnSpan | None = None) -> bool:
        """Take this coder's code off a span (the selection by default); return whether it was on.

        Example:
            >>> from widgets.coding.state import _demo_state
            >>> state = _demo_state(); _ = state.select("a", 4, 10); _ = state.code_selection("Refunds")
            >>> state.remove_code("refunds"), state.spans_at("a", 5)
            (True, [])
        """
        span = span or self.selection
        if span is None:
            raise WorkbenchError("select the coded span first (click it), then remove its code")
        self._require_coder()
        code_id = self._known_code_id(code)
        mine = [c for c in self._spans if c.span == span and c.code_id == code_id and c.coder == self.coder]
        if not mine:
            others = sorted({c.coder for c in self._spans if c.span == span and c.code_id == code_id})
            if others:
                raise WorkbenchError(f"{self._name(code_id)} on this span was applied by {', '.join(others)}; "
                                     "only they can remove it (add your own memo instead)")
            self._say(f"{self._name(code_id)} is not on this span")
            return False
        for coded in mine:
            self.store.record_coding(self.study, self.coder, coded.passage_id, code_id, "remove",
                                     segment_id=span.segment_id, char_start=coded.char_start, char_end=coded.char_end)
            self._applied.get(coded.passage_id, set()).discard((code_id, coded.char_start, coded.char_end))
            self._spans.remove(coded)
        self._say(f"{self._name(code_id)} removed")
        return True

    def remove_code_at(self, segment_id: str, offset: int, code: str) -> bool:
        """Take this coder's code off the span under a click (the mouse-only way to remove a code).

        Example:
            >>> from widgets.coding.state import _demo_state
            >>> state = _demo_state(); _ = state.select("a", 4, 10); _ = state.code_selection("Refunds")
            >>> state.clear_selection(); state.remove_code_at("a", 5, "Refunds")
            True
        """
        code_id = self._known_code_id(code)
        here = [c for c in self.spans_at(segment_id, offset) if c.code_id == code_id]
        if not here:
            raise WorkbenchError(f"{self._name(code_id)} is not on that spot; click a highlighted span")
        mine = [c for c in here if c.coder == self.coder] or here
        return self.remove_code(code_id, min(mine, key=lambda c: c.span.length).span)

    # ------------------------------------------------------------------ memos

    def span_memo(self, span: TurnSpan | None = None) -> str:
        """This coder's memo on a span (the selection by default); "" when none."""
        span = span or self.selection
        return "" if span is None else self._span_memos.get(span_key(span), "")

    def set_span_memo(self, text: str, span: TurnSpan | None = None) -> None:
        """Write this coder's memo on a span (the selection by default); "" clears it.

        Example:
            >>> from widgets.coding.state import _demo_state
            >>> state = _demo_state(); _ = state.select("a", 4, 10); state.set_span_memo("Third refund story"); state.span_memo()
            'Third refund story'
        """
        span = span or self.selection
        if span is None:
            raise WorkbenchError("select a span first, then write its memo")
        self._require_coder()
        self.store.set_memo(self.study, self.coder, "span", span_key(span), text)
        if text.strip():
            self._span_memos[span_key(span)] = text.strip()
        else:
            self._span_memos.pop(span_key(span), None)
        self._say("memo saved" if text.strip() else "memo cleared")

    def code_memo(self, code: str) -> str:
        """This coder's memo on a code ("" when none)."""
        code_id = self._known_code_id(code)
        found = self.store.memos(self.study, coder=self.coder) if self.coder else []
        return next((m.text for m in found if m.target_kind == "code" and m.target_id == code_id), "")

    def set_code_memo(self, code: str, text: str) -> None:
        """Write this coder's memo on a code (what it means, when to use it); "" clears it.

        Example:
            >>> from widgets.coding.state import _demo_state
            >>> state = _demo_state(); state.set_code_memo("Refunds", "Only money back, not vouchers"); state.code_memo("refunds")
            'Only money back, not vouchers'
        """
        self._require_coder()
        code_id = self._known_code_id(code)
        self.store.set_memo(self.study, self.coder, "code", code_id, text)
        self._say(f"memo on {self._name(code_id)} saved" if text.strip() else "memo cleared")

    # ------------------------------------------------------------------ other coders

    def refresh(self) -> bool:
        """Read the codebook and every coder's codes from the store again; return whether anything changed.

        The view calls it every few seconds, so a colleague's codes show up without a reload.

        Example:
            >>> from widgets.coding.state import _demo_state
            >>> state = _demo_state(); state.refresh()
            False
        """
        before = self._signature()
        self._read_store()
        if self._signature() != before:
            self._changed()
            return True
        return False

    # ------------------------------------------------------------------ internals

    def _keep_selection_in_document(self) -> None:
        """Moving to another document drops a selection made in the one left."""
        if self.selection is None:
            return
        pid = self._current_id()
        document = None if pid is None else self.document
        if document is None or self.selection.segment_id not in {r["segment_id"] for r in self._document_rows()}:
            self.selection = None

    def _load_spans(self) -> None:
        self._spans, self._unknown_units = coded_spans(self.store, self.study, self._turns)
        self._span_memos = {}
        if self.coder:
            for memo in self.store.memos(self.study, coder=self.coder):
                if memo.target_kind == "span":
                    self._span_memos[memo.target_id] = memo.text

    def _signature(self) -> tuple[Any, ...]:
        """What a refresh compares: every coder's spans, the codebook, this coder's memos."""
        return (tuple(sorted((c.span, c.code_id, c.coder) for c in self._spans)),
                tuple(repr(sorted(c.fields().items())) for c in self.codebook.codes),
                tuple(sorted(self._span_memos.items())))

    def _record_span(self, span: TurnSpan, code_id: str, action: str, origin: str | None) -> None:
        passage_id, start, end = self._turns.to_record(span)
        self.store.record_coding(self.study, self.coder, passage_id, code_id, action, segment_id=span.segment_id,
                                 char_start=start, char_end=end, origin=origin)
        if action == "apply":
            self._applied.setdefault(passage_id, set()).add((code_id, start, end))
            coded = CodedSpan(span, code_id, self.coder, passage_id, start, end, origin)
            if coded not in self._spans:
                self._spans.append(coded)

    def _code_or_new(self, code: str, parent: str | None, description: str) -> Code:
        name = " ".join(str(code or "").split())
        if not name:
            raise WorkbenchError("type a code's name, or pick one of the codebook")
        self.codebook = stored_codebook(self.store, self.study)  # a colleague may have added it meanwhile
        try:
            chosen = self.codebook.get(name)
        except CodebookError:
            parent_id = self._known_code_id(parent) if parent else None
            code_id, n = slugify(name), 1
            while code_id in self.codebook:
                n += 1
                code_id = f"{slugify(name)}-{n}"
            chosen = self.codebook.add(Code(code_id, name, description.strip(), parent=parent_id,
                                            source=f"coder:{self.coder}"))
            self.store.put_code(self.study, chosen.code_id, chosen.fields(), author=self.coder)
            return chosen
        if not chosen.codable:
            raise WorkbenchError(f"code {chosen.name!r} is a category; apply one of its codes, or name a new code")
        return chosen

    def _known_code_id(self, code: str | None) -> str:
        if code is None:
            raise WorkbenchError("name a code")
        return self.codebook.get(str(code)).code_id

    def _name(self, code_id: str) -> str:
        return self.codebook.names().get(code_id, code_id)

def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
