"""PII redaction and stable pseudonyms (DESIGN.md §2, ``workbench/privacy.py``).

Everything downstream of ingest works on ``text_redacted``. This module finds
personal data in free text and replaces it with a tag or a pseudonym:

========================  =================  =============================================
kind                      replaced by        how it is found
========================  =================  =============================================
``email``                 ``[EMAIL]``        RFC 5322 dot-atom local part + domain
                                             (Unicode letters too: ``jürgen@beispiel.de``)
``iban``                  ``[IBAN]``         country code + length table + mod-97 check
``card``                  ``[CARD]``         13–19 digits (spaces/dashes), Luhn, IIN 1–6
``booking_ref``           ``[BOOKING_REF]``  the study's regex (``SKY-4QZ81M``)
``phone``                 ``[PHONE]``        ``phonenumbers`` matcher (several regions)
                                             plus a ``+`` regex, then filtered against
                                             dates, times, prices, years, long numbers;
                                             national numbers need a trunk 0 or a known
                                             shape (US 3-3-4, IN 5-5, ES 3-3-3, IT 3xx)
``address``               ``[ADDRESS]``      number + street name + street type (UK/US/
                                             DE/FR/ES/IT/NL styles), optional city and
                                             UK postcode / US ZIP(+4)
``name``                  ``P07``/``[NAME]`` known names (participants, speakers, authors,
                                             ``extra_names``) + contextual cues
========================  =================  =============================================

Detection runs kind by kind in priority order (email > IBAN > card > booking ref
> phone > address > name). Each accepted span is masked before the next kind
looks at the text, so a lower-priority detector never sees (or overlaps) what a
higher one took, and within one kind the longest span wins. Tags (``[EMAIL]`` …)
and the configured pseudonyms are masked up front, so redacting redacted text
changes nothing. What a round of redaction uncovers (a number is only a phone number
once the name glued to it is gone) is found by a further round and mapped back onto
the original text.

Names: every known name is matched case-insensitively as full name, first name alone
and last name alone ("Maria's" keeps its "'s"), also spelled without its accents
("Jurgen Weiss", "Juergen" for "Jürgen Weiß"). A keep word never shields a longer known
name around it ("Maria Lopez" goes even when "Maria" is a product). A first name that is
also a word ("Will", "Grace", "May") counts only when capitalised and not sentence-initial
before a pronoun ("Will I get a refund?"); a surname that is a word ("Price") only with the first
name or after a title. Unknown names are found after cues: "my name is X", "I'm X Y"
(two capitalised words), "this is X from", "Dear X", "Hi X," at a line start, sign-offs
("Kind regards,\nX Y", "Thanks, X", "Cheers, X | Company"), "agent called/named X",
"spoke to/with X", and titles ("Mrs X", "Dr. X" keep the title); such a name is then
also replaced elsewhere in the same text. Not detected: bare unknown names without a
cue ("Kevin said …": list staff in ``extra_names``), US numbers written as ten bare
digits, PO boxes, addresses without a street type.

Example:
    >>> redactor = Redactor.from_config(RedactionConfig(), {"Maria Lopez": "P07"})
    >>> redactor.redact("Maria's card 4111 1111 1111 1111 was charged, mail maria@example.com")
    "P07's card [CARD] was charged, mail [EMAIL]"
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from workbench.errors import WorkbenchError

__all__ = [
    "KINDS",
    "TAGS",
    "RedactionConfig",
    "Redaction",
    "Redactor",
    "assign_pseudonyms",
    "luhn_valid",
    "iban_valid",
    "spelling_variants",
]

#: kinds in priority order (a higher-priority kind wins an overlap)
KINDS: tuple[str, ...] = ("email", "iban", "card", "booking_ref", "phone", "address", "name")

#: the tag each kind is replaced by (names use the pseudonym where one is known)
TAGS: dict[str, str] = {
    "email": "[EMAIL]",
    "iban": "[IBAN]",
    "card": "[CARD]",
    "booking_ref": "[BOOKING_REF]",
    "phone": "[PHONE]",
    "address": "[ADDRESS]",
    "name": "[NAME]",
}

_TAG_RE = re.compile(r"\[(?:EMAIL|IBAN|CARD|BOOKING_REF|PHONE|ADDRESS|NAME)\]")
_MASK_FILL = "\u2588"  # not a word char, not a digit, not a space


# --------------------------------------------------------------------------- words
# Words that are also first/last names ("Grace", "Will", "Miles") or that follow the
# contextual cues without being names ("I'm Really", "Dear Customer", "Thanks, Skylark").
# Lower-case; compared with str.casefold().
_NAME_LIKE_WORDS = """
will may bill grace sky skye rose mark hope joy faith summer art pat sue frank jack miles
gold silver rich dawn amber ruby crystal april june august autumn holly ivy iris daisy lily
jasmine heather violet hazel pearl jade candy cherry honey sunny storm rain river brook brooks
forest stone wood woods hill hall field fields bush king queen prince duke earl baron knight
bishop cook baker butler carter fisher hunter mason miller porter shepherd smith long young
white black brown green gray grey little price cash sterling lane street north west east south
major chase page case ward bell day new best good love sweet early lucky dash fox wolf swift
lamb bird crane drake finch guy ray don dean gene penny bob nick rob drew carol chuck dick
harry jay kit max mike norm randy rusty sandy skip ted eve charity constance patience prudence
mercy honor honour trinity destiny harmony melody serenity unity liberty precious angel baby
star sunshine bliss blossom dove robin wren lark raven sparrow rowan ash aspen willow
cedar sage basil rosemary ginger olive clementine poppy primrose fern flora ebony onyx opal gem
diamond misty cloud snow frost winter spring march chance marshall sergeant deacon parker park
cliff dale glen heath moss reed bay beach coral marina sol ocean bear buck colt hawk lion tiger
bunny kitty happy merry noble royal princess duchess countess pope abbott friar monk cooper
fletcher turner walker weaver thatcher archer gardner gardener fuller tanner potter slater
sawyer wright carpenter painter singer dancer player ranger rider driver banks bank money cost
worth hardy strong power powers light bright sharp keen quick speed rush short small large law
rule church temple chapel castle tower house court road way ford bridge bridges waters water
rivers lake pool poole wells marsh moore more most vale holt grove leaf root branch bloom
flowers berry apple peach plum pepper salt rice bean bacon ham bass pike trout salmon herring
fish crow swan duck gull heron falcon eagle nightingale partridge peacock rook starling
""".split()

_COMMON_WORDS = """
a an the and or but if so as at by for from in into of off on onto out over to up with
without within about above after again against all also am are aren't be been before being
below between both can can't cannot could couldn't did didn't do does doesn't doing don't
down during each few further had hadn't has hasn't have haven't having he he'd he'll he's her
here here's hers herself him himself his how how's i i'd i'll i'm i've is isn't it it's its
itself let's me mine my myself no nor not now only other ought our ours ourselves own same
shan't she she'd she'll she's should shouldn't some such than that that's their theirs them
themselves then there there's these they they'd they'll they're they've this those through
too under until very was wasn't we we'd we'll we're we've were weren't what what's when
when's where where's which while who who's whom why why's won't would wouldn't you you'd
you'll you're you've your yours yourself yourselves yes yeah yep nope ok okay hi hello hey
dear thanks thank cheers regards kind warm warmest sincerely yours truly respectfully
really actually just still already always never ever sure glad sorry happy sad upset angry
annoyed frustrated furious disappointed confused tired fine great good bad awful terrible
calling writing emailing ringing phoning contacting trying looking hoping waiting going getting
booked booking flying travelling traveling staying back home away today tomorrow yesterday
morning afternoon evening night week month year weekend monday tuesday wednesday thursday
friday saturday sunday january february july september october november december
sir sirs madam madams madame mam ma'am miss whom concern mister customer customers client clients guest guests
passenger passengers traveller travellers traveler travelers member members team staff
support service services care help desk helpdesk agent agents manager managers supervisor
supervisors advisor adviser adviserss representative representatives rep reps operator
operators colleague colleagues someone somebody anyone anybody everyone everybody nobody
person people guy guys lady ladies gentleman gentlemen man men woman women girl boy friend
friends family all everybody folks valued hiring sales billing accounts account complaints
refunds refund payments payment bookings reservations reservation customer-service
company airline airlines hotel hotels app website web site online chat email mail phone
call centre center office travel travels flight flights airport lounge gate terminal
trip holiday holidays vacation miles points loyalty tier platinum premium elite status
card visa mastercard amex paypal apple google android iphone facebook twitter instagram
whatsapp skylark uk us usa eu english british american french german spanish italian irish
unfortunately however anyway also again please another other someone's not-so just
no-one totally completely absolutely definitely certainly probably maybe perhaps honestly
literally basically seriously quite rather pretty fairly extremely super so-called
new old first second third last next final only main one two three four five six seven
eight nine ten hundred thousand once twice both either neither every each
""".split()

_TITLES = frozenset("mr mrs ms miss mx dr prof sir dame madame mme herr frau señor señora sr sra".split())

#: words never taken as an unknown name after a cue ("I'm Really", "Dear Customer",
#: "Thanks, Skylark"); case-insensitive
NEVER_NAME_WORDS: frozenset[str] = frozenset(w.casefold() for w in _COMMON_WORDS) | _TITLES

#: words that are also names: a known name among them ("Grace", "Will") is only
#: redacted when capitalised and not reading as a sentence-initial verb ("Will I …")
DEFAULT_COMMON_WORDS: frozenset[str] = frozenset(w.casefold() for w in _NAME_LIKE_WORDS) | NEVER_NAME_WORDS

# words after an ambiguous capitalised name at the start of a sentence that show it is
# a verb/noun there ("Will I get a refund?", "May we ask", "Mark my words")
_NOT_AFTER_NAME = frozenset(
    """i you we they he she it this that there these those the a an my your our their his
    her its me us them him someone somebody anyone anybody everyone be not have also still
    so just please i'm i'd i'll you're we're they're it's""".split()
)

