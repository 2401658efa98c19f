"""Sentiment of passages and the kind of moment they tell: pain, delight, purchase or neutral.

Scores are VADER compound scores in [-1, 1] (``vaderSentiment``, rule-based, offline, fast on a
laptop), with a lexicon update for customer-service language VADER does not know: "hold music",
"charged twice", "hidden fee", "logged out", "seamless", "lifesaver", "upgraded"…

**Method for multi-word phrases.** VADER's lexicon is looked up one token at a time, so a phrase
such as "no confirmation" or "voucher instead" would be scored word by word ("no" is mildly
negative, "confirmation" neutral). A pre-pass therefore finds every phrase of
:data:`DOMAIN_PHRASES` (case-insensitive regular expressions, longest listed first) and replaces
it with one marker token (``cxphrase007``…) that is added to the analyzer's lexicon with the
phrase's valence. VADER's own rules then apply to the marker as to any word: a negation before
it flips it ("there were **no** hidden fees" comes out positive), "but" shifts the weight to the
clause after it, and the compound is normalised as usual. Single words are simply added to the
lexicon (:data:`DOMAIN_WORDS`, overriding VADER where both list a word). The analyzer is built
once per call of :func:`score_sentiment`, never kept in a module global.

**Cache.** Scoring is pure per text, so :func:`score_and_classify` can keep each distinct text's
score and moment in the embedding cache's SQLite file, keyed by the text's hash and
:func:`scorer_id` (this module's source and VADER's version): a re-run on the same texts reads
them back instead of running VADER and the regular expressions again (about 40 s for 100,000
feedback items on two cores), and any change to the rules starts afresh.

Example:
    >>> scores = score_sentiment(["I was on hold for 55 minutes", "Check-in was seamless"])
    >>> bool(scores[0] < -0.25), bool(scores[1] > 0.25)
    (True, True)
"""
from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from workbench.analysis.pattern_search import PatternSearch
from workbench.errors import WorkbenchError
from workbench.runtime.workers import map_chunks

#: moment kinds, in the order reports list them
MOMENTS = ("pain", "delight", "purchase", "neutral")

#: compound score at or below which a passage is a pain moment
PAIN_THRESHOLD = -0.25
#: compound score at or above which a passage (with no pain cue) is a delight moment
DELIGHT_THRESHOLD = 0.45

#: single words VADER misses or under-scores in customer-service talk (valence on VADER's -4..4 scale)
DOMAIN_WORDS: dict[str, float] = {
    # pain
    "crash": -1.8, "crashed": -1.8, "crashes": -1.8, "crashing": -1.8,
    "glitch": -1.5, "glitches": -1.5, "glitchy": -1.8, "buggy": -1.8, "bugs": -1.0,
    "freezes": -1.5, "froze": -1.5, "overcharged": -2.5, "overcharging": -2.5,
    "ripoff": -3.0, "scammed": -2.8, "canceled": -1.0, "stranded": -2.0, "expired": -1.0,
    "declined": -1.0, "unreachable": -1.8, "nightmare": -2.8, "shambles": -2.5, "farce": -2.2,
    "hassle": -1.6, "unhelpful": -2.0, "clueless": -1.8, "incompetent": -2.4, "chaotic": -1.8,
    "chaos": -1.8, "mismatch": -1.4, "misleading": -2.0, "surcharge": -1.4, "surcharges": -1.4,
    "overbooked": -2.0, "undelivered": -1.8, "unanswered": -1.8, "stonewalled": -2.2,
    "ghosted": -2.2, "fobbed": -2.0, "runaround": -2.0, "timed": -0.3, "double-booked": -2.2,
    "disappeared": -1.5, "vanished": -1.5,
    # delight
    "seamless": 2.4, "seamlessly": 2.4, "smooth": 1.9, "smoothly": 1.9, "effortless": 2.4,
    "painless": 2.0, "hassle-free": 2.2, "upgraded": 1.9, "upgrade": 1.3, "lifesaver": 2.8,
    "life-saver": 2.8, "speedy": 1.2, "promptly": 1.2, "quick": 0.8, "quickly": 0.6,
    "intuitive": 1.9, "spotless": 2.0, "thoughtful": 2.0, "attentive": 1.9, "refunded": 0.8,
    "sorted": 1.0, "brilliant": 2.8,
    # words VADER reads as praise that customer-service talk uses for topics, status or politeness
    "please": 0.0, "holiday": 0.0, "holidays": 0.0, "approved": 0.0, "credit": 0.0, "credits": 0.0,
    "original": 0.0, "honestly": 0.0, "honest": 0.0, "care": 0.0, "interest": 0.0, "security": 0.0,
    "plays": 0.0, "number": 0.0, "dynamic": 0.0, "clearly": 0.0, "giving": 0.0, "want": 0.0, "reach": 0.0,
    "okay": 0.0, "ok": 0.0, "important": 0.0,
}

