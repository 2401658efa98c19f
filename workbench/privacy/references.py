"""The booking-reference recogniser: the study's own reference pattern becomes ``[BOOKING_REF]``.

Booking references, PNRs and order numbers look different in every company, so the
pattern comes from the study (``study.toml`` ``[privacy] booking_reference_pattern``).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from workbench.errors import WorkbenchError
from workbench.privacy.base import TAGS, Candidate, Recogniser, Span

__all__ = ["BookingReferenceRecogniser"]


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
