"""The per-item steps of large runs give the same results on worker processes as in one loop."""
from __future__ import annotations

import pytest

from workbench.runtime import workers as parallel
from workbench.analysis import sentiment
from workbench.analysis.kinds import context_signals
from workbench.ingest.redaction_runs import redact_all
from workbench.runtime.workers import available_workers, map_chunks
from workbench.privacy.redactor import RedactionConfig, Redactor

TEXTS = [
    "Still no refund after 40 days, call me on 020 7946 0958",
    "The desk agent upgraded us for free, the kids were over the moon",
    "I booked the bundle because the price alert said it dropped 20%",
    "Mail ana@example.com about booking SKY-4QZ81M",
    "We landed at nine.",
    "Hold music for 55 minutes and then the line went dead",
    "",
    "Maria Jones at the desk said it was not her problem",
] * 5


def test_worker_processes_give_the_loop_results_in_input_order() -> None:
    items = [f"text number {i}" for i in range(23)]
    assert map_chunks(len, items, chunk_size=4, min_items=0, workers=2) == [len(t) for t in items]


def test_a_batched_function_gets_chunks_and_must_return_one_result_per_item() -> None:
    assert map_chunks(sorted, [[3, 1], [2]], min_items=0, workers=1) == [[1, 3], [2]]
    with pytest.raises(RuntimeError, match="returned 1 results for 2 items"):
        map_chunks(_first_only, ["a", "b"], batched=True, min_items=0, workers=1)


def test_an_error_in_a_worker_reaches_the_caller() -> None:
    with pytest.raises(TypeError):
        map_chunks(len, ["ok", 3, "fine"], chunk_size=1, min_items=0, workers=2)


def test_progress_callback_counts_every_item() -> None:
    done: list[int] = []
    map_chunks(str.upper, list("abcdefg"), chunk_size=3, min_items=0, workers=2, on_chunk=done.append)
    assert sum(done) == 7


def test_workers_setting_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_WORKERS", "1")
    assert available_workers() == 1
    monkeypatch.setenv("WORKBENCH_WORKERS", "many")
    with pytest.raises(ValueError, match="WORKBENCH_WORKERS"):
        available_workers()


def test_redaction_on_workers_equals_redaction_in_one_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    redactor = Redactor.from_config(RedactionConfig(), {"Maria Jones": "P07"})
    expected = [redactor.redact(text) for text in TEXTS]
    monkeypatch.setattr(parallel, "DEFAULT_MIN_ITEMS", 0)
    monkeypatch.setattr(parallel, "DEFAULT_CHUNK_SIZE", 3)
    monkeypatch.setenv("WORKBENCH_WORKERS", "2")
    assert redact_all(redactor, TEXTS) == expected
    assert "[EMAIL]" in expected[3] and "P07" in expected[7]


def test_sentiment_on_workers_equals_sentiment_in_one_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [f"{text} ({i})" for i, text in enumerate(TEXTS)]  # distinct: each one is scored
    scores = sentiment.score_sentiment(texts)
    moments = sentiment.classify_moments(texts, scores)
    monkeypatch.setattr(parallel, "DEFAULT_MIN_ITEMS", 0)
    monkeypatch.setattr(parallel, "DEFAULT_CHUNK_SIZE", 4)
    monkeypatch.setenv("WORKBENCH_WORKERS", "2")
    got_scores, got_moments = sentiment.score_and_classify(texts)
    assert got_scores.tolist() == scores.tolist() and got_moments == moments
    assert {"pain", "delight", "purchase", "neutral"} <= set(moments)


def test_compiled_cue_families_find_what_each_pattern_finds() -> None:
    assert context_signals("We are five, my wife and three boys. We travel twice a year.") == {"habit", "household"}
    assert context_signals("The refund took seven weeks.") == set()


def _first_only(chunk: list[str]) -> list[str]:
    return chunk[:1]


def test_combined_cue_patterns_match_exactly_where_one_of_their_patterns_matches() -> None:
    """The compiled alternations (one search per list) decide as the per-pattern loops they replace."""
    import csv
    import re
    from pathlib import Path

    from workbench.analysis import kinds

    fixture = Path(__file__).parent / "data" / "lens_fixture.csv"
    texts = TEXTS + [row["sentence"] for row in csv.DictReader(fixture.open(encoding="utf-8"))]
    for patterns in (sentiment.PAIN_CUES, sentiment.PURCHASE_DECISION_CUES, sentiment.PURCHASE_ACT_CUES):
        for text in texts:
            assert sentiment._any(patterns, text) == any(re.search(p, text, re.IGNORECASE) for p in patterns), text
    for text in texts:
        families = {family for family, patterns in kinds.CONTEXT_CUES.items()
                    if any(re.search(p, text, re.IGNORECASE) for p in patterns)}
        assert families <= context_signals(text) <= families | {"small_talk"}, text


def test_redacted_texts_are_read_back_from_the_cache_only_for_the_same_redactor(tmp_path) -> None:
    from workbench.analysis.embedding_cache import EmbeddingCache
    from workbench.ingest.redaction_runs import redactor_id

    config = RedactionConfig()
    redactor = Redactor.from_config(config, {})
    with EmbeddingCache(tmp_path / "cache.sqlite") as cache:
        first = redact_all(redactor, TEXTS, cache=cache, cache_id=redactor_id(config, {}))
        # a planted wrong entry shows the second call reads the cache instead of redacting again
        cache.put_scores(redactor_id(config, {}), [TEXTS[0]], [0.0], ["from the cache"])
        again = redact_all(redactor, TEXTS, cache=cache, cache_id=redactor_id(config, {}))
        other = RedactionConfig(extra_names=["Kevin"])
        fresh = redact_all(redactor, TEXTS, cache=cache, cache_id=redactor_id(other, {}))
    assert first == [redactor.redact(text) for text in TEXTS]
    assert again == ["from the cache" if text == TEXTS[0] else out for text, out in zip(TEXTS, first)]
    assert fresh == first


def test_cluster_shows_each_step_and_a_rerun_reads_the_redactions_back(tmp_path, capsys) -> None:
    """``workbench cluster --progress``: a line per step with its seconds; the same results on a rerun."""
    import shutil
    from pathlib import Path

    import pandas as pd

    from workbench.study import run_cluster

    reviews = Path(__file__).parents[1] / "interview_data" / "feedback" / "app_store_reviews.csv"
    export = Path(shutil.copy(reviews, tmp_path / "reviews.csv"))
    first = run_cluster(export, tmp_path / "out", embedder="static", progress=True)
    shown = capsys.readouterr().err
    for step in ("Reading and redacting reviews.csv", "Embedding", "Scoring sentiment", "Finding the pain points",
                 "Placing the pain points", "Writing the results"):
        assert f"▸ {step}" in shown, shown
    assert shown.count("  done") == 6
    again = run_cluster(export, tmp_path / "out", embedder="static", progress=False)
    assert capsys.readouterr().err == ""
    pd.testing.assert_frame_equal(first.assignments, again.assignments)
    segments = pd.read_parquet(tmp_path / "out" / "segments.parquet")
    assert len(segments) == len(first.assignments) and segments["text_redacted"].str.len().gt(0).any()
