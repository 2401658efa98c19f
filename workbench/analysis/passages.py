"""Analysis units: customer turns and feedback items cut into passages of bounded length.

One topic per document is wrong for long answers (DESIGN.md §5), so a long customer turn is
cut into passages on sentence boundaries, preferring the boundaries where the talk changes
subject. Interviewer and agent turns are context, not units: they never become passages.

Every passage keeps its ``segment_id`` and character offsets into ``text_redacted``, so a quote
in a report can always be traced back to the turn it came from. Nothing is dropped: a customer
segment with no words at all ("👍") is still one passage (a later step files it under "Other").

How a long segment is cut:

1. :func:`split_sentences` finds sentence spans with a regex that knows abbreviations
   ("Mr.", "e.g."), decimals ("£12.50"), ellipses, "?!" and closing quotes.
2. A sentence longer than ``max_words`` is cut at clause boundaries (``; : —`` then commas, then
   before "and/but/so/because"), and a clause still too long is hard-split into word chunks.
3. A small dynamic programme picks where to cut: few passages (about as few as the length
   limit allows), no passage under ``min_words`` words, and the cuts placed where neighbouring
   sentences share the fewest content words, at paragraph breaks, or before topic-shift openers
   ("Another thing…", "As for…"; a clear shift may cost one extra passage), and never
   mid-clause if a sentence boundary will do.

Example:
    >>> import pandas as pd
    >>> segments = pd.DataFrame({"segment_id": ["s-1", "s-2"], "role": ["interviewer", "customer"],
    ...     "source_kind": ["interview"] * 2, "text_redacted": ["Why?", "Because the app crashed."]})
    >>> split_into_passages(segments)[["passage_id", "text"]].values.tolist()
    [['s-2-1', 'Because the app crashed.']]
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from workbench.errors import WorkbenchError

#: columns of the passages table, in order, with their dtypes
PASSAGE_COLUMNS: dict[str, str] = {
    "passage_id": "string",
    "segment_id": "string",
    "passage_index": "Int64",
    "char_start": "Int64",
    "char_end": "Int64",
    "text": "string",
    "participant_id": "string",
    "source_kind": "string",
    "source_id": "string",
    "channel": "string",
    "rating": "Float64",
}

_CARRIED = ("participant_id", "source_kind", "source_id", "channel", "rating")

#: words whose period never ends a sentence: titles and Latin short forms ("Mr. Lee", "e.g. Paris")
TITLE_ABBREVIATIONS: frozenset[str] = frozenset(
    {"mr", "mrs", "ms", "mx", "dr", "prof", "sr", "jr", "st", "mt", "ft", "vs", "v", "eg", "ie", "cf",
     "approx", "ca", "no", "nos", "nr", "tel", "ref", "fig", "vol", "pp", "gen", "gov", "sgt", "capt",
     "lt", "col", "rev", "incl", "excl", "esp"}
)
#: words whose period ends a sentence only when a capital letter follows ("etc. Then", "at 5 hrs. So")
ABBREVIATIONS: frozenset[str] = frozenset(
    {"etc", "al", "appt", "apt", "dept", "est", "inc", "ltd", "co", "corp", "min", "mins", "max",
     "hr", "hrs", "sec", "secs", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
     "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun", "rd", "ave"}
)

#: openers that usually start a new subject; a cut just before them is cheap
TOPIC_SHIFT_OPENERS = re.compile(
    r"^(?:another\b|also\b|the other\b|other than\b|apart from\b|aside from\b|besides\b|"
    r"separately\b|as for\b|as far as\b|on (?:a|another) (?:different |separate )?(?:note|topic|thing)\b|"
    r"oh,? and\b|and another\b|my other\b|one more\b|secondly\b|second\b|third\b|thirdly\b|"
    r"finally\b|lastly\b|then there(?:'s| is| was)\b|what else\b|moving on\b|anyway\b|"
    r"(?:a|the|my) (?:second|third|last|next|different|separate|other|bigger|biggest) (?:thing|problem|issue|gripe|complaint|trip)\b|"
    r"a different\b|what (?:also|really) (?:annoyed|bugged|bothered)\b|on the (?:plus|positive|bright) side\b|"
    r"to be fair\b|in fairness\b|the good (?:thing|news|part)\b|the worst (?:thing|part)\b)",
    re.IGNORECASE,
)
#: openers that lean on the sentence before; a cut just before them is expensive
CONTINUATION_OPENERS = re.compile(
    r"^(?:it\b|it's\b|that\b|that's\b|this\b|they\b|they're\b|so\b|but\b|and\b|because\b|"
    r"which\b|then\b|after that\b|even\b|still\b|plus\b|though\b|yet\b|or\b|he\b|she\b|"
    r"there\b|when i\b|in the end\b|eventually\b)",
    re.IGNORECASE,
)

_STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours out over own same she
    should so some such than that the their theirs them then there these they this those through to
    too under until up very was we were what when where which while who whom why will with would you
    your yours yourself really like got get just said says one thing things time also even still
    well yeah yes oh um uh know think mean kind sort bit lot much many way went go going gone come
    came back made make told tell did didn't don't wasn't couldn't can't it's i'm i'd i've that's""".split()
)

