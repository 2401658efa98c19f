"""The :class:`Embedder` protocol every embedder follows, and the checks they share.

An embedder is anything with a ``model_id``, a ``dimension`` and ``encode(texts)`` returning
one unit-length float32 row per text (as BERTopic's representation models share one tiny base
class). The shipped ones live beside this module, one per file: :mod:`.minilm` and
:mod:`.static`.

Example:
    >>> from workbench.analysis.embedders.static import StaticEmbedder
    >>> isinstance(StaticEmbedder(), Embedder)
    True
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from workbench.errors import WorkbenchError

__all__ = ["Embedder"]


@runtime_checkable
class Embedder(Protocol):
    """What every embedder offers: an id, a dimension and ``encode``.

    ``model_id`` names the model and every setting that changes the vectors (it is part of
    the cache key, so two settings never share cached vectors). ``encode`` returns a float32
    array of shape ``(len(texts), dimension)`` whose rows have unit L2 norm.

    Example:
        >>> from workbench.analysis.embedders.static import StaticEmbedder
        >>> isinstance(StaticEmbedder(), Embedder)
        True
    """

    model_id: str
    dimension: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return one unit-length float32 row per text, in the order given."""
        ...


def _normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """Scale each row to unit L2 norm (all-zero rows stay zero), as float32.

    Example:
        >>> _normalise_rows(np.array([[3.0, 4.0], [0.0, 0.0]])).tolist()
        [[0.6000000238418579, 0.800000011920929], [0.0, 0.0]]
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vectors / norms).astype(np.float32, copy=False)


def _check_texts(texts: Sequence[str]) -> list[str]:
    """Return ``texts`` as a list, or raise if an item is not a string.

    Example:
        >>> _check_texts(("a", "b"))
        ['a', 'b']
    """
    if isinstance(texts, str):
        raise WorkbenchError("embed: got one string where a list of texts was expected; pass [text]")
    texts = list(texts)
    for index, text in enumerate(texts):
        if not isinstance(text, str):
            raise WorkbenchError(
                f"embed: item {index} is {type(text).__name__}, not text; "
                "convert it with str() or drop it before embedding"
            )
    return texts
