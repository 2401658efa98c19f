"""The coding widget's state, driven without a browser; everything survives in the store."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from coding_fixtures import REAL_EMAIL, REAL_NAME, make_study

from widgets.coding.state import CodingState
from widgets.coding.view import CodingView
from workbench.coding.codebook import Code, Codebook
from workbench.coding.coding_data import load_coding_data
from workbench.coding.records import code_assignments, stored_codebook
from workbench.coding.starter import starter_codebook
from workbench.errors import WorkbenchError
from workbench.storage.store import Store
from workbench.storage.locations import store_url, study_key

CODEBOOK = Codebook([
    Code("money", "Money", codable=False),
    Code("refunds", "Refunds", parent="money"),
    Code("fees", "Fees", parent="money"),
    Code("app", "App problems"),
    Code("customer-service", "customer service"),
])


@pytest.fixture
def study(tmp_path: Path) -> tuple[Path, Path]:
    return make_study(tmp_path)


def _state(study: tuple[Path, Path], coder: str = "dana", codebook: Codebook | None = CODEBOOK) -> CodingState:
    return CodingState.open(study[0], study[1], coder=coder, codebook=codebook)


def test_the_first_quote_comes_with_the_turns_around_it(study) -> None:
    state = _state(study)
    quote = state.quote
    assert quote.passage_id == "s-i2-1" and quote.speaker == "P01"
    assert quote.text == "The flight was cancelled. The refund took seven weeks."
    assert quote.turn_text[quote.start:quote.end] == quote.text
    assert [(t.speaker, t.text) for t in quote.before] == [("Interviewer", "Thanks P01. Tell me about your last trip.")]
    assert [t.text for t in quote.after] == ["What did the app do?", "The app logged me out twice at the gate."]
    assert state.position == (1, 6)


def test_only_redacted_text_reaches_the_state(study) -> None:
    data = load_coding_data(study[1])
    assert "text" not in data.segments.columns
    state = _state(study)
    shown = []
    for _ in range(6):
        quote = state.quote
        shown += [quote.turn_text, *(t.text for t in quote.before + quote.after)]
        state.next()
    assert not any(REAL_NAME in s or REAL_EMAIL in s for s in shown)
    assert any("[EMAIL]" in s for s in shown)


def test_feedback_items_have_no_conversation_around_them(study) -> None:
    quote = _state(study).go_to("s-f1-1")
    assert quote.before == () and quote.after == () and quote.source_kind == "feedback"


def test_toggle_next_and_memo_are_saved_and_reload_in_a_fresh_state(study) -> None:
    state = _state(study)
    assert state.toggle("refunds") is True
    state.set_memo("Seven weeks: compare with the e-mail passage")
    state.next()
    assert state.toggle("2") is True  # the digit of "Fees" (categories get no digit)
    fresh = _state(study, codebook=None)  # a new kernel on the same store
    assert fresh.applied("s-i2-1") == ["refunds"] and fresh.applied("s-i2-2") == ["fees"]
    fresh.go_to("s-i2-1")
    assert fresh.memo == "Seven weeks: compare with the e-mail passage"
    assert fresh.quote.passage_id == "s-i2-1"
    assert [c.code_id for c in fresh.codebook.codable()] == ["refunds", "fees", "app", "customer-service"]


def test_a_fresh_state_resumes_at_the_first_uncoded_passage(study) -> None:
    state = _state(study)
    state.toggle("refunds")
    state.next()
    state.toggle("app")
    assert _state(study).quote.passage_id == "s-i4-1"


def test_toggling_twice_takes_the_code_off_and_history_is_kept(study) -> None:
    state = _state(study)
    assert state.toggle("app") is True and state.toggle("app") is False
    assert state.applied() == []
    store = Store(store_url(study[1]))
    key = study_key(study[0])
    assert [c.action for c in store.coding(key, history=True)] == ["apply", "remove"]
    assert code_assignments(store, key).empty


def test_keys_move_and_toggle(study) -> None:
    state = _state(study)
    assert state.press("1") == "Refunds on"
    assert state.press("n") == "passage 2 of 6"
    assert state.press("ArrowLeft") == "passage 1 of 6"
    assert state.press("p") == "this is the first passage"
    assert state.press("9") == "no code on key 9"
    assert state.press("q") == ""  # not a shortcut: nothing happens
    assert state.applied() == ["refunds"]


def test_filters_by_participant_code_and_uncoded(study) -> None:
    state = _state(study)
    state.toggle("refunds")
    state.set_filters(participant="P02")
    assert state.quote.passage_id == "s-i6-1" and state.position == (1, 1)
    state.set_filters(participant=None, code="refunds")
    assert state.position == (1, 1) and state.quote.passage_id == "s-i2-1"
    state.set_filters(code=None, uncoded_only=True)
    assert state.quote.passage_id != "s-i2-1" and state.position[1] == 5
    state.toggle("app")  # coding it keeps it on screen until you move on
    assert state.quote is not None
    state.next()
    assert state.position[1] == 4
    state.set_filters(participant="P09")
    assert state.quote is None and "no passage" in state.message
    with pytest.raises(WorkbenchError, match="clear a filter"):
        state.toggle("app")


def test_a_coder_is_needed_and_coders_are_separate(study) -> None:
    state = _state(study, coder="")
    with pytest.raises(WorkbenchError, match="set the coder's name first"):
        state.toggle("refunds")
    state.set_coder("dana")
    state.toggle("refunds")
    state.set_coder("lee")
    assert state.applied("s-i2-1") == []
    state.go_to("s-i2-1")
    state.toggle("fees")
    table = code_assignments(Store(store_url(study[1])), study_key(study[0]))
    assert sorted(zip(table["coder"], table["code_id"])) == [("dana", "refunds"), ("lee", "fees")]


def test_categories_cannot_be_applied(study) -> None:
    with pytest.raises(WorkbenchError, match="is a category"):
        _state(study).toggle("money")


def test_painpoint_suggestions_can_be_accepted_or_rejected(study) -> None:
    state = _state(study)
    suggestions = state.suggestions
    assert [(s.painpoint_id, s.code_id, s.status, s.in_codebook) for s in suggestions] == [
        ("PP01", "pain-refunds-take-weeks", "open", False),
        ("PP01", "customer-service", "open", True),  # the pain point's CX element
    ]
    accepted = state.press("a")
    assert accepted == "accepted Refunds take weeks"
    assert state.applied() == ["pain-refunds-take-weeks"]
    store = Store(store_url(study[1]))
    key = study_key(study[0])
    stored = stored_codebook(store, key)
    assert stored.get("pain-refunds-take-weeks").source == "painpoint:PP01"
    assert stored.get("pain-refunds-take-weeks").parent == "customer-service"
    assert state.press("x") == "rejected customer service"
    assert [s.status for s in state.suggestions] == ["accepted", "rejected"]
    assert state.press("a") == "no open suggestion here"
    fresh = _state(study, codebook=None)
    fresh.go_to("s-i2-1")
    assert [s.status for s in fresh.suggestions] == ["accepted", "rejected"]
    assert code_assignments(store, key)["origin"].tolist() == ["suggestion:PP01"]


def test_the_other_bucket_suggests_nothing(study) -> None:
    state = _state(study)
    state.go_to("s-f1-1")
    assert state.suggestions == []


def test_accept_painpoint_adds_a_code_once(study) -> None:
    state = _state(study)
    first = state.accept_painpoint("PP02")
    again = state.accept_painpoint("PP02")
    assert first == again and first.name == "App logs me out"
    assert sum(c.code_id == first.code_id for c in state.codebook) == 1


def test_hotkeys_can_be_chosen(study) -> None:
    state = _state(study)
    state.set_hotkeys(["App problems", "refunds"])
    assert [(k, c.code_id) for k, c in state.hotkey_codes()] == [("1", "app"), ("2", "refunds")]
    state.press("1")
    assert state.applied() == ["app"]


def test_spans_are_coded_separately_from_the_whole_passage(study) -> None:
    state = _state(study)
    state.toggle("refunds", span=(26, 54))
    table = code_assignments(Store(store_url(study[1])), study_key(study[0]))
    assert (table["char_start"].iloc[0], table["char_end"].iloc[0]) == (26, 54)
    assert state.quote.text[26:54] == "The refund took seven weeks."


def test_the_starter_codebook_is_stored_once_for_all_coders(study) -> None:
    _state(study, codebook=starter_codebook())
    _state(study, coder="lee", codebook=starter_codebook())
    store = Store(store_url(study[1]))
    assert len(store.stored_codes(study_key(study[0]))) == len(starter_codebook())


# ------------------------------------------------------------------------------ the view (no browser)


def test_the_view_renders_the_state_and_forwards_actions(study) -> None:
    state = _state(study)
    view = CodingView(state)
    shown = "".join(p["text"] for t in view.transcript.turns for p in t["pieces"])
    current = "".join(p["text"] for t in view.transcript.turns for p in t["pieces"] if p["current"])
    assert "The refund took seven weeks." in current and "What did the app do?" in shown  # the whole interview
    assert REAL_NAME not in str(view.transcript.turns) and REAL_EMAIL not in str(view.transcript.turns)
    view.code_buttons[0].click()
    assert state.applied() == ["refunds"] and view.code_buttons[0].button_style == "success"
    view.next_button.click()
    assert state.quote.passage_id == "s-i2-2" and "2 of 6" in view.status.value
    view._on_key({"type": "keydown", "key": "3"})
    assert state.applied() == ["app"]
    view.memo.value = "typed in the memo box"
    assert state.memo == "typed in the memo box"
    view.participant.value = "P02"
    assert state.quote.passage_id == "s-i6-1"


def test_the_view_shows_errors_as_a_status_line(study) -> None:
    state = _state(study, coder="")
    view = CodingView(state)
    view.code_buttons[0].click()
    assert "set the coder" in view.status.value and state.applied() == []


# ------------------------------------------------------------------------------ the sample study


def test_coding_the_sample_study(sample_study_copy: Path, sample_results: Path, tmp_path: Path) -> None:
    results = tmp_path / "results"  # a private copy: the shared results keep their store as it is
    shutil.copytree(sample_results, results, ignore=shutil.ignore_patterns("cache"))
    state = CodingState.open(sample_study_copy, results, coder="dana", codebook=starter_codebook())
    quote = state.quote
    assert quote.source_kind == "interview" and quote.before and quote.before[-1].speaker == "Interviewer"
    assert state.position[1] == len(load_coding_data(results).passages)
    state.toggle("pricing")
    suggestion = state.accept_suggestion()
    assert suggestion is not None and suggestion.status == "accepted"
    again = CodingState.open(sample_study_copy, results, coder="dana")
    assert set(again.applied(quote.passage_id)) == {"pricing", suggestion.code_id}


def test_without_ipyevents_a_shortcut_box_reads_the_keys(study, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "ipyevents", None)  # as if it were not installed
    state = _state(study)
    view = CodingView(state)
    assert view.keyboard is None and view.shortcut_box in view.widget.children
    view.shortcut_box.value = "1n"
    assert state.applied("s-i2-1") == ["refunds"] and state.quote.passage_id == "s-i2-2"
    assert view.shortcut_box.value == ""


def test_reload_shows_codes_a_colleague_added(study) -> None:
    state = _state(study)
    view = CodingView(state)
    colleague = _state(study, coder="lee", codebook=None)
    colleague.add_code(Code("staff", "Staff attitude"))
    assert "staff" not in state.codebook
    view.reload_button.click()
    assert "staff" in state.codebook and any("Staff attitude" in b.description for b in view.code_buttons)
