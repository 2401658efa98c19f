"""Facilitation in the workshop app without a browser: roles (facilitator link vs participant),
hidden votes and their reveal, private statements, the round timer, statements citing quotes, the
exports that carry them, and the evidence on the pain-point cards (stability, impact) with the
impact × effort board starting from the measured impact."""
from __future__ import annotations

import csv
import dataclasses
import io
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

from workbench.share.loading import Results
from workbench.storage.store import FacilitatorOnlyError, Store, sqlite_url
from workbench.workshop.app_data import default_impacts
from widgets.workshop.cards import painpoint_cards
from widgets.workshop.demo import demo_results
from widgets.workshop.display import timer_text
from widgets.workshop.painpoints import PainPointsState
from widgets.workshop.state import WorkshopState
from widgets.workshop.voting import HIDDEN_VOTES_TEXT

TOKEN = "facilitator-token-for-tests-0123456789"


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    store = Store(sqlite_url(tmp_path / "store.sqlite"))
    store.set_facilitator_token("kick-off", TOKEN)
    return store


@pytest.fixture()
def results() -> Results:
    return demo_results()


def _people(store: Store, results: Results) -> tuple[WorkshopState, WorkshopState, WorkshopState]:
    """The facilitator (with the link's token) and two participants, each in a kernel of their own."""
    facilitator = WorkshopState(results, store, "kick-off", facilitator_token=TOKEN)
    dana = WorkshopState(results, store, "kick-off")
    lee = WorkshopState(results, store, "kick-off", facilitator_token="a-guess-that-is-long-enough")
    dana.vote.join("Dana")
    lee.vote.join("Lee")
    facilitator.vote.join("Fran")
    return facilitator, dana, lee


# ------------------------------------------------------------------------------ roles


def test_only_the_facilitator_link_gets_the_facilitator_role(store: Store, results: Results) -> None:
    facilitator, dana, lee = _people(store, results)
    assert facilitator.is_facilitator
    assert not dana.is_facilitator and not lee.is_facilitator  # no token, a wrong token
    # a participant's kernel cannot act as the facilitator: the store refuses, the state says why
    assert not dana.facilitator.hide_votes()
    assert "only the facilitator" in dana.facilitator.message
    assert not lee.facilitator.start_timer(2)
    dana.facilitator.lock()
    assert not store.session_info("kick-off").locked
    with pytest.raises(FacilitatorOnlyError):
        store.new_round("kick-off", facilitator_token="a-guess-that-is-long-enough")
    # taking the token later (the page's query string arrives after a pre-heated kernel built the app)
    assert dana.set_facilitator_token(TOKEN) and dana.facilitator.hide_votes()


def test_a_session_without_a_facilitator_token_is_open_to_everyone(tmp_path: Path, results: Results) -> None:
    store = Store(sqlite_url(tmp_path / "open.sqlite"))
    anyone = WorkshopState(results, store, "open")
    assert anyone.is_facilitator  # e.g. a published bundle served by plain voila
    assert anyone.facilitator.hide_votes() and store.session_info("open").votes_hidden


# ------------------------------------------------------------------------------ hidden votes


def test_hidden_votes_show_participants_only_their_own_dots_until_revealed(store: Store, results: Results) -> None:
    facilitator, dana, lee = _people(store, results)
    assert facilitator.facilitator.hide_votes()
    assert dana.vote.vote("PP01") and dana.vote.vote("PP01") and lee.vote.vote("PP01") and lee.vote.vote("PP02")
    for person in (dana, lee, facilitator):
        person.refresh()

    # participants: their own dots, no totals, no ranking, not even the counts in memory
    assert dana.vote.count_text("PP01") == HIDDEN_VOTES_TEXT and dana.vote.my_count("PP01") == 2
    assert lee.vote.my_votes == {"PP01": 1, "PP02": 1}
    assert dana.vote.counts == {} and dana.vote.ranking() == []
    assert "votes hidden" in dana.vote.status
    # the facilitator sees everything
    assert facilitator.vote.count_text("PP01") == "3 votes"
    assert [(r.painpoint_id, r.votes) for r in facilitator.vote.ranking()] == [("PP01", 3), ("PP02", 1)]
    assert facilitator.facilitator.table.set_index("painpoint_id")["votes"].to_dict() == {"PP01": 3, "PP02": 1}

    assert facilitator.facilitator.reveal_votes()
    assert dana.refresh()  # the next poll of Dana's kernel sees the reveal
    assert dana.vote.count_text("PP01") == "3 votes" and lee.refresh() and lee.vote.count_text("PP02") == "1 vote"
    assert [r.painpoint_id for r in dana.vote.ranking()] == ["PP01", "PP02"]


