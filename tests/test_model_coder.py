"""The model as a coder: its pain points and suggestions scored against a human coder like a second human."""
from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest
from model_coder_fixtures import (
    BOTH_CODES,
    CODE_NAMES,
    HUMAN,
    SMALL_TALK,
    human_codebook,
    human_codings,
    passage_of,
    segments_frame,
)
from sklearn.metrics import cohen_kappa_score

from workbench.coding.codebook import Code, Codebook
from workbench.coding.painpoint_codes import code_from_painpoint
from workbench.coding.records import code_assignments, store_codebook
from workbench.errors import WorkbenchError
from workbench.rigour.code_mapping import load_mapping, map_model_codes
from workbench.rigour.model_coder import NoHumanCodingsError, format_report, landis_koch, model_vs_human
from workbench.rigour.model_coder_study import model_vs_human_in_study
from workbench.rigour.model_codes import model_codes, suggested_codes
from workbench.storage.store import Store, sqlite_url


def _human(coding: dict[str, list[str]], coder: str = "dana") -> pd.DataFrame:
    """passage -> codes of one coder; [] = seen, no code applies."""
    rows = []
    for passage, codes in coding.items():
        rows += [{"coder": coder, "passage_id": passage, "code_id": c} for c in codes] or [
            {"coder": coder, "passage_id": passage, "code_id": None}]
    return pd.DataFrame(rows)


def _analysis(painpoint_of: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"passage_id": list(painpoint_of), "painpoint_id": list(painpoint_of.values())})


# ------------------------------------------------------------------------------ by hand

TINY_HUMAN = _human({"p1": ["fees"], "p2": ["fees"], "p3": ["fees"], "p4": ["fees"], "p5": [], "p6": ["app"],
                     "p7": ["app"], "p8": [], "p9": [], "p10": [], "p12": ["fees"]})
TINY_ANALYSIS = _analysis({"p1": "PP01", "p2": "PP01", "p3": "PP01", "p4": "other", "p5": "PP01", "p6": "PP02",
                           "p7": "PP02", "p8": "PP02", "p9": "other", "p10": "other", "p11": "PP01"})


def test_kappa_alpha_and_disagreements_match_a_hand_computation() -> None:
    # Units: p1-p10 (p11 the human never saw; p12 is not in the analysis). Mapping PP01 -> fees, PP02 -> app.
    #   fees: human p1-p4, model p1 p2 p3 p5 -> both 3, human only 1 (p4), model only 1 (p5), neither 5
    #         po = 8/10 = 0.8; pe = 0.4*0.4 + 0.6*0.6 = 0.52; kappa = (0.8 - 0.52) / 0.48 = 0.5833 (moderate)
    #   app:  human p6 p7, model p6 p7 p8 -> both 2, model only 1 (p8), neither 7
    #         po = 0.9; pe = 0.2*0.3 + 0.8*0.7 = 0.62; kappa = 0.28 / 0.38 = 0.7368 (substantial)
    #   alpha over the 20 (passage, code) pairs: 13 ones and 27 zeros among 40 values, 3 split pairs
    #         Do = 6/40 = 0.15; De = 2*13*27 / (40*39) = 0.45; alpha = 1 - 0.15/0.45 = 2/3
    report = model_vs_human(TINY_HUMAN, TINY_ANALYSIS, mapping={"PP01": "fees", "PP02": "app"}, auto_map=False,
                            min_examples=1)
    table = report.by_code.set_index("code_id")
    assert report.n_units == 10 and report.n_not_analysed == 1
    assert table.loc["fees", "kappa"] == pytest.approx(0.28 / 0.48)
    assert table.loc["app", "kappa"] == pytest.approx(0.28 / 0.38)
    assert (table.loc["fees", "verdict"], table.loc["app", "verdict"]) == ("moderate", "substantial")
    assert table.loc["fees", "advice"] == "use as suggestions only; review every item"
    assert table.loc["app", "advice"] == "trust for first-pass coding; review its disagreements"
    assert (table.loc["fees", "precision"], table.loc["fees", "recall"]) == (0.75, 0.75)
    assert (table.loc["app", "precision"], table.loc["app", "recall"]) == (pytest.approx(2 / 3), 1.0)
    assert table.loc["fees", "prevalence"] == pytest.approx(0.4)
    assert report.alpha == pytest.approx(2 / 3)
    assert report.agreement == pytest.approx(0.7)  # p4, p5, p8 differ
    rows = {r.passage_id: (r.missed, r.added) for r in report.disagreements.itertuples()}
    assert rows == {"p4": (["fees"], []), "p5": ([], ["fees"]), "p8": ([], ["app"])}
    units = [f"p{i}" for i in range(1, 11)]  # and the same numbers as scikit-learn
    human_fees = [int(u in {"p1", "p2", "p3", "p4"}) for u in units]
    model_fees = [int(u in {"p1", "p2", "p3", "p5"}) for u in units]
    assert table.loc["fees", "kappa"] == pytest.approx(cohen_kappa_score(human_fees, model_fees))


