"""What every recogniser shares: the kinds of personal data, their tags, and the ``Recogniser`` interface.

A recogniser finds one kind of personal data in a text and proposes candidate spans
``(start, end, replacement)``. The :class:`~workbench.privacy.redactor.Redactor` runs its
recognisers one after the other in priority order; for each it keeps the longest candidates
that overlap nothing taken before (:func:`pick_longest`) and masks them, so a later recogniser
never sees what an earlier one took.

To add a recogniser: subclass :class:`Recogniser` in a module of its own, set ``kind``
(a new kind also goes into :data:`KINDS` and :data:`TAGS`), implement
:meth:`Recogniser.find`, and list it in :func:`workbench.privacy.redactor.build_recognisers`
at its place in the priority order.

Example:
    >>> class StaffOnDuty(Recogniser):
    ...     kind = "name"
    ...     def find(self, text, taken):
    ...         start = text.find("KEVIN")
    ...         return [] if start < 0 else [(start, start + 5, TAGS[self.kind])]
    >>> StaffOnDuty().find("ask for KEVIN", [])
    [(8, 13, '[NAME]')]
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from typing import ClassVar

__all__ = ["KINDS", "TAGS", "TAG_RE", "Candidate", "Span", "Recogniser", "overlaps", "pick_longest"]

#: kinds in priority order (a higher-priority kind wins an overlap)
KINDS: tuple[str, ...] = (
    "email", "iban", "card", "date_of_birth", "booking_ref", "account", "phone", "address", "postcode", "name", "place",
)

#: the tag each kind is replaced by (names use the pseudonym where one is known)
TAGS: dict[str, str] = {
    "email": "[EMAIL]",
    "iban": "[IBAN]",
    "card": "[CARD]",
    "date_of_birth": "[DOB]",
    "booking_ref": "[BOOKING_REF]",
    "account": "[ACCOUNT]",
    "phone": "[PHONE]",
    "address": "[ADDRESS]",
    "postcode": "[POSTCODE]",
    "name": "[NAME]",
    "place": "[PLACE]",
}

#: any of the tags: text already redacted, never redacted again
TAG_RE: re.Pattern[str] = re.compile("|".join(re.escape(tag) for tag in TAGS.values()))

#: a span of a text, ``(start, end)``
Span = tuple[int, int]
#: a recogniser's proposal: ``(start, end, replacement)``
Candidate = tuple[int, int, str]


class Recogniser(ABC):
    """Finds one kind of personal data in a text.

    Attributes:
        kind: the kind it finds, one of :data:`KINDS`; redactions it proposes carry it.

    Example:
        >>> from workbench.privacy.emails import EmailRecogniser
        >>> EmailRecogniser().find("mail ana@example.com", [])
        [(5, 20, '[EMAIL]')]
    """

    kind: ClassVar[str] = ""

    @abstractmethod
    def find(self, text: str, taken: Sequence[Span]) -> list[Candidate]:
        """Candidate spans ``(start, end, replacement)`` of this kind in ``text``.

        ``text`` is the text with what earlier recognisers took masked (bracketed blocks
        that no pattern matches); ``taken`` lists those spans, for recognisers that need
        to know them. Candidates may overlap: the redactor keeps the longest. Do not
        change ``taken``.
        """


def overlaps(span: Span, taken: Iterable[Span]) -> bool:
    """True if ``span`` overlaps any span of ``taken`` (touching ends do not overlap).

    Example:
        >>> overlaps((3, 6), [(0, 3)]), overlaps((3, 6), [(5, 9)])
        (False, True)
    """
    s, e = span
    return any(s < te and ts < e for ts, te in taken)


def pick_longest(cands: Iterable[Candidate], taken: Sequence[Span]) -> list[Candidate]:
    """Non-overlapping candidates, longest first, none overlapping ``taken``.

    Example:
        >>> pick_longest([(0, 4, "[A]"), (2, 9, "[B]"), (10, 12, "[C]")], taken=[(11, 12)])
        [(2, 9, '[B]')]
    """
    chosen: list[Candidate] = []
    spans = list(taken)
    for s, e, rep in sorted(set(cands), key=lambda c: (-(c[1] - c[0]), c[0])):
        if e <= s or overlaps((s, e), spans):
            continue
        chosen.append((s, e, rep))
        spans.append((s, e))
    return chosen
