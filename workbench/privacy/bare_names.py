"""Names with no cue in front of them: "…and Tendai, my partner", "Anouk from work", "Wojciech at the desk".

A capitalised word is a person's name when it is a first name of the
:class:`~workbench.privacy.lexicon.Lexicon` and its context reads as a person:

* **where it stands**: in the middle of a sentence a capital is a signal of its own; at the
  start of a sentence, a line, a quote or after a colon (and in a Title Case line) every word
  has one, so the context must speak;
* **what kind of first name**: a *clear* name (not an English word, or a popular name that is a
  rare word: "Tendai", "Kevin") needs little; a *word-like* one ("Will", "Grace", "Gold"), a
  place ("Jordan", "Florence") or a month ("May") needs a person's context;
* **the context**: after it a person's verb ("said", "told me", "rang"), an apposition
  ("Tendai, my partner"), a person's whereabouts ("from work", "at the desk", "on the phone")
  or a surname ("Sanne Visser"); before it a person noun ("my partner Anouk", "agent Sipho") or
  "with", "and", "asked", "told" …; and never a determiner ("the Gold lounge"), a place word after
  it ("Victoria Station", "Rose Lane") or a place phrase around it ("Santa Maria", "San José").

Brands, products and tiers a study names in ``keep_words`` never count. A name taken is then
also taken wherever else it stands in the same text. Lower-case and ALL-CAPS words are never
taken without a cue (list such people in ``extra_names``).
"""
from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from workbench.privacy.base import TAGS, Candidate, Span, overlaps, pick_longest
from workbench.privacy.lexicon import Lexicon
from workbench.privacy.name_words import (
    BRAND_WORDS, DETERMINERS, MONTHS, NOT_AFTER_NAME, PARTICLES, PERSON_NOUNS, PERSON_VERBS, PLACE_NOUNS,
    PLACE_PREFIXES, PLACE_PREPOSITIONS, SPEECH_VERBS, TRAVEL_WORDS,
)

__all__ = ["bare_names", "name_class", "other_class"]

_TOKEN_RE = re.compile(r"[^\W\d_](?:[^\W\d_]|['’\-](?=[^\W\d_]))*")
_WORD_AFTER_RE = re.compile(r"[ \t]*([^\W\d_][\w'’\-]*)")
_STARTERS = frozenset(".!?…:;•*\"“”‘’«»()[]-–—>|")
#: "Tendai, my partner" / "Anouk, who …" / "Moira, I think her name was"
_APPOSITION_RE = re.compile(
    r",[ \t]+(?:my|our|his|her|their|your|the|a|an|who|whose|one\s+of|i\s+think|i\s+believe|i\s+guess|"
    r"i\s+reckon|if\s+i\s+remember)\b",
    re.IGNORECASE,
)
#: "Tobias from Skylark Care": a clear first name from an organisation
_FROM_ORGANISATION_RE = re.compile(r"[ \t]+(?:from|at|with)[ \t]+[A-Z]")
#: the rest of a line after a name, when the line holds nothing else: a signature
_REST_OF_LINE_RE = re.compile(r"[ \t]*[,.!]?[ \t]*(?:\n|$|\|)")
#: "Anouk from work", "Wojciech at the desk", "Sipho on the phone", "Femke in billing"
_WHEREABOUTS_RE = re.compile(
    r"[ \t]+(?:from\s+(?:work|the\s+\w+|my\s+\w+|our\s+\w+|his\s+\w+|her\s+\w+|accounts|hr|it|support|sales|billing|"
    r"customer\s+\w+|next\s+door|school|church|college|uni|university|upstairs|downstairs)"
    r"|at\s+(?:the\s+)?(?:desk|front\s+desk|counter|gate|check-?in|reception|till|help\s*desk|information\s+desk|"
    r"service\s+desk|transfer\s+desk)"
    r"|on\s+the\s+(?:phone|line|desk|chat|counter|ground\s+staff|night\s+shift|day\s+shift)"
    r"|in\s+(?:accounts|billing|hr|it|sales|support|customer\s+(?:service|services|care|relations)|reception|"
    r"complaints|refunds|the\s+call\s+cent(?:re|er)))\b",
    re.IGNORECASE,
)
_SURNAME_RE = re.compile(r"[ \t]+((?:(?:" + "|".join(sorted(PARTICLES)) + r")[ \t]+)*)(" + _TOKEN_RE.pattern + ")")
_PHRASE_RE = re.compile(r"(?:" + _TOKEN_RE.pattern + r")(?:[ \t]+(?:" + _TOKEN_RE.pattern + r")){0,3}")
_WORD_BEFORE_RE = re.compile(r"([^\W\d_][\w'’\-]*)[ \t]*[,(]?[ \t]*$")
_CAPITAL_BEFORE_RE = re.compile(r"([^\W\d_][\w'’\-]*)[ \t]$")
_PREP_BEFORE = frozenset(
    "with and to for by from asked told thanked thank thanks emailed called rang phoned texted messaged met "
    "cc'd cc via ask tell call ring email text message meet contact contacted".split()
)
#: verbs before a word that only a person can be the object of: "I asked Guadalupe", "we thanked Jordan"
_PERSON_OBJECT_BEFORE = frozenset("asked told thanked emailed texted messaged ask tell thank email text cc'd".split())