def test_too_few_examples_are_not_judged() -> None:
    report = model_vs_human(TINY_HUMAN, TINY_ANALYSIS, mapping={"PP01": "fees", "PP02": "app"}, auto_map=False)
    advice = report.by_code.set_index("code_id")["advice"]
    assert advice["app"] == "too few examples (2 < 5): code more passages before judging"
    assert advice["fees"] == "too few examples (4 < 5): code more passages before judging"


def test_landis_koch_bands_at_their_edges() -> None:
    assert [landis_koch(k) for k in (-0.01, 0.0, 0.2, 0.21, 0.4, 0.41, 0.6, 0.61, 0.8, 0.81, 1.0)] == [
        "poor", "slight", "slight", "fair", "fair", "moderate", "moderate", "substantial", "substantial",
        "almost perfect", "almost perfect"]


# ------------------------------------------------------------------------------ mapping


def test_best_overlap_lets_no_code_compete_and_explicit_wins() -> None:
    human = _human({"a1": ["fees"], "a2": ["fees"], "a3": [], "b1": [], "b2": [], "b3": ["fees"]})
    analysis = _analysis({"a1": "PP01", "a2": "PP01", "a3": "PP01", "b1": "PP02", "b2": "PP02", "b3": "PP02"})
    mapped = model_vs_human(human, analysis).mapping.set_index("model_code")
    assert mapped.loc["PP01", "code_id"] == "fees" and mapped.loc["PP01", "how"] == "best overlap"
    assert mapped.loc["PP01", "overlap"] == pytest.approx(2 / 3) and mapped.loc["PP01", "support"] == 3
    assert pd.isna(mapped.loc["PP02", "code_id"])  # two of its three passages carry no code
    explicit = model_vs_human(human, analysis, mapping={"PP02": "fees", "PP01": None}).mapping.set_index("model_code")
    assert explicit.loc["PP02", "code_id"] == "fees" and explicit.loc["PP02", "how"] == "explicit"
    assert pd.isna(explicit.loc["PP01", "code_id"]) and explicit.loc["PP01", "how"] == "explicit"
    unmapped = model_vs_human(human, analysis, auto_map=False)
    assert set(unmapped.mapping["how"]) == {"unmapped"}
    assert unmapped.table.query("coder == 'model:painpoints'")["code_id"].isna().all()


def test_a_mapping_may_name_pain_points_the_human_has_not_met_yet() -> None:
    human = _human({"a1": ["fees"], "a2": []})
    analysis = _analysis({"a1": "PP01", "a2": "PP01", "b1": "PP02"})  # dana has not opened b1 (PP02) yet
    mapped = model_vs_human(human, analysis, mapping={"PP02": "fees"}).mapping.set_index("model_code")
    assert (mapped.loc["PP02", "how"], mapped.loc["PP02", "support"]) == ("explicit", 0)
    assert model_vs_human(human, analysis).mapping.set_index("model_code").loc["PP02", "how"] == "unmapped"


