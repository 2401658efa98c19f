"""Booking-reference recognisers: references become ``[BOOKING_REF]``.

Booking references, PNRs and order numbers look different in every company: the study's
own pattern (``study.toml`` ``[privacy] booking_reference_pattern``) finds its references
anywhere, and :class:`ContextBookingReferenceRecogniser` finds any company's by the words
before them ("booking reference QX7TZ9", "PNR: ABCDEF", "confirmation number 48213377", "they gave me a
reference, QX7TZ9").
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from workbench.errors import WorkbenchError
from workbench.privacy.base import TAGS, Candidate, Recogniser, Span

__all__ = ["BookingReferenceRecogniser", "ContextBookingReferenceRecogniser"]


class BookingReferenceRecogniser(Recogniser):
    """Finds the matches of the study's booking-reference regex.

    Args:
        pattern: a regular expression (``r"\\b[A-Z]{3}-[A-Z0-9]{6}\\b"``).

    Raises:
        WorkbenchError: ``pattern`` is not a valid regular expression.

    Example:
        >>> BookingReferenceRecogniser(r"\\bSKY-[A-Z0-9]{6}\\b").find("ref SKY-4QZ81M", [])
        [(4, 14, '[BOOKING_REF]')]
    """

    kind = "booking_ref"

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        try:
            self._regex = re.compile(pattern)
        except re.error as error:
            raise WorkbenchError(
                f"study.toml [privacy] booking_reference_pattern {pattern!r} "
                f"is not a valid regular expression ({error}); fix it or remove the key"
            ) from error

    def find(self, text: str, taken: Sequence[Span]) -> list[Candidate]:
        """Every non-empty match of the pattern in ``text`` (see :meth:`Recogniser.find`).

        Example:
            >>> BookingReferenceRecogniser(r"\\bBK\\d{6}\\b").find("BK123456 and SKY-4QZ81M", [])
            [(0, 8, '[BOOKING_REF]')]
        """
        return [(m.start(), m.end(), TAGS[self.kind]) for m in self._regex.finditer(text) if m.end() > m.start()]


_REF_CUE = (
    r"(?P<cue>booking|reservation|confirmation|pnr|record\s+locator|itinerary|ref|reference|e-?ticket|ticket|"
    r"order|case|claim|complaint)"
)
_REF_WORD = r"(?:reference|ref|code|number|no|nr|num|id|locator)"
_REF_RE = re.compile(
    rf"(?i:\b{_REF_CUE}\b(?P<word>(?:\s+{_REF_WORD}\b\.?){{0,2}})(?:\s*(?:is|was|:|=|-))?)[ \t]*[:#,]?[ \t]*"
    r"(?P<ref>[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){4,15})(?![\w\-])"
)
_FLIGHT_NUMBER_RE = re.compile(r"(?:[A-Z]{2}|[A-Z]\d|\d[A-Z])\d{1,4}[A-Z]?")
#: cues that name a booking reference outright; after the others ("booking", "ticket", "order",
#: "case") the word "reference", "code", "number" … must follow for a digits-only or letters-only value
_STRONG_CUES = frozenset({"reference", "ref", "pnr", "confirmation", "record locator", "itinerary"})


class ContextBookingReferenceRecogniser(Recogniser):
    """Finds booking references by the words before them, in any company's format.

    After "booking reference", "confirmation code", "PNR", "reservation number", "ref" … a
    value of 5–16 letters and digits is a booking reference when it mixes letters and digits
    ("QX7TZ9", "4821-AB77") or is six capital letters after a strong cue ("PNR QXTZAB"), or is
    6–14 digits after a cue with "number/reference/code" ("booking number 48213377"). Not taken:
    flight numbers after "booking"/"ticket" alone ("booking BA2490"), words ("booking
    confirmed"), dates, prices.

    Example:
        >>> text = "my booking reference is QX7TZ9, flight BA 2490"
        >>> [text[s:e] for s, e, _ in ContextBookingReferenceRecogniser().find(text, [])]
        ['QX7TZ9']
    """

    kind = "booking_ref"

    def find(self, text: str, taken: Sequence[Span]) -> list[Candidate]:
        """Every booking reference after a cue in ``text`` (see :meth:`Recogniser.find`).

        Example:
            >>> ContextBookingReferenceRecogniser().find("booking for 2 adults, ticket BA2490", [])
            []
        """
        spans = []
        for m in _REF_RE.finditer(text):
            ref = m.group("ref")
            cue = " ".join(m.group("cue").lower().split())
            worded = bool(m.group("word").strip())
            strong = cue in _STRONG_CUES or worded
            letters = sum(ch.isalpha() for ch in ref)
            digits = sum(ch.isdecimal() for ch in ref)
            if cue in {"order", "case", "claim", "complaint"} and not ("ref" in m.group("word").lower()):
                continue  # order and case numbers are the company's, not a person's
            if letters and digits:
                if not strong and _FLIGHT_NUMBER_RE.fullmatch(ref.replace("-", "")):
                    continue
                if ref != ref.upper() and not strong:
                    continue
            elif letters:
                if not (strong and ref.isupper() and 5 <= len(ref) <= 8):
                    continue
            elif not (strong and 6 <= digits <= 14):
                continue
            spans.append((m.start("ref"), m.end("ref"), TAGS[self.kind]))
        return spans
