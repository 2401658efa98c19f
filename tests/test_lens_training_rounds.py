"""Rounds 6 and later of the lens training data, and the touchpoint models' class for "no channel named".

Rounds 6 to 8 (``workbench/analysis/lens_training_round6.csv`` to ``..._round8.csv``) were written by twelve
writers shown only the labelling rules and label descriptions. From round 9 on, a
second reader labelled every text blind: a dimension or stage label the two did not agree on is left empty, so the
models learn only labels two people gave. Rounds 9 to 14 are single sentences; round 17 is whole complaints of one
to four sentences, the way they reach a company. Figures in BENCHMARKS.md "Lens accuracy".
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workbench.analysis import lens_model
from workbench.analysis.lens_attribution import score_units
from workbench.analysis.lenses import default_lenses

DATA = Path(__file__).parent / "data"
#: every labelled file that is only ever scored: no training sentence may be a near-copy of one of them
HELD_OUT = {"lens_holdout.csv": "sentence", "lens_holdout2.csv": "sentence", "lens_holdout3.csv": "sentence",
            "lens_holdout4.csv": "sentence", "lens_check_finance.csv": "sentence", "lens_check_tweets.csv": "sentence",
            "lens_long_dev.csv": "text", "lens_long_holdout.csv": "text", "lens_check_reviews.csv": "sentence",
            "lens_check_letters.csv": "sentence"}
#: word overlap (Jaccard) at which a training sentence counts as a near-copy (the threshold every round used)
NEAR_COPY = 0.37


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9']+", text.lower()))


@pytest.fixture(scope="module")
def held_out_words() -> list[frozenset[str]]:
    texts: list[str] = []
    for name, column in HELD_OUT.items():
        texts += pd.read_csv(DATA / name, dtype=str, keep_default_na=False)[column].tolist()
    return [_words(text) for text in texts]


#: the rounds checked by a second, blind reader (dimension and stage left empty where the two disagreed)
SINGLE_SENTENCES = ("lens_training_round9.csv", "lens_training_round10.csv", "lens_training_round11.csv",
                    "lens_training_round12.csv", "lens_training_round13.csv", "lens_training_round14.csv")
#: round 17: whole complaints of one to four sentences (posts, complaint forms, letters, reviews), read twice too
READ_TWICE = (*SINGLE_SENTENCES, "lens_training_round17.csv")
ROUNDS = ("lens_training_round6.csv", "lens_training_round7.csv", "lens_training_round8.csv", *READ_TWICE)


def test_every_round_is_a_training_file() -> None:
    assert set(ROUNDS) <= {path.name for path in lens_model.TRAINING_FILES}


@pytest.mark.parametrize("name", ROUNDS)
def test_a_new_round_labels_all_three_lenses_in_new_industries_and_copies_no_held_out_text(name: str, held_out_words) -> None:  # noqa: ANN001
    paths = {path.name: path for path in lens_model.TRAINING_FILES}
    table = pd.read_csv(paths[name], dtype=str, keep_default_na=False)
    assert list(table.columns) == ["sentence", "industry", "dimension", "touchpoint", "stage"]
    assert len(table) >= 1700 and table["sentence"].str.lower().is_unique and table["industry"].nunique() >= 90
    earlier = pd.concat([pd.read_csv(path, dtype=str, keep_default_na=False)
                         for path in lens_model.TRAINING_FILES[:list(paths).index(name)]])
    assert not set(earlier["sentence"].str.lower()) & set(table["sentence"].str.lower())
    lenses = default_lenses()
    if name in READ_TWICE:  # a label two readers disagreed on is empty, never both
        assert not ((table["dimension"] == "") & (table["stage"] == "")).any()
        assert (table["stage"] == "").mean() <= 0.15 and (table["dimension"] != "").mean() >= 0.85
    if name in SINGLE_SENTENCES:  # one sentence each, and stage was read differently by the two often enough
        assert (table["stage"] == "").mean() >= 0.02 and table["sentence"].str.split().str.len().max() <= 40
    elif name in READ_TWICE:  # whole complaints as they reach a company: up to four sentences, 70 words
        sentences = table["sentence"].str.count(r"[.!?]+(?:\s|$)")
        assert table["sentence"].str.split().str.len().between(10, 70).all() and (sentences >= 2).mean() >= 0.5
    for lens, least in (("dimension", 40), ("stage", 100), ("touchpoint", 20)):
        labelled = table.loc[table[lens] != "", lens]
        assert set(labelled) == set(lenses[lens].labels), f"{lens}: labels outside the lens or never used"
        assert labelled.value_counts().min() >= least, labelled.value_counts()
    # touchpoint only where the text names a channel: a good share is empty, and those rows train NO_CHANNEL
    assert 0.3 <= (table["touchpoint"] == "").mean() <= 0.6
    for text in table["sentence"]:
        words = _words(text)
        closest = max(len(words & other) / len(words | other) for other in held_out_words)
        assert closest < NEAR_COPY, f"{name}: near-copy of a held-out text ({closest:.2f}): {text}"


def test_the_touchpoint_model_gives_little_to_any_channel_where_none_is_named() -> None:
    from workbench.analysis.embedders import get_embedder

    texts, _ = lens_model.no_channel_rows()
    assert len(texts) > 2000 and "lens_training_round4.csv" in lens_model.TOUCHPOINT_NOT_LABELLED
    embedder = get_embedder("static")
    lens = default_lenses()["touchpoint"]
    samples = ["Terrible, just terrible.", "Worst company I have ever dealt with.", "the app crashed when I paid",
               "I was on hold for an hour"]
    probabilities = lens_model.label_probabilities(embedder.encode(samples), lens, embedder, samples)
    assert lens_model.NO_CHANNEL not in lens.labels and probabilities.shape == (4, len(lens.labels))
    named_share = probabilities.sum(axis=1)
    assert (named_share[:2] < 0.5).all() and (named_share[2:] > 0.7).all(), named_share
    # so the source's channel decides a complaint that names none, whichever channel it is
    for channel in ("email", "store / in person", "social media"):
        got = score_units(samples[:2], embedder.encode(samples[:2]), lens, embedder, channel_labels=[channel] * 2)
        assert got.unit_labels() == [channel, channel]
    assert np.isclose(probabilities[3, list(lens.labels).index("phone and IVR")], probabilities[3].max())