#: multi-word phrases as (regular expression, valence); each match becomes one marker token
DOMAIN_PHRASES: tuple[tuple[str, float], ...] = (
    # payment taken, no confirmation
    (r"(?:no|never (?:got|received|had|saw)|didn'?t (?:get|receive)|did not (?:get|receive)|without|still no|"
     r"haven'?t (?:got|received)|no sign of|missing)(?: (?:a|an|any|the|my|our))?(?: booking| e-?mail| email)?"
     r" (?:confirmation|e-?ticket|ticket)s?(?: (?:e-?mail|email|number))?", -2.6),
    (r"took (?:my|our|the) money", -2.0),
    (r"(?:charged|billed) (?:me |us |my card )?(?:twice|two times|double)|double[- ](?:charged|billed|booked)|"
     r"two (?:charges|payments)", -2.8),
    # call centre
    (r"(?:hold music|on hold|hold queue)", -2.2),
    (r"(?:kept|left) (?:me |us )?(?:waiting|hanging)", -2.0),
    (r"still (?:waiting|chasing|haven'?t)", -2.2),
    (r"(?:round|around|going|went|go|run) (?:round )?in circles", -2.2),
    (r"(?:no one|nobody|no-one) (?:answered|picked up|got back|replied|called back|helped|told)", -2.2),
    (r"(?:no one|nobody|no-one) (?:could|can|would) (?:explain|tell|help|answer)", -2.0),
    (r"(?:couldn'?t|could not|can'?t|cannot|never) (?:get through|reach (?:a |an |any )?(?:real )?(?:human|person|agent|one|anyone)|"
     r"speak to (?:a |an |any )?(?:real )?(?:human|person|agent|anyone))", -2.2),
    (r"(?:call|line) (?:dropped|cut off|went dead)|hung up on (?:me|us)|(?:got|was|were) cut off", -2.2),
    (r"(?:never|not) (?:heard back|got back to)", -2.2),
    (r"no (?:reply|response|answer|callback)", -2.0),
    # never arrived / credited
    (r"never (?:arrived|came|showed up|turned up|appeared|got credited|credited|materiali[sz]ed|went through)", -2.4),
    (r"(?:not|never|wasn'?t|weren'?t) (?:been )?credited", -2.2),
    # app
    (r"(?:logged|kicked|signed|threw|throws) (?:me |us )?out|logs (?:me|you|us) out", -2.0),
    (r"(?:keeps?|kept) (?:on )?crashing", -2.6),
    (r"(?:code|codes|text) (?:never|didn'?t|doesn'?t|did not|does not) (?:arrive|come|work)", -2.2),
    # refunds
    (r"voucher instead|instead of (?:a |my |the |our )?(?:cash|money|refund)|(?:only|just) (?:offered|gave) (?:me |us )?(?:a )?voucher", -2.0),
    (r"took (?:\w+ ){0,2}(?:weeks|months)|(?:weeks|months) later|(?:weeks|months) (?:to|before)", -1.4),
    # fees and prices
    (r"hidden (?:fee|fees|charge|charges|cost|costs|extras)", -2.6),
    (r"(?:extra|surprise|unexpected|sneaky|resort|service|booking|admin|baggage|bag|change|amendment) (?:fee|fees|charge|charges)", -1.6),
    (r"(?:price|total|cost|fare) (?:jumped|went up|shot up|increased|changed|doubled|rose)", -2.0),
    (r"rip[- ]off|ripped (?:me |us )?off", -3.0),
    # change, reservation, consistency, disruption
    (r"had to (?:call|ring|phone)", -1.2),
    (r"(?:had to )?(?:start|do it|do everything) (?:all )?(?:over|again)(?: from scratch| from the (?:start|beginning))?", -1.2),
    (r"(?:repeat|repeated|repeating|explain|explained|explaining) (?:my|the|our) (?:story|problem|issue)(?: again)?|"
     r"explain(?:ed)? (?:it|everything) again", -2.0),
    (r"different (?:answer|answers|story|stories)|(?:contradict|contradicted|contradicting) each other", -1.8),
    (r"(?:wasn'?t|weren'?t) (?:there|found|on (?:the|their) system)|(?:couldn'?t|could not|can'?t) find (?:my|our|the) "
     r"(?:booking|reservation)|no record of", -2.2),
    (r"not (?:what|the room) (?:i|we) (?:booked|paid for)|wrong room|different room", -1.8),
    (r"(?:nobody|no one|no-one) told (?:me|us)|(?:found|find) out (?:at the gate|from the (?:board|screen))|"
     r"(?:no|without any) (?:warning|notification|notice|heads[- ]up)", -2.0),
    # conversational "like" (filler, comparison, "I'd like") and willingness ("happy to pay") are no praise
    (r"(?:i'?d|would|you'?d|we'?d|they'?d) like|(?:^|(?<=[,.;:!?])\s*|(?:it'?s|was|is|feels?|felt|looks?|looked|"
     r"seems?|seemed|just|more|something|things?|stuff|or|and|be|sounds?|sounded)\s+)like", 0.0),
    (r"(?:happy|willing|glad) to (?:pay|wait|forward|provide|send|share|call|help|give|show|travel|move|upgrade)", 0.0),
    # delight
    (r"over the moon", 3.0),
    (r"above and beyond", 3.0),
    (r"out of (?:her|his|their|the|its) way", 2.6),
    (r"(?:for free|free upgrade|complimentary upgrade)", 2.2),
    (r"(?:no|without(?: any)?) (?:hassle|fuss|problems?|issues?)", 2.0),
    (r"(?:made|make|makes) (?:my|our) (?:day|trip|holiday)", 2.8),
    (r"worked (?:perfectly|like a charm|first time|flawlessly)", 2.4),
    (r"couldn'?t have been (?:easier|better|smoother)", 2.8),
    (r"(?:sorted|fixed|solved|resolved) (?:it |everything )?(?:out )?(?:in|within) (?:minutes|seconds|no time)", 2.2),
)