def test_a_pain_point_made_a_code_maps_to_itself() -> None:
    painpoints = pd.DataFrame([{"painpoint_id": "PP01", "label": "Refunds take weeks", "dimension": "customer service"}])
    book = Codebook([Code("fees", "Fees")])
    refunds = code_from_painpoint(painpoints, "PP01", codebook=book)
    human = _human({"p1": [refunds.code_id], "p2": ["fees"]})
    report = model_vs_human(human, _analysis({"p1": "PP01", "p2": "PP01"}), painpoints, book, min_examples=1)
    row = report.mapping.iloc[0]
    assert (row["code_id"], row["how"], row["code"]) == (refunds.code_id, "same code", "Refunds take weeks")
    assert report.by_code.set_index("code_id").loc[refunds.code_id, "model_only"] == 1  # p2 is fees to the human


def test_bad_mappings_say_what_is_wrong() -> None:
    with pytest.raises(WorkbenchError, match=r"'PP09' is no pain point or code of the model; known: PP01, PP02"):
        model_vs_human(TINY_HUMAN, TINY_ANALYSIS, mapping={"PP09": "fees"})
    with pytest.raises(WorkbenchError, match=r"'PP01' -> 'feez' is no code of the human codebook or codings; use one of: app, fees"):
        model_vs_human(TINY_HUMAN, TINY_ANALYSIS, mapping={"PP01": "feez"})


