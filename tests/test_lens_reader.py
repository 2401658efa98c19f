"""Tests of the lens reader (MiniLM with packaged adapters, a dimension and a stage head).

Real model only: the module exports the reader once into a temporary folder (merging the
packaged adapters into the bundled MiniLM, checked against torch by the export itself).
"""
from __future__ import annotations

import json

import numpy as np
import pytest

from workbench.analysis import lens_reader
from workbench.analysis.embedders import get_embedder
from workbench.analysis.lens_attribution import score_units
from workbench.analysis.lenses import default_lenses
from workbench.errors import WorkbenchError

pytest.importorskip("onnxruntime")

#: Plain cases a reader of any industry would place the same way (none is a training sentence).
CLEAR = [
    ("stage", "I spent two evenings comparing the three broadband deals before deciding", "consideration"),
    ("stage", "the engineer never turned up for the installation slot we booked", "delivery/fulfilment"),
    ("stage", "I have been waiting five weeks for them to answer my complaint", "support"),
    ("stage", "after ten years as a member I am finally cancelling and moving to their rival", "loyalty and advocacy"),
    ("dimension", "the monthly fee went up by a third without any warning", "pricing"),
    ("dimension", "the woman on the helpline was rude and hung up on me", "customer service"),
]


@pytest.fixture(scope="module")
def reader(tmp_path_factory) -> lens_reader.LensReader:
    folder = tmp_path_factory.mktemp("reader-models")
    path = lens_reader.reader_onnx_path(folder)  # exports: nothing there yet
    assert path.is_file() and path.parent.name.startswith("lens-reader-")
    return lens_reader.LensReader(model_dir=str(folder))


def test_the_export_is_checked_and_recorded(reader: lens_reader.LensReader) -> None:
    record = json.loads((reader._onnx_path().parent / "export.json").read_text())
    assert record["max_abs_difference"] <= 1e-3
    assert record["labels"] == lens_reader.reader_labels()


def test_probabilities_are_one_row_per_text_summing_to_one(reader: lens_reader.LensReader) -> None:
    texts = [text for _, text, _ in CLEAR] + ["", "ok", "refund " * 400]
    read = reader.probabilities(texts)
    for lens, labels in lens_reader.reader_labels().items():
        assert read[lens].shape == (len(texts), len(labels))
        np.testing.assert_allclose(read[lens].sum(axis=1), 1.0, atol=1e-5)
    # the order of texts (and their batching by length) does not change a text's reading
    again = reader.probabilities(texts[::-1])
    np.testing.assert_allclose(again["stage"][::-1], read["stage"], atol=1e-5)


def test_the_reader_places_plain_sentences(reader: lens_reader.LensReader) -> None:
    read = reader.probabilities([text for _, text, _ in CLEAR])
    for row, (lens, text, want) in enumerate(CLEAR):
        labels = lens_reader.reader_labels()[lens]
        assert labels[int(read[lens][row].argmax())] == want, text


def test_onnx_and_torch_readings_agree(reader: lens_reader.LensReader) -> None:
    texts = [text for _, text, _ in CLEAR]
    on_torch = lens_reader.torch_reader()(texts)
    on_onnx = reader.probabilities(texts)
    for lens in lens_reader.READER_LENSES:
        np.testing.assert_allclose(on_onnx[lens], on_torch[lens], atol=1e-3)


def test_the_reader_was_trained_on_the_current_training_files() -> None:
    info = json.loads(lens_reader.READER_INFO.read_text())
    assert info["training_digest"] == lens_reader.training_digest(), (
        "the training files changed since the lens reader was trained: run `python benchmarks/train_lens_reader.py`")
    assert info["labels"] == lens_reader.reader_labels()
    assert lens_reader.READER_FILE.stat().st_size < 2_000_000  # adapters and heads only, never a whole model


def test_the_reader_takes_part_only_for_minilm_and_the_default_labels() -> None:
    minilm, static = get_embedder("minilm"), get_embedder("static")
    stage = lens_reader.reader_labels()["stage"]
    assert lens_reader.uses_reader(minilm, "stage", stage)
    assert not lens_reader.uses_reader(static, "stage", stage)
    assert not lens_reader.uses_reader(minilm, "touchpoint", list(default_lenses()["touchpoint"].labels))
    assert not lens_reader.uses_reader(minilm, "stage", stage + ["renewal"])  # a study added a label