def name_class(token: str, lexicon: Lexicon, word_like: Collection[str]) -> str | None:
    """How a capitalised word reads as a first name: ``"clear"``; ``"word"`` (also a common word or
    a month: "Will", "May"); ``"place"`` (also a country or city: "Jordan"); or None (no first name).

    Example:
        >>> from workbench.privacy.lexicon import load_lexicon
        >>> lex = load_lexicon()
        >>> [name_class(t, lex, set()) for t in ("Tendai", "Will", "Jordan", "Provision", "Kevin")]
        ['clear', 'word', 'place', None, 'clear']
    """
    # "O'Brien", "Hyun-woo": the lists spell some names without the apostrophe or hyphen
    token = next((f for f in _forms(token) if lexicon.is_first_name(f)), "")
    if not token:
        return None
    folded = token.replace("’", "'").casefold()
    if lexicon.is_place(token):
        return "place"
    if folded in word_like or folded in MONTHS or lexicon.is_word_like(token):
        return "word"
    return "clear"


#: an unknown word shaped like an English place or a brand is no person: "Heathrow", "Gatwick",
#: "Southampton", "HubSpot", "Trustpilot" (names with an inner capital keep it: "McKenna", "DeShawn")
_NOT_A_PERSON_RE = re.compile(
    r"(?:row|wick|wich|ford|bury|borough|field|port|thorpe|worth|mouth|chester|caster|shire|stead|ham|ton|"
    r"spot|soft|book|pay|ify|air|jet|bank|link|line|lines|ways|master|net|tech|hub|box|mart|pilot|cast|flix|gram|ware|base|desk)$"
    r"|^(?!Mc|Mac|De|Di|Da|Du|La|Le|Van|Von|O['’])[A-Z][a-z]+[A-Z]"
)


def _forms(token: str) -> tuple[str, ...]:
    """``token`` and, when it has one, its spelling without apostrophes and hyphens ("OBrien")."""
    plain = re.sub(r"['’\-]", "", token)
    return (token, plain) if plain != token else (token,)


def other_class(token: str, lexicon: Lexicon) -> str | None:
    """How a capitalised word that is no first name of the list may still be a person's name.

    ``"surname"``: a surname of the list that is no common word and no place ("Banerjee",
    "D'Souza"); ``"unknown"``: a word of no list at all, neither an English word nor a place
    ("Wanjiru", "Seo-yeon": the name lists miss many names, so context must decide); else None.

    Example:
        >>> from workbench.privacy.lexicon import load_lexicon
        >>> lex = load_lexicon()
        >>> [other_class(t, lex) for t in ("Kavanagh", "Wanjiru", "Terminal", "Paris", "Heathrow", "HubSpot")]
        ['surname', 'unknown', None, None, None, None]
    """
    forms = _forms(token)
    if len(token) < 3 or token[1:].isupper() or any(lexicon.is_place(f) or lexicon.is_word_like(f) for f in forms):
        return None
    if any(lexicon.is_surname(f) for f in forms):
        return "surname"
    if any(f.replace("’", "'").casefold() in lexicon.word_counts for f in forms) or _NOT_A_PERSON_RE.search(token):
        return None
    return "unknown"


