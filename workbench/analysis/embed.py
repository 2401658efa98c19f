"""Embedding many texts: :func:`embed_texts`, the one call the pipeline makes.

It removes duplicate texts, reads what it can from an
:class:`~workbench.analysis.embedding_cache.EmbeddingCache` (one SQLite file keyed by model id
and the SHA-256 of the text) and hands only what is missing to the embedder
(:mod:`workbench.analysis.embedders`), in chunks, longest texts first, writing each chunk back
to the cache, so a re-run costs nothing. :class:`CachedEmbedder` puts the same cache in front
of any embedder.

``import workbench.analysis.embed`` is cheap: torch, sentence-transformers, wordllama and tqdm are
imported inside the methods that need them.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from workbench.analysis.embedders import get_embedder
    >>> embedder = get_embedder("static")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     cache = EmbeddingCache(Path(folder) / "embeddings.sqlite")
    ...     first = embed_texts(["refund took weeks", "refund took weeks", "app crashed"], embedder, cache)
    ...     again = embed_texts(["app crashed", "refund took weeks"], embedder, cache)
    ...     cache.close()
    >>> first.shape, first.dtype.name
    ((3, 256), 'float32')
    >>> bool((again == first[[2, 0]]).all()), cache.stats.hits
    (True, 2)
"""
from __future__ import annotations

import sys
from collections.abc import Sequence

import numpy as np

from workbench.analysis.embedders.base import Embedder, _check_texts
from workbench.analysis.embedding_cache import EmbeddingCache
from workbench.errors import WorkbenchError

__all__ = ["DEFAULT_CHUNK_SIZE", "CachedEmbedder", "embed_texts", "plan_embedding"]

#: How many texts :func:`embed_texts` hands to the embedder at a time.
DEFAULT_CHUNK_SIZE = 512
#: Embedded vectors are written to the cache in transactions of about this many rows (one commit
#: per chunk made a million-row run spend minutes committing).
CACHE_WRITE_ROWS = 20_000


def _interactive() -> bool:
    """True in a Jupyter kernel or when stderr is a terminal (where a progress bar helps)."""
    shell = sys.modules.get("IPython")
    if shell is not None:
        try:
            ip = shell.get_ipython()  # type: ignore[attr-defined]
            if ip is not None and type(ip).__name__ == "ZMQInteractiveShell":
                return True
        except Exception:
            pass
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def plan_embedding(
    texts: Sequence[str], embedder: Embedder, dimension: int, cache: EmbeddingCache | None
) -> tuple[list[str], np.ndarray, np.ndarray, list[int]]:
    """What is left to embed: distinct texts, cached vectors filled in, the misses longest first.

    Returns ``(unique, inverse, matrix, missing)``: the distinct texts, for every input position
    the row of its distinct text (``matrix[inverse]`` is the answer in input order), a matrix
    with the cached rows filled in, and the rows still to embed, longest text first so similar
    lengths share a batch. Shared by the local path and the Dask path, so both send the same
    texts in the same order (and give identical vectors).

    Example:
        >>> from workbench.analysis.embedders import get_embedder
        >>> unique, inverse, matrix, missing = plan_embedding(["b", "aa", "b"], get_embedder("static"), 256, None)
        >>> unique, inverse.tolist(), matrix.shape, missing
        (['b', 'aa'], [0, 1, 0], (2, 256), [1, 0])
    """
    row_of: dict[str, int] = {}
    inverse = np.empty(len(texts), dtype=np.int64)
    for position, text in enumerate(texts):
        inverse[position] = row_of.setdefault(text, len(row_of))
    unique = list(row_of)
    matrix = np.zeros((len(unique), dimension), dtype=np.float32)
    hits = cache.get_many(embedder.model_id, unique) if cache is not None else {}
    found = set()
    for row, vector in hits.items():
        if vector.shape == (dimension,):  # a stale entry of another size is recomputed
            matrix[row] = vector
            found.add(row)
    missing = [row for row in range(len(unique)) if row not in found]
    missing.sort(key=lambda row: -len(unique[row]))
    return unique, inverse, matrix, missing


