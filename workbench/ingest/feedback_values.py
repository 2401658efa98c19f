"""Reading the values of the rating and date columns: ``4/5``, ``★★★★☆``, ``05/03/2024``, Unix and Excel dates."""
from __future__ import annotations

import datetime as dt
import math
import re

import pandas as pd

from workbench.ingest.feedback_table import cell_text

__all__ = ["DateParser", "parse_rating"]

_RE_RATING = re.compile(r"\s*([-+]?\d+(?:[.,]\d+)?)\s*(?:/\s*\d+(?:[.,]\d+)?|stars?|\*|%|out of \d+|points?)?\s*", re.I)


def parse_rating(raw: str) -> float | None:
    """'4', '4.5', '4,5', '4/5', '4 stars', '★★★★☆' → float; anything else None.

    Example:
        >>> parse_rating("4,5"), parse_rating("4/5"), parse_rating("★★★☆☆"), parse_rating("great")
        (4.5, 4.0, 3.0, None)
    """
    raw = raw.strip()
    if raw and set(raw) <= {"★", "☆", " "} and "★" in raw:
        return float(raw.count("★"))
    match = _RE_RATING.fullmatch(raw)
    if not match:
        return None
    try:
        value = float(match.group(1).replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class DateParser:
    """Parse the dates of one column into ISO 8601, deciding day-first vs month-first from the whole column.

    Example:
        >>> parser = DateParser(pd.Series(["05/03/2024", "25/03/2024"]))
        >>> parser.dayfirst, parser.parse("05/03/2024")
        (True, '2024-03-05')
    """

    def __init__(self, values: pd.Series) -> None:
        day_first = month_first = 0
        for value in values:
            text = cell_text(value)
            if not text:
                continue
            match = re.match(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b", text)
            if match:
                first, second = int(match.group(1)), int(match.group(2))
                if first > 12 >= second:
                    day_first += 1
                elif second > 12 >= first:
                    month_first += 1
        self.dayfirst = day_first > month_first
        self._cache: dict[str, str | None] = {}

    def parse(self, text: str) -> str | None:
        """``text`` as an ISO 8601 date or date-time, or None where it is not a date.

        Example:
            >>> parser = DateParser(pd.Series([], dtype=object))
            >>> parser.parse("1709640000"), parser.parse("2024-03-05 14:30"), parser.parse("soon")
            ('2024-03-05T12:00:00Z', '2024-03-05T14:30:00', None)
        """
        if text not in self._cache:
            self._cache[text] = self._parse(text)
        return self._cache[text]

    def _parse(self, text: str) -> str | None:
        from dateutil import parser as date_parser

        if re.fullmatch(r"\d+(\.\d+)?", text):
            number = float(text)
            if 1e9 <= number < 1e11:  # Unix seconds
                moment = dt.datetime.fromtimestamp(number, tz=dt.timezone.utc)
                return moment.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
            if 1e12 <= number < 1e14:  # Unix milliseconds
                moment = dt.datetime.fromtimestamp(number / 1000, tz=dt.timezone.utc)
                return moment.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
            if 20000 <= number < 80000:  # an Excel serial day number that lost its format
                moment = dt.datetime(1899, 12, 30) + dt.timedelta(days=number)
                return _iso(moment)
            if len(text) == 8 and text.isdigit():  # 20240305
                try:
                    return dt.date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
                except ValueError:
                    return None
            return None
        if not re.search(r"\d", text) or len(text) < 6 or len(text) > 64:
            return None
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            dayfirst = self.dayfirst or bool(re.match(r"\s*\d{1,2}\.\d{1,2}\.\d{2,4}", text))
            try:
                moment = date_parser.parse(text, dayfirst=dayfirst, default=dt.datetime(2000, 1, 1))
            except (ValueError, OverflowError, TypeError, date_parser.ParserError):
                return None
        if not 1900 <= moment.year <= 2200:
            return None
        return _iso(moment)


def _iso(moment: dt.datetime) -> str:
    if moment.tzinfo is None and moment.time() == dt.time(0, 0):
        return moment.date().isoformat()
    return moment.isoformat(timespec="seconds")
