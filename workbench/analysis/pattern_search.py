r"""Which texts match which regular expression, fast: one pass of plain-text search per pattern.

Trying 800 cue patterns (:mod:`workbench.analysis.lens_cues`) on each of 100,000 passages is 80
million regular-expression searches. Most patterns must start with one of a few words ("on hold",
"refund", "the (app|website)"...), read off re's own parse of the pattern; those words are found
in all texts at once with ``str.find`` on one joined, lower-cased string, and the pattern is then
tried only on the texts that hold one. A pattern that may start with anything (a digit, a
two-letter word) is tried on every text. The rows found are exactly those ``pattern.search``
finds text by text (``tests/test_lens_attribution.py`` checks it).

Example:
    >>> import re
    >>> search = PatternSearch(["I was on hold for an hour", "The app crashed", "Refunded at last"])
    >>> search.rows_matching(re.compile(r"\bon hold\b", re.IGNORECASE)).tolist()
    [0]
    >>> search.rows_matching(re.compile(r"\brefund(?:s|ed)?\b", re.IGNORECASE)).tolist()
    [2]
    >>> sorted(words_to_look_for(r"\b(?:i|we) (?:rang|phoned)\b"))
    ['phoned', 'rang']
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

try:  # re's own parser, to find the words a pattern must start with
    from re import _constants, _parser  # Python 3.11+
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _constants  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

#: between texts when all are searched in one string: no cue pattern can match across it
_SEPARATOR = "\n\x00\n"
#: most spelled-out prefixes kept per pattern
_MAX_PREFIXES = 64
#: words in nearly every passage: never the word a pattern is looked up by
_COMMON_WORDS = frozenset(
    "the their your our its them they this that these those with from were was have has had and but for not you are "
    "can all any into onto about there then than when what which who".split()
)


class PatternSearch:
    r"""Texts prepared once for many patterns (see the module docstring).

    Example:
        >>> PatternSearch(["Press 1 for billing", "the courier"]).rows_matching(re.compile(r"\bpress \d", re.I)).tolist()
        [0]
    """

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = [str(text) for text in texts]
        lowered = [text.lower().replace("\x00", " ") for text in self.texts]
        self.joined = _SEPARATOR.join(lowered)
        self.starts = np.cumsum([0] + [len(text) + len(_SEPARATOR) for text in lowered[:-1]]).astype(np.int64)

    def rows_matching(self, pattern: re.Pattern[str]) -> np.ndarray:
        """The positions of the texts ``pattern.search`` finds something in, in order."""
        needles = words_to_look_for(pattern.pattern)
        candidates = range(len(self.texts)) if needles is None else self._rows_containing(needles)
        return np.asarray([row for row in candidates if pattern.search(self.texts[row])], dtype=np.int64)

    def _rows_containing(self, needles: frozenset[str]) -> np.ndarray:
        found: list[int] = []
        for needle in needles:
            position = self.joined.find(needle)
            while position >= 0:
                found.append(position)
                position = self.joined.find(needle, position + 1)
        if not found:
            return np.zeros(0, dtype=np.int64)
        return np.unique(np.searchsorted(self.starts, np.asarray(found), side="right") - 1)


@lru_cache(maxsize=None)
def words_to_look_for(pattern: str) -> frozenset[str] | None:
    """Lower-case words one of which every match of ``pattern`` contains (a word of the text it must
    start with), or None when that is not known (then the pattern is tried on every text)."""
    try:
        parsed = list(_parser.parse(pattern, re.IGNORECASE))
    except Exception:  # pragma: no cover - a pattern re accepts always parses
        return None
    prefixes = _literal_prefixes(parsed)
    if not prefixes:
        return None
    needles = set()
    for prefix in prefixes:  # one word of each prefix is enough to look for: the longest uncommon one
        words = [word for word in re.findall(r"[^\W\d_]+", prefix.lower()) if len(word) >= 3]
        rare = [word for word in words if word not in _COMMON_WORDS] or words
        needle = max(rare, key=len) if rare else ""
        if len(needle) < 3:  # "ad" is in "had", "read", "made"...: cheaper to try the pattern everywhere
            return None
        needles.add(needle)
    return frozenset(needles)


def _literal_prefixes(items: list) -> set[str] | None:  # noqa: C901 - a small walk of re's parse tree
    """Prefixes every match of the parsed ``items`` starts with; a group of plain-text alternatives,
    an optional plain text ("s?") and a small set of characters ("[- ]") are spelled out."""
    prefixes = {""}
    for op, value in items:
        if len(prefixes) > _MAX_PREFIXES:
            break
        if op in (_constants.AT, _constants.ASSERT, _constants.ASSERT_NOT) and prefixes == {""}:
            continue  # \b or a look-behind before the first character: zero width
        if op is _constants.LITERAL:
            prefixes = {p + chr(value) for p in prefixes}
            continue
        if op is _constants.IN and 0 < len(value) <= 4 and all(kind is _constants.LITERAL for kind, _ in value):
            prefixes = {p + chr(char) for p in prefixes for _, char in value}
            continue
        if op is _constants.MAX_REPEAT and value[0] == 0 and value[1] == 1 and _plain(value[2]) is not None:
            prefixes = {p + s for p in prefixes for s in ("", _plain(value[2]))}
            continue
        if op is _constants.BRANCH:
            alternatives = [list(a) for a in value[1]]
        elif op is _constants.SUBPATTERN:
            alternatives = [list(value[-1])]
        else:
            break
        plain = [_plain(a) for a in alternatives]
        if all(text is not None for text in plain):  # every alternative is plain text: go on after it
            prefixes = {p + text for p in prefixes for text in plain}
            continue
        inner: set[str] = set()
        for alternative in alternatives:
            starts = _literal_prefixes(alternative)
            if not starts or "" in starts:
                return prefixes  # this group may start anyhow: only the text before it is sure
            inner |= starts
        return {p + s for p in prefixes for s in inner}
    return prefixes


def _plain(items: list) -> str | None:
    """The text of parsed ``items`` that are all plain characters, else None."""
    items = list(items)
    if not all(op is _constants.LITERAL for op, _ in items):
        return None
    return "".join(chr(value) for _, value in items)
