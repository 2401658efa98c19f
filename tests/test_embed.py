"""Tests of workbench.analysis.embed with the real offline models (MiniLM and wordllama), no mocks.

The MiniLM model is loaded once per module (about 10 s on two cores); everything else is cheap.
"""
from __future__ import annotations

import multiprocessing
import os
import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from workbench.analysis.cache_records import STEP_RESULTS_KEPT
from workbench.analysis.embed import embed_texts
from workbench.analysis.embedders import MiniLMEmbedder, StaticEmbedder, get_embedder
from workbench.analysis.embedding_cache import EmbeddingCache, EmbeddingCacheWarning
from workbench.errors import WorkbenchError

ROOT = Path(__file__).resolve().parents[1]

SENTENCES = [
    "I was charged but never got a confirmation email",
    "payment went through, no booking confirmation",
    "the app crashes when I log in",
    "I waited on hold for forty minutes and the menu kept looping",
    "my refund for the cancelled flight took three months",
    "they offered a voucher instead of my money back",
    "the price jumped at checkout because of a resort fee",
    "baggage fees appeared only on the last page",
    "the two-factor code never arrives so I cannot sign in",
    "my Skylark Miles were not credited after the trip",
    "my Gold status disappeared from the account",
    "changing the date online was impossible, I had to call",
    "the hotel desk could not find my reservation",
    "we got a twin room although we booked a king",
    "the chat agent and the phone agent told me different things",
    "nobody told us the flight was cancelled until we reached the gate",
    "the gate change was announced ten minutes before boarding",
    "the lady at the airport desk was wonderfully helpful",
    "mobile check-in was smooth and quick",
    "I booked because of a price alert for the bundle deal",
    "",
    "Ok.",
    "A much longer answer that goes on and on about the booking, the payment, the missing e-ticket, "
    "the calls to the call centre and the emails that never came back, to make a long input.",
    "Ünïcödé and emoji 🙂 should embed as well",
]

QUERY = "I was charged but never got a confirmation email"
CLOSE = "payment went through, no booking confirmation"
FAR = "the app crashes when I log in"


class CountingEmbedder:
    """Delegates to a real embedder and counts what it was asked to encode."""

    def __init__(self, inner):
        self.inner = inner
        self.calls = 0
        self.encoded: list[str] = []

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.encoded.extend(texts)
        return self.inner.encode(texts)


@pytest.fixture(scope="module")
def minilm() -> MiniLMEmbedder:
    embedder = MiniLMEmbedder()
    embedder.load()
    return embedder


@pytest.fixture(scope="module")
def static() -> StaticEmbedder:
    embedder = StaticEmbedder()
    embedder.load()
    return embedder


@pytest.fixture(params=["static", "minilm"])
def embedder(request):
    return request.getfixturevalue(request.param)


# ---------------------------------------------------------------------------- imports


