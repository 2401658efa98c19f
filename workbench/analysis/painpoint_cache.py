"""The fit cache of pain points: a fitted result stored under a hash of everything it depends on.

Given a cache (``PainPointModel.fit(texts, vectors, cache=EmbeddingCache(...))``), a fit on
identical texts, vectors, parameters and seed, by the same code and clustering libraries,
reads its result back from the cache's step results instead of fitting again (and imports
none of umap, hdbscan or scikit-learn). :class:`FitCacheMixin` computes the key
(:meth:`FitCacheMixin._result_key`: the source of every module the model names in
``_fit_source_files()``, the libraries' versions, parameters, settings, texts and vectors),
writes the fitted state as an ``.npz`` of plain arrays and JSON (no pickle) and restores it.

Example:
    >>> len(_code_version([__file__]))
    64
"""
from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["RESULT_KIND", "FitCacheMixin"]

#: ``kind`` of fitted pain points in the cache's step results (change it when their format changes)
RESULT_KIND = "painpoints-v1"


def _code_version(source_files: Iterable[str]) -> str:
    """The source of ``source_files`` plus the clustering libraries' versions, hashed.

    Part of the result cache key, so a change to the code (every module whose code decides
    what a fit finds) or an upgrade of UMAP, HDBSCAN, scikit-learn, numpy or scipy never reads
    pain points fitted by the old ones.

    Example:
        >>> _code_version([__file__]) == _code_version([__file__]), _code_version([__file__]) == _code_version([])
        (True, False)
    """
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256()
    for path in source_files:
        with open(path, "rb") as source:
            digest.update(source.read())
    for package in ("umap-learn", "hdbscan", "scikit-learn", "numpy", "scipy", "pynndescent", "numba"):
        try:
            digest.update(f"{package}={version(package)};".encode())
        except PackageNotFoundError:  # pragma: no cover - depends on the environment
            digest.update(f"{package}=none;".encode())
    return digest.hexdigest()


class FitCacheMixin:
    """Key, store and restore a fitted :class:`~workbench.analysis.painpoints.PainPointModel`.

    Relies on the model's ``get_params()`` and ``_fit_source_files()`` (the source files whose
    code decides what ``fit`` finds) and on the fitted attributes it stores and sets.

    Example:
        >>> from workbench.analysis.painpoints import PainPointModel
        >>> issubclass(PainPointModel, FitCacheMixin)
        True
    """

    get_params: Any
    _fit_source_files: Any

    def _result_key(self, texts: list[str], vectors: np.ndarray, settings: dict[str, Any]) -> str:
        """SHA-256 of everything a fit depends on: code, library versions, parameters, texts, vectors."""
        digest = hashlib.sha256(RESULT_KIND.encode())
        digest.update(_code_version(self._fit_source_files()).encode())
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
