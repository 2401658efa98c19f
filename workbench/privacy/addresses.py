"""The street-address recogniser: addresses become ``[ADDRESS]``.

An address is a house number, a street name and a street type, in the styles of the UK
and US (``221B Baker Street, London NW1 6XE``, ``1600 Amphitheatre Parkway, Mountain View,
CA 94043``), Germany and the Netherlands (``Friedrichstraße 43, 10117 Berlin``,
``Keizersgracht 123``), France (``12 rue de Rivoli, 75001 Paris``), Spain and Italy
(``Calle Mayor 10``, ``Via Roma 12``), Portugal, Brazil and Poland (``Rua Augusta 120``,
``ul. Mickiewicza 14``), house numbers with suffixes (``Herengracht 12-III``), with an optional flat/unit, city and UK postcode or
US ZIP(+4). Not found: PO boxes and addresses without a street type.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from workbench.privacy.base import TAGS, Candidate, Recogniser, Span

__all__ = ["AddressRecogniser"]

_STREET_TYPES = (
    r"Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Place|Pl|Court|Ct|"
    r"Crescent|Cres|Close|Terrace|Parkway|Pkwy|Square|Sq|Highway|Hwy|Row|Gardens|Mews|Grove|"
    r"Hill|Walk|Circle|Cir|Trail|Strasse|Straße|Str"
)
_UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}"
_US_ZIP = r"(?:[A-Z]{2}\s+)?\d{5}(?:-\d{4})?"
_POSTCODE = rf"(?:{_UK_POSTCODE}|{_US_ZIP})"
_CITY = r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}"
#: a flat or unit before any address ("Flat 3, 12 Rue de la Paix", "Apartment 4B, 350 Fifth Avenue")
_UNIT = r"(?:\b(?:Flat|Apt\.?|Apartment|Suite|Unit|Appartement|Piso|Wohnung)\s+\w{1,5},?\s+)?"
#: a house number with a suffix: "12a", "12-III" (Amsterdam floors), "12-2", "12/4"
_HOUSE_NO = r"\d{1,4}[a-z]?(?:[-/](?:[IVX]{1,4}|hs|[A-Za-z]|\d{1,3})\b)?"
_ADDRESS_PATTERNS = (
    # 221B Baker Street, London NW1 6XE  /  1600 Amphitheatre Parkway, Mountain View, CA 94043
    _UNIT +
    rf"\b\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,4}}[A-Za-z]?)?,?\s+"
    rf"(?:[A-Z][A-Za-z'’\-]*\.?\s+){{1,4}}?(?:{_STREET_TYPES})\b"
    rf"(?:,\s*{_CITY}(?=\s*(?:[,.;)\n]|$|{_POSTCODE}))){{0,2}}"
    rf"(?:,?\s*{_POSTCODE}\b)?",
    # Friedrichstraße 43, 10117 Berlin / Keizersgracht 123
    r"\b[A-ZÄÖÜ][a-zäöüß]+(?:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer|straat|"
    r"laan|gracht|plein|kade)\s+" + _HOUSE_NO + r"\b(?:,\s*\d{4,5}(?:\s?[A-Z]{2})?\s+[A-ZÄÖÜ][a-zäöüß]+)?",
    # Unter den Linden 5 is too rare; Berliner Straße 12
    r"\b[A-ZÄÖÜ][a-zäöüß]+\s+(?:Straße|Strasse|Str\.|Weg|Platz|Allee|Gasse)\s+\d{1,4}[a-z]?\b"
    r"(?:,\s*\d{5}\s+[A-ZÄÖÜ][a-zäöüß]+)?",
    # 12 rue de Rivoli, 75001 Paris
    _UNIT + r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?i:rue|avenue|av\.|boulevard|bd|place|quai|allée|chemin|"
    r"impasse|cours)\s+(?:(?:de\s+la|de|du|des|la|le)\s+|l['’]|d['’])?[A-ZÉÈ][\w'’\-]+"
    r"(?:\s+[A-ZÉÈ][\w'’\-]+){0,3}(?:,\s*\d{5}\s+[A-Z][\w\-]+)?",
    # Calle Mayor 10 / Via Roma 12 / Piazza Navona 4
    # Rua Augusta 120 / Ul. Mickiewicza 14 / Aleje Jerozolimskie 44
    _UNIT + r"(?<![\w.])(?:Calle|C/|Avenida|Avda\.|Plaza|Paseo|Carrer|Via|Viale|Piazza|Corso|Rua|Travessa|Largo|Praça|"
    r"Estrada|Alameda|[Uu]l\.|[Uu]lica|Al\.|Aleja|Aleje|[Oo]s\.|Ulitsa|Ulice)\s+"
    r"(?:(?:de\s+la|de|del|della|di|do|da|dos|das)\s+)?[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,3},?\s+\d{1,4}[A-Za-z]?\b"
    r"(?:,\s*\d{5}\s+[A-Z][\w\-]+)?",
)
_ADDRESS_RE = re.compile("|".join(f"(?:{p})" for p in _ADDRESS_PATTERNS), re.MULTILINE)


class AddressRecogniser(Recogniser):
    """Finds street addresses (trailing spaces and commas left out of the span).

    Example:
        >>> text = "Send it to 221B Baker Street, London NW1 6XE please"
        >>> [text[s:e] for s, e, _ in AddressRecogniser().find(text, [])]
        ['221B Baker Street, London NW1 6XE']
    """

    kind = "address"

    def find(self, text: str, taken: Sequence[Span]) -> list[Candidate]:
        """Every street address in ``text`` (see :meth:`Recogniser.find`).

        Example:
            >>> AddressRecogniser().find("Via Roma 12", [])
            [(0, 11, '[ADDRESS]')]
        """
        spans = []
        for m in _ADDRESS_RE.finditer(text):
            s, e = m.span()
            while e > s and text[e - 1] in " ,\t\n":
                e -= 1
            spans.append((s, e, TAGS[self.kind]))
        return spans
