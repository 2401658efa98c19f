"""Impact of a pain point on NPS / star ratings / CSAT: the score with and without its items."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from workbench.rigour.impact import (
    CSAT,
    NPS,
    RATING,
    impact_columns,
    metric_of_column,
    nps,
    painpoint_impact,
    scored_items,
)

REPORT = {"files": [
    {"source_id": "feedback/app_store_reviews.csv", "notes": ["columns used: item_id='review_id', rating='rating'"]},
    {"source_id": "feedback/post_trip_survey.xlsx", "notes": ["columns used: item_id='Response ID', rating='NPS (0-10)'"]},
]}


def _tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Six reviews (stars), five survey answers (NPS, with a CSAT column), one interview turn."""
    segments = pd.DataFrame([
        # app-store reviews: stars 1..5
        {"segment_id": "r1", "source_id": "feedback/app_store_reviews.csv", "rating": 1.0, "meta_csat_1_5": None},
        {"segment_id": "r2", "source_id": "feedback/app_store_reviews.csv", "rating": 2.0, "meta_csat_1_5": None},
        {"segment_id": "r3", "source_id": "feedback/app_store_reviews.csv", "rating": 5.0, "meta_csat_1_5": None},
        {"segment_id": "r4", "source_id": "feedback/app_store_reviews.csv", "rating": 4.0, "meta_csat_1_5": None},
        {"segment_id": "r5", "source_id": "feedback/app_store_reviews.csv", "rating": 3.0, "meta_csat_1_5": None},
        {"segment_id": "r6", "source_id": "feedback/app_store_reviews.csv", "rating": None, "meta_csat_1_5": None},
        # post-trip survey: NPS 0..10, CSAT 1..5 as text (as the spreadsheet gave it)
        {"segment_id": "s1", "source_id": "feedback/post_trip_survey.xlsx", "rating": 0.0, "meta_csat_1_5": "1"},
        {"segment_id": "s2", "source_id": "feedback/post_trip_survey.xlsx", "rating": 3.0, "meta_csat_1_5": "2"},
        {"segment_id": "s3", "source_id": "feedback/post_trip_survey.xlsx", "rating": 9.0, "meta_csat_1_5": "5"},
        {"segment_id": "s4", "source_id": "feedback/post_trip_survey.xlsx", "rating": 10.0, "meta_csat_1_5": "4"},
        {"segment_id": "s5", "source_id": "feedback/post_trip_survey.xlsx", "rating": 8.0, "meta_csat_1_5": "oops"},
        {"segment_id": "i1", "source_id": "transcripts/interview_01.txt", "rating": None, "meta_csat_1_5": None},
    ])
    # an item belongs to a pain point when ANY of its units is assigned to it
    assignments = pd.DataFrame([
        {"passage_id": "r1-1", "segment_id": "r1", "painpoint_id": "PP01"},
        {"passage_id": "r1-2", "segment_id": "r1", "painpoint_id": "PP01"},  # two units, still one item
        {"passage_id": "r2-1", "segment_id": "r2", "painpoint_id": "PP01"},
        {"passage_id": "r2-2", "segment_id": "r2", "painpoint_id": "PP02"},  # r2 is in PP01 and PP02
        {"passage_id": "r3-1", "segment_id": "r3", "painpoint_id": "PP02"},
        {"passage_id": "r4-1", "segment_id": "r4", "painpoint_id": "other"},
        {"passage_id": "r5-1", "segment_id": "r5", "painpoint_id": "other"},
        {"passage_id": "r6-1", "segment_id": "r6", "painpoint_id": "PP01"},  # no score: not counted
        {"passage_id": "s1-1", "segment_id": "s1", "painpoint_id": "PP01"},
        {"passage_id": "s2-1", "segment_id": "s2", "painpoint_id": "PP01"},
        {"passage_id": "s3-1", "segment_id": "s3", "painpoint_id": "PP02"},
        {"passage_id": "s4-1", "segment_id": "s4", "painpoint_id": "other"},
        {"passage_id": "s5-1", "segment_id": "s5", "painpoint_id": "PP02"},
        {"passage_id": "i1-1", "segment_id": "i1", "painpoint_id": "PP03"},
    ])
    painpoints = pd.DataFrame({"painpoint_id": ["PP01", "PP02", "PP03", "other"],
                               "label": ["Refund never came", "Great staff", "Interview only", "Other"]})
    return segments, assignments, painpoints


