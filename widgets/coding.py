"""Code interview passages one by one: a plain :class:`CodingState` and the :class:`CodingView` that renders it.

:class:`CodingState` holds one coder's view of a study: the current quote with the turns
before and after it, the codebook, which codes this coder applied, their memo, the filters
and the pain-point suggestions. Every action (toggle a code, write a memo, accept or reject a
suggestion, add a code) is saved to the study's store at once, so nothing is lost when the
kernel dies, several coders can code side by side, and a new state reloads where they were.
It imports no ipywidgets: tests drive it without a browser.

:class:`CodingView` renders a state with ipywidgets and forwards clicks and keys to it.

**Keyboard shortcuts** (``CodingState.press``): ``n`` / ``→`` / ``j`` next, ``p`` / ``←`` /
``k`` previous, ``1``–``9`` and ``0`` toggle the ten hotkey codes, ``a`` accepts and ``x``
rejects the first open suggestion. ipywidgets has no key events, so the view listens with
`ipyevents <https://github.com/mwcraig/ipyevents>`_ (works in JupyterLab, Notebook 7 and
Voila): keys count while the mouse is over the quote or the code buttons, never while typing
in the memo. Without ipyevents the view shows a small "shortcut" text box instead: characters
typed there are read as the same shortcuts.

Example:
    >>> import tempfile
    >>> from workbench.coding import Codebook, Code
    >>> from workbench.store import Store, sqlite_url
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

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.coding import (
    OTHER_PAINPOINT,
    Code,
    Codebook,
    code_from_painpoint,
    load_coding_data,
    painpoint_code_id,
    store_codebook,
    stored_codebook,
)
from workbench.errors import WorkbenchError
from workbench.schema import is_missing
from workbench.store import Store

HOTKEYS = "1234567890"
NEXT_KEYS = ("n", "j", "ArrowRight", "ArrowDown")
PREVIOUS_KEYS = ("p", "k", "ArrowLeft", "ArrowUp")
ACCEPT_KEY, REJECT_KEY = "a", "x"
#: what ``press`` understands, for the view's help line
SHORTCUTS = "n/→ next · p/← previous · 1–9, 0 toggle codes · a accept / x reject a suggestion"


@dataclass(frozen=True)
class Turn:
    """One turn of the conversation around a quote (redacted text).

    Example:
        >>> Turn("Interviewer", "interviewer", "And then?").speaker
        'Interviewer'
    """

    speaker: str
    role: str
    text: str


@dataclass(frozen=True)
class Quote:
    """The passage being coded, inside its turn, with the turns around it.

    ``turn_text[start:end]`` is the passage; ``before``/``after`` are the neighbouring turns
    of the same interview (empty for feedback items).

    Example:
        >>> q = Quote("s1-1", "s1", "Slow.", "P01", "t.txt", "interview", "P01", "Slow. Very.", 0, 5, (), ())
        >>> q.turn_text[q.start:q.end]
        'Slow.'
    """

    passage_id: str
    segment_id: str
    text: str
    participant_id: str | None
    source_id: str | None
    source_kind: str | None
    speaker: str
    turn_text: str
    start: int
    end: int
    before: tuple[Turn, ...]
    after: tuple[Turn, ...]


@dataclass(frozen=True)
class Suggestion:
    """A code the analysis suggests for the current passage, and what the coder made of it.

    ``status`` is ``open``, ``accepted`` (the code is applied) or ``rejected``.

    Example:
        >>> Suggestion("pain-refunds", "Refunds", "PP06", "pain point PP06", 0.8, False, "open").status
        'open'
    """

    code_id: str
    name: str
    painpoint_id: str
    reason: str
    probability: float | None
    in_codebook: bool
    status: str


class CodingState:
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

    Example:
        >>> import tempfile
        >>> from workbench.store import Store, sqlite_url
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
        self._suggested = self._painpoint_lookup(painpoint_assignments)
        self._listeners: list[Callable[[], None]] = []
        self._hotkeys: list[str] | None = None
        if codebook is not None:
            store_codebook(store, study, codebook, author=self.coder or None, keep_existing=True)
        self.codebook = Codebook()
        self._applied: dict[str, set[tuple[str, int | None, int | None]]] = {}
        self._rejected: dict[str, set[str]] = {}
        self._memos: dict[str, str] = {}
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
        from workbench.study import store_url, study_key

        results = Path(results_dir) if results_dir not in (None, "") else Path(study_dir) / ".workbench"
        data = load_coding_data(results)
        return cls(
            store if store is not None else Store(store_url(results)), study_key(Path(study_dir)), data.passages,
            segments=data.segments, coder=coder, codebook=codebook, painpoints=data.painpoints,
            painpoint_assignments=data.assignments, context_turns=context_turns,
        )

    # ------------------------------------------------------------------ reading

    def reload(self) -> None:
        """Read the codebook, this coder's codes and memos from the store again (other kernels' edits too).

        Example:
            >>> state = _demo_state(); state.reload(); len(state.codebook)
            2
        """
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
        self._changed()

    @property
    def quote(self) -> Quote | None:
        """The current passage with its context, or None when no passage matches the filters."""
        if self._index is None:
            return None
        row = self.passages.iloc[self._index]
        pid, sid = str(row["passage_id"]), str(row["segment_id"])
        turn_text, start, end = str(row["text"]), 0, len(str(row["text"]))
        before: tuple[Turn, ...] = ()
        after: tuple[Turn, ...] = ()
        segment = self._segment(sid)
        if segment is not None:
            turn_text = _text(segment.get("text_redacted"), turn_text)
            if not is_missing(row.get("char_start")) and not is_missing(row.get("char_end")):
                start, end = int(row["char_start"]), int(row["char_end"])
            before, after = self._context(segment)
        speaker = _speaker(row.to_dict() | ({} if segment is None else {"role": segment.get("role")}))
        return Quote(pid, sid, str(row["text"]), _optional(row.get("participant_id")), _optional(row.get("source_id")),
                     _optional(row.get("source_kind")), speaker, turn_text, start, end, before, after)

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
    def position(self) -> tuple[int, int]:
        """(1-based position of the current passage among those the filters let through, how many they let through).

        Example:
            >>> _demo_state().position
            (1, 2)
        """
        visible = self._visible()
        current = self._current_id()
        return (visible.index(current) + 1 if current in visible else 0, len(visible))

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

    def participants(self) -> list[str]:
        """The participants that have passages, for the participant filter.

        Example:
            >>> _demo_state().participants()
            ['P01', 'P02']
        """
        if "participant_id" not in self.passages.columns:
            return []
        return sorted(self.passages["participant_id"].dropna().astype(str).unique())

    @property
    def suggestions(self) -> list[Suggestion]:
        """Codes the analysis suggests for the current passage: its pain point's code and CX/UX element.

        Example:
            >>> [(s.code_id, s.status) for s in _demo_state().suggestions]
            [('pain-refunds-take-weeks', 'open')]
        """
        pid = self._current_id()
        if pid is None or pid not in self._suggested:
            return []
        painpoint_id, probability = self._suggested[pid]
        row = self._painpoint(painpoint_id)
        label = _text(row.get("label"), painpoint_id)
        applied = set(self.applied(pid))
        rejected = self._rejected.get(pid, set())
        out = []
        code = self._painpoint_code(painpoint_id, label)
        candidates = [(code.code_id if code else painpoint_code_id(label), code.name if code else label,
                       f"pain point {painpoint_id}", code is not None)]
        dimension = _optional(row.get("dimension"))
        if dimension:
            match = [c for c in self.codebook.codable() if c.name.casefold() == dimension.casefold()]
            if match:
                candidates.append((match[0].code_id, match[0].name, f"CX/UX element of pain point {painpoint_id}", True))
        for code_id, name, reason, in_codebook in candidates:
            status = "accepted" if code_id in applied else "rejected" if code_id in rejected else "open"
            out.append(Suggestion(code_id, name, painpoint_id, reason, probability, in_codebook, status))
        return out

    # ------------------------------------------------------------------ moving

    def next(self) -> Quote | None:
        """Go to the next passage the filters let through (stays on the last one).

        Example:
            >>> _demo_state().next().passage_id
            'b-1'
        """
        self._move(+1)
        return self.quote

    def previous(self) -> Quote | None:
        """Go to the previous passage the filters let through (stays on the first one).

        Example:
            >>> state = _demo_state(); _ = state.next(); state.previous().passage_id
            'a-1'
        """
        self._move(-1)
        return self.quote

    def go_to(self, passage_id: str) -> Quote | None:
        """Jump to a passage by id (filters are cleared when they hide it).

        Example:
            >>> _demo_state().go_to("b-1").text
            'The app logged me out.'
        """
        if passage_id not in self._rows:
            raise WorkbenchError(f"no passage {passage_id!r} in passages.parquet; pick one from the passages table")
        if passage_id not in self._visible():
            self.participant, self.code_filter, self.uncoded_only = None, None, False
        self._index = self._rows[passage_id]
        self._say(self._position_text())
        return self.quote

    def set_filters(self, participant: str | None = "", code: str | None = "", uncoded_only: bool | None = None) -> None:
        """Show only one participant's passages, only passages with a code, or only uncoded ones.

        ``None`` clears a filter; leaving an argument out keeps it as it is. The current
        passage stays when the filters still let it through, else the first one that passes.

        Example:
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
        self._say(self._position_text() if visible else "no passage matches these filters")

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

    def accept_painpoint(self, painpoint_id: str) -> Code:
        """Make a pain point of the analysis a code of the codebook (under its CX/UX element).

        Example:
            >>> _demo_state().accept_painpoint("PP01").code_id
            'pain-refunds-take-weeks'
        """
        if self.painpoints is None:
            raise WorkbenchError("no painpoints table loaded; open the state with CodingState.open(study_dir)")
        existing = self._painpoint_code(painpoint_id, _text(self._painpoint(painpoint_id).get("label"), painpoint_id))
        if existing is not None:
            return existing
        return self.add_code(code_from_painpoint(self.painpoints, painpoint_id, codebook=Codebook(list(self.codebook.codes))))

    def accept_suggestion(self, code_id: str | None = None) -> Suggestion | None:
        """Apply a suggested code (default: the first open one), adding it to the codebook when new.

        Example:
            >>> state = _demo_state(); state.accept_suggestion().status, state.applied()
            ('accepted', ['pain-refunds-take-weeks'])
        """
        suggestion = self._suggestion(code_id)
        if suggestion is None:
            self._say("no open suggestion here")
            return None
        pid = self._require_passage()
        if not suggestion.in_codebook:
            self.accept_painpoint(suggestion.painpoint_id)
        if suggestion.code_id not in self.applied(pid):
            self._record(pid, suggestion.code_id, "apply", None, origin=f"suggestion:{suggestion.painpoint_id}")
        self._say(f"accepted {suggestion.name}")
        return next(s for s in self.suggestions if s.code_id == suggestion.code_id)

    def reject_suggestion(self, code_id: str | None = None) -> Suggestion | None:
        """Turn down a suggested code (default: the first open one); it stays hidden for this coder.

        Example:
            >>> state = _demo_state(); state.reject_suggestion().status
            'rejected'
        """
        suggestion = self._suggestion(code_id)
        if suggestion is None:
            self._say("no open suggestion here")
            return None
        pid = self._require_passage()
        self._record(pid, suggestion.code_id, "reject", None, origin=f"suggestion:{suggestion.painpoint_id}")
        self._say(f"rejected {suggestion.name}")
        return next(s for s in self.suggestions if s.code_id == suggestion.code_id)

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
            else:
                self.toggle(hotkeys[key].code_id)
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
                self._say(self._position_text())
                return
            index += step
        self._say("that was the last passage" if step > 0 else "this is the first passage")

    def _position_text(self) -> str:
        position, total = self.position
        return f"passage {position} of {total}"

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

    def _context(self, segment: dict[str, Any]) -> tuple[tuple[Turn, ...], tuple[Turn, ...]]:
        if str(segment.get("source_kind") or "") != "interview" or is_missing(segment.get("turn")):
            return (), ()
        same = self.segments[self.segments["source_id"] == segment["source_id"]].sort_values("turn")
        turns = same["turn"].tolist()
        here = turns.index(segment["turn"])
        window = self.context_turns
        rows = same.to_dict("records")
        as_turn = lambda r: Turn(_speaker(r), str(r.get("role") or ""), _text(r.get("text_redacted")))  # noqa: E731
        return (tuple(as_turn(r) for r in rows[max(0, here - window):here]),
                tuple(as_turn(r) for r in rows[here + 1:here + 1 + window]))

    @staticmethod
    def _painpoint_lookup(assignments: pd.DataFrame | None) -> dict[str, tuple[str, float | None]]:
        if assignments is None or "painpoint_id" not in assignments.columns:
            return {}
        out = {}
        for row in assignments.to_dict("records"):
            pid = str(row.get("painpoint_id"))
            if pid and pid != OTHER_PAINPOINT and not is_missing(row.get("painpoint_id")):
                probability = row.get("probability")
                out[str(row["passage_id"])] = (pid, None if is_missing(probability) else float(probability))
        return out

    def _painpoint(self, painpoint_id: str) -> dict[str, Any]:
        if self.painpoints is None:
            return {"painpoint_id": painpoint_id}
        rows = self.painpoints[self.painpoints["painpoint_id"].astype(str) == painpoint_id]
        return rows.iloc[0].to_dict() if not rows.empty else {"painpoint_id": painpoint_id}

    def _painpoint_code(self, painpoint_id: str, label: str) -> Code | None:
        for code in self.codebook.codes:
            if code.source == f"painpoint:{painpoint_id}" or code.code_id == painpoint_code_id(label):
                return code
        return None

    def _suggestion(self, code_id: str | None) -> Suggestion | None:
        open_ones = [s for s in self.suggestions if s.status == "open"]
        if code_id is None:
            return open_ones[0] if open_ones else None
        return next((s for s in self.suggestions if s.code_id == code_id), None)


