"""Span coding in the coding state (no browser): select any span of a turn, code it, see who coded what, remove, memo.

The same actions the browser sends (tests/test_coding_browser.py drives them with a mouse) are
driven here through the state and the view, and checked in the store.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from coding_fixtures import make_study

from widgets.coding.state import CodingState
from widgets.coding.view import CodingView
from workbench.coding.codebook import Code, Codebook
from workbench.coding.records import code_assignments
from workbench.coding.starter import starter_codebook
from workbench.errors import WorkbenchError
from workbench.storage.locations import store_url, study_key
from workbench.storage.store import Store

CODEBOOK = Codebook([Code("money", "Money", codable=False), Code("refunds", "Refunds", parent="money"),
                     Code("fees", "Fees", parent="money"), Code("app", "App problems")])
TURN = "The flight was cancelled. The refund took seven weeks. I emailed [EMAIL] every week."


@pytest.fixture
def study(tmp_path: Path) -> tuple[Path, Path]:
    return make_study(tmp_path)


def _state(study: tuple[Path, Path], coder: str = "dana") -> CodingState:
    return CodingState.open(study[0], study[1], coder=coder, codebook=CODEBOOK)


def _select(state: CodingState, segment_id: str, phrase: str) -> str:
    text = next(p["text"] for t in state.document_turns() if t["segment_id"] == segment_id for p in [
        {"text": "".join(piece["text"] for piece in t["pieces"])}])
    start = text.index(phrase)
    return state.select(segment_id, start, start + len(phrase))


def test_a_span_across_two_passages_is_one_coding_and_survives_a_new_state(study) -> None:
    state = _state(study)
    assert _select(state, "s-i2", "cancelled. The refund took") == "cancelled. The refund took"
    state.code_selection("Refunds")
    table = code_assignments(Store(store_url(study[1])), study_key(study[0]))
    assert table[["passage_id", "char_start", "char_end"]].values.tolist() == [["s-i2-1", 15, 41]]
    again = _state(study)
    pieces = [(p["text"], [c["name"] for c in p["codes"]]) for t in again.document_turns() if t["segment_id"] == "s-i2"
              for p in t["pieces"]]
    assert ("cancelled. The refund took", ["Refunds"]) in pieces
    assert "".join(text for text, _ in pieces) == TURN


def test_an_interviewers_question_can_be_coded_too(study) -> None:
    state = _state(study)
    _select(state, "s-i3", "the app")
    state.code_selection("App problems")
    row = code_assignments(Store(store_url(study[1])), study_key(study[0])).iloc[0]
    assert (row["passage_id"], row["segment_id"], row["char_start"], row["char_end"]) == ("s-i3", "s-i3", 9, 16)
    assert [c.code_id for c in _state(study).spans_at("s-i3", 10)] == ["app"]


def test_a_typed_name_becomes_a_code_under_its_parent_that_colleagues_see(study) -> None:
    dana, lee = _state(study), _state(study, coder="lee")
    _select(dana, "s-i4", "logged me out")
    code = dana.code_selection("Forced logout", parent="App problems")
    assert (code.code_id, code.parent, code.source) == ("forced-logout", "app", "coder:dana")
    assert "forced-logout" not in lee.codebook
    assert lee.refresh() is True
    assert lee.codebook.get("Forced logout").parent == "app"
    assert [(c.code_id, c.coder) for c in lee.spans_at("s-i4", 9)] == [("forced-logout", "dana")]
    assert lee.refresh() is False  # nothing new since


def test_two_coders_on_one_span_keep_both_and_only_remove_their_own(study) -> None:
    dana, lee = _state(study), _state(study, coder="lee")
    for state, code in ((dana, "Refunds"), (lee, "Fees")):
        _select(state, "s-i2", "The refund took seven weeks.")
        state.code_selection(code)
    dana.refresh()
    title = next(p["title"] for t in dana.document_turns() for p in t["pieces"] if p["text"] == "The refund took seven weeks.")
    assert title.splitlines() == ["Refunds — dana", "Fees — lee"]
    with pytest.raises(WorkbenchError, match="applied by lee; only they can remove it"):
        dana.remove_code("fees")
    assert dana.remove_code("refunds") is True
    table = code_assignments(Store(store_url(study[1])), study_key(study[0]))
    assert table[["coder", "code_id"]].values.tolist() == [["lee", "fees"]]


def test_clicking_a_coded_span_selects_it_and_its_codes_can_be_removed_with_the_mouse(study) -> None:
    state = _state(study)
    _select(state, "s-i2", "seven weeks")
    state.code_selection("Refunds")
    state.clear_selection()
    found = state.select_at("s-i2", TURN.index("seven") + 2)
    assert [c.code_id for c in found] == ["refunds"] and state.selected_text == "seven weeks"
    assert state.remove_code_at("s-i2", TURN.index("weeks"), "Refunds") is True
    assert state.spans_at("s-i2", TURN.index("weeks")) == []


def test_a_click_on_uncoded_text_makes_that_passage_current_and_the_buttons_code_it(study) -> None:
    """Mouse only: click a turn's text, click a code button: the whole passage is coded; no keys needed."""
    state = _state(study)
    view = CodingView(state)
    assert state.quote.passage_id == "s-i2-1"
    view._on_transcript({"kind": "point", "segment_id": "s-i2", "offset": TURN.index("every week")})
    assert state.quote.passage_id == "s-i2-2" and state.selection is None
    view._on_transcript({"kind": "point", "segment_id": "s-i4", "offset": 3})
    assert state.quote.passage_id == "s-i4-1"
    assert [t["current"] for t in view.transcript.turns if t["segment_id"] == "s-i4"] == [True]
    view.code_buttons[2].click()  # "3 App problems", nothing selected: the current passage
    assert state.applied("s-i4-1") == ["app"]
    view._on_transcript({"kind": "point", "segment_id": "s-i1", "offset": 2})  # the interviewer's turn: no passage
    assert state.quote.passage_id == "s-i4-1"
    view.next_button.click()  # and on to the next document, still with the mouse
    assert state.document == "feedback/app_store_reviews.csv"
    view.document.value = "transcripts/interview_02.txt"  # the Interview dropdown, picked with the mouse
    assert state.quote.passage_id == "s-i6-1"


