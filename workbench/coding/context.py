"""A passage in its conversation: the turn it sits in and the turns around it, redacted, without names.

:func:`quote_in_context` makes the :class:`Quote` a coder reads: the passage highlighted inside
its turn (``turn_text[start:end]``), the turns before and after it in the same interview
(:func:`turns_around`, none for feedback items), and who speaks (:func:`speaker_of`: the
participant's pseudonym or the role, never a name).

Example:
    >>> segments = pd.DataFrame({"segment_id": ["s1", "s2"], "source_id": ["t.txt"] * 2, "source_kind": ["interview"] * 2,
    ...     "role": ["interviewer", "customer"], "participant_id": [None, "P01"], "turn": [1, 2],
    ...     "text_redacted": ["How was it?", "Slow. Very slow."]})
    >>> passage = {"passage_id": "s2-1", "segment_id": "s2", "text": "Slow.", "participant_id": "P01",
    ...            "char_start": 0, "char_end": 5}
    >>> quote = quote_in_context(passage, segments.iloc[1].to_dict(), segments)
    >>> quote.speaker, quote.turn_text[quote.start:quote.end], quote.before
    ('P01', 'Slow.', (Turn(speaker='Interviewer', role='interviewer', text='How was it?'),))
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from workbench.schema import is_missing


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


def quote_in_context(
    passage: Mapping[str, Any], segment: Mapping[str, Any] | None, segments: pd.DataFrame | None, context_turns: int = 2
) -> Quote:
    """The :class:`Quote` of a passage (a row of passages.parquet) inside its segment, with ``context_turns`` around it.

    Without its segment (``segment`` None) the quote is the passage text alone.

    Example:
        >>> quote = quote_in_context({"passage_id": "f1-1", "segment_id": "f1", "text": "Fees!", "role": "customer"}, None, None)
        >>> quote.turn_text, quote.speaker, quote.before
        ('Fees!', 'Customer', ())
    """
    pid, sid = str(passage["passage_id"]), str(passage["segment_id"])
    turn_text, start, end = str(passage["text"]), 0, len(str(passage["text"]))
    before: tuple[Turn, ...] = ()
    after: tuple[Turn, ...] = ()
    if segment is not None:
        turn_text = _text(segment.get("text_redacted"), turn_text)
        if not is_missing(passage.get("char_start")) and not is_missing(passage.get("char_end")):
            start, end = int(passage["char_start"]), int(passage["char_end"])
        before, after = turns_around(segment, segments, context_turns)
    speaker = speaker_of(dict(passage) | ({} if segment is None else {"role": segment.get("role")}))
    return Quote(pid, sid, str(passage["text"]), _optional(passage.get("participant_id")),
                 _optional(passage.get("source_id")), _optional(passage.get("source_kind")), speaker, turn_text,
                 start, end, before, after)


def turns_around(
    segment: Mapping[str, Any], segments: pd.DataFrame | None, window: int = 2
) -> tuple[tuple[Turn, ...], tuple[Turn, ...]]:
    """The ``window`` turns before and after a segment in its interview (none for feedback items).

    Example:
        >>> segments = pd.DataFrame({"segment_id": ["a", "b", "c"], "source_id": ["t"] * 3, "source_kind": ["interview"] * 3,
        ...     "role": ["interviewer", "customer", "interviewer"], "participant_id": [None, "P01", None],
        ...     "turn": [1, 2, 3], "text_redacted": ["Why?", "Fees.", "I see."]})
        >>> before, after = turns_around(segments.iloc[1].to_dict(), segments, window=1)
        >>> [t.text for t in before], [t.text for t in after]
        (['Why?'], ['I see.'])
    """
    if segments is None or str(segment.get("source_kind") or "") != "interview" or is_missing(segment.get("turn")):
        return (), ()
    same = segments[segments["source_id"] == segment["source_id"]].sort_values("turn")
    turns = same["turn"].tolist()
    here = turns.index(segment["turn"])
    rows = same.to_dict("records")
    as_turn = lambda r: Turn(speaker_of(r), str(r.get("role") or ""), _text(r.get("text_redacted")))  # noqa: E731
    return (tuple(as_turn(r) for r in rows[max(0, here - window):here]),
            tuple(as_turn(r) for r in rows[here + 1:here + 1 + window]))


def speaker_of(row: Mapping[str, Any]) -> str:
    """Who speaks, without names: the participant's pseudonym, or the role.

    Example:
        >>> speaker_of({"role": "customer", "participant_id": "P03"}), speaker_of({"role": "interviewer", "participant_id": "P03"})
        ('P03', 'Interviewer')
    """
    if str(row.get("role") or "") == "interviewer":
        return "Interviewer"
    return _optional(row.get("participant_id")) or str(row.get("role") or "customer").capitalize()


def _text(value: Any, default: str = "") -> str:
    return default if is_missing(value) else str(value)


def _optional(value: Any) -> str | None:
    return None if is_missing(value) else str(value)
