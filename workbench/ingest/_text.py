"""Parsing helpers shared by the transcript readers (``.txt``, ``.vtt``/``.srt``, ``.docx``).

One place for: timestamps, the rule that decides whether ``Something:`` at the
start of a line is a speaker label, inline subtitle markup, and the small state
machine that turns labelled lines (or paragraphs) into :class:`Turn` objects.

Speaker-label rule (used by every reader)
-----------------------------------------
A line starts a new speaker turn when it begins with a *label* followed by a colon
and then a space, a letter or the end of the line (so ``https://…`` and ``10:30``
never split a line). A label is:

* 1 to 4 words separated by single spaces, at most 40 characters; a word is made
  of letters (accents allowed), digits, ``.``, ``'``, ``’`` and ``-``;
* capitalised: the first word starts with an upper-case letter, every other word
  with an upper-case letter or a digit, except name particles such as ``de``,
  ``van``, ``von``, ``da``, ``bin`` ("Participant 3", "Q", "JAMES",
  "Ana de Souza", "Dana Whitfield");
* optionally followed by a short role in brackets, kept in the label
  (``Interviewer (Dana): …``);
* not a word that usually opens a note or a header line rather than naming a
  person: ``Note``, ``Date``, ``Time``, ``Title``, ``Subject``, ``Email``,
  ``Booking``, ``Update``, ``PS``, ``Interview`` … (see :data:`NOT_SPEAKER_WORDS`;
  the first word of the label is checked, ignoring case).

A timestamp such as ``[00:01:02]``, ``[01:02]``, ``(00:01:02.5)`` may stand before
the label, between the label and the colon, or right after the colon.
``Dana Whitfield  0:02`` alone on a line (Otter.ai style) is a label whose words
follow on the next lines.

One more judgement call: in a file where at least two labels are used two or
more times (an established cast), a label that occurs only once, has no
timestamp, and sits directly under a line of text (no blank line between) is
read as part of that text (``Also: …``, ``Pros: …``), not as a new speaker. Each
time this happens a note is added to the file report, so nothing is silent.
"""
from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import IngestError
from workbench.ingest.base import FileReport, Turn

#: hours optional; minutes and seconds 1–2 digits; fraction 1–3 digits after '.' or ','
TIME_PATTERN = r"(?:\d{1,3}:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?"
_TIME_PARTS = re.compile(r"(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?")
_BRACKETED_TIME = rf"[\[(]\s*{TIME_PATTERN}\s*[\])]"

#: first words (lower case) that open notes and header lines, not speaker labels
NOT_SPEAKER_WORDS = frozenset(
    """
    note notes nb n.b. ps p.s. pps date time title subject re fw fwd location place
    venue duration length recording recorded transcript transcription transcribed session
    summary topic topics agenda attendees participants present update edit edited example
    e.g. i.e. eg ie tip warning caution source project study language kind style
    interview file url link website web email e-mail mail phone tel telephone mobile
    address ref reference booking order invoice total price cost step chapter section
    page figure table answer question
    """.split()
)
# "answer"/"question" are excluded because "Question 3: …" is usually a heading
# of an interview guide, while "Q:"/"A:" are kept as labels.

#: lower-case words allowed inside a name ("Ana de Souza", "Ludwig van Beethoven")
_NAME_PARTICLES = frozenset(
    "de da del della der den di do dos das du la le van von ter ten bin ibn al el y e".split()
)

_WORD = r"[\w.'’\-]+"  # underscores are refused in is_speaker_label
_WORD_RE = re.compile(_WORD)
_LABEL = rf"(?P<label>{_WORD}(?: {_WORD}){{0,3}})(?P<role>\s*\([^()\d:\[\]]{{1,30}}\))?"
_SPEAKER_PREFIX = re.compile(
    rf"\s*(?:(?P<lead>{_BRACKETED_TIME}|{TIME_PATTERN})\s+)?"
    rf"{_LABEL}"
    rf"(?:\s*(?P<mid>{_BRACKETED_TIME}))?"
    rf"\s?:(?=\s|$|[^\W\d_])\s*"
    rf"(?:(?P<after>{_BRACKETED_TIME})\s*)?"
)
_LABEL_THEN_TIME = re.compile(
    rf"\s*{_LABEL}\s+(?P<time>{_BRACKETED_TIME}|{TIME_PATTERN})\s*$"
)
_LEADING_TIME = re.compile(rf"\s*{_BRACKETED_TIME}\s*")
#: the speaker prefix must be found within this many characters of the line start
_PREFIX_WINDOW = 200

#: markup inside subtitle cues: <v Name>, <c.class>, <i>, <b>, <u>, <lang en>, <00:00:01.000>, </…>
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>|<\d{1,3}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?>")
#: SSA/ASS override blocks some SRT files carry ({\an8}, {\i1})
_ASS_OVERRIDE = re.compile(r"\{\\[^{}]{0,100}\}")
_VOICE_TAG = re.compile(r"<v(?:\.[^\s<>.]{0,50})*(?:[ \t]+(?P<name>[^<>]{1,100}))?>")
#: dialogue markers at the start of a cue line: "- ", ">> ", ">>"
_DIALOGUE_MARK = re.compile(r"\s*(?:-+\s+|>>+\s*)")