def test_memos_on_a_span_and_on_a_code_are_kept_per_coder(study) -> None:
    state = _state(study)
    _select(state, "s-i2", "seven weeks")
    state.set_span_memo("Longest wait in the study")
    state.set_code_memo("Refunds", "Money back only, not vouchers")
    again = _state(study)
    _select(again, "s-i2", "seven weeks")
    assert again.span_memo() == "Longest wait in the study" and again.code_memo("refunds") == "Money back only, not vouchers"
    assert _state(study, coder="lee").code_memo("refunds") == ""


def test_a_selection_of_white_space_selects_nothing_and_coding_needs_a_selection(study) -> None:
    state = _state(study)
    assert state.select("s-i2", 25, 26) is None and state.selection is None
    with pytest.raises(WorkbenchError, match="select some text"):
        state.code_selection("Refunds")
    with pytest.raises(WorkbenchError, match="is a category"):
        _select(state, "s-i2", "refund")
        state.code_selection("Money")


def test_digit_keys_code_the_selection_and_escape_drops_it(study) -> None:
    state = _state(study)
    _select(state, "s-i2", "refund")
    assert state.press("1") == "Refunds on “refund”"
    assert state.applied("s-i2-1") == ["refunds"]  # the span, not the whole passage
    assert [c.span.length for c in state.spans_at("s-i2", TURN.index("refund"))] == [6]
    state.press("1")  # again: off
    assert state.spans_at("s-i2", TURN.index("refund")) == []
    state.press("Escape")
    assert state.selection is None
    state.press("1")  # nothing selected: the whole current passage
    assert [(c.span.start, c.span.end) for c in state.spans_at("s-i2", 0)] == [(0, 54)]


