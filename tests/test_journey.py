"""Journey map: the stage × touchpoint matrix, stage effectiveness, emotion curves and figures."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from workbench.people.journey import (
    JOURNEY_COLUMNS,
    STAGE_ORDER,
    analysis_units,
    emotion_curve,
    emotion_curve_figure,
    journey_heatmap_figure,
    journey_matrix,
    ordered_stages,
    stage_effectiveness,
)
from workbench.analysis.lenses import STAGE_LABELS


def units_frame() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Twelve units: a painful support stage, a happy use stage, and units with no stage/touchpoint."""
    rows = [
        # passage, segment, participant, stage, touchpoint, painpoint, moment, sentiment
        ("a-1", "a", "P01", "support", "call centre", "PP01", "pain", -0.8),
        ("a-2", "a", "P01", "support", "call centre", "PP01", "pain", -0.6),
        ("b-1", "b", "P02", "support", "call centre", "PP01", "pain", -0.7),
        ("c-1", "c", None, "support", "phone and IVR", "PP01", "pain", -0.9),
        ("d-1", "d", "P02", "use", "store / in person", "PP03", "delight", 0.8),
        ("e-1", "e", "P03", "use", "mobile app", "PP03", "delight", 0.6),
        ("f-1", "f", "P03", "use", "mobile app", "PP02", "pain", -0.4),
        ("g-1", "g", "P01", "purchase/booking", "website", "PP02", "pain", -0.5),
        ("h-1", "h", "P03", "awareness", "social media", "other", "neutral", 0.1),
        ("i-1", "i", None, None, "email", "PP02", "pain", -0.3),
        ("j-1", "j", "P02", "loyalty and advocacy", None, "other", "neutral", 0.0),
        ("k-1", "k", None, None, None, "other", "neutral", 0.0),
    ]
    passages = pd.DataFrame([{"passage_id": r[0], "segment_id": r[1], "participant_id": r[2], "text": f"text {r[0]}",
                              "source_kind": "feedback" if r[2] is None else "interview", "sentiment": r[7],
                              "moment": r[6], "touchpoint": r[4], "stage": r[3]} for r in rows])
    assignments = pd.DataFrame([{"passage_id": r[0], "segment_id": r[1], "painpoint_id": r[5],
                                 "label": {"PP01": "Hold loop", "PP02": "Hidden fees", "PP03": "Helpful staff",
                                           "other": "Other"}[r[5]], "probability": 0.9, "sentiment": r[7],
                                 "moment": r[6], "touchpoint": r[4], "stage": r[3]} for r in rows])
    painpoints = pd.DataFrame({"painpoint_id": ["PP01", "PP02", "PP03", "other"],
                               "label": ["Hold loop", "Hidden fees", "Helpful staff", "Other"],
                               "kind": ["pain", "pain", "delight", "other"],
                               "stage": ["support", "purchase/booking", "use", None]})
    return passages, assignments, painpoints


def test_cells_add_up_to_the_units_and_each_unit_is_in_one_cell():
    passages, assignments, painpoints = units_frame()
    matrix = journey_matrix(passages, assignments, painpoints)
    assert list(matrix.columns) == list(JOURNEY_COLUMNS)
    assert int(matrix["n_units"].sum()) == len(passages)
    assert not matrix.duplicated(["stage", "touchpoint"]).any()
    cell = matrix.set_index(["stage", "touchpoint"])
    assert cell.loc[("support", "call centre"), "n_units"] == 3
    assert cell.loc[("support", "call centre"), "n_segments"] == 2  # a-1 and a-2 are one segment
    assert cell.loc[("support", "call centre"), "n_participants"] == 2
    assert cell.loc[("unknown", "email"), "n_units"] == 1  # no stage → unknown
    assert cell.loc[("loyalty and advocacy", "unknown"), "n_units"] == 1  # no touchpoint → unknown
    assert cell.loc[("unknown", "unknown"), "n_feedback_units"] == 1


def test_cell_statistics_mean_what_they_say():
    passages, assignments, painpoints = units_frame()
    cell = journey_matrix(passages, assignments, painpoints).set_index(["stage", "touchpoint"])
    support = cell.loc[("support", "call centre")]
    assert support["sentiment_mean"] == pytest.approx(-0.7)
    assert support["pain_share"] == 1.0
    assert support["top_painpoint"] == "PP01" and support["top_painpoint_label"] == "Hold loop"
    app = cell.loc[("use", "mobile app")]
    assert app["top_painpoint"] == "PP02"  # the pain point wins over the (more delightful) delight theme
    assert pd.isna(cell.loc[("awareness", "social media"), "top_painpoint"])  # only "other" there


def test_stages_come_in_journey_order_with_unknown_last():
    passages, assignments, painpoints = units_frame()
    stages = list(dict.fromkeys(journey_matrix(passages, assignments, painpoints)["stage"]))
    assert stages == ["awareness", "purchase/booking", "use", "support", "loyalty and advocacy", "unknown"]
    assert STAGE_ORDER == tuple(STAGE_LABELS)
    assert list(STAGE_ORDER) == ["awareness", "consideration", "purchase/booking", "use", "delivery/fulfilment",
                                 "support", "loyalty and advocacy"]
    assert ordered_stages(["unknown", "zz custom", "use", "awareness"]) == ["awareness", "use", "zz custom", "unknown"]


