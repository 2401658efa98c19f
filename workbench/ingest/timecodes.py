"""Timestamps as transcripts write them: ``01:02:03.5``, ``1:02``, ``[00:01:02]``, ``(00:01:02)``.

Shared by every transcript reader and by the speaker-label rules
(:mod:`workbench.ingest.speakers`), so one place decides what a time looks like.
"""
from __future__ import annotations

import re

#: hours optional; minutes and seconds 1–2 digits; fraction 1–3 digits after '.' or ','
TIME_PATTERN = r"(?:\d{1,3}:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?"
#: a time in square or round brackets
BRACKETED_TIME = rf"[\[(]\s*{TIME_PATTERN}\s*[\])]"
_TIME_PARTS = re.compile(r"(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?")
#: a subtitle timing line written inside a document (Teams .docx: ``0:0:5.100 --> 0:0:8.250``)
_TIMING_LINE = re.compile(r"\s*(?P<start>\d{1,3}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?)\s*-->\s*(?P<end>\d{1,3}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?)\s*")
_LONE_TIME = re.compile(rf"\s*(?:{BRACKETED_TIME}|{TIME_PATTERN})\s*")


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


def is_lone_timestamp(text: str) -> bool:
    """Whether a whole line is only a time (Google Meet writes ``00:05:00`` between turns).

    Example:
        >>> is_lone_timestamp("00:05:00"), is_lone_timestamp("[12:30]"), is_lone_timestamp("at 10:30")
        (True, True, False)
    """
    return _LONE_TIME.fullmatch(text) is not None


def timing_line(text: str) -> tuple[float, float] | None:
    """Start and end seconds of a ``start --> end`` line written as text, or None.

    Example:
        >>> timing_line("0:0:5.100 --> 0:0:8.250")
        (5.1, 8.25)
        >>> timing_line("Dana: 10:30 --> 11:00 was the slot") is None
        True
    """
    match = _TIMING_LINE.fullmatch(text)
    if match is None:
        return None
    start, end = parse_timestamp(match.group("start")), parse_timestamp(match.group("end"))
    if start is None or end is None:
        return None
    return start, end