def test_moving_to_another_interview_drops_the_selection(study) -> None:
    state = _state(study)
    _select(state, "s-i2", "refund")
    state.open_document("transcripts/interview_02.txt")
    assert state.selection is None and state.document == "transcripts/interview_02.txt"
    assert [t["segment_id"] for t in state.document_turns()] == ["s-i6"]


def test_the_view_forwards_selections_clicks_and_keys_from_the_browser(study) -> None:
    state = _state(study)
    view = CodingView(state)
    start = TURN.index("seven weeks")
    view._on_transcript({"kind": "select", "segment_id": "s-i2", "start": start, "end": start + 11})
    assert "Selected:</b> “seven weeks”" in view.selected.value
    view.code_buttons[1].click()  # "2 Fees" on the selection
    assert [c.code_id for c in state.selection_codes()] == ["fees"]
    assert any(p["selected"] and p["codes"] for t in view.transcript.turns for p in t["pieces"])
    view.new_code.value, view.parent.value = "Slow refunds", "money"
    view.code_it.click()
    assert state.codebook.get("Slow refunds").parent == "money"
    assert {c.code_id for c in state.selection_codes()} == {"fees", "slow-refunds"}
    view._on_transcript({"kind": "key", "key": "Escape"})
    assert state.selection is None
    view._on_transcript({"kind": "point", "segment_id": "s-i2", "offset": start + 1})
    assert state.selected_text == "seven weeks"
    view._on_transcript({"kind": "select", "segment_id": "s-i2", "start": "x", "end": 3})  # a tampered message
    assert state.selected_text == "seven weeks"


def test_code_all_similar_uses_the_analysis_vectors_and_records_the_origin(
        sample_study_copy: Path, sample_results: Path, tmp_path: Path) -> None:
    results = tmp_path / "results"  # a private copy of the shared analysis: its own store
    shutil.copytree(sample_results, results)
    state = CodingState.open(sample_study_copy, results, coder="dana", codebook=starter_codebook())
    state.add_code(Code("slow-refunds", "Slow refunds", "Waiting weeks or months for money back"))
    texts = dict(zip(state.passages["passage_id"], state.passages["text"]))
    refund_ids = [pid for pid, text in texts.items() if "refund" in text.lower()][:3]
    for pid in refund_ids:
        state.go_to(pid)
        state.toggle("slow-refunds")
    view = CodingView(state)  # the mouse's way: pick the code, click "Code all similar", accept / reject per row
    view.similar_code.value = "slow-refunds"
    view.similar_button.click()
    proposals = state.proposals
    assert len(view.similar_box.children) == 20
    assert len(proposals) == 20 and not set(refund_ids) & {p.passage_id for p in proposals}
    assert [p.score for p in proposals] == sorted((p.score for p in proposals), reverse=True)
    about_money = [p for p in proposals if any(w in p.text.lower() for w in ("refund", "money", "voucher", "credit", "paid", "charge"))]
    assert len(about_money) >= 10, [p.text for p in proposals]  # the nearest passages are about the same thing
    first, second = proposals[0].passage_id, proposals[1].passage_id
    view.similar_box.children[0].children[1].click()  # accept
    view.similar_box.children[1].children[2].click()  # reject
    assert [p.status for p in state.proposals[:3]] == ["accepted", "rejected", "open"]
    assert view.similar_box.children[0].children[1].disabled  # answered: its buttons are off
    coded = code_assignments(state.store, state.study)
    row = coded[(coded["passage_id"] == first)].iloc[0]
    assert (row["coder"], row["code_id"], row["origin"]) == ("dana", "slow-refunds", "similar:slow-refunds")
    again = CodingState.open(sample_study_copy, results, coder="dana").propose_similar("Slow refunds")
    assert not {first, second} & {p.passage_id for p in again}  # accepted and rejected ones are not proposed again
