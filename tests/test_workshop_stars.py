"""Stars on quotes in the workshop: each quote on a card can be starred; exports and the report cite the
starred quote ids with participant and source; votes on pain points stay as they were."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from coding_fixtures import make_study

from widgets.workshop.app import WorkshopApp
from widgets.workshop.demo import demo_results
from widgets.workshop.state import WorkshopState
from workbench.share.report import write_report
from workbench.storage.store import Store, WorkshopActionError, sqlite_url
from workbench.workshop.starred import starred_quote_table


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(sqlite_url(tmp_path / "store.sqlite"))


def test_stars_are_per_person_can_be_taken_back_and_do_not_touch_votes(store: Store) -> None:
    assert store.add_vote("kick-off", "PP02", "Dana")
    assert store.star_quote("kick-off", "c-1", "PP02", "Dana")
    assert not store.star_quote("kick-off", "c-1", "PP02", " dana ")  # the same person, already starred
    assert store.star_quote("kick-off", "c-1", "PP02", "Lee")
    assert store.star_quote("kick-off", "a-1", "PP01", "Lee")
    assert [(q.quote_id, q.painpoint_id, q.people) for q in store.starred_quotes("kick-off")] == [
        ("c-1", "PP02", ("Dana", "Lee")), ("a-1", "PP01", ("Lee",))]
    assert store.star_quote("kick-off", "c-1", "PP02", "Lee", starred=False)
    assert not store.star_quote("kick-off", "b-1", "PP01", "Lee", starred=False)  # never starred: nothing to take back
    assert store.stars_of("kick-off", "Lee") == {"a-1"} and store.stars_of("kick-off", "Dana") == {"c-1"}
    assert store.vote_counts("kick-off") == {"PP02": 1} and store.votes_left("kick-off", "Dana") == 4
    assert store.star_sessions() == ["kick-off"] and store.starred_quotes("other") == []
    with pytest.raises(WorkshopActionError, match="not a passage id"):
        store.star_quote("kick-off", "   ", "PP01", "Dana")


def test_a_star_in_one_kernel_shows_in_another_after_its_poll(store: Store) -> None:
    dana = WorkshopApp(WorkshopState(demo_results(), store, "kick-off"))
    lee = WorkshopApp(WorkshopState(demo_results(), store, "kick-off"))
    card = dana.cards["PP02"]
    card.star_button.click()  # before joining: asked for a name, nothing stored
    assert store.starred_quotes("kick-off") == [] and "Type your name" in card.message.value
    dana.state.vote.join("Dana")
    card.star_button.click()
    assert card.star_button.description == "★ Starred (1)"
    assert [(q.quote_id, q.people) for q in store.starred_quotes("kick-off")] == [("c-1", ("Dana",))]
    lee.state.vote.join("Lee")
    lee.poll_once()
    assert lee.cards["PP02"].star_button.description == "☆ Star quote (1)"
    card.star_button.click()  # taken back
    lee.poll_once()
    assert lee.cards["PP02"].star_button.description == "☆ Star quote" and store.starred_quotes("kick-off") == []


def test_the_star_follows_the_quote_the_card_shows(store: Store) -> None:
    app = WorkshopApp(WorkshopState(demo_results(), store, "kick-off"))
    app.state.vote.join("Dana")
    card = app.cards["PP01"]
    card.next_button.click()  # the second quote of the card: "Charged twice …" (b-1)
    card.star_button.click()
    assert [q.quote_id for q in store.starred_quotes("kick-off")] == ["b-1"]
    assert app.state.painpoints.quote_id("PP01") == "b-1"


def test_exports_cite_the_starred_quotes_with_participant_and_source(store: Store, tmp_path: Path) -> None:
    results = demo_results()
    results.passages = results.passages.assign(source_id=["transcripts/i1.txt", "transcripts/i2.txt",
                                                          "transcripts/i1.txt", "transcripts/i3.txt"])
    results.segments = pd.DataFrame({"segment_id": ["a", "b", "c", "d"], "turn": [4, 2, 9, 1],
                                     "source_kind": ["interview"] * 4})
    state = WorkshopState(results, store, "kick-off")
    store.star_quote("kick-off", "c-1", "PP02", "Dana")
    store.star_quote("kick-off", "c-1", "PP02", "Lee")
    store.add_vote("kick-off", "PP01", "Lee")
    facilitator = state.facilitator
    facilitator.refresh(force=True)
    citation = "c-1 · P01 · transcripts/i1.txt, turn 9 · ★2"
    markdown, page, table = (facilitator.export(fmt) for fmt in ("markdown", "html", "csv"))
    assert "## Starred quotes" in markdown and citation in markdown and "Six weeks and still no refund." in markdown
    assert f"<code>{citation}</code>" in page
    rows = list(csv.DictReader(io.StringIO(table)))
    assert list(rows[0])[-2:] == ["votes_round", "starred_quotes"]
    assert [(r["painpoint_id"], r["votes"], r["starred_quotes"]) for r in rows] == [
        ("PP01", "1", ""), ("PP02", "0", citation)]  # votes still rank the pain points
    saved = facilitator.save_exports(tmp_path / "exports")
    assert all(citation in p.read_text(encoding="utf-8") for p in saved)


def test_a_quote_no_longer_in_the_results_keeps_its_id_and_stars(store: Store) -> None:
    store.star_quote("kick-off", "gone-7", "PP09", "Dana")
    table = starred_quote_table(store, "kick-off", demo_results().passages, None)
    assert table[["quote_id", "stars"]].values.tolist() == [["gone-7", 1]] and table["text"].isna().all()


def test_the_report_cites_the_starred_quotes(tmp_path: Path) -> None:
    study, results = make_study(tmp_path)
    report = write_report(results, tmp_path / "report.md")
    assert "Quotes the workshop starred" not in report.path.read_text(encoding="utf-8")
    assert not (results / "store.sqlite").exists()  # a report never makes a store
    store = Store(sqlite_url(results / "store.sqlite"))
    store.star_quote("kick-off", "s-i2-1", "PP01", "Dana")
    store.star_quote("kick-off", "s-f2-1", "PP02", "Lee")
    text = write_report(results, tmp_path / "report.md").path.read_text(encoding="utf-8")
    assert "## Quotes the workshop starred" in text and "### Session kick-off" in text
    assert "s-i2-1 · P01 · transcripts/interview\\_01.txt, turn 2 · ★1" in text
    assert "s-f2-1 · item R-2 · feedback/app\\_store\\_reviews.csv, row 2 · ★1" in text
    page = write_report(results, tmp_path / "report.html").path.read_text(encoding="utf-8")
    assert "<code>s-i2-1 · P01 · transcripts/interview_01.txt, turn 2 · ★1</code>" in page
