"""A statement per pain point: one plain sentence in the customers' own words, to read aloud.

A workshop cannot read out a keyword pair ("Family room, partner hotel"). It can read out
"The hotel had no record of our booking when we arrived." :func:`painpoint_statement` takes
that sentence from the pain point's own members:

1. The most central members (cosine of their embedding to the pain point's centre) are cut
   into sentences (:func:`~workbench.analysis.passages.split_sentences`); a sentence longer
   than :data:`MAX_WORDS` words is cut into its clauses.
2. Each candidate is tidied (:func:`tidy_sentence`): interview fillers ("Honestly, ", "so
   yeah,", "um"), greetings and leading conjunctions go; the first letter is capitalised and
   the sentence ends with a full stop. Candidates of fewer than :data:`MIN_WORDS` or more than
   :data:`MAX_WORDS` words, questions, redaction tags and lists of phrases (no verb or pronoun
   to carry them, or mostly commas) are left out (:func:`reads_as_sentence`).
3. The candidates are embedded with the analysis' own embedder (through its cache) and the
   one closest to the centre wins, with a bonus for a sentence that carries the pain point's
   kind of moment (a pain cue for a pain, praise for a delight) and for the distinctive words
   of the pain point; given the other pain points' centres, half its similarity to the
   nearest of them is taken off, so the sentence says what sets this pain point apart.

Deterministic: the same members, vectors and embedder give the same statement.

Example:
    >>> tidy_sentence("Honestly, so yeah, um, the refund took seven weeks")
    'The refund took seven weeks.'
    >>> reads_as_sentence("Email, chat, phone, phone, phone.")
    False
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from workbench.analysis.passages import split_sentences

__all__ = ["MAX_WORDS", "MIN_WORDS", "painpoint_statement", "reads_as_sentence", "statement_candidates",
           "tidy_sentence"]

#: a statement has at least this many words
MIN_WORDS = 6
#: and at most this many
MAX_WORDS = 20
#: members (most central first) whose sentences are candidates
N_CENTRAL = 12

_FILLER_START = re.compile(
    r"^(?:(?:honestly|frankly|basically|actually|literally|obviously|seriously|anyway|anyways|well|so|and|but|or|"
    r"then|also|plus|yeah|yes|yep|no|oh|ah|um+|uh+|erm|hmm|okay|ok|right|like|look|listen|see|i mean|you know|"
    r"to be honest|tbh|in the end|at the end of the day|the thing is|the problem is that|thing is|of course|"
    r"first of all|because|cause|cos|which|that said|long story short|p\.?s\.?|"
    r"hi|hello|hey|dear [\w\s]{1,30}|good (?:morning|afternoon|evening)|thanks|thank you)\b[\s,.:;!\-–—…]*)+",
    re.IGNORECASE,
)
_GREETING = re.compile(
    r"^\W*(?:hi|hello|hey|hiya|dear|good (?:morning|afternoon|evening)|bonjour|hola)\b[^,.!?\n]{0,30}[,.!]\s*",
    re.IGNORECASE,
)
_FILLER_INSIDE = re.compile(r",?\s*\b(?:um+|uh+|erm|you know|i mean|like)\b,\s*|\s*\b(?:um+|uh+|erm)\b\s*", re.IGNORECASE)
_TAG = re.compile(r"\[[A-Z_]+\]")
_WORD = re.compile(r"[A-Za-z0-9£$€%'’\-]+")
#: where a long sentence is cut, strongest boundary first
_CLAUSE_CUTS = (
    re.compile(r"\s*(?:;|:|—|–| - )\s*"),
    re.compile(r",\s*(?=(?:but|and|so|because|then|which|although|though|while|until|when)\b)"),
    re.compile(r",\s+"),
    re.compile(r"\s+(?=(?:and|but|so|because|then)\s)", re.IGNORECASE),
)
#: words that make a run of words a sentence rather than a list of phrases
_SENTENCE_WORDS = frozenset(
    "i we you he she they it my our your their me us them was were is are am be been had has have did does do "
    "can can't could couldn't would wouldn't will won't should said says told got get took kept went came "
    "made gave asked paid wanted waited tried didn't don't doesn't wasn't weren't isn't aren't never there "
    "this that".split()
)


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def tidy_sentence(text: str) -> str:
    """``text`` without interview fillers or greetings, capitalised and ending with a full stop.

    Example:
        >>> tidy_sentence("and then, um, they charged me twice, you know, for one room...")
        'They charged me twice for one room.'
        >>> tidy_sentence("Hi, the app logs me out every week!")
        'The app logs me out every week!'
    """
    text = re.sub(r"\s+", " ", text.replace("’", "'")).strip().strip("\"“”'")
    text = _FILLER_START.sub("", _GREETING.sub("", text))
    lead_in = re.match(r"^[^:]{3,40}:\s+(?=\S)", text)  # "Adding to my earlier answer: I tried…"
    if lead_in and len(_words(text[lead_in.end():])) >= MIN_WORDS:
        text = _FILLER_START.sub("", text[lead_in.end():])
    text = _FILLER_INSIDE.sub(" ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", re.sub(r"\s{2,}", " ", text)).strip(" ,;:-–—")
    text = re.sub(r"(?:\.{2,}|…)$", "", text).strip(" ,;:-–—")
    if not text:
        return ""
    if text[-1] not in ".!?":
        text += "."
    return text[0].upper() + text[1:]


def reads_as_sentence(text: str) -> bool:
    """Whether ``text`` reads as a plain sentence of ``MIN_WORDS``..``MAX_WORDS`` words.

    Starts with a letter (not the tail of a number cut off), not a question, no redaction tag, no
    list of phrases: at least one word that carries a sentence (a pronoun, an auxiliary or a common
    verb) and fewer commas than a list has.

    Example:
        >>> reads_as_sentence("The refund took seven weeks and nobody called back.")
        True
        >>> reads_as_sentence("Family room, partner hotel.")
        False
        >>> reads_as_sentence("Why is my refund not here yet?")
        False
    """
    words = _words(text)
    if not MIN_WORDS <= len(words) <= MAX_WORDS:
        return False
    if text.rstrip().endswith("?") or _TAG.search(text) or "\n" in text or not text[:1].isalpha():
        return False
    lowered = {w.lower().strip("'") for w in words}
    if not lowered & _SENTENCE_WORDS:
        return False
    return text.count(",") < max(2, len(words) / 5)


def statement_candidates(text: str) -> list[str]:
    """The tidied sentences and clauses of one text that read as a statement.

    Example:
        >>> statement_candidates("Um, so the app crashed twice. Then the code went to my old number, "
        ...                      "so I stood at security with my phone in hand and in the end I had to print "
        ...                      "the pass at a kiosk.")
        ['The code went to my old number.', 'I stood at security with my phone in hand.', 'I had to print the pass at a kiosk.']
    """
    found: list[str] = []
    for start, end in split_sentences(text):
        sentence = text[start:end]
        for part in _clauses(sentence):
            tidy = tidy_sentence(part)
            if reads_as_sentence(tidy) and tidy not in found:
                found.append(tidy)
    return found


def _clauses(sentence: str, level: int = 0) -> list[str]:
    """``sentence`` itself when short enough, else its clauses cut at the strongest boundaries."""
    if len(_words(sentence)) <= MAX_WORDS or level >= len(_CLAUSE_CUTS):
        return [sentence]
    parts = [p for p in _CLAUSE_CUTS[level].split(sentence) if p and p.strip()]
    if len(parts) == 1:
        return _clauses(sentence, level + 1)
    return [clause for part in parts for clause in _clauses(part, level + 1)]


def painpoint_statement(
    member_texts: Sequence[str],
    member_vectors: np.ndarray,
    embedder: Any,
    kind: str = "pain",
    keywords: Sequence[str] = (),
    taken: Iterable[str] = (),
    other_centres: np.ndarray | None = None,
) -> str:
    """The sentence that says what a pain point is about, in its customers' words.

    Args:
        member_texts: the texts of the pain point's units.
        member_vectors: their embeddings (one row each).
        embedder: the analysis' embedder (``encode(list[str]) -> array``), used on candidate
            sentences; pass a :class:`~workbench.analysis.embed.CachedEmbedder` to keep reruns free.
        kind: "pain" prefers sentences with a pain cue, "delight" with praise, others neither.
        keywords: the pain point's distinctive words (a small bonus for sentences using them).
        taken: statements of other pain points (never repeated).
        other_centres: the other pain points' centres (one row each), to prefer what sets this
            one apart; None: centrality alone.

    Returns:
        One sentence of ``MIN_WORDS``..``MAX_WORDS`` words; when no member has one, the tidied
        start of the most central text (shorter texts cannot give more).

    Example:
        >>> from workbench.analysis.embedders import StaticEmbedder
        >>> embedder = StaticEmbedder()
        >>> texts = ["Honestly, the refund took seven weeks and I had to chase it.",
        ...          "Still no refund. Six weeks now, and nobody answers my emails.",
        ...          "My refund took two months to arrive."]
        >>> vectors = embedder.encode(texts)
        >>> painpoint_statement(texts, vectors, embedder, keywords=["refund", "weeks"])
        'My refund took two months to arrive.'
    """
    texts = [t if isinstance(t, str) else "" for t in member_texts]
    if not texts:
        return ""
    vectors = _unit_rows(np.asarray(member_vectors, dtype=np.float64))
    centre = _unit_rows(vectors.mean(axis=0, keepdims=True))[0]
    order = np.argsort(-(vectors @ centre), kind="stable")[:N_CENTRAL]
    taken_lower = {t.lower() for t in taken}
    candidates: list[tuple[str, int]] = []
    seen: set[str] = set()
    for rank, index in enumerate(order):
        for sentence in statement_candidates(texts[index]):
            if sentence.lower() not in seen and sentence.lower() not in taken_lower:
                seen.add(sentence.lower())
                candidates.append((sentence, rank))
    if not candidates:
        return _fallback(texts[int(order[0])])
    sentences = [c[0] for c in candidates]
    sentence_vectors = _unit_rows(np.asarray(embedder.encode(sentences), dtype=np.float64))
    scores = sentence_vectors @ centre
    if other_centres is not None and len(other_centres):
        scores = scores - 0.5 * (sentence_vectors @ _unit_rows(np.asarray(other_centres, dtype=np.float64)).T).max(axis=1)
    scores = scores + _cue_bonus(sentences, kind) + _keyword_bonus(sentences, keywords)
    scores = scores - 0.01 * np.array([c[1] for c in candidates]) / max(len(order), 1)
    return sentences[int(np.argmax(scores))]


def _cue_bonus(sentences: list[str], kind: str) -> np.ndarray:
    """+0.06 for a sentence whose own moment is the pain point's kind (pain or delight)."""
    if kind not in ("pain", "delight"):
        return np.zeros(len(sentences))
    from workbench.analysis.sentiment import classify_moments, score_sentiment

    moments = classify_moments(sentences, score_sentiment(sentences))
    return np.array([0.06 if moment == kind else 0.0 for moment in moments])


def _keyword_bonus(sentences: list[str], keywords: Sequence[str]) -> np.ndarray:
    """Up to +0.04 for using the pain point's distinctive words."""
    stems = {w.lower()[:5] for k in keywords[:6] for w in _words(k) if len(w) > 2}
    if not stems:
        return np.zeros(len(sentences))
    bonus = []
    for sentence in sentences:
        own = {w.lower()[:5] for w in _words(sentence)}
        bonus.append(0.04 * min(1.0, len(own & stems) / 2))
    return np.array(bonus)


def _fallback(text: str) -> str:
    """The tidied first sentence (or first ``MAX_WORDS`` words) of a text with no good sentence."""
    spans = split_sentences(text)
    first = text[spans[0][0] : spans[0][1]] if spans else text
    words = first.split()
    if len(words) > MAX_WORDS:
        first = " ".join(words[:MAX_WORDS])
    return tidy_sentence(_TAG.sub("", first))


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)