#: strong pain cues: passages with one are pain moments whatever the score
PAIN_CUES: tuple[str, ...] = (
    r"\bcrash\w*", r"\bglitch\w*", r"\bscam\w*", r"\bnightmare\b", r"\bstranded\b", r"\boverbooked\b",
    r"\bovercharg\w*", r"\bdouble[- ]book\w*", r"\bwaste of (?:time|money)\b", r"\bnever again\b",
    r"\bfrustrat\w*", r"\bfurious\b", r"\bannoy\w*", r"\bcomplain\w*", r"\bworst\b", r"\bstuck\b",
    r"\bstill (?:no|not|nothing|haven'?t)\b", r"\bhaven'?t (?:had|got|received|seen)\b",
    r"\b(?:didn'?t|doesn'?t|won'?t|wouldn'?t|did not|does not|would not) (?:work|load|open|accept|let me|show)\b",
    r"\b(?:error|errored|failed|fails|declined|invalid|too many attempts|no longer available|non-refundable)\b",
    # complaint patterns customers use without any negative word
    r"\bwhy (?:is|does|do|did|would|should|isn'?t|doesn'?t|didn'?t|was|wasn'?t|were|has|have|can'?t) [^.?!]*\?",
    r"\bit'?s (?:now )?been (?:\w+ ){0,2}(?:days|weeks|months)\b|\b(?:days|weeks|months) (?:later|on|now)\b",
    r"\b(?:didn'?t|did not|never|haven'?t|have not|hasn'?t) (?:receive|received|get|got|hear|heard|see|seen)\b",
    r"\b(?:can'?t|cannot|couldn'?t|could not|unable to)\b(?! (?:recommend|fault|complain|believe how|be happier|ask for|wait to|thank))",
    r"\bnot (?:mentioned|shown|clearly|included|honou?red|refundable|available|allowed)\b",
    r"\bat (?:our|my) own (?:cost|expense)\b", r"\bexpired?\b", r"\bhangs? up\b",
    r"\b(?:i'?d like|i want|i expect|please give me) (?:a |an |my |the |them |it )?(?:refund|date|answer|explanation|reinstated|money|compensation|difference)\b",
)