_WORD = re.compile(r"\S+")
# a terminator run ('.', '!', '?', '…' in any mix), optional closing quotes/brackets, then whitespace
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_CLAUSE_STRONG = re.compile(r"[;:]\s+|\s+[—–-]{1,2}\s+")
_CLAUSE_COMMA = re.compile(r",\s+")
_CLAUSE_CONJUNCTION = re.compile(r"\s+(?=(?:and|but|so|because|although|though|while|which|when|then)\b)", re.I)


@dataclass(frozen=True)
class _Atom:
    """A piece of text that is never cut: a sentence, or a clause or word chunk of a long one."""

    start: int
    end: int
    words: int
    cut_before: float  # cost of starting a passage at this atom (0 for the first atom)


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _count_words(text: str) -> int:
    return len(_WORD.findall(text))


def _period_is_not_an_end(text: str, dot: int, next_char: str) -> bool:
    """True when the '.' at ``dot`` closes an abbreviation or an initial, not a sentence."""
    match = re.search(r"([A-Za-z][A-Za-z.]*)$", text[:dot])
    if not match:
        return False
    token = match.group(1)
    bare = token.replace(".", "").lower()
    if bare in TITLE_ABBREVIATIONS:
        return True
    if bare in ABBREVIATIONS:
        return not next_char.isupper()
    if len(token) == 1:  # an initial: "J. Smith" (and, rarely wrong, "Plan B. Then")
        return token.isupper()
    return bool(re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", token))  # e.g / i.e / U.S / a.m


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` spans of the sentences of ``text``, whitespace stripped.

    Sentence ends are '.', '!', '?', '…' (in any run, e.g. '?!' or '...'), optionally followed by
    closing quotes or brackets, then whitespace and a character that can start a sentence (not a
    lower-case letter, unless the whole text is written in lower case). A '.' after a known
    abbreviation ("Mr.", "e.g.", "approx.") or an initial is not an end; decimals ("£12.50") never
    are, since no space follows the dot. A blank line always ends a sentence, and so does a line
    break before a capital letter.

    Example:
        >>> text = 'Mr. Lee said "it costs £12.50." Really?! I paid e.g. fees... Then I left.'
        >>> [text[a:b] for a, b in split_sentences(text)]
        ['Mr. Lee said "it costs £12.50."', 'Really?!', 'I paid e.g. fees...', 'Then I left.']
    """
    if not text or not text.strip():
        return []
    all_lower = not any(ch.isupper() for ch in text)
    cuts: set[int] = set()
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        following = re.match(r"\s+(\S)", text[end:])
        if not following:
            continue
        first = following.group(1)
        if first.islower() and not all_lower:
            continue
        terminators = match.group(0).rstrip("\"'”’)]")
        if terminators == "." and _period_is_not_an_end(text, match.start(), first):
            continue
        cuts.add(end)
    for match in _PARAGRAPH_BREAK.finditer(text):
        cuts.add(match.start())
    for match in re.finditer(r"\n", text):
        nxt = re.match(r"\s*(\S)", text[match.end() :])
        if nxt and (not nxt.group(1).islower() or all_lower):
            cuts.add(match.start())
    spans: list[tuple[int, int]] = []
    previous = 0
    for cut in sorted(cuts) + [len(text)]:
        start, end = _strip_span(text, previous, cut)
        if end > start:
            spans.append((start, end))
        previous = cut
    return spans


def _split_long_span(text: str, start: int, end: int, max_words: int) -> list[tuple[int, int, float]]:
    """Cut a span longer than ``max_words`` into clause pieces, then word chunks.

    Returns ``(start, end, cost_of_cut_before)`` triples; the first triple's cost is 0.
    """
    if _count_words(text[start:end]) <= max_words:
        return [(start, end, 0.0)]
    for pattern, cost in ((_CLAUSE_STRONG, 3.0), (_CLAUSE_COMMA, 4.0), (_CLAUSE_CONJUNCTION, 5.0)):
        pieces: list[tuple[int, int]] = []
        previous = start
        for match in pattern.finditer(text, start, end):
            piece = _strip_span(text, previous, match.end())
            if piece[1] > piece[0] and _count_words(text[piece[0] : piece[1]]) >= 2:
                pieces.append(piece)
                previous = match.end()
        tail = _strip_span(text, previous, end)
        if tail[1] > tail[0]:
            pieces.append(tail)
        if len(pieces) > 1:
            result: list[tuple[int, int, float]] = []
            for index, (a, b) in enumerate(pieces):
                for k, (c, d, inner) in enumerate(_split_long_span(text, a, b, max_words)):
                    result.append((c, d, inner if k else (cost if index else 0.0)))
            return result
    # no clause boundary helps: hard-split into chunks of whole words
    words = list(_WORD.finditer(text, start, end))
    chunk = max(1, max_words)
    n_chunks = math.ceil(len(words) / chunk)
    size = math.ceil(len(words) / n_chunks)
    result = []
    for index in range(0, len(words), size):
        group = words[index : index + size]
        result.append((group[0].start(), group[-1].end(), 8.0 if index else 0.0))
    return result


def _content_words(text: str) -> set[str]:
    words = re.findall(r"[a-z][a-z']+", text.lower())
    return {w[:6] for w in words if w not in _STOPWORDS and len(w) > 2}


def _cohesion(text: str, sentences: list[tuple[int, int]], index: int) -> float:
    """Cost in [-1, 1.6] of cutting before sentence ``index``: high when the talk runs on.

    Content-word overlap of the two sentences either side (0 to 1), +0.5 before a sentence that
    leans on the one before ("It…", "So…"), -1.2 before a topic-shift opener ("Another thing…"),
    -0.5 at a paragraph break. A negative cost lets a cut at a clear topic shift pay for one
    extra passage.
    """
    before = " ".join(text[a:b] for a, b in sentences[max(0, index - 2) : index])
    after = " ".join(text[a:b] for a, b in sentences[index : index + 2])
    left, right = _content_words(before), _content_words(after)
    overlap = len(left & right) / math.sqrt(len(left) * len(right)) if left and right else 0.0
    cost = min(1.0, 2.0 * overlap)
    opener = text[sentences[index][0] : sentences[index][1]].lstrip("\"'“‘([ ")
    if TOPIC_SHIFT_OPENERS.match(opener):
        cost -= 1.2
    elif CONTINUATION_OPENERS.match(opener):
        cost += 0.5
    gap = text[sentences[index - 1][1] : sentences[index][0]]
    if _PARAGRAPH_BREAK.search(gap):
        cost -= 0.5
    return max(-1.0, cost + 0.1)


def _atoms(text: str, max_words: int) -> list[_Atom]:
    sentences = split_sentences(text)
    atoms: list[_Atom] = []
    for index, (start, end) in enumerate(sentences):
        sentence_cut = _cohesion(text, sentences, index) if index else 0.0
        for k, (a, b, clause_cut) in enumerate(_split_long_span(text, start, end, max_words)):
            atoms.append(_Atom(a, b, _count_words(text[a:b]), sentence_cut if k == 0 else clause_cut))
    return atoms


def _plan_cuts(atoms: list[_Atom], max_words: int, min_words: int) -> list[tuple[int, int]]:
    """Choose passages (``[first_atom, last_atom)`` ranges) by dynamic programming.

    Cost of a plan = 1 per passage (so few passages win) + each cut's cost + heavy
    penalties for a passage over ``max_words`` or under ``min_words`` words + a small penalty for
    passages much shorter than a quarter of ``max_words`` (no stubs).
    """
    n = len(atoms)
    words = [0]
    for atom in atoms:
        words.append(words[-1] + atom.words)
    best = [0.0] + [math.inf] * n
    back = [0] * (n + 1)
    window = 2 * max_words + min_words
    for j in range(1, n + 1):
        for i in range(j - 1, -1, -1):
            size = words[j] - words[i]
            if size > window and i < j - 1:
                break
            cost = best[i] + 1.0 + (atoms[i].cut_before if i else 0.0)
            if size > max_words:
                cost += 100.0 + (size - max_words)
            if size < min_words:
                cost += 50.0
            elif size < max_words / 4:
                cost += 0.5 * (max_words / 4 - size) / max(1.0, max_words / 4)
            if cost < best[j]:
                best[j], back[j] = cost, i
    plan: list[tuple[int, int]] = []
    j = n
    while j > 0:
        plan.append((back[j], j))
        j = back[j]
    return plan[::-1]


def split_text(text: str, max_words: int = 80, min_words: int = 4) -> list[tuple[int, int]]:
    """Return ``(char_start, char_end)`` spans of the passages of one text.

    A text of at most ``max_words`` words is one passage; so is a text with no words at all.
    Spans are stripped of surrounding whitespace and cover every sentence exactly once, in order.

    Example:
        >>> text = "The app crashed. " * 30
        >>> spans = split_text(text, max_words=40)
        >>> len(spans), all(len(text[a:b].split()) <= 40 for a, b in spans)
        (3, True)
        >>> split_text("  ok  ")
        [(2, 4)]
    """
    if max_words < 1 or min_words < 0:
        raise WorkbenchError(f"passages: max_words must be ≥ 1 and min_words ≥ 0 (got {max_words}, {min_words})")
    start, end = _strip_span(text, 0, len(text))
    if end <= start:
        return [(0, 0)]
    if _count_words(text) <= max_words:
        return [(start, end)]
    atoms = _atoms(text, max_words)
    return [(atoms[i].start, atoms[j - 1].end) for i, j in _plan_cuts(atoms, max_words, min(min_words, max_words))]


def split_into_passages(segments: pd.DataFrame, max_words: int = 80, min_words: int = 4) -> pd.DataFrame:
    """Return the passages table: the analysis units of a segments table.

    Keeps customer turns (``role == "customer"``) and every feedback item; interviewer and agent
    turns of interviews are context and give no passage. Each kept segment's ``text_redacted`` is
    cut by :func:`split_text`; a segment of at most ``max_words`` words is exactly one passage, and
    a segment with no words ("👍", "") is kept as one passage too. ``passage_id`` is
    ``f"{segment_id}-{k}"`` with ``k`` from 1; ``text_redacted[char_start:char_end]`` is the
    passage text. Order follows the segments table, then the passage index.

    Args:
        segments: a segments table (``workbench.schema.SEGMENT_COLUMNS``); needs at least
            ``segment_id``, ``role`` or ``source_kind``, and ``text_redacted``.
        max_words: most words in a passage (a single word longer than this is never cut).
        min_words: fewest words in a passage, unless the whole segment is shorter.

    Example:
        >>> import pandas as pd
        >>> long = "I booked a flight. " * 10 + "Another thing, the app crashed. " * 10
        >>> segments = pd.DataFrame({"segment_id": ["s-a"], "role": ["customer"],
        ...     "source_kind": ["interview"], "text_redacted": [long], "participant_id": ["P01"]})
        >>> table = split_into_passages(segments, max_words=50)
        >>> table["text"].str.contains("crashed").tolist()
        [False, True]
        >>> table[["passage_id", "participant_id"]].values.tolist()
        [['s-a-1', 'P01'], ['s-a-2', 'P01']]
    """
    for column in ("segment_id", "text_redacted"):
        if column not in segments.columns:
            raise WorkbenchError(
                f"passages: the segments table lacks the '{column}' column; build it with "
                "workbench.ingest (and workbench.privacy.redactor for text_redacted) first"
            )
    if "role" not in segments.columns and "source_kind" not in segments.columns:
        raise WorkbenchError("passages: the segments table needs a 'role' or 'source_kind' column to tell customers from interviewers")
    role = segments["role"] if "role" in segments.columns else pd.Series(pd.NA, index=segments.index)
    kind = segments["source_kind"] if "source_kind" in segments.columns else pd.Series(pd.NA, index=segments.index)
    keep = (role.astype("string") == "customer").fillna(False) | (kind.astype("string") == "feedback").fillna(False)
    rows: list[dict[str, object]] = []
    for _, segment in segments.loc[keep.to_numpy()].iterrows():
        text = segment["text_redacted"]
        text = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
        carried = {name: (segment[name] if name in segments.columns else pd.NA) for name in _CARRIED}
        for k, (start, end) in enumerate(split_text(text, max_words, min_words), start=1):
            rows.append(
                {
                    "passage_id": f"{segment['segment_id']}-{k}",
                    "segment_id": segment["segment_id"],
                    "passage_index": k,
                    "char_start": start,
                    "char_end": end,
                    "text": text[start:end],
                    **carried,
                }
            )
    table = pd.DataFrame(rows, columns=list(PASSAGE_COLUMNS))
    for name, dtype in PASSAGE_COLUMNS.items():
        table[name] = table[name].astype(dtype)
    return table