def _other_name_ok(text: str, context: "_Context", other: str, initial: bool, tail_is_surname: bool) -> bool:
    """A surname alone or an unknown word is a person's name only in a person's context.

    Both: a person's whereabouts after ("Wanjiru on the chat", "Jiho from next door"), an
    apposition of a person noun ("Kwasi, my cousin"), a person noun or role before ("the
    supervisor, Wanjiru", "Captain Kavanagh"), or a surname after ("Jiho van der Berg").
    A surname also: ", who" after, a person's verb after it mid-sentence ("… and Okafor said"),
    "an email from O'Brien".
    """
    if _WHEREABOUTS_RE.match(text, context.end) or context.person_before() or tail_is_surname:
        return True
    apposition = _APPOSITION_RE.match(text, context.end)
    if apposition:
        noun = re.match(r"[ \t]*([^\W\d_]+)", text[apposition.end():apposition.end() + 30])
        if noun and noun.group(1).lower() in PERSON_NOUNS:
            return True
    if other != "surname":
        return False
    if apposition and apposition.group().lower().endswith(("who", "whose")):
        return True
    if context.after == "who" or (not initial and context.after in SPEECH_VERBS):
        return True
    message = re.search(r"\b(?:e-?mail|call|letter|message|reply|text|note|voicemail)[ \t]+from[ \t]*$",
                        text[max(0, context.start - 30):context.start], re.IGNORECASE)
    return bool(message)


def _sentence_start(text: str, start: int) -> bool:
    """True if ``start`` begins a sentence, a line, a quote or follows a colon or bullet."""
    i = start
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    return i == 0 or text[i - 1] == "\n" or text[i - 1] in _STARTERS


def _title_case_line(text: str, start: int) -> bool:
    """True if the line around ``start`` is written in Title Case (a heading, a subject line)."""
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", start)
    words = [w for w in _TOKEN_RE.findall(text[lo: hi if hi >= 0 else len(text)]) if len(w) >= 3]
    if len(words) < 4:
        return False
    return sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _word_before(text: str, start: int) -> str:
    """The word before ``start``, over spaces and an opening comma or bracket ("agent (Kevin)")."""
    m = _WORD_BEFORE_RE.search(text[max(0, start - 40):start])
    return m.group(1).replace("’", "'").casefold() if m else ""


def _capitalised(token: str) -> bool:
    return len(token) >= 2 and token[0].isupper() and not token.isupper()


class _Context:
    """What stands around one capitalised word of a text."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text, self.start, self.end = text, start, end
        self.before = _word_before(text, start)
        nxt = _WORD_AFTER_RE.match(text, end)
        self.after = nxt.group(1).replace("’", "'").casefold() if nxt else ""
        self.after_raw = nxt.group(1) if nxt else ""

    def strong_after(self, speech_only: bool = False) -> bool:
        """An apposition, a person's whereabouts or a person's verb after the word.

        ``speech_only`` (a name that is also a word or a place): only verbs a person does
        ("said", not "upgraded") and appositions of a person noun ("Jordan, my partner", not
        "Oh, the hotel").
        """
        text, end = self.text, self.end
        if _WHEREABOUTS_RE.match(text, end) or self.after == "who":
            return True
        apposition = _APPOSITION_RE.match(text, end)
        if apposition:
            if not speech_only:
                return True
            noun = re.match(r"[ \t]*([^\W\d_]+)", text[apposition.end():apposition.end() + 30])
            if apposition.group().lower().endswith(("who", "whose")) or (noun and noun.group(1).lower() in PERSON_NOUNS):
                return True
        return self.after in (SPEECH_VERBS if speech_only else PERSON_VERBS)

    def weak_after(self) -> bool:
        if self.text[self.end:self.end + 2] in ("'s", "’s"):
            return True
        return self.after in {"is", "was", "has", "had", "and", "would", "will", "can", "could", "did", "does",
                              "didn't", "doesn't", "wasn't", "isn't", "hasn't", "hadn't", "couldn't", "wouldn't",
                              "won't", "can't", "got", "went", "came", "kept", "just", "also", "then", "never",
                              "always", "still", "who", "herself", "himself", "too", "here"}

    def person_before(self) -> bool:
        """A person noun ("my partner Anouk") or a verb only people are the object of ("asked Grace")."""
        return self.before in PERSON_NOUNS or self.before in _PERSON_OBJECT_BEFORE

    def prep_before(self) -> bool:
        return self.before in _PREP_BEFORE

    def blocked(self) -> bool:
        """A determiner, a place prefix or a place's preposition before, a place word after: not a person."""
        if self.before in DETERMINERS or self.before in PLACE_PREFIXES:
            return True
        if self.after_raw[:1].isupper() and self.after in PLACE_NOUNS:
            return True
        possessive = self.text[self.end:self.end + 2] in ("'s", "’s")
        if self.before in PLACE_PREPOSITIONS and not possessive:
            return True
        if self.before == "to" and not possessive:
            two = re.search(r"([^\W\d_][\w'’\-]*)[ \t]+to[ \t]*$", self.text[max(0, self.start - 50):self.start])
            return bool(two) and two.group(1).casefold() in TRAVEL_WORDS
        return False