#: praise and problems solved, in words customers of any service use; a delight cue makes a delight
#: moment (when no pain cue is present) even where VADER scores the story of the problem itself low
DELIGHT_CUES: tuple[str, ...] = (
    r"\babove and beyond\b", r"\bout of (?:her|his|their|the|its) way\b", r"\b(?:went|go|goes) the extra mile\b",
    r"\b(?:fixed|sorted|solved|resolved|handled|rebooked|refunded|changed|replaced) (?:it|everything|us|me|the \w+)? ?"
    r"(?:on the spot|straight away|right away|immediately|in (?:minutes|seconds|no time)|within (?:the|an|a|\d+) \w+|"
    r"the same day|for free|without (?:a|any) (?:fee|charge|fuss|hassle))",
    r"\b(?:took care of (?:everything|it|us|me)|looked after (?:us|me)|made (?:a|all the) (?:huge |big |real )?difference)\b",
    r"\b(?:that'?s|this is|exactly) (?:how|what) (?:it|you|they|a \w+) (?:should|keep|want)\w*\b",
    r"\b(?:no|zero) (?:complaints?|issues?|problems?|hassle|fuss|faff)(?: at all)?\b(?! (?:with|about|getting|so far))",
    r"\bnever had (?:an?|any) (?:issue|problem)s?\b", r"\bdidn'?t have to (?:do|queue|call|ask|lift|chase|wait)\b",
    r"\b(?:well|really well|beautifully|brilliantly) (?:handled|done|organi[sz]ed|thought out|thought through)\b",
    r"\b(?:spot on|worked (?:perfectly|fine|like a charm|flawlessly|first time)|(?:really|so|very) (?:handy|helpful|easy|kind))\b",
    r"\b(?:thank you|thanks|grazie|merci|gracias|kudos|credit) (?:so much |again )?(?:to|for) (?:your|the|her|him|them|everyone|\[NAME\])",
    r"\bgot through in (?:under )?(?:\d+|a|one|two|three|five) (?:minutes?|seconds?)\b",
)