_PARTICLES = frozenset("de da del della van von der den di du la le al bin ibn dos das ter".split())

# --------------------------------------------------------------------------- IBAN
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


# --------------------------------------------------------------------------- patterns
# \w is Unicode: internationalised addresses ("jürgen.weiß@beispiel.de") are taken whole
_ATEXT = r"\w!#$%&'*+/=?^`{|}~\-"
_EMAIL_RE = re.compile(
    rf"[{_ATEXT}]+(?:\.[{_ATEXT}]+)*@"
    r"(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+"
    r"[^\W\d_](?:[\w-]{0,61}[^\W_])?"
)
_IBAN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){10,32}")
_DIGIT_RUN_RE = re.compile(r"(?<![\w+.,])\d+(?:[ -]\d+)*(?![\w])")

_PHONE_PLUS_RE = re.compile(r"(?<![\w+])\+\d{1,3}(?:[ .\-]?\(?\d{1,5}\)?){2,6}(?!\w)")
_DATE = r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2}))"
# a date or a date range only ("01.09.26-05.09.26"); "01.23.45.67.89" (Paris) and
# "+49-89-1234567" hold a date-like piece but are more than a date
_DATES_ONLY_RE = re.compile(rf"{_DATE}(?:\s*[-–/]\s*{_DATE})?")
_TIME_IN_RE = re.compile(r"\d{1,2}:\d{2}")
_PHONE_WINDOW_RE = re.compile(r"[+(]?\d(?:[\d \-.()/\u00a0]*\d)?")
_NANP_RE = re.compile(r"(?:1[-. ]?)?(?:\([2-9]\d{2}\)|[2-9]\d{2})[-. ]?[2-9]\d{2}[-. ]?\d{4}")
# national numbers without a trunk 0, in the shapes people write them: Indian mobiles as two
# groups of five ("98765 43210"), Spanish 3-3-3 or 3-2-2-2 ("612 345 678"), Italian mobiles ("347 1234567")
_NO_TRUNK_RE = re.compile(
    r"[6-9]\d{4}[- ]\d{5}"
    r"|[6789]\d{2}(?: \d{3} \d{3}| \d{2} \d{2} \d{2})"
    r"|3\d{2}[ ]\d{3}[ ]?\d{3,4}|3\d{2}[ ]\d{6,7}"
)
_RUN_CHARS = frozenset(" -.()\u00a0")

