"""The workshop app without a browser: its states, the ipywidgets views that render them, and
the Voila notebook executed headlessly. Nothing here may pull in a model library."""
from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from workbench.errors import WorkbenchError
from workbench.share.loading import Results
from workbench.storage.store import Store, sqlite_url
from widgets.workshop.demo import demo_results
from widgets.workshop.display import votes_text
from widgets.workshop.facilitator import FacilitatorState
from widgets.workshop.journey import JourneyState
from widgets.workshop.painpoints import ALL, PainPointsState
from widgets.workshop.personas import PersonasState
from widgets.workshop.state import WorkshopState
from widgets.workshop.voting import VoteState

ROOT = Path(__file__).resolve().parents[1]
APP_NOTEBOOK = ROOT / "notebooks" / "apps" / "workshop.ipynb"
HEAVY = ("bertopic", "umap", "hdbscan", "torch", "sentence_transformers")
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    return Store(sqlite_url(tmp_path / "store.sqlite"))


@pytest.fixture()
def results() -> Results:
    return demo_results()


def test_the_app_imports_no_model_library() -> None:
    code = (
        "import sys; import widgets.workshop.app, widgets.workshop.state, workbench.workshop.results; "
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


# ------------------------------------------------------------------------------ pain points


def test_cards_are_ranked_and_leave_out_the_other_bucket(results: Results) -> None:
    state = PainPointsState(results)
    assert [(c.rank, c.painpoint_id) for c in state.cards] == [(1, "PP01"), (2, "PP02")]
    first = state.cards[0]
    assert (first.severity_text, first.dimension, first.touchpoint, first.stage) == (
        "severity 81", "sales process", "website", "purchase/booking")
    assert state.summary == "Showing 2 of 2 pain points"


def test_quotes_step_forward_and_back_and_wrap_around(results: Results) -> None:
    state = PainPointsState(results)
    assert state.quote("PP01") == "Money left my card, no email for two days."
    assert state.quote_position("PP01") == "Quote 1 of 2"
    assert state.next_quote("PP01") == "Charged twice <script>alert(1)</script>"
    assert state.quote_position("PP01") == "Quote 2 of 2"
    assert state.next_quote("PP01") == "Money left my card, no email for two days."  # wraps
    assert state.previous_quote("PP01") == "Charged twice <script>alert(1)</script>"
    assert state.quote("PP02") == "Six weeks and still no refund."  # each card steps on its own


def test_filters_by_persona_and_segment_keep_what_those_people_said(results: Results) -> None:
    state = PainPointsState(results)
    state.set_filters(persona="PE1")  # P01 spoke about both
    assert [c.painpoint_id for c in state.visible_cards()] == ["PP01", "PP02"]
    assert state.quotes("PP01") == ["Money left my card, no email for two days."]  # only P01's quote
    state.set_filters(persona=ALL, segment="family")  # P02 and P03: only PP01 (P03 is in Other)
    assert [c.painpoint_id for c in state.visible_cards()] == ["PP01"]
    assert state.quotes("PP01") == ["Charged twice <script>alert(1)</script>"]
    state.set_filters(persona="PE1")  # PE1 (P01) ∩ family: nobody
    assert state.visible_cards() == []
    state.clear_filters()
    assert len(state.visible_cards()) == 2


def test_filters_by_touchpoint_and_stage_and_search(results: Results) -> None:
    state = PainPointsState(results)
    assert ("call centre", "call centre") in state.touchpoint_options
    state.set_filters(touchpoint="call centre")
    assert [c.label for c in state.visible_cards()] == ["Refunds take weeks"]
    state.set_filters(touchpoint=ALL, stage="purchase/booking")
    assert [c.label for c in state.visible_cards()] == ["Payment taken, no confirmation"]
    state.set_filters(stage=ALL, search="CHARGED twice")  # search reads the quotes too, in any case
    assert [c.painpoint_id for c in state.visible_cards()] == ["PP01"]
    state.set_filters(search="nothing like this")
    assert state.summary == "Showing 0 of 2 pain points"


def test_an_unknown_persona_or_segment_is_refused_with_the_known_ones(results: Results) -> None:
    state = PainPointsState(results)
    with pytest.raises(WorkbenchError, match="PE1"):
        state.set_filters(persona="PE9")
    with pytest.raises(WorkbenchError, match="business"):
        state.set_filters(segment="students")


# ------------------------------------------------------------------------------ personas and journey


def test_personas_show_one_at_a_time(results: Results) -> None:
    state = PersonasState(results)
    assert state.current is not None and state.current.name == "The Busy Flyer"
    card = state.select("PE2")
    assert (card.share_text, card.goals, card.frustrations) == (
        "2 interviewees (67%)", ("Know the booking is safe",), ("Payment taken, no confirmation",))
    with pytest.raises(WorkbenchError):
        state.select("PE7")


def test_personas_say_why_there_are_none(results: Results) -> None:
    results.personas = None
    results.notes["personas"] = "personas need at least 6 interviewees; this study has 3"
    state = PersonasState(results)
    assert state.cards == [] and state.current is None
    assert "at least 6 interviewees" in state.message


def test_journey_heatmap_and_emotion_curve_per_persona(results: Results) -> None:
    state = JourneyState(results)
    heatmap = state.heatmap_figure().data[0]
    assert set(heatmap.y) == {"website", "call centre", "mobile app"}
    row, column = list(heatmap.y).index("website"), list(heatmap.x).index("purchase/booking")
    assert heatmap.z[row][column] == pytest.approx(-0.65)  # the two payment passages, booked on the website
    assert heatmap.text[row][column] == "2"
    state.set_value("pain_share")
    assert state.heatmap_figure().data[0].colorbar.title.text == "pain share"
    everyone = state.emotion_figure()
    assert [t.name for t in everyone.data] == ["PE1 · The Busy Flyer", "PE2 · The Careful Planner", "all"]
    state.set_persona("PE2")
    chosen = state.emotion_figure()
    assert [t.name for t in chosen.data] == ["PE2 · The Careful Planner", "all"]
    purchase = list(chosen.data[0].x).index("purchase/booking")
    assert chosen.data[0].y[purchase] == pytest.approx(-0.6)  # P02's one passage there
    assert state.effectiveness()[0][0] == "purchase/booking"
    assert state.hotspots()[0].startswith("purchase/booking · website: 100% of 2 units")


def test_journey_without_a_journey_says_so(results: Results) -> None:
    results.journey = None
    state = JourneyState(results)
    assert state.message and state.heatmap_figure() is None and state.effectiveness() == []


# ------------------------------------------------------------------------------ voting


def test_voting_needs_a_name_first(store: Store, results: Results) -> None:
    vote = VoteState(store, "kick-off", PainPointsState(results).cards)
    assert not vote.vote("PP01")
    assert vote.message == "Type your name and press Join before voting."
    assert vote.message_target == "PP01"
    assert store.vote_counts("kick-off") == {}
    assert not vote.join("   ")
    assert "type your name" in vote.message
    assert vote.join("Dana") and vote.status == "Dana · 5 of 5 dots left · round 1 · voting open"


def test_card_counts_and_no_dots_left(store: Store, results: Results) -> None:
    vote = VoteState(store, "kick-off", PainPointsState(results).cards, dots_per_person=2)
    vote.join("Dana")
    assert vote.count_text("PP01") == "0 votes"
    assert vote.vote("PP01") and vote.count_text("PP01") == "1 vote"
    assert vote.vote("PP01") and vote.count_text("PP01") == "2 votes"
    assert not vote.vote("PP02")
    assert "no dots left" in vote.message and vote.message_target == "PP02"
    assert vote.unvote("PP01") and vote.votes_left == 1
    assert (votes_text(1), votes_text(3)) == ("1 vote", "3 votes")


def test_two_kernels_see_each_others_votes_after_refresh(store: Store, results: Results) -> None:
    cards = PainPointsState(results).cards
    dana = VoteState(store, "kick-off", cards)
    lee = VoteState(Store(store.url), "kick-off", cards)  # another kernel, its own engine
    dana.join("Dana")
    lee.join("Lee")
    assert dana.refresh()  # Lee joined
    assert not dana.refresh()  # nothing new since
    lee.vote("PP02")
    lee.vote("PP02")
    assert dana.count_text("PP02") == "0 votes"  # not yet read
    assert dana.refresh()
    assert dana.count_text("PP02") == "2 votes" and dana.my_count("PP02") == 0
    assert [r.painpoint_id for r in dana.ranking()] == ["PP02", "PP01"]
    assert not dana.refresh()


def test_a_locked_session_refuses_votes_with_a_message(store: Store, results: Results) -> None:
    vote = VoteState(store, "kick-off", PainPointsState(results).cards)
    vote.join("Dana")
    store.lock_voting("kick-off")
    assert not vote.vote("PP01")
    assert vote.message == "Voting is locked by the facilitator."
    assert "voting locked" in vote.status


def test_statements_get_the_how_might_we_prefix_and_are_listed_per_pain_point(store: Store, results: Results) -> None:
    vote = VoteState(store, "kick-off", PainPointsState(results).cards)
    assert not vote.add_statement("PP01", "confirm at once")  # no name yet
    vote.join("Dana")
    assert vote.add_statement("PP01", "Send the confirmation before taking the money?")
    assert vote.add_statement("PP01", "How might we show the booking is safe?")
    assert not vote.add_statement("PP01", "   ")
    assert [s.text for s in vote.statements_for("PP01")] == [
        "How might we send the confirmation before taking the money?",
        "How might we show the booking is safe?",
    ]
    assert vote.statements_for("PP02") == []


def test_the_board_shows_the_mean_of_people_until_there_is_a_consensus(store: Store, results: Results) -> None:
    cards = PainPointsState(results).cards
    dana, lee = VoteState(store, "kick-off", cards), VoteState(store, "kick-off", cards)
    dana.join("Dana")
    lee.join("Lee")
    dana.place("PP01", 5, 1)
    lee.place("PP01", 4, 2)
    dana.place("PP01", 5, 2)  # Dana changes her mind: her latest place counts
    dana.refresh()
    [point] = dana.board()
    assert (point.impact, point.effort, point.quadrant, point.placed_by) == (4.5, 2.0, "quick win", "2 people")
    assert dana.my_place("PP01").effort == 2.0
    assert not dana.place("PP02", 9, 1) and "from 1 (low) to 5 (high)" in dana.message
    FacilitatorState(store, "kick-off", results.painpoints).place_consensus("PP01", 5, 5)
    dana.refresh()
    [point] = dana.board()
    assert (point.quadrant, point.placed_by) == ("major project", "consensus")


# ------------------------------------------------------------------------------ facilitator


def test_facilitator_results_rounds_and_lock(store: Store, results: Results) -> None:
    facilitator = FacilitatorState(store, "kick-off", results.painpoints, study="Skylark")
    store.add_vote("kick-off", "PP02", "Dana")
    store.add_vote("kick-off", "PP02", "Lee")
    store.add_vote("kick-off", "PP01", "Lee")
    assert facilitator.refresh()
    assert facilitator.table[["painpoint_id", "votes"]].values.tolist() == [["PP02", 2], ["PP01", 1]]
    assert facilitator.people_rows() == [("Dana", 1, 4), ("Lee", 2, 3)]
    facilitator.lock()
    assert facilitator.info.locked and not store.add_vote("kick-off", "PP01", "Ana")
    assert facilitator.new_round() == 2
    assert not facilitator.info.locked and facilitator.table["votes"].sum() == 0
    assert "Round 2" in facilitator.status
    facilitator.set_dots(0)
    assert "at least 1" in facilitator.message


def test_exports_carry_the_decisions_and_escape_customer_text(store: Store, results: Results, tmp_path: Path) -> None:
    results.painpoints.loc[results.painpoints["painpoint_id"] == "PP02", "label"] = f"Refunds {SCRIPT}"
    store.add_vote("kick-off", "PP02", "Dana")
    store.add_statement("kick-off", "PP02", "Dana", "How might we refund within a day?")
    store.place("kick-off", "PP02", "Dana", 5, 1)
    facilitator = FacilitatorState(store, "kick-off", results.painpoints, study="Skylark", export_dir=tmp_path)
    markdown = facilitator.export("markdown")
    assert "| 1 | Refunds &lt;script&gt;alert(1)&lt;/script&gt; | 1 | 5 | 1 | quick win |" in markdown
    assert "- How might we refund within a day? (Dana)" in markdown
    page = facilitator.export("html")
    assert SCRIPT not in page and "Refunds &lt;script&gt;" in page
    rows = facilitator.export("csv").splitlines()
    assert rows[1].startswith("1,PP02,Refunds <script>alert(1)</script>,1,64,5,1,1 person,quick win,")
    paths = facilitator.save_exports()
    assert sorted(p.name for p in paths) == ["kick-off-round-1.csv", "kick-off-round-1.html", "kick-off-round-1.md"]
    download = facilitator.downloads()[2]
    assert download.file_name == "kick-off-round-1.csv"
    assert base64.b64decode(download.url.split(",", 1)[1]).decode() == facilitator.export("csv")


# ------------------------------------------------------------------------------ the ipywidgets views


@pytest.fixture()
def app(store: Store, results: Results):
    from widgets.workshop.app import WorkshopApp

    return WorkshopApp(WorkshopState(results, store, "kick-off", dots_per_person=2))


def _visible_text(html_value: str) -> str:
    import re

    return re.sub(r"<[^>]+>", "", html_value)


def test_each_card_has_a_vote_button_and_a_count(app) -> None:
    for painpoint_id, card in app.cards.items():
        assert card.vote_button.description == "Vote"
        assert card.vote_button.tooltip.startswith("Vote for ")
        assert _visible_text(card.count.value) == "0 votes"
    assert app.cards["PP01"].vote_button.tooltip == "Vote for Payment taken, no confirmation"
    assert app.join_name.placeholder == "Your name" and app.join_button.description == "Join"
    assert app.tabs.titles == ("Pain points", "Personas", "Journey", "Prioritise", "Facilitator")


def test_clicks_join_vote_and_refuse_a_dot_too_many(app) -> None:
    card = app.cards["PP01"]
    card.vote_button.click()
    assert "Join before voting" in _visible_text(card.message.value)
    assert _visible_text(card.count.value) == "0 votes"
    app.join_name.value = "Dana"
    app.join_button.click()
    assert app.join_box.layout.display == "none"
    card.vote_button.click()
    assert _visible_text(card.count.value) == "1 vote"
    card.vote_button.click()
    assert _visible_text(card.count.value) == "2 votes"
    app.cards["PP02"].vote_button.click()
    assert "no dots left" in _visible_text(app.cards["PP02"].message.value)
    assert _visible_text(card.message.value) == ""  # the message sits on the card that was clicked, once
    assert "0 of 2 dots left" in _visible_text(app.status.value)


def test_customer_text_is_escaped_in_every_html_widget(app) -> None:
    import ipywidgets as W

    card = app.cards["PP01"]
    card.next_button.click()  # the quote with the script tag
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card.quote.value
    app.persona_picker.value = "PE2"  # its quote has the script tag too
    assert "&lt;script&gt;" in app.persona_card.value

    def html_values(widget) -> list[str]:
        values = [widget.value] if isinstance(widget, W.HTML) else []
        for child in getattr(widget, "children", ()):
            values += html_values(child)
        return values

    values = html_values(app.widget)
    assert values and not [v for v in values if SCRIPT in v]


def test_the_poller_brings_in_other_peoples_votes(app, store: Store) -> None:
    Store(store.url).add_vote("kick-off", "PP02", "Lee")
    assert app.poll_once()
    assert _visible_text(app.cards["PP02"].count.value) == "1 vote"
    assert not app.poll_once()  # nothing new
    app.poll_seconds = 0.05
    app.start_polling()
    try:
        Store(store.url).add_vote("kick-off", "PP02", "Ana")
        deadline = time.monotonic() + 5
        while _visible_text(app.cards["PP02"].count.value) != "2 votes" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _visible_text(app.cards["PP02"].count.value) == "2 votes"
    finally:
        app.stop()


def test_filters_hide_cards_and_the_facilitator_can_lock(app) -> None:
    app.search.value = "refund"
    assert app.cards["PP01"].box.layout.display == "none" and app.cards["PP02"].box.layout.display == ""
    app.clear_button.click()
    assert app.cards["PP01"].box.layout.display == ""
    app.lock_button.click()
    assert app.lock_button.description == "Unlock voting"
    assert app.cards["PP01"].vote_button.disabled
    assert "Download CSV" in app.downloads.value


def test_a_failing_action_shows_a_message_not_a_traceback(app, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_painpoint_id: str) -> bool:
        raise RuntimeError("database is on fire")

    monkeypatch.setattr(app.state.vote, "vote", broken)
    app.cards["PP01"].vote_button.click()  # must not raise
    assert "Something went wrong (RuntimeError)" in app.error.value
    assert "Traceback" not in app.error.value


def test_the_app_says_what_to_do_when_there_are_no_results(tmp_path: Path) -> None:
    from widgets.workshop.app import workshop_app

    widget = workshop_app(tmp_path / "nowhere", "kick-off")
    assert "The workshop cannot start." in widget.value and "workbench analyze" in widget.value


# ------------------------------------------------------------------------------ the Voila notebook


def _write_results(results: Results, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("painpoints", "assignments", "passages", "participants", "personas", "journey"):
        getattr(results, name).to_parquet(folder / f"{name}.parquet")
    (folder / "manifest.json").write_text(json.dumps({"study_name": "Skylark Travel"}))
    return folder


def _run_app_notebook(results_dir: Path, session: str, monkeypatch: pytest.MonkeyPatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("WORKBENCH_RESULTS", str(results_dir))  # as the launcher sets them
    monkeypatch.setenv("WORKBENCH_SESSION", session)
    monkeypatch.delenv("WORKBENCH_STORE", raising=False)
    notebook = nbformat.read(APP_NOTEBOOK, as_version=4)
    probe = (
        "import sys\n"
        f"print('heavy:', [m for m in {HEAVY!r} if m in sys.modules])\n"
        "state = app.workshop_app.state\n"
        "print('session:', state.session, '| cards:', len(app.workshop_app.cards))\n"
        "print('labels:', ' / '.join(c.label for c in state.painpoints.cards))\n"
        "app.workshop_app.stop()"
    )
    notebook.cells.append(nbformat.v4.new_code_cell(probe))
    client = nbclient.NotebookClient(notebook, kernel_name="python3", timeout=300,
                                     resources={"metadata": {"path": str(APP_NOTEBOOK.parent)}})
    client.execute()
    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    return outputs, text


def test_the_app_notebook_is_clean_and_takes_its_parameters_from_the_environment() -> None:
    nbformat = pytest.importorskip("nbformat")
    notebook = nbformat.read(APP_NOTEBOOK, as_version=4)
    first = notebook.cells[0]
    assert first.cell_type == "code" and "parameters" in first.metadata.get("tags", [])
    assert "WORKBENCH_RESULTS" in first.source and "WORKBENCH_SESSION" in first.source
    assert all(c.get("outputs", []) == [] for c in notebook.cells if c.cell_type == "code")
    for name in HEAVY:
        assert name not in "".join(c.source for c in notebook.cells)


def test_the_app_notebook_runs_headlessly_without_model_libraries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _write_results(demo_results(), tmp_path / ".workbench")
    outputs, text = _run_app_notebook(folder, "headless", monkeypatch)
    assert not [o for o in outputs if o.get("output_type") == "error"], text
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    assert "heavy: []" in text
    assert "session: headless | cards: 2" in text
    assert Store(sqlite_url(folder / "store.sqlite")).session_info("headless").round == 1  # it opened the store


def test_the_app_notebook_shows_a_message_for_a_missing_results_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("WORKBENCH_RESULTS", str(tmp_path / "missing"))
    notebook = nbformat.read(APP_NOTEBOOK, as_version=4)
    nbclient.NotebookClient(notebook, kernel_name="python3", timeout=300,
                            resources={"metadata": {"path": str(APP_NOTEBOOK.parent)}}).execute()
    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert outputs  # the error widget is displayed


def test_the_app_notebook_runs_on_the_sample_studys_results(
    sample_results: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outputs, text = _run_app_notebook(sample_results, "sample-check", monkeypatch)
    assert not [o for o in outputs if o.get("output_type") == "error"], text
    assert "heavy: []" in text
    painpoints = pd.read_parquet(sample_results / "painpoints.parquet")
    # one card per pain point: Other, delights ("What works") and context are not voted on
    real = painpoints[painpoints["kind"].isin(["pain", "mixed"])]
    assert f"cards: {len(real)}" in text
    assert real["label"].iloc[0] in text
