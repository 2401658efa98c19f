"""Pain points: a BERTopic-style topic model tuned for customer stories.

:class:`PainPointModel` groups analysis units (passages of interview answers, feedback
items) into pain points. It is BERTopic's pipeline (UMAP, HDBSCAN, c-TF-IDF) with settings
for customer stories, run on ``umap``/``hdbscan`` directly (importing ``bertopic`` costs
about 10 s; :attr:`PainPointModel.bertopic_model_` builds BERTopic's view on demand):

0. **Meaning plus words.** Each unit is clustered on its embedding joined with a small
   lexical part: TF-IDF of its words (sublinear, words in two or more units, redaction tags
   removed) reduced by LSA to at most 100 dimensions (:func:`word_vectors`). Both parts are
   unit length and weighted so the cosine between two units is
   ``(1 - word_weight) * embedding cosine + word_weight * word cosine`` (``word_weight=0.2``).
   Sentence embeddings put requests that *mean* nearly the same close together even when
   customers name different things ("what is on my shopping list" vs "add eggs to my
   shopping list", "freeze my account" vs "why is my account blocked"); the shared words
   tell those pain points apart, and tie together units that name the same product or
   step. A fifth of the similarity is enough for that without letting one shared word
   outvote the meaning: on CLINC150 (4,500 requests, 150 intents) it raises NMI from 0.911
   to 0.922 and ARI from 0.731 to 0.767, on the sample study (670 units, 13 themes) from
   0.49 to 0.57 NMI and 0.33 to 0.44 ARI (mean of seeds 42, 1, 7); 0.1 gains about half of
   that, 0.25 and more start to lose on CLINC, and stop-word removal hurts (short requests
   differ by words like "time", "name" or "show"). ``word_weight=0`` clusters the
   embeddings alone.
1. **UMAP** (cosine, ``min_dist=0``, 5 components, ``random_state`` honoured) on those
   vectors, with ``n_neighbors`` and epochs scaled to the corpus size.
2. **HDBSCAN** with ``min_cluster_size`` / ``min_samples`` and the cluster selection
   method scaled to the corpus size (:func:`auto_settings`): a 20-interview study of a few hundred
   units gets fine-grained pain points, a large feedback export is not split into crumbs.
3. **Centroid refinement** in the full (not UMAP-reduced) space of step 0: every unit
   moves to the pain point whose centre (mean vector) is most similar, a few rounds, like spherical
   k-means started from the HDBSCAN clusters. This repairs UMAP boundary errors and
   gives HDBSCAN's outliers a home. A unit less similar than ``min_similarity`` to every
   centre stays in the explicit **Other** bucket (label ``-1``), but Other is capped at
   ``max_other_share`` of all units: beyond it, the most similar outliers are assigned.
   Units with no letters, or fewer than ``min_words`` words ("ok", "[PHONE]"), always go
   to Other.
4. **c-TF-IDF** (as BERTopic's ``ClassTfidfTransformer(reduce_frequent_words=True)``, :func:`class_tfidf_words`) over a
   ``CountVectorizer`` with English stop words plus interview fillers (:data:`FILLER_WORDS`)
   and 1–2-grams. Redaction tags (``[EMAIL]``, ``[BOOKING_REF]`` …) are removed before
   counting; the words "email", "card" and "phone" themselves are kept because customers
   use them ("card charged twice", "no confirmation email").
5. **Keyphrases** in the spirit of BERTopic's ``KeyBERTInspired`` + ``MaximalMarginalRelevance``,
   but without a second model call: the top c-TF-IDF candidates of a pain point are scored
   by the cosine between the pain point's centre and the mean vector of its units that use
   the phrase, then MMR picks diverse keywords. This uses only the embeddings passed to
   :meth:`PainPointModel.fit`, so it works offline with any embedder and costs milliseconds.
6. **Labels** a researcher can read: the phrase customers in the pain point said most and
   others said least (:func:`workbench.labels.phrase_label`, e.g. "No confirmation, no
   booking" or "Minutes on hold"); when no phrase is shared widely enough, the best keyphrase
   as the customers said it, completed by a second keyword when short.

Why these settings: UMAP's and HDBSCAN's settings are a plateau. On CLINC150, UMAP with 10
or 30 neighbours, 10 components or 500 epochs, and HDBSCAN with ``min_cluster_size`` 8 to 20,
``min_samples`` 2 to 8, "leaf" or "eom", all land within 0.01 NMI of each other once refined,
because the errors that remain are near-synonymous intents that the embedding itself puts
together (a pain point that holds two intents, in the same place for every seed). Neither
splitting nor merging clusters by their embedding statistics finds those reliably (split
candidates look like any other cluster in embedding space); what separates them is the
words, hence step 0. Centres, probabilities, ``topic_embeddings_`` and keywords stay in
the embedding space.

**Large corpora.** Above :data:`LARGE_CORPUS_THRESHOLD` (20,000) usable units, ``fit`` clusters
a sample and assigns the rest (the large-corpus mode, chosen automatically;
``large_corpus_threshold=None`` turns it off): a stratified sample of ``sample_size`` (10,000)
units (:func:`stratified_sample`: k-means regions of the embeddings, seats in proportion,
seeded) goes through steps 0-3 with settings sized for the sample; then every other unit
gets its vector (embedding + the sample's word model) and centroid refinement runs over
*all* units from the sample's pain points, with the Other cap over all units. Measured on
50,000 labelled CLINC150-based feedback items with static embeddings
(``benchmarks/results/scale.md``): NMI 0.567 against 0.589 for clustering every unit (gap
0.022; ARI 0.292 against 0.269), 199 pain points against 490, and a fit of 32 s instead of
253 s with 1.5 GB instead of 2.8 GB; on 30,000 items NMI 0.575 against 0.593. The cost: a
theme with fewer than about ``min_cluster_size`` units in the sample (about 0.2 % of the
corpus) cannot become a pain point of its own; its units join the nearest one. Up to :data:`EXACT_KNN_LIMIT` units UMAP
gets exact cosine neighbours from blocked matrix products (:func:`exact_cosine_neighbours`),
and numba's file cache is switched on for UMAP's functions, which umap-learn compiles in
every new process otherwise (about 40 s before the first fit, on two busy cores).

Pain points are numbered by size (0 = largest; ties by first unit). The same texts,
embeddings and ``random_state`` give identical pain points (UMAP then runs single-threaded).

``import workbench.painpoints`` is cheap: umap, hdbscan and scikit-learn are imported inside
:meth:`PainPointModel.fit`, bertopic only by :attr:`PainPointModel.bertopic_model_`. Given
a cache (``fit(texts, vectors, cache=EmbeddingCache(...))``), a fit on identical texts,
vectors, parameters and seed reads its result back (and imports none of them).

Example:
    >>> model = PainPointModel(random_state=42)  # doctest: +SKIP
    >>> model.fit(texts, embeddings)  # doctest: +SKIP
    >>> model.topics_[["topic_id", "label", "size"]].head(3)  # doctest: +SKIP
"""
from __future__ import annotations

import hashlib
import inspect
import io
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import WorkbenchError
from workbench.labels import phrase_document_counts, phrase_label

#: texts sampled for the phrase statistics behind labels (the most central members: a tenth of it)
LABEL_SAMPLE = 20_000

#: Above this many usable units :meth:`PainPointModel.fit` switches to the large-corpus mode:
#: it fits on a stratified sample and assigns the rest (see the module docstring).
LARGE_CORPUS_THRESHOLD = 20_000
#: Units in the sample the large-corpus mode fits on.
LARGE_CORPUS_SAMPLE = 10_000
#: Up to this many units UMAP gets exact cosine neighbours (blocked matrix products) instead
#: of pynndescent's approximate ones: as fast here and no numba compilation of NN-descent.
EXACT_KNN_LIMIT = 30_000

