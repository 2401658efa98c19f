"""Recognisers of payment details: IBANs (``[IBAN]``) and card numbers (``[CARD]``), with their checks.

* IBAN: country code, two check digits and 10–32 letters/digits (single spaces allowed),
  exactly the length the country's IBANs have, passing the ISO 7064 mod-97 check.
* Card: 13–19 digits in groups separated by spaces or dashes, starting with an issuer
  digit 1–6, passing the Luhn check. Within a longer run of digits every window of
  13–19 digits is tried.
* Card tail: the last four digits where the text says they are a card's ("card ending 4417",
  "the Visa ending in 0932", "last four digits are 1234", "**** 1234"): the digits become
  ``[CARD]``, the words stay.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from workbench.privacy.base import TAGS, Candidate, Recogniser, Span

__all__ = ["IbanRecogniser", "CardRecogniser", "CardTailRecogniser", "iban_valid", "luhn_valid"]

_IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}

_IBAN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){10,32}")
_DIGIT_RUN_RE = re.compile(r"(?<![\w+.,])\d+(?:[ -]\d+)*(?![\w])")
_CARD_WORD = r"(?:card|visa|mastercard|master\s*card|amex|american\s+express|maestro|debit|credit|account)"
_CARD_TAIL_RES = (
    # "card ending 4417", "the Visa ending in 0932", "my debit card that ends with 1234"
    re.compile(rf"(?i:\b{_CARD_WORD}\b[^.!?\n]{{0,30}}?\b(?:ending|ends|ended)(?:\s+(?:in|with|on))?)"
               r"[ \t]*[:\-]?[ \t]*(?P<digits>\d{4})(?![\d,.]\d)(?!\d)"),
    # "last four digits are 1234", "last 4 of my card: 1234"
    re.compile(r"(?i:\blast\s+(?:four|4)(?:\s+(?:digits|numbers|nos))?(?:\s+(?:of|on)\s+(?:my|the|your|his|her|their)\s+"
               rf"{_CARD_WORD}(?:\s+(?:number|no))?)?(?:\s+(?:are|is|were|was|being))?)[ \t]*[:\-]?[ \t]*"
               r"(?P<digits>\d{4})(?!\d)"),
    # "the one that ends in 1234", "ending 1234": four digits after "ending"/"ends in" are a card's
    # tail in speech even without a card word; years ("the offer ending in 2026") and amounts with
    # a unit ("ends in 1200 metres") are left out in find()
    re.compile(r"(?i:\b(?:ending|ends|ended)(?:\s+(?:in|with|on))?)[ \t]*[:\-]?[ \t]*(?P<digits>\d{4})(?![\d,.]\d)(?!\d)"
               r"(?![ \t]*(?i:m\b|km|metres|meters|miles|feet|ft|hours|hrs|minutes|mins|days|weeks|people|points|"
               r"pounds|euros|dollars|rupees|steps|calories|kg|lbs|[%£$€]))"),
    # "**** 1234", "xxxx-xxxx-xxxx-1234", "•••• 1234"
    re.compile(r"(?:(?:\*{4}|[xX]{4}|•{4})[ \-]?){1,3}(?P<digits>\d{4})(?!\d)"),
)


def iban_valid(iban: str) -> bool:
    """Return True if ``iban`` (spaces allowed) has its country's length and passes mod-97.

    Example:
        >>> iban_valid("GB82 WEST 1234 5698 7654 32"), iban_valid("GB82WEST12345698765433")
        (True, False)
    """
    compact = "".join(iban.split()).upper()
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]+", compact):
        return False
    if _IBAN_LENGTHS.get(compact[:2]) != len(compact):
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def luhn_valid(number: str) -> bool:
    """Return True if the digits of ``number`` (other characters ignored) pass the Luhn check.

    Example:
        >>> luhn_valid("4111 1111 1111 1111"), luhn_valid("4111 1111 1111 1112")
        (True, False)
    """
    digits = [int(ch) for ch in number if ch.isdecimal()]
    if not digits:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


class IbanRecogniser(Recogniser):
    """Finds IBANs of the country's length that pass the mod-97 check.

    Example:
        >>> IbanRecogniser().find("pay to GB82 WEST 1234 5698 7654 32.", [])
        [(7, 34, '[IBAN]')]
    """

    kind = "iban"

    def find(self, text: str, taken: Sequence[Span]) -> list[Candidate]:
        """Every valid IBAN in ``text`` (see :meth:`Recogniser.find`).

        Example:
            >>> IbanRecogniser().find("GB82 WEST 1234 5698 7654 33", [])
            []
        """
        spans = []
        for m in _IBAN_RE.finditer(text):
            length = _IBAN_LENGTHS.get(m.group()[:2])
            if length is None:
                continue
            positions = [m.start() + i for i, ch in enumerate(m.group()) if ch != " "]
            if len(positions) < length:
                continue
            end = positions[length - 1] + 1
            if end < len(text) and text[end].isalnum():  # runs on without a space: not this IBAN
                continue
            if iban_valid(text[m.start():end]):
                spans.append((m.start(), end, TAGS[self.kind]))
        return spans


class CardRecogniser(Recogniser):
    """Finds card numbers: 13–19 digits (spaces/dashes between groups), issuer digit 1–6, Luhn.

    Example:
        >>> CardRecogniser().find("card 4111-1111-1111-1111 declined", [])
        [(5, 24, '[CARD]')]
    """

    kind = "card"

    def find(self, text: str, taken: Sequence[Span]) -> list[Candidate]:
        """Every card-number window in the digit runs of ``text`` (see :meth:`Recogniser.find`).

        Example:
            >>> CardRecogniser().find("order 4111 1111 1111 1112", [])
            []
        """
        spans: list[Candidate] = []
        for m in _DIGIT_RUN_RE.finditer(text):
            groups = [(g.start() + m.start(), g.end() + m.start()) for g in re.finditer(r"\d+", m.group())]
            total = sum(e - s for s, e in groups)
            if total < 13:
                continue
            best: list[Candidate] = []
            for i in range(len(groups)):
                n = 0
                for j in range(i, len(groups)):
                    n += groups[j][1] - groups[j][0]
                    if n > 19:
                        break
                    if n >= 13:
                        s, e = groups[i][0], groups[j][1]
                        candidate = text[s:e]
                        if int(candidate[0]) in range(1, 7) and luhn_valid(candidate):
                            best.append((s, e, TAGS[self.kind]))
            spans.extend(best)
        return spans


_BARE_TAIL_RE = _CARD_TAIL_RES[2]
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_CARD_WORD_RE = re.compile(rf"(?i:\b{_CARD_WORD}\b)")


class CardTailRecogniser(Recogniser):
    """Finds a card's last four digits where the text says so; only the digits are replaced.

    Example:
        >>> text = "the Visa ending in 0932 and the 2024 trip; the one that ends in 5754, not the offer ending 2027"
        >>> [text[s:e] for s, e, _ in CardTailRecogniser().find(text, [])]
        ['0932', '5754']
    """

    kind = "card"

    def find(self, text: str, taken: Sequence[Span]) -> list[Candidate]:
        """Every card tail in ``text`` (see :meth:`Recogniser.find`).

        Example:
            >>> CardTailRecogniser().find("last four digits are 1234", [])
            [(21, 25, '[CARD]')]
        """
        spans = []
        for regex in _CARD_TAIL_RES:
            for m in regex.finditer(text):
                if regex is _BARE_TAIL_RE and _YEAR_RE.fullmatch(m.group("digits")):
                    if not _CARD_WORD_RE.search(text, max(0, m.start() - 60), m.start()):
                        continue  # "the promotion ending in 2026": a year, unless a card was named
                spans.append((m.start("digits"), m.end("digits"), TAGS[self.kind]))
        return sorted(set(spans))
