"""Thematic saturation: new pain points and codes per added interview, in order and over random orders."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from workbench.rigour.saturation import SATURATION_COLUMNS, interview_order, saturation_table, saturation_verdict


def _study() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Five interviews held in the order P3, P1, P2, P5, P4 (files named otherwise) and two reviews.

    Pain points per interview (units): P3: A, A, B · P1: A, C · P2: B, D (once) · P5: A · P4: C, C
    Reviews: E (feedback only) and A.
    """
    plan = [("P3", "A"), ("P3", "A"), ("P3", "B"), ("P1", "A"), ("P1", "C"), ("P2", "B"), ("P2", "D"),
            ("P5", "A"), ("P4", "C"), ("P4", "C"), ("P4", "other")]
    rows, assignments = [], []
    for k, (person, painpoint) in enumerate(plan):
        rows.append({"passage_id": f"u{k}", "segment_id": f"s{k}", "participant_id": person,
                     "source_id": f"transcripts/interview_{person[1:]}.txt", "source_kind": "interview"})
        assignments.append({"passage_id": f"u{k}", "painpoint_id": painpoint})
    for j, painpoint in enumerate(["E", "A"]):
        rows.append({"passage_id": f"f{j}", "segment_id": f"fs{j}", "participant_id": None,
                     "source_id": "feedback/reviews.csv", "source_kind": "feedback"})
        assignments.append({"passage_id": f"f{j}", "painpoint_id": painpoint})
    participants = pd.DataFrame({
        "participant_id": ["P1", "P2", "P3", "P4", "P5"],
        "interview_date": ["2026-09-02", "2026-09-03", "2026-09-01", "2026-09-09", "2026-09-05"],
    })
    return pd.DataFrame(rows), pd.DataFrame(assignments), participants


def test_interviews_in_the_order_they_were_held() -> None:
    passages, _, participants = _study()
    assert interview_order(passages, participants)["participant_id"].tolist() == ["P3", "P1", "P2", "P5", "P4"]
    # without dates: file order, natural sort
    assert interview_order(passages)["participant_id"].tolist() == ["P1", "P2", "P3", "P4", "P5"]


def test_new_painpoints_per_interview_by_hand() -> None:
    passages, assignments, participants = _study()
    table, info = saturation_table(passages, assignments, participants, n_orders=50)
    assert list(table.columns) == SATURATION_COLUMNS
    # P3 brings A, B · P1 brings C · P2 brings D · P5 nothing · P4 nothing (C is known; Other never counts)
    assert table["participant_id"].tolist() == ["P3", "P1", "P2", "P5", "P4"]
    assert table["new_painpoints"].tolist() == [2, 1, 1, 0, 0]
    assert table["cumulative_painpoints"].tolist() == [2, 3, 4, 4, 4]
    assert info["verdict"].startswith("Interview 3 (P2) still added 1 new pain point and only the last 2 interviews")
    # feedback is not an interview: E is raised only there and is listed, not counted
    assert info["feedback_only_painpoints"] == ["E"]
    assert info["feedback_items_excluded"] == 2
    assert info["n_painpoints_in_interviews"] == 4
    assert info["order"] == "interview_date"
    assert table["new_codes"].eq(0).all() and any("no human codes" in note for note in info["notes"])


def test_min_units_ignores_a_passing_remark() -> None:
    passages, assignments, participants = _study()
    table, _ = saturation_table(passages, assignments, participants, min_units=2, n_orders=10)
    # with two units needed: P3 brings A (2 units) · P1 nothing · P2 nothing (D once) · P5 nothing · P4 brings C
    assert table["new_painpoints"].tolist() == [1, 0, 0, 0, 1]
    with pytest.raises(ValueError, match="min_units"):
        saturation_table(passages, assignments, participants, min_units=0)


