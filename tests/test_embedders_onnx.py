"""Tests of the ONNX Runtime MiniLM embedder (the default ``minilm``): the export, the vectors, the keys.

Real models only: the module exports all-MiniLM-L6-v2 once into a temporary folder (about
10 s on two quiet cores) and compares with sentence-transformers on the same weights.
"""
from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from workbench.analysis import embedders as embedders_package
from workbench.analysis.embed import embed_texts
from workbench.analysis.embedders import MiniLMEmbedder, MiniLMOnnxEmbedder, get_embedder
from workbench.analysis.embedders.minilm_onnx import EXPORT_TOLERANCE, default_model_dir, minilm_onnx_path
from workbench.analysis.embedding_cache import EmbeddingCache
from workbench.errors import WorkbenchError

pytest.importorskip("onnxruntime")

#: Varied text: short, long (cut at 256 word pieces), other languages and scripts, emoji,
#: numbers and codes, punctuation only, empty, repeated words, the same text twice.
VARIED = [
    "I was charged but never got a confirmation email",
    "payment went through, no booking confirmation",
    "The app crashes every time I open my boarding pass!!!",
    "Hold music for 55 minutes, then the line went dead.",
    "Mi reembolso tardó tres meses y nadie respondió a mis correos.",
    "Die Rückerstattung kam nach drei Monaten, ohne Entschuldigung.",
    "払い戻しがまだ届いていません",
    "Возврат денег так и не пришёл",
    "great service 🙂👍 would fly again",
    "Booking ref ABC123, card ending 4242, charged £1,299.99 twice on 03/04/2025",
    "?!...",
    "",
    "ok",
    "refund " * 400,
    " ".join(["The gate changed twice and nobody announced it, so we ran across the terminal"] * 12),
    "I was charged but never got a confirmation email",
]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("onnx-models")
    path = minilm_onnx_path(folder)  # exports: nothing there yet
    return folder, path


@pytest.fixture(scope="module")
def onnx_embedder(exported) -> MiniLMOnnxEmbedder:
    embedder = MiniLMOnnxEmbedder(model_dir=str(exported[0]))
    embedder.load()
    return embedder


@pytest.fixture(scope="module")
def plain_vectors():
    """sentence-transformers' own encode of VARIED, with its defaults, normalised."""
    model = MiniLMEmbedder().load()
    return model.encode(VARIED, normalize_embeddings=True, convert_to_numpy=True)


def test_export_writes_a_checked_model_and_its_record(exported):
    folder, path = exported
    assert path.is_file() and path.parent.parent == folder
    record = json.loads((path.parent / "export.json").read_text())
    assert record["model"] == "all-MiniLM-L6-v2"
    assert 0 <= record["max_abs_difference"] <= EXPORT_TOLERANCE
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".export-")]  # no temporary file left
    # A second call finds the file and does not export again.
    before = path.stat().st_mtime_ns
    assert minilm_onnx_path(folder) == path and path.stat().st_mtime_ns == before


def test_vectors_agree_with_sentence_transformers(onnx_embedder, plain_vectors):
    vectors = onnx_embedder.encode(VARIED)
    assert vectors.shape == (len(VARIED), 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    cosine = (vectors * plain_vectors).sum(axis=1)
    assert cosine.min() > 0.999, cosine  # the bar is a mean of 0.98; float32 rounding is all we allow
    assert np.abs(vectors - plain_vectors).max() < 1e-3
    assert np.array_equal(vectors[0], vectors[-1])  # the same text, the same vector


def test_meaning_survives(onnx_embedder):
    query, close, far = onnx_embedder.encode(
        ["I was charged but never got a confirmation email", "payment went through, no booking confirmation",
         "the app crashes when I log in"]
    )
    assert query @ close > query @ far + 0.2


def test_batching_and_order_do_not_change_vectors(onnx_embedder):
    together = onnx_embedder.encode(VARIED)
    one_at_a_time = MiniLMOnnxEmbedder(model_dir=onnx_embedder.model_dir, tokens_per_batch=1)
    one_at_a_time.load()
    assert np.abs(one_at_a_time.encode(VARIED) - together).max() < 1e-4
    reversed_vectors = onnx_embedder.encode(VARIED[::-1])
    assert np.abs(reversed_vectors[::-1] - together).max() < 1e-4


def test_long_texts_are_cut_at_max_seq_length(onnx_embedder):
    short = MiniLMOnnxEmbedder(model_dir=onnx_embedder.model_dir, max_seq_length=32)
    model = MiniLMEmbedder().load()
    previous = model.max_seq_length
    try:
        model.max_seq_length = 32
        plain = model.encode(["refund " * 600, "an app that crashes"], normalize_embeddings=True)
    finally:
        model.max_seq_length = previous
    assert np.abs(short.encode(["refund " * 600, "an app that crashes"]) - plain).max() < 1e-3
    assert short.model_id != onnx_embedder.model_id


def test_backends_have_their_own_cache_keys(onnx_embedder, tmp_path):
    torch_embedder = MiniLMEmbedder()
    assert onnx_embedder.model_id.endswith(":onnx") and onnx_embedder.model_id != torch_embedder.model_id
    texts = VARIED[:4]
    with EmbeddingCache(tmp_path / "cache.sqlite") as cache:
        first = embed_texts(texts, onnx_embedder, cache, progress=False)
        assert cache.count(onnx_embedder.model_id) == 4 and cache.count(torch_embedder.model_id) == 0
        assert np.array_equal(embed_texts(texts, onnx_embedder, cache, progress=False), first)
        assert cache.stats.hits == 4


def test_minilm_is_the_onnx_embedder_and_falls_back_to_torch(monkeypatch):
    built = get_embedder("minilm", batch_size=16, num_threads=1)
    assert isinstance(built, MiniLMOnnxEmbedder) and (built.batch_size, built.num_threads) == (16, 1)
    assert isinstance(get_embedder("minilm-torch"), MiniLMEmbedder)
    monkeypatch.setattr(embedders_package, "_onnxruntime_installed", lambda: False)
    with pytest.warns(UserWarning, match="onnxruntime is not installed"):
        fallback = get_embedder("minilm", batch_size=16)
    assert isinstance(fallback, MiniLMEmbedder) and fallback.batch_size == 16


def test_bad_parameters_are_named_with_the_fix(exported):
    with pytest.raises(WorkbenchError, match="max_seq_length=0; pass an integer from 1 to 512"):
        MiniLMOnnxEmbedder(model_dir=str(exported[0]), max_seq_length=0).encode(["x"])
    with pytest.raises(WorkbenchError, match="tokens_per_batch"):
        MiniLMOnnxEmbedder(model_dir=str(exported[0]), tokens_per_batch=0).encode(["x"])
    with pytest.raises(WorkbenchError, match="not text"):
        MiniLMOnnxEmbedder(model_dir=str(exported[0])).encode(["fine", 3])
    assert MiniLMOnnxEmbedder().encode([]).shape == (0, 384)


def test_a_broken_model_file_says_what_to_do(exported, tmp_path):
    path = minilm_onnx_path(tmp_path, export=False)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not an onnx model")
    with pytest.raises(WorkbenchError, match="workbench prepare"):
        MiniLMOnnxEmbedder(model_dir=str(tmp_path)).encode(["the refund never came"])


def test_model_dir_follows_the_environment_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("WORKBENCH_MODEL_DIR", str(tmp_path / "shared-models"))
    assert default_model_dir() == tmp_path / "shared-models"
    monkeypatch.delenv("WORKBENCH_MODEL_DIR")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert default_model_dir().name == "models"