#: purchase decisions: choosing, deals, alerts; these make a purchase moment on their own
PURCHASE_DECISION_CUES: tuple[str, ...] = (
    r"\bchose\b", r"\bchoose\b", r"\bchosen\b", r"\bdecided to (?:book|buy|go|fly|stay|take|use)\b",
    r"\bwent (?:with|for) (?:the|a|skylark|them|it)\b", r"\bsigned up\b", r"\bsign up\b", r"\bprice alert\b",
    r"\bdeal\b(?! with)", r"\bbundle\b", r"\bpackage (?:deal|price|holiday)\b", r"\b(?:member|loyalty|flash|early[- ]bird|special|launch) (?:offer|fare|price|rate|sale)\b",
    r"\bdiscount(?: code)?\b", r"\bpromo(?:tion|tional)?(?: code)?\b", r"\bcheaper\b", r"\bcheapest\b",
    r"\bcompared (?:prices|fares|hotels|sites)\b", r"\bredeem\w*\b", r"\bsplash(?:ed)? out\b",
    r"\b(?:book|booked|buy|bought) (?:\w+ ){0,4}because\b", r"\bpaid for\b(?! (?:twice|nothing))",
)
#: buying acts without a decision story; a purchase moment only when the passage is not a delight
PURCHASE_ACT_CUES: tuple[str, ...] = (
    r"\bbooked\b", r"\bbought\b", r"\bpurchas\w+\b", r"\breserved\b", r"\bordered\b", r"\bbook (?:a|the|our|my)\b",
    r"\bbooking (?:a|the|our|my)\b", r"\bbuy(?:ing)? (?:a|the|our|my)\b",
)


#: an e-mail's furniture: quoted replies ("> …", "On 3 Jul 2026, X wrote:"), the greeting line and the sign-off
_QUOTED_REPLY = re.compile(r"(?ms)^\s*>.*\Z|\bOn \d{1,2} \w+ \d{4},?[^\n]{0,80}wrote:.*\Z")
_GREETING = re.compile(
    r"^\W*(?:hi|hello|hey|hiya|dear|good (?:morning|afternoon|evening|day)|bonjour|hola|ciao)\b[^\n,.!]{0,40}[,.!\n]\s*",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"(?:\n|\s{2,})\s*(?:thanks|thank you|many thanks|best|best regards|kind regards|regards|cheers|merci|gracias|"
    r"sincerely|yours \w+|best wishes|all the best|warm regards)\b[^\n]{0,60}\Z",
    re.IGNORECASE,
)


def customer_words(text: str) -> str:
    """``text`` without an e-mail's furniture: quoted replies, greeting line and sign-off.

    A support e-mail that quotes the company's polite template ("Dear Ana, thank you for
    contacting us") or ends "Kind regards" is not a delight; only what the customer wrote is scored.

    Example:
        >>> customer_words("Hi team,  Still no refund after 40 days.  Thanks, [NAME]  > On 3 Jul 2026, Care wrote: > Dear")
        'Still no refund after 40 days.'
    """
    if not isinstance(text, str):
        return ""
    kept = _QUOTED_REPLY.sub("", text).strip()
    kept = _GREETING.sub("", kept, count=1).strip()
    kept = _SIGN_OFF.sub("", kept).strip()
    return kept or text.strip()


def _phrase_table() -> list[tuple[re.Pattern[str], str, float]]:
    table = []
    for index, (pattern, valence) in enumerate(DOMAIN_PHRASES):
        table.append((re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), f"cxphrase{index:03d}", valence))
    return table


def mark_phrases(text: str, table: list[tuple[re.Pattern[str], str, float]] | None = None) -> str:
    """Return ``text`` with each domain phrase replaced by its marker token (the pre-pass).

    Example:
        >>> mark_phrases("Still no confirmation, just hold music.")
        'cxphrase000, just cxphrase003.'
    """
    for pattern, marker, _ in table if table is not None else _phrase_table():
        text = pattern.sub(f" {marker} ", text)
    return _tidy_spaces(text)


def _tidy_spaces(text: str) -> str:
    return _MANY_SPACES.sub(" ", _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)).strip()


_MANY_SPACES = re.compile(r" {2,}")
_SPACE_BEFORE_PUNCTUATION = re.compile(r" +([.,;:!?])")


