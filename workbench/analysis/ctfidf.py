"""Keyword candidates of pain points: class-based TF-IDF, as BERTopic computes it, without BERTopic.

Step 4 of :mod:`workbench.analysis.painpoints`: BERTopic's
``ClassTfidfTransformer(reduce_frequent_words=True)`` over a ``CountVectorizer`` with English
stop words plus interview fillers (:data:`~workbench.analysis.unit_words.FILLER_WORDS`) and
1-2-grams (:func:`keyword_vectorizer`). Redaction tags (``[EMAIL]``, ``[BOOKING_REF]`` ...)
are removed before counting; the words "email", "card" and "phone" themselves are kept
because customers use them ("card charged twice", "no confirmation email").

Example:
    >>> vectorizer = keyword_vectorizer({"stop_words": [], "ngram_range": (1, 1)})
    >>> words, _ = class_tfidf_words(["refund late", "refund", "um app crash", "app"], [0, 0, 1, 1], vectorizer, 1)
    >>> [w for w, _ in words[0]], [w for w, _ in words[1]]
    (['late'], ['crash'])
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from workbench.analysis.unit_words import _TOKEN_PATTERN, FILLER_WORDS, prepare_for_keywords

__all__ = ["class_tfidf_words", "keyword_vectorizer"]


def keyword_vectorizer(settings: dict[str, Any]) -> Any:
    """The ``CountVectorizer`` keywords are counted with, for resolved ``settings``.

    English stop words, :data:`~workbench.analysis.unit_words.FILLER_WORDS` and the study's
    ``settings["stop_words"]`` are left out; ``settings["ngram_range"]`` sets the n-grams.

    Example:
        >>> vectorizer = keyword_vectorizer({"stop_words": ["skylark"], "ngram_range": (1, 2)})
        >>> vectorizer.fit(["Um the Skylark app crashed [EMAIL] again"]).get_feature_names_out().tolist()
        ['app', 'app crashed', 'crashed']
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

    stop_words = sorted(set(ENGLISH_STOP_WORDS) | FILLER_WORDS | set(settings["stop_words"]))
    return CountVectorizer(
        preprocessor=prepare_for_keywords,
        token_pattern=_TOKEN_PATTERN,
        stop_words=stop_words,
        ngram_range=settings["ngram_range"],
    )


def _clean_for_ctfidf(text: str) -> str:
    """The text as c-TF-IDF counts it: line breaks to spaces, only ASCII letters, digits and spaces."""
    cleaned = re.sub(r"[^A-Za-z0-9 ]+", "", text.replace("\n", " ").replace("\t", " "))
    return cleaned or "emptydoc"


def class_tfidf_words(
    docs: Sequence[str], labels: Sequence[int] | np.ndarray, vectorizer: Any, top_n: int
) -> tuple[dict[int, list[tuple[str, float]]], Any]:
    """Top ``top_n`` words of each cluster by class-based TF-IDF, and the fitted ``vectorizer``.

    BERTopic's c-TF-IDF with ``reduce_frequent_words=True``, computed here so that fitting
    needs no BERTopic import: the units of each cluster (Other included) are joined into
    one document, cleaned to ASCII letters and digits, counted by ``vectorizer`` (fitted on
    those documents), each row L1-normalised and square-rooted, and weighted by
    ``log(1 + mean words per cluster / word frequency)``. Words come best first, as
    ``(word, score)`` with a positive score; ties are broken as BERTopic breaks them.

    Example:
        >>> from sklearn.feature_extraction.text import CountVectorizer
        >>> docs = ["refund late", "refund", "app crash", "app"]
        >>> words, _ = class_tfidf_words(docs, [0, 0, 1, 1], CountVectorizer(), 2)
        >>> [w for w, _ in words[0]], [w for w, _ in words[1]]
        (['late', 'refund'], ['crash', 'app'])
    """
    from sklearn.preprocessing import normalize

    frame = pd.DataFrame({"doc": list(docs), "topic": np.asarray(labels, dtype=int)})
    per_topic = frame.groupby(["topic"], as_index=False).agg({"doc": " ".join})
    counts = vectorizer.fit_transform([_clean_for_ctfidf(doc) for doc in per_topic["doc"]])
    words = vectorizer.get_feature_names_out()
    frequency = np.squeeze(np.asarray(counts.sum(axis=0)))
    mean_words = int(counts.sum(axis=1).mean())
    idf = np.log((mean_words / frequency) + 1)
    weights = normalize(counts, axis=1, norm="l1", copy=False)
    weights.data = np.sqrt(weights.data)
    weights = (weights @ _diagonal(idf)).tocsr()
    result: dict[int, list[tuple[str, float]]] = {}
    for row, topic in enumerate(per_topic["topic"].tolist()):
        low, high = weights.indptr[row], weights.indptr[row + 1]
        n_pick = min(top_n, high - low)
        best = low + np.argpartition(weights.data[low:high], -n_pick)[-n_pick:] if n_pick else np.zeros(0, dtype=int)
        # padded to top_n with zeros, as BERTopic sorts them (the sort's tie order depends on it)
        scores = np.concatenate([weights.data[best], np.zeros(top_n - len(best))])
        padded = weights.indices[best].tolist() + [None] * (top_n - len(best))
        order = np.argsort(scores)[::-1]
        result[int(topic)] = [(str(words[padded[i]]), float(scores[i])) for i in order if padded[i] is not None and scores[i] > 0]
    return result, vectorizer


def _diagonal(values: np.ndarray) -> Any:
    from scipy import sparse

    return sparse.diags(values, offsets=0, shape=(len(values), len(values)), format="csr", dtype=np.float64)