def test_the_reader_moves_the_score_of_a_minilm_study(reader: lens_reader.LensReader, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(lens_reader, "_READERS", {"None": reader})
    monkeypatch.setattr(lens_reader, "_LAST", [])
    embedder = get_embedder("minilm")
    texts = [text for lens, text, _ in CLEAR if lens == "stage"]
    lens = default_lenses()["stage"]
    vectors = embedder.encode(texts)
    with_reader = score_units(texts, vectors, lens, embedder)
    without = score_units(texts, vectors, lens, embedder, reader=False)
    added = with_reader.scores - without.scores
    expected = lens_reader.READER_WEIGHT["stage"] * reader.probabilities(texts)["stage"]
    np.testing.assert_allclose(added, expected, atol=1e-4)


def test_missing_weights_say_what_to_do(monkeypatch, tmp_path) -> None:  # noqa: ANN001
    monkeypatch.setattr(lens_reader, "READER_FILE", tmp_path / "lens_reader.npz")
    with pytest.raises(WorkbenchError, match="lens_reader.npz is missing"):
        lens_reader.export_reader_onnx(tmp_path / "out" / "model.onnx")


def test_the_training_script_holds_back_whole_industries_when_it_measures() -> None:
    """``--dev`` trains without folds 8-9 (cut on the files before round 17, so the scored rows stay put)
    and ``--fixture`` without every row of the fixture's industries, so neither scores a sentence whose
    industry the reader learnt from."""
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "benchmarks" / "train_lens_reader.py"
    spec = importlib.util.spec_from_file_location("train_lens_reader", script)
    training = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(training)
    kept, table = training._training_table("fixture")
    industries = table["industry"].str.strip().str.lower()
    fixture_industries = set(industries[table["file"] == training.FIXTURE_FILE])
    held = training._held_back(table, "fixture")
    assert held[(table["file"] == training.FIXTURE_FILE).to_numpy()].all() and len(fixture_industries) >= 5
    assert not set(kept["industry"].str.strip().str.lower()) & fixture_industries
    assert held.sum() == len(table) - len(kept) and held.sum() < 0.05 * len(table)
    scored, left_out = training._dev_folds(table)
    assert (training._held_back(table, "dev") == left_out).all() and (left_out >= scored).all()
    assert not set(industries[~left_out]) & set(industries[scored])
    assert not table["file"][scored].isin(training.LATER_FILES).any()
    assert (scored & (table["stage"] != "")).sum() == 4272 and (scored & (table["dimension"] != "")).sum() == 4183
    assert not training._held_back(table, "all").any()


def test_a_teacher_is_softened_by_its_temperature(tmp_path) -> None:  # noqa: ANN001
    """``--teacher``: the stored probabilities come back as they are at temperature 1 and flatter above 1,
    every row still summing to one."""
    import importlib.util
    from pathlib import Path

    import numpy as np

    script = Path(__file__).resolve().parents[1] / "benchmarks" / "train_lens_reader.py"
    spec = importlib.util.spec_from_file_location("train_lens_reader", script)
    training = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(training)
    stored = {lens: np.array([[0.7, 0.2, 0.1], [0.0, 1.0, 0.0]], dtype=np.float32) for lens in lens_reader.READER_LENSES}
    np.savez(tmp_path / "teacher.npz", **stored)
    same = training._teacher_targets(tmp_path / "teacher.npz", 1.0)
    flat = training._teacher_targets(tmp_path / "teacher.npz", 2.0)
    assert training._teacher_targets(None, 2.0) is None
    for lens in lens_reader.READER_LENSES:
        assert np.allclose(same[lens], stored[lens], atol=1e-6)
        assert np.allclose(flat[lens].sum(axis=1), 1.0)
        assert flat[lens][0, 0] < 0.7 and flat[lens][0, 2] > 0.1 and flat[lens][1, 1] > 0.99