_STREET_TYPES = (
    r"Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Place|Pl|Court|Ct|"
    r"Crescent|Cres|Close|Terrace|Parkway|Pkwy|Square|Sq|Highway|Hwy|Row|Gardens|Mews|Grove|"
    r"Hill|Walk|Circle|Cir|Trail|Strasse|Straße|Str"
)
_UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}"
_US_ZIP = r"(?:[A-Z]{2}\s+)?\d{5}(?:-\d{4})?"
_POSTCODE = rf"(?:{_UK_POSTCODE}|{_US_ZIP})"
_CITY = r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}"
_ADDRESS_PATTERNS = (
    # 221B Baker Street, London NW1 6XE  /  1600 Amphitheatre Parkway, Mountain View, CA 94043
    rf"(?:\b(?:Flat|Apt\.?|Apartment|Suite|Unit)\s+\w{{1,5}},?\s+)?"
    rf"\b\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,4}}[A-Za-z]?)?,?\s+"
    rf"(?:[A-Z][A-Za-z'’\-]*\.?\s+){{1,4}}?(?:{_STREET_TYPES})\b"
    rf"(?:,\s*{_CITY}(?=\s*(?:[,.;)\n]|$|{_POSTCODE}))){{0,2}}"
    rf"(?:,?\s*{_POSTCODE}\b)?",
    # Friedrichstraße 43, 10117 Berlin / Keizersgracht 123
    r"\b[A-ZÄÖÜ][a-zäöüß]+(?:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer|straat|"
    r"laan|gracht|plein|kade)\s+\d{1,4}[a-z]?\b(?:,\s*\d{4,5}(?:\s?[A-Z]{2})?\s+[A-ZÄÖÜ][a-zäöüß]+)?",
    # Unter den Linden 5 is too rare; Berliner Straße 12
    r"\b[A-ZÄÖÜ][a-zäöüß]+\s+(?:Straße|Strasse|Str\.|Weg|Platz|Allee|Gasse)\s+\d{1,4}[a-z]?\b"
    r"(?:,\s*\d{5}\s+[A-ZÄÖÜ][a-zäöüß]+)?",
    # 12 rue de Rivoli, 75001 Paris
    r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?i:rue|avenue|av\.|boulevard|bd|place|quai|allée|chemin|"
    r"impasse|cours)\s+(?:(?:de\s+la|de|du|des|la|le)\s+|l['’]|d['’])?[A-ZÉÈ][\w'’\-]+"
    r"(?:\s+[A-ZÉÈ][\w'’\-]+){0,3}(?:,\s*\d{5}\s+[A-Z][\w\-]+)?",
    # Calle Mayor 10 / Via Roma 12 / Piazza Navona 4
    r"\b(?:Calle|C/|Avenida|Avda\.|Plaza|Paseo|Carrer|Via|Viale|Piazza|Corso)\s+"
    r"(?:(?:de\s+la|de|del|della|di)\s+)?[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,3},?\s+\d{1,4}[A-Za-z]?\b"
    r"(?:,\s*\d{5}\s+[A-Z][\w\-]+)?",
)
_ADDRESS_RE = re.compile("|".join(f"(?:{p})" for p in _ADDRESS_PATTERNS), re.MULTILINE)

