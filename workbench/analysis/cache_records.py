"""Per-text scores and whole step results, the records the embedding cache's file keeps besides vectors.

:class:`ScoresAndResultsMixin` gives :class:`~workbench.analysis.embedding_cache.EmbeddingCache`
its ``get_scores``/``put_scores`` (e.g. sentiment and moment, keyed by the scorer's version and
the SHA-256 of the text) and ``get_result``/``put_result`` (e.g. the fitted pain points, keyed by
a hash of all their input; only the newest :data:`STEP_RESULTS_KEPT` of each kind are kept).
Also here: the text hash and the batched ``IN (...)`` lookup that every table of the file uses.

Example:
    >>> _text_hash("refund")[:12]
    '1d630127108f'
"""
from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError

__all__ = ["STEP_RESULTS_KEPT", "ScoresAndResultsMixin"]

#: step results kept per kind (older ones are dropped when a new one is stored)
STEP_RESULTS_KEPT = 4
_SQL_BATCH = 500  # keys per SELECT ... IN (...), under every SQLite variable limit


def _text_hash(text: str) -> str:
    """SHA-256 hex digest of ``text`` encoded as UTF-8 (invalid surrogates kept).

    Example:
        >>> _text_hash("")[:12]
        'e3b0c44298fc'
    """
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _rows_by_hash(connection: sqlite3.Connection, query: str, key: str, hashes: list[str]) -> Iterator[list[Any]]:
    """Run ``query`` (with ``{marks}`` for the IN list) for ``key`` and ``hashes``, a batch at a time.

    Example:
        >>> db = sqlite3.connect(":memory:")
        >>> _ = db.execute("CREATE TABLE t (k TEXT, text_hash TEXT)")
        >>> _ = db.executemany("INSERT INTO t VALUES ('m', ?)", [(str(i),) for i in range(1200)])
        >>> batches = list(_rows_by_hash(db, "SELECT text_hash FROM t WHERE k = ? AND text_hash IN ({marks})",
        ...                              "m", [str(i) for i in range(1200)]))
        >>> [len(rows) for rows in batches]
        [500, 500, 200]
    """
    for start in range(0, len(hashes), _SQL_BATCH):
        chunk = hashes[start : start + _SQL_BATCH]
        yield connection.execute(query.format(marks=",".join("?" * len(chunk))), [key, *chunk]).fetchall()