def test_mapping_files_in_yaml_json_and_csv(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text("PP01: fees\nPP02:\n")
    (tmp_path / "m.json").write_text('{"PP01": "fees", "PP02": null}')
    (tmp_path / "m.csv").write_text("model_code,code_id\nPP01,fees\nPP02,\n")
    for name in ("m.yaml", "m.json", "m.csv"):
        assert load_mapping(tmp_path / name) == {"PP01": "fees", "PP02": None}, name
    (tmp_path / "bad.yaml").write_text("PP01: fees\n  PP02: [app\n")
    with pytest.raises(WorkbenchError, match=r"bad.yaml, line \d+: not a readable mapping"):
        load_mapping(tmp_path / "bad.yaml")
    (tmp_path / "bad.csv").write_text("model_code,code_id\nPP01,fees,extra\n")
    with pytest.raises(WorkbenchError, match=r"bad.csv, line 2: expected two columns"):
        load_mapping(tmp_path / "bad.csv")
    (tmp_path / "list.yaml").write_text("- PP01\n")
    with pytest.raises(WorkbenchError, match="expected `PP01: code-id` entries"):
        load_mapping(tmp_path / "list.yaml")
    with pytest.raises(WorkbenchError, match="no such mapping file"):
        load_mapping(tmp_path / "nowhere.yaml")


# ------------------------------------------------------------------------------ bad input


def test_no_human_codings_says_to_code_in_notebook_02() -> None:
    empty = pd.DataFrame(columns=["coder", "passage_id", "code_id"])
    with pytest.raises(NoHumanCodingsError, match="code some quotes in notebooks/02_code_interviews.ipynb"):
        model_vs_human(empty, TINY_ANALYSIS)
    machine_only = TINY_HUMAN.assign(coder="model:painpoints")
    with pytest.raises(NoHumanCodingsError, match="no human codings yet"):
        model_vs_human(machine_only, TINY_ANALYSIS)
    with pytest.raises(NoHumanCodingsError, match="coder 'ben' has coded no passage yet .coders with codings: dana."):
        model_vs_human(TINY_HUMAN, TINY_ANALYSIS, coder="ben")
    with pytest.raises(WorkbenchError, match=r"several coders coded this study \(ben, dana\); say which: coder="):
        model_vs_human(pd.concat([TINY_HUMAN, TINY_HUMAN.assign(coder="ben")]), TINY_ANALYSIS)


def test_codings_of_another_analysis_and_missing_columns_are_named() -> None:
    with pytest.raises(WorkbenchError, match="none of the 11 passages dana coded is in the analysis"):
        model_vs_human(TINY_HUMAN, _analysis({"x1": "PP01"}))
    with pytest.raises(WorkbenchError, match="assignments lack painpoint_id"):
        model_vs_human(TINY_HUMAN, TINY_ANALYSIS.drop(columns="painpoint_id"))
    with pytest.raises(WorkbenchError, match="codings lack the column"):
        model_vs_human(TINY_HUMAN.drop(columns="code_id"), TINY_ANALYSIS)
    with pytest.raises(WorkbenchError, match="model='bert': use one of painpoints, suggestions"):
        model_vs_human(TINY_HUMAN, TINY_ANALYSIS, model="bert")


def test_only_passages_the_human_saw_in_the_store_count(tmp_path: Path) -> None:
    store = Store(sqlite_url(tmp_path / "store.sqlite"))
    store.record_coding("s", "dana", "p1", "fees", "apply")
    store.record_coding("s", "dana", "p2", "fees", "apply")
    store.record_coding("s", "dana", "p2", "fees", "remove")  # looked at, then nothing applies
    store.record_coding("s", "dana", "p3", "pain-x", "reject")  # turned a suggestion down: seen, no code
    codings = code_assignments(store, "s", with_seen=True)
    analysis = _analysis({"p1": "PP01", "p2": "PP01", "p3": "PP01", "p4": "PP01", "p5": "PP01"})
    report = model_vs_human(codings, analysis, mapping={"PP01": "fees"}, min_examples=1)
    assert report.n_units == 3  # p4 and p5 were never opened by dana: not counted against the model
    assert set(report.disagreements["passage_id"]) == {"p2", "p3"}
    assert report.by_code.set_index("code_id").loc["fees", ["both", "model_only"]].tolist() == [1, 2]


# ------------------------------------------------------------------------------ end to end: the real model


@pytest.fixture(scope="module")
def analysed():
    """The fixture study analysed for real: passages, the PainPointModel (static embedder), lenses, severity."""
    from workbench.analysis.pipeline import analyze_segments

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return analyze_segments(segments_frame(), embedder="static", seed=42, progress=False)


def test_the_model_finds_the_four_themes_and_only_the_known_passages_disagree(analysed) -> None:
    report = model_vs_human(human_codings(), analysed.assignments, analysed.painpoints, human_codebook(),
                            analysed.passages)
    assert report.human == HUMAN and report.model == "model:painpoints" and report.n_units == 48
    mapped = report.mapping
    assert set(mapped["code_id"].dropna()) == set(CODE_NAMES)  # each theme found by a pain point of its own
    assert set(mapped["how"]) == {"best overlap"}
    table = report.by_code.set_index("code_id")
    assert set(table.index) == set(CODE_NAMES)
    assert (table["kappa"] >= 0.8).all(), table["kappa"]
    assert set(table["verdict"]) <= {"substantial", "almost perfect"}
    assert report.alpha >= 0.8
    known = {passage_of(BOTH_CODES)} | {passage_of(t) for t in SMALL_TALK}
    assert passage_of(BOTH_CODES) in set(report.disagreements["passage_id"])  # one code per passage cannot say both
    assert set(report.disagreements["passage_id"]) <= known, report.disagreements
    both = report.disagreements.set_index("passage_id").loc[passage_of(BOTH_CODES)]
    assert len(both["missed"]) == 1 and both["missed"][0] in {"refunds", "fees"}
    assert both["text"].startswith("The refund for my cancelled flight finally came")
    assert "Slow refunds" in format_report(report) and "To review" in format_report(report)


def test_suggestions_are_the_coding_views_and_add_the_cx_element(analysed) -> None:
    from widgets.coding.state import CodingState

    book = human_codebook(with_starter=True)
    store = Store(sqlite_url(Path(__import__("tempfile").mkdtemp()) / "store.sqlite"))
    state = CodingState(store, "fixture", analysed.passages, coder="dana", codebook=book,
                        painpoints=analysed.painpoints, painpoint_assignments=analysed.assignments)
    ours = suggested_codes(analysed.assignments, analysed.painpoints, state.codebook)
    for passage_id in analysed.passages["passage_id"]:  # the same suggestions as the coding view, passage by passage
        state.go_to(passage_id)
        view = [(s.code_id, s.name, s.reason, s.in_codebook) for s in state.suggestions]
        mine = ours[ours["passage_id"] == passage_id][["code_id", "name", "reason", "in_codebook"]]
        assert view == [tuple(r) for r in mine.itertuples(index=False)], passage_id

    human = human_codings()
    by_painpoints = model_vs_human(human, analysed.assignments, analysed.painpoints, book)
    by_suggestions = model_vs_human(human, analysed.assignments, analysed.painpoints, book, model="suggestions")
    assert by_suggestions.model == "model:suggestions"
    themes = sorted(CODE_NAMES)
    pd.testing.assert_series_equal(by_painpoints.by_code.set_index("code_id").loc[themes, "kappa"],
                                   by_suggestions.by_code.set_index("code_id").loc[themes, "kappa"])
    elements = ours[ours["reason"].str.startswith("CX/UX")]
    assert not elements.empty  # some pain point sits on a CX element of the starter codebook
    mapping = by_suggestions.mapping.set_index("model_code")
    for code_id, passages in elements.groupby("code_id")["passage_id"]:
        assert mapping.loc[code_id, "how"] == "same code"
        applied = by_suggestions.table.query("coder == 'model:suggestions' and code_id == @code_id")["passage_id"]
        assert set(applied) == set(passages)
        row = by_suggestions.by_code.set_index("code_id").loc[code_id]
        assert (row["human_n"], row["model_n"]) == (0, len(passages))  # dana never codes CX elements
        assert row["advice"].startswith("too few examples (0 < 5)")
    unused = ", ".join(sorted(set(elements["code_id"])))
    assert f"note: dana never applied {unused} (codebook codes the model uses as they are)" in by_suggestions.summary()
    assert "never applied" not in by_painpoints.summary()


def test_model_codes_of_suggestions_key_pain_points_by_id(analysed) -> None:
    rows = model_codes(analysed.assignments, analysed.painpoints, human_codebook(with_starter=True), "suggestions")
    pain = rows[rows["model_code"].str.startswith("PP")]
    # every clustered group keeps its id; "other" and the "context" units (persona material) are no group
    grouped = analysed.painpoints.query("painpoint_id not in ['other', 'context']")["painpoint_id"]
    assert set(pain["model_code"]) == set(grouped)
    assert pain["default_code"].str.startswith("pain-").all()
    human = human_codings()
    mapped = map_model_codes(pain, human[human["passage_id"].isin(set(pain["passage_id"]))], human_codebook())
    assert set(mapped["code_id"].dropna()) == set(CODE_NAMES)


# ------------------------------------------------------------------------------ a study on disk: API and CLI


def _study_with_codings(base: Path) -> tuple[Path, Path]:
    from coding_fixtures import make_study

    from workbench.storage.locations import store_url, study_key

    study, results = make_study(base)
    store = Store(store_url(results))
    store_codebook(store, study_key(study), Codebook([Code("refunds", "Refunds"), Code("app", "App problems")]))
    for passage, code in (("s-i2-1", "refunds"), ("s-i2-2", "refunds"), ("s-i4-1", "app"), ("s-f1-1", None)):
        if code is None:
            store.record_coding(study_key(study), "dana", passage, "refunds", "reject")
        else:
            store.record_coding(study_key(study), "dana", passage, code, "apply")
    return study, results


def test_a_study_on_disk_is_compared_from_its_store(tmp_path: Path) -> None:
    study, results = _study_with_codings(tmp_path)
    report = model_vs_human_in_study(study, results)
    assert report.human == "dana" and report.n_units == 4
    assert dict(zip(report.mapping["model_code"], report.mapping["code_id"])) == {"PP01": "refunds", "PP02": "app"}
    assert report.agreement == 1.0 and report.disagreements.empty  # s-f1-1 is Other to the model, nothing to dana


def test_cli_agreement_prints_the_table_and_fails_in_one_line(tmp_path: Path) -> None:
    study, results = _study_with_codings(tmp_path)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("PP02: refunds\n")
    run = [sys.executable, "-m", "workbench.cli", "agreement", str(study), "--results", str(results)]
    done = subprocess.run([*run, "--mapping", str(mapping)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "model:painpoints vs dana: 4 passages" in done.stdout
    assert "PP02 -> refunds (explicit" in done.stdout and "PP01 -> refunds (best overlap" in done.stdout
    assert "s-i4-1: human ['app'] / model ['refunds']" in done.stdout
    nobody = subprocess.run([*run, "--coder", "ben"], capture_output=True, text=True, timeout=300)
    assert nobody.returncode == 2
    assert nobody.stderr.strip().startswith("workbench: coder 'ben' has coded no passage yet")
    assert len(nobody.stderr.strip().splitlines()) == 1
