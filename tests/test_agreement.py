"""Inter-coder agreement: kappa as scikit-learn computes it, alpha as the krippendorff package does."""
from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
import pytest
from coding_fixtures import passages_frame
from sklearn.metrics import cohen_kappa_score

from workbench.rigour.agreement import (
    coder_units,
    cohen_kappa,
    disagreements,
    kappa_by_code,
    krippendorff_alpha,
    simulate_coder,
)
from workbench.coding.codebook import Code, Codebook


def _table(coding: dict[str, dict[str, list[str]]]) -> pd.DataFrame:
    """coder -> passage -> codes; an empty list means "seen, nothing applies"."""
    rows = []
    for coder, passages in coding.items():
        for passage, codes in passages.items():
            rows += [{"coder": coder, "passage_id": passage, "code_id": c} for c in codes] or [
                {"coder": coder, "passage_id": passage, "code_id": None}]
    return pd.DataFrame(rows)


TWO_CODERS = _table({
    "ana": {"p1": ["fees", "app"], "p2": ["fees"], "p3": [], "p4": ["app"], "p5": ["fees", "staff"], "p6": ["staff"]},
    "ben": {"p1": ["fees"], "p2": ["fees"], "p3": ["app"], "p4": ["app"], "p5": ["staff"], "p6": ["staff"], "p7": ["app"]},
})


@pytest.mark.parametrize("seed", range(6))
def test_cohen_kappa_equals_sklearn(seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 3 if seed % 2 else 2, size=40).tolist()
    b = [x if rng.random() < 0.7 else int(rng.integers(0, 2)) for x in a]
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))


def test_kappa_by_code_equals_sklearn_over_the_passages_both_coded() -> None:
    table = kappa_by_code(TWO_CODERS).set_index("code_id")
    both = ["p1", "p2", "p3", "p4", "p5", "p6"]  # p7 was coded by ben only
    assert set(table["n_units"]) == {6}
    coded = {c: {(r.passage_id, r.code_id) for r in TWO_CODERS[TWO_CODERS.coder == c].itertuples()} for c in ("ana", "ben")}
    for code in ("fees", "app", "staff"):
        a = [int((p, code) in coded["ana"]) for p in both]
        b = [int((p, code) in coded["ben"]) for p in both]
        assert table.loc[code, "kappa"] == pytest.approx(cohen_kappa_score(a, b)), code
    assert table.loc["staff", "kappa"] == pytest.approx(1.0)  # both put "staff" on p5 and p6 only
    assert (table.loc["fees", "both"], table.loc["fees", "first_only"], table.loc["fees", "second_only"]) == (2, 1, 0)
    assert table.loc["fees", "agreement"] == pytest.approx(5 / 6)


def test_kappa_needs_exactly_two_coders_or_says_which() -> None:
    three = pd.concat([TWO_CODERS, TWO_CODERS.assign(coder="cy")])
    with pytest.raises(Exception, match=r"the assignments have 3 \(ana, ben, cy\); pass coders="):
        kappa_by_code(three)
    assert not kappa_by_code(three, coders=("ana", "cy")).empty
    with pytest.raises(Exception, match="no code assignments by coder 'dee'"):
        kappa_by_code(three, coders=("ana", "dee"))


def test_kappa_table_uses_codebook_names() -> None:
    book = Codebook([Code("staff", "Staff attitude"), Code("fees", "Fees"), Code("app", "App problems")])
    table = kappa_by_code(TWO_CODERS, codebook=book)
    assert table["code"].tolist() == ["Staff attitude", "Fees", "App problems"]


def test_alpha_is_one_for_perfect_agreement() -> None:
    same = {"p1": ["fees"], "p2": ["app"], "p3": ["fees", "app"], "p4": []}
    table = _table({"ana": same, "ben": same, "cy": same})
    assert krippendorff_alpha(table) == pytest.approx(1.0)
    assert krippendorff_alpha(table, code_id="fees") == pytest.approx(1.0)