@dataclass
class SpeakerLine:
    """A line split into speaker label, optional start time, and the words.

    Example:
        >>> split_speaker_line("[00:01:02] Dana: hi")
        SpeakerLine(speaker='Dana', start_s=62.0, text='hi')
    """

    speaker: str
    start_s: float | None
    text: str


def parse_timestamp(text: str) -> float | None:
    """Seconds in a timestamp like ``01:02:03.5``, ``1:2:3,500``, ``02:03`` or ``[00:01:02]``.

    Returns None when the text is not a timestamp, or when minutes (with hours
    given) or seconds are 60 or more.

    Example:
        >>> parse_timestamp("00:01:02.500"), parse_timestamp("[01:02]"), parse_timestamp("0:0:0.21")
        (62.5, 62.0, 0.21)
        >>> parse_timestamp("00:61:00") is None
        True
    """
    match = _TIME_PARTS.fullmatch(text.strip().strip("[]()").strip())
    if match is None:
        return None
    hours, minutes, seconds, fraction = match.groups()
    if int(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
        return None
    value = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    if fraction:
        value += float(f"0.{fraction}")
    return float(value)


def is_speaker_label(label: str) -> bool:
    """Whether ``label`` (without the colon) passes the speaker-label rule of this module.

    Example:
        >>> [is_speaker_label(x) for x in ["Q", "Dana Whitfield", "Participant 3", "JAMES", "Ana de Souza"]]
        [True, True, True, True, True]
        >>> [is_speaker_label(x) for x in ["Note", "my answer", "https", "Date", "The Booking Was Very Late"]]
        [False, False, False, False, False]
    """
    label = label.strip()
    if not label or len(label) > 40:
        return False
    words = label.split(" ")
    if len(words) > 4 or any(not word for word in words):
        return False
    if "_" in label or not _WORD_RE.fullmatch(words[0]) or not words[0][0].isupper():
        return False
    if words[0].lower() in NOT_SPEAKER_WORDS:
        return False
    for word in words[1:]:
        if not _WORD_RE.fullmatch(word):
            return False
        if not (word[0].isupper() or word[0].isdigit() or word in _NAME_PARTICLES):
            return False
    return True


def split_speaker_line(line: str) -> SpeakerLine | None:
    """Split ``Speaker: text`` (with optional timestamps) or return None if the line has no label.

    Example:
        >>> split_speaker_line("Dana [00:01:02]: hi")
        SpeakerLine(speaker='Dana', start_s=62.0, text='hi')
        >>> split_speaker_line("Maria Lopez  1:05")
        SpeakerLine(speaker='Maria Lopez', start_s=65.0, text='')
        >>> split_speaker_line("See https://example.com: it failed") is None
        True
    """
    head = line[:_PREFIX_WINDOW]
    if ":" not in head:  # every label form has a colon (after the label or in its timestamp)
        return None
    match = _SPEAKER_PREFIX.match(head)
    if match is not None and is_speaker_label(match.group("label")):
        label = match.group("label") + (match.group("role") or "")
        start = None
        for name in ("lead", "mid", "after"):
            if match.group(name) and start is None:
                start = parse_timestamp(match.group(name))
        rest = head[match.end():] + line[_PREFIX_WINDOW:]
        return SpeakerLine(speaker=normalise_space(label), start_s=start, text=normalise_space(rest))
    match = _LABEL_THEN_TIME.match(head) if len(line) <= _PREFIX_WINDOW else None
    if match is not None and is_speaker_label(match.group("label")):
        start = parse_timestamp(match.group("time"))
        if start is not None:
            label = match.group("label") + (match.group("role") or "")
            return SpeakerLine(speaker=normalise_space(label), start_s=start, text="")
    return None


def strip_leading_timestamp(text: str) -> str:
    """Remove a bracketed timestamp at the start of a continuation line.

    Example:
        >>> strip_leading_timestamp("[00:02:10] and then the app crashed")
        'and then the app crashed'
    """
    match = _LEADING_TIME.match(text)
    return text[match.end():] if match else text


def normalise_space(text: str) -> str:
    """Collapse runs of whitespace into one space and trim the ends.

    Example:
        >>> normalise_space("  a\\t b\\n c ")
        'a b c'
    """
    return " ".join(text.split())


def strip_inline_tags(text: str) -> str:
    """Remove subtitle markup (``<i>``, ``<c.x>``, ``<v Name>``, ``<00:00:01.000>``, ``{\\an8}``) and unescape entities.

    Example:
        >>> strip_inline_tags("<v Dana>Fish &amp; <i>chips</i><00:00:01.000> <c.red>now</c></v>")
        'Fish & chips now'
    """
    text = _ASS_OVERRIDE.sub("", _TAG.sub("", text))
    return html.unescape(text)


def cue_line_speaker(line: str) -> tuple[str | None, str]:
    """Find the speaker of one subtitle cue line and return ``(speaker or None, plain text)``.

    Knows voice tags (``<v Name>``, ``<v.loud Name>``) and name prefixes
    (``NAME:``, ``- NAME:``, ``>> NAME:``); removes other markup and dialogue dashes.

    Example:
        >>> cue_line_speaker("<v.loud Yuri Bakulin>There you go.</v>")
        ('Yuri Bakulin', 'There you go.')
        >>> cue_line_speaker(">> DANA: Hello &amp; welcome")
        ('DANA', 'Hello & welcome')
        >>> cue_line_speaker("- <i>Just text</i>")
        (None, 'Just text')
    """
    speaker: str | None = None
    voice = _VOICE_TAG.search(line)
    if voice is not None and voice.group("name") and normalise_space(voice.group("name")):
        speaker = normalise_space(html.unescape(voice.group("name")))
    text = normalise_space(strip_inline_tags(line))
    mark = _DIALOGUE_MARK.match(text)
    if mark is not None and mark.end() > 0:
        text = text[mark.end():]
    split = split_speaker_line(text)
    if split is not None:
        speaker = speaker or split.speaker
        text = split.text
    return speaker, text


@dataclass
class Block:
    """One unit of a line-based transcript, fed to :func:`assemble_turns`.

    Attributes:
        number: what goes into ``Turn.line`` (line, paragraph or block number).
        location: how a skip is reported ("line 4", "paragraph 3", "table 1 row 2").
        text: the raw text of the line or paragraph.
        kind: "text" (a line or paragraph), "heading" (ends the current turn and is
            skipped) or "row" (a table row whose speaker is ``speaker_line.speaker``,
            or a continuation when ``speaker_line`` is None).
        speaker_line: the label found in the block, if any.
        after_blank: True when a blank line (empty paragraph) or the file start precedes it.

    Example:
        >>> Block(3, "line 3", "Dana: hi", "text", split_speaker_line("Dana: hi")).speaker_line.speaker
        'Dana'
    """

    number: int
    location: str
    text: str
    kind: str = "text"
    speaker_line: SpeakerLine | None = None
    after_blank: bool = True


def assemble_turns(blocks: Iterable[Block], report: FileReport, path: Path, expected: str) -> list[Turn]:
    """Turn labelled lines/paragraphs into turns: a label starts a turn, unlabelled text continues it.

    Text before the first label and headings are recorded with ``report.skip``.
    Raises :class:`IngestError` with ``expected`` (the format the reader wants)
    when there is no speaker label at all.

    Example:
        >>> lines = ["Interview 3", "Dana: Hello.", "Maria: I booked", "a hotel."]
        >>> blocks = [Block(i, f"line {i}", t, speaker_line=split_speaker_line(t)) for i, t in enumerate(lines, 1)]
        >>> report = FileReport("t.txt", "interview", "txt")
        >>> [(t.speaker, t.text, t.line) for t in assemble_turns(blocks, report, Path("t.txt"), "Speaker: text")]
        [('Dana', 'Hello.', 2), ('Maria', 'I booked a hotel.', 3)]
        >>> report.skipped[0].location
        'line 1'
    """
    blocks = list(blocks)
    label_counts = Counter(
        b.speaker_line.speaker for b in blocks if b.kind == "text" and b.speaker_line is not None
    )
    established_cast = sum(1 for count in label_counts.values() if count >= 2) >= 2
    turns: list[Turn] = []
    locations: list[str] = []
    current: Turn | None = None
    for block in blocks:
        if block.kind == "heading":
            report.skip(block.location, "heading")
            current = None
            continue
        label = block.speaker_line
        if (
            label is not None
            and block.kind == "text"
            and established_cast
            and current is not None
            and not block.after_blank
            and label.start_s is None
            and label_counts[label.speaker] == 1
        ):
            report.notes.append(
                f"{block.location}: '{label.speaker}:' read as part of the text above, not as a "
                "new speaker (the label occurs only once, directly under a line of text)"
            )
            label = None
        if label is not None:
            current = Turn(label.speaker, label.text, label.start_s, None, block.number)
            turns.append(current)
            locations.append(block.location)
            continue
        text = normalise_space(strip_leading_timestamp(block.text))
        if not text:
            continue
        if current is None:
            report.skip(block.location, "text before the first speaker label")
            continue
        current.text = f"{current.text} {text}".strip()
    kept: list[Turn] = []
    for turn, location in zip(turns, locations, strict=True):
        if turn.text:
            kept.append(turn)
        else:
            report.skip(location, f"speaker label '{turn.speaker}' with no text after it")
    if not kept:
        if turns:
            raise IngestError(path, f"has speaker labels but no text after any of them; expected {expected}")
        raise IngestError(path, f"no speaker labels found; expected {expected}")
    return kept
