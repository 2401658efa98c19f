"""Readable pain-point names in the customers' own words.

Keyword lists ("phone, minutes, hold") make a design team guess. A name such as
"90 minutes on hold" or "No confirmation email" is a phrase customers actually said,
said by many members of the pain point and rarely elsewhere. :func:`phrase_label` finds it:

1. Candidate phrases are runs of 2-4 words inside one sentence of a member text that
   neither start nor end with a stop word or interview filler; a leading negation
   ("no", "not", "never", "can't" …) is kept because it carries the pain.
2. Each candidate scores ``coverage × distinctiveness``: the share of the pain point's
   texts that contain it, times ``log(N / df)`` over all units (rare elsewhere = specific).
   Candidates found in fewer than two texts, or in under ``MIN_COVERAGE`` of them, never
   win: one customer's phrase does not name a shared pain.
3. A longer phrase replaces a shorter one it contains when it keeps most of its coverage
   ("confirmation email" → "no confirmation email").
4. The name is the best phrase, followed by the next best phrase that shares no word with
   it, when that one covers at least half as many texts ("No confirmation email, charged twice").

Pure Python and deterministic; the same texts give the same name.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

__all__ = ["MIN_COVERAGE", "NEGATIONS", "candidate_phrases", "heads_collide", "phrase_document_counts", "phrase_label"]

NEGATIONS = frozenset({"no", "not", "never", "nothing", "without", "can't", "cannot", "couldn't",
                       "didn't", "doesn't", "don't", "won't", "wasn't", "isn't", "wouldn't"})

#: a phrase must occur in at least this share of a pain point's texts to name it
MIN_COVERAGE = 0.04

# Words that make poor ends of a name, on top of scikit-learn's English stop words.
_EXTRA_STOP = frozenset({
    "um", "uh", "erm", "yeah", "yes", "okay", "ok", "like", "just", "really", "actually", "basically",
    "honestly", "literally", "kind", "sort", "mean", "know", "think", "guess", "said", "says", "say",
    "told", "tell", "got", "get", "gets", "getting", "went", "go", "going", "did", "does", "doing",
    "thing", "things", "stuff", "lot", "bit", "time", "times", "way", "day", "days", "want", "wanted",
    "need", "needed", "tried", "try", "make", "made", "let", "put", "came", "come", "took", "take",
    "i'm", "i've", "i'd", "it's", "that's", "there's", "you're", "we're", "they're", "he's", "she's",
    "i'll", "you'll", "we'd", "ve", "ll", "re", "s", "t", "d", "m", "hi", "hello", "dear", "thanks",
    "thank", "please", "regards", "kind", "maybe", "probably", "still", "also", "even", "ever",
    "first", "second", "one", "two", "three", "right", "well", "good", "great", "sure", "much",
})
_TAG = re.compile(r"\[[A-Z_]+\]")
_SENTENCE = re.compile(r"[.!?;:\n()\"“”—–]+|,\s|\s-\s")
_THOUSANDS = re.compile(r"(\d),(\d{3})")
_WORD = re.compile(r"[a-z0-9£$€]+(?:['’][a-z]+)?")


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | _EXTRA_STOP


def candidate_phrases(text: str, stop_words: frozenset[str] | None = None, max_words: int = 4) -> set[str]:
    """The distinct 2..``max_words``-word phrases of ``text`` that could name a pain point.

    Example:
        >>> sorted(candidate_phrases("But no confirmation email came. I waited 90 minutes on hold!"))[:4]
        ['90 minutes', '90 minutes on hold', 'confirmation email', 'minutes on hold']
    """
    stop = _stop_words() if stop_words is None else stop_words
    found: set[str] = set()
    # Tags go before lowercasing ("[BOOKING_REF]" is no phrase); "10,000" stays one number.
    cleaned = _THOUSANDS.sub(r"\1\2", _TAG.sub(" | ", text)).lower().replace("’", "'")
    for sentence in _SENTENCE.split(cleaned):
        for chunk in sentence.split("|"):
            words = _WORD.findall(chunk)
            for start in range(len(words)):
                first = words[start]
                if first in stop and first not in NEGATIONS:
                    continue
                for end in range(start + 2, min(start + max_words, len(words)) + 1):
                    last = words[end - 1]
                    if last in stop or last in NEGATIONS:
                        continue
                    found.add(" ".join(words[start:end]))
    return found


def _shares_word(a: str, b: str) -> bool:
    def stems(phrase: str) -> set[str]:
        return {w[:5] for w in phrase.split() if w not in NEGATIONS}

    return bool(stems(a) & stems(b))


def phrase_label(
    member_texts: Sequence[str],
    all_texts_phrase_counts: Counter[str],
    n_all_texts: int,
    taken: Iterable[str] = (),
    avoid_heads: Iterable[str] = (),
) -> str | None:
    """The name of a pain point from its members' texts, or ``None`` when no phrase is shared.

    Args:
        member_texts: redacted texts of the pain point's units.
        all_texts_phrase_counts: in how many texts of the whole corpus each phrase occurs
            (:func:`phrase_document_counts`).
        n_all_texts: number of texts in the whole corpus.
        taken: names already given to other pain points (never repeated).
        avoid_heads: head phrases of other pain points' names (:func:`heads_collide`): the name
            never starts with one of them, so no two pain points share a head phrase.

    Example:
        >>> members = ["Payment went through but no confirmation email.", "Charged twice, no confirmation email!",
        ...            "Still no confirmation email after a day", "My card was charged twice."]
        >>> others = ["The hotel room was lovely", "90 minutes on hold", "Lovely hotel room"] * 5
        >>> counts = phrase_document_counts(members + others)
        >>> phrase_label(members, counts, len(members + others))
        'No confirmation email, charged twice'
        >>> phrase_label(members, counts, len(members + others), avoid_heads=["no confirmation email"])
        'Charged twice'
    """
    stop = _stop_words()
    taken_lower = {t.lower() for t in taken}
    inside: Counter[str] = Counter()
    for text in member_texts:
        inside.update(candidate_phrases(text, stop))
    n_members = max(len(member_texts), 1)
    min_count = max(2, math.ceil(MIN_COVERAGE * n_members))
    scores: dict[str, float] = {}
    for phrase, count in inside.items():
        if count < min_count:
            continue
        df = max(all_texts_phrase_counts.get(phrase, count), count)
        scores[phrase] = (count / n_members) * math.log((n_all_texts + 1) / df)
    heads = [h for h in (" ".join(str(a).lower().split()) for a in avoid_heads) if h]
    if not scores:
        return None
    # Prefer the longer phrase when it keeps most of the shorter one's coverage.
    ranked = sorted(scores, key=lambda p: (-scores[p], p))
    best: list[str] = []
    for phrase in ranked:
        longer = [q for q in scores if q != phrase and f" {phrase} " in f" {q} " and inside[q] >= 0.7 * inside[phrase]]
        if longer:
            phrase = max(longer, key=lambda q: (inside[q], len(q.split()), q))
        if not best and any(heads_collide(phrase, h) for h in heads):
            continue
        if phrase in best or any(_shares_word(phrase, b) for b in best):
            continue
        if best and inside[phrase] < 0.5 * inside[best[0]]:
            break
        best.append(phrase)
        if len(best) == 2 or len(best[0].split()) >= 4:
            break
    if not best:
        return None
    label = ", ".join(best)
    label = label[:1].upper() + label[1:]
    if label.lower() in taken_lower:
        for phrase in ranked:
            candidate = f"{label} ({phrase})"
            if not _shares_word(phrase, label) and candidate.lower() not in taken_lower:
                return candidate
        return None
    return label


def heads_collide(a: str, b: str) -> bool:
    """Whether two head phrases are the same or one starts with the other, word by word (a leading
    negation aside: "no confirmation email" and "confirmation email" collide).

    Example:
        >>> heads_collide("skylark miles", "Skylark miles expired"), heads_collide("no refund", "refund delay")
        (True, True)
        >>> heads_collide("refund delay", "hidden fees")
        False
    """
    first, second = a.lower().split(), b.lower().split()
    while first and first[0] in NEGATIONS:
        first = first[1:]
    while second and second[0] in NEGATIONS:
        second = second[1:]
    shorter = min(len(first), len(second))
    return shorter > 0 and first[:shorter] == second[:shorter]


def phrase_document_counts(texts: Iterable[str]) -> Counter[str]:
    """In how many of ``texts`` each candidate phrase occurs (for :func:`phrase_label`).

    Example:
        >>> phrase_document_counts(["no refund yet", "No refund yet!", "refund came"])["no refund"]
        2
    """
    stop = _stop_words()
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(candidate_phrases(text, stop))
    return counts
