"""The phone-number recogniser: phone numbers become ``[PHONE]``.

Candidates come from the ``phonenumbers`` matcher, run for several regions over the
digit runs of the text only (it is slow), and from a regex for ``+``-prefixed numbers.
Each candidate must then pass :meth:`PhoneRecogniser.plausible`: 7–15 digits (9+ without
``+``), not glued to a word, not a date, time, price, percentage or part of a longer number
(card, IBAN tail, order number), and a national number needs a trunk ``0`` or a known shape
(US/Canada 3-3-4, Indian 5-5, Spanish 3-3-3, Italian mobile 3xx).

Two more ways in, for numbers in any country's format: after a phone word ("call me on",
"my mobile is", "WhatsApp", "tel") any digit run that ``phonenumbers`` finds valid in one of
:data:`CUE_PHONE_REGIONS` is taken ("08031234567" in Nigeria, "(11) 91234-5678" in Brazil); and
a bracketed area code counts as a phone word ("it's (21) 94513-5257"); and
ten bare digits that make a valid US/Canada number ("2025550143") are taken unless an id word
stands before them ("order", "invoice", "account", "reference" …: those are ids, see
:mod:`workbench.privacy.accounts`).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from workbench.privacy.base import TAGS, Candidate, Recogniser, Span

__all__ = ["PhoneRecogniser", "DEFAULT_PHONE_REGIONS", "CUE_PHONE_REGIONS"]

#: regions whose national formats are recognised unless the study says otherwise
DEFAULT_PHONE_REGIONS: tuple[str, ...] = ("US", "GB", "DE", "FR", "ES", "IT", "NL", "IE", "AU", "CA", "IN")
#: regions tried for a digit run after a phone word ("call me on …")
CUE_PHONE_REGIONS: tuple[str, ...] = DEFAULT_PHONE_REGIONS + (
    "NG", "ZA", "KE", "GH", "ZW", "EG", "MA", "BR", "MX", "AR", "CO", "CL", "PE", "JP", "CN", "KR", "SG", "HK",
    "MY", "PH", "ID", "TH", "VN", "PK", "BD", "AE", "SA", "TR", "PL", "PT", "BE", "CH", "AT", "SE", "NO", "DK",
    "FI", "CZ", "GR", "RO", "HU", "NZ", "IL",
)
_PHONE_CUE_RE = re.compile(
    r"\b(?:phone|phoned|mobile|cell|cellphone|tel|telephone|landline|call|called|calling|ring|rang|text|texted|"
    r"whatsapp|sms|reach|contact|fax|hotline|dial|dialled|dialed|number|no|nr|numero|número|nummer)\b[^.!?\n]{0,30}$",
    re.IGNORECASE,
)
_ID_CUE_RE = re.compile(
    r"\b(?:order|invoice|account|acct|reference|ref|booking|confirmation|member|membership|policy|tracking|case|"
    r"ticket|serial|transaction|receipt|customer|loyalty|flyer|flier|passport|licen[cs]e|card|claim|complaint|"
    r"voucher|code|pin|id|iban|bic|swift|sort)\b[^.!?\n]{0,20}$",
    re.IGNORECASE,
)

_PHONE_PLUS_RE = re.compile(r"(?<![\w+])\+\d{1,3}(?:[ .\-]?\(?\d{1,5}\)?){2,6}(?!\w)")
_DATE = r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2}))"
# a date or a date range only ("01.09.26-05.09.26"); "01.23.45.67.89" (Paris) and
# "+49-89-1234567" hold a date-like piece but are more than a date
_DATES_ONLY_RE = re.compile(rf"{_DATE}(?:\s*[-–/]\s*{_DATE})?")
_TIME_IN_RE = re.compile(r"\d{1,2}:\d{2}")
_PHONE_WINDOW_RE = re.compile(r"[+(]?\d(?:[\d \-.()/\u00a0]*\d)?")
#: "(21) 94513-5257", "(0131) 496 0123": a bracketed area code then groups is how phone numbers are written
_BRACKETED_AREA_RE = re.compile(r"\(\d{2,5}\)[ .\-]?\d{2,5}(?:[ .\-]?\d{2,5}){1,2}")
_NANP_RE = re.compile(r"(?:1[-. ]?)?(?:\([2-9]\d{2}\)|[2-9]\d{2})[-. ]?[2-9]\d{2}[-. ]?\d{4}")
# national numbers without a trunk 0, in the shapes people write them: Indian mobiles as two
# groups of five ("98765 43210"), Spanish 3-3-3 or 3-2-2-2 ("612 345 678"), Italian mobiles ("347 1234567")
_NO_TRUNK_RE = re.compile(
    r"[6-9]\d{4}[- ]\d{5}"
    r"|[6789]\d{2}(?: \d{3} \d{3}| \d{2} \d{2} \d{2})"
    r"|3\d{2}[ ]\d{3}[ ]?\d{3,4}|3\d{2}[ ]\d{6,7}"
)
_RUN_CHARS = frozenset(" -.()\u00a0")


class PhoneRecogniser(Recogniser):
    """Finds phone numbers written in the formats of ``regions`` or with a ``+`` country code.

    Args:
        regions: ISO 3166 region codes whose national formats are recognised.

    Example:
        >>> text = "Call 020 7946 0958 or +49 30 1234567, not order 2024-05-01"
        >>> [text[s:e] for s, e, _ in sorted(PhoneRecogniser().find(text, []))]
        ['020 7946 0958', '+49 30 1234567']
    """

    kind = "phone"

    def __init__(self, regions: Sequence[str] = DEFAULT_PHONE_REGIONS) -> None:
        self.regions = regions

    def find(self, text: str, taken: Sequence[Span]) -> list[Candidate]:
        """Every plausible phone number in ``text`` (see :meth:`Recogniser.find`).

        Example:
            >>> PhoneRecogniser(regions=("GB",)).find("It cost £1 234 567", [])
            []
        """
        if sum(ch.isdecimal() for ch in text) < 7:
            return []
        import phonenumbers  # imported lazily: keeps `import workbench` fast

        cands: set[tuple[int, int]] = set()
        for run in _PHONE_WINDOW_RE.finditer(text):
            if sum(ch.isdecimal() for ch in run.group()) < 7:
                continue
            lo, hi = max(0, run.start() - 2), min(len(text), run.end() + 2)
            window = text[lo:hi]  # the matcher is slow: only show it the digit runs
            for region in self.regions:
                try:
                    matcher = phonenumbers.PhoneNumberMatcher(
                        window, region, leniency=phonenumbers.Leniency.POSSIBLE, max_tries=50
                    )
                    for m in matcher:
                        cands.add((lo + m.start, lo + m.end))
                except Exception:  # the matcher must never break redaction  # pragma: no cover
                    continue
        for m in _PHONE_PLUS_RE.finditer(text):
            cands.add(m.span())
        found = {(s, e) for s, e in cands if self.plausible(text, s, e)}
        found |= self._by_context(text, phonenumbers)
        return [(s, e, TAGS[self.kind]) for s, e in found]

    def _by_context(self, text: str, phonenumbers) -> set[tuple[int, int]]:
        """Numbers after a phone word in any country's format, and ten bare digits of a US/Canada number."""
        found: set[tuple[int, int]] = set()
        for run in _PHONE_WINDOW_RE.finditer(text):
            s, e = run.span()
            while e > s and text[e - 1] in "()-. /":
                e -= 1
            raw = text[s:e]
            digits = sum(ch.isdecimal() for ch in raw)
            if not 7 <= digits <= 15 or not self.plausible(text, s, e, shape=False):
                continue
            before = re.sub(r"\b(no|nr|tel|ref|acct)\.", r"\1", text[max(0, s - 60):s], flags=re.IGNORECASE)
            if _ID_CUE_RE.search(before):
                continue  # "order 2025550143", "account number 0803 …": an id, not a phone
            cued = _PHONE_CUE_RE.search(before) or _BRACKETED_AREA_RE.fullmatch(raw)
            regions = CUE_PHONE_REGIONS if cued else (
                ("US",) if raw.isdecimal() and digits == 10 else ())
            for region in regions:
                try:
                    if phonenumbers.is_valid_number(phonenumbers.parse(raw, region)):
                        found.add((s, e))
                        break
                except phonenumbers.NumberParseException:
                    continue
        return found

    @staticmethod
    def plausible(text: str, start: int, end: int, shape: bool = True) -> bool:
        """True if ``text[start:end]`` can be a phone number where it stands (not a date, price, id …).

        ``shape=False`` leaves out the rules on how a national number without a phone word looks
        (a trunk 0 or a known grouping): the caller has other evidence.

        Example:
            >>> PhoneRecogniser.plausible("Call 020 7946 0958", 5, 18), PhoneRecogniser.plausible("on 2024-05-01", 3, 13)
            (True, False)
        """
        raw = text[start:end]
        digits = sum(ch.isdecimal() for ch in raw)
        plus = raw.startswith("+")
        idd = raw.startswith("00")
        if digits < 7 or digits > 15:
            return False
        if not plus and digits < 9:
            return False
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_+"):
            return False
        if end < len(text) and (text[end].isalnum() or text[end] in "_%+"):
            return False
        if raw.endswith(")") and "(" not in raw:
            return False  # the matcher took a closing bracket of the sentence; the shorter match is kept
        if shape and raw.isdecimal() and not (raw.startswith("0") and 10 <= digits <= 11 and not idd):
            return False  # a bare digit string is an id/order number unless it is 0xxxxxxxxxx
        if (shape and not plus and not raw.lstrip("(").startswith("0")
                and not (_NANP_RE.fullmatch(raw) or _NO_TRUNK_RE.fullmatch(raw))):
            return False  # national numbers start with a trunk 0, except the US/Canada 3-3-4 shape
        if _DATES_ONLY_RE.fullmatch(raw) or _TIME_IN_RE.search(raw):
            return False
        # money: "£1 234 567", "1,234,567.00 EUR"
        before = text[max(0, start - 3):start].rstrip()
        if (before and before[-1] in "£$€¥₹") or (before and before[-1] in ",." and start >= 2 and text[start - 2].isdecimal()):
            return False
        if re.match(r"\s?(?:EUR|USD|GBP|%|percent|euros?|dollars?|pounds?)\b", text[end:end + 9], re.IGNORECASE):
            return False
        # part of a longer number (card, IBAN tail, order number): count digits of the run
        s, e = start, end
        while s > 0 and (text[s - 1].isdecimal() or text[s - 1] in _RUN_CHARS):
            s -= 1
        while e < len(text) and (text[e].isdecimal() or text[e] in _RUN_CHARS):
            e += 1
        if sum(ch.isdecimal() for ch in text[s:e]) > 15:
            return False
        return True
