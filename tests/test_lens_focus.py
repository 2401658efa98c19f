"""Long complaints are read for their complaint: background, feelings and verdicts do not place the lens.

The sentences here are new (none is in ``lens_filler.csv`` or a training file) and come from
industries the filler file names only in passing or not at all (banking, broadband, a GP surgery,
a council, a furniture shop, a vet). Figures on whole files are in BENCHMARKS.md "Lens accuracy on
long complaints" (``benchmarks/lens_long_complaints.py``).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from workbench.analysis import lens_focus
from workbench.analysis.lens_attribution import focus_units, score_lenses, score_units
from workbench.analysis.lens_model import training_sentences
from workbench.analysis.lenses import default_lenses

#: (background or verdict, complaint, background or verdict): the middle one says what went wrong
WRAPPED = [
    ("I've banked with them since I was a student, so twenty-odd years now.",
     "The app logged me out every time I tried to approve a payment.",
     "Absolutely fuming."),
    ("My husband and I both work from home.",
     "The engineer never turned up for the broadband installation and nobody rang to say why.",
     "Pathetic."),
    ("I'm seventy-eight and not very good with technology, so bear with me here.",
     "Rang the surgery at eight and was told all the appointments had gone by 8:05.",
     "It's just not good enough."),
    ("Where do I even begin.",
     "The sofa arrived with a ripped cushion and the delivery men left before I could check it.",
     "I'd give zero stars if I could!!"),
    ("We've had our dog Max for eleven years.",
     "The vet charged us £180 for a consultation that lasted five minutes.",
     "Shocking, frankly."),
]


@pytest.fixture(scope="module")
def static_embedder():  # noqa: ANN201
    from workbench.analysis.embedders import get_embedder

    return get_embedder("static")


def test_a_single_sentence_is_never_changed() -> None:
    texts = ["Absolutely shocking.", "the courier left my parcel in the rain", "Never again, avoid!!"]
    assert lens_focus.focus_texts(texts) == texts


def test_background_and_verdicts_are_left_out_of_long_complaints() -> None:
    texts = [" ".join(parts) for parts in WRAPPED]
    focused = lens_focus.focus_texts(texts)
    assert focused == [complaint for _, complaint, _ in WRAPPED]


def test_a_complaint_of_several_problems_keeps_them_all() -> None:
    text = ("They charged me twice for the same month. When I rang, the agent put the phone down on me. "
            "The refund took six weeks.")
    assert lens_focus.focus_texts([text]) == [text]


def test_a_unit_is_never_emptied() -> None:
    text = "Where do I even start. Absolutely disgusted. Never again."
    focused = lens_focus.focus_texts([text])[0]
    assert focused and focused in text and len(focused) < len(text)


def test_the_filler_model_drops_few_informative_sentences() -> None:
    """Of the lens training sentences (what it learned as informative), at most 2% count as filler."""
    texts = training_sentences("stage")[0]
    assert (lens_focus.filler_probabilities(texts) >= lens_focus.FILLER_THRESHOLD).mean() <= 0.02


def test_the_lens_reads_the_complaint_not_the_wrapping(static_embedder) -> None:  # noqa: ANN001
    lens = default_lenses()["stage"]
    texts = [" ".join(parts) for parts in WRAPPED]
    alone = [complaint for _, complaint, _ in WRAPPED]
    focused = score_units(texts, static_embedder.encode(texts), lens, static_embedder).unit_labels()
    assert focused == score_units(alone, static_embedder.encode(alone), lens, static_embedder).unit_labels()


def test_focused_units_are_embedded_again_and_the_others_kept(static_embedder) -> None:  # noqa: ANN001
    texts = ["Absolutely shocking. They charged me twice.", "the refund took six weeks"]
    vectors = static_embedder.encode(texts)
    focused, focused_vectors = focus_units(texts, vectors, static_embedder)
    assert focused == ["They charged me twice.", "the refund took six weeks"]
    assert np.allclose(focused_vectors[0], static_embedder.encode(["They charged me twice."])[0], atol=1e-6)
    assert np.array_equal(focused_vectors[1], vectors[1])
    assert not np.array_equal(vectors[0], focused_vectors[0])  # the caller's vectors are not changed in place
    scored = score_lenses(texts, vectors, default_lenses(), static_embedder)
    assert scored["dimension"].unit_labels()[0] == "pricing"


def test_the_filler_model_is_kept_on_disk_and_a_damaged_file_is_refitted(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_MODEL_DIR", str(tmp_path))
    lens_focus._filler_model.cache_clear()
    try:
        lens_focus.prepare_filler_model()
        stored = lens_focus.filler_model_path()
        assert stored.parent == tmp_path and stored.is_file()
        expected = lens_focus.filler_probabilities(["Absolutely shocking.", "the app crashed at checkout"])

        def no_fitting():  # noqa: ANN202 - a later process must read the file, not fit
            raise AssertionError("fitted again")

        lens_focus._filler_model.cache_clear()
        with monkeypatch.context() as patched:
            patched.setattr(lens_focus, "_fit_filler_model", no_fitting)
            assert np.allclose(lens_focus.filler_probabilities(["Absolutely shocking.", "the app crashed at checkout"]), expected)
        stored.write_bytes(b"not a pickle")  # damaged: fitted again and replaced, never an error
        lens_focus._filler_model.cache_clear()
        assert np.allclose(lens_focus.filler_probabilities(["Absolutely shocking.", "the app crashed at checkout"]), expected)
        assert stored.read_bytes() != b"not a pickle"
    finally:
        lens_focus._filler_model.cache_clear()


def test_a_missing_filler_file_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.errors import WorkbenchError

    monkeypatch.setattr(lens_focus, "FILLER_FILE", tmp_path / "lens_filler.csv")
    with pytest.raises(WorkbenchError, match="lens_filler.csv is missing"):
        lens_focus.filler_sentences()


#: lowest accuracy the static embedder may give on the 140 long complaints only ever scored (measured
#: 2026-12-07 with the round-5 training data: dimension 91.4%, touchpoint 91.8%, stage 80.0%; MiniLM 90.0%,
#: 92.7%, 83.6%): a regression check
LONG_HOLDOUT_FLOORS = {"dimension": 0.82, "touchpoint": 0.80, "stage": 0.72}


@pytest.mark.parametrize("lens_name", sorted(LONG_HOLDOUT_FLOORS))
def test_accuracy_on_long_complaints_never_looked_into(lens_name: str, static_embedder) -> None:  # noqa: ANN001
    import pandas as pd

    table = pd.read_csv(Path(__file__).parent / "data" / "lens_long_holdout.csv", dtype=str, keep_default_na=False)
    assert len(table) == 140 and table["industry"].nunique() >= 30
    rows = table[table[lens_name] != ""]
    texts = rows["text"].tolist()
    got = score_units(texts, static_embedder.encode(texts), default_lenses()[lens_name], static_embedder).unit_labels()
    accuracy = float(np.mean([a == b for a, b in zip(got, rows[lens_name])]))
    assert accuracy >= LONG_HOLDOUT_FLOORS[lens_name], f"{lens_name}: {accuracy:.1%} on {len(rows)} long complaints"