def test_random_orders_band_holds_the_mean_and_ends_at_the_total() -> None:
    passages, assignments, participants = _study()
    table, _ = saturation_table(passages, assignments, participants, n_orders=200, seed=3)
    assert (table["random_order_low"] <= table["random_order_mean"]).all()
    assert (table["random_order_mean"] <= table["random_order_high"]).all()
    assert table["random_order_mean"].is_monotonic_increasing
    last = table.iloc[-1]
    assert last["random_order_mean"] == last["random_order_low"] == last["random_order_high"] == 4
    # one interview alone raises 1 to 2 pain points (P3: 2, P1: 2, P2: 2, P5: 1, P4: 1) -> mean 1.6 on average
    assert 1.0 <= table.iloc[0]["random_order_mean"] <= 2.0


def test_codes_from_the_store_are_counted_per_interview(tmp_path: Path) -> None:
    from workbench.coding.records import code_assignments
    from workbench.storage.store import Store, sqlite_url

    passages, assignments, participants = _study()
    store = Store(sqlite_url(tmp_path / "store.sqlite"))
    for passage, code in [("u0", "pricing"), ("u3", "pricing"), ("u4", "staff"), ("u8", "app"), ("f0", "reviews-only")]:
        store.record_coding("study", "dana", passage, code, "apply")
    store.record_coding("study", "dana", "u8", "app", "remove")  # taken back: not in force
    codes = code_assignments(store, "study")
    table, info = saturation_table(passages, assignments, participants, codes=codes, n_orders=10)
    # order P3, P1, P2, P5, P4: P3 pricing · P1 staff (pricing known) · nothing after
    assert table["new_codes"].tolist() == [1, 1, 0, 0, 0]
    assert table["cumulative_codes"].tolist() == [1, 2, 2, 2, 2]
    assert info["n_codes"] == 2  # the review's code does not count: feedback is not an interview
    assert info["codes_verdict"].startswith("The last 3 interviews added no new code: saturation is likely")


def test_verdicts() -> None:
    assert saturation_verdict([4, 2, 1, 0, 0, 0]) == (
        "The last 3 interviews added no new pain point: saturation is likely; recruiting more of the same people "
        "will add little.")
    assert saturation_verdict([4, 2, 1, 2], ["P1", "P2", "P3", "P18"]) == (
        "Interview 4 (P18) still added 2 new pain points: not saturated yet.")


def test_no_interviews_only_feedback() -> None:
    passages = pd.DataFrame({"passage_id": ["f0"], "segment_id": ["s0"], "participant_id": [None],
                             "source_id": ["feedback/r.csv"], "source_kind": ["feedback"]})
    table, info = saturation_table(passages, pd.DataFrame({"passage_id": ["f0"], "painpoint_id": ["A"]}))
    assert table.empty and list(table.columns) == SATURATION_COLUMNS
    assert "cannot be judged" in info["verdict"] and info["feedback_only_painpoints"] == ["A"]


def test_sample_study_curve_in_interview_date_order() -> None:
    """The bundled study's 18 interviews, with pain points from a real fit (static embedder)."""
    from workbench.analysis.pipeline import analyze_segments
    from workbench.ingest.study import read_study

    study = read_study(Path(__file__).resolve().parents[1] / "interview_data")
    result = analyze_segments(study.segments, embedder="static", seed=42, progress=False)
    table, info = saturation_table(result.passages, result.assignments, study.participants)
    assert len(table) == 18 and info["n_interviews"] == 18
    dates = study.participants.set_index("participant_id")["interview_date"]
    assert table["participant_id"].map(dates).is_monotonic_increasing
    assert table["cumulative_painpoints"].is_monotonic_increasing
    assert table["new_painpoints"].sum() == table["cumulative_painpoints"].iloc[-1] == info["n_painpoints_in_interviews"]
    assert info["feedback_items_excluded"] == 453
    assert info["verdict"] and ("saturation is likely" in info["verdict"] or "not saturated" in info["verdict"]
                                or "too early" in info["verdict"])
