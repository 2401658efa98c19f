"""Spans of a turn: what a coder selected with the mouse, and how the store keeps it.

A coder selects any span of a turn (a segment's redacted text): part of a sentence, or several
sentences, even across the passages the analysis cut a long turn into. The store keeps every
coding against a *unit* (``passage_id``) with character offsets into it. For a span the unit is:

- the passage that holds the span's first character, offsets counted from that passage's start
  (the span may run on past the passage's end, within the same turn); or
- the turn itself (``passage_id == segment_id``, offsets into the turn) in a turn the analysis
  gave no passage (an interviewer's question: QDA tools let coders code those too).

A coding without offsets covers its whole unit. :class:`TurnIndex` converts both ways, and
:func:`coded_spans` lists the codings in force of every coder as turn spans (what the coding
view highlights). Memos on a span use :func:`span_key` as their target.

Example:
    >>> passages = pd.DataFrame({"passage_id": ["s1-1", "s1-2"], "segment_id": ["s1", "s1"],
    ...                          "char_start": [0, 20], "char_end": [19, 40]})
    >>> index = TurnIndex(passages)
    >>> index.to_record(TurnSpan("s1", 4, 30))
    ('s1-1', 4, 30)
    >>> index.to_turn("s1-2", 2, 8)
    TurnSpan(segment_id='s1', start=22, end=28)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from workbench.errors import WorkbenchError
from workbench.schema import is_missing

if TYPE_CHECKING:  # pragma: no cover - typing only
    from workbench.storage.store import Store

_SPAN_KEY = re.compile(r"^(?P<segment>.+):(?P<start>\d+)-(?P<end>\d+)$")


@dataclass(frozen=True, order=True)
class TurnSpan:
    """A character span ``[start, end)`` of one turn's redacted text.

    Example:
        >>> TurnSpan("s1", 4, 9).length
        5
    """

    segment_id: str
    start: int
    end: int

    @property
    def length(self) -> int:
        """How many characters the span holds."""
        return self.end - self.start

    def overlaps(self, other: TurnSpan) -> bool:
        """Whether two spans of the same turn share a character.

        Example:
            >>> TurnSpan("s", 0, 5).overlaps(TurnSpan("s", 4, 9)), TurnSpan("s", 0, 5).overlaps(TurnSpan("s", 5, 9))
            (True, False)
        """
        return self.segment_id == other.segment_id and self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class CodedSpan:
    """One code in force on a span of a turn, with who applied it and how (``origin``).

    Example:
        >>> CodedSpan(TurnSpan("s1", 0, 5), "fees", "dana", "s1-1", None, None, None).whole_unit
        True
    """

    span: TurnSpan
    code_id: str
    coder: str
    passage_id: str
    char_start: int | None
    char_end: int | None
    origin: str | None

    @property
    def whole_unit(self) -> bool:
        """Whether the coding covers its whole passage (a keyboard toggle), not a selected span."""
        return self.char_start is None


def span_key(span: TurnSpan) -> str:
    """The memo target of a span: ``segment_id:start-end`` (see :func:`span_from_key`).

    Example:
        >>> span_key(TurnSpan("s-3a2c", 4, 17))
        's-3a2c:4-17'
    """
    return f"{span.segment_id}:{span.start}-{span.end}"


def span_from_key(key: str) -> TurnSpan:
    """The span a memo target names.

    Example:
        >>> span_from_key("s-3a2c:4-17")
        TurnSpan(segment_id='s-3a2c', start=4, end=17)
    """
    match = _SPAN_KEY.match(str(key))
    if match is None:
        raise WorkbenchError(f"memo target {key!r} is not a span; spans read SEGMENT:START-END")
    return TurnSpan(match["segment"], int(match["start"]), int(match["end"]))


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span clipped to the text and without white space at either end (a sloppy mouse selection).

    Example:
        >>> text = "The refund took weeks.  "
        >>> trim_span(text, 3, 40), text[slice(*trim_span(text, 3, 40))]
        ((4, 22), 'refund took weeks.')
    """
    start, end = max(0, min(int(start), int(end), len(text))), min(len(text), max(int(start), int(end)))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class TurnIndex:
    """Where the passages lie in their turns: converts turn spans to stored units and back.

    Args:
        passages: passage_id, segment_id, char_start, char_end (offsets into the turn's text_redacted).
        segments: segment_id and text_redacted, for turns without passages and whole-turn lengths.

    Example:
        >>> passages = pd.DataFrame({"passage_id": ["s1-1"], "segment_id": ["s1"], "char_start": [0], "char_end": [9]})
        >>> segments = pd.DataFrame({"segment_id": ["s1", "q1"], "text_redacted": ["Too slow.", "Why?"]})
        >>> index = TurnIndex(passages, segments)
        >>> index.to_record(TurnSpan("q1", 0, 3)), index.to_turn("q1", None, None)
        (('q1', 0, 3), TurnSpan(segment_id='q1', start=0, end=4))
    """

    def __init__(self, passages: pd.DataFrame, segments: pd.DataFrame | None = None) -> None:
        self._units: dict[str, tuple[str, int, int]] = {}
        self._by_turn: dict[str, list[tuple[int, int, str]]] = {}
        for row in passages.to_dict("records"):
            sid = str(row["segment_id"])
            text = "" if is_missing(row.get("text")) else str(row.get("text"))
            start = 0 if is_missing(row.get("char_start")) else int(row["char_start"])
            end = start + len(text) if is_missing(row.get("char_end")) else int(row["char_end"])
            self._units[str(row["passage_id"])] = (sid, start, end)
            self._by_turn.setdefault(sid, []).append((start, end, str(row["passage_id"])))
        for units in self._by_turn.values():
            units.sort()
        self._turn_length: dict[str, int] = {}
        if segments is not None and "text_redacted" in segments.columns:
            for sid, text in zip(segments["segment_id"].astype(str), segments["text_redacted"]):
                self._turn_length[sid] = 0 if is_missing(text) else len(str(text))

    def passages_of(self, segment_id: str) -> list[tuple[int, int, str]]:
        """(start, end, passage_id) of a turn's passages, in order (empty for a turn without passages).

        Example:
            >>> TurnIndex(pd.DataFrame({"passage_id": ["s-1"], "segment_id": ["s"], "char_start": [0], "char_end": [3]})).passages_of("s")
            [(0, 3, 's-1')]
        """
        return list(self._by_turn.get(str(segment_id), []))

    def to_record(self, span: TurnSpan) -> tuple[str, int, int]:
        """(passage_id, char_start, char_end) that the store keeps for a turn span.

        Example:
            >>> passages = pd.DataFrame({"passage_id": ["s-1", "s-2"], "segment_id": ["s", "s"],
            ...                          "char_start": [0, 10], "char_end": [9, 20]})
            >>> TurnIndex(passages).to_record(TurnSpan("s", 12, 15))
            ('s-2', 2, 5)
        """
        if span.start < 0 or span.end <= span.start:
            raise WorkbenchError(f"turn {span.segment_id}: {span.start}..{span.end} is not a span; select some text")
        units = self._by_turn.get(span.segment_id)
        if not units:
            return span.segment_id, span.start, span.end
        holder = units[0]
        for unit in units:
            if unit[0] <= span.start:
                holder = unit
        start, _end, passage_id = holder
        if span.start < start:  # before the turn's first passage: the turn is the unit
            return span.segment_id, span.start, span.end
        return passage_id, span.start - start, span.end - start

    def to_turn(self, passage_id: str, char_start: int | None, char_end: int | None) -> TurnSpan | None:
        """The turn span of a stored coding (None: a unit these results do not know).

        Example:
            >>> passages = pd.DataFrame({"passage_id": ["s-1"], "segment_id": ["s"], "char_start": [5], "char_end": [9]})
            >>> TurnIndex(passages).to_turn("s-1", None, None), TurnIndex(passages).to_turn("x-1", 0, 2)
            (TurnSpan(segment_id='s', start=5, end=9), None)
        """
        passage_id = str(passage_id)
        whole = is_missing(char_start) or is_missing(char_end)
        if passage_id in self._units:
            segment_id, start, end = self._units[passage_id]
            if whole:
                return TurnSpan(segment_id, start, end)
            return TurnSpan(segment_id, start + int(char_start), start + int(char_end))  # type: ignore[arg-type]
        if passage_id in self._turn_length or passage_id in self._by_turn:
            if whole:
                return TurnSpan(passage_id, 0, self._turn_length.get(passage_id, 0))
            return TurnSpan(passage_id, int(char_start), int(char_end))  # type: ignore[arg-type]
        return None


def coded_spans(store: Store, study: str, index: TurnIndex, coder: str | None = None) -> tuple[list[CodedSpan], int]:
    """The codes in force of every coder (or one) as turn spans; and how many codings name a unit not in these results.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from workbench.storage.store import Store, sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
        >>> _ = store.record_coding("demo", "dana", "s-1", "fees", char_start=2, char_end=6)
        >>> _ = store.record_coding("demo", "lee", "gone-1", "fees")
        >>> passages = pd.DataFrame({"passage_id": ["s-1"], "segment_id": ["s"], "char_start": [10], "char_end": [30]})
        >>> spans, unknown = coded_spans(store, "demo", TurnIndex(passages))
        >>> [(c.coder, c.span) for c in spans], unknown
        ([('dana', TurnSpan(segment_id='s', start=12, end=16))], 1)
    """
    out, unknown = [], 0
    for coding in store.coding(study, coder=coder):
        if coding.action != "apply":
            continue
        span = index.to_turn(coding.passage_id, coding.char_start, coding.char_end)
        if span is None:
            unknown += 1
            continue
        out.append(CodedSpan(span, coding.code_id, coding.coder, coding.passage_id, coding.char_start,
                             coding.char_end, coding.origin))
    return out, unknown