def test_the_app_shows_hidden_then_revealed_votes_and_the_facilitator_tab_on_the_link(
        store: Store, results: Results) -> None:
    from widgets.workshop.app import WorkshopApp, apply_request_role

    facilitator_app = WorkshopApp(WorkshopState(results, store, "kick-off"))
    facilitator_app.widget.workshop_app = facilitator_app
    participant_app = WorkshopApp(WorkshopState(results, store, "kick-off"))
    participant_app.widget.workshop_app = participant_app
    apply_request_role(facilitator_app.widget, f"facilitator={TOKEN}")
    apply_request_role(participant_app.widget, "")
    assert list(facilitator_app.tabs.titles) == ["Pain points", "Personas", "Journey", "Prioritise", "Facilitator"]
    assert "Facilitator" not in participant_app.tabs.titles

    facilitator_app.hide_votes_button.click()
    assert facilitator_app.hide_votes_button.description == "Reveal votes"
    participant_app.join_name.value = "Sam"
    participant_app.join_button.click()
    store.add_vote("kick-off", "PP01", "Alex")
    participant_app.cards["PP01"].vote_button.click()
    participant_app.poll_once()
    assert HIDDEN_VOTES_TEXT in participant_app.cards["PP01"].count.value
    assert "(yours: 1)" in participant_app.cards["PP01"].mine.value
    assert "hidden until the facilitator reveals" in participant_app.ranking.value
    facilitator_app.poll_once()
    assert "2 votes" in facilitator_app.cards["PP01"].count.value

    facilitator_app.hide_votes_button.click()  # now "Reveal votes"
    assert participant_app.poll_once()
    assert "2 votes" in participant_app.cards["PP01"].count.value


# ------------------------------------------------------------------------------ private statements


def test_private_statements_are_seen_by_their_author_and_the_facilitator_only(store: Store, results: Results) -> None:
    facilitator, dana, lee = _people(store, results)
    assert facilitator.facilitator.make_notes_private()
    assert dana.vote.add_statement("PP01", "confirm every payment at once?")
    assert "when the facilitator reveals" in dana.vote.message
    assert lee.vote.add_statement("PP01", "How might we show the charge in the app?")
    for person in (dana, lee, facilitator):
        person.refresh()
    assert [s.author for s in dana.vote.statements_for("PP01")] == ["Dana"]
    assert [s.author for s in lee.vote.statements_for("PP01")] == ["Lee"]
    assert [s.author for s in facilitator.vote.statements_for("PP01")] == ["Dana", "Lee"]
    assert facilitator.facilitator.reveal_notes()
    dana.refresh()
    assert [s.author for s in dana.vote.statements_for("PP01")] == ["Dana", "Lee"]


# ------------------------------------------------------------------------------ the round timer


def test_every_kernel_counts_down_to_the_same_moment(store: Store, results: Results) -> None:
    facilitator, dana, _lee = _people(store, results)
    assert dana.vote.timer_text() == ""
    assert facilitator.facilitator.start_timer(2, close_voting=True)
    dana.refresh()
    facilitator.refresh()
    ends_at = store.session_info("kick-off").round_ends_at
    assert ends_at is not None and ends_at.tzinfo is not None
    moment = ends_at - timedelta(seconds=65)
    assert dana.vote.timer_text(moment) == facilitator.vote.timer_text(moment) == "Time left 1:05"
    assert dana.vote.timer_text(ends_at + timedelta(seconds=1)) == "Time's up: voting is closed"
    assert dana.vote.timer_text().startswith(("Time left 2:00", "Time left 1:5"))
    assert facilitator.facilitator.stop_timer()
    dana.refresh()
    assert dana.vote.timer_text() == ""


def test_votes_after_a_closing_timer_ran_out_are_refused_with_a_message(store: Store, results: Results) -> None:
    from sqlalchemy import update

    from workbench.storage.tables import workshop_sessions

    facilitator, dana, _lee = _people(store, results)
    facilitator.facilitator.start_timer(1, close_voting=True)
    with store.engine.begin() as connection:  # a minute later
        connection.execute(update(workshop_sessions).values(
            round_ends_at=datetime.now(timezone.utc) - timedelta(seconds=1)))
    assert not dana.vote.vote("PP01")
    assert dana.vote.message == "Time is up: voting is closed for this round."
    assert timer_text(store.session_info("kick-off")) == "Time's up: voting is closed"


