"""One coder's coding session: the plain :class:`CodingState` the coding view renders (no ipywidgets here).

:class:`CodingState` holds one coder's view of a study: the current quote with the turns
before and after it, the codebook, which codes this coder applied, their memo, the filters
(:class:`~widgets.coding.navigation.PassageNavigation`) and the pain-point suggestions
(:class:`~widgets.coding.suggesting.SuggestionActions`). Every action (toggle a code, write a
memo, accept or reject a suggestion, add a code) is saved to the study's store at once, so
nothing is lost when the kernel dies, several coders can code side by side, and a new state
reloads where they were. It imports no ipywidgets: tests drive it without a browser.

**The mouse** (:class:`~widgets.coding.span_actions.SpanActions`): ``select(segment_id, start,
end)`` a span of a turn, ``code_selection(name)`` codes it (a new name joins the codebook),
``select_at`` picks a coded span, ``remove_code`` takes this coder's code off it.

**Keyboard shortcuts** (:meth:`CodingState.press`): ``n`` / ``→`` / ``j`` next, ``p`` / ``←`` /
``k`` previous, ``1``–``9`` and ``0`` toggle the ten hotkey codes (on the selected span when
there is one, else on the passage), ``Esc`` drops the selection, ``a`` accepts and ``x``
rejects the first open suggestion.

Example:
    >>> import tempfile
    >>> from workbench.coding.codebook import Codebook, Code
    >>> from workbench.storage.store import Store, sqlite_url
    >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
    >>> passages = pd.DataFrame({"passage_id": ["s1-1", "s2-1"], "segment_id": ["s1", "s2"],
    ...     "text": ["The refund took weeks.", "The app logged me out."], "participant_id": ["P01", "P02"]})
    >>> codebook = Codebook([Code("refunds", "Refunds"), Code("app", "App problems")])
    >>> state = CodingState(store, "demo", passages, coder="dana", codebook=codebook)
    >>> state.quote.text
    'The refund took weeks.'
    >>> state.press("1"), state.press("n"), state.quote.text
    ('Refunds on', 'passage 2 of 2', 'The app logged me out.')
    >>> CodingState(store, "demo", passages, coder="dana").applied("s1-1")
    ['refunds']
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from widgets.coding.navigation import PassageNavigation
from widgets.coding.similar_actions import Proposal, SimilarActions
from widgets.coding.span_actions import SpanActions
from widgets.coding.suggesting import SuggestionActions
from workbench.coding.codebook import Code, Codebook
from workbench.coding.coding_data import load_coding_data
from workbench.coding.context import Quote, quote_in_context
from workbench.coding.records import store_codebook, stored_codebook
from workbench.coding.similar import SimilarFinder, finder_over_results, finder_over_vectors
from workbench.coding.spans import CodedSpan, TurnIndex, TurnSpan
from workbench.coding.suggestions import suggested_painpoints
from workbench.errors import WorkbenchError
from workbench.schema import is_missing
from workbench.storage.store import Store


HOTKEYS = "1234567890"
NEXT_KEYS = ("n", "j", "ArrowRight", "ArrowDown")
PREVIOUS_KEYS = ("p", "k", "ArrowLeft", "ArrowUp")
ACCEPT_KEY, REJECT_KEY = "a", "x"
#: what ``press`` understands, for the view's help line
SHORTCUTS = ("n/→ next · p/← previous · 1–9, 0 toggle codes (on the selected span when there is one) · "
             "Esc drop the selection · a accept / x reject a suggestion")


class CodingState(PassageNavigation, SpanActions, SimilarActions, SuggestionActions):
    """One coder's coding session over a study's passages; every action is saved to the store at once.

    Args:
        store: the study's store.
        study: the study's key in the store (``study_key(study_dir)``).
        passages: passage_id, segment_id, text (redacted) and, when known, participant_id, source_id, source_kind.
        segments: the segments table (``text_redacted``, ``turn``…) for the turns around a quote.
        coder: the coder's name (needed before the first action).
        codebook: codes to add to the study's codebook when the store does not have them yet.
        painpoints: the painpoints table, for suggestions.
        painpoint_assignments: the analysis' assignments table (passage_id -> painpoint_id, probability).
        context_turns: how many turns before and after a quote to show.
        similar_finder: finds the passages like a code's ("code all similar"); ``open`` gives one
            over the results folder's embedding cache.

    Example:
        >>> import tempfile
        >>> from workbench.storage.store import Store, sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
        >>> passages = pd.DataFrame({"passage_id": ["a-1"], "segment_id": ["a"], "text": ["Fees everywhere."]})
        >>> state = CodingState(store, "demo", passages, coder="dana", codebook=Codebook([Code("fees", "Fees")]))
        >>> state.toggle("fees"), state.toggle("fees"), state.applied()
        (True, False, [])
    """

    def __init__(
        self,
        store: Store,
        study: str,
        passages: pd.DataFrame,
        segments: pd.DataFrame | None = None,
        coder: str = "",
        codebook: Codebook | None = None,
        painpoints: pd.DataFrame | None = None,
        painpoint_assignments: pd.DataFrame | None = None,
        context_turns: int = 2,
        similar_finder: SimilarFinder | None = None,
    ) -> None:
        missing = {"passage_id", "segment_id", "text"} - set(passages.columns)
        if missing:
            raise WorkbenchError(f"passages lack {', '.join(sorted(missing))}; pass passages.parquet of `workbench analyze`")
        self.store = store
        self.study = study
        self.passages = passages.reset_index(drop=True).astype({"passage_id": str, "segment_id": str})
        self.segments = segments
        self.painpoints = painpoints
        self.context_turns = context_turns
        self.coder = coder.strip()
        self.participant: str | None = None
        self.code_filter: str | None = None
        self.uncoded_only = False
        self.message = ""
        self._order = self.passages["passage_id"].tolist()
        self._rows = {pid: i for i, pid in enumerate(self._order)}
        owners = self.passages["participant_id"] if "participant_id" in self.passages.columns else pd.Series(dtype=object)
        self._participant_of = {str(k): str(v) for k, v in zip(self.passages["passage_id"], owners) if not is_missing(v)}
        self._suggested = suggested_painpoints(painpoint_assignments)
        self._listeners: list[Callable[[], None]] = []
        self._hotkeys: list[str] | None = None
        if codebook is not None:
            store_codebook(store, study, codebook, author=self.coder or None, keep_existing=True)
        self.codebook = Codebook()
        self._applied: dict[str, set[tuple[str, int | None, int | None]]] = {}
        self._rejected: dict[str, set[str]] = {}
        self._memos: dict[str, str] = {}
        #: the span of a turn the coder selected (with the mouse), which the next code goes on
        self.selection: TurnSpan | None = None
        self._turns = TurnIndex(self.passages, segments)
        self._spans: list[CodedSpan] = []
        self._unknown_units = 0
        self._span_memos: dict[str, str] = {}
        self.similar_finder = similar_finder
        #: what "code all similar" proposed last (:meth:`propose_similar`)
        self.proposals: list[Proposal] = []
        self.reload()
        self._index: int | None = self._first_uncoded()

    @classmethod
    def open(
        cls,
        study_dir: Path | str,
        results_dir: Path | str | None = None,
        coder: str = "",
        codebook: Codebook | None = None,
        store: Store | None = None,
        context_turns: int = 2,
    ) -> CodingState:
        """A state over a study's saved results and its store (``STUDY/.workbench`` by default).

        Example:
            >>> state = CodingState.open("interview_data", coder="dana", codebook=starter_codebook())  # doctest: +SKIP
        """
        from workbench.storage.locations import store_url, study_key

        results = Path(results_dir) if results_dir not in (None, "") else Path(study_dir) / ".workbench"
        data = load_coding_data(results)
        return cls(
            store if store is not None else Store(store_url(results)), study_key(Path(study_dir)), data.passages,
            segments=data.segments, coder=coder, codebook=codebook, painpoints=data.painpoints,
            painpoint_assignments=data.assignments, context_turns=context_turns,
            similar_finder=finder_over_results(results),
        )

    # ------------------------------------------------------------------ reading

    def reload(self) -> None:
        """Read the codebook, this coder's codes and memos from the store again (other kernels' edits too).

        Example:
            >>> state = _demo_state(); state.reload(); len(state.codebook)
            2
        """
        self._read_store()
        self._changed()

    def _read_store(self) -> None:
        """Read the codebook, this coder's codes and memos, and every coder's spans (no one is told)."""
        self.codebook = stored_codebook(self.store, self.study)
        self._applied, self._rejected, self._memos = {}, {}, {}
        if self.coder:
            for coding in self.store.coding(self.study, coder=self.coder):
                if coding.action == "apply":
                    self._applied.setdefault(coding.passage_id, set()).add((coding.code_id, coding.char_start, coding.char_end))
                elif coding.action == "reject":
                    self._rejected.setdefault(coding.passage_id, set()).add(coding.code_id)
            for memo in self.store.memos(self.study, coder=self.coder):
                if memo.target_kind == "passage":
                    self._memos[memo.target_id] = memo.text
        self._load_spans()

    @property
    def quote(self) -> Quote | None:
        """The current passage with its context, or None when no passage matches the filters."""
        if self._index is None:
            return None
        row = self.passages.iloc[self._index]
        return quote_in_context(row.to_dict(), self._segment(str(row["segment_id"])), self.segments, self.context_turns)

    def applied(self, passage_id: str | None = None) -> list[str]:
        """Ids of the codes this coder applied to a passage (the current one by default), codebook order.

        Example:
            >>> state = _demo_state(); _ = state.toggle(2); state.applied()
            ['app']
        """
        pid = passage_id or self._current_id()
        ids = {code_id for code_id, _, _ in self._applied.get(pid or "", set())}
        order = [c.code_id for _, c in self.codebook.walk()]
        return [c for c in order if c in ids] + sorted(ids - set(order))

    @property
    def memo(self) -> str:
        """This coder's memo on the current passage ("" when none)."""
        return self._memos.get(self._current_id() or "", "")

    @property
    def progress(self) -> tuple[int, int]:
        """(passages this coder has coded, all passages).

        Example:
            >>> _demo_state().progress
            (0, 2)
        """
        return sum(1 for pid in self._order if self._applied.get(pid)), len(self._order)

    def hotkey_codes(self) -> list[tuple[str, Code]]:
        """(key, code) for the codes the digit keys toggle: the first ten codable codes unless set.

        Example:
            >>> [(key, code.code_id) for key, code in _demo_state().hotkey_codes()]
            [('1', 'refunds'), ('2', 'app')]
        """
        codable = {c.code_id: c for c in self.codebook.codable()}
        chosen = [c for c in (self._hotkeys or list(codable)) if c in codable][: len(HOTKEYS)]
        return [(HOTKEYS[i], codable[code_id]) for i, code_id in enumerate(chosen)]

    # ------------------------------------------------------------------ who codes, which keys

    def set_coder(self, coder: str) -> None:
        """Code as someone else from now on (their codes and memos are loaded).

        Example:
            >>> state = _demo_state(); state.set_coder("lee"); state.coder, state.applied()
            ('lee', [])
        """
        self.coder = coder.strip()
        self.reload()
        if self.uncoded_only or self._index is None:
            self.set_filters()

    def set_hotkeys(self, codes: Sequence[str]) -> None:
        """Choose the (up to ten) codes the digit keys toggle, by id or name.

        Example:
            >>> state = _demo_state(); state.set_hotkeys(["App problems"]); state.hotkey_codes()[0][1].code_id
            'app'
        """
        self._hotkeys = [self.codebook.get(c).code_id for c in codes][: len(HOTKEYS)]
        self._changed()

    # ------------------------------------------------------------------ coding (saved at once)

    def toggle(self, code: str | int, span: tuple[int, int] | None = None) -> bool:
        """Apply a code to the current passage, or take it off when it is on; return whether it is on now.

        ``code`` is a code id or name, or a hotkey (``1``…``9``, ``0``). ``span`` is a
        character range of the passage text (default: the whole passage).

        Example:
            >>> state = _demo_state(); state.toggle("1"), state.toggle("Refunds")
            (True, False)
        """
        chosen = self._resolve(code)
        pid = self._require_passage()
        key = (chosen.code_id, *(span if span is not None else (None, None)))
        on = key not in self._applied.get(pid, set())
        self._record(pid, chosen.code_id, "apply" if on else "remove", span)
        self._say(f"{chosen.name} {'on' if on else 'off'}")
        return on

    def set_memo(self, text: str) -> None:
        """Write this coder's memo on the current passage ("" clears it).

        Example:
            >>> state = _demo_state(); state.set_memo("Compare with P07"); state.memo
            'Compare with P07'
        """
        pid = self._require_passage()
        self._require_coder()
        self.store.set_memo(self.study, self.coder, "passage", pid, text)
        if text.strip():
            self._memos[pid] = text.strip()
        else:
            self._memos.pop(pid, None)
        self._say("memo saved" if text.strip() else "memo cleared")

    def add_code(self, code: Code) -> Code:
        """Add a code to the study's codebook (or change the code with the same id).

        Example:
            >>> _demo_state().add_code(Code("staff", "Staff attitude")).name
            'Staff attitude'
        """
        self._require_coder()
        added = self.codebook.add(code)
        self.store.put_code(self.study, added.code_id, added.fields(), author=self.coder)
        self._say(f"code {added.name!r} added")
        return added

    def press(self, key: str) -> str:
        """Handle one keyboard shortcut (see ``SHORTCUTS``); return what happened (also in ``message``).

        Example:
            >>> state = _demo_state(); state.press("2"), state.press("ArrowRight"), state.press("?")
            ('App problems on', 'passage 2 of 2', '')
        """
        if key in NEXT_KEYS:
            self.next()
        elif key in PREVIOUS_KEYS:
            self.previous()
        elif len(key) == 1 and key in HOTKEYS:
            hotkeys = dict(self.hotkey_codes())
            if key not in hotkeys:
                self._say(f"no code on key {key}")
            else:  # on the selected span when there is one, else on the current passage
                self.use_code(hotkeys[key].code_id)
        elif key == "Escape":
            self.clear_selection()
        elif key == ACCEPT_KEY:
            self.accept_suggestion()
        elif key == REJECT_KEY:
            self.reject_suggestion()
        else:
            return ""
        return self.message

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` after every change (the view re-renders).

        Example:
            >>> state = _demo_state(); seen = []; state.on_change(lambda: seen.append(1)); _ = state.next(); seen
            [1]
        """
        self._listeners.append(callback)

    # ------------------------------------------------------------------ internals

    def _record(self, pid: str, code_id: str, action: str, span: tuple[int, int] | None, origin: str | None = None) -> None:
        self._require_coder()
        segment_id = str(self.passages.iloc[self._rows[pid]]["segment_id"])
        start, end = span if span is not None else (None, None)
        self.store.record_coding(self.study, self.coder, pid, code_id, action, segment_id=segment_id,
                                 char_start=start, char_end=end, origin=origin)
        applied = self._applied.setdefault(pid, set())
        if action == "apply":
            applied.add((code_id, start, end))
        else:
            applied.discard((code_id, start, end))
        if action == "reject":
            self._rejected.setdefault(pid, set()).add(code_id)
        self._load_spans()

    def _resolve(self, code: str | int) -> Code:
        if isinstance(code, int) or (isinstance(code, str) and len(code) == 1 and code in HOTKEYS):
            hotkeys = dict(self.hotkey_codes())
            key = str(code)
            if key not in hotkeys:
                raise WorkbenchError(f"no code on key {key}; the digit keys toggle {len(hotkeys)} codes (set_hotkeys to change)")
            return hotkeys[key]
        chosen = self.codebook.get(code)
        if not chosen.codable:
            raise WorkbenchError(f"code {chosen.name!r} is a category; apply one of its codes instead")
        return chosen

    def _require_coder(self) -> None:
        if not self.coder:
            raise WorkbenchError("set the coder's name first (CodingState(..., coder='dana') or set_coder)")

    def _require_passage(self) -> str:
        pid = self._current_id()
        if pid is None:
            raise WorkbenchError("no passage is shown (the filters hide them all); clear a filter first")
        return pid

    def _say(self, message: str) -> None:
        self.message = message
        self._changed()

    def _changed(self) -> None:
        for callback in list(self._listeners):
            callback()

    def _segment(self, segment_id: str) -> dict[str, Any] | None:
        if self.segments is None or self.segments.empty:
            return None
        if not hasattr(self, "_segment_rows"):
            self._segment_rows = {str(s): i for i, s in enumerate(self.segments["segment_id"])}
        index = self._segment_rows.get(segment_id)
        return None if index is None else self.segments.iloc[index].to_dict()


def _demo_state() -> CodingState:
    """A small state for the examples: two passages, two codes, one pain point."""
    import tempfile

    from workbench.storage.store import sqlite_url

    store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
    passages = pd.DataFrame({"passage_id": ["a-1", "b-1"], "segment_id": ["a", "b"],
                             "text": ["The refund took weeks.", "The app logged me out."],
                             "participant_id": ["P01", "P02"]})
    painpoints = pd.DataFrame([{"painpoint_id": "PP01", "label": "Refunds take weeks", "keywords": ["refund"],
                                "dimension": "customer service", "quote_texts": ["The refund took weeks."]}])
    assignments = pd.DataFrame({"passage_id": ["a-1", "b-1"], "painpoint_id": ["PP01", "other"], "probability": [0.9, 0.1]})
    codebook = Codebook([Code("refunds", "Refunds"), Code("app", "App problems")])
    words = sorted({w for t in passages["text"] for w in t.lower().strip(".").split()})
    vectors = np.array([[float(w in t.lower().strip(".").split()) for w in words] for t in passages["text"]])
    return CodingState(store, "demo", passages, coder="dana", codebook=codebook, painpoints=painpoints,
                       painpoint_assignments=assignments, similar_finder=finder_over_vectors(passages, vectors))
