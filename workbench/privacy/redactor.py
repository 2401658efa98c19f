"""The redactor: runs the recognisers over a text and replaces what they find (DESIGN.md §2).

Everything downstream of ingest works on ``text_redacted``. The :class:`Redactor` finds
personal data in free text with its recognisers, one per kind, and replaces it with a tag
or a pseudonym:

========================  =================  ==============================================
kind                      replaced by        recogniser (module)
========================  =================  ==============================================
``email``                 ``[EMAIL]``        ``EmailRecogniser`` (``emails``)
``iban``                  ``[IBAN]``         ``IbanRecogniser`` (``banking``): length + mod-97
``card``                  ``[CARD]``         ``CardRecogniser`` (``banking``): Luhn, IIN 1–6;
                                             ``CardTailRecogniser``: "card ending 4417"
``date_of_birth``         ``[DOB]``          ``DateOfBirthRecogniser`` (``dates_of_birth``):
                                             a date after "born", "DOB", "birthday"
``booking_ref``           ``[BOOKING_REF]``  the study's pattern and, by the words before
                                             them, any company's (``references``)
``account``               ``[ACCOUNT]``      ``AccountNumberRecogniser`` (``accounts``):
                                             loyalty, membership, account numbers
``phone``                 ``[PHONE]``        ``PhoneRecogniser`` (``phones``): ``phonenumbers``
``address``               ``[ADDRESS]``      ``AddressRecogniser`` (``addresses``)
``postcode``              ``[POSTCODE]``     ``PostcodeRecogniser`` (``postcodes``)
``name``                  ``P07``/``[NAME]`` ``NameRecogniser`` (``names``): known names,
                                             cues, first names in context (``known_names``,
                                             ``name_cues``, ``bare_names``, ``lexicon``)
``place``                 ``[PLACE]``        ``PlaceRecogniser`` (``places``): only with
                                             ``redact_places``
========================  =================  ==============================================

Detection runs kind by kind in priority order (email > IBAN > card > date of birth > booking ref > account
> phone > address > postcode > name > place, see :func:`build_recognisers`). Each accepted
span is masked before the next recogniser looks at the text, so a lower-priority recogniser
never sees (or overlaps) what a higher one took, and within one kind the longest span wins.
Tags (``[EMAIL]`` …) and the configured pseudonyms are masked up front, so redacting redacted
text changes nothing. What a round of redaction uncovers (a number is only a phone number
once the name glued to it is gone) is found by a further round and mapped back onto the
original text. Not detected: names typed in lower case or ALL CAPS with no cue, first names
missing from the list (``extra_names`` takes them), PO boxes, addresses without a street type.

Example:
    >>> redactor = Redactor.from_config(RedactionConfig(), {"Maria Lopez": "P07"})
    >>> redactor.redact("Maria's card 4111 1111 1111 1111 was charged, mail maria@example.com")
    "P07's card [CARD] was charged, mail [EMAIL]"
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from workbench.config import StudyConfig
from workbench.errors import WorkbenchError
from workbench.privacy.accounts import AccountNumberRecogniser
from workbench.privacy.addresses import AddressRecogniser
from workbench.privacy.banking import CardRecogniser, CardTailRecogniser, IbanRecogniser
from workbench.privacy.base import TAG_RE, Recogniser, Span, pick_longest
from workbench.privacy.dates_of_birth import DateOfBirthRecogniser
from workbench.privacy.emails import EmailRecogniser
from workbench.privacy.names import NameRecogniser
from workbench.privacy.phones import DEFAULT_PHONE_REGIONS, PhoneRecogniser
from workbench.privacy.places import PlaceRecogniser
from workbench.privacy.postcodes import PostcodeRecogniser
from workbench.privacy.references import BookingReferenceRecogniser, ContextBookingReferenceRecogniser

__all__ = ["RedactionConfig", "Redaction", "Redactor", "build_recognisers"]

_MASK_FILL = "\u2588"  # not a word char, not a digit, not a space
_MAX_ROUNDS = 4


@dataclass
class RedactionConfig:
    """Options of the redactor; the study's ``study.toml`` ``[privacy]`` table fills it.

    Args:
        booking_reference_pattern: regex of the company's booking references, or None.
        extra_names: staff and third-party names to redact as ``[NAME]`` (an agent
            "Kevin", "Mrs Alvarez").
        redact_addresses: set False to keep street addresses and postcodes.
        redact_places: set True to replace cities, countries, US states and continents
            with ``[PLACE]`` (kept by default).
        keep_words: words/phrases never redacted as a name (brand, product, tier
            names: "Skylark", "Skylark Miles"); a known name token listed here is
            only redacted as part of the full name.
        common_words: more words that are never taken as a name on their own unless
            capitalised mid-sentence (added to
            :data:`~workbench.privacy.name_words.DEFAULT_COMMON_WORDS`).
        contextual_names: find unknown names after cues ("my name is", "Dear",
            "spoke to", "Mrs", sign-offs …).
        names_without_cues: find unknown first names with no cue by a large list of names
            read in context ("…and Tendai, my partner"; :mod:`workbench.privacy.bare_names`).
        phone_regions: regions whose national formats are recognised.

    Example:
        >>> config = RedactionConfig(extra_names=["Kevin"], keep_words=["Skylark Miles"])
        >>> Redactor.from_config(config, {}).redact("Kevin moved my Skylark Miles")
        '[NAME] moved my Skylark Miles'
    """

    booking_reference_pattern: str | None = r"\b[A-Z]{3}-[A-Z0-9]{6}\b"
    extra_names: list[str] = field(default_factory=list)
    redact_addresses: bool = True
    redact_places: bool = False
    keep_words: list[str] = field(default_factory=list)
    common_words: list[str] = field(default_factory=list)
    contextual_names: bool = True
    names_without_cues: bool = True
    phone_regions: tuple[str, ...] = DEFAULT_PHONE_REGIONS

    @classmethod
    def from_study(cls, study: StudyConfig) -> "RedactionConfig":
        """The options a study's ``study.toml`` ``[privacy]`` table sets (defaults for the rest).

        Example:
            >>> config = RedactionConfig.from_study(StudyConfig(extra_names=["Kevin"], redact_places=True))
            >>> config.extra_names, config.redact_places, config.booking_reference_pattern == r"\\b[A-Z]{3}-[A-Z0-9]{6}\\b"
            (['Kevin'], True, True)

        Raises:
            WorkbenchError: ``phone_regions`` names a region that ``phonenumbers`` does not know.
        """
        import phonenumbers

        extra = [str(r).strip().upper() for r in study.phone_regions]
        unknown = [r for r in extra if r not in phonenumbers.SUPPORTED_REGIONS]
        if unknown:
            raise WorkbenchError(
                f"study.toml [privacy] phone_regions: {', '.join(unknown)} is not a region code; "
                "use two-letter ISO 3166 codes such as \"NG\", \"BR\", \"JP\""
            )
        return cls(
            booking_reference_pattern=study.booking_reference_pattern or cls.booking_reference_pattern,
            extra_names=list(study.extra_names),
            keep_words=list(study.keep_words),
            redact_addresses=study.redact_addresses,
            redact_places=study.redact_places,
            names_without_cues=study.names_without_cues,
            phone_regions=tuple(dict.fromkeys(DEFAULT_PHONE_REGIONS + tuple(extra))),
        )


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


def build_recognisers(config: RedactionConfig, people: dict[str, str | None] | None = None) -> tuple[Recogniser, ...]:
    """The recognisers ``config`` asks for, in priority order (a higher one wins an overlap).

    Args:
        config: the study's redaction options.
        people: real name -> pseudonym or None, for the name recogniser.

    Raises:
        WorkbenchError: the booking reference pattern is not a valid regex.

    Example:
        >>> [r.kind for r in build_recognisers(RedactionConfig(redact_addresses=False))]
        ['email', 'iban', 'card', 'card', 'date_of_birth', 'booking_ref', 'booking_ref', 'account', 'phone', 'name']
    """
    recognisers: list[Recogniser] = [EmailRecogniser(), IbanRecogniser(), CardRecogniser(), CardTailRecogniser(),
                                     DateOfBirthRecogniser()]
    if config.booking_reference_pattern:
        recognisers.append(BookingReferenceRecogniser(config.booking_reference_pattern))
    recognisers += [ContextBookingReferenceRecogniser(), AccountNumberRecogniser(), PhoneRecogniser(config.phone_regions)]
    if config.redact_addresses:
        recognisers += [AddressRecogniser(), PostcodeRecogniser()]
    recognisers.append(
        NameRecogniser(
            people,
            extra_names=config.extra_names,
            keep_words=config.keep_words,
            common_words=config.common_words,
            contextual=config.contextual_names,
            without_cues=config.names_without_cues,
        )
    )
    if config.redact_places:
        recognisers.append(PlaceRecogniser())
    return tuple(recognisers)


@dataclass(frozen=True)
class Redactor:
    """Finds and replaces personal data; build it with :meth:`Redactor.from_config`.

    Attributes:
        config: the options it was built from.
        recognisers: the recognisers it runs, in priority order.
        protect_re: text never redacted again (tags, pseudonyms), or None.

    Example:
        >>> r = Redactor.from_config(RedactionConfig(extra_names=["Kevin"]), {"Grace Kim": "P02"})
        >>> r.redact("Grace said Kevin put her on hold; call +44 20 7946 0958 about SKY-4QZ81M.")
        'P02 said [NAME] put her on hold; call [PHONE] about [BOOKING_REF].'
    """

    config: RedactionConfig
    recognisers: tuple[Recogniser, ...] = field(repr=False)  # the name recogniser holds real names
    protect_re: re.Pattern[str] | None = field(repr=False)

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
        recognisers = build_recognisers(config, people)
        protect = [TAG_RE.pattern]
        pseudonyms = sorted({p for p in people.values() if p}, key=len, reverse=True)
        if pseudonyms:
            protect.append(r"(?<![\w@.\[])(?:" + "|".join(re.escape(p) for p in pseudonyms) + r")(?![\w@\]])")
        return cls(config=config, recognisers=recognisers, protect_re=re.compile("|".join(protect)))

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
        taken: list[Span] = []
        if self.protect_re is not None:
            for m in self.protect_re.finditer(text):
                _mask(chars, m.start(), m.end())
                taken.append((m.start(), m.end()))
        found: list[Redaction] = []
        for recogniser in self.recognisers:
            masked = "".join(chars)
            for s, e, rep in pick_longest(recogniser.find(masked, list(taken)), taken):
                found.append(Redaction(recogniser.kind, s, e, text[s:e], rep))
                taken.append((s, e))
                _mask(chars, s, e)
        found.sort(key=lambda r: r.start)
        return found


def _mask(chars: list[str], start: int, end: int) -> None:
    """Overwrite ``chars[start:end]`` with a bracketed block that no recogniser matches."""
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