def _text(value: Any, default: str = "") -> str:
    return default if is_missing(value) else str(value)


def _optional(value: Any) -> str | None:
    return None if is_missing(value) else str(value)


def _speaker(row: dict[str, Any]) -> str:
    """Who speaks, without names: the participant's pseudonym, or the role."""
    if str(row.get("role") or "") == "interviewer":
        return "Interviewer"
    return _optional(row.get("participant_id")) or str(row.get("role") or "customer").capitalize()


def _demo_state() -> CodingState:
    """A small state for the examples: two passages, two codes, one pain point."""
    import tempfile

    from workbench.store import sqlite_url

    store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
    passages = pd.DataFrame({"passage_id": ["a-1", "b-1"], "segment_id": ["a", "b"],
                             "text": ["The refund took weeks.", "The app logged me out."],
                             "participant_id": ["P01", "P02"]})
    painpoints = pd.DataFrame([{"painpoint_id": "PP01", "label": "Refunds take weeks", "keywords": ["refund"],
                                "dimension": "customer service", "quote_texts": ["The refund took weeks."]}])
    assignments = pd.DataFrame({"passage_id": ["a-1", "b-1"], "painpoint_id": ["PP01", "other"], "probability": [0.9, 0.1]})
    codebook = Codebook([Code("refunds", "Refunds"), Code("app", "App problems")])
    return CodingState(store, "demo", passages, coder="dana", codebook=codebook, painpoints=painpoints,
                       painpoint_assignments=assignments)