def _row(table: pd.DataFrame, painpoint: str, metric: str) -> pd.Series:
    rows = table[(table["painpoint_id"] == painpoint) & (table["metric"] == metric)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_impact_by_hand() -> None:
    segments, assignments, painpoints = _tables()
    table = painpoint_impact(segments, assignments, painpoints, REPORT)

    # Stars (5 scored reviews r1..r5: 1, 2, 5, 4, 3): score_all = 15 / 5 = 3.0
    # PP01 holds r1 (1) and r2 (2): without them 5, 4, 3 -> 12 / 3 = 4.0; impact = 4.0 - 3.0 = +1.0
    pp01 = _row(table, "PP01", RATING)
    assert pp01["n_items"] == 2
    assert pp01["score_all"] == pytest.approx(3.0)
    assert pp01["score_without"] == pytest.approx(4.0)
    assert pp01["impact"] == pytest.approx(1.0)
    assert pp01["reach"] == pytest.approx(2 / 5)
    # PP02 holds r2 (2) and r3 (5): without them 1, 4, 3 -> 8 / 3 = 2.667; impact = -0.333 (it lifts the score)
    pp02 = _row(table, "PP02", RATING)
    assert pp02["score_without"] == pytest.approx(8 / 3)
    assert pp02["impact"] == pytest.approx(8 / 3 - 3.0)

    # NPS (survey s1..s5: 0, 3, 9, 10, 8): promoters s3, s4 = 2/5, detractors s1, s2 = 2/5 -> NPS 0
    # PP01 holds s1 (0) and s2 (3): without them 9, 10, 8 -> promoters 2/3, detractors 0 -> 66.7; impact +66.7
    nps_pp01 = _row(table, "PP01", NPS)
    assert nps_pp01["score_all"] == pytest.approx(0.0)
    assert nps_pp01["score_without"] == pytest.approx(200 / 3)
    assert nps_pp01["impact"] == pytest.approx(200 / 3)
    # PP02 holds s3 (9) and s5 (8): without them 0, 3, 10 -> promoters 1/3, detractors 2/3 -> -33.3; impact -33.3
    assert _row(table, "PP02", NPS)["impact"] == pytest.approx(-100 / 3)

    # CSAT (s1..s4 = 1, 2, 5, 4; s5's "oops" is no score): mean 3.0
    # PP01 holds s1, s2: without them 5, 4 -> 4.5; impact +1.5. PP02 holds s3 (s5 has no CSAT): 1, 2, 4 -> 2.333
    assert _row(table, "PP01", CSAT)["impact"] == pytest.approx(1.5)
    assert _row(table, "PP02", CSAT)["n_items"] == 1
    assert _row(table, "PP02", CSAT)["score_without"] == pytest.approx(7 / 3)

    # the interview-only pain point and Other get no row; metrics with most scored items come first
    assert set(table["painpoint_id"]) == {"PP01", "PP02"}
    assert table["metric"].tolist()[:2] == [RATING, RATING]


def test_painpoints_table_gets_primary_metric_columns() -> None:
    segments, assignments, painpoints = _tables()
    table = impact_columns(painpoints, painpoint_impact(segments, assignments, painpoints, REPORT))
    by_id = table.set_index("painpoint_id")
    assert by_id.loc["PP01", "impact_metric"] == RATING  # 5 star ratings beat 5 NPS answers on the tie by order
    assert by_id.loc["PP01", "impact"] == pytest.approx(1.0) and by_id.loc["PP01", "impact_items"] == 2
    assert math.isnan(by_id.loc["PP03", "impact"]) and by_id.loc["PP03", "impact_items"] == 0
    assert by_id.loc["other", "impact_metric"] == "" and math.isnan(by_id.loc["other", "impact"])


def test_no_scores_at_all_gives_empty_table_and_nan_columns() -> None:
    segments, assignments, painpoints = _tables()
    segments = segments.drop(columns=["rating", "meta_csat_1_5"])
    table = painpoint_impact(segments, assignments, painpoints, REPORT)
    assert table.empty and "impact" in table.columns
    columns = impact_columns(painpoints, table)
    assert columns["impact"].isna().all() and (columns["impact_metric"] == "").all()


def test_metric_comes_from_the_column_name_then_the_values() -> None:
    # the ingest report names the survey's column: NPS even if every answer happened to be 1..5
    segments = pd.DataFrame({"segment_id": ["a", "b"], "source_id": ["survey.xlsx", "survey.xlsx"], "rating": [2.0, 4.0]})
    report = {"files": [{"source_id": "survey.xlsx", "notes": ["rating='How likely are you to recommend us?'"]}]}
    assert set(scored_items(segments, report)["metric"]) == {NPS}
    # no report: 1..5 values are a rating, 0..10 values NPS's scale
    assert set(scored_items(segments)["metric"]) == {RATING}
    segments["rating"] = [0.0, 10.0]
    assert set(scored_items(segments)["metric"]) == {NPS}
    assert metric_of_column("Satisfaction (1-5)") == CSAT


def test_scores_outside_the_scale_are_ignored() -> None:
    segments = pd.DataFrame({"segment_id": ["a", "b", "c"], "source_id": "r.csv", "rating": [4.0, 5.0, 0.0]})
    report = {"files": [{"source_id": "r.csv", "notes": ["rating='stars'"]}]}
    items = scored_items(segments, report)
    assert items["segment_id"].tolist() == ["a", "b"]  # a 0 is no star rating


def test_nps_definition() -> None:
    assert nps([9, 10, 10, 10]) == 100.0
    assert nps([0, 6, 6]) == -100.0
    assert nps([7, 8]) == 0.0  # passives only
    assert math.isnan(nps([]))


def test_sample_study_scores_are_split_by_source() -> None:
    """The bundled study mixes star ratings (app store) and NPS (survey) in one column: scored apart."""
    from pathlib import Path

    from workbench.ingest.study import read_study

    study = read_study(Path(__file__).resolve().parents[1] / "interview_data")
    items = scored_items(study.segments, study.report.to_dict() if hasattr(study.report, "to_dict") else _report_dict(study.report))
    by_source = items.groupby("source_id")["metric"].agg(set).to_dict()
    assert by_source["feedback/app_store_reviews.csv"] == {RATING}
    assert by_source["feedback/post_trip_survey.xlsx"] == {NPS, CSAT}
    assert "feedback/support_emails.jsonl" not in by_source


def _report_dict(report) -> dict:
    import json
    import tempfile
    from pathlib import Path

    path = Path(tempfile.mkdtemp()) / "report.json"
    report.save(path)
    return json.loads(path.read_text(encoding="utf-8"))
