"""Where the turns of a source file lie in its text, and how offsets move between a turn's raw and redacted text.

A REFI-QDA selection is a character range of a whole source text; the workbench codes spans of
a turn's *redacted* text. :func:`locate_turns` finds each turn's raw text in the source text
(in order, tolerant of white space the reader tidied), and :class:`OffsetMap` carries offsets
between a turn's raw text and its redacted text (the parts redaction left alone map exactly; a
point inside a replaced name or number moves to the edge of its replacement).

Example:
    >>> spans = locate_turns("P01: Hi  there.\\n\\nInterviewer: Why?", ["Hi there.", "Why?"])
    >>> spans
    [(5, 15), (30, 34)]
    >>> OffsetMap("Mail maria@example.com now", "Mail [EMAIL] now").to_redacted(23)
    13
"""
from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from collections.abc import Sequence

_WORD = re.compile(r"\S+")


def locate_turns(source_text: str, turn_texts: Sequence[str]) -> list[tuple[int, int] | None]:
    """(start, end) of each turn's text in the source text, searching in order; None where a turn is not found.

    White space may differ (a reader joins lines, trims spaces): runs of it match any run.

    Example:
        >>> locate_turns("A: one\\ntwo\\nB: three", ["one two", "four", "three"])
        [(3, 10), None, (14, 19)]
    """
    out: list[tuple[int, int] | None] = []
    cursor = 0
    for text in turn_texts:
        words = str(text).split()
        if not words:
            out.append(None)
            continue
        exact = source_text.find(str(text), cursor)
        if exact >= 0 and str(text).strip() == str(text):
            out.append((exact, exact + len(str(text))))
            cursor = exact + len(str(text))
            continue
        pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
        match = pattern.search(source_text, cursor)
        if match is None:
            out.append(None)
            continue
        out.append((match.start(), match.end()))
        cursor = match.end()
    return out


class OffsetMap:
    """Offsets between two versions of one text (raw and redacted; or a source and a reader's tidied turn).

    Example:
        >>> mapping = OffsetMap("Call Maria Lopez today", "Call P07 today")
        >>> mapping.to_redacted(0), mapping.to_redacted(17), mapping.to_raw(9)
        (0, 9, 17)
    """

    def __init__(self, raw: str, redacted: str) -> None:
        self.raw, self.redacted = raw, redacted
        self._blocks: list[tuple[int, int, int]] = []  # raw start, redacted start, length of equal runs
        if raw == redacted:
            self._blocks = [(0, 0, len(raw))] if raw else []
        else:  # words are matched, not characters: fast on long turns; white space between words is a gap
            words_a = [(m.start(), m.group()) for m in _WORD.finditer(raw)]
            words_b = [(m.start(), m.group()) for m in _WORD.finditer(redacted)]
            matcher = difflib.SequenceMatcher(None, [w for _, w in words_a], [w for _, w in words_b], autojunk=False)
            for block in matcher.get_matching_blocks():
                for k in range(block.size):
                    (at_a, word), (at_b, _) = words_a[block.a + k], words_b[block.b + k]
                    self._blocks.append((at_a, at_b, len(word)))
        self._raw_starts = [b[0] for b in self._blocks]
        self._redacted_starts = [b[1] for b in self._blocks]

    def to_redacted(self, offset: int, end: bool = False) -> int:
        """The redacted offset of a raw offset (``end``: of a span's end, which snaps forward in a replacement)."""
        return self._map(offset, self._raw_starts, 0, 1, len(self.redacted), end)

    def to_raw(self, offset: int, end: bool = False) -> int:
        """The raw offset of a redacted offset."""
        return self._map(offset, self._redacted_starts, 1, 0, len(self.raw), end)

    def _map(self, offset: int, starts: list[int], here: int, there: int, length: int, end: bool) -> int:
        if not self._blocks:
            return 0 if not end else length
        index = bisect_right(starts, offset) - 1
        if index >= 0:
            block = self._blocks[index]
            inside = offset - block[here]
            if inside < block[2] or (end and inside == block[2]):
                return block[there] + inside
            if not end:  # in a replaced run: a start moves to the end of the equal run before it
                return block[there] + block[2]
        if end:  # a span's end inside a replaced run: the start of the next equal run
            following = index + 1
            return self._blocks[following][there] if following < len(self._blocks) else length
        return 0 if index < 0 else self._blocks[index][there] + self._blocks[index][2]
