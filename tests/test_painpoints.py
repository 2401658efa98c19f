"""PainPointModel on real UMAP / HDBSCAN (and BERTopic for parity) and real MiniLM embeddings, no mocks.

One hand-written corpus of customer-story sentences over four themes (refund delays, app
crashes, hold times, hidden fees) must come back as pain points. The model is fitted
once per module (UMAP's numba compilation dominates the first fit).
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.metrics import adjusted_rand_score

from workbench.errors import WorkbenchError
from workbench.analysis.cluster_space import word_vectors
from workbench.analysis.clustering import exact_cosine_neighbours
from workbench.analysis.large_corpus import LARGE_CORPUS_THRESHOLD, stratified_sample
from workbench.analysis.painpoint_settings import auto_settings
from workbench.analysis.painpoints import PainPointModel
from workbench.analysis.refinement import OTHER
from workbench.analysis.unit_words import FILLER_WORDS, is_usable_text

ROOT = Path(__file__).resolve().parents[1]

REFUND = [
    "I cancelled my flight in March and I'm still waiting for the refund.",
    "They promised the refund within seven days, it took nine weeks.",
    "Um, the money for the cancelled hotel never came back to my account.",
    "Six weeks later and still no refund for the cancelled trip.",
    "They kept offering me a voucher when I asked for my money back.",
    "I had to chase the refund every week for two months.",
    "The refund was approved but the money only arrived after eight weeks.",
    "Honestly the refund process took so long I almost gave up on it.",
    "They said refunds take up to 90 days, which is ridiculous.",
    "My refund for the cancelled flight still hasn't shown up on my card.",
    "You know, instead of cash they pushed a travel credit on me.",
    "I wanted a refund, not a voucher I'll never use.",
    "It took three months to get my money back after they cancelled the flight.",
    "The refund status page said processing for weeks and weeks.",
    "I am still owed a refund from the booking they cancelled in January.",
    "Getting my refund was a nightmare, it dragged on for ages.",
    "They cancelled the trip and the refund took forever to arrive.",
    "I asked where my refund was and they said wait another month.",
    "The refund I was promised in days took most of the summer.",
    "Basically they hold on to your money for months after a cancellation.",
    "After the cancellation I waited eleven weeks for the refund to land.",
    "Nobody could tell me when my refund would actually be paid.",
    "The airline refunded them but the company kept my money for weeks.",
    "A refund of four hundred pounds should not take two months.",
    "I only got the refund after I complained on social media.",
    "They converted my refund into a voucher without asking me.",
    "The hotel cancellation refund still hasn't been processed.",
    "Each time I called about the refund they said it was on its way.",
    "I'm waiting on a refund for a flight that never happened.",
    "My refund request has been open for seven weeks now.",
]
CRASH = [
    "The app crashes every time I try to open my booking.",
    "It froze on the payment screen and then closed itself.",
    "The mobile app keeps crashing when I tap on check-in.",
    "Every update makes the app more unstable, it just shuts down.",
    "I couldn't get my boarding pass because the app kept crashing.",
    "The app closed halfway through my booking and I lost everything.",
    "Um, the iPhone app crashes as soon as I log in.",
    "The application freezes and then throws me back to the home screen.",
    "On Android the app crashes when I open the seat map.",
    "It crashed three times while I was trying to change my seat.",
    "The app just quits on the loading screen, every single time.",
    "I reinstalled the app twice and it still crashes on launch.",
    "The app froze at the airport and I couldn't show my ticket.",
    "Whenever I switch to the trips tab the app crashes.",
    "The app is so buggy it crashed in the middle of payment.",
    "After the latest update the app won't even open.",
    "It keeps crashing when I try to add my passport details.",
    "The app hangs and crashes when I upload a photo of my ID.",
    "My phone shows the app has stopped working again and again.",
    "The app crashed while I was checking in and I had to start over.",
    "Opening the booking details makes the whole app crash.",
    "Sort of annoying, the app freezes every time I scroll my trips.",
    "I gave up on the app because it kept crashing.",
    "The app crashes whenever I lose signal for a second.",
    "It freezes on the splash screen and never loads.",
    "The app crashed right when my boarding pass was about to load.",
    "Like, the app closes by itself whenever I open notifications.",
    "The new version of the app crashes constantly on my tablet.",
    "The app went blank and crashed during check-in.",
    "Trying to pay in the app ends with it crashing every time.",
]
HOLD = [
    "I was on hold for over an hour before anyone answered.",
    "The phone line kept me waiting for ninety minutes.",
    "I spent forty-five minutes listening to hold music.",
    "The call centre hold time was absolutely ridiculous.",
    "Every time I call I wait at least an hour on hold.",
    "After an hour on the phone the call just dropped.",
    "Yeah, I sat on hold for two hours and then gave up.",
    "The automated menu sent me round in circles and then put me on hold.",
    "It took me three calls and hours of waiting to reach an agent.",
    "The wait to speak to a person on the phone was endless.",
    "I listened to the same hold music for fifty minutes.",
    "They kept saying my call was important while I waited an hour.",
    "I could never get through to a human on the phone line.",
    "The waiting time on the hotline was more than an hour.",
    "I waited on hold so long my phone battery died.",
    "Calling customer service means an hour of waiting on hold.",
    "I was stuck in the phone queue for most of the afternoon.",
    "The line said the wait time was over sixty minutes.",
    "I called five times and waited on hold every time.",
    "Kind of unbelievable, I was on hold for two and a half hours.",
    "The hold time to reach support was way too long.",
    "Hours of hold music just to ask one simple question.",
    "I was put on hold, transferred and put on hold again.",
    "I gave up after waiting eighty minutes on the phone.",
    "Their phone support kept me on hold all morning.",
    "Nobody answered the phone, just endless hold music.",
    "Each time I rang them I waited an hour in the queue.",
    "The call waiting time was longer than my actual flight.",
    "I spent my lunch break on hold and still got nobody.",
    "Getting through on the phone took over an hour of waiting.",
]
FEES = [
    "The price went up at checkout with fees I never saw before.",
    "A service fee appeared on the last page of the booking.",
    "They added a resort fee at the hotel that wasn't in the price.",
    "The baggage fee was only shown after I had paid.",
    "The final price was eighty pounds more than advertised.",
    "Hidden charges kept appearing as I went through the booking.",
    "The advertised fare didn't include the taxes and booking fees.",
    "I was charged a card fee that nobody mentioned.",
    "At the hotel desk they asked for a city tax and a cleaning fee.",
    "The price on the search page was not the price I ended up paying.",
    "Extra fees for seat selection showed up at the very end.",
    "Um, there was a surprise admin fee on my invoice.",
    "The total jumped by a hundred euros at the payment step.",
    "They charged a fee for printing the boarding pass at the airport.",
    "I found an extra service charge on my bill after the stay.",
    "The cheap fare turned expensive once all the fees were added.",
    "The checked bag cost more than the flight and I only saw it at the end.",
    "I wasn't told about the resort fee until I checked in.",
    "The price changed between the search results and checkout.",
    "Hidden fees made the deal much worse than it looked.",
    "There was a booking fee on top of the price I was shown.",
    "They didn't honour the price shown in the advert.",
    "An unexpected fee for paying by credit card was added.",
    "The hotel charged a parking fee that wasn't mentioned online.",
    "Every step of checkout added another small fee.",
    "The price I was quoted was not the price I was charged.",
    "The extra fees at the end almost doubled the cost.",
    "There were additional charges for things that should be included.",
    "The taxes and fees were hidden until the final page.",
    "I was charged a late booking fee that was never disclosed.",
]
THEMES = {"refund": REFUND, "crash": CRASH, "hold": HOLD, "fees": FEES}
TEXTS = [text for texts in THEMES.values() for text in texts]
TRUTH = np.array([name for name, texts in THEMES.items() for _ in texts])


@pytest.fixture(scope="module")
def embedder():
    from workbench.analysis.embedders import get_embedder

    return get_embedder("minilm")


@pytest.fixture(scope="module")
def vectors(embedder) -> np.ndarray:
    from workbench.analysis.embed import embed_texts

    return embed_texts(TEXTS, embedder, progress=False)


@pytest.fixture(scope="module")
def fitted(vectors) -> PainPointModel:
    return PainPointModel(random_state=42).fit(TEXTS, vectors)


def refund_topic(model: PainPointModel) -> int:
    values, counts = np.unique(model.labels_[TRUTH == "refund"], return_counts=True)
    return int(values[np.argmax(counts)])


def test_the_four_themes_come_back_as_pain_points(fitted: PainPointModel) -> None:
    assert adjusted_rand_score(TRUTH, fitted.labels_) >= 0.6
    assert 3 <= len(fitted.topics_) <= 8
    refund = refund_topic(fitted)
    assert (fitted.labels_[TRUTH == "refund"] == refund).mean() >= 0.8
    row = fitted.topics_.set_index("topic_id").loc[refund]
    assert "refund" in row["label"].lower() or any("refund" in k for k in row["keywords"][:3])


def test_other_stays_small_and_everything_is_accounted_for(fitted: PainPointModel) -> None:
    assert (fitted.labels_ == OTHER).mean() <= 0.05
    assert len(fitted.labels_) == len(TEXTS) and len(fitted.probabilities_) == len(TEXTS)
    assert fitted.topics_["size"].sum() == (fitted.labels_ != OTHER).sum()
    assert ((fitted.probabilities_ >= 0) & (fitted.probabilities_ <= 1)).all()


def test_topics_are_numbered_by_size_with_readable_labels(fitted: PainPointModel) -> None:
    topics = fitted.topics_
    assert list(topics.columns) == ["topic_id", "label", "keywords", "size", "representative_indices"]
    assert topics["topic_id"].tolist() == list(range(len(topics)))
    assert topics["size"].is_monotonic_decreasing
    stop = ENGLISH_STOP_WORDS | FILLER_WORDS
    for row in topics.itertuples():
        assert "_" not in row.label and row.label[:1].isupper(), row.label
        assert row.label.split()[0].strip(",").lower() not in stop, row.label
        assert len(row.label.split()) <= 8, row.label
        assert len(set(row.label.lower().split()) - stop) >= 1
        assert row.keywords and not set(row.keywords[:3]) & stop
        assert all(fitted.labels_[i] == row.topic_id for i in row.representative_indices)
    assert topics["label"].str.lower().is_unique
    assert fitted.topic_embeddings_.shape == (len(topics), 384)


def test_transform_puts_a_new_refund_story_in_the_refund_pain_point(fitted, embedder) -> None:
    new = ["Two months on and my refund for the cancelled holiday still hasn't arrived.", "ok"]
    labels, probabilities = fitted.transform(new, embedder.encode(new))
    assert labels[0] == refund_topic(fitted)
    assert probabilities[0] > 0.3
    assert labels[1] == OTHER and probabilities[1] == 0


def test_transform_of_the_fitted_units_agrees_with_fit(fitted: PainPointModel, vectors: np.ndarray) -> None:
    # transform judges by embedding and words, as fit's refinement did
    labels, probabilities = fitted.transform(TEXTS, vectors)
    assigned = fitted.labels_ != OTHER
    assert (labels[assigned] == fitted.labels_[assigned]).mean() >= 0.95
    assert np.allclose(probabilities[assigned & (labels == fitted.labels_)], fitted.probabilities_[assigned & (labels == fitted.labels_)])


def test_words_join_the_embeddings_unless_word_weight_is_zero(fitted: PainPointModel, vectors: np.ndarray) -> None:
    dimensions = fitted.settings_["word_dimensions"]
    assert fitted.settings_["word_weight"] == 0.2 and 2 <= dimensions <= 100
    assert fitted.bertopic_model_.topic_embeddings_.shape[1] == 384 + dimensions
    assert fitted.topic_embeddings_.shape[1] == 384
    alone = PainPointModel(random_state=42, word_weight=0).fit(TEXTS, vectors)
    assert alone.bertopic_model_.topic_embeddings_.shape[1] == 384
    assert adjusted_rand_score(TRUTH, alone.labels_) >= 0.6
    labels, _ = alone.transform(TEXTS[:3], vectors[:3])
    assert (labels == alone.labels_[:3]).all()


def test_word_vectors_tie_units_that_share_words() -> None:
    docs = ["refund took nine weeks", "still waiting for my refund", "the app crashes", "app crashes at login", "hold music"]
    vectors = word_vectors(docs, dimensions=100)  # 3 shared words ("refund", "app", "crashes"): 2 dimensions
    assert vectors.shape == (5, 2)
    assert np.allclose(np.linalg.norm(vectors[:4], axis=1), 1)
    assert vectors[0] @ vectors[1] > 0.9 and abs(vectors[0] @ vectors[2]) < 0.1
    assert not vectors[4].any()  # shares no word with another unit
    assert word_vectors(["alpha beta", "gamma delta", "epsilon"]) is None


def test_same_input_and_seed_give_the_same_pain_points(fitted: PainPointModel, vectors: np.ndarray) -> None:
    again = PainPointModel(random_state=42).fit(TEXTS, vectors)
    assert np.array_equal(again.labels_, fitted.labels_)
    assert again.topics_.equals(fitted.topics_)
    assert np.array_equal(again.probabilities_, fitted.probabilities_)


def test_units_without_words_go_to_other(vectors: np.ndarray, embedder) -> None:
    extra = ["ok", "[PHONE]", "12345", ""]
    texts = TEXTS + extra
    model = PainPointModel(random_state=42).fit(texts, np.vstack([vectors, embedder.encode(extra)]))
    assert (model.labels_[-4:] == OTHER).all()
    assert (model.probabilities_[-4:] == 0).all()


def test_merge_joins_two_pain_points_and_keeps_other_labels(vectors: np.ndarray) -> None:
    model = PainPointModel(random_state=42).fit(TEXTS, vectors)
    before = model.topics_.copy()
    first, second = before["topic_id"].iloc[-2:]
    members = np.isin(model.labels_, [first, second])
    untouched = before[~before["topic_id"].isin([first, second])]
    model.merge([first, second], label="Merged pain point")
    merged = np.unique(model.labels_[members])
    assert len(merged) == 1
    topics = model.topics_.set_index("topic_id")
    assert topics.loc[merged[0], "label"] == "Merged pain point"
    assert topics.loc[merged[0], "size"] == members.sum()
    assert set(untouched["label"]) <= set(topics["label"])
    assert len(model.topics_) == len(before) - 1
    with pytest.raises(WorkbenchError, match="two or more topic ids"):
        model.merge([0])


def test_too_small_a_corpus_is_a_clear_error(embedder) -> None:
    texts = ["Refund took weeks.", "App crashed at checkout.", "On hold for an hour.", "Hidden fees.", "ok"]
    with pytest.raises(WorkbenchError, match="at least 10 are needed"):
        PainPointModel().fit(texts, embedder.encode(texts))


def test_bad_input_and_parameters_say_what_to_pass(vectors: np.ndarray) -> None:
    with pytest.raises(WorkbenchError, match="one embedding row per text"):
        PainPointModel().fit(TEXTS, vectors[:10])
    with pytest.raises(WorkbenchError, match="text 1 is NoneType"):
        PainPointModel().fit(["a b", None] + TEXTS[2:], vectors)
    with pytest.raises(WorkbenchError, match='min_cluster_size=0; pass an integer >= 2 or "auto"'):
        PainPointModel(min_cluster_size=0).fit(TEXTS, vectors)
    with pytest.raises(WorkbenchError, match="max_other_share=2"):
        PainPointModel(max_other_share=2).fit(TEXTS, vectors)
    with pytest.raises(WorkbenchError, match="word_weight=1; pass a number from 0.0 to 0.9"):
        PainPointModel(word_weight=1).fit(TEXTS, vectors)
    with pytest.raises(WorkbenchError, match="not fitted yet"):
        PainPointModel().transform(TEXTS, vectors)
    with pytest.raises(WorkbenchError, match="no parameter 'colour'"):
        PainPointModel().set_params(colour="red")
    with pytest.raises(WorkbenchError, match="is not a cache; pass workbench.analysis.embedding_cache.EmbeddingCache"):
        PainPointModel().fit(TEXTS, vectors, cache="cache.sqlite")


def test_parameters_are_stored_untouched() -> None:
    model = PainPointModel(min_cluster_size="auto", stop_words=["Skylark"], ngram_range=(1, 3))
    assert model.get_params()["stop_words"] == ["Skylark"]
    assert model.get_params()["min_cluster_size"] == "auto"
    assert not any(name.endswith("_") for name in vars(model))


def test_auto_settings_scale_with_corpus_size() -> None:
    small, study, large = auto_settings(120), auto_settings(670), auto_settings(50_000)
    assert small["min_cluster_size"] < study["min_cluster_size"] <= large["min_cluster_size"]
    assert all(s["min_samples"] < s["min_cluster_size"] for s in (small, study, large))
    assert auto_settings(12)["n_neighbors"] < 12
    assert large["word_dimensions"] == study["word_dimensions"] == 100 and auto_settings(12)["word_dimensions"] == 11


def test_usable_text_rule() -> None:
    assert is_usable_text("refund took weeks") and not is_usable_text("[EMAIL] 42")


def test_importing_the_module_does_not_import_bertopic() -> None:
    code = (
        "import sys, workbench.analysis.painpoints\n"
        "heavy = [m for m in ('bertopic', 'umap', 'hdbscan', 'sklearn', 'torch') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == ""


# ---------------------------------------------------------------------- large-corpus mode


@pytest.fixture(scope="module")
def large_mode(vectors) -> PainPointModel:
    """The large-corpus mode forced on the small corpus: fit on 70 of the units, assign the rest."""
    return PainPointModel(random_state=42, large_corpus_threshold=60, sample_size=70).fit(TEXTS, vectors)


def test_large_corpus_mode_is_chosen_above_the_threshold_only(vectors, fitted, large_mode) -> None:
    assert LARGE_CORPUS_THRESHOLD >= 10_000  # a study of interviews is never sampled
    assert fitted.settings_["large_corpus"] is None
    assert len(fitted.sample_indices_) == len(TEXTS)
    assert large_mode.settings_["large_corpus"] == {"n_units": len(TEXTS), "sample_size": 70}
    assert len(large_mode.sample_indices_) == 70
    at_threshold = PainPointModel(random_state=42, large_corpus_threshold=len(TEXTS), sample_size=70)
    assert at_threshold.fit(TEXTS, vectors).settings_["large_corpus"] is None


def test_large_corpus_mode_assigns_every_unit(large_mode) -> None:
    labels = large_mode.labels_
    assert len(labels) == len(TEXTS) and len(large_mode.probabilities_) == len(TEXTS)
    assert (labels == OTHER).mean() <= 0.05  # the Other cap holds over all units, not just the sample
    outside = np.setdiff1d(np.arange(len(TEXTS)), large_mode.sample_indices_)
    assert (labels[outside] != OTHER).mean() >= 0.95
    assert large_mode.topics_["size"].sum() == (labels != OTHER).sum()
    assert large_mode.topics_["topic_id"].tolist() == list(range(len(large_mode.topics_)))
    assert len(large_mode.bertopic_model_.topics_) == len(TEXTS)  # BERTopic's view covers every unit too


def test_large_corpus_mode_finds_the_same_themes(fitted, large_mode) -> None:
    assert adjusted_rand_score(TRUTH, large_mode.labels_) >= 0.6
    assert adjusted_rand_score(fitted.labels_, large_mode.labels_) >= 0.6
    refund = refund_topic(large_mode)
    assert (large_mode.labels_[TRUTH == "refund"] == refund).mean() >= 0.8


def test_large_corpus_mode_is_deterministic_and_can_merge(vectors, large_mode) -> None:
    again = PainPointModel(random_state=42, large_corpus_threshold=60, sample_size=70).fit(TEXTS, vectors)
    assert np.array_equal(again.sample_indices_, large_mode.sample_indices_)
    assert np.array_equal(again.labels_, large_mode.labels_)
    assert again.topics_.equals(large_mode.topics_)
    first, second = again.topics_["topic_id"].iloc[-2:]
    members = np.isin(again.labels_, [first, second])
    again.merge([first, second], label="Merged")
    assert len(np.unique(again.labels_[members])) == 1


def test_the_sample_is_stratified_and_deterministic() -> None:
    rng = np.random.default_rng(3)
    # Three regions of 3,000 / 800 / 200 rows: a 500-row sample holds each in proportion.
    centres = np.eye(6)[:3] * 6
    sizes = [3000, 800, 200]
    vectors = np.vstack([rng.normal(0, 1, (n, 6)) + c for n, c in zip(sizes, centres)])
    region = np.repeat([0, 1, 2], sizes)
    sample = stratified_sample(vectors, 500, random_state=5, n_strata=12)
    assert len(sample) == 500 and len(np.unique(sample)) == 500 and (np.diff(sample) > 0).all()
    counts = np.bincount(region[sample], minlength=3)
    assert abs(counts[0] - 375) <= 8 and abs(counts[1] - 100) <= 8 and abs(counts[2] - 25) <= 5
    assert np.array_equal(sample, stratified_sample(vectors, 500, random_state=5, n_strata=12))
    assert not np.array_equal(sample, stratified_sample(vectors, 500, random_state=6, n_strata=12))
    assert np.array_equal(stratified_sample(vectors[:40], 100), np.arange(40))  # asking for more: everything


def test_exact_neighbours_match_brute_force() -> None:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(300, 12))
    indices, distances = exact_cosine_neighbours(vectors, 7, block=64)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    similarity = unit @ unit.T
    expected = np.argsort(-similarity, axis=1, kind="stable")[:, :7]
    assert np.array_equal(indices[:, 0], np.arange(300))
    assert np.array_equal(np.sort(indices, axis=1), np.sort(expected, axis=1))
    assert np.allclose(distances[:, 1:], 1 - np.take_along_axis(similarity, indices[:, 1:], axis=1), atol=1e-5)
    assert (np.diff(distances, axis=1) >= -1e-6).all()


def test_bad_large_corpus_parameters_say_what_to_pass(vectors) -> None:
    with pytest.raises(WorkbenchError, match="large_corpus_threshold=5; pass an integer >= 10"):
        PainPointModel(large_corpus_threshold=5).fit(TEXTS, vectors)
    with pytest.raises(WorkbenchError, match="sample_size='many'"):
        PainPointModel(sample_size="many").fit(TEXTS, vectors)


# ---------------------------------------------------------------------- result cache and BERTopic parity


def _same_fit(a: PainPointModel, b: PainPointModel) -> None:
    assert np.array_equal(a.labels_, b.labels_)
    assert np.array_equal(a.probabilities_, b.probabilities_)
    assert np.array_equal(a.topic_embeddings_, b.topic_embeddings_)
    assert a.topics_.equals(b.topics_)
    assert np.array_equal(a.sample_indices_, b.sample_indices_)
    assert a.settings_ == b.settings_


@pytest.mark.parametrize("options", [{}, {"large_corpus_threshold": 60, "sample_size": 70}])
def test_a_fit_read_from_the_cache_is_the_fit(options, vectors, embedder, tmp_path) -> None:
    from workbench.analysis.embedding_cache import EmbeddingCache

    with EmbeddingCache(tmp_path / "cache.sqlite") as cache:
        cold = PainPointModel(random_state=42, **options).fit(TEXTS, vectors, cache=cache)
        warm = PainPointModel(random_state=42, **options).fit(TEXTS, vectors, cache=cache)
        other_seed = PainPointModel(random_state=7, **options).fit(TEXTS, vectors, cache=cache)
        other_input = PainPointModel(random_state=42, **options).fit(TEXTS[:-1], vectors[:-1], cache=cache)
    assert not cold.from_cache_ and warm.from_cache_
    assert not other_seed.from_cache_ and not other_input.from_cache_
    _same_fit(cold, PainPointModel(random_state=42, **options).fit(TEXTS, vectors))  # the cache changes nothing
    _same_fit(cold, warm)
    # what the cached model rebuilds on demand is what the fit computed
    new = ["Two months on and my refund for the cancelled holiday still hasn't arrived.", "ok", *TEXTS[:5]]
    new_vectors = np.vstack([embedder.encode(new[:2]), vectors[:5]])
    for got, expected in zip(warm.transform(new, new_vectors), cold.transform(new, new_vectors)):
        assert np.array_equal(got, expected)
    first, second = (int(t) for t in cold.topics_["topic_id"].iloc[-2:])
    _same_fit(cold.merge([first, second]), warm.merge([first, second]))


def test_a_cached_fit_in_a_new_process_imports_no_clustering_library(vectors, tmp_path) -> None:
    from workbench.analysis.embedding_cache import EmbeddingCache

    with EmbeddingCache(tmp_path / "cache.sqlite") as cache:
        cold = PainPointModel(random_state=42).fit(TEXTS, vectors, cache=cache)
    np.save(tmp_path / "vectors.npy", vectors)
    (tmp_path / "texts.txt").write_text("\n".join(TEXTS))
    code = (
        "import sys, numpy as np\n"
        "from pathlib import Path\n"
        "from workbench.analysis.embedding_cache import EmbeddingCache\n"
        "from workbench.analysis.painpoints import PainPointModel\n"
        f"folder = Path({str(tmp_path)!r})\n"
        "texts = (folder / 'texts.txt').read_text().split('\\n')\n"
        "model = PainPointModel(random_state=42).fit(texts, np.load(folder / 'vectors.npy'), cache=EmbeddingCache(folder / 'cache.sqlite'))\n"
        "heavy = [m for m in ('bertopic', 'umap', 'hdbscan', 'torch') if m in sys.modules]\n"
        "print(model.from_cache_, ','.join(model.labels_.astype(str)), ','.join(heavy) or '-')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    from_cache, labels, heavy = result.stdout.split()
    assert from_cache == "True" and heavy == "-"
    assert labels == ",".join(cold.labels_.astype(str))


def test_keywords_come_from_the_c_tf_idf_bertopic_computes(fitted: PainPointModel) -> None:
    from bertopic import BERTopic
    from bertopic.cluster import BaseCluster
    from bertopic.dimensionality import BaseDimensionalityReduction
    from bertopic.vectorizers import ClassTfidfTransformer

    from workbench.analysis.ctfidf import class_tfidf_words
    from workbench.analysis.refinement import _number_by_frequency

    labels = _number_by_frequency(fitted.labels_)
    ours, _ = class_tfidf_words(TEXTS, labels, fitted._vectorizer(fitted.settings_), 30)
    theirs = BERTopic(
        umap_model=BaseDimensionalityReduction(), hdbscan_model=BaseCluster(),
        vectorizer_model=fitted._vectorizer(fitted.settings_),
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True), top_n_words=30,
    ).fit(TEXTS, embeddings=np.zeros((len(TEXTS), 4)), y=labels)
    assert set(ours) == set(labels.tolist())
    for topic, words in ours.items():
        expected = [(w, s) for w, s in theirs.get_topic(topic) if w and s > 0]
        assert [w for w, _ in words] == [w for w, _ in expected]
        assert np.allclose([s for _, s in words], [s for _, s in expected])
    # BERTopic's view of the fitted model holds the same pain points
    mapping = fitted.bertopic_topic_ids_
    assert sorted(mapping.values()) == fitted.topics_["topic_id"].tolist()