def embed_texts(
    texts: Sequence[str],
    embedder: Embedder,
    cache: EmbeddingCache | None = None,
    progress: bool | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> np.ndarray:
    """Embed ``texts`` in order, encoding each distinct text at most once and only if not cached.

    Identical texts are encoded once; cached vectors are read from ``cache``; the rest is
    encoded in chunks of ``chunk_size`` (longest first, so batches pad little), written back
    to the cache after each chunk (an interrupted run keeps what it did) and returned in
    input order.

    Args:
        texts: the texts; duplicates are fine.
        embedder: any :class:`~workbench.analysis.embedders.base.Embedder`, e.g. from
            :func:`workbench.analysis.embedders.get_embedder`.
        cache: where to look up and store vectors; ``None`` for no cache.
        progress: ``True`` always shows a ``tqdm.auto`` bar (a widget in notebooks),
            ``False`` never; ``None`` shows it only in a notebook or when stderr is a terminal.
        chunk_size: texts handed to ``embedder.encode`` at a time.

    Returns:
        float32 array of shape ``(len(texts), embedder.dimension)``.

    Example:
        >>> from workbench.analysis.embedders import MiniLMEmbedder, StaticEmbedder
        >>> vectors = embed_texts(["no refund yet", "hold music", "no refund yet"], StaticEmbedder(), progress=False)
        >>> vectors.shape, bool((vectors[0] == vectors[2]).all())
        ((3, 256), True)
        >>> embed_texts([], MiniLMEmbedder()).shape   # no model is loaded for nothing
        (0, 384)
    """
    texts = _check_texts(texts)
    dimension = int(embedder.dimension)
    if not texts:
        return np.zeros((0, dimension), dtype=np.float32)
    if not isinstance(chunk_size, int) or chunk_size < 1:
        raise WorkbenchError(f"embed_texts: chunk_size={chunk_size!r}; pass a positive integer such as 512")

    model_id = embedder.model_id
    unique, inverse, matrix, missing = plan_embedding(texts, embedder, dimension, cache)

    if missing:
        show = _interactive() if progress is None else bool(progress)
        bar = None
        if show:
            from tqdm.auto import tqdm

            bar = tqdm(total=len(missing), desc=f"Embedding ({model_id.split(':')[0]})", unit="text")
        pending: list[int] = []  # rows embedded but not yet in the cache: written in large transactions

        def flush() -> None:
            if cache is not None and pending:
                cache.put_many(model_id, [unique[row] for row in pending], matrix[pending])
            pending.clear()

        try:
            for start in range(0, len(missing), chunk_size):
                rows = missing[start : start + chunk_size]
                chunk = [unique[row] for row in rows]
                vectors = np.asarray(embedder.encode(chunk), dtype=np.float32)
                if vectors.shape != (len(chunk), dimension):
                    raise WorkbenchError(
                        f"embedder {model_id!r} returned shape {vectors.shape} for {len(chunk)} texts; "
                        f"expected ({len(chunk)}, {dimension}); check the embedder's dimension"
                    )
                matrix[rows] = vectors
                pending.extend(rows)
                if len(pending) >= CACHE_WRITE_ROWS:  # one commit per ~20,000 vectors, not per chunk
                    flush()
                if bar is not None:
                    bar.update(len(rows))
        finally:
            flush()  # what was embedded before an error is kept too
            if bar is not None:
                bar.close()
    return matrix[inverse]


class CachedEmbedder:
    """An :class:`~workbench.analysis.embedders.base.Embedder` that answers from an :class:`EmbeddingCache` first.

    ``encode`` goes through :func:`embed_texts`, so the wrapped model is loaded (for MiniLM:
    torch and sentence-transformers imported, weights read, several seconds) only when a
    text is missing from the cache. The analysis hands it to the lenses, whose label
    descriptions are then embedded once per cache, not once per run. Same ``model_id`` and
    ``dimension`` as the wrapped embedder.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from workbench.analysis.embedders import StaticEmbedder
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     with EmbeddingCache(Path(folder) / "e.sqlite") as cache:
        ...         cached = CachedEmbedder(StaticEmbedder(), cache)
        ...         first = cached.encode(["hold music"])
        ...         again = CachedEmbedder(StaticEmbedder(), cache)  # a new process, say
        ...         vectors = again.encode(["hold music"])
        >>> bool((vectors == first).all()), again.embedder.model_ is None  # answered without loading the model
        (True, True)
    """

    def __init__(self, embedder: Embedder, cache: EmbeddingCache | None) -> None:
        self.embedder = embedder
        self.cache = cache

    @property
    def model_id(self) -> str:
        """The wrapped embedder's ``model_id``."""
        return self.embedder.model_id

    @property
    def dimension(self) -> int:
        """The wrapped embedder's ``dimension``."""
        return int(self.embedder.dimension)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 rows, from the cache where possible (no progress bar)."""
        return embed_texts(texts, self.embedder, cache=self.cache, progress=False)

    def __repr__(self) -> str:
        return f"CachedEmbedder({self.embedder!r}, {self.cache!r})"
