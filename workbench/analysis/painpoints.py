"""Pain points: a BERTopic-style topic model tuned for customer stories.

:class:`PainPointModel` groups analysis units (passages of interview answers, feedback
items) into pain points. It is BERTopic's pipeline (UMAP, HDBSCAN, c-TF-IDF) with settings
for customer stories, run on ``umap``/``hdbscan`` directly (importing ``bertopic`` costs
about 10 s; :attr:`PainPointModel.bertopic_model_` builds BERTopic's view on demand). This
module is the estimator (parameters, ``fit``, ``transform``, ``merge``); each step lives in
its own module:

0. **Meaning plus words** (:mod:`workbench.analysis.cluster_space`). Each unit is clustered
   on its embedding joined with a small lexical part, TF-IDF of its words reduced by LSA
   (:func:`~workbench.analysis.cluster_space.word_vectors`), weighted so the cosine between
   two units is ``(1 - word_weight) * embedding cosine + word_weight * word cosine``
   (``word_weight=0.2``; 0 clusters the embeddings alone).
1. **UMAP** (cosine, ``min_dist=0``, 5 components, ``random_state`` honoured) on those
   vectors, with ``n_neighbors`` and epochs scaled to the corpus size
   (:mod:`workbench.analysis.clustering`).
2. **HDBSCAN** with ``min_cluster_size`` / ``min_samples`` and the cluster selection
   method scaled to the corpus size (:func:`~workbench.analysis.painpoint_settings.auto_settings`):
   a 20-interview study of a few hundred units gets fine-grained pain points, a large
   feedback export is not split into crumbs. "leaf" keeps a cluster whole when its leaves are a
   fleeting split between look-alikes (:func:`~workbench.analysis.clustering.stable_leaves`).
3. **Centroid refinement** in the full (not UMAP-reduced) space of step 0
   (:mod:`workbench.analysis.refinement`): every unit moves to the most similar centre, a
   few rounds. A unit less similar than ``min_similarity`` to every centre stays in the
   explicit **Other** bucket (label ``-1``), but Other is capped at ``max_other_share`` of
   all units: beyond it, the most similar outliers are assigned. Units with no letters, or
   fewer than ``min_words`` words ("ok", "[PHONE]"), always go to Other
   (:func:`~workbench.analysis.unit_words.is_usable_text`).
4. **c-TF-IDF** as BERTopic's ``ClassTfidfTransformer(reduce_frequent_words=True)``
   (:mod:`workbench.analysis.ctfidf`), English stop words plus interview fillers, 1-2-grams,
   redaction tags removed.
5. **Keyphrases** in the spirit of BERTopic's ``KeyBERTInspired`` + ``MaximalMarginalRelevance``
   (:mod:`workbench.analysis.keyphrases`), from the embeddings passed to :meth:`PainPointModel.fit`
   only: offline with any embedder, milliseconds.
6. **Labels** a researcher can read (:mod:`workbench.analysis.painpoint_topics`): the phrase
   customers in the pain point said most and others said least
   (:func:`workbench.analysis.labels.phrase_label`), else the best keyphrase as the customers
   said it. Centres, probabilities, ``topic_embeddings_`` and keywords stay in the embedding space.

Above :data:`~workbench.analysis.large_corpus.LARGE_CORPUS_THRESHOLD` (20,000) usable units,
``fit`` clusters a stratified sample and assigns the rest (:mod:`workbench.analysis.large_corpus`).

Pain points are numbered by size (0 = largest; ties by first unit). The same texts,
embeddings and ``random_state`` give identical pain points (UMAP then runs single-threaded).

``import workbench.analysis.painpoints`` is cheap: umap, hdbscan and scikit-learn are imported inside
:meth:`PainPointModel.fit`, bertopic only by :attr:`PainPointModel.bertopic_model_`. Given
a cache (``fit(texts, vectors, cache=EmbeddingCache(...))``), a fit on identical texts,
vectors, parameters and seed reads its result back (and imports none of them;
:mod:`workbench.analysis.painpoint_cache`).

Example:
    >>> model = PainPointModel(random_state=42)  # doctest: +SKIP
    >>> model.fit(texts, embeddings)  # doctest: +SKIP
    >>> model.topics_[["topic_id", "label", "size"]].head(3)  # doctest: +SKIP
"""
from __future__ import annotations

import inspect
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from workbench.analysis import labels as label_module
from workbench.analysis import cluster_space, clustering, ctfidf, keyphrases, large_corpus, painpoint_cache
from workbench.analysis import painpoint_settings, painpoint_topics, refinement, unit_words
from workbench.analysis.cluster_space import ClusterSpaceMixin, _join, _joined_dtype
from workbench.analysis.clustering import _cache_umap_compilation, cluster_units
from workbench.analysis.ctfidf import class_tfidf_words, keyword_vectorizer
from workbench.analysis.large_corpus import LARGE_CORPUS_SAMPLE, LARGE_CORPUS_THRESHOLD, assign_the_rest, stratified_sample
from workbench.analysis.painpoint_bertopic import BERTopicMixin
from workbench.analysis.painpoint_cache import RESULT_KIND, FitCacheMixin
from workbench.analysis.painpoint_merge import MergeMixin
from workbench.analysis.painpoint_settings import _AUTO, MIN_UNITS, SettingsMixin
from workbench.analysis.painpoint_topics import TopicsMixin, number_by_size
from workbench.analysis.refinement import OTHER, _number_by_frequency
from workbench.analysis.unit_words import is_usable_text
from workbench.errors import WorkbenchError