class ScoresAndResultsMixin:
    """The scores and step-results tables of :class:`~workbench.analysis.embedding_cache.EmbeddingCache`.

    Relies on the cache's ``cache_path`` and ``_run(action, work, fallback)``, which runs
    ``work(connection)`` and turns a cache problem into a warning and ``fallback``.

    Example:
        >>> from workbench.analysis.embedding_cache import EmbeddingCache
        >>> issubclass(EmbeddingCache, ScoresAndResultsMixin)
        True
    """

    cache_path: Path
    _run: Any

    def get_scores(self, scorer_id: str, texts: Sequence[str]) -> dict[int, tuple[float, str]]:
        """Return ``{index: (score, label)}`` for each text already scored by ``scorer_id``.

        ``scorer_id`` names the scorer and its version (e.g. a hash of its lexicon), so a
        changed scorer never reads old scores. Misses are simply absent.

        Example:
            >>> import tempfile
            >>> from workbench.analysis.embedding_cache import EmbeddingCache
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     with EmbeddingCache(Path(folder) / "e.sqlite") as cache:
            ...         cache.put_scores("vader:v1", ["so slow"], [-0.4], ["pain"])
            ...         cache.get_scores("vader:v1", ["new", "so slow"]), cache.get_scores("vader:v2", ["so slow"])
            ({1: (-0.4, 'pain')}, {})
        """
        texts = list(texts)
        positions: dict[str, list[int]] = {}
        for index, text in enumerate(texts):
            positions.setdefault(_text_hash(text), []).append(index)
        unique = list(positions)

        def work(connection: sqlite3.Connection) -> dict[int, tuple[float, str]]:
            found: dict[int, tuple[float, str]] = {}
            query = "SELECT text_hash, score, label FROM text_scores WHERE scorer_id = ? AND text_hash IN ({marks})"
            for rows in _rows_by_hash(connection, query, scorer_id, unique):
                for digest, score, label in rows:
                    for index in positions.get(digest, ()):
                        found[index] = (float(score), str(label))
            return found

        return self._run("read", work, {}) if texts else {}

    def put_scores(self, scorer_id: str, texts: Sequence[str], scores: Sequence[float], labels: Sequence[str]) -> None:
        """Store one ``(score, label)`` per text for ``scorer_id``, in one transaction.

        Example:
            >>> import tempfile
            >>> from workbench.analysis.embedding_cache import EmbeddingCache
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     with EmbeddingCache(Path(folder) / "e.sqlite") as cache:
            ...         cache.put_scores("demo", ["a", "b"], [0.5, 0.0], ["delight", "neutral"])
            ...         sorted(cache.get_scores("demo", ["b", "a"]).items())
            [(0, (0.0, 'neutral')), (1, (0.5, 'delight'))]
        """
        texts, scores, labels = list(texts), list(scores), list(labels)
        if not len(texts) == len(scores) == len(labels):
            raise WorkbenchError(
                f"{self.cache_path}: put_scores got {len(texts)} texts, {len(scores)} scores and "
                f"{len(labels)} labels; pass one of each per text"
            )
        if not texts:
            return
        rows = [(scorer_id, _text_hash(t), float(v), str(l)) for t, v, l in zip(texts, scores, labels)]

        def work(connection: sqlite3.Connection) -> None:
            with connection:
                connection.executemany(
                    "INSERT OR REPLACE INTO text_scores (scorer_id, text_hash, score, label) VALUES (?, ?, ?, ?)", rows
                )

        self._run("write", work, None)

    def get_result(self, kind: str, key: str) -> bytes | None:
        """The stored result of step ``kind`` for input hash ``key``, or None.

        Example:
            >>> import tempfile
            >>> from workbench.analysis.embedding_cache import EmbeddingCache
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     with EmbeddingCache(Path(folder) / "e.sqlite") as cache:
            ...         cache.put_result("painpoints", "abc", b"labels")
            ...         cache.get_result("painpoints", "abc"), cache.get_result("painpoints", "other")
            (b'labels', None)
        """

        def work(connection: sqlite3.Connection) -> bytes | None:
            row = connection.execute(
                "SELECT value FROM step_results WHERE kind = ? AND key = ?", (kind, key)
            ).fetchone()
            return bytes(row[0]) if row is not None and isinstance(row[0], (bytes, memoryview)) else None

        return self._run("read", work, None)

    def put_result(self, kind: str, key: str, value: bytes) -> None:
        """Store a step result; only the newest :data:`STEP_RESULTS_KEPT` of each ``kind`` are kept.

        Example:
            >>> import tempfile
            >>> from workbench.analysis.embedding_cache import EmbeddingCache
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     with EmbeddingCache(Path(folder) / "e.sqlite") as cache:
            ...         for number in range(STEP_RESULTS_KEPT + 2):
            ...             cache.put_result("demo", str(number), b"x")
            ...         cache.get_result("demo", "0"), cache.get_result("demo", str(STEP_RESULTS_KEPT + 1))
            (None, b'x')
        """

        def work(connection: sqlite3.Connection) -> None:
            with connection:  # one transaction: the new row and the clean-up together
                connection.execute(
                    "INSERT OR REPLACE INTO step_results (kind, key, value, created) VALUES (?, ?, ?, ?)",
                    (kind, key, sqlite3.Binary(value), time.time()),
                )
                connection.execute(
                    "DELETE FROM step_results WHERE kind = ? AND rowid NOT IN "
                    "(SELECT rowid FROM step_results WHERE kind = ? ORDER BY created DESC, rowid DESC LIMIT ?)",
                    (kind, kind, STEP_RESULTS_KEPT),
                )

        self._run("write", work, None)