__all__ = [
    "class_tfidf_words",
    "FILLER_WORDS",
    "LARGE_CORPUS_SAMPLE",
    "LARGE_CORPUS_THRESHOLD",
    "OTHER",
    "PainPointModel",
    "auto_settings",
    "exact_cosine_neighbours",
    "is_usable_text",
    "stratified_sample",
    "word_vectors",
]

#: label of the explicit Other bucket in ``labels_``
OTHER = -1

#: Fewest units with words that :meth:`PainPointModel.fit` accepts.
MIN_UNITS = 10

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

#: Redaction tags written by ``workbench.privacy`` (and similar ``[UPPER_CASE]`` tags).
_TAG_RE = re.compile(r"\[[A-Z][A-Z_]*\]")
#: Words for keywords: two or more letters, no digits (drops P07, SKY-4QZ81M, amounts).
_TOKEN_PATTERN = r"(?u)\b[^\W\d_]{2,}\b"
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_LETTER_RE = re.compile(r"[^\W\d_]", re.UNICODE)

_AUTO = "auto"


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


def auto_settings(n_units: int) -> dict[str, Any]:
    """The UMAP / HDBSCAN settings ``"auto"`` picks for a corpus of ``n_units`` units.

    ``min_cluster_size`` grows with the square root of small corpora (8 for 120 units, 15
    for a 670-unit interview study: about 2 % of the units) and with the logarithm of large
    ones (15 for 4,500 feedback items, 19 for 50,000), so a small study gets a dozen pain
    points and a large export is not cut into crumbs;
    ``min_samples`` is a third of it (fewer outliers than HDBSCAN's default of
    ``min_cluster_size``); ``n_neighbors`` is UMAP's 15, less for tiny corpora;
    ``n_epochs`` is 500 up to 2,000 units and 200 above (UMAP's own rule switches at
    10,000; 200 epochs give the same pain points here in half the time); HDBSCAN's
    ``cluster_selection_method`` is "eom" below 1,000 units (keeps a small study's themes
    whole) and "leaf" above (stops eom from lumping many themes into a few giant topics).
    These are principled functions of the corpus size only, never of an expected number of
    pain points; around them results are flat (see the module docstring), so they favour
    speed and a small study's readability. ``word_dimensions`` is the LSA size of the word
    part of each unit's vector (:func:`word_vectors`): 100, the classic LSA choice, fewer
    for corpora of fewer than 101 units.

    Example:
        >>> auto_settings(600)
        {'min_cluster_size': 15, 'min_samples': 5, 'n_neighbors': 15, 'n_epochs': 500, 'cluster_selection_method': 'eom', 'word_dimensions': 100}
        >>> {k: auto_settings(4500)[k] for k in ("min_cluster_size", "cluster_selection_method", "n_epochs")}
        {'min_cluster_size': 15, 'cluster_selection_method': 'leaf', 'n_epochs': 200}
        >>> auto_settings(40)["word_dimensions"]
        39
    """
    n = max(int(n_units), 2)
    grows_fast = min(15, round(0.6 * math.sqrt(n)))  # small studies: a few % of the units
    grows_slow = round(4 * math.log10(n))  # large exports: slowly, so they are not cut into crumbs
    min_cluster_size = int(min(max(grows_fast, grows_slow, 3), 40))
    min_cluster_size = min(min_cluster_size, max(2, n // 3))
    return {
        "min_cluster_size": min_cluster_size,
        "min_samples": max(2, round(min_cluster_size / 3)),
        "n_neighbors": int(min(15, max(2, n // 4))),
        "n_epochs": 500 if n <= 2000 else 200,
        "cluster_selection_method": "eom" if n < 1000 else "leaf",
        "word_dimensions": int(min(100, n - 1)),
    }


class PainPointModel:
    """Find pain points in customer stories: BERTopic tuned for interviews and feedback.

    Parameters are stored untouched; :meth:`fit` checks them. See the module docstring for
    the pipeline.

    Args:
        min_cluster_size: smallest pain point HDBSCAN may form, or "auto" (:func:`auto_settings`).
        min_samples: HDBSCAN ``min_samples`` (lower: fewer outliers), or "auto".
        n_neighbors: UMAP neighbourhood, or "auto".
        n_components: UMAP output dimensions.
        n_epochs: UMAP optimisation epochs, or "auto".
        cluster_selection_method: HDBSCAN "leaf" (the finest clusters), "eom" (BERTopic's), or
            "auto": "eom" below 1,000 units (keeps a small study's themes whole), "leaf" from
            1,000 (stops eom from lumping many themes of a large export into a few giants).
        refine_iterations: rounds of centroid refinement (0: keep HDBSCAN's clusters as they are).
        min_similarity: cosine similarity to a pain point's centre below which a unit is Other.
        max_other_share: most units (share of all) left in Other; 0.05 = 5 %.
        n_keywords: keywords kept per pain point.
        n_representatives: representative units kept per pain point.
        stop_words: extra words to leave out of keywords (the study's product names…).
        ngram_range: word n-grams for keywords.
        min_words: units with fewer words go to Other.
        diversity: MMR diversity of keywords (0: most relevant only, 1: most diverse).
        word_weight: share of the similarity between units that comes from the words they
            share (step 0 of the module docstring), 0 to 0.9; 0 clusters the embeddings alone.
        random_state: seed of UMAP; the same input and seed give the same pain points.
        large_corpus_threshold: above this many usable units, fit on a stratified sample of
            ``sample_size`` units and assign the rest to the nearest pain point (the
            large-corpus mode of the module docstring); ``None`` always fits every unit.
        sample_size: units in the sample of the large-corpus mode.

    Attributes (after ``fit``):
        labels_: pain point of each unit (``-1`` = Other), numpy int array.
        probabilities_: per unit, cosine similarity of its embedding to its pain point's
            centre clipped to [0, 1]; 0 for Other.
        topics_: one row per pain point: ``topic_id``, ``label``, ``keywords``, ``size``,
            ``representative_indices`` (unit indices, most central first).
        topic_embeddings_: unit-length centre of each pain point in the embedding space,
            row ``i`` = ``topic_id`` i.
        settings_: the settings used after resolving "auto"; ``settings_["large_corpus"]`` is
            None, or ``{"n_units": ..., "sample_size": ...}`` when the large-corpus mode ran.
        from_cache_: whether ``fit`` read its result from the cache instead of fitting.
        sample_indices_: unit indices the clustering was fitted on (every usable unit, or
            the stratified sample of the large-corpus mode).
        bertopic_model_: a ``BERTopic`` object holding these pain points, built on first
            access (its topic ids differ: see ``bertopic_topic_ids_``), for BERTopic's own
            plots. It is given the joined embedding-and-words vectors, so its own
            ``topic_embeddings_`` have ``word_dimensions`` more columns than the embeddings.

    Example:
        >>> model = PainPointModel(min_cluster_size="auto", random_state=7)
        >>> model.get_params()["random_state"]
        7
        >>> model.fit(["too short"] * 3, np.ones((3, 4)))
        Traceback (most recent call last):
        ...
        workbench.errors.WorkbenchError: PainPointModel.fit: only 3 of 3 units have words to cluster; at least 10 are needed ...
    """

    def __init__(
        self,
        min_cluster_size: int | str = _AUTO,
        min_samples: int | str = _AUTO,
        n_neighbors: int | str = _AUTO,
        n_components: int = 5,
        n_epochs: int | str = _AUTO,
        cluster_selection_method: str = _AUTO,
        refine_iterations: int = 10,
        min_similarity: float = 0.3,
        max_other_share: float = 0.05,
        n_keywords: int = 10,
        n_representatives: int = 5,
        stop_words: Sequence[str] | None = None,
        ngram_range: tuple[int, int] = (1, 2),
        min_words: int = 2,
        diversity: float = 0.3,
        word_weight: float = 0.2,
        random_state: int | None = 42,
        large_corpus_threshold: int | None = LARGE_CORPUS_THRESHOLD,
        sample_size: int = LARGE_CORPUS_SAMPLE,
    ) -> None:
        self.min_cluster_size = min_cluster_size
        self.min_samples = min_samples
        self.n_neighbors = n_neighbors
        self.n_components = n_components
        self.n_epochs = n_epochs
        self.cluster_selection_method = cluster_selection_method
        self.refine_iterations = refine_iterations
        self.min_similarity = min_similarity
        self.max_other_share = max_other_share
        self.n_keywords = n_keywords
        self.n_representatives = n_representatives
        self.stop_words = stop_words
        self.ngram_range = ngram_range
        self.min_words = min_words
        self.diversity = diversity
        self.word_weight = word_weight
        self.random_state = random_state
        self.large_corpus_threshold = large_corpus_threshold
        self.sample_size = sample_size

    # ------------------------------------------------------------------ sklearn-style plumbing

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The parameters, as given to ``__init__``.

        Example:
            >>> PainPointModel(n_keywords=5).get_params()["n_keywords"]
            5
        """
        names = [p for p in inspect.signature(type(self).__init__).parameters if p != "self"]
        return {name: getattr(self, name) for name in names}

    def set_params(self, **params: Any) -> PainPointModel:
        """Change parameters; unknown names raise ``WorkbenchError``.

        Example:
            >>> PainPointModel().set_params(max_other_share=0.1).max_other_share
            0.1
        """
        valid = self.get_params()
        for name, value in params.items():
            if name not in valid:
                raise WorkbenchError(f"PainPointModel has no parameter {name!r}; valid: {', '.join(valid)}")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = PainPointModel().get_params()
        changed = {k: v for k, v in self.get_params().items() if v != defaults.get(k)}
        return f"PainPointModel({', '.join(f'{k}={v!r}' for k, v in changed.items())})"

    # ------------------------------------------------------------------ validation

    def _sample_size_for(self, n_usable: int) -> int | None:
        """Units to fit on in the large-corpus mode, or None when every unit is fitted."""
        threshold, size = self.large_corpus_threshold, self.sample_size
        if threshold is not None and (
            isinstance(threshold, bool) or not isinstance(threshold, (int, np.integer)) or threshold < MIN_UNITS
        ):
            raise WorkbenchError(
                f"PainPointModel: large_corpus_threshold={threshold!r}; pass an integer >= {MIN_UNITS} "
                f"(default {LARGE_CORPUS_THRESHOLD}) or None to always fit every unit"
            )
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < MIN_UNITS:
            raise WorkbenchError(
                f"PainPointModel: sample_size={size!r}; pass an integer >= {MIN_UNITS} (default {LARGE_CORPUS_SAMPLE})"
            )
        if threshold is None or n_usable <= threshold or n_usable <= size:
            return None
        return int(size)

    def _validated_settings(self, n_usable: int) -> dict[str, Any]:
        auto = auto_settings(n_usable)

        def integer(name: str, low: int, allow_auto: bool) -> int:
            value = getattr(self, name)
            if allow_auto and value == _AUTO:
                return auto[name]
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
                hint = ' or "auto"' if allow_auto else ""
                raise WorkbenchError(f"PainPointModel: {name}={value!r}; pass an integer >= {low}{hint}")
            return int(value)

        def share(name: str, low: float, high: float) -> float:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
                raise WorkbenchError(f"PainPointModel: {name}={value!r}; pass a number from {low} to {high}")
            return float(value)

        settings: dict[str, Any] = {
            "min_cluster_size": integer("min_cluster_size", 2, True),
            "min_samples": integer("min_samples", 1, True),
            "n_neighbors": integer("n_neighbors", 2, True),
            "n_epochs": integer("n_epochs", 10, True),
            "n_components": integer("n_components", 2, False),
            "refine_iterations": integer("refine_iterations", 0, False),
            "n_keywords": integer("n_keywords", 1, False),
            "n_representatives": integer("n_representatives", 1, False),
            "min_words": integer("min_words", 1, False),
            "min_similarity": share("min_similarity", -1.0, 1.0),
            "max_other_share": share("max_other_share", 0.0, 1.0),
            "diversity": share("diversity", 0.0, 1.0),
            "word_weight": share("word_weight", 0.0, 0.9),
            "word_dimensions": auto["word_dimensions"],
        }
        if self.cluster_selection_method not in ("leaf", "eom", _AUTO):
            raise WorkbenchError(
                f"PainPointModel: cluster_selection_method={self.cluster_selection_method!r}; "
                'pass "auto", "leaf" or "eom"'
            )
        settings["cluster_selection_method"] = (
            auto["cluster_selection_method"] if self.cluster_selection_method == _AUTO else self.cluster_selection_method
        )
        ngram = self.ngram_range
        if (
            not isinstance(ngram, (tuple, list)) or len(ngram) != 2
            or not all(isinstance(v, int) and v >= 1 for v in ngram) or ngram[0] > ngram[1]
        ):
            raise WorkbenchError(f"PainPointModel: ngram_range={ngram!r}; pass two integers like (1, 2)")
        settings["ngram_range"] = (int(ngram[0]), int(ngram[1]))
        extra = self.stop_words
        if extra is None:
            extra = []
        if isinstance(extra, str) or not all(isinstance(w, str) for w in extra):
            raise WorkbenchError(f"PainPointModel: stop_words={extra!r}; pass a list of words such as ['skylark']")
        settings["stop_words"] = sorted({w.lower() for w in extra})
        if self.random_state is not None and (
            isinstance(self.random_state, bool) or not isinstance(self.random_state, (int, np.integer))
        ):
            raise WorkbenchError(f"PainPointModel: random_state={self.random_state!r}; pass an integer such as 42")
        settings["random_state"] = None if self.random_state is None else int(self.random_state)
        # UMAP and HDBSCAN cannot look further than the corpus.
        settings["n_neighbors"] = min(settings["n_neighbors"], n_usable - 1)
        settings["n_components"] = min(settings["n_components"], n_usable - 2)
        settings["min_cluster_size"] = min(settings["min_cluster_size"], n_usable)
        settings["min_samples"] = min(settings["min_samples"], settings["min_cluster_size"])
        return settings

    @staticmethod
    def _check_input(texts: Sequence[str], embeddings: np.ndarray, where: str) -> tuple[list[str], np.ndarray]:
        if isinstance(texts, str) or not isinstance(texts, Sequence) and not hasattr(texts, "__iter__"):
            raise WorkbenchError(f"{where}: texts must be a list of strings, got {type(texts).__name__}")
        texts = list(texts)
        for position, text in enumerate(texts):
            if not isinstance(text, str):
                raise WorkbenchError(
                    f"{where}: text {position} is {type(text).__name__}, not a string; "
                    "replace missing texts with '' (they go to Other)"
                )
        vectors = np.asarray(embeddings, dtype=np.float64)
        if vectors.ndim != 2 or vectors.shape[0] != len(texts):
            raise WorkbenchError(
                f"{where}: embeddings have shape {vectors.shape} but there are {len(texts)} texts; "
                "pass one embedding row per text (workbench.embed.embed_texts(texts, embedder))"
            )
        if not np.isfinite(vectors).all():
            row = int(np.flatnonzero(~np.isfinite(vectors).all(axis=1))[0])
            raise WorkbenchError(f"{where}: embedding row {row} has NaN or infinite values; re-embed that text")
        return texts, _unit_rows(vectors)

    # ------------------------------------------------------------------ fit

    def fit(self, texts: Sequence[str], embeddings: np.ndarray, cache: Any = None) -> PainPointModel:
        """Find the pain points of ``texts`` (one embedding row per text).

        Args:
            texts: the units' texts.
            embeddings: one row per text (any embedder; rows are scaled to unit length).
            cache: optional :class:`workbench.embed.EmbeddingCache`: the fitted result is
                stored under a hash of the texts, embeddings, parameters, ``random_state``
                and the versions of this code and of UMAP/HDBSCAN/scikit-learn, and a later
                fit on identical input reads it back instead of fitting again (same labels,
                probabilities and topics).

        Raises:
            WorkbenchError: fewer than 10 units have words (a pain point needs several
                voices; code such a small set by hand), embeddings do not match the texts,
                or a parameter is invalid.

        Example:
            >>> from workbench.embed import embed_texts, get_embedder  # doctest: +SKIP
            >>> vectors = embed_texts(texts, get_embedder("minilm"))  # doctest: +SKIP
            >>> model = PainPointModel(random_state=42).fit(texts, vectors)  # doctest: +SKIP
            >>> model.topics_.loc[0, "label"]  # doctest: +SKIP
            'Refund takes weeks'
        """
        texts, vectors = self._check_input(texts, embeddings, "PainPointModel.fit")
        min_words = self.min_words if isinstance(self.min_words, int) and self.min_words >= 1 else 2
        usable = np.array([is_usable_text(t, min_words) for t in texts], dtype=bool)
        n_usable = int(usable.sum())
        if n_usable < MIN_UNITS:
            raise WorkbenchError(
                f"PainPointModel.fit: only {n_usable} of {len(texts)} units have words to cluster; "
                f"at least {MIN_UNITS} are needed to find pain points. Add more interviews or feedback, "
                "or code a set this small by hand"
            )
        sample_size = self._sample_size_for(n_usable)
        # UMAP and HDBSCAN see only the sample in the large-corpus mode: size their settings by it.
        settings = self._validated_settings(sample_size or n_usable)

        result_key = None
        if cache is not None:
            if not (hasattr(cache, "get_result") and hasattr(cache, "put_result")):
                raise WorkbenchError(
                    f"PainPointModel.fit: cache={cache!r} is not a cache; pass "
                    "workbench.embed.EmbeddingCache(path) or None"
                )
            result_key = self._result_key(texts, vectors, settings)
            stored = cache.get_result(RESULT_KIND, result_key)
            if stored is not None and self._restore(stored, texts, vectors, usable, settings):
                self.from_cache_ = True
                return self

        from hdbscan import HDBSCAN
        from umap import UMAP

        _cache_umap_compilation()
        usable_rows = np.flatnonzero(usable)
        if sample_size is None:
            rows = usable_rows
        else:
            rows = usable_rows[stratified_sample(vectors[usable_rows], sample_size, settings["random_state"] or 0)]
        docs = [texts[i] for i in rows]
        unit_vectors = vectors[rows]
        n_total = len(texts)
        # Other may hold this many usable units on top of the unusable ones.
        other_budget = max(int(math.floor(settings["max_other_share"] * n_total)) - (n_total - n_usable), 0)
        # The sample's own refinement gets its share of that budget.
        fit_budget = other_budget if sample_size is None else int(other_budget * len(rows) / n_usable)

        # Step 0: embedding joined with the words' LSA vector (the embedding alone if word_weight is 0).
        self._word_model = self._fit_word_model(docs, settings)
        cluster_vectors = self._joined(docs, unit_vectors, settings)

        precomputed_knn: tuple[Any, Any, Any] = (None, None, None)
        if 4096 <= len(docs) <= EXACT_KNN_LIMIT:  # below 4096 UMAP computes exact neighbours itself
            indices, distances = exact_cosine_neighbours(cluster_vectors, settings["n_neighbors"])
            precomputed_knn = (indices, distances, None)
        umap_model = UMAP(
            n_neighbors=settings["n_neighbors"],
            n_components=settings["n_components"],
            min_dist=0.0,
            metric="cosine",
            n_epochs=settings["n_epochs"],
            random_state=settings["random_state"],
            init="spectral" if n_usable > 50 else "random",
            n_jobs=1 if settings["random_state"] is not None else -1,
            precomputed_knn=precomputed_knn,
        )
        cluster_model = _RefinedClusters(
            HDBSCAN(
                min_cluster_size=settings["min_cluster_size"],
                min_samples=settings["min_samples"],
                cluster_selection_method=settings["cluster_selection_method"],
                metric="euclidean",
                prediction_data=False,
            ),
            unit_vectors=cluster_vectors,
            iterations=settings["refine_iterations"],
            min_similarity=settings["min_similarity"],
            other_budget=fit_budget,
        )
        import warnings

        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*n_jobs value.*")  # UMAP: seeded runs are single-threaded
            warnings.filterwarnings("ignore", message=".*n_neighbors is larger than the dataset.*")
            warnings.filterwarnings("ignore", message=".*knn_search_index.*")  # exact neighbours: no index
            reduced = np.nan_to_num(umap_model.fit_transform(cluster_vectors))
            cluster_model.fit(reduced)
        # Topic ids by frequency (as BERTopic numbers them), then c-TF-IDF over the fitted units.
        fitted_labels = _number_by_frequency(cluster_model.labels_)
        self._topic_words, self._keyword_vectorizer = class_tfidf_words(
            docs, fitted_labels, self._vectorizer(settings), max(30, settings["n_keywords"] * 3)
        )

        all_cluster_vectors = np.zeros((len(texts), cluster_vectors.shape[1]))
        all_cluster_vectors[rows] = cluster_vectors
        if sample_size is None:
            usable_labels = fitted_labels
        else:
            usable_labels = self._assign_the_rest(
                texts, vectors, usable_rows, rows, fitted_labels, all_cluster_vectors, settings, other_budget
            )
        settings["large_corpus"] = None if sample_size is None else {"n_units": n_usable, "sample_size": len(rows)}
        self.settings_ = settings
        self.sample_indices_ = rows
        self.texts_ = texts
        self._usable = usable
        self._vectors = vectors
        self._cluster_vectors = all_cluster_vectors
        self._usable_labels = usable_labels
        self._bertopic = None
        self.from_cache_ = False
        self._describe(usable_labels)
        if result_key is not None:
            cache.put_result(RESULT_KIND, result_key, self._stored_result())
        return self

    # ------------------------------------------------------------------ result cache

    def _result_key(self, texts: list[str], vectors: np.ndarray, settings: dict[str, Any]) -> str:
        """SHA-256 of everything a fit depends on: code, library versions, parameters, texts, vectors."""
        digest = hashlib.sha256(RESULT_KIND.encode())
        digest.update(_code_version().encode())
        digest.update(repr(sorted(self.get_params().items())).encode())
        digest.update(repr(sorted(settings.items())).encode())
        for text in texts:
            encoded = text.encode("utf-8", "surrogatepass")
            digest.update(len(encoded).to_bytes(8, "little"))
            digest.update(encoded)
        digest.update(repr(vectors.shape).encode())
        digest.update(np.ascontiguousarray(vectors, dtype="<f8").tobytes())
        return digest.hexdigest()

    def _stored_result(self) -> bytes:
        """The fitted state as an ``.npz`` (plain arrays and JSON: no pickle)."""
        topics = self.topics_.to_dict(orient="list")
        buffer = io.BytesIO()
        np.savez(
            buffer,
            labels=self.labels_.astype(np.int64),
            probabilities=self.probabilities_.astype(np.float64),
            topic_embeddings=self.topic_embeddings_.astype(np.float32),
            sample_indices=np.asarray(self.sample_indices_, dtype=np.int64),
            usable_labels=np.asarray(self._usable_labels, dtype=np.int64),
            topic_ids=np.array(sorted(self._raw_topic_ids.items()), dtype=np.int64).reshape(-1, 2),
            topics=np.frombuffer(json.dumps(topics).encode(), dtype=np.uint8),
        )
        return buffer.getvalue()

    def _restore(
        self, stored: bytes, texts: list[str], vectors: np.ndarray, usable: np.ndarray, settings: dict[str, Any]
    ) -> bool:
        """Set the fitted state from :meth:`_stored_result`; False (fit again) if it does not fit the input."""
        try:
            with np.load(io.BytesIO(stored), allow_pickle=False) as arrays:
                parts = {name: arrays[name] for name in arrays.files}
            topics = pd.DataFrame(json.loads(parts["topics"].tobytes().decode()))
            topics = topics.reindex(columns=["topic_id", "label", "keywords", "size", "representative_indices"])
        except Exception:  # a damaged entry is a miss
            return False
        labels = parts["labels"]
        if len(labels) != len(texts) or len(parts["usable_labels"]) != int(usable.sum()):
            return False
        if topics.empty:
            topics = topics.astype({"topic_id": int, "size": int})
        rows = parts["sample_indices"]
        n_usable = int(usable.sum())
        settings["large_corpus"] = None if len(rows) == n_usable else {"n_units": n_usable, "sample_size": len(rows)}
        self.settings_ = settings
        self.sample_indices_ = rows
        self.texts_ = texts
        self._usable = usable
        self._vectors = vectors
        self._usable_labels = parts["usable_labels"]
        self.labels_ = labels
        self.probabilities_ = parts["probabilities"]
        self.topic_embeddings_ = parts["topic_embeddings"]
        self._raw_topic_ids = {int(old): int(new) for old, new in parts["topic_ids"]}
        self.topics_ = topics
        # Needed only by transform, merge and bertopic_model_: rebuilt on first use.
        self._word_model = None
        self._cluster_vectors = None
        self._cluster_centres = None
        self._topic_words = None
        self._keyword_vectorizer = None
        self._bertopic = None
        return True

    def _fit_word_model(self, docs: list[str], settings: dict[str, Any]) -> _WordVectors | None:
        """The word model of step 0 fitted on ``docs`` (None when words are off or none are shared)."""
        if settings["word_weight"] <= 0:
            return None
        model = _WordVectors(settings["word_dimensions"]).fit(docs)
        return model if model.vectorizer is not None else None

    def _joined(self, docs: Sequence[str], vectors: np.ndarray, settings: dict[str, Any]) -> np.ndarray:
        """The vectors that are clustered: embedding joined with the words (rows are independent)."""
        if self._word_model is None:
            return vectors
        return _join(vectors, self._word_model.transform(docs), settings["word_weight"])

    def _ensure_cluster_space(self) -> None:
        """Rebuild the word model, joined vectors and their centres after a fit read from the cache.

        Every piece is deterministic (seeded SVD on the same sample, row-wise transforms), so
        this gives what the fit itself computed.
        """
        if self._cluster_vectors is not None:
            return
        settings = self.settings_
        rows = self.sample_indices_
        self._word_model = self._fit_word_model([self.texts_[i] for i in rows], settings)
        usable_rows = np.flatnonzero(self._usable)
        width = self._vectors.shape[1] + (0 if self._word_model is None else self._word_model.svd.n_components)
        joined = np.zeros((len(self.texts_), width))
        for start in range(0, len(usable_rows), 20_000):
            chunk = usable_rows[start : start + 20_000]
            joined[chunk] = self._joined([self.texts_[i] for i in chunk], self._vectors[chunk], settings)
        self._cluster_vectors = joined
        self._cluster_centres = self._joined_centres(self.labels_, len(self.topics_))

    def _joined_centres(self, labels: np.ndarray, n_topics: int) -> np.ndarray:
        return _unit_rows(
            np.stack([self._cluster_vectors[labels == t].mean(axis=0) for t in range(n_topics)])
            if n_topics
            else np.zeros((0, self._cluster_vectors.shape[1]))
        )

    @property
    def bertopic_model_(self) -> Any:
        """A ``BERTopic`` object with this model's pain points, for BERTopic's own plots (built on first use).

        Importing BERTopic costs about 10 s (it pulls sentence-transformers and plotly), so
        the pain points are found without it; this builds BERTopic's view of the fitted model
        through its manual mode (identity reduction, the pain points as given clusters) on
        the usable units and their joined vectors. Its topic ids are BERTopic's, numbered by
        size; ``bertopic_topic_ids_`` maps them to ``topic_id``.

        Example:
            >>> model.bertopic_model_.visualize_barchart()  # doctest: +SKIP
        """
        if not hasattr(self, "labels_"):  # an AttributeError, as for any learned attribute before fit
            raise AttributeError("PainPointModel.bertopic_model_: the model is not fitted yet; call fit(texts, embeddings)")
        if self._bertopic is None:
            from bertopic import BERTopic
            from bertopic.cluster import BaseCluster
            from bertopic.dimensionality import BaseDimensionalityReduction
            from bertopic.vectorizers import ClassTfidfTransformer

            self._ensure_cluster_space()
            rows = np.flatnonzero(self._usable)
            topic_model = BERTopic(
                umap_model=BaseDimensionalityReduction(),
                hdbscan_model=BaseCluster(),
                vectorizer_model=self._vectorizer(self.settings_),
                ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
                top_n_words=max(30, self.settings_["n_keywords"] * 3),
                calculate_probabilities=False,
            )
            topic_model.fit([self.texts_[i] for i in rows], embeddings=self._cluster_vectors[rows], y=self.labels_[rows])
            self._bertopic = topic_model
        return self._bertopic

    @property
    def bertopic_topic_ids_(self) -> dict[int, int]:
        """``{BERTopic topic id: topic_id}`` for :attr:`bertopic_model_` (builds it on first use).

        Example:
            >>> model.bertopic_topic_ids_[0]  # doctest: +SKIP
            0
        """
        topic_model = self.bertopic_model_
        ours = self.labels_[np.flatnonzero(self._usable)]
        return {int(theirs): int(mine) for theirs, mine in zip(topic_model.topics_, ours) if mine != OTHER}

    def _assign_the_rest(
        self,
        texts: list[str],
        vectors: np.ndarray,
        usable_rows: np.ndarray,
        sample_rows: np.ndarray,
        sample_labels: np.ndarray,
        all_cluster_vectors: np.ndarray,
        settings: dict[str, Any],
        other_budget: int,
    ) -> np.ndarray:
        """Large-corpus mode: give every usable unit outside the sample a pain point of the sample.

        The units not in the sample get their joined vectors (embedding + the sample's word
        model), then centroid refinement over *all* usable units, started from the sample's
        pain points: the rest join the nearest centre and the centres follow, in BERTopic's
        topic ids. Returns one label per usable unit (in ``usable_rows`` order).
        """
        in_sample = np.isin(usable_rows, sample_rows)
        rest_rows = usable_rows[~in_sample]
        step = 20_000  # word vectors in chunks: the sparse TF-IDF of 100k texts at once is not needed
        for start in range(0, len(rest_rows), step):
            chunk = rest_rows[start : start + step]
            if self._word_model is not None:
                all_cluster_vectors[chunk] = _join(
                    vectors[chunk], self._word_model.transform([texts[i] for i in chunk]), settings["word_weight"]
                )
            else:
                all_cluster_vectors[chunk] = vectors[chunk]
        start_labels = np.full(len(texts), OTHER, dtype=int)
        start_labels[sample_rows] = sample_labels
        refined = refine_clusters(
            all_cluster_vectors[usable_rows],
            start_labels[usable_rows],
            settings["refine_iterations"],  # 0: the sample's units stay, only the rest are placed
            settings["min_similarity"],
            other_budget,
            compact=False,
        )
        return refined

    def _vectorizer(self, settings: dict[str, Any]) -> Any:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

        stop_words = sorted(set(ENGLISH_STOP_WORDS) | FILLER_WORDS | set(settings["stop_words"]))
        return CountVectorizer(
            preprocessor=prepare_for_keywords,
            token_pattern=_TOKEN_PATTERN,
            stop_words=stop_words,
            ngram_range=settings["ngram_range"],
        )

    def _describe(self, bertopic_labels: np.ndarray) -> None:
        """Renumber by size, compute centres, probabilities, keywords and labels."""
        n_total = len(self.texts_)
        rows = np.flatnonzero(self._usable)
        found = sorted(set(bertopic_labels.tolist()) - {OTHER})
        first_seen = {t: int(np.flatnonzero(bertopic_labels == t)[0]) for t in found}
        sizes = {t: int((bertopic_labels == t).sum()) for t in found}
        order = sorted(found, key=lambda t: (-sizes[t], first_seen[t]))
        new_id = {old: new for new, old in enumerate(order)}
        labels = np.full(n_total, OTHER, dtype=int)
        labels[rows] = [new_id.get(int(t), OTHER) for t in bertopic_labels]

        centres = np.zeros((len(order), self._vectors.shape[1]))
        for topic in range(len(order)):
            centres[topic] = self._vectors[labels == topic].mean(axis=0)
        centres = _unit_rows(centres)
        self._cluster_centres = (
            None if self._cluster_vectors is None else self._joined_centres(labels, len(order))
        )
        probabilities = np.zeros(n_total)
        assigned = labels >= 0
        if assigned.any():
            probabilities[assigned] = np.clip(
                np.einsum("ij,ij->i", self._vectors[assigned], centres[labels[assigned]]), 0.0, 1.0
            )

        keywords = self._keywords(order, labels, centres)
        # Phrase statistics from at most LABEL_SAMPLE texts keep naming cheap on 100k-item exports.
        step = max(1, math.ceil(n_total / LABEL_SAMPLE))
        phrase_counts = phrase_document_counts(self.texts_[::step])
        n_phrase_texts = len(self.texts_[::step])
        records = []
        used_labels: set[str] = set()
        for topic, old in enumerate(order):
            members = np.flatnonzero(labels == topic)
            closeness = self._vectors[members] @ centres[topic]
            ranked = members[np.argsort(-closeness, kind="stable")]
            representatives: list[int] = []
            seen_texts: set[str] = set()
            for index in ranked:
                text = self.texts_[index].strip().lower()
                if text not in seen_texts:
                    representatives.append(int(index))
                    seen_texts.add(text)
                if len(representatives) >= self.settings_["n_representatives"]:
                    break
            label = phrase_label(
                [self.texts_[i] for i in ranked[:LABEL_SAMPLE // 10]], phrase_counts, n_phrase_texts, used_labels
            ) or _make_label(
                keywords[topic], [self.texts_[i] for i in ranked], used_labels
            )
            used_labels.add(label.lower())
            records.append(
                {
                    "topic_id": topic,
                    "label": label,
                    "keywords": keywords[topic],
                    "size": int(len(members)),
                    "representative_indices": representatives,
                }
            )
        self.labels_ = labels
        self.probabilities_ = probabilities
        self.topic_embeddings_ = centres.astype(np.float32)
        self._raw_topic_ids = {int(old): new for old, new in new_id.items()}
        self.topics_ = pd.DataFrame(
            records, columns=["topic_id", "label", "keywords", "size", "representative_indices"]
        )

    def _keywords(self, order: list[int], labels: np.ndarray, centres: np.ndarray) -> list[list[str]]:
        """KeyBERT-style keyphrases from c-TF-IDF candidates, diversified with MMR."""
        vectorizer = self._keyword_vectorizer
        vocabulary = vectorizer.vocabulary_
        presence = vectorizer.transform(self.texts_).tocsc()
        presence.data[:] = 1.0
        result: list[list[str]] = []
        for topic, old in enumerate(order):
            candidates = [w for w, score in self._topic_words.get(old, []) if w and score > 0 and w in vocabulary]
            members = np.flatnonzero(labels == topic)
            if not candidates:
                result.append([])
                continue
            columns = [vocabulary[w] for w in candidates]
            local = presence[:, columns].tocsr()[members]  # members x candidates
            counts = np.asarray(local.sum(axis=0)).ravel()
            keep = counts > 0
            if not keep.any():
                result.append(candidates[: self.settings_["n_keywords"]])
                continue
            candidates = [c for c, k in zip(candidates, keep) if k]
            local = local[:, np.flatnonzero(keep)]
            counts = counts[keep]
            phrase_vectors = _unit_rows(np.asarray(local.T @ self._vectors[members]) / counts[:, None])
            coverage = counts / len(members)
            relevance = (phrase_vectors @ centres[topic]) * np.sqrt(coverage)
            picked = _mmr(relevance, phrase_vectors, self.settings_["n_keywords"], self.settings_["diversity"])
            result.append([candidates[i] for i in picked])
        return result

    # ------------------------------------------------------------------ use

    def _check_fitted(self, where: str) -> None:
        if not hasattr(self, "labels_"):
            raise WorkbenchError(f"PainPointModel.{where}: the model is not fitted yet; call fit(texts, embeddings) first")

    def transform(self, texts: Sequence[str], embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Assign new units to the fitted pain points: nearest centre, or Other (-1).

        Nearest as in fit: by the similarity of embedding and words (``word_weight``). A unit
        goes to Other when it has too few words or that similarity to every centre is below
        ``min_similarity``. Probabilities are the cosine of the unit's embedding to its pain
        point's centre (``topic_embeddings_``), as ``probabilities_``. Returns
        ``(labels, probabilities)``.

        Example:
            >>> labels, probabilities = model.transform(["Still waiting for my refund"], vectors)  # doctest: +SKIP
        """
        self._check_fitted("transform")
        texts, vectors = self._check_input(texts, embeddings, "PainPointModel.transform")
        if vectors.shape[1] != self.topic_embeddings_.shape[1]:
            raise WorkbenchError(
                f"PainPointModel.transform: embeddings have {vectors.shape[1]} dimensions but the model was fitted "
                f"on {self.topic_embeddings_.shape[1]}; embed with the same embedder as in fit"
            )
        labels = np.full(len(texts), OTHER, dtype=int)
        probabilities = np.zeros(len(texts))
        if len(texts) == 0 or len(self.topic_embeddings_) == 0:
            return labels, probabilities
        self._ensure_cluster_space()
        joined = vectors
        if self._word_model is not None:
            joined = _join(vectors, self._word_model.transform(texts), self.settings_["word_weight"])
        similarity = joined @ self._cluster_centres.T
        best = similarity.argmax(axis=1)
        best_similarity = similarity[np.arange(len(texts)), best]
        usable = np.array([is_usable_text(t, self.settings_["min_words"]) for t in texts], dtype=bool)
        accept = usable & (best_similarity >= self.settings_["min_similarity"])
        labels[accept] = best[accept]
        embedding_similarity = np.einsum("ij,ij->i", vectors, self.topic_embeddings_.astype(np.float64)[best])
        probabilities[accept] = np.clip(embedding_similarity[accept], 0.0, 1.0)
        return labels, probabilities

    def fit_transform(self, texts: Sequence[str], embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``fit`` and return ``(labels_, probabilities_)``.

        Example:
            >>> labels, probabilities = PainPointModel().fit_transform(texts, vectors)  # doctest: +SKIP
        """
        self.fit(texts, embeddings)
        return self.labels_, self.probabilities_

    def merge(self, topic_ids: Sequence[int], label: str | None = None) -> PainPointModel:
        """Merge pain points into one; keywords are recomputed and topics renumbered by size.

        Args:
            topic_ids: two or more ``topic_id`` values of ``topics_``.
            label: name of the merged pain point; None builds one from its keywords.

        Other pain points keep their labels; ids may change because pain points stay
        numbered by size (find the merged one through ``labels_`` of a member unit).

        Example:
            >>> model.merge([3, 5], label="Refunds are slow")  # doctest: +SKIP
        """
        self._check_fitted("merge")
        wanted = sorted({int(t) for t in topic_ids})
        known = set(self.topics_["topic_id"].tolist())
        unknown = [t for t in wanted if t not in known]
        if unknown or len(wanted) < 2:
            raise WorkbenchError(
                f"PainPointModel.merge: pass two or more topic ids of topics_ (0..{len(known) - 1}); got {list(topic_ids)}"
            )
        member = self.labels_[self._usable]
        keep_labels = {int(t): str(l) for t, l in zip(self.topics_["topic_id"], self.topics_["label"])}
        old_ids = {new: old for old, new in self._raw_topic_ids.items()}
        to_merge = [old_ids[t] for t in wanted]
        docs = [self.texts_[i] for i in np.flatnonzero(self._usable)]
        self._ensure_cluster_space()
        # The merged pain point takes the first id, ids are renumbered by frequency and
        # c-TF-IDF is computed again over every usable unit (as BERTopic's merge_topics does).
        raw = np.asarray(self._usable_labels, dtype=int)
        new_bertopic = _number_by_frequency(np.where(np.isin(raw, to_merge), to_merge[0], raw))
        self._topic_words, self._keyword_vectorizer = class_tfidf_words(
            docs, new_bertopic, self._vectorizer(self.settings_), max(30, self.settings_["n_keywords"] * 3)
        )
        self._usable_labels = new_bertopic
        self._bertopic = None
        # Remember each untouched pain point's label through one of its members.
        anchors = {t: int(np.flatnonzero(member == t)[0]) for t in known if t not in wanted}
        merged_anchor = int(np.flatnonzero(np.isin(member, wanted))[0])
        self._describe(new_bertopic)
        member_after = self.labels_[self._usable]
        names = dict(zip(self.topics_["topic_id"], self.topics_["label"]))
        for old_topic, anchor in anchors.items():
            names[int(member_after[anchor])] = keep_labels[old_topic]
        if label is not None:
            names[int(member_after[merged_anchor])] = str(label)
        self.topics_["label"] = [names[t] for t in self.topics_["topic_id"]]
        return self


# ---------------------------------------------------------------------- helpers


#: ``kind`` of fitted pain points in the cache's step results (change it when their format changes)
RESULT_KIND = "painpoints-v1"


def _code_version() -> str:
    """This module's and the label code's source plus the clustering libraries' versions.

    Part of the result cache key, so a change to the code or an upgrade of UMAP, HDBSCAN,
    scikit-learn, numpy or scipy never reads pain points fitted by the old ones.
    """
    from importlib.metadata import PackageNotFoundError, version

    from workbench import labels as label_module

    digest = hashlib.sha256()
    for path in (__file__, label_module.__file__):
        with open(path, "rb") as source:
            digest.update(source.read())
    for package in ("umap-learn", "hdbscan", "scikit-learn", "numpy", "scipy", "pynndescent", "numba"):
        try:
            digest.update(f"{package}={version(package)};".encode())
        except PackageNotFoundError:  # pragma: no cover - depends on the environment
            digest.update(f"{package}=none;".encode())
    return digest.hexdigest()


def _number_by_frequency(labels: Sequence[int] | np.ndarray) -> np.ndarray:
    """Renumber cluster ids 0, 1, … from the largest; -1 (Other) stays -1.

    The numbering BERTopic gives its topics, tie order included (a pandas sort of the sizes
    in order of first appearance), so the c-TF-IDF rows and keywords are what BERTopic found.

    Example:
        >>> _number_by_frequency([5, 5, -1, 2, 2, 2, 9]).tolist()
        [1, 1, -1, 0, 0, 0, 2]
    """
    labels = np.asarray(labels, dtype=int)
    sizes = Counter(labels.tolist())
    table = pd.DataFrame(sizes.items(), columns=["old", "size"]).sort_values("size", ascending=False)
    table = table[table["old"] != OTHER]
    mapping = {OTHER: OTHER, **dict(zip(table["old"].tolist(), range(len(table))))}
    return np.array([mapping[int(label)] for label in labels], dtype=int)


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


class _RefinedClusters:
    """HDBSCAN on the UMAP output, then centroid refinement on the full vectors UMAP reduced.

    ``fit(reduced)`` sets ``labels_``; the reduced rows are the units in the order of
    ``unit_vectors`` (embeddings joined with their words' vectors).
    """

    def __init__(
        self, hdbscan_model: Any, unit_vectors: np.ndarray, iterations: int, min_similarity: float, other_budget: int
    ) -> None:
        self.hdbscan_model = hdbscan_model
        self.unit_vectors = unit_vectors
        self.iterations = iterations
        self.min_similarity = min_similarity
        self.other_budget = other_budget

    def fit(self, reduced: np.ndarray, y: Any = None) -> _RefinedClusters:
        labels = np.asarray(self.hdbscan_model.fit(reduced).labels_, dtype=int)
        self.labels_ = refine_clusters(
            self.unit_vectors, labels, self.iterations, self.min_similarity, self.other_budget
        )
        return self


class _WordVectors:
    """The word part of each unit's vector: TF-IDF reduced by LSA, rows of unit length.

    Sublinear TF-IDF over words (two or more letters or digits) that occur in at least two
    units, redaction tags removed, no stop words (short requests differ by words such as
    "time" or "name"), then ``TruncatedSVD`` (seeded, so deterministic) to at most
    ``dimensions`` columns. ``vectorizer`` stays None when fewer than three words are shared.
    """

    def __init__(self, dimensions: int) -> None:
        self.dimensions = dimensions
        self.vectorizer: Any = None
        self.svd: Any = None

    def fit(self, docs: list[str]) -> _WordVectors:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(sublinear_tf=True, min_df=2, preprocessor=prepare_for_keywords)
        try:
            counts = vectorizer.fit_transform(docs)
        except ValueError:  # empty vocabulary
            return self
        dimensions = min(self.dimensions, counts.shape[1] - 1, counts.shape[0] - 1)
        if dimensions < 2:
            return self
        self.svd = TruncatedSVD(n_components=dimensions, random_state=0).fit(counts)
        self.vectorizer = vectorizer
        return self

    def transform(self, docs: Sequence[str]) -> np.ndarray:
        return _unit_rows(self.svd.transform(self.vectorizer.transform(list(docs))))


def word_vectors(docs: Sequence[str], dimensions: int = 100) -> np.ndarray | None:
    """LSA vectors of ``docs``' words, unit length (None when too few words are shared).

    The lexical part of the vectors :class:`PainPointModel` clusters (step 0 of the module
    docstring); a unit with none of the shared words gets a row of zeros.

    Example:
        >>> docs = ["refund took weeks", "still no refund", "app crashes", "the app crashes again"]
        >>> vectors = word_vectors(docs, dimensions=2)
        >>> vectors.shape, bool(vectors[0] @ vectors[1] > vectors[0] @ vectors[2])
        ((4, 2), True)
    """
    model = _WordVectors(dimensions).fit(list(docs))
    return None if model.vectorizer is None else model.transform(docs)


def _join(embeddings: np.ndarray, words: np.ndarray, word_weight: float) -> np.ndarray:
    """``[sqrt(1 - w) * embedding, sqrt(w) * words]``: cosines add up with weights ``1 - w`` and ``w``."""
    return np.hstack([embeddings * math.sqrt(1.0 - word_weight), words * math.sqrt(word_weight)])


def refine_clusters(
    vectors: np.ndarray,
    labels: np.ndarray,
    iterations: int,
    min_similarity: float,
    other_budget: int,
    compact: bool = True,
) -> np.ndarray:
    """Move units to the most similar cluster centre; keep at most ``other_budget`` outliers.

    ``vectors`` are rows of at most unit length; ``labels`` start clusters (``-1`` = outlier). With no
    cluster at all, every unit forms one cluster. Returns labels numbered 0..k-1 (and -1), or
    with ``compact=False`` in the ids of ``labels`` (a cluster that emptied is simply absent).

    Example:
        >>> vectors = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9], [-1, 0]], dtype=float)
        >>> vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        >>> refine_clusters(vectors, np.array([0, -1, 1, 1, -1]), 5, 0.3, 0).tolist()
        [0, 0, 1, 1, 1]
        >>> refine_clusters(vectors, np.array([0, -1, 1, 1, -1]), 5, 0.3, 1).tolist()
        [0, 0, 1, 1, -1]
        >>> refine_clusters(vectors, np.array([4, -1, 9, 9, -1]), 5, 0.3, 1, compact=False).tolist()
        [4, 4, 9, 9, -1]
    """
    labels = np.asarray(labels, dtype=int).copy()
    if not (labels >= 0).any():
        return np.zeros(len(labels), dtype=int)
    for _ in range(max(iterations, 0) + 1):
        ids = np.unique(labels[labels >= 0])
        centres = _cluster_centres(vectors, labels, ids)
        similarity = vectors @ centres.T
        best = similarity.argmax(axis=1)
        best_similarity = similarity[np.arange(len(labels)), best]
        new = ids[best]
        if iterations == 0:  # only give outliers a home
            new = np.where(labels >= 0, labels, new)
        new[best_similarity < min_similarity] = -1
        if (new >= 0).sum() == 0:
            break
        converged = np.array_equal(new, labels)
        labels = new
        if converged or iterations == 0:
            break
    outliers = np.flatnonzero(labels < 0)
    if len(outliers) > other_budget:
        # Too many in Other: assign the most similar outliers to their nearest centre.
        ids = np.unique(labels[labels >= 0])
        centres = _cluster_centres(vectors, labels, ids)
        similarity = vectors[outliers] @ centres.T
        best = similarity.argmax(axis=1)
        order = np.argsort(-similarity[np.arange(len(outliers)), best], kind="stable")
        take = order[: len(outliers) - other_budget]
        labels[outliers[take]] = ids[best[take]]
    if not compact:
        return labels
    # Compact ids (a cluster may have emptied during refinement).
    ids = np.unique(labels[labels >= 0])
    compact = np.full(len(labels), -1, dtype=int)
    compact[labels >= 0] = np.searchsorted(ids, labels[labels >= 0])
    return compact


def _cluster_centres(vectors: np.ndarray, labels: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Unit-length mean vector of each cluster in ``ids``: one sparse product, not a pass per cluster."""
    from scipy.sparse import csr_matrix

    member = labels >= 0
    position = np.searchsorted(ids, labels[member])
    indicator = csr_matrix(
        (np.ones(int(member.sum())), (position, np.flatnonzero(member))), shape=(len(ids), len(labels))
    )
    sums = np.asarray(indicator @ vectors)
    counts = np.asarray(indicator.sum(axis=1)).reshape(-1, 1)
    return _unit_rows(sums / np.maximum(counts, 1))


def stratified_sample(vectors: np.ndarray, size: int, random_state: int = 0, n_strata: int = 50) -> np.ndarray:
    """Sorted row indices of a deterministic sample of ``size`` rows, stratified by region of ``vectors``.

    The rows are grouped into ``n_strata`` regions by k-means on a seeded subsample (so
    the strata cost seconds on 100,000 rows), every region gets seats in proportion to its
    size (largest remainders; a non-empty region gets at least one), and each region's
    seats go to a seeded random choice of its rows. A small theme is therefore in the
    sample in its own proportion, not by luck, and the same input and seed give the same
    sample.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> vectors = np.vstack([rng.normal(0, 1, (900, 8)) + 5, rng.normal(0, 1, (100, 8)) - 5])
        >>> sample = stratified_sample(vectors, 100, random_state=1, n_strata=10)
        >>> len(sample), int((sample >= 900).sum()), bool((sample == stratified_sample(vectors, 100, 1, 10)).all())
        (100, 10, True)
    """
    from sklearn.cluster import MiniBatchKMeans

    n_rows = len(vectors)
    if size >= n_rows:
        return np.arange(n_rows)
    rng = np.random.default_rng(random_state)
    n_strata = max(1, min(n_strata, size))
    train = rng.choice(n_rows, size=min(n_rows, 100 * n_strata), replace=False)
    kmeans = MiniBatchKMeans(n_clusters=n_strata, random_state=random_state, n_init=1, batch_size=4096)
    kmeans.fit(np.asarray(vectors[train], dtype=np.float32))
    strata = np.concatenate([
        kmeans.predict(np.asarray(vectors[start : start + 20_000], dtype=np.float32))
        for start in range(0, n_rows, 20_000)
    ])
    counts = np.bincount(strata, minlength=n_strata)
    exact = counts * size / n_rows
    seats = np.minimum(np.maximum(np.floor(exact).astype(int), (counts > 0).astype(int)), counts)
    # Largest remainders fill the seats left (or give back seats taken by the at-least-one rule).
    remainder_order = np.argsort(-(exact - np.floor(exact)), kind="stable")
    for stratum in remainder_order:
        if seats.sum() >= size:
            break
        if seats[stratum] < counts[stratum]:
            seats[stratum] += 1
    for stratum in remainder_order[::-1]:
        if seats.sum() <= size:
            break
        if seats[stratum] > 1:
            seats[stratum] -= 1
    chosen = [
        rng.choice(np.flatnonzero(strata == stratum), size=int(seats[stratum]), replace=False)
        for stratum in range(n_strata)
        if seats[stratum]
    ]
    return np.sort(np.concatenate(chosen))


def exact_cosine_neighbours(vectors: np.ndarray, n_neighbors: int, block: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """Exact ``n_neighbors`` nearest rows by cosine (each row first, itself), in UMAP's format.

    Returns ``(indices int32, cosine distances float32)``, both ``(n, n_neighbors)``,
    nearest first; computed in blocks of ``block`` rows, so memory stays at ``block * n``.

    Example:
        >>> vectors = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.1, 1]], dtype=float)
        >>> indices, distances = exact_cosine_neighbours(vectors, 2)
        >>> indices.tolist(), bool(distances[:, 0].max() < 1e-6)
        ([[0, 1], [1, 0], [2, 3], [3, 2]], True)
    """
    unit = _unit_rows(vectors).astype(np.float32)
    n_rows = len(unit)
    k = min(n_neighbors, n_rows)
    indices = np.empty((n_rows, k), dtype=np.int32)
    distances = np.empty((n_rows, k), dtype=np.float32)
    for start in range(0, n_rows, block):
        similarity = unit[start : start + block] @ unit.T
        # The row itself first, whatever ties there are (UMAP expects self as neighbour 0).
        similarity[np.arange(len(similarity)), np.arange(start, start + len(similarity))] = np.inf
        part = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        part_similarity = np.take_along_axis(similarity, part, axis=1)
        order = np.argsort(-part_similarity, axis=1, kind="stable")
        indices[start : start + block] = np.take_along_axis(part, order, axis=1)
        nearest = np.take_along_axis(part_similarity, order, axis=1)
        nearest[:, 0] = 1.0
        distances[start : start + block] = np.clip(1.0 - nearest, 0.0, 2.0)
    return indices, distances


def _cache_umap_compilation() -> None:
    """Let numba keep UMAP's compiled functions on disk, so only the first fit ever compiles them.

    umap-learn decorates its functions without ``cache=True``, so every new process spent
    about 40 s (two busy cores) compiling them before the first fit, longer than the fit
    itself at 10,000 units. Enabling numba's file cache on those dispatchers before their
    first call stores the machine code next to the package (or in numba's user cache
    folder when that is read-only), keyed by numba's own checks of source and CPU.
    """
    try:
        import umap.layouts
        import umap.spectral
        import umap.umap_
        import umap.utils
        from numba.core.caching import NullCache
        from numba.core.dispatcher import Dispatcher
    except ImportError:  # pragma: no cover - a numba or umap without these internals
        return
    for module in (umap.umap_, umap.layouts, umap.utils, umap.spectral):
        for value in list(vars(module).values()):
            if isinstance(value, Dispatcher) and isinstance(getattr(value, "_cache", None), NullCache):
                try:
                    value.enable_caching()
                except Exception:  # pragma: no cover - caching is an optimisation only
                    pass


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float64)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True) if matrix.ndim == 2 else np.linalg.norm(matrix)
    return matrix / np.where(norms == 0, 1.0, norms)


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


def _tokens(text: str) -> list[str]:
    return [t.lower().replace("’", "'") for t in _WORD_RE.findall(_TAG_RE.sub(" ", text))]


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