def test_import_does_not_load_heavy_libraries():
    code = (
        "import sys, workbench.analysis.embed, workbench.analysis.embedders\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'wordllama', 'transformers') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    assert result.stdout.strip() == ""


def test_models_load_lazily():
    embedder = MiniLMEmbedder()
    assert embedder.model_ is None
    assert embed_texts([], embedder).shape == (0, 384)
    assert embedder.model_ is None  # nothing to encode, nothing loaded


# ---------------------------------------------------------------------------- embedders


def test_vectors_are_unit_float32_and_deterministic(embedder):
    first = embedder.encode(SENTENCES)
    second = embedder.encode(SENTENCES)
    assert first.dtype == np.float32
    assert first.shape == (len(SENTENCES), embedder.dimension)
    norms = np.linalg.norm(first, axis=1)
    nonempty = np.array([bool(s.strip()) for s in SENTENCES])
    assert np.allclose(norms[nonempty], 1.0, atol=1e-5)
    assert np.all(np.isfinite(first))
    assert np.array_equal(first, second)  # same call, same vectors, bit for bit


def test_order_is_restored_after_length_sorting(embedder):
    texts = SENTENCES[:12]
    together = embedder.encode(texts)
    alone = np.vstack([embedder.encode([text]) for text in texts[:4]])
    assert np.allclose(together[:4], alone, atol=1e-5)
    reversed_ = embedder.encode(texts[::-1])
    assert np.allclose(reversed_[::-1], together, atol=1e-5)


def test_similar_meaning_is_closer(embedder):
    vectors = embedder.encode([QUERY, CLOSE, FAR])
    close = float(vectors[0] @ vectors[1])
    far = float(vectors[0] @ vectors[2])
    assert close > far, (embedder.model_id, close, far)


def test_model_ids_name_the_settings():
    assert MiniLMEmbedder().model_id == "minilm:all-MiniLM-L6-v2:max_seq_256"
    assert MiniLMEmbedder(max_seq_length=128).model_id != MiniLMEmbedder().model_id
    assert MiniLMEmbedder(batch_size=8).model_id == MiniLMEmbedder().model_id  # batching changes no vector
    assert StaticEmbedder().model_id.startswith("static:")
    assert StaticEmbedder().dimension == 256


def test_get_embedder_builds_and_rejects():
    assert isinstance(get_embedder("minilm-torch"), MiniLMEmbedder)  # "minilm" itself: tests/test_embedders_onnx.py
    assert get_embedder("static").dimension == 256
    built = get_embedder("minilm", batch_size=16, num_threads=1)
    assert (built.batch_size, built.num_threads) == (16, 1)
    with pytest.raises(WorkbenchError, match="minilm, static"):
        get_embedder("bert-large")
    with pytest.raises(WorkbenchError, match="batch_size"):
        get_embedder("static", colour="blue")


def test_bad_parameters_are_reported_at_load_time():
    embedder = MiniLMEmbedder(max_seq_length=0)
    with pytest.raises(WorkbenchError, match="max_seq_length"):
        embedder.encode(["x"])


def test_non_text_items_are_rejected(static):
    with pytest.raises(WorkbenchError, match="item 1"):
        embed_texts(["ok", None], static)  # type: ignore[list-item]


# ---------------------------------------------------------------------------- embed_texts + cache


def test_rerun_hits_cache_and_only_new_texts_are_encoded(embedder, tmp_path):
    cache = EmbeddingCache(tmp_path / "cache" / "embeddings.sqlite")
    counting = CountingEmbedder(embedder)
    first = embed_texts(SENTENCES, counting, cache, progress=False)
    assert sorted(counting.encoded) == sorted(set(SENTENCES))
    assert cache.stats.hits == 0

    counting.encoded.clear()
    again = embed_texts(SENTENCES, counting, cache, progress=False)
    assert counting.encoded == []
    assert cache.stats.hits == len(set(SENTENCES)) and cache.stats.misses == 0
    assert np.array_equal(first, again)

    new = ["my e-ticket never arrived", "the IVR hung up on me"]
    mixed = embed_texts(SENTENCES[:3] + new, counting, cache, progress=False)
    assert sorted(counting.encoded) == sorted(new)
    assert np.array_equal(mixed[:3], first[:3])
    cache.close()

    # A new process (new cache object) reads the same vectors back.
    reopened = EmbeddingCache(tmp_path / "cache" / "embeddings.sqlite")
    counting.encoded.clear()
    assert np.array_equal(embed_texts(SENTENCES, counting, reopened, progress=False), first)
    assert counting.encoded == []


def test_order_is_preserved_with_duplicates(static, tmp_path):
    texts = ["b", "a", "b", "c", "a", "a", "", "c"]
    counting = CountingEmbedder(static)
    vectors = embed_texts(texts, counting, EmbeddingCache(tmp_path / "e.sqlite"), progress=False, chunk_size=2)
    assert sorted(counting.encoded) == ["", "a", "b", "c"]  # each distinct text once
    direct = static.encode(texts)
    assert np.allclose(vectors, direct, atol=1e-6)
    assert np.array_equal(vectors[0], vectors[2]) and np.array_equal(vectors[1], vectors[5])
    # Cached, partly cached and uncached inputs come back in input order too.
    counting.encoded.clear()
    later = embed_texts(["c", "new text", "b"], counting, EmbeddingCache(tmp_path / "e.sqlite"), progress=False)
    assert counting.encoded == ["new text"]
    assert np.array_equal(later[0], vectors[3]) and np.array_equal(later[2], vectors[0])


def test_two_models_do_not_collide_in_one_cache(static, minilm, tmp_path):
    path = tmp_path / "embeddings.sqlite"
    texts = SENTENCES[:5]
    cache = EmbeddingCache(path)
    from_static = embed_texts(texts, static, cache, progress=False)
    from_minilm = embed_texts(texts, minilm, cache, progress=False)
    assert from_static.shape == (5, 256) and from_minilm.shape == (5, 384)
    assert cache.count(static.model_id) == 5 and cache.count(minilm.model_id) == 5
    assert np.array_equal(embed_texts(texts, static, cache, progress=False), from_static)
    assert np.array_equal(embed_texts(texts, minilm, cache, progress=False), from_minilm)
    assert cache.get_many("minilm:all-MiniLM-L6-v2:max_seq_128", texts) == {}


def test_corrupt_cache_file_is_set_aside_and_replaced(static, tmp_path):
    path = tmp_path / "cache" / "embeddings.sqlite"
    path.parent.mkdir()
    path.write_bytes(os.urandom(8192))
    cache = EmbeddingCache(path)
    with pytest.warns(EmbeddingCacheWarning, match="moved to"):
        vectors = embed_texts(SENTENCES[:4], static, cache, progress=False)
    assert np.allclose(vectors, static.encode(SENTENCES[:4]), atol=1e-6)
    set_aside = list(path.parent.glob("embeddings.sqlite.corrupt-*"))
    assert len(set_aside) == 1 and set_aside[0].stat().st_size == 8192
    assert cache.count(static.model_id) == 4  # the fresh cache works
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_cache_damaged_while_in_use_is_recovered(static, tmp_path):
    path = tmp_path / "embeddings.sqlite"
    texts = [f"sentence number {i} about refunds" for i in range(300)]
    with EmbeddingCache(path) as cache:
        embed_texts(texts, static, cache, progress=False)
    with open(path, "r+b") as handle:  # overwrite the header and first pages
        handle.write(b"\xde\xad\xbe\xef" * 4096)
    for side in ("-wal", "-shm"):
        Path(f"{path}{side}").unlink(missing_ok=True)
    counting = CountingEmbedder(static)
    with pytest.warns(EmbeddingCacheWarning):
        vectors = embed_texts(texts[:10], counting, EmbeddingCache(path), progress=False)
    assert len(counting.encoded) == 10 and vectors.shape == (10, 256)


def test_unusable_cache_location_only_costs_the_cache(static, tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the cache folder should be")
    cache = EmbeddingCache(blocker / "embeddings.sqlite")
    with pytest.warns(EmbeddingCacheWarning):
        vectors = embed_texts(SENTENCES[:3], static, cache, progress=False)
    assert vectors.shape == (3, 256)


def _write_from_process(path: str, start: int, rounds: int, go) -> None:
    """Worker: write overlapping batches and read them back; any cache warning is a failure."""
    warnings.simplefilter("error", EmbeddingCacheWarning)
    cache = EmbeddingCache(path)
    go.wait(30)
    for round_ in range(rounds):
        texts = [f"text {start + round_ * 10 + i}" for i in range(20)]  # overlaps the other writer
        vectors = np.stack([np.full(8, hash_of(text), dtype=np.float32) for text in texts])
        cache.put_many("concurrency:test", texts, vectors)
        got = cache.get_many("concurrency:test", texts)
        assert len(got) == len(texts)
        for index, text in enumerate(texts):
            assert np.array_equal(got[index], vectors[index])
    cache.close()


def hash_of(text: str) -> float:
    return float(sum(text.encode()) % 997)


def test_two_processes_write_the_same_cache_at_once(tmp_path):
    path = str(tmp_path / "shared.sqlite")
    context = multiprocessing.get_context("spawn")
    go = context.Event()
    workers = [context.Process(target=_write_from_process, args=(path, start, 40, go)) for start in (0, 5)]
    for worker in workers:
        worker.start()
    go.set()
    for worker in workers:
        worker.join(60)
    assert [worker.exitcode for worker in workers] == [0, 0]
    expected = {f"text {n}" for start in (0, 5) for r in range(40) for n in range(start + r * 10, start + r * 10 + 20)}
    with EmbeddingCache(path) as cache:
        assert cache.count("concurrency:test") == len(expected)
        hits = cache.get_many("concurrency:test", sorted(expected))
        assert len(hits) == len(expected)
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_progress_bar_only_when_asked(static, capsys):
    embed_texts(SENTENCES[:5], static, progress=True)
    assert "Embedding" in capsys.readouterr().err
    embed_texts(SENTENCES[:5], static, progress=None)  # stderr is captured, not a terminal
    embed_texts(SENTENCES[:5], static, progress=False)
    assert capsys.readouterr().err == ""


# ---------------------------------------------------------------------------- MiniLM bucketed encode


def test_bucketed_minilm_gives_sentence_transformers_vectors(minilm):
    """The length-bucketed encode reproduces plain ``SentenceTransformer.encode`` (its defaults, normalised)."""
    long_text = " ".join(["The refund for my cancelled flight still has not arrived after many weeks"] * 30)
    texts = SENTENCES + [long_text, "ok", "Refund?"] + [f"Order {i} arrived late and cold." for i in range(40)]
    plain = minilm.load().encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    ours = minilm.encode(texts)
    assert ours.shape == plain.shape
    assert np.abs(ours - plain).max() < 1e-5
    # A tiny token budget (one text per batch) changes the batching, not the vectors.
    one_at_a_time = MiniLMEmbedder(tokens_per_batch=1)
    one_at_a_time.model_ = minilm.model_
    assert np.abs(one_at_a_time.encode(texts) - ours).max() < 1e-5


def test_long_texts_are_cut_at_max_seq_length(minilm):
    words = "refund " * 600
    short = MiniLMEmbedder(max_seq_length=32)
    short.model_ = minilm.model_
    model = minilm.load()
    previous = model.max_seq_length
    try:
        model.max_seq_length = 32
        plain = model.encode([words, "an app that crashes"], normalize_embeddings=True)
    finally:
        model.max_seq_length = previous
    assert np.abs(short.encode([words, "an app that crashes"]) - plain).max() < 1e-5


def test_minilm_threads_are_restored_and_budget_is_checked(minilm):
    import torch

    before = torch.get_num_threads()
    one_thread = MiniLMEmbedder(num_threads=1)
    one_thread.model_ = minilm.model_
    one_thread.encode(["hold music for an hour"])
    assert torch.get_num_threads() == before
    with pytest.raises(WorkbenchError, match="tokens_per_batch"):
        MiniLMEmbedder(tokens_per_batch=0).encode(["x"])


# ---------------------------------------------------------------------- scores and step results


def _write_scores_and_results_from_process(path: str, start: int, rounds: int, go) -> None:
    """Worker: per-text scores and step results written and read back at once with another process."""
    warnings.simplefilter("error", EmbeddingCacheWarning)
    cache = EmbeddingCache(path)
    go.wait(30)
    for round_ in range(rounds):
        texts = [f"text {start + round_ * 10 + i}" for i in range(20)]
        cache.put_scores("scorer:test", texts, [hash_of(t) for t in texts], [t[-1] for t in texts])
        got = cache.get_scores("scorer:test", texts)
        assert got == {i: (hash_of(t), t[-1]) for i, t in enumerate(texts)}
        kind = f"step:test{start}"  # each process prunes its own kind only: what it wrote stays readable
        cache.put_result(kind, f"key {round_}", f"value {start} {round_}".encode())
        assert cache.get_result(kind, f"key {round_}") == f"value {start} {round_}".encode()
    cache.close()


def test_two_processes_write_scores_and_step_results_at_once(tmp_path):
    path = str(tmp_path / "shared.sqlite")
    context = multiprocessing.get_context("spawn")
    go = context.Event()
    workers = [
        context.Process(target=_write_scores_and_results_from_process, args=(path, start, 30, go)) for start in (0, 5)
    ]
    for worker in workers:
        worker.start()
    go.set()
    for worker in workers:
        worker.join(60)
    assert [worker.exitcode for worker in workers] == [0, 0]
    expected = sorted({f"text {n}" for s in (0, 5) for r in range(30) for n in range(s + r * 10, s + r * 10 + 20)})
    with EmbeddingCache(path) as cache:
        assert len(cache.get_scores("scorer:test", expected)) == len(expected)
        for start in (0, 5):
            assert cache.get_result(f"step:test{start}", "key 29") == f"value {start} 29".encode()
            assert cache.get_result(f"step:test{start}", "key 0") is None  # only the newest few are kept
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM step_results").fetchone()[0] == 2 * STEP_RESULTS_KEPT


def test_scores_and_results_of_an_older_cache_file_are_added(static, tmp_path):
    # A cache written before scores existed (embeddings table only) gains the new tables on open.
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE embeddings (model_id TEXT NOT NULL, text_hash TEXT NOT NULL, dim INTEGER NOT NULL, "
            "vector BLOB NOT NULL, PRIMARY KEY (model_id, text_hash)) WITHOUT ROWID"
        )
    with EmbeddingCache(path) as cache:
        cache.put_scores("s", ["a"], [1.0], ["pain"])
        cache.put_result("k", "1", b"x")
        assert cache.get_scores("s", ["a"]) == {0: (1.0, "pain")} and cache.get_result("k", "1") == b"x"
    with pytest.raises(WorkbenchError, match="one of each per text"):
        EmbeddingCache(path).put_scores("s", ["a", "b"], [1.0], ["pain"])


def test_cached_embedder_loads_the_model_only_for_new_texts(tmp_path):
    from workbench.analysis.embed import CachedEmbedder

    with EmbeddingCache(tmp_path / "e.sqlite") as cache:
        first = CachedEmbedder(StaticEmbedder(), cache)
        vectors = first.encode(["hold music for an hour", "refund still missing"])
        assert first.embedder.model_ is not None
        again = CachedEmbedder(StaticEmbedder(), cache)
        assert again.model_id == first.model_id and again.dimension == 256
        assert np.array_equal(again.encode(["refund still missing"]), vectors[[1]])
        assert again.embedder.model_ is None  # every text came from the cache
        again.encode(["a text never seen"])
        assert again.embedder.model_ is not None