def _surname_tail(text: str, end: int, lexicon: Lexicon, never: Collection[str]) -> int:
    """End of the surname(s) after a first name ending at ``end`` ("Visser", "de Vries"), or ``end``."""
    pos = end
    taken = 0
    while taken < 3:
        m = _SURNAME_RE.match(text, pos)
        if not m:
            break
        tok = m.group(2)
        folded = tok.replace("’", "'").casefold()
        if not _capitalised(tok) or folded in never or folded in BRAND_WORDS or folded in MONTHS:
            break
        if lexicon.word_counts.get(folded, 0) >= 10 * 1000 or folded in PLACE_NOUNS:
            break
        if lexicon.is_surname(tok):
            pass  # a surname that is also a town ("García", "Kaya") is a surname after a first name
        elif lexicon.is_place(tok) or not (lexicon.is_first_name(tok) or folded not in lexicon.word_counts):
            break
        pos = m.end()
        taken += 1
    return pos


def _place_phrase_end(text: str, start: int, lexicon: Lexicon) -> int:
    """End of the longest place name (up to four words) starting at ``start``, or ``start``."""
    best = start
    m = _PHRASE_RE.match(text, start)
    if not m:
        return best
    words = list(re.finditer(_TOKEN_RE, m.group()))
    for n in range(len(words), 1, -1):
        phrase = m.group()[: words[n - 1].end()]
        if lexicon.is_place(phrase):
            return start + len(phrase)
    return best


