"""Read subtitle transcripts: WebVTT (Teams, Zoom, YouTube) and SRT, plus YouTube SBV.

The format is decided by the content, not the file extension:

* a first line starting with ``WEBVTT`` → WebVTT;
* otherwise timing lines ``start --> end``: SRT when any uses a comma before the
  milliseconds (``00:00:01,000``), else WebVTT without its header line (noted);
* otherwise ``0:00:01.000,0:00:04.000`` timing lines → YouTube SBV.

Speakers come from voice tags (``<v Dana Whitfield>`` / ``<v.loud Dana>``, as Teams
writes them; the closing ``</v>`` is optional) or a name prefix (``Dana: …``,
``- DANA: …``, ``>> DANA: …`` as Zoom and broadcast captions write them). A prefix that
is a display name but not a capitalised one (``jochem-brouwer:``, ``pk910:``,
``Saulius Grigaitis | Grandine:``) is a speaker when it recurs or when most cues of the
file start with a prefix (Zoom writes one on every cue); see
:func:`workbench.ingest.speakers.accepted_labels`. A cue without a speaker gets
``speaker=None`` and so continues the previous speaker once
:func:`~workbench.ingest.base.merge_consecutive_turns` runs. ``report.tool`` names the
tool whose layout the file has (Microsoft Teams, Zoom, YouTube / Google Meet captions).

The reader returns one :class:`Turn` per cue and does not merge; a cue whose lines
name *different* speakers (``- Dana: Hi.`` / ``- Maria: Hello.``) gives one turn per
speaker, all with the cue's times. Malformed cues (bad timing line, end before
start, no text, text without a timing line) are recorded in ``report.skipped``
with their line number and reading goes on.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import IngestError
from workbench.ingest._text import cue_line_parts, normalise_space, opens_dialogue, parse_timestamp
from workbench.ingest.base import FileReport, Turn
from workbench.ingest.encoding import read_text_file
from workbench.ingest.speakers import STRICT, LabelCandidate, SpeakerLine, accepted_labels
from workbench.ingest.vendors import subtitle_tool

_TIMING = re.compile(r"\s*(?P<start>[\d:.,]{1,20})\s*-->\s*(?P<end>[\d:.,]{1,20})(?:\s+.*)?")
_SBV_TIMING = re.compile(r"\s*(?P<start>\d{1,3}:\d{1,2}:\d{1,2}\.\d{1,3}),(?P<end>\d{1,3}:\d{1,2}:\d{1,2}\.\d{1,3})\s*")
_VTT_BLOCKS_IGNORED = ("NOTE", "STYLE", "REGION")

SUBTITLE_EXPECTED_FORMAT = (
    "WebVTT (first line `WEBVTT`, then cues like `00:00:01.000 --> 00:00:04.000` followed "
    "by their text) or SRT (numbered cues with `00:00:01,000 --> 00:00:04,000` timing lines); "
    "export the transcript again as .vtt or .srt"
)


def _detect_format(lines: list[str]) -> str | None:
    first = next((line.strip() for line in lines if line.strip()), "")
    if first.startswith("WEBVTT"):
        return "vtt"
    timings = [line for line in lines if "-->" in line]
    if timings:
        return "srt" if any(_TIMING.fullmatch(t) and "," in t for t in timings) else "vtt"
    if any(_SBV_TIMING.fullmatch(line) for line in lines):
        return "sbv"
    return None


def _parse_timing(line: str, fmt: str) -> tuple[float, float] | None:
    match = (_SBV_TIMING if fmt == "sbv" and "-->" not in line else _TIMING).fullmatch(line)
    if match is None:
        return None
    start, end = parse_timestamp(match.group("start")), parse_timestamp(match.group("end"))
    if start is None or end is None:
        return None
    return start, end


@dataclass
class _Cue:
    """A cue as read: its id line, timing line number, times and text lines (number, parts)."""

    cue_id: str
    timing_line: int
    start: float
    end: float
    lines: list[tuple[int, str | None, str, LabelCandidate | None]]


def _cue_turns(cue: _Cue, cast: set[str]) -> list[Turn]:
    """One turn per speaker named in the cue (usually one), None speaker where none is named."""
    turns: list[Turn] = []
    for number, certain, text, candidate in cue.lines:
        speaker = certain
        if speaker is None and candidate is not None and candidate.line.speaker in cast:
            speaker, text = candidate.line.speaker, candidate.line.text
        if not turns or (speaker is not None and speaker != turns[-1].speaker):
            line = cue.timing_line if not turns else number
            turns.append(Turn(speaker, "", cue.start, cue.end, line))
        turns[-1].text = normalise_space(f"{turns[-1].text} {text}")
    return [turn for turn in turns if turn.text]


def _cast(cues: list[_Cue]) -> set[str]:
    """The prefixes taken as speakers: strict ones, and display names that recur or fill the file."""
    candidates: list[LabelCandidate] = []
    for cue in cues:
        for position, (_number, certain, _text, candidate) in enumerate(cue.lines):
            if certain is not None:
                candidates.append(LabelCandidate(SpeakerLine(certain, cue.start, ""), STRICT))
            elif candidate is not None and position == 0:  # a later line's prefix joins no cast by itself
                candidates.append(candidate)
    return accepted_labels(candidates, units=len(cues), cues=True)


def read_subtitles(path: Path, report: FileReport) -> list[Turn]:
    """Read a WebVTT / SRT (or SBV) file into one :class:`Turn` per cue.

    ``Turn.line`` is the line of the cue's timing line; ``start_s``/``end_s`` the cue
    times. ``report.rows_read`` counts the cues seen (valid or not),
    ``report.format`` is set to the format found in the content ("vtt", "srt",
    "sbv") and ``report.encoding`` to the text encoding.

    Raises:
        IngestError: the file is unreadable, binary, empty, not a subtitle file, or
            has no valid cue at all.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "call.vtt"
        >>> _ = path.write_text("WEBVTT\\n\\n00:01.000 --> 00:04.000\\n<v Dana>How did you book?</v>\\n\\n"
        ...                     "00:04.000 --> 00:06.500\\nMaria: On the app.\\n")
        >>> report = FileReport("call.vtt", "interview", "vtt")
        >>> [(t.speaker, t.text, t.start_s, t.end_s, t.line) for t in read_subtitles(path, report)]
        [('Dana', 'How did you book?', 1.0, 4.0, 3), ('Maria', 'On the app.', 4.0, 6.5, 6)]
    """
    path = Path(path)
    text = read_text_file(path, report)
    if not text.strip():
        raise IngestError(path, f"is empty; expected {SUBTITLE_EXPECTED_FORMAT}")
    lines = text.split("\n")
    fmt = _detect_format(lines)
    if fmt is None:
        raise IngestError(path, f"has no subtitle timing lines; expected {SUBTITLE_EXPECTED_FORMAT}")
    report.format = fmt

    def is_timing(line: str) -> bool:
        return "-->" in line or (fmt == "sbv" and _SBV_TIMING.fullmatch(line) is not None)

    count = len(lines)
    index = 0
    if fmt == "vtt":
        first = next(i for i, line in enumerate(lines) if line.strip())
        if lines[first].strip().startswith("WEBVTT"):
            index = first + 1  # header block: WEBVTT line, Kind:/Language:/Style: lines
            while index < count and lines[index].strip() and not is_timing(lines[index]):
                index += 1
        else:
            report.notes.append("no `WEBVTT` first line; read as WebVTT because of its `-->` timing lines")

    def skip_block(start: int) -> int:
        """Index of the first blank or timing line after ``start``."""
        end = start + 1
        while end < count and lines[end].strip() and not is_timing(lines[end]):
            end += 1
        return end

    cues: list[_Cue] = []
    skipped_before = len(report.skipped)
    cues_seen = 0
    ignored_blocks = 0
    cue_id = ""
    while index < count:
        line = lines[index]
        stripped = line.strip()
        if not stripped:
            index += 1
            continue
        if is_timing(line):
            cues_seen += 1
            timing_line = index + 1
            timing = _parse_timing(line, fmt)
            if timing is None:
                report.skip(
                    f"line {timing_line}",
                    "malformed timing line (expected `00:00:01.000 --> 00:00:04.000`); cue left out",
                )
                index = skip_block(index)
                continue
            start, end = timing
            index += 1
            text_lines: list[tuple[int, str | None, str, LabelCandidate | None]] = []
            while index < count and lines[index].strip() and not is_timing(lines[index]):
                is_next_identifier = (
                    lines[index].strip().isdigit() and index + 1 < count and is_timing(lines[index + 1])
                )
                if is_next_identifier:
                    break
                continuation = bool(text_lines) and not opens_dialogue(lines[index])
                text_lines.append((index + 1, *cue_line_parts(lines[index], continuation)))
                index += 1
            if end < start:
                report.skip(f"line {timing_line}", "cue ends before it starts; cue left out")
                continue
            if not any(text for _number, _speaker, text, _candidate in text_lines):
                report.skip(f"line {timing_line}", "cue has no text")
                continue
            cues.append(_Cue(cue_id, timing_line, start, end, text_lines))
            cue_id = ""
            continue
        if fmt == "vtt" and stripped.split()[0] in _VTT_BLOCKS_IGNORED:
            ignored_blocks += 1
            index = skip_block(index)
            continue
        if index + 1 < count and is_timing(lines[index + 1]):
            cue_id = stripped  # cue identifier ("1", "intro") before a timing line
            index += 1
            continue
        cues_seen += 1
        report.skip(f"line {index + 1}", "cue text without a timing line above it; cue left out")
        index = skip_block(index)
    report.rows_read = cues_seen
    cast = _cast(cues)
    turns: list[Turn] = []
    for cue in cues:
        cue_turns = _cue_turns(cue, cast)
        if not cue_turns:
            report.skip(f"line {cue.timing_line}", "cue has a speaker label but no text")
        turns.extend(cue_turns)
    voice_cues = sum(1 for cue in cues if any(certain and "<v" in lines[number - 1] for number, certain, _t, _c in cue.lines))
    prefixed = sum(1 for cue in cues if any(certain or candidate for _n, certain, _t, candidate in cue.lines))
    report.tool = subtitle_tool(fmt, [cue.cue_id for cue in cues], voice_cues, prefixed, len(cues))
    if ignored_blocks:
        report.notes.append(f"ignored {ignored_blocks} NOTE/STYLE/REGION block(s) (comments and styling)")
    if not turns:
        if cues_seen == 0:
            raise IngestError(path, f"has no subtitle cues; expected {SUBTITLE_EXPECTED_FORMAT}")
        problems = report.skipped[skipped_before:]
        first_problem = problems[0] if problems else None
        detail = f" (first problem: {first_problem.location}: {first_problem.reason})" if first_problem else ""
        raise IngestError(
            path, f"none of its {cues_seen} cues could be read{detail}; fix the cues or export the file again"
        )
    return turns