# ------------------------------------------------------------------------------ quotes and exports


def test_statements_cite_quotes_and_the_exports_carry_ids_authors_and_rounds(store: Store, results: Results) -> None:
    facilitator, dana, lee = _people(store, results)
    choices = dana.painpoints.quote_choices("PP01")
    assert [value for _label, value in choices] == ["", "a-1", "b-1"]
    assert dana.vote.add_statement("PP01", "confirm every payment at once?", ["b-1"])
    facilitator.facilitator.new_round()
    lee.refresh()
    assert lee.vote.add_statement("PP02", "How might we refund within a day?")
    facilitator.refresh()

    rows = list(csv.DictReader(io.StringIO(facilitator.facilitator.export("csv"))))
    by_id = {row["painpoint_id"]: row for row in rows}
    assert by_id["PP01"]["quote_ids"] == "b-1" and by_id["PP01"]["statement_authors"] == "Dana"
    assert by_id["PP01"]["statement_rounds"] == "1" and by_id["PP02"]["statement_rounds"] == "2"
    assert by_id["PP02"]["statement_authors"] == "Lee" and by_id["PP02"]["votes_round"] == "2"
    markdown = facilitator.facilitator.export("markdown")
    assert "How might we confirm every payment at once? (Dana) · round 1 · quotes b-1" in markdown
    assert "(PP01)" in markdown
    page = facilitator.facilitator.export("html")
    assert "quotes b-1" in page and "PP02" in page


# ------------------------------------------------------------------------------ evidence on the cards


def _with_evidence(results: Results) -> Results:
    painpoints = results.painpoints.copy()
    painpoints["stability"] = [0.31, 0.92, np.nan]
    painpoints["stable"] = [False, True, False]
    painpoints["unstable"] = [True, False, False]
    painpoints["impact"] = [8.24, -1.5, np.nan]
    painpoints["impact_metric"] = ["NPS (-100..100)", "NPS (-100..100)", ""]
    painpoints["impact_items"] = [12, 4, 0]
    return dataclasses.replace(results, painpoints=painpoints)


def test_cards_show_stability_and_impact_and_the_board_starts_from_the_impact(results: Results) -> None:
    cards = {c.painpoint_id: c for c in PainPointsState(_with_evidence(results)).cards}
    assert cards["PP01"].stability_text == "⚠ unstable: found in few reruns"
    assert cards["PP02"].stability_text == "stable"
    # impact = score without the pain point's items − score with them: NPS would rise 8.2 without PP01
    assert cards["PP01"].impact_text == "Impact on NPS: +8.2 without it (12 scored items)"
    assert cards["PP02"].impact_text == "Impact on NPS: −1.5 without it (4 scored items)"
    assert default_impacts(list(cards.values())) == {"PP01": 5, "PP02": 1}


def test_older_results_without_evidence_show_no_badge_and_the_usual_board(results: Results) -> None:
    cards = painpoint_cards(results.painpoints, results.passages)
    assert all(c.stability_text == "" and c.impact_text == "" for c in cards)
    assert default_impacts(cards) == {"PP01": 3, "PP02": 3}


def test_the_app_renders_the_evidence_and_says_where_the_impact_slider_starts(tmp_path: Path,
                                                                             results: Results) -> None:
    from widgets.workshop.app import WorkshopApp

    store = Store(sqlite_url(tmp_path / "store.sqlite"))
    app = WorkshopApp(WorkshopState(_with_evidence(results), store, "kick-off"))
    head = app.cards["PP01"].head.value
    assert "⚠ unstable: found in few reruns" in head and "Impact on NPS: +8.2 without it" in head
    assert "measured effect on NPS" in app.board_note.value
    assert app.impact.value == 5  # PP01, not placed yet: its measured impact, scaled
    app.board_painpoint.value = "PP02"
    assert app.impact.value == 1
    plain = WorkshopApp(WorkshopState(results, Store(sqlite_url(tmp_path / "plain.sqlite")), "kick-off"))
    assert plain.impact.value == 3 and "no effect on a score" in plain.board_note.value
    assert "wb-evidence" not in plain.cards["PP01"].head.value