def _marked_texts(texts: list[str], table: list[tuple[re.Pattern[str], str, float]]) -> list[str]:
    """``[mark_phrases(text, table) for text in texts]``, each phrase searched over all texts at once."""
    search = PatternSearch(texts)
    with_phrase = np.zeros(len(texts), dtype=bool)
    for pattern, _, _ in table:  # most texts hold no phrase: only those that do are rewritten
        with_phrase[search.rows_matching(pattern)] = True
    return [mark_phrases(text, table) if with_phrase[index] else _tidy_spaces(text) for index, text in enumerate(texts)]


@functools.lru_cache(maxsize=1)
def _analyzer():  # noqa: ANN202 - vaderSentiment has no type hints
    """The VADER analyzer with the domain lexicon, built once per process (55 ms: its lexicon file is parsed).

    Scoring only reads the lexicon, so one analyzer serves every call; the statements step scores
    a few sentences for each of hundreds of pain points and spent seconds rebuilding it.
    """
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise WorkbenchError(
            "sentiment: the vaderSentiment package is missing; install it with `pip install vaderSentiment`"
        ) from error
    analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon.update(DOMAIN_WORDS)
    table = _phrase_table()
    analyzer.lexicon.update({marker: valence for _, marker, valence in table})
    return analyzer, table


def score_sentiment(texts: Sequence[str]) -> np.ndarray:
    """Return the VADER compound score in [-1, 1] of each text, with the domain lexicon.

    Missing texts (``None``/NA) and texts with no words score 0.

    Example:
        >>> score_sentiment(["They took my money and I never got a confirmation",
        ...                  "The desk agent upgraded us for free", "", None]).round(2).tolist()
        [-0.76, 0.73, 0.0, 0.0]
    """
    analyzer, table = _analyzer()
    scores = np.zeros(len(texts), dtype=np.float64)
    words = [""] * len(texts)
    for index, text in enumerate(texts):
        if not isinstance(text, str) or not text.strip():
            continue
        words[index] = customer_words(text)
    marked = _marked_texts(words, table)
    for index, text in enumerate(marked):
        if text:
            scores[index] = analyzer.polarity_scores(text)["compound"]
    return scores