# a name token: letters with inner apostrophes/hyphens ("O'Brien", "Jean-Luc")
_TOK = r"[^\W\d_](?:[^\W\d_]|['’\-](?=[^\W\d_]))*"
_NAME = rf"(?P<name>{_TOK}(?:[ \t]+(?:\({_TOK}\)|{_TOK})){{0,3}})"
_SIGNOFF = (
    r"kind\s+regards|best\s+regards|warm\s+regards|warmest\s+regards|many\s+thanks|"
    r"thanks\s+again|thank\s+you|thanks|cheers|best\s+wishes|all\s+the\s+best|best|"
    r"yours\s+sincerely|yours\s+faithfully|yours\s+truly|sincerely|regards|warmly|"
    r"respectfully|take\s+care|speak\s+soon"
)
_PERSON_NOUNS = (
    r"agent|rep|representative|advisor|adviser|operator|guy|man|woman|lady|girl|boy|gentleman|"
    r"chap|bloke|someone|somebody|person|supervisor|manager|clerk|receptionist|colleague|"
    r"staff\s+member|host|hostess|steward|stewardess|attendant|driver|concierge|consultant|"
    r"assistant|employee|worker|fella|fellow|dude|officer"
)
# (pattern, minimum tokens, title cue) — the cue part is case-insensitive, the name is
# checked for capitals in code
_CONTEXT_CUES: tuple[tuple[str, int, bool], ...] = (
    (rf"(?i:\bmy\s+name\s+is|\bmy\s+name['’]s|\bname['’]s|\b(?:his|her|their)\s+name\s+(?:is|was))\s+{_NAME}", 1, False),
    (rf"(?i:\bI['’]m|\bI\s+am)\s+{_NAME}", 2, False),
    (rf"(?i:\bthis\s+is|\bit['’]s)\s+{_NAME}\s+(?i:from|at|with|here)\b", 1, False),
    (rf"(?i:\bdear)\s+{_NAME}", 1, False),
    (rf"(?im:^[ \t]*(?:hi|hello|hey|good\s+(?:morning|afternoon|evening)))[ \t]+{_NAME}[ \t]*[,!:]", 1, False),
    (
        rf"(?im:(?:^|(?<=[.!?])|(?<=--))[ \t]*(?:{_SIGNOFF}))[ \t]*(?:[,!.\-–—][ \t]*)?\n?[ \t]*"
        rf"{_NAME}(?=[ \t]*(?:[|,.!)]|$))",
        1,
        False,
    ),
    (rf"(?i:\b(?:{_PERSON_NOUNS})\s+(?:called|named|by\s+the\s+name\s+of))\s+{_NAME}", 1, False),
    (rf"(?i:\b(?:spoke|speak|speaking|talked|talk|talking|chatted|chatting)\s+(?:to|with))\s+{_NAME}", 1, False),
    (r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Madame|Mme|Herr|Frau|Señor|Señora|Sr|Sra)\.?[ \t]+"
     rf"{_NAME}", 1, True),
)
_CONTEXT_RE = tuple((re.compile(p, re.MULTILINE), n, t) for p, n, t in _CONTEXT_CUES)
_TOKEN_RE = re.compile(_TOK)
_NEXT_WORD_RE = re.compile(r"\s+([^\W\d_][\w'’]*)")
# never a surname after a title, although a few common words are ("Mr Best", "Dr Good")
_TITLE_STOP = frozenset(
    """the a an i and or but it this that you we they customer customers client passenger traveller
    traveler member team staff support service services agent manager supervisor representative
    operator colleague someone somebody nobody whoever""".split()
)


# --------------------------------------------------------------------------- API types
@dataclass
class RedactionConfig:
    """Options of the redactor; the study's ``study.toml`` ``[privacy]`` table fills it.

    Args:
        booking_reference_pattern: regex of the company's booking references, or None.
        extra_names: staff and third-party names to redact as ``[NAME]`` (an agent
            "Kevin", "Mrs Alvarez").
        redact_addresses: set False to keep street addresses.
        keep_words: words/phrases never redacted as a name (brand, product, tier
            names: "Skylark", "Skylark Miles"); a known name token listed here is
            only redacted as part of the full name.
        common_words: more words that are never taken as a name on their own unless
            capitalised mid-sentence (added to :data:`DEFAULT_COMMON_WORDS`).
        contextual_names: find unknown names after cues ("my name is", "Dear",
            "spoke to", "Mrs", sign-offs …).
        phone_regions: regions whose national formats are recognised.

    Example:
        >>> config = RedactionConfig(extra_names=["Kevin"], keep_words=["Skylark Miles"])
        >>> Redactor.from_config(config, {}).redact("Kevin moved my Skylark Miles")
        '[NAME] moved my Skylark Miles'
    """

    booking_reference_pattern: str | None = r"\b[A-Z]{3}-[A-Z0-9]{6}\b"
    extra_names: list[str] = field(default_factory=list)
    redact_addresses: bool = True
    keep_words: list[str] = field(default_factory=list)
    common_words: list[str] = field(default_factory=list)
    contextual_names: bool = True
    phone_regions: tuple[str, ...] = ("US", "GB", "DE", "FR", "ES", "IT", "NL", "IE", "AU", "CA", "IN")


@dataclass(frozen=True)
class Redaction:
    """One piece of personal data found in a text.

    ``start``/``end`` index the ORIGINAL text. ``original`` is the personal data
    itself: keep it in memory only (it is left out of ``repr``).

    Example:
        >>> Redaction("email", 5, 21, "ana@example.com", "[EMAIL]")
        Redaction(kind='email', start=5, end=21, replacement='[EMAIL]')
    """

    kind: str
    start: int
    end: int
    original: str = field(repr=False)
    replacement: str = ""


@dataclass(frozen=True)
class _NameEntry:
    replacement: str
    ambiguous: bool  # a common word: needs a capital and must not read as a verb/noun