__all__ = ["PainPointModel"]

#: The modules whose code decides what :meth:`PainPointModel.fit` finds (this one included):
#: their source is part of the fit cache's key (:mod:`workbench.analysis.painpoint_cache`),
#: so changing any of them never reads pain points fitted by the old code. A new module
#: that changes fit results belongs here. (``bertopic_model_`` and ``merge`` come after the fit.)
_FIT_MODULES = (
    cluster_space, clustering, ctfidf, keyphrases, label_module, large_corpus,
    painpoint_cache, painpoint_settings, painpoint_topics, refinement, unit_words,
)


class PainPointModel(SettingsMixin, ClusterSpaceMixin, TopicsMixin, FitCacheMixin, BERTopicMixin, MergeMixin):
    """Find pain points in customer stories: BERTopic tuned for interviews and feedback.

    Parameters are stored untouched; :meth:`fit` checks them. See the module docstring for
    the pipeline.

    Args:
        min_cluster_size: smallest pain point HDBSCAN may form, or "auto"
            (:func:`~workbench.analysis.painpoint_settings.auto_settings`).
        min_samples: HDBSCAN ``min_samples`` (lower: fewer outliers), or "auto".
        n_neighbors: UMAP neighbourhood, or "auto".
        n_components: UMAP output dimensions.
        n_epochs: UMAP optimisation epochs, or "auto".
        cluster_selection_method: HDBSCAN "leaf" (the finest clusters, but a fleeting split into
            look-alike halves is undone: :func:`~workbench.analysis.clustering.stable_leaves`),
            "eom" (BERTopic's), or
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

    @staticmethod
    def _fit_source_files() -> list[str]:
        """Source files whose code decides what ``fit`` finds: the fit cache's key covers them.

        Example:
            >>> from pathlib import Path
            >>> [Path(f).name for f in PainPointModel._fit_source_files()][:3]
            ['painpoints.py', 'cluster_space.py', 'clustering.py']
        """
        # umap_knn (UMAP's neighbours of a small corpus) imports numba and umap: named by path, not imported
        umap_knn = str(Path(clustering.__file__).with_name("umap_knn.py"))
        return [__file__, *(str(module.__file__) for module in _FIT_MODULES), umap_knn]

    # ------------------------------------------------------------------ fit

    def fit(self, texts: Sequence[str], embeddings: np.ndarray, cache: Any = None) -> PainPointModel:
        """Find the pain points of ``texts`` (one embedding row per text).

        Args:
            texts: the units' texts.
            embeddings: one row per text (any embedder; rows are scaled to unit length).
            cache: optional :class:`workbench.analysis.embedding_cache.EmbeddingCache`: the fitted result is
                stored under a hash of the texts, embeddings, parameters, ``random_state``
                and the versions of this code and of UMAP/HDBSCAN/scikit-learn, and a later
                fit on identical input reads it back instead of fitting again (same labels,
                probabilities and topics).

        Raises:
            WorkbenchError: fewer than 10 units have words (a pain point needs several
                voices; code such a small set by hand), embeddings do not match the texts,
                or a parameter is invalid.

        Example:
            >>> from workbench.analysis.embed import embed_texts  # doctest: +SKIP
            >>> from workbench.analysis.embedders import get_embedder  # doctest: +SKIP
            >>> vectors = embed_texts(texts, get_embedder("minilm"))  # doctest: +SKIP
            >>> model = PainPointModel(random_state=42).fit(texts, vectors)  # doctest: +SKIP
            >>> model.topics_.loc[0, "label"]  # doctest: +SKIP
            'Refund takes weeks'
        """
        texts, vectors = self._check_input(texts, embeddings, "PainPointModel.fit")
        usable, sample_size, settings = self._fit_plan(texts, "PainPointModel.fit")

        result_key = None
        if cache is not None:
            if not (hasattr(cache, "get_result") and hasattr(cache, "put_result")):
                raise WorkbenchError(
                    f"PainPointModel.fit: cache={cache!r} is not a cache; pass "
                    "workbench.analysis.embedding_cache.EmbeddingCache(path) or None"
                )
            result_key = self._result_key(texts, vectors, settings)
            stored = cache.get_result(RESULT_KIND, result_key)
            if stored is not None and self._restore(stored, texts, vectors, usable, settings):
                self.from_cache_ = True
                return self

        rows, fitted_labels, usable_labels, all_cluster_vectors = self._cluster(
            texts, vectors, usable, sample_size, settings
        )
        # c-TF-IDF over the fitted units (topic ids by frequency, as BERTopic numbers them).
        self._topic_words, self._keyword_vectorizer = class_tfidf_words(
            [texts[i] for i in rows], fitted_labels, self._vectorizer(settings), max(30, settings["n_keywords"] * 3)
        )
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

    def fit_labels(self, texts: Sequence[str], embeddings: np.ndarray) -> np.ndarray:
        """The pain point :meth:`fit` would give each unit (``-1`` Other), without naming the pain points.

        Steps 0-3 of the module docstring only (no c-TF-IDF, keyphrases or labels), numbered
        by size as ``labels_`` is: what a rerun of the stability check
        (:mod:`workbench.rigour.stability`) needs, at about 85 % of a fit's cost. The model is
        not fitted afterwards (``labels_`` and ``topics_`` stay unset).

        Raises:
            WorkbenchError: as :meth:`fit`.

        Example:
            >>> labels = PainPointModel(random_state=42).fit_labels(texts, vectors)  # doctest: +SKIP
            >>> bool((labels == PainPointModel(random_state=42).fit(texts, vectors).labels_).all())  # doctest: +SKIP
            True
        """
        texts, vectors = self._check_input(texts, embeddings, "PainPointModel.fit_labels")
        usable, sample_size, settings = self._fit_plan(texts, "PainPointModel.fit_labels")
        _, _, usable_labels, _ = self._cluster(texts, vectors, usable, sample_size, settings)
        return number_by_size(usable_labels, usable)[0]

    def _fit_plan(self, texts: list[str], where: str) -> tuple[np.ndarray, int | None, dict[str, Any]]:
        """``(usable, sample_size, settings)`` of a fit on ``texts``; too few usable units raise WorkbenchError."""
        min_words = self.min_words if isinstance(self.min_words, int) and self.min_words >= 1 else 2
        usable = np.array([is_usable_text(t, min_words) for t in texts], dtype=bool)
        n_usable = int(usable.sum())
        if n_usable < MIN_UNITS:
            raise WorkbenchError(
                f"{where}: only {n_usable} of {len(texts)} units have words to cluster; "
                f"at least {MIN_UNITS} are needed to find pain points. Add more interviews or feedback, "
                "or code a set this small by hand"
            )
        sample_size = self._sample_size_for(n_usable)
        # UMAP and HDBSCAN see only the sample in the large-corpus mode: size their settings by it.
        return usable, sample_size, self._validated_settings(sample_size or n_usable)

    def _cluster(
        self, texts: list[str], vectors: np.ndarray, usable: np.ndarray, sample_size: int | None, settings: dict[str, Any]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Steps 0-3: ``(rows fitted, their labels, every usable unit's label, joined vectors of all units)``.

        Sets ``_word_model`` and ``settings["large_corpus"]``; labels are numbered by frequency.
        """
        _cache_umap_compilation()
        n_usable = int(usable.sum())
        usable_rows = np.flatnonzero(usable)
        if sample_size is None:
            rows = usable_rows
        else:
            rows = usable_rows[stratified_sample(vectors[usable_rows], sample_size, settings["random_state"] or 0)]
        docs = [texts[i] for i in rows]
        n_total = len(texts)
        # Other may hold this many usable units on top of the unusable ones.
        other_budget = max(int(math.floor(settings["max_other_share"] * n_total)) - (n_total - n_usable), 0)
        # The sample's own refinement gets its share of that budget.
        fit_budget = other_budget if sample_size is None else int(other_budget * len(rows) / n_usable)

        # Step 0: embedding joined with the words' LSA vector (the embedding alone if word_weight is 0).
        self._word_model = self._fit_word_model(docs, settings)
        cluster_vectors = self._joined(docs, vectors[rows], settings)
        # Steps 1-3: UMAP, HDBSCAN, centroid refinement; ids by frequency.
        fitted_labels = _number_by_frequency(cluster_units(cluster_vectors, settings, n_usable, fit_budget))

        # a large corpus keeps every unit's joined vector in float32: 1.4 GB instead of 2.8 GB for a million
        all_cluster_vectors = np.zeros((len(texts), cluster_vectors.shape[1]), dtype=_joined_dtype(sample_size))
        all_cluster_vectors[rows] = cluster_vectors
        if sample_size is None:
            usable_labels = fitted_labels
        else:
            usable_labels = assign_the_rest(
                self._word_model, texts, vectors, usable_rows, rows, fitted_labels, all_cluster_vectors, settings,
                other_budget,
            )
        settings["large_corpus"] = None if sample_size is None else {"n_units": n_usable, "sample_size": len(rows)}
        return rows, fitted_labels, usable_labels, all_cluster_vectors

    def _vectorizer(self, settings: dict[str, Any]) -> Any:
        """The (unfitted) ``CountVectorizer`` keywords are counted with (:func:`~workbench.analysis.ctfidf.keyword_vectorizer`)."""
        return keyword_vectorizer(settings)

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
