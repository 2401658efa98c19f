"""Keywords of a pain point, and a name built from them: KeyBERT-style keyphrases diversified with MMR.

Step 5 of :mod:`workbench.analysis.painpoints`, in the spirit of BERTopic's
``KeyBERTInspired`` + ``MaximalMarginalRelevance`` but without a second model call: the top
c-TF-IDF candidates of a pain point (:mod:`workbench.analysis.ctfidf`) are scored by the
cosine between the pain point's centre and the mean vector of its units that use the phrase,
then MMR picks diverse keywords (:func:`keyphrases`). This uses only the embeddings passed to
``fit``, so it works offline with any embedder and costs milliseconds. When no phrase is
shared widely enough for :func:`workbench.analysis.labels.phrase_label`, :func:`_make_label`
names the pain point from its keyphrases, as the customers said them.

Example:
    >>> _make_label(["refund", "weeks"], ["refund took weeks", "my refund took weeks", "app crashed"], set())
    'Refund took weeks'
"""
from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from workbench.analysis.cluster_space import _unit_rows
from workbench.analysis.unit_words import _tokens

__all__ = ["keyphrases"]


def keyphrases(
    texts: list[str],
    vectors: np.ndarray,
    labels: np.ndarray,
    order: list[int],
    centres: np.ndarray,
    topic_words: dict[int, list[tuple[str, float]]],
    vectorizer: Any,
    n_keywords: int,
    diversity: float,
) -> list[list[str]]:
    """KeyBERT-style keyphrases of each pain point from its c-TF-IDF candidates, diversified with MMR.

    Pain point ``topic`` (0, 1, ... in ``labels``) was cluster ``order[topic]`` when
    ``topic_words`` (c-TF-IDF words per cluster) were computed by ``vectorizer``; ``vectors``
    are the units' unit-length embeddings and ``centres`` the pain points' centres.
    Returns up to ``n_keywords`` keyphrases per pain point, best first.

    Example:
        >>> from sklearn.feature_extraction.text import CountVectorizer
        >>> texts = ["refund late", "refund slow", "app crash", "app crash again"]
        >>> vectors = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]])
        >>> vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        >>> vectorizer = CountVectorizer().fit(texts)
        >>> words = {0: [("refund", 1.0), ("late", 0.5)], 1: [("crash", 1.0), ("app", 0.9)]}
        >>> keyphrases(texts, vectors, np.array([0, 0, 1, 1]), [0, 1], np.array([[1.0, 0.0], [0.0, 1.0]]),
        ...            words, vectorizer, 2, 0.3)
        [['refund', 'late'], ['crash', 'app']]
    """
    vocabulary = vectorizer.vocabulary_
    presence = vectorizer.transform(texts).tocsc()
    presence.data[:] = 1.0
    result: list[list[str]] = []
    for topic, old in enumerate(order):
        candidates = [w for w, score in topic_words.get(old, []) if w and score > 0 and w in vocabulary]
        members = np.flatnonzero(labels == topic)
        if not candidates:
            result.append([])
            continue
        columns = [vocabulary[w] for w in candidates]
        local = presence[:, columns].tocsr()[members]  # members x candidates
        counts = np.asarray(local.sum(axis=0)).ravel()
        keep = counts > 0
        if not keep.any():
            result.append(candidates[:n_keywords])
            continue
        candidates = [c for c, k in zip(candidates, keep) if k]
        local = local[:, np.flatnonzero(keep)]
        counts = counts[keep]
        phrase_vectors = _unit_rows(np.asarray(local.T @ vectors[members]) / counts[:, None])
        coverage = counts / len(members)
        relevance = (phrase_vectors @ centres[topic]) * np.sqrt(coverage)
        picked = _mmr(relevance, phrase_vectors, n_keywords, diversity)
        result.append([candidates[i] for i in picked])
    return result


def _mmr(relevance: np.ndarray, vectors: np.ndarray, top_n: int, diversity: float) -> list[int]:
    """Maximal marginal relevance: indices of ``top_n`` relevant, mutually different items."""
    chosen = [int(np.argmax(relevance))]
    remaining = [i for i in range(len(relevance)) if i != chosen[0]]
    similarity = vectors @ vectors.T
    while remaining and len(chosen) < top_n:
        redundancy = similarity[np.ix_(remaining, chosen)].max(axis=1)
        score = (1 - diversity) * relevance[remaining] - diversity * redundancy
        pick = remaining[int(np.argmax(score))]
        chosen.append(pick)
        remaining.remove(pick)
    return chosen



def _spans(first: list[str], second: list[str] | None, texts: list[list[str]], max_gap: int = 2) -> Counter[str]:
    """Verbatim spans of tokenised ``texts`` that spell phrase ``first`` (then ``second``), few words between."""
    words = first + (second or [])
    found: Counter[str] = Counter()
    for tokens in texts:
        for start, token in enumerate(tokens):
            if token != words[0]:
                continue
            position, ok = start, True
            for word in words[1:]:
                window = tokens[position + 1 : position + 2 + max_gap]
                if word not in window:
                    ok = False
                    break
                position = position + 1 + window.index(word)
            if ok:
                found[" ".join(tokens[start : position + 1])] += 1
    return found


def _best_span(spans: Counter[str]) -> tuple[str, int] | None:
    """Most frequent span; ties: fewest words, then the one seen first (texts come most central first)."""
    if not spans:
        return None
    order = {span: rank for rank, span in enumerate(spans)}
    span = sorted(spans, key=lambda s: (-spans[s], len(s.split()), order[s]))[0]
    return span, spans[span]


def _same_word(a: str, b: str) -> bool:
    """Crude stemming: "crash", "crashes" and "crashed" count as one word."""
    return a == b or (min(len(a), len(b)) >= 4 and a[:4] == b[:4] and abs(len(a) - len(b)) <= 3)


def _make_label(keywords: list[str], texts: list[str], taken: set[str]) -> str:
    """A short readable name in the customers' words.

    The two best keyphrases as they occur together in the texts ("refund took nine weeks")
    when they do at least twice; else the best keyphrase as customers said it plus the next
    keyword that is not a variant of it ("App crashes, boarding pass"). ``texts`` come most
    central first; labels already ``taken`` get a distinguishing keyword in brackets.
    """
    if not keywords:
        return "Unnamed pain point"
    tokenised = [_tokens(t) for t in texts]
    top = keywords[:4]
    label = None
    best_count = 1
    for i, first in enumerate(top):
        for second in top[i + 1 :]:
            if any(_same_word(a, b) for a in first.split() for b in second.split()):
                continue
            for one, two in ((first, second), (second, first)):
                found = _best_span(_spans(one.split(), two.split(), tokenised))
                if found and found[1] > best_count and len(found[0].split()) <= 6:
                    label, best_count = found[0], found[1]
        if label is not None:
            break
    if label is None:
        head = keywords[0]
        found = _best_span(_spans(head.split(), None, tokenised)) if len(head.split()) > 1 else None
        label = found[0] if found else head
        used = label.split()
        rest = [k for k in keywords[1:] if not any(_same_word(a, b) for a in k.split() for b in used)]
        if len(used) < 3 and rest:
            found = _best_span(_spans(rest[0].split(), None, tokenised)) if len(rest[0].split()) > 1 else None
            label = f"{label}, {found[0] if found else rest[0]}"
    label = label[:1].upper() + label[1:]
    extras = [k for k in keywords if not any(_same_word(a, b) for a in k.split() for b in label.lower().split())]
    while label.lower() in taken and extras:
        label = f"{label} ({extras.pop(0)})"
    return label
