"""Parsing helpers shared by the transcript readers (``.txt``, ``.vtt``/``.srt``, ``.docx``).

One place for: inline subtitle markup, and the small state machine that turns
labelled lines (or paragraphs) into :class:`Turn` objects. What counts as a speaker
label is decided in :mod:`workbench.ingest.speakers` (re-exported here:
:func:`split_speaker_line`, :func:`is_speaker_label`); timestamps in
:mod:`workbench.ingest.timecodes` (:func:`parse_timestamp`).

How a file's lines become turns (:func:`assemble_turns`):

* a line whose prefix is a label of the file's cast starts a turn (see
  :func:`workbench.ingest.speakers.accepted_labels`: strict labels always, handles and
  other display names when they recur or the file is labelled densely);
* other lines continue the current turn; text before the first label is skipped and
  recorded;
* lines a transcription tool adds ("Dana started transcription", "Transcribed by
  https://otter.ai", "Meeting ended after 00:41:12") are skipped and recorded; lines
  holding only a time (Google Meet's marks every few minutes) are left out and counted
  in a note; ``start --> end`` timing lines followed by a name line (older Teams .docx)
  give the next turn its speaker and start time;
* in a file where at least two labels are used two or more times (an established
  cast), a label of one plain word (letters only, not a role such as ``User`` or
  ``Moderator``) that occurs only once, has no timestamp, is not bold, and sits
  directly under a line of text (no blank line between)
  is read as part of that text (``Also: …``, ``Pros: …``), not as a new speaker. Each time
  this happens a note is added to the file report, so nothing is silent. Labels with a
  digit, a space, another script or a handle's punctuation ("Moderator 2", "Ana Souza",
  "pk-atlas", "李明") always start a turn.
"""
from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from workbench.errors import IngestError
from workbench.ingest.base import FileReport, Turn
from workbench.ingest.roles import label_kind
from workbench.ingest.speakers import (
    NOT_SPEAKER_WORDS,
    STRICT,
    LabelCandidate,
    SpeakerLine,
    accepted_labels,
    find_label_candidate,
    is_speaker_label,
    label_strength,
    normalise_space,
    split_speaker_line,
)
from workbench.ingest.timecodes import BRACKETED_TIME, TIME_PATTERN, is_lone_timestamp, parse_timestamp, timing_line
from workbench.ingest.vendors import tool_notice

__all__ = [
    "NOT_SPEAKER_WORDS", "TIME_PATTERN", "Block", "SpeakerLine", "assemble_turns", "cue_line_parts", "cue_line_speaker",
    "is_speaker_label", "normalise_space", "parse_timestamp", "split_speaker_line", "strip_inline_tags",
    "strip_leading_timestamp",
]

_LEADING_TIME = re.compile(rf"\s*{BRACKETED_TIME}\s*")
#: markup inside subtitle cues: <v Name>, <c.class>, <i>, <b>, <u>, <lang en>, <00:00:01.000>, </…>
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>|<\d{1,3}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?>")
#: SSA/ASS override blocks some SRT files carry ({\an8}, {\i1})
_ASS_OVERRIDE = re.compile(r"\{\\[^{}]{0,100}\}")
_VOICE_TAG = re.compile(r"<v(?:\.[^\s<>.]{0,50})*(?:[ \t]+(?P<name>[^<>]{1,100}))?>")
#: dialogue markers at the start of a cue line: "- ", ">> ", ">>"
_DIALOGUE_MARK = re.compile(r"\s*(?:-+\s+|>>+\s*)")
#: a one-off label that may be a word of the text ("Also:", "Pros:") rather than a speaker


def strip_leading_timestamp(text: str) -> str:
    """Remove a bracketed timestamp at the start of a continuation line.

    Example:
        >>> strip_leading_timestamp("[00:02:10] and then the app crashed")
        'and then the app crashed'
    """
    match = _LEADING_TIME.match(text)
    return text[match.end():] if match else text


def strip_inline_tags(text: str) -> str:
    """Remove subtitle markup (``<i>``, ``<c.x>``, ``<v Name>``, ``<00:00:01.000>``, ``{\\an8}``) and unescape entities.

    Example:
        >>> strip_inline_tags("<v Dana>Fish &amp; <i>chips</i><00:00:01.000> <c.red>now</c></v>")
        'Fish & chips now'
    """
    text = _ASS_OVERRIDE.sub("", _TAG.sub("", text))
    return html.unescape(text)


