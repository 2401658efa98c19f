"""The transcription tools people export from: recognise their layout and their notices.

Each tool writes speakers its own way; the readers understand all of them through
:mod:`workbench.ingest.speakers`. This module names the tool for the ingest report
("txt (Otter.ai)", "vtt (Microsoft Teams)") and knows the lines a tool adds that nobody
said ("Dana started transcription", "Transcribed by https://otter.ai", "Meeting ended
after 00:41:12"), so they are reported as skipped instead of glued to a turn.

Layouts (written from the tools' documented exports):

* **Zoom** cloud recording ``.vtt``: numbered cues whose text is ``Display Name: words``;
  Zoom's saved transcript ``.txt``: ``[Display Name] 10:02:03`` then the words.
* **Microsoft Teams** ``.vtt``: cues with ``<v Display Name>words</v>``; Teams ``.docx``:
  ``Display Name   0:03`` then the words (older downloads: ``0:0:5.1 --> 0:0:8.2``, the
  name, the words), with "… started transcription" lines.
* **Otter.ai** ``.txt``: ``Display Name  0:03`` then the words, blank line between turns.
* **Rev** ``.txt``/``.docx``: ``Display Name (00:01:02):`` then the words.
* **Descript** ``.txt``: ``[00:00:12] Display Name: words``.
* **Google Meet** transcript (a Google Doc, saved as ``.docx``): ``Display Name: words``
  paragraphs with a bare ``00:05:00`` line every few minutes; Meet/YouTube captions ``.sbv``.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from workbench.ingest.speakers import find_label_candidate
from workbench.ingest.timecodes import is_lone_timestamp

ZOOM, TEAMS, OTTER, REV, DESCRIPT, GOOGLE_MEET = "Zoom", "Microsoft Teams", "Otter.ai", "Rev", "Descript", "Google Meet"

_NOTICES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\s*\S.{0,100}\s(?:started|stopped|paused|resumed) transcription\.?\s*", re.IGNORECASE), TEAMS),
    (re.compile(r"\s*transcribed by https?://(?:www\.)?otter\.ai\S*\s*", re.IGNORECASE), OTTER),
    (re.compile(r"\s*meeting ended after \d{1,2}:\d{2}(?::\d{2})?\b.{0,20}", re.IGNORECASE), GOOGLE_MEET),
    (re.compile(r"\s*this editable transcript was computer generated.{0,200}", re.IGNORECASE), GOOGLE_MEET),
)
_ZOOM_LINE = re.compile(r"\s*\[[^\[\]\n]{1,80}\]\s+\d{1,2}:\d{2}:\d{2}\s*$")
_REV_LINE = re.compile(r"\s*\S.{0,79}?\s\((?:\d{1,2}:)?\d{1,2}:\d{2}\):(?:\s|$)")
_DESCRIPT_LINE = re.compile(r"\s*\[\d{1,2}:\d{2}(?::\d{2})?\]\s+\S.{0,59}?:\s")
_TEAMS_CUE_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/\d+-\d+", re.IGNORECASE)


def tool_notice(text: str) -> str | None:
    """The tool whose own notice ``text`` is ("Dana started transcription"), or None.

    Example:
        >>> tool_notice("Dana Whitfield started transcription"), tool_notice("Transcribed by https://otter.ai")
        ('Microsoft Teams', 'Otter.ai')
        >>> tool_notice("I started the transcription of my notes myself, honestly it took ages") is None
        True
    """
    for pattern, tool in _NOTICES:
        if pattern.fullmatch(text):
            return tool
    return None


def text_tool(lines: Sequence[str], document: bool = False) -> str | None:
    """The tool whose layout the lines (or paragraphs) of a text transcript follow, or None.

    Args:
        lines: the non-blank lines (paragraphs for .docx).
        document: True for .docx: a ``Name  0:03`` layout is then Teams' (Otter's in .txt).

    Example:
        >>> text_tool(["[Ana Souza] 10:02:03", "Hello.", "[pk910] 10:02:09", "Hi."])
        'Zoom'
        >>> text_tool(["Speaker 1 (00:00:05):", "Hello.", "Speaker 2 (00:00:09):", "Hi."])
        'Rev'
    """
    counts = {ZOOM: 0, TEAMS: 0, OTTER: 0, REV: 0, DESCRIPT: 0, GOOGLE_MEET: 0}
    for line in lines:
        notice = tool_notice(line)
        if notice is not None:  # a tool's own notice names it, whatever the layout looks like
            counts[notice] += 1000
            continue
        if _ZOOM_LINE.match(line):
            counts[ZOOM] += 1
        elif _REV_LINE.match(line):
            counts[REV] += 1
        elif _DESCRIPT_LINE.match(line):
            counts[DESCRIPT] += 1
        elif "-->" in line and document:
            counts[TEAMS] += 1
        else:
            candidate = find_label_candidate(line)
            if candidate is not None and not candidate.line.text and candidate.line.start_s is not None:
                counts[TEAMS if document else OTTER] += 1
            elif document and is_lone_timestamp(line):
                counts[GOOGLE_MEET] += 1
    tool, count = max(counts.items(), key=lambda item: item[1])
    return tool if count >= 2 else None


def subtitle_tool(fmt: str, cue_ids: Sequence[str], voice_cues: int, prefixed_cues: int, cues: int) -> str | None:
    """The tool that wrote a subtitle file: Teams (voice tags), Zoom (``Name:`` cues), Meet/YouTube (SBV).

    Example:
        >>> subtitle_tool("vtt", ["1", "2", "3"], voice_cues=0, prefixed_cues=3, cues=3)
        'Zoom'
        >>> subtitle_tool("vtt", ["0f1e2d3c-aaaa-bbbb-cccc-001122334455/12-0"], voice_cues=1, prefixed_cues=0, cues=1)
        'Microsoft Teams'
    """
    if fmt == "sbv":
        return "YouTube / Google Meet captions"
    if voice_cues and (voice_cues * 2 >= cues or any(_TEAMS_CUE_ID.fullmatch(i.strip()) for i in cue_ids)):
        return TEAMS
    if fmt == "vtt" and cues and prefixed_cues * 2 >= cues and any(i.strip().isdigit() for i in cue_ids):
        return ZOOM
    return None
