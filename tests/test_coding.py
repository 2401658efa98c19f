"""Codebooks (YAML, starter, pain points), coding in the store, and the code tables."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from coding_fixtures import painpoints_frame, passages_frame

from workbench.coding.code_tables import code_by_persona, code_by_segment, code_cooccurrence, heatmap_figure
from workbench.coding.codebook import Code, Codebook, CodebookError
from workbench.coding.codebook_files import load_codebook
from workbench.coding.painpoint_codes import code_from_painpoint
from workbench.coding.records import code_assignments, memo_table, store_codebook, stored_codebook
from workbench.coding.starter import starter_codebook
from workbench.coding.yaml_codebook import save_codebook
from workbench.analysis.lenses import DIMENSION_LABELS, TOUCHPOINT_LABELS, lenses_from_config
from workbench.storage.store import Store


@pytest.fixture
def store(store_url: str) -> Store:  # on SQLite and on the PostgreSQL test server (conftest.py)
    return Store(store_url)


# ------------------------------------------------------------------------------ codebooks


def test_starter_codebook_has_one_code_per_cx_and_ux_element_and_touchpoint() -> None:
    book = starter_codebook()
    names = {c.name for c in book.codable()}
    assert set(DIMENSION_LABELS) | set(TOUCHPOINT_LABELS) <= names
    assert book.get("pricing").parent == "cx-elements" and book.get("customer-service").parent == "cx-elements"
    assert book.get("navigation").parent == "ux-elements" and book.get("usability").parent == "ux-elements"
    assert book.get("tp-call-centre").parent == "touchpoints"
    assert not book.get("cx-elements").codable  # categories group codes, coders do not apply them
    assert book.get("pricing").description == DIMENSION_LABELS["pricing"]  # coders see when to apply it


def test_starter_codebook_follows_the_study_lenses() -> None:
    lenses = lenses_from_config({"touchpoint": {"chatbot": "the chat bot on the website or app", "post": False}})
    book = starter_codebook(lenses)
    names = {c.name for c in book.codable()}
    assert "chatbot" in names and "post" not in names


def test_yaml_round_trip_keeps_every_code(tmp_path: Path) -> None:
    book = starter_codebook(stages=True)
    book.add(Code("pain-refunds", "Refunds take weeks", "Slow refunds", parent="customer-service",
                  examples=("The refund took seven weeks.",)))
    path = save_codebook(book, tmp_path / "codebook.yaml")
    again = load_codebook(path)
    assert again.codes == book.codes
    assert "Refunds take weeks" in path.read_text()


def test_yaml_codes_need_only_a_name_and_parents_may_be_names(tmp_path: Path) -> None:
    path = tmp_path / "codebook.yaml"
    path.write_text("name: Refunds study\ncodes:\n  - name: Money\n  - name: Slow refund\n    parent: Money\n"
                    "    examples: [\"Seven weeks for a refund\"]\n")
    book = load_codebook(path)
    assert book.name == "Refunds study"
    assert book.get("Slow refund").parent == "money"
    assert book.get("slow-refund").examples == ("Seven weeks for a refund",)
    assert all(c.colour and c.colour.startswith("#") for c in book)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("codes:\n  - name: Fees\n  - name: Fees\n", "code 'fees': the id is used twice"),
        ("codes:\n  - name: Bag fee\n    parent: Fees\n", "code 'bag-fee': parent 'Fees' is not a code"),
        ("codes:\n  - name: Fees\n    colour: red\n", "code 'fees': colour 'red' is not #rrggbb"),
        ("codes:\n  - name: Fees\n    weight: 3\n", "code 'Fees': unknown key(s) weight"),
        ("codes:\n  - description: no name here\n", "code 1: has no name"),
        ("codes:\n  - name: Fees\n     parent: x\n", "line 3: not valid YAML"),
        ("- name: Fees\n", "expected `codes:`"),
        ("codes:\n  - name: A\n    parent: B\n  - name: B\n    parent: A\n", "parents form a cycle"),
    ],
)
def test_bad_codebook_files_name_the_file_the_code_and_the_fix(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "codebook.yaml"
    path.write_text(content)
    with pytest.raises(CodebookError) as error:
        load_codebook(path)
    assert str(path) in str(error.value)
    assert expected in str(error.value)


def test_missing_codebook_file(tmp_path: Path) -> None:
    with pytest.raises(CodebookError, match="no such codebook file"):
        load_codebook(tmp_path / "nope.yaml")


def test_removing_a_category_moves_its_codes_up() -> None:
    book = starter_codebook(touchpoints=False)
    book.remove("ux-elements")
    assert book.get("navigation").parent is None
    assert "ux-elements" not in book


# ------------------------------------------------------------------------------ pain points as codes


def test_a_painpoint_becomes_a_code_in_one_call_under_its_cx_element() -> None:
    book = starter_codebook()
    code = code_from_painpoint(painpoints_frame(), "PP01", codebook=book)
    assert code.code_id in book
    assert code.name == "Refunds take weeks"
    assert code.parent == "customer-service"  # the pain point's dimension
    assert code.examples == ("The flight was cancelled. The refund took seven weeks.",)
    assert "refund" in code.description and code.source == "painpoint:PP01"


def test_painpoint_code_without_codebook_and_from_a_row() -> None:
    row = painpoints_frame().iloc[1]
    code = code_from_painpoint(row)
    assert code.name == "App logs me out" and code.parent is None


def test_other_and_unknown_painpoints_are_refused() -> None:
    with pytest.raises(CodebookError, match="Other bucket"):
        code_from_painpoint(painpoints_frame(), "other")
    with pytest.raises(CodebookError, match="no pain point 'PP99'; known: PP01, PP02"):
        code_from_painpoint(painpoints_frame(), "PP99")


# ------------------------------------------------------------------------------ the store


def test_applying_a_code_twice_is_one_assignment(store: Store) -> None:
    assert store.record_coding("s", "dana", "p-1", "fees") is True
    assert store.record_coding("s", "dana", "p-1", "fees") is False
    assert len(store.coding("s", history=True)) == 1
    assert code_assignments(store, "s")["code_id"].tolist() == ["fees"]


def test_toggling_off_is_recorded_and_the_current_state_is_derived(store: Store) -> None:
    for action in ("apply", "remove", "apply", "remove"):
        store.record_coding("s", "dana", "p-1", "fees", action)
    history = store.coding("s", history=True)
    assert [h.action for h in history] == ["apply", "remove", "apply", "remove"]
    assert code_assignments(store, "s").empty
    store.record_coding("s", "dana", "p-1", "fees", "apply")
    assert len(code_assignments(store, "s")) == 1


def test_coders_and_spans_are_separate_assignments(store: Store) -> None:
    store.record_coding("s", "dana", "p-1", "fees")
    store.record_coding("s", "lee", "p-1", "fees")
    store.record_coding("s", "dana", "p-1", "fees", char_start=4, char_end=12)
    store.record_coding("s", "dana", "p-1", "fees", "remove")  # the whole-passage code only
    table = code_assignments(store, "s")
    rows = {(r.coder, None if pd.isna(r.char_start) else int(r.char_start)) for r in table.itertuples()}
    assert rows == {("dana", 4), ("lee", None)}


def test_bad_spans_and_actions_are_refused(store: Store) -> None:
    with pytest.raises(Exception, match="is not a span"):
        store.record_coding("s", "dana", "p-1", "fees", char_start=5, char_end=5)
    with pytest.raises(Exception, match="unknown coding action"):
        store.record_coding("s", "dana", "p-1", "fees", "maybe")
    with pytest.raises(Exception, match="coder's name"):
        store.record_coding("s", " ", "p-1", "fees")


def test_memos_are_idempotent_and_cleared_by_empty_text(store: Store) -> None:
    assert store.set_memo("s", "dana", "passage", "p-1", "compare with P07")
    assert not store.set_memo("s", "dana", "passage", "p-1", "compare with P07 ")
    assert not store.set_memo("s", "dana", "passage", "p-2", "")  # clearing nothing stores nothing
    store.set_memo("s", "lee", "code", "fees", "split fees from prices?")
    assert memo_table(store, "s")["text"].tolist() == ["compare with P07", "split fees from prices?"]
    store.set_memo("s", "dana", "passage", "p-1", "")
    assert memo_table(store, "s", coder="dana").empty


def test_codebook_in_the_store_round_trip_and_keep_existing(store: Store) -> None:
    book = starter_codebook()
    assert store_codebook(store, "s", book) == len(book)
    assert store_codebook(store, "s", book) == 0  # idempotent
    assert stored_codebook(store, "s").codes == book.codes
    renamed = Codebook([Code("pricing", "Prices and fees", parent=None)])
    store_codebook(store, "s", renamed, keep_existing=True)  # a kernel never overwrites shared codes
    assert stored_codebook(store, "s").get("pricing").name == "pricing"
    store.remove_code("s", "cx-elements")
    again = stored_codebook(store, "s")
    assert "cx-elements" not in again and again.get("pricing").parent is None
    assert stored_codebook(store, "other-study").codes == []


def test_with_seen_marks_passages_a_coder_emptied(store: Store) -> None:
    store.record_coding("s", "dana", "p-1", "fees")
    store.record_coding("s", "dana", "p-2", "fees")
    store.record_coding("s", "dana", "p-2", "fees", "remove")
    table = code_assignments(store, "s", with_seen=True)
    assert table[table["passage_id"] == "p-2"]["code_id"].isna().all()
    assert code_assignments(store, "s")["passage_id"].tolist() == ["p-1"]


# ------------------------------------------------------------------------------ code tables


ASSIGNMENTS = pd.DataFrame({
    "coder": ["dana"] * 5 + ["lee"],
    "passage_id": ["s-i2-1", "s-i2-1", "s-i4-1", "s-i6-1", "s-f2-1", "s-i6-1"],
    "code_id": ["refunds", "email", "app", "pricing", "app", "refunds"],
})


def test_cooccurrence_counts_passages_with_both_codes() -> None:
    matrix = code_cooccurrence(ASSIGNMENTS)
    assert matrix.loc["refunds", "email"] == 1 and matrix.loc["email", "refunds"] == 1
    assert matrix.loc["app", "app"] == 2  # two passages carry "app"
    assert matrix.loc["app", "refunds"] == 0
    assert matrix.loc["refunds", "pricing"] == 1  # lee's code counts too
    assert code_cooccurrence(ASSIGNMENTS, coder="dana").loc["refunds", "pricing"] == 0


def test_cooccurrence_uses_codebook_names_and_order() -> None:
    book = Codebook([Code("app", "App problems"), Code("refunds", "Refunds"), Code("email", "Email"),
                     Code("pricing", "Prices")])
    matrix = code_cooccurrence(ASSIGNMENTS, codebook=book)
    assert list(matrix.index) == ["App problems", "Refunds", "Email", "Prices"]


def test_code_by_persona_counts_members_not_feedback() -> None:
    personas = pd.DataFrame({"persona_id": ["PE1", "PE2"], "name": ["Road warrior", "Budget student"],
                             "members": [["P01"], ["P02"]]})
    table = code_by_persona(ASSIGNMENTS, passages_frame(), personas)
    assert list(table.columns) == ["Road warrior", "Budget student"]
    assert table.loc["refunds", "Road warrior"] == 1 and table.loc["refunds", "Budget student"] == 1
    assert table.loc["app", "Road warrior"] == 1  # the feedback item coded "app" has no participant
    assert table.loc["pricing", "Road warrior"] == 0


def test_code_by_segment_counts_participants_or_passages() -> None:
    participants = pd.DataFrame({"participant_id": ["P01", "P02"], "segment": ["business", "student"]})
    people = code_by_segment(ASSIGNMENTS, passages_frame(), participants)
    assert people.loc["refunds"].to_dict() == {"business": 1, "student": 1}
    with pytest.raises(Exception, match="no column 'tier'"):
        code_by_segment(ASSIGNMENTS, passages_frame(), participants, attribute="tier")


def test_heatmap_figure_shows_the_table() -> None:
    figure = heatmap_figure(code_cooccurrence(ASSIGNMENTS), "Codes together")
    assert figure.data[0].type == "heatmap"
    assert list(figure.data[0].x) == ["app", "email", "pricing", "refunds"]