def cue_line_parts(line: str, continuation: bool = False) -> tuple[str | None, str, LabelCandidate | None]:
    """Speaker, plain text and a candidate label of one subtitle cue line.

    The speaker is certain when a voice tag (``<v Name>``, ``<v.loud Name>``) or a strict
    ``NAME:`` prefix names it; any other ``prefix:`` (a handle, a name with a pipe) comes
    back as a candidate for the file's cast to decide, with the text still holding it.
    Inside a voice tag the words are all speech ("Honestly: …" is not a second label).
    ``continuation`` (a cue's second or later line, no ``-``/``>>`` mark): tools write the
    label on a cue's first line only, so a prefix here is at most a candidate.

    Example:
        >>> cue_line_parts("<v.loud Yuri Bakulin>There you go.</v>")[:2]
        ('Yuri Bakulin', 'There you go.')
        >>> speaker, text, candidate = cue_line_parts("jochem-brouwer: Two blobs &amp; counting")
        >>> speaker, text, candidate.line.speaker, candidate.line.text
        (None, 'jochem-brouwer: Two blobs & counting', 'jochem-brouwer', 'Two blobs & counting')
    """
    speaker: str | None = None
    voice = _VOICE_TAG.search(line)
    if voice is not None and voice.group("name") and normalise_space(voice.group("name")):
        speaker = normalise_space(html.unescape(voice.group("name")))
    text = normalise_space(strip_inline_tags(line))
    mark = _DIALOGUE_MARK.match(text)
    if mark is not None and mark.end() > 0:
        text = text[mark.end():]
    if speaker is not None:
        return speaker, text, None
    split = split_speaker_line(text)
    if split is not None and continuation:
        return None, text, LabelCandidate(split, STRICT)
    if split is not None:
        return split.speaker, split.text, None
    candidate = find_label_candidate(text) if speaker is None else None
    return speaker, text, candidate


def opens_dialogue(line: str) -> bool:
    """Whether a cue line starts with a dialogue mark (``- ``, ``>>``) or a voice tag: a new speaker may start here.

    Example:
        >>> opens_dialogue("- MARIA: Every winter."), opens_dialogue("Worst case: 40 buckets")
        (True, False)
    """
    mark = _DIALOGUE_MARK.match(line)
    return (mark is not None and mark.end() > 0) or _VOICE_TAG.search(line) is not None


def cue_line_speaker(line: str) -> tuple[str | None, str]:
    """Find the speaker of one subtitle cue line and return ``(speaker or None, plain text)``.

    Knows voice tags (``<v Name>``, ``<v.loud Name>``) and strict name prefixes
    (``NAME:``, ``- NAME:``, ``>> NAME:``); removes other markup and dialogue dashes.

    Example:
        >>> cue_line_speaker("<v.loud Yuri Bakulin>There you go.</v>")
        ('Yuri Bakulin', 'There you go.')
        >>> cue_line_speaker(">> DANA: Hello &amp; welcome")
        ('DANA', 'Hello & welcome')
        >>> cue_line_speaker("- <i>Just text</i>")
        (None, 'Just text')
    """
    speaker, text, _candidate = cue_line_parts(line)
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
        speaker_line: the label found in the block when it is certain (a strict label, a
            bold run, a table cell).
        after_blank: True when a blank line (empty paragraph) or the file start precedes it.
        candidate: a looser label (handle, name with a pipe…) for the file's cast to decide.
        marked: the layout marks the label as a speaker (a bold run in Word): never read
            as part of the text above.

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
    candidate: LabelCandidate | None = None
    marked: bool = False


def text_block(number: int, location: str, text: str, after_blank: bool) -> Block:
    """A line or paragraph with its strict label, or else its candidate label.

    Example:
        >>> text_block(4, "line 4", "pk910: +1", True).candidate.line.speaker
        'pk910'
    """
    speaker_line = split_speaker_line(text)
    candidate = find_label_candidate(text) if speaker_line is None else None
    marked = text.lstrip().startswith(("**", "__"))  # markdown bold around the label
    return Block(number, location, text, speaker_line=speaker_line, after_blank=after_blank, candidate=candidate,
                 marked=marked)


def _read_timing_lines(blocks: list[Block], report: FileReport) -> list[Block]:
    """Older Teams .docx: ``0:0:5.1 --> 0:0:8.2`` / name / words: the name line becomes a label."""
    timed = [timing_line(b.text) if b.kind == "text" else None for b in blocks]
    if sum(t is not None for t in timed) < 2:
        return blocks
    kept: list[Block] = []
    pending: float | None = None
    for block, timing in zip(blocks, timed, strict=True):
        if timing is not None:
            pending = timing[0]
            continue
        if pending is not None and block.kind == "text" and block.speaker_line is None:
            name = normalise_space(block.text)
            if label_strength(name) is not None and not name.endswith((".", ",")):
                block = replace(block, speaker_line=SpeakerLine(name, pending, ""), candidate=None)
        pending = None
        kept.append(block)
    report.notes.append(f"{len(blocks) - len(kept)} `start --> end` timing lines read as the times of the turns below them")
    return kept


def _cast(blocks: list[Block]) -> set[str]:
    candidates = [
        LabelCandidate(b.speaker_line, STRICT) if b.speaker_line is not None else b.candidate
        for b in blocks
        if b.kind == "text" and (b.speaker_line is not None or b.candidate is not None)
    ]
    units = sum(1 for b in blocks if b.kind == "text")
    return accepted_labels([c for c in candidates if c is not None], units)