@functools.lru_cache(maxsize=None)
def _either(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled pattern that matches where any of ``patterns`` would (compiled once per list)."""
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE)


@functools.lru_cache(maxsize=None)
def _strong_phrases() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE) for pattern, valence in DOMAIN_PHRASES if valence <= -2.0)


_NEGATED_BEFORE = re.compile(r"\b(?:no|not|never|without|zero)\s+$")


def _any(patterns: tuple[str, ...], text: str) -> bool:
    return _either(patterns).search(text) is not None


def _strong_pain(text: str) -> bool:
    if _any(PAIN_CUES, text):
        return True
    # a strongly negative domain phrase that is not negated ("no hidden fees" is not pain)
    for pattern in _strong_phrases():
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 12) : match.start()].lower()
            if not _NEGATED_BEFORE.search(before):
                return True
    return False


#: words that turn a booking story into something that went wrong
_TURN = r"\b(?:but|instead|however|wrong|only|never|didn'?t|wasn'?t|weren'?t|couldn'?t|no longer|still)\b"


_DELIGHT_NEGATED_BEFORE = re.compile(r"\b(?:no|not|never|without|didn'?t|wasn'?t|nobody|no one)\s+(?:\w+\s+)?$")


def _delight_cue(text: str) -> bool:
    """A delight cue of :data:`DELIGHT_CUES` that is not negated ("never went above and beyond")."""
    for pattern in _delight_patterns():
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 14) : match.start()].lower()
            if not _DELIGHT_NEGATED_BEFORE.search(before):
                return True
    return False


@functools.lru_cache(maxsize=None)
def _delight_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern, re.IGNORECASE) for pattern in DELIGHT_CUES)


def _rows_with_any(search: PatternSearch, patterns: tuple[str, ...]) -> np.ndarray:
    """Which texts of ``search`` one of ``patterns`` (case-insensitive) is found in, as a boolean mask."""
    found = np.zeros(len(search.texts), dtype=bool)
    for pattern in _compiled(patterns):
        found[search.rows_matching(pattern)] = True
    return found


def _rows_with_unnegated(
    search: PatternSearch, patterns: tuple[re.Pattern[str], ...], negation: re.Pattern[str], window: int,
) -> np.ndarray:
    """Texts where a match of one of ``patterns`` is not preceded (within ``window`` characters) by ``negation``."""
    found = np.zeros(len(search.texts), dtype=bool)
    for pattern in patterns:
        for row in search.rows_matching(pattern):
            if found[row]:
                continue
            text = search.texts[row]
            for match in pattern.finditer(text):
                if not negation.search(text[max(0, match.start() - window) : match.start()].lower()):
                    found[row] = True
                    break
    return found


@functools.lru_cache(maxsize=None)
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern, re.IGNORECASE) for pattern in patterns)


def classify_moments(texts: Sequence[str], sentiment: Sequence[float] | np.ndarray) -> list[str]:
    """Return the moment of each text: ``"pain"``, ``"delight"``, ``"purchase"`` or ``"neutral"``.

    Rules, in order:

    * **purchase**: a buying decision story (chose, price alert, deal, bundle, signed up, booked
      …because…), or a plain buying act (booked, bought) in a passage that is not a delight and
      does not turn ("but", "instead", "wrong", "never"…: then it is the start of a story), in
      both cases with no strong pain cue and a score above ``PAIN_THRESHOLD``. Paying as a
      *problem* ("charged twice", "took my money") is a pain cue, not a purchase;
    * **pain**: a strong pain cue (crash, stuck, still waiting, hold music, charged twice, no
      confirmation…), or score ≤ ``PAIN_THRESHOLD`` (-0.25) without a delight cue;
    * **delight**: no pain cue and a score ≥ ``DELIGHT_THRESHOLD`` (0.45) or a delight cue of
      :data:`DELIGHT_CUES` ("went above and beyond", "sorted it on the spot", "no complaints");
    * **neutral**: everything else (including texts with no words).

    Args:
        texts: the passages.
        sentiment: their scores from :func:`score_sentiment`, same length.

    Example:
        >>> texts = ["The hold music played for 55 minutes",
        ...          "The desk agent upgraded us for free, the kids were over the moon",
        ...          "I booked the bundle because the price alert said it dropped 20%",
        ...          "We landed at nine."]
        >>> classify_moments(texts, score_sentiment(texts))
        ['pain', 'delight', 'purchase', 'neutral']
    """
    if len(texts) != len(sentiment):
        raise WorkbenchError(
            f"classify_moments: got {len(texts)} texts but {len(sentiment)} scores; pass score_sentiment(texts)"
        )
    words = [customer_words(text) if isinstance(text, str) and text.strip() else "" for text in texts]
    # every cue list is searched over all texts at once (PatternSearch), not text by text
    search = PatternSearch(words)
    pain_cues = _rows_with_any(search, PAIN_CUES) | _rows_with_unnegated(search, _strong_phrases(), _NEGATED_BEFORE, 12)
    decisions = _rows_with_any(search, PURCHASE_DECISION_CUES)
    # "We booked a family room. The hotel had a double instead": a booking act that turns is a story, not a purchase
    acts = _rows_with_any(search, PURCHASE_ACT_CUES) & ~_rows_with_any(search, (_TURN,))
    delight_cues = ~pain_cues & _rows_with_unnegated(search, _delight_patterns(), _DELIGHT_NEGATED_BEFORE, 14)
    moments: list[str] = []
    for index, (text, score) in enumerate(zip(texts, sentiment)):
        if not isinstance(text, str) or not text.strip():
            moments.append("neutral")
            continue
        score = float(score)
        pain_cue, decision, act, delight_cue = pain_cues[index], decisions[index], acts[index], delight_cues[index]
        if not pain_cue and score > PAIN_THRESHOLD and (decision or (act and score < DELIGHT_THRESHOLD and not delight_cue)):
            moments.append("purchase")
        elif pain_cue or (score <= PAIN_THRESHOLD and not delight_cue):
            moments.append("pain")
        elif score >= DELIGHT_THRESHOLD or delight_cue:
            moments.append("delight")
        else:
            moments.append("neutral")
    return moments


def scorer_id() -> str:
    """Name and version of the scorer: changes whenever its rules or VADER change.

    A hash of this module's source (lexicon, phrases, cues, thresholds, rules) and of the
    installed vaderSentiment version; the key under which scores are cached.

    Example:
        >>> scorer_id().startswith("vader-moments:")
        True
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        vader_version = version("vaderSentiment")
    except PackageNotFoundError:  # pragma: no cover - depends on the environment
        vader_version = "unknown"
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(vader_version.encode())
    return f"vader-moments:{digest.hexdigest()[:16]}"


def _score_batch(texts: list[str]) -> list[tuple[float, str]]:
    """Score and classify a chunk of texts (run in a worker process for large inputs)."""
    scores = score_sentiment(texts)
    return [(float(score), moment) for score, moment in zip(scores, classify_moments(texts, scores))]


def score_and_classify(
    texts: Sequence[str], cache: Any = None, on_chunk: Callable[[int], None] | None = None,
) -> tuple[np.ndarray, list[str]]:
    """Sentiment scores and moments of ``texts``, reading and filling ``cache`` when given.

    The same as ``score_sentiment(texts)`` and ``classify_moments(texts, scores)``; with a
    cache (an :class:`workbench.analysis.embedding_cache.EmbeddingCache`), each distinct text is scored at most
    once ever for this :func:`scorer_id`. Missing texts (``None``) score 0, neutral. ``on_chunk``
    is called with how many texts (repeats included) were read or scored, as they are (a bar).

    Example:
        >>> import tempfile
        >>> from workbench.analysis.embedding_cache import EmbeddingCache
        >>> texts = ["I was on hold for 55 minutes", "Check-in was seamless"]
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     with EmbeddingCache(Path(folder) / "cache.sqlite") as cache:
        ...         first = score_and_classify(texts, cache)
        ...         again = score_and_classify(texts, cache)  # read back, not scored
        >>> first[1], bool((first[0] == again[0]).all()) and first[1] == again[1]
        (['pain', 'delight'], True)
    """
    texts = list(texts)
    scores = np.zeros(len(texts), dtype=np.float64)
    moments = ["neutral"] * len(texts)
    keyed = [i for i, t in enumerate(texts) if isinstance(t, str)]
    key_texts = [texts[i] for i in keyed]
    name = scorer_id() if cache is not None else ""
    found = cache.get_scores(name, key_texts) if cache is not None and key_texts else {}
    for position, (score, moment) in found.items():
        scores[keyed[position]] = score
        moments[keyed[position]] = moment
    if on_chunk is not None and found:
        on_chunk(len(found))
    # each distinct text that was not cached is scored once
    todo: dict[str, list[int]] = {}
    for position, index in enumerate(keyed):
        if position not in found:
            todo.setdefault(texts[index], []).append(index)
    if todo:
        new_texts = list(todo)
        done_so_far = [0]

        def covered(count: int) -> None:  # a chunk of distinct texts, counted with their repeats
            start = done_so_far[0]
            done_so_far[0] += count
            if on_chunk is not None:
                on_chunk(sum(len(todo[text]) for text in new_texts[start : start + count]))

        scored = map_chunks(_score_batch, new_texts, batched=True, on_chunk=covered)  # every core for large inputs
        new_scores = [score for score, _ in scored]
        new_moments = [moment for _, moment in scored]
        for text, score, moment in zip(new_texts, new_scores, new_moments):
            for index in todo[text]:
                scores[index] = score
                moments[index] = moment
        if cache is not None:
            cache.put_scores(name, new_texts, new_scores, new_moments)
    return scores, moments