def test_alpha_matches_the_package_with_unseen_passages_missing() -> None:
    table = TWO_CODERS
    units = [f"p{i}" for i in range(1, 8)]
    codes = ["app", "fees", "staff"]
    seen = coder_units(table)
    matrix = []
    for coder in ("ana", "ben"):
        mine = {(r.passage_id, r.code_id) for r in table[table.coder == coder].itertuples()}
        matrix.append([float((u, c) in mine) if u in seen[coder] else np.nan for c in codes for u in units])
    expected = krippendorff.alpha(reliability_data=np.array(matrix), level_of_measurement="nominal")
    assert krippendorff_alpha(table) == pytest.approx(expected)
    assert 0 < krippendorff_alpha(table) < 1


def test_alpha_of_disagreeing_coders_is_low() -> None:
    table = _table({"ana": {f"p{i}": ["fees"] if i % 2 else [] for i in range(20)},
                    "ben": {f"p{i}": [] if i % 2 else ["fees"] for i in range(20)}})
    assert krippendorff_alpha(table) < 0


def test_alpha_is_nan_without_anything_to_compare() -> None:
    assert np.isnan(krippendorff_alpha(_table({"ana": {"p1": ["fees"]}})))


def test_disagreements_list_exactly_the_pairs_to_resolve_with_their_text() -> None:
    passages = pd.DataFrame({"passage_id": ["p1", "p3"], "text": ["Fees and the app.", "Nothing to say."]})
    table = disagreements(TWO_CODERS, passages=passages)
    pairs = {(r.passage_id, r.code_id): (r.applied_by, r.not_applied_by) for r in table.itertuples()}
    assert pairs == {("p1", "app"): (["ana"], ["ben"]), ("p3", "app"): (["ben"], ["ana"]),
                     ("p5", "fees"): (["ana"], ["ben"])}
    assert table.set_index("passage_id").loc["p3", "text"] == "Nothing to say."
    assert "p7" not in set(table["passage_id"])  # only one coder saw it


def test_disagreements_show_redacted_passage_text() -> None:
    passages = passages_frame()
    table = _table({"ana": {"s-i2-2": ["email"]}, "ben": {"s-i2-2": []}})
    rows = disagreements(table, passages=passages)
    assert rows["text"].tolist() == ["I emailed [EMAIL] every week."]


def test_missing_columns_are_named() -> None:
    with pytest.raises(Exception, match="lack the column"):
        kappa_by_code(pd.DataFrame({"coder": ["a"], "passage_id": ["p"]}))


def test_simulated_coder_is_labelled_and_flips_about_the_share_asked() -> None:
    first = _table({"ana": {f"p{i}": ["fees"] if i % 3 else ["app"] for i in range(200)}})
    fake = simulate_coder(first, flip=0.2, seed=1)
    assert set(fake["coder"]) == {"DEMO simulated coder"}
    assert set(fake["passage_id"]) == set(first["passage_id"])
    table = kappa_by_code(pd.concat([first, fake])).set_index("code_id")
    assert 0.7 < table.loc["fees", "agreement"] < 0.9
    assert simulate_coder(first, flip=0.0)["code_id"].tolist() == first["code_id"].tolist()


def test_painpoint_codings_compare_a_coder_with_the_analysis() -> None:
    from coding_fixtures import assignments_frame, painpoints_frame

    from workbench.coding.painpoint_codes import code_from_painpoint, painpoint_codings
    from workbench.coding.starter import starter_codebook

    book = starter_codebook()
    refunds = code_from_painpoint(painpoints_frame(), "PP01", codebook=book)
    machine = painpoint_codings(assignments_frame(), book)
    coded = dict(zip(machine["passage_id"], machine["code_id"]))
    assert coded["s-i2-1"] == coded["s-i2-2"] == refunds.code_id
    assert pd.isna(coded["s-i4-1"]) and pd.isna(coded["s-f1-1"])  # PP02 is no code yet; Other never is
    human = _table({"dana": {"s-i2-1": [refunds.code_id], "s-i2-2": [], "s-i4-1": []}})
    table = kappa_by_code(pd.concat([human, machine]), coders=("analysis", "dana")).set_index("code_id")
    assert (table.loc[refunds.code_id, "both"], table.loc[refunds.code_id, "first_only"]) == (1, 1)
