"""Postcodes on their own (not inside a street address): they become ``[POSTCODE]``.

* UK: the full Royal Mail pattern ("SW1A 1AA", "M1 1AE", "EH8 9YL"), anywhere;
* Canada: "K1A 0B1", anywhere;
* US: ZIP+4 ("94043-1351") anywhere; a five-digit ZIP after a state code ("CA 94043") or where
  someone says where they live ("we moved to 02139");
* Ireland: Eircodes ("D02 X285"), anywhere;
* the Netherlands: "1012 AB" before a place or after a postcode word;
* four- and five-digit codes of the rest of Europe ("10117 Berlin", "75001 Paris", "1050 Bruxelles"),
  Poland's "00-950 Warszawa" and Portugal's "1000-001 Lisboa": before a capitalised place name
  that the gazetteer knows (:mod:`workbench.privacy.lexicon`), or after a postcode word
  ("postcode", "zip", "PLZ", "code postal", "CAP", "CEP");
* any of these shapes after a postcode word.

Years before a city ("in 2026 Paris hosted") and counts before a word stay.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from workbench.privacy.base import TAGS, Candidate, Recogniser, Span

__all__ = ["PostcodeRecogniser"]

_UK = r"(?:GIR ?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW]?|[A-HK-Y]\d[ABEHMNPRVWXY]?|\d\d|[A-HK-Y]\d\d)[ \t]?\d[ABD-HJLNP-UW-Z]{2})"
_CANADA = r"(?:[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ \t]?\d[ABCEGHJ-NPRSTV-Z]\d)"
_US_STATES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND "
    "OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR"
).split()
#: Ireland's Eircode ("D02 X285"): a routing key and four letters and digits, both kinds in them
_EIRCODE = r"(?:(?:[AC-FHKNPRTV-Y]\d{2}|D6W)[ \t](?=[0-9AC-FHKNPRTV-Y]{0,3}\d)(?=[0-9AC-FHKNPRTV-Y]{0,3}[A-Z])[0-9AC-FHKNPRTV-Y]{4})"
_ALWAYS_RE = re.compile(rf"(?<![\w\-/])(?:{_UK}|{_CANADA}|{_EIRCODE}|\d{{5}}-\d{{4}})(?![\w\-/])")
#: a five-digit ZIP where someone says where they live: "we moved to 02139", "I live in 90210"
_RESIDENCE_ZIP_RE = re.compile(
    r"(?i:\b(?:live|lives|living|lived|moved|move|moving|relocated|based|reside|resides|residing)[ \t]+(?:in|to|at|near))"
    r"[ \t]+(?P<code>\d{5}(?:-\d{4})?)(?![\w\-.,]\d?)"
)
_STATE_ZIP_RE = re.compile(rf"\b(?:{'|'.join(_US_STATES)})[ \t]+(?P<code>\d{{5}})(?![\w\-])")
_POSTCODE_WORD = r"(?:(?i:post\s?code|postal\s+code|zip(?:\s?code)?|code\s+postal|pin\s?code|eircode)|PLZ|CAP|CEP)"
_CODE = rf"(?:{_UK}|{_CANADA}|\d{{5}}(?:-\d{{4}})?|\d{{4}}[ \t]?[A-Z]{{2}}|\d{{2}}-\d{{3}}|\d{{4}}-\d{{3}}|\d{{3}}[ \t]?\d{{2}}|\d{{4}}|\d{{6}}|[A-Z]\d{{2}}[ \t]?[A-Z\d]{{4}})"
_AFTER_WORD_RE = re.compile(rf"\b{_POSTCODE_WORD}\b(?:['’]s|\s+(?i:is|was)|:)?[ \t]*[:#]?[ \t]*(?P<code>{_CODE})(?![\w\-])")
_BEFORE_PLACE_RE = re.compile(
    r"(?<![\w\-/.,£$€¥#])(?P<code>\d{4}[ \t]?[A-Z]{2}|\d{5}|\d{4}|\d{2}-\d{3}|\d{4}-\d{3}|\d{3}[ \t]\d{2})"
    r"[ \t]+(?P<place>[A-ZÀ-Þ][\w'’\-]+(?:[ \t](?:am|an|de|sur|la|le|del|di|[A-ZÀ-Þ][\w'’\-]+)){0,3})"
)

_NOT_POSTCODE_BEFORE_RE = re.compile(
    r"(?:\b[A-Z]{2}|\b[A-Z]\d|\b\d[A-Z]|(?i:flight|flights|train|bus|route|gate|platform|room|seat|terminal|"
    r"no\.?|number|nr|order|ref|ticket|at|by|until|till))[ \t]*$"
)


class PostcodeRecogniser(Recogniser):
    """Finds postcodes of the UK, Canada, the US and Europe (see the module doc).

    Args:
        is_place: tells whether a phrase is a known place (the gazetteer); None: places are
            loaded from :func:`workbench.privacy.lexicon.load_lexicon` at the first ``find``.

    Example:
        >>> text = "We live at EH8 9YL; the office is 10117 Berlin, zip 94043-1351."
        >>> [text[s:e] for s, e, _ in PostcodeRecogniser().find(text, [])]
        ['EH8 9YL', '10117', '94043-1351']
    """

    kind = "postcode"

    def __init__(self, is_place=None) -> None:
        self.is_place = is_place

    def find(self, text: str, taken: Sequence[Span]) -> list[Candidate]:
        """Every postcode in ``text`` (see :meth:`Recogniser.find`).

        Example:
            >>> PostcodeRecogniser().find("In 2026 Paris hosted 12000 people; flight BA 2490", [])
            []
        """
        spans = [m.span() for m in _ALWAYS_RE.finditer(text)]
        spans += [m.span("code") for m in _STATE_ZIP_RE.finditer(text)]
        spans += [m.span("code") for m in _AFTER_WORD_RE.finditer(text)]
        spans += [m.span("code") for m in _RESIDENCE_ZIP_RE.finditer(text)]
        if any(ch.isdecimal() for ch in text):
            is_place = self.is_place
            if is_place is None:
                from workbench.privacy.lexicon import load_lexicon

                is_place = load_lexicon().is_place
            for m in _BEFORE_PLACE_RE.finditer(text):
                code = m.group("code")
                if re.fullmatch(r"(?:1[89]|20)\d\d", code):
                    continue  # a year before a city
                if _NOT_POSTCODE_BEFORE_RE.search(text[max(0, m.start() - 12):m.start()]):
                    continue  # "BA 2490 London", "flight 2490 Paris", "room 1204 Berlin"
                words = m.group("place").split()
                if any(is_place(" ".join(words[:n])) for n in range(len(words), 0, -1)):
                    spans.append(m.span("code"))
        return [(s, e, TAGS[self.kind]) for s, e in sorted(set(spans))]
