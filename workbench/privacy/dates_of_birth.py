"""Dates of birth: a date after "date of birth", "DOB", "born" or "birthday" becomes ``[DOB]``.

Dates stay everywhere else (flights, refunds, stays are dated all the time); a date is
personal data when the words before it say it is someone's birth date. The date may be
written in numbers ("14/02/1987", "12.05.1990", "1991-08-23", "28/10/88") or in words
("3 March 1979", "the 9th of July 1985", "June 4, 1974", "4 Jan 90"), in English month names
or their common abbreviations. The cue and up to a few linking words ("is", "was", "on the",
":") may stand between.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from workbench.privacy.base import TAGS, Candidate, Recogniser, Span

__all__ = ["DateOfBirthRecogniser"]

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_DATE = (
    rf"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})"  # 14/02/1987, 12.05.1990, 28/10/88
    rf"|{_YEAR}[/.\-]\d{{1,2}}[/.\-]\d{{1,2}}"  # 1991-08-23
    rf"|{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+(?:{_YEAR}|'?\d\d))?"  # 9th of July 1985, 4 Jan 90
    rf"|{_MONTH}\s+{_DAY}(?:,?\s+(?:{_YEAR}|'?\d\d))?)"  # June 4, 1974
)
_CUE = (r"(?:date\s+of\s+birth|birth\s*date|d\.?o\.?b\.?|born|birthday|b-?day|"
        r"geboren|geburtsdatum|n[ée]e?\s+le|date\s+de\s+naissance|fecha\s+de\s+nacimiento|nacid[oa])")
_DOB_RE = re.compile(
    rf"\b{_CUE}(?![\w])(?:['’]s)?(?:[ \t]*(?:[:,\-=]|(?:is|was|on|the|of|it['’]s|its)\b))*[ \t]*(?P<date>{_DATE})(?![\w/.\-]\d)",
    re.IGNORECASE,
)


class DateOfBirthRecogniser(Recogniser):
    """Finds dates of birth by the words before them; other dates stay.

    Example:
        >>> text = "DOB 3 March 1979; we flew on 3 March 2024"
        >>> [text[s:e] for s, e, _ in DateOfBirthRecogniser().find(text, [])]
        ['3 March 1979']
    """

    kind = "date_of_birth"

    def find(self, text: str, taken: Sequence[Span]) -> list[Candidate]:
        """Every date of birth in ``text`` (see :meth:`Recogniser.find`).

        Example:
            >>> DateOfBirthRecogniser().find("I was born on the 12.05.1990, not 12.05.2020", [])
            [(18, 28, '[DOB]')]
        """
        return [(m.start("date"), m.end("date"), TAGS[self.kind]) for m in _DOB_RE.finditer(text)]
