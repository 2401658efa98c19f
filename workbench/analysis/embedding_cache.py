"""The on-disk cache of everything a re-run would recompute from identical input, one SQLite file.

:class:`EmbeddingCache` keys vectors by (model id, SHA-256 of the text), so
:func:`workbench.analysis.embed.embed_texts` encodes only what is missing and a re-run costs
nothing. The same file keeps per-text scores (sentiment and moment, keyed by the scorer's
version) and whole step results (the fitted pain points, keyed by a hash of their input).
WAL mode lets several processes share it; a damaged, locked or read-only file never stops an
analysis (it only costs the cache hits).

Example:
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with EmbeddingCache(Path(folder) / "embeddings.sqlite") as cache:
    ...         cache.put_many("demo:2d", ["refund"], np.array([[0.6, 0.8]], dtype=np.float32))
    ...         cache.count("demo:2d")
    1
"""
from __future__ import annotations

import os
import sqlite3
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from workbench.analysis.cache_records import ScoresAndResultsMixin, _rows_by_hash, _text_hash
from workbench.errors import WorkbenchError
from workbench.storage.sqlite_wal import enable_wal

__all__ = ["CacheStats", "EmbeddingCache", "EmbeddingCacheWarning"]


class EmbeddingCacheWarning(UserWarning):
    """A cache problem that was worked around (the analysis goes on without the cache)."""


@dataclass
class CacheStats:
    """Hits and misses of the cache's last :meth:`EmbeddingCache.get_many` call.

    Example:
        >>> CacheStats(hits=3, misses=1)
        CacheStats(hits=3, misses=1)
    """

    hits: int = 0
    misses: int = 0


#: the file's tables: vectors here, scores and step results for :mod:`workbench.analysis.cache_records`
_SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS embeddings (
    model_id  TEXT    NOT NULL,
    text_hash TEXT    NOT NULL,
    dim       INTEGER NOT NULL,
    vector    BLOB    NOT NULL,
    PRIMARY KEY (model_id, text_hash)
) WITHOUT ROWID
""",
    # per-text scores of a scorer (sentiment + moment), keyed like the vectors
    """
CREATE TABLE IF NOT EXISTS text_scores (
    scorer_id TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    score     REAL NOT NULL,
    label     TEXT NOT NULL,
    PRIMARY KEY (scorer_id, text_hash)
) WITHOUT ROWID
""",
    # deterministic results of a whole step (the fitted pain points), keyed by a hash of all its input
    """
