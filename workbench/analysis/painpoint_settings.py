"""The settings of a pain-point fit: ``"auto"`` values scaled to the corpus, parameters checked.

:func:`auto_settings` picks UMAP's and HDBSCAN's settings from the corpus size alone, so a
20-interview study of a few hundred units gets fine-grained pain points and a large feedback
export is not split into crumbs. :class:`SettingsMixin` checks the parameters of
:class:`~workbench.analysis.painpoints.PainPointModel` at fit time, with messages that say
what to pass instead, and resolves them into ``settings_``.

Why these settings: UMAP's and HDBSCAN's settings are a plateau. On CLINC150, UMAP with 10
or 30 neighbours, 10 components or 500 epochs, and HDBSCAN with ``min_cluster_size`` 8 to 20,
``min_samples`` 2 to 8, "leaf" or "eom", all land within 0.01 NMI of each other once refined,
because the errors that remain are near-synonymous intents that the embedding itself puts
together (a pain point that holds two intents, in the same place for every seed). Neither
splitting nor merging clusters by their embedding statistics finds those reliably (split
candidates look like any other cluster in embedding space); what separates them is the
words, hence step 0 (:mod:`workbench.analysis.cluster_space`).

Example:
    >>> auto_settings(120)["min_cluster_size"], auto_settings(50_000)["min_cluster_size"]
    (8, 19)
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from workbench.analysis.cluster_space import unit_rows_sized
from workbench.analysis.large_corpus import LARGE_CORPUS_SAMPLE, LARGE_CORPUS_THRESHOLD
from workbench.errors import WorkbenchError

__all__ = ["MIN_UNITS", "SettingsMixin", "auto_settings"]

#: Fewest units with words that :meth:`PainPointModel.fit` accepts.
MIN_UNITS = 10

_AUTO = "auto"


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



class SettingsMixin:
    """Parameter checks of :class:`~workbench.analysis.painpoints.PainPointModel`, run at fit time.

    ``_validated_settings`` resolves "auto" and clamps UMAP's and HDBSCAN's settings to the
    corpus; ``_sample_size_for`` decides on the large-corpus mode; ``_check_input`` checks texts
    and embeddings and scales the embeddings to unit length.

    Example:
        >>> from workbench.analysis.painpoints import PainPointModel
        >>> PainPointModel(n_neighbors=50)._validated_settings(20)["n_neighbors"]
        19
    """

    min_cluster_size: int | str
    min_samples: int | str
    n_neighbors: int | str
    n_components: int
    n_epochs: int | str
    cluster_selection_method: str
    refine_iterations: int
    min_similarity: float
    max_other_share: float
    n_keywords: int
    n_representatives: int
    stop_words: Sequence[str] | None
    ngram_range: tuple[int, int]
    min_words: int
    diversity: float
    word_weight: float
    random_state: int | None
    large_corpus_threshold: int | None
    sample_size: int

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
        vectors = np.asarray(embeddings)
        vectors = vectors if vectors.dtype in (np.float32, np.float64) else vectors.astype(np.float64)
        if vectors.ndim != 2 or vectors.shape[0] != len(texts):
            raise WorkbenchError(
                f"{where}: embeddings have shape {vectors.shape} but there are {len(texts)} texts; "
                "pass one embedding row per text (workbench.analysis.embed.embed_texts(texts, embedder))"
            )
        if not np.isfinite(vectors).all():
            row = int(np.flatnonzero(~np.isfinite(vectors).all(axis=1))[0])
            raise WorkbenchError(f"{where}: embedding row {row} has NaN or infinite values; re-embed that text")
        return texts, unit_rows_sized(vectors)