def test_units_without_unit_stage_take_their_painpoint_stage():
    passages, assignments, painpoints = units_frame()
    units = analysis_units(passages.drop(columns=["stage"]), assignments.drop(columns=["stage"]), painpoints)
    assert units.set_index("passage_id").loc["a-1", "stage"] == "support"
    assert units.set_index("passage_id").loc["k-1", "stage"] == "unknown"


def test_effectiveness_is_in_range_and_lower_for_a_stage_full_of_pain():
    passages, assignments, painpoints = units_frame()
    scores = stage_effectiveness(journey_matrix(passages, assignments, painpoints)).set_index("stage")
    assert scores["effectiveness"].between(0, 100).all()
    assert scores.loc["support", "effectiveness"] < scores.loc["use", "effectiveness"]
    assert scores.loc["support", "pain_share"] == 1.0
    # the formula: 50 × (1 + s) × (1 − 0.5 p)
    use = scores.loc["use"]
    assert use["effectiveness"] == pytest.approx(round(50 * (1 + use["sentiment_mean"]) * (1 - 0.5 * use["pain_share"]), 1))
    assert scores["n_units"].sum() == len(passages)
    extreme = pd.DataFrame({"stage": ["use", "support"], "touchpoint": ["x", "y"], "n_units": [1, 1],
                            "sentiment_mean": [1.0, -1.0], "pain_share": [0.0, 1.0]})
    assert stage_effectiveness(extreme).set_index("stage")["effectiveness"].to_dict() == {"use": 100.0, "support": 0.0}


def test_emotion_curve_is_a_persona_by_stage_grid():
    passages, assignments, _ = units_frame()
    labels = {"P01": "PE1", "P02": "PE1", "P03": "PE2"}
    curve = emotion_curve(passages, labels, assignments)
    stages = ["awareness", "purchase/booking", "use", "support", "loyalty and advocacy"]
    assert list(curve.columns) == ["persona_id", "stage", "n_units", "sentiment_mean"]
    assert len(curve) == 2 * len(stages)
    assert curve[curve["persona_id"] == "PE1"]["stage"].tolist() == stages
    grid = curve.set_index(["persona_id", "stage"])
    assert grid.loc[("PE1", "support"), "n_units"] == 3  # feedback unit c-1 is left out
    assert grid.loc[("PE1", "support"), "sentiment_mean"] == pytest.approx(-0.7)
    assert grid.loc[("PE2", "use"), "sentiment_mean"] == pytest.approx((0.6 - 0.4) / 2)
    assert math.isnan(grid.loc[("PE2", "support"), "sentiment_mean"]) and grid.loc[("PE2", "support"), "n_units"] == 0
    with_all = emotion_curve(passages, pd.Series(labels), assignments, include_all=True)
    assert with_all["persona_id"].unique().tolist() == ["PE1", "PE2", "all"]
    personas = pd.DataFrame({"persona_id": ["PE1", "PE2"], "members": [["P01", "P02"], ["P03"]]})
    pd.testing.assert_frame_equal(emotion_curve(passages, personas, assignments), curve)


def test_figures_are_plotly_figures_that_need_no_network():
    import plotly.graph_objects as go

    passages, assignments, painpoints = units_frame()
    matrix = journey_matrix(passages, assignments, painpoints)
    heatmap = journey_heatmap_figure(matrix)
    assert isinstance(heatmap, go.Figure)
    assert list(heatmap.data[0].x) == list(dict.fromkeys(matrix["stage"]))
    z = np.array(heatmap.data[0].z, dtype=float)
    assert np.nansum(np.array(heatmap.data[0].text, dtype=object) != "") == len(matrix)
    assert np.nanmin(z) >= -1 and np.nanmax(z) <= 1
    curve = emotion_curve(passages, {"P01": "PE1", "P03": "PE2"}, assignments)
    lines = emotion_curve_figure(curve, {"PE1": "The Time-Pressed Business Flyer"})
    assert isinstance(lines, go.Figure) and len(lines.data) == 2
    assert lines.data[0].name == "PE1 · The Time-Pressed Business Flyer"
    html = lines.to_html(include_plotlyjs=True, full_html=True)
    assert '<script src="http' not in html.replace("'", '"')  # plotly.js inlined, nothing fetched


def test_empty_inputs_give_empty_tables():
    empty = pd.DataFrame({"passage_id": pd.Series(dtype=str)})
    matrix = journey_matrix(empty, pd.DataFrame({"passage_id": pd.Series(dtype=str)}))
    assert matrix.empty and list(matrix.columns) == list(JOURNEY_COLUMNS)
    assert stage_effectiveness(matrix).empty
    assert isinstance(journey_heatmap_figure(matrix).to_dict(), dict)


def test_sample_study_journey_adds_up(sample_results):
    folder = sample_results
    passages = pd.read_parquet(folder / "passages.parquet")
    matrix = journey_matrix(passages, pd.read_parquet(folder / "assignments.parquet"),
                            pd.read_parquet(folder / "painpoints.parquet"))
    assert int(matrix["n_units"].sum()) == len(passages)
    scores = stage_effectiveness(matrix)
    print(scores.to_string())
    assert scores["effectiveness"].between(0, 100).all()
    assert list(scores["stage"]) == ordered_stages(scores["stage"])