#: a word of letters, hyphens inside ("Follow-up"), no digits or underscores
_WORD_OF_LETTERS = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def _capitalised_word(word: str) -> bool:
    return word[:1].isupper() or (word[:1].isalpha() and not word[:1].islower())


def _text_above_rule(blocks: list[Block], labels: list, label_counts: Counter) -> Callable[[Block, SpeakerLine], bool]:
    """Which one-off labels are words of the turn above ("Overall: …", "Customer Service: …"), not a speaker.

    Only a label of one to three words of letters, seen once, without a time or bold, naming no
    role, directly under a line of text can be text. It is text when the file separates turns by blank lines (the label sits inside a
    paragraph), or when the file is a conversation of two recurring speakers, where a third voice
    heard once is much rarer than a heading-like word; in a group or a call a one-off label is a
    speaker ("Hiroshi: same here"). Between two recurring role labels (Assistant/User,
    Interviewer/Respondent) such a label is text even as a paragraph of its own ("Speed: …").
    """
    labelled = [b for b, label in zip(blocks, labels) if b.kind == "text" and label is not None]
    blank_separated = bool(labelled) and sum(b.after_blank for b in labelled) >= 0.8 * len(labelled)
    recurring = [label for label, count in label_counts.items() if count >= 2]
    # "Assistant"/"User", "Interviewer"/"Respondent", "Q"/"A": a transcript of two role labels names no one else
    role_pair = len(recurring) == 2 and all(label_kind(label) != "name" for label in recurring)

    def is_text(block: Block, label: SpeakerLine) -> bool:
        if block.kind != "text" or label.start_s is not None:
            return False
        if label_counts[label.speaker] != 1 or label_kind(label.speaker) not in ("name", "agent"):
            return False
        words = label.speaker.split()
        if len(words) > 3 or not _capitalised_word(words[0]) or not all(_WORD_OF_LETTERS.fullmatch(w) for w in words):
            return False  # handles (pk-atlas, kx512), emoji and bracketed names are people, not headings
        if role_pair:
            return True
        if block.after_blank or block.marked:
            return False
        return (blank_separated and len(recurring) >= 2) or len(recurring) == 2

    return is_text


def assemble_turns(blocks: Iterable[Block], report: FileReport, path: Path, expected: str) -> list[Turn]:
    """Turn labelled lines/paragraphs into turns: a label starts a turn, unlabelled text continues it.

    Text before the first label and headings are recorded with ``report.skip``.
    Raises :class:`IngestError` with ``expected`` (the format the reader wants)
    when there is no speaker label at all.

    Example:
        >>> lines = ["Interview 3", "Dana: Hello.", "Maria: I booked", "a hotel."]
        >>> blocks = [text_block(i, f"line {i}", t, i == 1) for i, t in enumerate(lines, 1)]
        >>> report = FileReport("t.txt", "interview", "txt")
        >>> [(t.speaker, t.text, t.line) for t in assemble_turns(blocks, report, Path("t.txt"), "Speaker: text")]
        [('Dana', 'Hello.', 2), ('Maria', 'I booked a hotel.', 3)]
        >>> report.skipped[0].location
        'line 1'
    """
    blocks = _read_timing_lines(list(blocks), report)
    cast = _cast(blocks)

    def label_of(block: Block) -> SpeakerLine | None:
        if block.speaker_line is not None:
            return block.speaker_line
        if block.kind == "text" and block.candidate is not None and block.candidate.line.speaker in cast:
            return block.candidate.line
        return None

    labels = [label_of(b) for b in blocks]
    label_counts = Counter(label.speaker for b, label in zip(blocks, labels) if b.kind == "text" and label is not None)
    is_text_above = _text_above_rule(blocks, labels, label_counts)
    turns: list[Turn] = []
    locations: list[str] = []
    current: Turn | None = None
    lone_times = 0
    for block, label in zip(blocks, labels, strict=True):
        if block.kind == "heading":
            report.skip(block.location, "heading")
            current = None
            continue
        if label is not None and current is not None and is_text_above(block, label):
            report.notes.append(
                f"{block.location}: '{label.speaker}:' read as part of the text above, not as a "
                "new speaker (the label occurs only once, inside a turn of an established speaker)"
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
        if block.kind == "text":
            tool = tool_notice(text)
            if tool is not None:
                report.skip(block.location, f"{tool} notice, not speech")
                continue
            if is_lone_timestamp(text):
                lone_times += 1
                continue
        if current is None:
            report.skip(block.location, "text before the first speaker label")
            continue
        current.text = f"{current.text} {text}".strip()
    if lone_times:
        report.notes.append(f"{lone_times} line(s) holding only a time (a tool's time marks) left out")
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