def _mask(chars: list[str], start: int, end: int) -> None:
    """Overwrite ``chars[start:end]`` with a bracketed block that no detector matches."""
    n = end - start
    if n <= 0:
        return
    if n == 1:
        chars[start] = _MASK_FILL
        return
    chars[start] = "["
    chars[end - 1] = "]"
    for i in range(start + 1, end - 1):
        chars[i] = _MASK_FILL


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    s, e = span
    return any(s < te and ts < e for ts, te in taken)


def _pick_longest(cands: Iterable[tuple[int, int, str]], taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Non-overlapping candidates, longest first, none overlapping ``taken``."""
    chosen: list[tuple[int, int, str]] = []
    spans = list(taken)
    for s, e, rep in sorted(set(cands), key=lambda c: (-(c[1] - c[0]), c[0])):
        if e <= s or _overlaps((s, e), spans):
            continue
        chosen.append((s, e, rep))
        spans.append((s, e))
    return chosen


def _trie_pattern(phrases: list[str]) -> str:
    """One regex matching any of ``phrases`` (lower case), built as a trie so that it is
    fast with hundreds of names; a space matches any whitespace, an apostrophe both ' and ’.
    """
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for ch in phrase.replace("’", "'"):
            node = node.setdefault(ch, {})
        node[""] = {}

    def char(ch: str) -> str:
        return r"\s+" if ch == " " else "['’]" if ch == "'" else re.escape(ch)

    def build(node: dict) -> str:
        ends_here = "" in node
        alts = [char(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if ends_here else body

    return "(?:" + build(trie) + ")"


_FOLD = str.maketrans({"ß": "ss", "ẞ": "SS", "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae",
                       "Æ": "AE", "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "Þ": "Th"})
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def spelling_variants(name: str) -> set[str]:
    """Other ways a name is typed without its accents: plain letters, and German ae/oe/ue.

    Example:
        >>> sorted(spelling_variants("Jürgen Weiß"))
        ['Juergen Weiss', 'Jurgen Weiss']
        >>> spelling_variants("Maria Lopez")
        set()
    """
    import unicodedata

    def plain(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
        return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))

    return {v for v in (plain(name), plain(name.translate(_GERMAN))) if v != name}


def _norm_key(name: str) -> str:
    return " ".join(name.split()).replace("’", "'").casefold()


def _is_capitalised(token: str) -> bool:
    return bool(token) and token[0].isupper()


@dataclass(frozen=True)
class Redactor:
    """Finds and replaces personal data; build it with :meth:`Redactor.from_config`.

    Example:
        >>> r = Redactor.from_config(RedactionConfig(extra_names=["Kevin"]), {"Grace Kim": "P02"})
        >>> r.redact("Grace said Kevin put her on hold; call +44 20 7946 0958 about SKY-4QZ81M.")
        'P02 said [NAME] put her on hold; call [PHONE] about [BOOKING_REF].'
    """

    config: RedactionConfig
    booking_re: re.Pattern[str] | None = field(repr=False)
    names_re: re.Pattern[str] | None = field(repr=False)
    name_entries: dict[str, _NameEntry] = field(repr=False)  # holds real names: keep out of logs
    protect_re: re.Pattern[str] | None = field(repr=False)
    keep_re: re.Pattern[str] | None = field(repr=False)
    common_words: frozenset[str] = field(repr=False)  # never an unknown name after a cue
    name_like: frozenset[str] = field(repr=False)  # also names: not propagated through a text

    @classmethod
    def from_config(cls, config: RedactionConfig, people: dict[str, str | None] | None = None) -> "Redactor":
        """Compile every pattern once for ``config`` and the known ``people``.

        Args:
            config: the study's redaction options.
            people: real name -> pseudonym (``"P07"``) or None (replaced by ``[NAME]``);
                participants' full names, speaker labels that are names, authors of
                feedback. The full name, the first name alone and the last name alone
                are all replaced.

        Raises:
            WorkbenchError: the booking reference pattern is not a valid regex.

        Example:
            >>> Redactor.from_config(RedactionConfig(), {"Ana Silva": "P01"}).redact("ana silva and Silva")
            'P01 and P01'
        """
        people = dict(people or {})
        extra_common = {w.casefold() for w in config.common_words}
        common = DEFAULT_COMMON_WORDS | extra_common
        keep_tokens = {t.casefold() for w in config.keep_words for t in w.split()}

        booking_re = None
        if config.booking_reference_pattern:
            try:
                booking_re = re.compile(config.booking_reference_pattern)
            except re.error as error:
                raise WorkbenchError(
                    f"study.toml [privacy] booking_reference_pattern {config.booking_reference_pattern!r} "
                    f"is not a valid regular expression ({error}); fix it or remove the key"
                ) from error

        # variant key -> (replacement, is full name); conflicts of partial names -> [NAME]
        full: dict[str, str] = {}
        partial: dict[str, set[str]] = {}
        spelled: dict[str, str] = {}
        first_names: set[str] = set()

        def add(real: str, replacement: str) -> None:
            tokens = [t for t in real.replace(",", " ").split() if t]
            while tokens and tokens[0].casefold().rstrip(".") in _TITLES:
                tokens = tokens[1:]
            tokens = [t for t in tokens if not re.fullmatch(r"[^\W\d_]\.?", t)]  # initials
            if not tokens:
                return
            whole = " ".join(tokens)
            full.setdefault(_norm_key(whole), replacement)
            spelled.setdefault(_norm_key(whole), whole)
            if len(tokens) == 1:
                return
            variants = [tokens[0]]
            first_names.add(_norm_key(tokens[0]))
            rest = tokens[1:]
            if rest and rest[0].casefold() in _PARTICLES:
                variants.append(" ".join(rest))
                rest = [t for t in rest if t.casefold() not in _PARTICLES]
            if rest:
                variants.append(rest[-1])
            for v in variants:
                key = _norm_key(v)
                if len(key) < 2 or key in _PARTICLES or key in keep_tokens:
                    continue
                partial.setdefault(key, set()).add(replacement)
                spelled.setdefault(key, v)

        for real, pseudonym in people.items():
            if real and real.strip():
                add(real, pseudonym or TAGS["name"])
        for real in config.extra_names:
            if real and real.strip() and _norm_key(real) not in full:
                add(real, TAGS["name"])

        entries: dict[str, _NameEntry] = {}
        for key, replacements in partial.items():
            if key in full:
                continue
            replacement = next(iter(replacements)) if len(replacements) == 1 else TAGS["name"]
            if key in common and key not in first_names:
                continue  # a surname that is a word ("Price", "Baker"): only with the first name or a title
            entries[key] = _NameEntry(replacement, key in common)
        for key, replacement in full.items():
            single = len(key.split()) == 1  # a full name of two or more words is never ambiguous
            entries[key] = _NameEntry(replacement, single and (key in common or key in keep_tokens))

        # transcripts are often typed without the accents of participants.csv ("Jurgen Weiss",
        # "Juergen" for "Jürgen Weiß"): the plain spellings name the same person
        for key, entry in list(entries.items()):
            for variant in spelling_variants(spelled[key]):
                variant_key = _norm_key(variant)
                if variant_key in keep_tokens or variant_key in full:
                    continue
                existing = entries.get(variant_key)
                if existing is not None:
                    if existing.replacement != entry.replacement:  # "Jurgen" may be either person
                        entries[variant_key] = _NameEntry(TAGS["name"], existing.ambiguous)
                    continue
                word_like = len(variant_key.split()) == 1 and variant_key in common  # "Rosé" -> "Rose"
                entries[variant_key] = _NameEntry(entry.replacement, entry.ambiguous or word_like)
                spelled[variant_key] = variant

        names_re = None
        if entries:
            trie = _trie_pattern([" ".join(spelled[key].split()).lower() for key in entries])
            names_re = re.compile(r"(?<![\w\[])" + trie + r"(?![\w\]])", re.IGNORECASE)

        protect = [_TAG_RE.pattern]
        pseudonyms = sorted({p for p in people.values() if p}, key=len, reverse=True)
        if pseudonyms:
            protect.append(r"(?<![\w@.\[])(?:" + "|".join(re.escape(p) for p in pseudonyms) + r")(?![\w@\]])")
        protect_re = re.compile("|".join(protect))

        keep_re = None
        if config.keep_words:
            words = sorted((w for w in config.keep_words if w.strip()), key=len, reverse=True)
            if words:
                keep_re = re.compile(
                    r"(?<!\w)(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in words) + r")(?!\w)",
                    re.IGNORECASE,
                )

        return cls(
            config=config,
            booking_re=booking_re,
            names_re=names_re,
            name_entries=entries,
            protect_re=protect_re,
            keep_re=keep_re,
            common_words=frozenset(NEVER_NAME_WORDS | extra_common | keep_tokens),
            name_like=frozenset(common),
        )

    # ------------------------------------------------------------------ public
    def redact(self, text: str) -> str:
        """Return ``text`` with every detected piece of personal data replaced.

        Example:
            >>> Redactor.from_config(RedactionConfig(), {}).redact("Mail ana@example.com, ref SKY-4QZ81M")
            'Mail [EMAIL], ref [BOOKING_REF]'
        """
        return self.redact_with_spans(text)[0]

    def redact_with_spans(self, text: str) -> tuple[str, list[Redaction]]:
        """Return the redacted text and what was replaced (spans index the original text).

        Example:
            >>> out, spans = Redactor.from_config(RedactionConfig(), {}).redact_with_spans("Call 020 7946 0958")
            >>> out, [(s.kind, s.start, s.end, s.original) for s in spans]
            ('Call [PHONE]', [('phone', 5, 18, '020 7946 0958')])

        Redaction can change the context of what is left ("Kevin+44 20 7946 0958": the
        number is only a phone number once "Kevin" is gone), so the output is scanned
        again until nothing more is found (at most a few rounds); what later rounds find
        is mapped back onto the original text. Hence ``redact(redact(t)) == redact(t)``.
        """
        if not text:
            return text, []
        found = self._detect(text)
        for _ in range(_MAX_ROUNDS):
            if not found:
                return text, []
            out, pieces = _apply(text, found)
            more = self._detect(out)
            if not more:
                return out, found
            found = _merge_back(text, found, pieces, more)
        return _apply(text, found)[0], found

    def _detect(self, text: str) -> list[Redaction]:
        """One round of detection: the non-overlapping redactions of ``text``, sorted."""
        chars = list(text)
        taken: list[tuple[int, int]] = []
        if self.protect_re is not None:
            for m in self.protect_re.finditer(text):
                _mask(chars, m.start(), m.end())
                taken.append((m.start(), m.end()))
        found: list[Redaction] = []

        def accept(kind: str, chosen: list[tuple[int, int, str]]) -> None:
            for s, e, rep in chosen:
                found.append(Redaction(kind, s, e, text[s:e], rep))
                taken.append((s, e))
                _mask(chars, s, e)

        detectors = (
            ("email", self._emails),
            ("iban", self._ibans),
            ("card", self._cards),
            ("booking_ref", self._booking_refs),
            ("phone", self._phones),
            ("address", self._addresses),
        )
        for kind, detect in detectors:
            masked = "".join(chars)
            cands = [(s, e, TAGS[kind]) for s, e in detect(masked)]
            accept(kind, _pick_longest(cands, taken))
        masked = "".join(chars)
        accept("name", self._names(masked, taken))

        found.sort(key=lambda r: r.start)
        return found

    # ------------------------------------------------------------------ detectors
    @staticmethod
    def _emails(text: str) -> list[tuple[int, int]]:
        if "@" not in text:
            return []
        return [m.span() for m in _EMAIL_RE.finditer(text)]

    @staticmethod
    def _ibans(text: str) -> list[tuple[int, int]]:
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
                spans.append((m.start(), end))
        return spans

    @staticmethod
    def _cards(text: str) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        for m in _DIGIT_RUN_RE.finditer(text):
            groups = [(g.start() + m.start(), g.end() + m.start()) for g in re.finditer(r"\d+", m.group())]
            total = sum(e - s for s, e in groups)
            if total < 13:
                continue
            best: list[tuple[int, int]] = []
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
                            best.append((s, e))
            spans.extend(best)
        return spans

    def _booking_refs(self, text: str) -> list[tuple[int, int]]:
        if self.booking_re is None:
            return []
        return [m.span() for m in self.booking_re.finditer(text) if m.end() > m.start()]

    def _phones(self, text: str) -> list[tuple[int, int]]:
        if sum(ch.isdecimal() for ch in text) < 7:
            return []
        import phonenumbers  # imported lazily: keeps `import workbench` fast

        cands: set[tuple[int, int]] = set()
        for run in _PHONE_WINDOW_RE.finditer(text):
            if sum(ch.isdecimal() for ch in run.group()) < 7:
                continue
            lo, hi = max(0, run.start() - 2), min(len(text), run.end() + 2)
            window = text[lo:hi]  # the matcher is slow: only show it the digit runs
            for region in self.config.phone_regions:
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
        return [span for span in cands if self._plausible_phone(text, *span)]

    @staticmethod
    def _plausible_phone(text: str, start: int, end: int) -> bool:
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
        if raw.isdecimal() and not (raw.startswith("0") and 10 <= digits <= 11 and not idd):
            return False  # a bare digit string is an id/order number unless it is 0xxxxxxxxxx
        if not plus and not raw.lstrip("(").startswith("0") and not (_NANP_RE.fullmatch(raw) or _NO_TRUNK_RE.fullmatch(raw)):
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

    def _addresses(self, text: str) -> list[tuple[int, int]]:
        if not self.config.redact_addresses:
            return []
        spans = []
        for m in _ADDRESS_RE.finditer(text):
            s, e = m.span()
            while e > s and text[e - 1] in " ,\t\n":
                e -= 1
            spans.append((s, e))
        return spans

    # ------------------------------------------------------------------ names
    def _names(self, text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
        keep: list[tuple[int, int]] = []
        if self.keep_re is not None:
            keep = [m.span() for m in self.keep_re.finditer(text)]
        blocked = taken + keep
        chosen: list[tuple[int, int, str]] = []

        if self.names_re is not None:
            cands = []
            for m in self.names_re.finditer(text):
                entry = self.name_entries.get(_norm_key(m.group()))
                if entry is None:
                    continue
                if entry.ambiguous and not self._reads_as_name(text, m.start(), m.end()):
                    continue
                cands.append((m.start(), m.end(), entry.replacement))
            # a keep word blocks a name within it or overlapping it, not a longer name around it:
            # with keep word "Maria", "Maria Lopez" still goes ("Maria" alone stays)
            cands = [
                c for c in cands
                if not any(ks < c[1] and c[0] < ke and not (c[0] <= ks and ke <= c[1] and c[1] - c[0] > ke - ks)
                           for ks, ke in keep)
            ]
            chosen = _pick_longest(cands, taken)
        if not self.config.contextual_names:
            return chosen

        blocked = blocked + [(s, e) for s, e, _ in chosen]
        context: list[tuple[int, int, str]] = []
        for regex, min_tokens, title in _CONTEXT_RE:
            pos = 0
            while (m := regex.search(text, pos)) is not None:
                span = self._accept_name(text, m.start("name"), m.group("name"), min_tokens, title)
                if span is not None:
                    context.append((span[0], span[1], TAGS["name"]))
                # go on from the name, so a cue inside a rejected name tail is seen ("Mr X and Dr. Y")
                pos = max(m.start("name"), m.start() + 1) if span is None else span[1]
        context = _pick_longest(context, blocked)
        if context:
            # the same unknown name elsewhere in this text ("… this is Kevin from … Kevin said")
            tokens = {
                tok
                for s, e, _ in context
                for tok in _TOKEN_RE.findall(text[s:e])
                if len(tok) >= 3 and tok.casefold() not in self.name_like
            }
            if tokens:
                again = re.compile(
                    r"(?<![\w\[])(?:" + "|".join(map(re.escape, sorted(tokens, key=len, reverse=True))) + r")(?![\w\]])"
                )
                blocked2 = blocked + [(s, e) for s, e, _ in context]
                more = [(m.start(), m.end(), TAGS["name"]) for m in again.finditer(text)]
                context += _pick_longest(more, blocked2)
        return chosen + context

    def _reads_as_name(self, text: str, start: int, end: int) -> bool:
        """Ambiguous known name ("Will", "Grace"): a capital, and not a sentence-initial verb."""
        if not _is_capitalised(text[start:end]):
            return False
        i = start
        crossed_newline = False
        while i > 0 and (text[i - 1].isspace() or text[i - 1] in "\"'“‘(«"):
            crossed_newline |= text[i - 1] == "\n"
            i -= 1
        sentence_start = i == 0 or crossed_newline or text[i - 1] in ".!?:;…-–—"
        if not sentence_start:
            return True
        nxt = _NEXT_WORD_RE.match(text, end)
        if nxt is None:
            return True
        return nxt.group(1).replace("’", "'").casefold() not in _NOT_AFTER_NAME

    def _accept_name(self, text: str, start: int, name: str, min_tokens: int, title: bool) -> tuple[int, int] | None:
        """Leading tokens of ``name`` that look like a person's name, as a span, or None."""
        end = start
        count = 0
        prev_end = 0  # end of the last token looked at, in ``name`` coordinates
        for m in _TOKEN_RE.finditer(name):
            if name[prev_end:m.start()].strip(" \t()"):
                break
            prev_end = m.end()
            tok = m.group()
            is_poss = False
            for suffix in ("'s", "’s"):
                if tok.endswith(suffix) and len(tok) > 3:
                    tok = tok[: -len(suffix)]
                    is_poss = True
            folded = tok.replace("’", "'").casefold()
            if count and folded in _PARTICLES and not _is_capitalised(tok):
                continue  # "Ana de Souza": only taken if a capitalised token follows
            if not _is_capitalised(tok) or len(tok) < 2:
                break
            if text[start + m.start() - 1: start + m.start()] == "[":
                break
            if folded in self.common_words:
                if not (title and count == 0 and folded not in _TITLE_STOP):
                    break
            count += 1
            end = start + m.start() + len(tok)
            if name[m.start() - 1: m.start()] == "(" and name[m.end(): m.end() + 1] == ")":
                end += 1  # a nickname in brackets: "Jonathan (Jon) Price"
            if is_poss:
                break
        if count < min_tokens or count == 0:
            return None
        # the span starts at the first token
        return start, end



_MAX_ROUNDS = 4


def _apply(text: str, found: list[Redaction]) -> tuple[str, list[tuple[int, int, int, int]]]:
    """Replace ``found`` (sorted, non-overlapping) in ``text``.

    Returns the new text and its pieces as ``(out_start, out_end, orig_start, orig_end)``;
    a piece is either copied text (same length both sides) or one replacement.
    """
    out: list[str] = []
    pieces: list[tuple[int, int, int, int]] = []
    pos = 0
    length = 0
    for r in found:
        if r.start > pos:
            out.append(text[pos:r.start])
            pieces.append((length, length + r.start - pos, pos, r.start))
            length += r.start - pos
        out.append(r.replacement)
        pieces.append((length, length + len(r.replacement), r.start, r.end))
        length += len(r.replacement)
        pos = r.end
    if pos < len(text):
        out.append(text[pos:])
        pieces.append((length, length + len(text) - pos, pos, len(text)))
    return "".join(out), pieces


def _merge_back(
    text: str, found: list[Redaction], pieces: list[tuple[int, int, int, int]], more: list[Redaction]
) -> list[Redaction]:
    """Map redactions of the redacted text back onto ``text`` and merge them with ``found``."""
    replaced = {(r.start, r.end) for r in found}

    def to_orig(p: int, is_end: bool) -> int:
        for out_s, out_e, orig_s, orig_e in pieces:
            if (out_s < p <= out_e) if is_end else (out_s <= p < out_e):
                if (orig_s, orig_e) in replaced:  # inside a replacement: take all of it
                    return orig_e if is_end else orig_s
                return orig_s + (p - out_s)
        return len(text) if is_end else 0

    merged = list(found)
    for r in more:
        s, e = to_orig(r.start, False), to_orig(r.end, True)
        merged = [x for x in merged if not (x.start < e and s < x.end)]  # the wider new span wins
        merged.append(Redaction(r.kind, s, e, text[s:e], r.replacement))
    merged.sort(key=lambda x: x.start)
    return merged

def assign_pseudonyms(names: list[str], prefix: str = "P", start: int = 1) -> dict[str, str]:
    """Give each name a stable pseudonym in the order given: P01, P02 … P99, P100 …

    A name given twice keeps its first pseudonym (and uses up no number).

    Raises:
        WorkbenchError: a name is empty.

    Example:
        >>> assign_pseudonyms(["Maria Lopez", "Tom Baker", "Maria Lopez"])
        {'Maria Lopez': 'P01', 'Tom Baker': 'P02'}
        >>> list(assign_pseudonyms([f"n{i}" for i in range(100)]).values())[-1]
        'P100'
    """
    out: dict[str, str] = {}
    number = start
    for position, name in enumerate(names, start=1):
        if name is None or not str(name).strip():
            raise WorkbenchError(
                f"participant #{position} has an empty name; fill it in participants.csv or remove the row"
            )
        if name in out:
            continue
        out[name] = f"{prefix}{number:02d}"
        number += 1
    return out