def bare_names(
    text: str,
    blocked: Sequence[Span],
    lexicon: Lexicon,
    never: Collection[str],
    word_like: Collection[str],
) -> list[Candidate]:
    """Names with no cue in ``text`` as ``[NAME]`` candidates (see the module doc for the rules).

    Args:
        text: the (masked) text.
        blocked: spans no name may overlap (other kinds, known and cued names, keep words).
        lexicon: the first names, surnames, common words and places.
        never: case-folded words never taken as a name (function words, keep words).
        word_like: case-folded words that are also names ("will", "grace"): they need context.

    Example:
        >>> from workbench.privacy.lexicon import load_lexicon
        >>> text = "I flew with Tendai, my partner, and Anouk from work; Wojciech at the desk laughed."
        >>> [text[s:e] for s, e, _ in sorted(bare_names(text, [], load_lexicon(), set(), set()))]
        ['Tendai', 'Anouk', 'Wojciech']
    """
    found: list[Candidate] = []
    skip_to = 0
    title_lines: dict[int, bool] = {}  # line start -> written in Title Case
    for m in _TOKEN_RE.finditer(text):
        start, token = m.start(), m.group()
        if start < skip_to or not _capitalised(token):
            continue
        prev = text[start - 1] if start else " "
        if prev in "[@#/\\_" or prev.isdigit() or (prev == "." and start >= 2 and text[start - 2].isalnum()):
            continue  # part of an address, a path, an id or a masked span
        if overlaps(m.span(), blocked):
            continue
        place_end = _place_phrase_end(text, start, lexicon)
        if place_end > m.end():
            skip_to = place_end  # "Santa Maria", "Rio de Janeiro", "New York"
            continue
        core = token[:-2] if token.endswith(("'s", "’s")) and len(token) > 4 else token
        end = start + len(core)
        folded = core.replace("’", "'").casefold()
        if folded in never or folded in BRAND_WORDS:
            continue
        kind = name_class(core, lexicon, word_like)
        other = other_class(core, lexicon) if kind is None else None
        if (kind is None and other is None) or folded in PLACE_NOUNS:
            continue
        context = _Context(text, start, end)
        if context.blocked():
            continue
        initial = _sentence_start(text, start)
        if other is not None:
            tail = _surname_tail(text, end, lexicon, never) if core == token else end
            surname_after = tail > end and all(lexicon.is_surname(w) or w in PARTICLES
                                               for w in text[end:tail].split())
            if (initial or not _after_capitalised(text, start) or context.person_before()) and _other_name_ok(
                    text, context, other, initial, surname_after):
                found.append((start, tail, TAGS["name"]))
                skip_to = tail
            continue
        line = text.rfind("\n", 0, start) + 1
        if line not in title_lines:
            title_lines[line] = _title_case_line(text, start)
        title_case = title_lines[line]
        tail = _surname_tail(text, end, lexicon, never) if core == token else end
        with_surname = tail > end
        if kind != "clear" and not initial and _after_capitalised(text, start):
            continue  # inside a proper noun of several words ("Hope Street Hotel", "Rose Lane")
        if kind == "clear" and not title_case:
            ok = ((not initial) or with_surname or context.strong_after() or context.weak_after()
                  or context.person_before() or bool(_FROM_ORGANISATION_RE.match(text, end))
                  or (_line_start(text, start) and bool(_REST_OF_LINE_RE.match(text, tail))))
            if initial and context.after in NOT_AFTER_NAME and not with_surname:
                ok = context.strong_after()
        elif kind == "word" and folded in MONTHS and _month_context(text, start, end, context):
            ok = False
        elif initial or title_case:
            ok = (with_surname or context.strong_after(speech_only=True)) and context.after not in NOT_AFTER_NAME
        elif kind == "place":
            ok = with_surname or context.strong_after(speech_only=True) or context.person_before()
        else:
            ok = (with_surname or context.strong_after(speech_only=True) or context.person_before() or context.prep_before()
                  or (context.weak_after() and context.after != "and"))
        if ok:
            found.append((start, tail, TAGS["name"]))
            skip_to = tail
    found = pick_longest(found, blocked)
    return found + _elsewhere(text, found, blocked, lexicon, word_like)


def _line_start(text: str, start: int) -> bool:
    """True if only spaces or quote marks (``>``) stand between the line start and ``start``."""
    lo = text.rfind("\n", 0, start) + 1
    return not text[lo:start].strip(" \t>")


def _after_capitalised(text: str, start: int) -> bool:
    """True if the word before ``start`` (same sentence, one space apart) is capitalised."""
    m = _CAPITAL_BEFORE_RE.search(text[max(0, start - 40):start])
    return bool(m) and _capitalised(m.group(1)) and not _sentence_start(text, start - len(m.group(0)))


def _month_context(text: str, start: int, end: int, context: _Context) -> bool:
    """``May``/``June`` read as a month: a number or a time word next to it."""
    if re.match(r"[ \t]*(?:\d|of\b|last\b|next\b|this\b)", text[end:end + 8]):
        return True
    if re.search(r"\d(?:st|nd|rd|th)?[ \t]*$", text[max(0, start - 6):start]):
        return True
    return context.before in {"in", "on", "since", "until", "till", "by", "from", "to", "of", "early", "mid", "late",
                              "last", "next", "this", "every", "during", "before", "after", "between", "through"}


def _elsewhere(text: str, found: list[Candidate], blocked: Sequence[Span], lexicon: Lexicon,
               word_like: Collection[str]) -> list[Candidate]:
    """The clear names found, wherever else they stand capitalised in ``text``."""
    tokens = set()
    for s, e, _ in found:
        for tok in _TOKEN_RE.findall(text[s:e]):
            if len(tok) >= 3 and name_class(tok, lexicon, word_like) != "word" and _capitalised(tok):
                tokens.add(tok)
    if not tokens:
        return []
    again = re.compile(r"(?<![\w\[])(?:" + "|".join(map(re.escape, sorted(tokens, key=len, reverse=True))) + r")(?![\w\]])")
    spans = list(blocked) + [(s, e) for s, e, _ in found]
    return pick_longest([(m.start(), m.end(), TAGS["name"]) for m in again.finditer(text)], spans)