# ---------------------------------------------------------------------------------------- the view


class CodingView:
    """ipywidgets view of a :class:`CodingState`: renders it and forwards clicks and keys, nothing else.

    Display it in a notebook (``display(CodingView(state).widget)`` or just ``CodingView(state)``).

    Example:
        >>> view = CodingView(_demo_state())
        >>> view.code_buttons[0].click(); view.state.applied()
        ['refunds']
    """

    def __init__(self, state: CodingState) -> None:
        import ipywidgets as w

        self.state = state
        self._w = w
        self._rendering = False
        self.status = w.HTML()
        self.coder = w.Text(value=state.coder, description="Coder", placeholder="your name", continuous_update=False,
                            layout=w.Layout(width="240px"))
        self.participant = w.Dropdown(description="Participant", layout=w.Layout(width="220px"))
        self.code_filter = w.Dropdown(description="Code", layout=w.Layout(width="260px"))
        self.uncoded = w.Checkbox(description="uncoded only", indent=False, layout=w.Layout(width="130px"))
        self.previous_button = w.Button(description="◀ previous", tooltip="p or ←")
        self.next_button = w.Button(description="next ▶", tooltip="n or →")
        self.reload_button = w.Button(description="↻", tooltip="reload codes and memos from the store (colleagues' new codes)",
                                      layout=w.Layout(width="40px"))
        self.quote = w.HTML(layout=w.Layout(border="1px solid #e5e7eb", padding="8px", min_height="120px"))
        self.code_box = w.HBox(layout=w.Layout(flex_flow="row wrap"))
        self.code_buttons: list[Any] = []
        self.other_code = w.Dropdown(description="Other code", layout=w.Layout(width="320px"))
        self.other_toggle = w.Button(description="toggle", layout=w.Layout(width="80px"))
        self.suggestion_box = w.VBox()
        self.memo = w.Textarea(placeholder="memo on this passage (saved when you leave the box)", continuous_update=False,
                               layout=w.Layout(width="100%", height="60px"))
        self.help = w.HTML(f"<small style='color:#6b7280'>Shortcuts (mouse over the quote or the codes): {SHORTCUTS}</small>")
        self.shortcut_box = None
        self.keyboard = self._keyboard(w)

        self.coder.observe(self._on_coder, "value")
        self.participant.observe(lambda change: self._forward(self.state.set_filters, participant=change["new"] or None), "value")
        self.code_filter.observe(lambda change: self._forward(self.state.set_filters, code=change["new"] or None), "value")
        self.uncoded.observe(lambda change: self._forward(self.state.set_filters, uncoded_only=change["new"]), "value")
        self.previous_button.on_click(lambda _: self._forward(self.state.previous))
        self.next_button.on_click(lambda _: self._forward(self.state.next))
        self.reload_button.on_click(lambda _: self._forward(self.state.reload))
        self.other_toggle.on_click(lambda _: self.other_code.value and self._forward(self.state.toggle, self.other_code.value))
        self.memo.observe(lambda change: self._forward(self.state.set_memo, change["new"]), "value")

        rows = [
            w.HBox([self.coder, self.participant, self.code_filter, self.uncoded]),
            w.HBox([self.previous_button, self.next_button, self.reload_button, self.status]),
            self.quote, self.code_box, w.HBox([self.other_code, self.other_toggle]),
            self.suggestion_box, self.memo, self.help,
        ]
        if self.shortcut_box is not None:
            rows.append(self.shortcut_box)
        self.widget = w.VBox(rows)
        state.on_change(self.render)
        self.render()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def _keyboard(self, w: Any) -> Any:
        """ipyevents key listeners on the quote and the code buttons; else a shortcut text box."""
        try:
            from ipyevents import Event
        except ImportError:
            self.shortcut_box = w.Text(placeholder="type shortcuts here: n, p, 1–9, a, x", description="Keys",
                                       layout=w.Layout(width="320px"))
            self.shortcut_box.observe(self._on_shortcut_text, "value")
            return None
        events = []
        for source in (self.quote, self.code_box):
            event = Event(source=source, watched_events=["keydown"], prevent_default_action=True)
            event.on_dom_event(self._on_key)
            events.append(event)
        return events

    def _on_key(self, event: dict[str, Any]) -> None:
        self._forward(self.state.press, str(event.get("key", "")))

    def _on_shortcut_text(self, change: dict[str, Any]) -> None:
        if self._rendering or not change["new"]:
            return
        for key in change["new"]:
            self._forward(self.state.press, key)
        self._rendering = True
        self.shortcut_box.value = ""
        self._rendering = False

    def _on_coder(self, change: dict[str, Any]) -> None:
        self._forward(self.state.set_coder, change["new"])

    def _forward(self, action: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Send a user action to the state; show a WorkbenchError as the status line instead of a traceback."""
        if self._rendering:
            return
        try:
            action(*args, **kwargs)
        except WorkbenchError as error:
            self.status.value = f"<span style='color:#b91c1c'>{html.escape(str(error))}</span>"

    def render(self) -> None:
        """Show the state as it is now."""
        w, state = self._w, self.state
        self._rendering = True
        try:
            position, total = state.position
            coded, everything = state.progress
            self.status.value = (f"<b>{position} of {total}</b> · {coded}/{everything} coded by "
                                 f"{html.escape(state.coder or '(set your name)')} · {html.escape(state.message)}")
            self.participant.options = [("all", "")] + [(p, p) for p in state.participants()]
            self.participant.value = state.participant or ""
            codable = state.codebook.codable()
            self.code_filter.options = [("any", "")] + [(c.name, c.code_id) for c in codable]
            self.code_filter.value = state.code_filter or ""
            self.uncoded.value = state.uncoded_only
            self.other_code.options = [("", "")] + [(c.name, c.code_id) for c in codable]
            self.quote.value = _quote_html(state.quote)
            applied = set(state.applied()) if state.quote is not None else set()
            self.code_buttons = []
            for key, code in state.hotkey_codes():
                button = w.Button(description=f"{key} {code.name}", tooltip=code.description[:200],
                                  button_style="success" if code.code_id in applied else "",
                                  layout=w.Layout(width="auto", border=f"2px solid {code.colour or '#9ca3af'}"))
                button.on_click(lambda _, code_id=code.code_id: self._forward(state.toggle, code_id))
                self.code_buttons.append(button)
            others = [c for c in state.applied() if c not in {code.code_id for _, code in state.hotkey_codes()}]
            names = state.codebook.names()
            extra = [w.HTML(f"<span style='padding:4px'>also: {html.escape(', '.join(names.get(c, c) for c in others))}</span>")] if others else []
            self.code_box.children = tuple(self.code_buttons + extra)
            rows = []
            for suggestion in state.suggestions:
                text = (f"Suggested: <b>{html.escape(suggestion.name)}</b> ({html.escape(suggestion.reason)}"
                        + (f", p={suggestion.probability:.2f}" if suggestion.probability is not None else "")
                        + f") — {suggestion.status}")
                accept = w.Button(description="accept (a)", button_style="info", disabled=suggestion.status != "open")
                reject = w.Button(description="reject (x)", disabled=suggestion.status != "open")
                accept.on_click(lambda _, c=suggestion.code_id: self._forward(state.accept_suggestion, c))
                reject.on_click(lambda _, c=suggestion.code_id: self._forward(state.reject_suggestion, c))
                rows.append(w.HBox([w.HTML(text), accept, reject]))
            self.suggestion_box.children = tuple(rows)
            self.memo.value = state.memo
            self.coder.value = state.coder
        finally:
            self._rendering = False


def _quote_html(quote: Quote | None) -> str:
    """The quote inside its turn (passage highlighted), with the turns around it in grey."""
    if quote is None:
        return "<i>No passage matches these filters.</i>"

    def turn(t: Turn) -> str:
        return f"<div style='color:#6b7280;margin:2px 0'><b>{html.escape(t.speaker)}:</b> {html.escape(t.text)}</div>"

    text = quote.turn_text
    marked = (html.escape(text[:quote.start]) + "<mark style='background:#fef3c7'>"
              + html.escape(text[quote.start:quote.end]) + "</mark>" + html.escape(text[quote.end:]))
    where = " · ".join(x for x in (quote.source_id, quote.participant_id) if x)
    return ("".join(turn(t) for t in quote.before)
            + f"<div style='margin:6px 0;font-size:1.05em'><b>{html.escape(quote.speaker)}:</b> {marked}</div>"
            + "".join(turn(t) for t in quote.after)
            + f"<div style='color:#9ca3af;font-size:0.8em'>{html.escape(where)} · {html.escape(quote.passage_id)}</div>")
