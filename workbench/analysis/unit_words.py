"""What counts as a word in a unit: redaction tags removed, interview fillers, the usable-text rule.

Every step of the pain-point model that looks at words (the word part of the vectors,
c-TF-IDF keywords, keyphrase labels) counts them the same way: lower-cased, ``[EMAIL]``-style
redaction tags removed, and a unit with fewer than ``min_words`` words of letters ("ok",
"[PHONE] 123") is not placed in a pain point at all (it goes to Other).

Example:
    >>> is_usable_text("Refund took weeks"), is_usable_text("[PHONE] 123")
    (True, False)
"""
from __future__ import annotations

import re

__all__ = ["FILLER_WORDS", "is_usable_text", "prepare_for_keywords"]

#: Spoken fillers, hedges and contraction stubs left out of keywords (added to English stop words).
FILLER_WORDS: frozenset[str] = frozenset(
    """
    um umm uh uhm uhh er erm hmm mm mhm ah oh ooh eh huh yeah yep yup yes ok okay alright
    like just really basically actually literally honestly totally definitely probably maybe
    mean think thought said say says saying got get gets getting gonna wanna gotta kinda sorta
    kind sort know knew guess pretty right sure well anyway stuff thing things lot lots bit
    don didn doesn isn wasn weren aren couldn wouldn shouldn won haven hasn hadn ain ve ll
    re im ive id let yeah yea went go goes going did does do doing make made want wanted
    need needed look looked way time times day days one also still even much many
    interviewer moderator participant
    """.split()
)

#: Redaction tags written by ``workbench.privacy.redactor`` (and similar ``[UPPER_CASE]`` tags).
_TAG_RE = re.compile(r"\[[A-Z][A-Z_]*\]")
#: Words for keywords: two or more letters, no digits (drops P07, SKY-4QZ81M, amounts).
_TOKEN_PATTERN = r"(?u)\b[^\W\d_]{2,}\b"
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_LETTER_RE = re.compile(r"[^\W\d_]", re.UNICODE)


def prepare_for_keywords(text: str) -> str:
    """Lower-case ``text`` and remove redaction tags, before words are counted.

    Example:
        >>> prepare_for_keywords("My [CARD] was charged, no EMAIL from [BOOKING_REF]")
        'my   was charged, no email from  '
    """
    return _TAG_RE.sub(" ", str(text)).lower()


def is_usable_text(text: str, min_words: int = 2) -> bool:
    """Whether ``text`` has enough words to be placed in a pain point.

    A unit needs at least ``min_words`` words of letters once redaction tags are removed;
    "ok", "123" or "[PHONE]" go to Other.

    Example:
        >>> [is_usable_text(t) for t in ["Refund took weeks", "ok", "[PHONE] 123", ""]]
        [True, False, False, False]
    """
    words = _WORD_RE.findall(_TAG_RE.sub(" ", str(text)))
    return len(words) >= min_words and bool(_LETTER_RE.search(" ".join(words)))



def _tokens(text: str) -> list[str]:
    """Lower-cased words of ``text`` without redaction tags, curly apostrophes made straight.

    Example:
        >>> _tokens("I can’t log in, [EMAIL] sent")
        ['i', "can't", 'log', 'in', 'sent']
    """
    return [t.lower().replace("’", "'") for t in _WORD_RE.findall(_TAG_RE.sub(" ", text))]
