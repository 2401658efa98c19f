"""The pain-point engine on the bundled study: the answer key's themes come back, ranked and placed."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from workbench.analysis.kinds import PAINPOINT_KINDS
from workbench.analysis.curation import record_edit
from workbench.storage.store import Store
from workbench.study import run_analyze
from workbench.storage.locations import store_url, study_key

STUDY = Path(__file__).resolve().parents[1] / "interview_data"


@pytest.fixture(scope="module")
def study_copy(sample_study_copy: Path) -> Path:
    return sample_study_copy


@pytest.fixture(scope="module")
def first_run(sample_analysis):
    return sample_analysis


@pytest.fixture(scope="module")
def second_run(first_run, study_copy: Path):
    return run_analyze(study_copy, study_copy / ".workbench", embedder="minilm", seed=42, progress=False)


def _units_with_key(result) -> pd.DataFrame:
    key = pd.read_csv(STUDY / "answer_key.csv", dtype=str)
    segments = result.ingest.segments
    segments = segments.assign(
        key=[str(t) if kind == "interview" else str(i) for kind, t, i in
             zip(segments["source_kind"], segments["turn"], segments["item_id"])]
    )
    units = result.analysis.assignments.merge(segments[["segment_id", "source_id", "key"]], on="segment_id")
    return units.merge(key, on=["source_id", "key"], how="left")


def test_eight_or_more_named_painpoints_with_everything_a_team_needs(first_run) -> None:
    painpoints = first_run.analysis.painpoints
    # delights ("What works") and context groups are not pain points: they have no severity
    named = painpoints[(painpoints["painpoint_id"] != "other") & painpoints["kind"].isin(PAINPOINT_KINDS)]
    assert len(named) >= 8
    for row in named.itertuples():
        assert row.label and "_" not in row.label
        assert row.dimension and row.touchpoint and row.stage
        assert row.severity > 0 and len(row.quotes) >= 1
    assert named["severity"].is_monotonic_decreasing


def test_payment_without_confirmation_ranks_in_the_top_three(first_run) -> None:
    units = _units_with_key(first_run)
    payment = units[units["theme"] == "payment_no_confirmation"]
    home = payment["painpoint_id"].value_counts().idxmax()
    assert payment["painpoint_id"].eq(home).mean() >= 0.5
    rank = int(first_run.analysis.painpoints.set_index("painpoint_id").loc[home, "rank"])
    assert rank <= 3, first_run.analysis.painpoints[["painpoint_id", "label", "severity"]].head(5)


def test_painpoints_recover_the_answer_key(first_run) -> None:
    units = _units_with_key(first_run).dropna(subset=["theme"])
    themed = units[~units["theme"].isin(["interviewer", "other"])]
    ari = adjusted_rand_score(themed["theme"], themed["painpoint_id"])
    print(f"ARI against the answer key: {ari:.3f} over {len(themed)} units")
    assert ari >= 0.35


def test_other_stays_small(first_run) -> None:
    assert first_run.manifest["info"]["other_share"] <= 0.05


def test_quotes_are_redacted_text_from_different_people(first_run) -> None:
    ledger = pd.read_csv(STUDY / "pii_ledger.csv", dtype=str)
    secrets = set(ledger.loc[ledger["kind"] != "not_pii_number", "value"])
    for row in first_run.analysis.painpoints.itertuples():
        for quote in row.quote_texts:
            assert not any(secret in quote for secret in secrets)


def test_same_input_and_seed_give_the_same_painpoints_and_the_rerun_hits_the_cache(first_run, second_run) -> None:
    a, b = first_run.analysis, second_run.analysis
    assert a.assignments["painpoint_id"].tolist() == b.assignments["painpoint_id"].tolist()
    assert a.painpoints["label"].tolist() == b.painpoints["label"].tolist()
    cache = second_run.manifest["info"]["cache"]
    assert cache.get("misses", 1) == 0 and cache.get("hits", 0) > 0


def test_manifest_records_what_produced_the_results(first_run, study_copy: Path) -> None:
    manifest = json.loads((study_copy / ".workbench" / "manifest.json").read_text())
    assert manifest["options"] == {"embedder": "minilm", "seed": 42}
    assert manifest["packages"]["bertopic"]
    assert "transcripts/interview_01.txt" in manifest["inputs"]
    assert manifest["info"]["embedder"].startswith("minilm")
    for name in ["segments", "painpoints", "assignments"]:
        assert (study_copy / ".workbench" / f"{name}.parquet").exists()


def test_a_rename_survives_the_next_run(second_run, study_copy: Path, tmp_path: Path) -> None:
    # A private copy (results and embedding cache included): the shared study's results must stay
    # uncurated for the other modules that read them.
    private = tmp_path / "interview_data"
    shutil.copytree(study_copy, private)
    out = private / ".workbench"
    assignments = pd.read_parquet(out / "assignments.parquet")
    membership = pd.Series(assignments["painpoint_id"].to_numpy(), index=assignments["passage_id"])
    target = second_run.analysis.painpoints.iloc[0]["painpoint_id"]
    record_edit(Store(store_url(out)), study_key(private), membership, "rename", [target], label="Our top problem")
    third = run_analyze(private, out, embedder="minilm", seed=42, progress=False)
    assert "Our top problem" in third.analysis.painpoints["label"].tolist()
    assert third.manifest["info"]["curation_applied"]


def test_the_rerun_reads_pain_points_and_scores_from_the_cache_and_changes_nothing(first_run, second_run) -> None:
    a, b = first_run.analysis, second_run.analysis
    assert second_run.manifest["info"]["cache"]["painpoints_from_cache"] is True
    pd.testing.assert_frame_equal(a.painpoints, b.painpoints)
    pd.testing.assert_frame_equal(a.assignments, b.assignments)
    pd.testing.assert_frame_equal(a.passages, b.passages)
