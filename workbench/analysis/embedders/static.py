"""The fast embedder: wordllama's static token embeddings (256 dimensions), numpy only.

Thousands of sentences a second; good for quick looks and tests. The weights and tokenizer
ship inside the ``wordllama`` package and are never downloaded; wordllama is imported inside
:meth:`StaticEmbedder.load` only.

Example:
    >>> StaticEmbedder().model_id
    'static:wordllama-l2_supercat:256'
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from workbench.analysis.embedders.base import _check_texts, _normalise_rows
from workbench.errors import WorkbenchError

__all__ = ["WORDLLAMA_CONFIG", "WORDLLAMA_DIMENSION", "StaticEmbedder"]

#: The wordllama model and its dimension, so an empty input needs no model load.
WORDLLAMA_CONFIG = "l2_supercat"
WORDLLAMA_DIMENSION = 256


class StaticEmbedder:
    """wordllama's static token embeddings (256 dimensions), averaged and L2-normalised.

    Numpy only and fast (thousands of texts a second); loaded on the first :meth:`encode`
    from the files inside the ``wordllama`` package, never downloaded. A text with no known
    token (for example the empty string) gets an all-zero vector.

    Args:
        batch_size: texts tokenised per step.

    Example:
        >>> embedder = StaticEmbedder()
        >>> vectors = embedder.encode(["card charged, no e-ticket", "app logs me out"])
        >>> embedder.model_id, vectors.shape, vectors.dtype.name
        ('static:wordllama-l2_supercat:256', (2, 256), 'float32')
        >>> np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
        True
    """

    def __init__(self, batch_size: int = 256) -> None:
        self.batch_size = batch_size
        self.model_: Any = None

    @property
    def model_id(self) -> str:
        """Model name and size, e.g. ``'static:wordllama-l2_supercat:256'``."""
        return f"static:wordllama-{WORDLLAMA_CONFIG}:{WORDLLAMA_DIMENSION}"

    @property
    def dimension(self) -> int:
        """Length of each vector (256).

        Example:
            >>> StaticEmbedder().dimension
            256
        """
        return WORDLLAMA_DIMENSION

    def load(self) -> Any:
        """Load the wordllama model from the package's own files (once) and return it.

        Example:
            >>> StaticEmbedder().load().embedding.shape[1]
            256
        """
        if self.model_ is not None:
            return self.model_
        if not isinstance(self.batch_size, int) or self.batch_size < 1:
            raise WorkbenchError(f"StaticEmbedder: batch_size={self.batch_size!r}; pass a positive integer such as 256")
        try:
            import wordllama
            from wordllama import WordLlama
        except ImportError as error:
            raise WorkbenchError(
                "the 'static' embedder needs the wordllama package; run `pip install wordllama`"
            ) from error
        package_dir = Path(wordllama.__file__).parent
        try:
            # cache_dir = the package folder: the weights and tokenizer shipped there are found
            # without looking in ~/.cache or on the hub.
            model = WordLlama.load(
                config=WORDLLAMA_CONFIG, dim=WORDLLAMA_DIMENSION, cache_dir=package_dir, disable_download=True
            )
        except Exception as error:
            raise WorkbenchError(
                f"could not load the wordllama model from {package_dir}: {error}; "
                "reinstall it with `pip install --force-reinstall wordllama`"
            ) from error
        self.model_ = model
        return model

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return unit-length float32 vectors, shape ``(len(texts), 256)``, in input order.

        Example:
            >>> StaticEmbedder().encode([]).shape
            (0, 256)
        """
        texts = _check_texts(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self.load()
        vectors = model.embed(texts, norm=False, batch_size=self.batch_size)
        return _normalise_rows(vectors)

    def __repr__(self) -> str:
        return f"StaticEmbedder(batch_size={self.batch_size!r})"