CREATE TABLE IF NOT EXISTS step_results (
    kind    TEXT NOT NULL,
    key     TEXT NOT NULL,
    value   BLOB NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (kind, key)
)
""",
)


class EmbeddingCache(ScoresAndResultsMixin):
    """Vectors on disk, keyed by (model id, SHA-256 of the text), in one SQLite file.

    The same file also keeps what else a re-run would recompute from identical input: per-text
    scores (:meth:`get_scores` / :meth:`put_scores`, e.g. sentiment and moment keyed by the
    scorer's version) and whole step results (:meth:`get_result` / :meth:`put_result`, e.g.
    the fitted pain points keyed by a hash of their texts, vectors and settings).

    The file uses WAL mode and a busy timeout, so several processes (CLI, notebook, Voila
    app) can read and write it at once. A cache problem never stops an analysis: a file that
    is not a readable SQLite database is renamed aside (``<name>.corrupt-<time>``) with an
    :class:`EmbeddingCacheWarning` and a fresh one is started; a locked or read-only file
    only costs the cache hits.

    Args:
        cache_path: the SQLite file, e.g. ``<results>/cache/embeddings.sqlite``; its folder
            is created when needed.
        timeout: seconds to wait for another process's write lock.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     with EmbeddingCache(Path(folder) / "cache" / "embeddings.sqlite") as cache:
        ...         cache.put_many("demo:2d", ["a", "b"], np.array([[1, 0], [0, 1]], dtype=np.float32))
        ...         hits = cache.get_many("demo:2d", ["b", "c", "a"])
        >>> sorted(hits), hits[0].tolist(), cache.stats
        ([0, 2], [0.0, 1.0], CacheStats(hits=2, misses=1))
    """

    def __init__(self, cache_path: Path | str, timeout: float = 60.0) -> None:
        self.cache_path = Path(cache_path)
        self.timeout = timeout
        self.stats = CacheStats()
        self._connection: sqlite3.Connection | None = None
        self._pid: int | None = None

    # -- connection -------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        """Open (once per process) the database, creating or replacing it as needed."""
        if self._connection is not None and self._pid == os.getpid():
            return self._connection
        self._connection = None  # a connection inherited through fork is not ours to use
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            connection = self._open()
        except sqlite3.OperationalError:
            raise
        except sqlite3.DatabaseError as error:  # not a database / malformed
            self._set_aside(error)
            connection = self._open()
        self._connection = connection
        self._pid = os.getpid()
        return connection

    def _open(self) -> sqlite3.Connection:
        connection = sqlite3.connect(str(self.cache_path), timeout=self.timeout)
        try:
            connection.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            enable_wal(connection, self.timeout)
            connection.execute("PRAGMA synchronous = NORMAL")
            with connection:
                for statement in _SCHEMA:
                    connection.execute(statement)
        except BaseException:
            connection.close()
            raise
        return connection

    def _set_aside(self, error: BaseException) -> None:
        """Rename a damaged cache file (and its WAL side files) out of the way, with a warning."""
        if self._connection is not None:
            try:
                self._connection.close()
            except sqlite3.Error:
                pass
            self._connection = None
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.cache_path.with_name(f"{self.cache_path.name}.corrupt-{stamp}-{os.getpid()}")
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{self.cache_path}{suffix}")
            try:
                source.replace(Path(f"{aside}{suffix}"))
            except FileNotFoundError:  # already moved by another process, or never existed
                pass
        warnings.warn(
            f"{self.cache_path}: the embedding cache could not be read ({error}); it was moved to "
            f"{aside.name} and a fresh cache was started (embeddings are recomputed; "
            "delete the old file when you no longer need it)",
            EmbeddingCacheWarning,
            stacklevel=4,
        )

    def _run(self, action: str, work: Any, fallback: Any) -> Any:
        """Run ``work(connection)``; on a cache problem warn, repair if possible, return ``fallback``."""
        for attempt in range(2):
            try:
                return work(self._connect())
            except sqlite3.OperationalError as error:  # locked, read-only, disk full…
                warnings.warn(
                    f"{self.cache_path}: could not {action} the embedding cache ({error}); "
                    "going on without it (check the folder is writable and has space)",
                    EmbeddingCacheWarning,
                    stacklevel=3,
                )
                return fallback
            except sqlite3.DatabaseError as error:  # damaged file found mid-use
                if attempt == 0:
                    self._set_aside(error)
                    continue
                return fallback
            except OSError as error:  # e.g. the folder cannot be created
                warnings.warn(
                    f"{self.cache_path}: could not {action} the embedding cache ({error}); going on without it",
                    EmbeddingCacheWarning,
                    stacklevel=3,
                )
                return fallback
        return fallback

    # -- public API -------------------------------------------------------------------

    def get_many(self, model_id: str, texts: Sequence[str]) -> dict[int, np.ndarray]:
        """Return ``{index: vector}`` for each text of ``texts`` already cached for ``model_id``.

        Misses are simply absent; :attr:`stats` counts hits and misses of this call.

        Example:
            >>> import tempfile
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     cache = EmbeddingCache(Path(folder) / "e.sqlite")
            ...     cache.get_many("static:demo", ["never seen"]), cache.stats
            ...     cache.close()
            ({}, CacheStats(hits=0, misses=1))
        """
        texts = list(texts)
        hashes = [_text_hash(text) for text in texts]
        positions: dict[str, list[int]] = {}
        for index, digest in enumerate(hashes):
            positions.setdefault(digest, []).append(index)
        unique = list(positions)

        def work(connection: sqlite3.Connection) -> dict[int, np.ndarray]:
            found: dict[int, np.ndarray] = {}
            query = "SELECT text_hash, dim, vector FROM embeddings WHERE model_id = ? AND text_hash IN ({marks})"
            for rows in _rows_by_hash(connection, query, model_id, unique):
                for digest, dim, blob in rows:
                    if not isinstance(blob, bytes) or len(blob) != 4 * dim:
                        continue  # a damaged row is a miss; put_many will overwrite it
                    vector = np.frombuffer(blob, dtype="<f4").astype(np.float32)
                    for index in positions.get(digest, ()):
                        found[index] = vector.copy()
            return found

        hits = self._run("read", work, {}) if texts else {}
        self.stats = CacheStats(hits=len(hits), misses=len(texts) - len(hits))
        return hits

    def put_many(self, model_id: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Store one vector per text for ``model_id`` (replacing what was there) in one transaction.

        Example:
            >>> import tempfile
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     with EmbeddingCache(Path(folder) / "e.sqlite") as cache:
            ...         cache.put_many("demo:3d", ["x"], np.ones((1, 3), dtype=np.float32))
            ...         cache.get_many("demo:3d", ["x"])[0].tolist()
            [1.0, 1.0, 1.0]
        """
        texts = list(texts)
        vectors = np.asarray(vectors, dtype="<f4")
        if vectors.ndim != 2 or vectors.shape[0] != len(texts):
            raise WorkbenchError(
                f"{self.cache_path}: put_many got {len(texts)} texts but vectors of shape {vectors.shape}; "
                "pass one row per text"
            )
        if not texts:
            return
        dim = int(vectors.shape[1])
        rows = [(model_id, _text_hash(text), dim, vectors[i].tobytes()) for i, text in enumerate(texts)]

        def work(connection: sqlite3.Connection) -> None:
            with connection:  # one transaction: all rows or none
                connection.executemany(
                    "INSERT OR REPLACE INTO embeddings (model_id, text_hash, dim, vector) VALUES (?, ?, ?, ?)",
                    rows,
                )

        self._run("write", work, None)

    def count(self, model_id: str | None = None) -> int:
        """Number of cached vectors (for ``model_id``, or all).

        Example:
            >>> import tempfile
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     with EmbeddingCache(Path(folder) / "e.sqlite") as cache:
            ...         cache.count()
            0
        """

        def work(connection: sqlite3.Connection) -> int:
            if model_id is None:
                return int(connection.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0])
            return int(connection.execute("SELECT COUNT(*) FROM embeddings WHERE model_id = ?", (model_id,)).fetchone()[0])

        return self._run("read", work, 0)

    def close(self) -> None:
        """Close this process's connection (it is reopened on next use)."""
        if self._connection is not None and self._pid == os.getpid():
            try:
                self._connection.close()
            except sqlite3.Error:
                pass
        self._connection = None

    def __enter__(self) -> EmbeddingCache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __getstate__(self) -> dict[str, Any]:  # picklable for multiprocessing: no connection
        state = self.__dict__.copy()
        state["_connection"] = None
        state["_pid"] = None
        return state

    def __repr__(self) -> str:
        return f"EmbeddingCache({str(self.cache_path)!r})"
