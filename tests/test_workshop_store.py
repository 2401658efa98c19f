"""The workshop part of the store: dots, votes per round, the lock, statements, board places, and a
dots budget that holds when many processes vote at once.

Every test that takes ``store`` or ``store_url`` runs twice: on a SQLite file and on a real
PostgreSQL server that the test run starts itself (tests/conftest.py, tests/postgres_server.py)."""
from __future__ import annotations

import multiprocessing
import threading

import pytest

from workbench.errors import WorkbenchError
from workbench.storage.store import (
    DEFAULT_DOTS_PER_PERSON,
    Placement,
    Store,
    VoteOutcome,
    WorkshopActionError,
)


@pytest.fixture()
def store(store_url: str) -> Store:
    return Store(store_url)


# ------------------------------------------------------------------------------ dots and votes


def test_a_person_cannot_spend_more_dots_than_they_have(store: Store) -> None:
    placed = [store.add_vote("kick-off", "PP01", "Dana") for _ in range(DEFAULT_DOTS_PER_PERSON + 2)]
    assert placed == [True] * DEFAULT_DOTS_PER_PERSON + [False, False]
    assert store.vote_counts("kick-off") == {"PP01": DEFAULT_DOTS_PER_PERSON}
    assert store.votes_left("kick-off", "Dana") == 0
    refused = store.cast_vote("kick-off", "PP02", "Dana")
    assert refused == VoteOutcome(placed=False, reason="no dots left", votes_left=0)
    assert "PP02" not in store.vote_counts("kick-off")  # a refused dot leaves no trace on the other card either


def test_the_same_person_is_matched_by_name_whatever_the_case_and_spaces(store: Store) -> None:
    store.add_vote("kick-off", "PP01", "Dana Lee")
    store.add_vote("kick-off", "PP02", "  dana   LEE ")
    assert store.people("kick-off") == ["Dana Lee"]
    assert store.votes_left("kick-off", "DANA LEE") == DEFAULT_DOTS_PER_PERSON - 2  # one budget, not two
    assert store.votes_of("kick-off", "dana lee") == {"PP01": 1, "PP02": 1}


def test_counts_add_up_everyones_dots_most_voted_first(store: Store) -> None:
    for voter, painpoint in [("Dana", "PP03"), ("Lee", "PP03"), ("Lee", "PP03"), ("Ana", "PP01")]:
        assert store.add_vote("kick-off", painpoint, voter)
    assert store.vote_counts("kick-off") == {"PP03": 3, "PP01": 1}
    assert list(store.vote_counts("kick-off")) == ["PP03", "PP01"]
    assert store.dots_spent("kick-off") == {"Dana": 1, "Lee": 2, "Ana": 1}


def test_taking_a_dot_back_frees_it_and_only_ones_own_dot_can_be_taken(store: Store) -> None:
    store.set_dots_per_person("kick-off", 1)
    assert store.add_vote("kick-off", "PP01", "Dana")
    assert not store.add_vote("kick-off", "PP02", "Dana")
    assert not store.remove_vote("kick-off", "PP01", "Lee")  # Lee has no dot there
    assert store.remove_vote("kick-off", "PP01", "Dana")
    assert store.vote_counts("kick-off") == {}
    assert store.add_vote("kick-off", "PP02", "Dana")  # the freed dot can go elsewhere
    assert store.vote_counts("kick-off") == {"PP02": 1}
    assert not store.remove_vote("kick-off", "PP01", "Dana")


def test_sessions_are_separate(store: Store) -> None:
    store.add_vote("morning", "PP01", "Dana")
    assert store.vote_counts("afternoon") == {}
    assert store.votes_left("afternoon", "Dana") == DEFAULT_DOTS_PER_PERSON


def test_open_session_is_idempotent_and_dots_apply_at_creation(store: Store) -> None:
    first = store.open_session("retro", dots_per_person=3)
    again = store.open_session("retro", dots_per_person=9)
    assert first.dots_per_person == again.dots_per_person == 3
    assert store.set_dots_per_person("retro", 2).dots_per_person == 2


def test_lowering_the_dots_below_what_someone_spent_leaves_them_none(store: Store) -> None:
    for _ in range(3):
        store.add_vote("kick-off", "PP01", "Dana")
    store.set_dots_per_person("kick-off", 2)
    assert store.votes_left("kick-off", "Dana") == 0
    assert not store.add_vote("kick-off", "PP01", "Dana")
    assert store.vote_counts("kick-off") == {"PP01": 3}  # spent dots stay spent


# ------------------------------------------------------------------------------ rounds and the lock


def test_a_new_round_gives_fresh_dots_and_keeps_the_earlier_rounds(store: Store) -> None:
    for _ in range(DEFAULT_DOTS_PER_PERSON):
        store.add_vote("kick-off", "PP01", "Dana")
    store.lock_voting("kick-off")
    assert store.new_round("kick-off") == 2
    info = store.session_info("kick-off")
    assert (info.round, info.locked) == (2, False)  # a new round reopens voting
    assert store.vote_counts("kick-off") == {}
    assert store.votes_left("kick-off", "Dana") == DEFAULT_DOTS_PER_PERSON
    assert store.add_vote("kick-off", "PP02", "Dana")
    assert store.vote_counts("kick-off", round=1) == {"PP01": DEFAULT_DOTS_PER_PERSON}
    assert store.vote_counts("kick-off", round=2) == {"PP02": 1}


def test_locked_voting_refuses_votes_and_take_backs_until_unlocked(store: Store) -> None:
    store.add_vote("kick-off", "PP01", "Dana")
    store.lock_voting("kick-off")
    assert store.cast_vote("kick-off", "PP01", "Lee") == VoteOutcome(False, "voting is locked", DEFAULT_DOTS_PER_PERSON)
    assert not store.remove_vote("kick-off", "PP01", "Dana")
    assert store.vote_counts("kick-off") == {"PP01": 1}
    store.lock_voting("kick-off", locked=False)
    assert store.add_vote("kick-off", "PP01", "Lee")


def test_every_write_moves_the_revision_and_reads_do_not(store: Store) -> None:
    start = store.revision("kick-off")
    store.vote_counts("kick-off")
    store.statements("kick-off")
    assert store.revision("kick-off") == start
    store.add_vote("kick-off", "PP01", "Dana")
    after_vote = store.revision("kick-off")
    store.add_statement("kick-off", "PP01", "Dana", "How might we confirm payments?")
    store.place("kick-off", "PP01", "Dana", 4, 2)
    assert start < after_vote < store.revision("kick-off")


# ------------------------------------------------------------------------------ statements


def test_statements_attach_to_pain_points_and_a_double_click_adds_one(store: Store) -> None:
    first = store.add_statement("kick-off", "PP02", "Dana", "How might we   confirm every payment at once?")
    again = store.add_statement("kick-off", "PP02", "dana", "How might we confirm every payment at once?")
    store.add_statement("kick-off", "PP05", "Lee", "How might we refund within a day?")
    assert first == again
    statements = store.statements("kick-off")
    assert [(s.painpoint_id, s.author, s.text) for s in statements] == [
        ("PP02", "Dana", "How might we confirm every payment at once?"),
        ("PP05", "Lee", "How might we refund within a day?"),
    ]
    assert [s.author for s in store.statements("kick-off", painpoint_id="PP05")] == ["Lee"]
    assert "Lee" in store.people("kick-off")  # an author is a participant of the session


@pytest.mark.parametrize("text", ["", "   ", "x" * 501])
def test_an_empty_or_overlong_statement_is_refused_with_a_clear_message(store: Store, text: str) -> None:
    with pytest.raises(WorkshopActionError, match="How might we"):
        store.add_statement("kick-off", "PP01", "Dana", text)


# ------------------------------------------------------------------------------ impact × effort


def test_each_persons_latest_place_wins_and_the_consensus_is_kept_apart(store: Store) -> None:
    store.place("kick-off", "PP01", "Dana", impact=2, effort=4)
    store.place("kick-off", "PP01", "Lee", impact=5, effort=5)
    store.place("kick-off", "PP01", "dana", impact=5, effort=1)  # Dana moves it
    store.place("kick-off", "PP01", None, impact=4, effort=2)  # the facilitator's consensus
    places = store.placements("kick-off")
    assert sorted(places, key=lambda p: str(p.voter)) == [
        Placement("PP01", "Dana", 5.0, 1.0),
        Placement("PP01", "Lee", 5.0, 5.0),
        Placement("PP01", None, 4.0, 2.0),
    ]


@pytest.mark.parametrize("impact, effort", [(0, 3), (6, 3), (3, -1), ("high", 3), (float("nan"), 3)])
def test_places_off_the_one_to_five_scale_are_refused(store: Store, impact: object, effort: object) -> None:
    with pytest.raises(WorkshopActionError, match="from 1 .low. to 5 .high."):
        store.place("kick-off", "PP01", "Dana", impact, effort)  # type: ignore[arg-type]
    assert store.placements("kick-off") == []


@pytest.mark.parametrize("voter", ["", "   ", None, "x" * 61])
def test_a_vote_needs_a_name(store: Store, voter: object) -> None:
    with pytest.raises(WorkshopActionError, match="type your name"):
        store.add_vote("kick-off", "PP01", voter)  # type: ignore[arg-type]
    assert isinstance(WorkshopActionError("x"), WorkbenchError)


def test_a_vote_needs_a_pain_point(store: Store) -> None:
    with pytest.raises(WorkshopActionError, match="pain point id"):
        store.add_vote("kick-off", " ", "Dana")


# ------------------------------------------------------------------------------ many kernels at once


def _vote_many(url: str, session: str, voter: str, painpoints: list[str], barrier) -> int:
    barrier.wait()  # open the store and vote together, so the transactions really overlap
    store = Store(url)
    return sum(store.add_vote(session, painpoint, voter) for painpoint in painpoints)


def _run_processes(url: str, jobs: list[tuple[str, list[str]]], session: str) -> list[int]:
    context = multiprocessing.get_context("spawn")  # a fresh interpreter per voter, like a Voila kernel
    with context.Manager() as manager:
        barrier = manager.Barrier(len(jobs))
        with context.Pool(len(jobs)) as pool:
            results = [pool.apply_async(_vote_many, (url, session, voter, painpoints, barrier)) for voter, painpoints in jobs]
            return [r.get(timeout=400) for r in results]


VOTERS = 30
VOTES_EACH = 20


def test_thirty_processes_voting_twenty_times_each_count_exactly(store_url: str) -> None:
    """The load of a big workshop: 30 kernels cast 20 dots each at once; every dot is counted once."""
    Store(store_url).open_session("busy", dots_per_person=VOTES_EACH)
    jobs = [(f"person {i}", [f"PP{(i + j) % 4 + 1:02d}" for j in range(VOTES_EACH)]) for i in range(VOTERS)]
    placed = _run_processes(store_url, jobs, "busy")
    store = Store(store_url)
    counted = sum(store.vote_counts("busy").values())
    print(f"{store.engine.dialect.name}: {VOTERS} processes x {VOTES_EACH} votes, "
          f"{sum(placed)} placed, {counted} counted, {VOTERS * VOTES_EACH - counted} lost")
    assert placed == [VOTES_EACH] * VOTERS
    assert counted == VOTERS * VOTES_EACH == 600
    expected: dict[str, int] = {}
    for _voter, painpoints in jobs:
        for painpoint in painpoints:
            expected[painpoint] = expected.get(painpoint, 0) + 1
    assert store.vote_counts("busy") == dict(sorted(expected.items(), key=lambda kv: (-kv[1], kv[0])))
    assert set(store.dots_spent("busy").values()) == {VOTES_EACH}


def test_one_person_voting_from_ten_processes_at_once_cannot_overspend(store_url: str) -> None:
    Store(store_url).open_session("tabs", dots_per_person=7)
    jobs = [("Dana", ["PP01"] * 20) for _ in range(10)]  # ten browser tabs of one person
    placed = _run_processes(store_url, jobs, "tabs")
    store = Store(store_url)
    assert sum(placed) == 7
    assert store.vote_counts("tabs") == {"PP01": 7}
    assert store.votes_left("tabs", "Dana") == 0


def test_threads_sharing_one_store_cannot_overspend(store: Store) -> None:
    store.open_session("threads", dots_per_person=5)
    placed: list[bool] = []
    lock = threading.Lock()

    def vote() -> None:
        for _ in range(5):
            result = store.add_vote("threads", "PP01", "Dana")
            with lock:
                placed.append(result)

    threads = [threading.Thread(target=vote) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert placed.count(True) == 5
    assert store.vote_counts("threads") == {"PP01": 5}


def test_kernels_opening_a_new_store_at_once_create_it_once(store_url: str) -> None:
    """Ten kernels start on an empty store together: one creates the schema, none fails."""
    placed = _run_processes(store_url, [(f"person {i}", ["PP01"]) for i in range(10)], "first")
    assert placed == [1] * 10
    assert Store(store_url).vote_counts("first") == {"PP01": 10}


# ------------------------------------------------------------------------------ facilitation (schema version 3)

FACILITATOR = "facilitator-token-0123456789abcdef"


def _end_the_timer_now(store: Store, session: str) -> None:
    """Move the round timer's end into the past (what two minutes of waiting would do)."""
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import update

    from workbench.storage.tables import workshop_sessions

    with store.engine.begin() as connection:
        connection.execute(update(workshop_sessions).where(workshop_sessions.c.name == session).values(
            round_ends_at=datetime.now(timezone.utc) - timedelta(seconds=1)))


def test_facilitator_actions_need_the_token_once_the_session_has_one(store: Store) -> None:
    from workbench.storage.store import FacilitatorOnlyError

    store.set_facilitator_token("kick-off", FACILITATOR)
    actions = {
        "lock": lambda token: store.lock_voting("kick-off", True, facilitator_token=token),
        "round": lambda token: store.new_round("kick-off", facilitator_token=token),
        "dots": lambda token: store.set_dots_per_person("kick-off", 4, facilitator_token=token),
        "hide": lambda token: store.hide_votes("kick-off", True, facilitator_token=token),
        "notes": lambda token: store.set_notes_private("kick-off", True, facilitator_token=token),
        "timer": lambda token: store.start_timer("kick-off", 2, facilitator_token=token),
        "stop": lambda token: store.stop_timer("kick-off", facilitator_token=token),
        "consensus": lambda token: store.place("kick-off", "PP01", None, 4, 2, facilitator_token=token),
    }
    before = store.session_info("kick-off")
    for name, action in actions.items():
        for wrong in (None, "", "a-participant-guessing-0123"):
            with pytest.raises(FacilitatorOnlyError, match="only the facilitator"):
                action(wrong)
    after = store.session_info("kick-off")
    assert (after.locked, after.round, after.dots_per_person, after.votes_hidden, after.notes_private,
            after.round_ends_at) == (before.locked, before.round, before.dots_per_person, False, False, None)
    assert store.placements("kick-off") == []
    for name, action in actions.items():
        action(FACILITATOR)  # the facilitator's link works for every one of them
    final = store.session_info("kick-off")
    assert (final.round, final.dots_per_person, final.votes_hidden, final.notes_private) == (2, 4, True, True)
    assert store.placements("kick-off") == [Placement("PP01", None, 4.0, 2.0)]
    # participants' own actions need no token
    assert store.add_vote("kick-off", "PP01", "Dana")
    assert store.place("kick-off", "PP01", "Dana", 3, 3)


def test_the_store_keeps_a_hash_of_the_token_never_the_token(store: Store) -> None:
    from sqlalchemy import select

    from workbench.storage.tables import workshop_sessions
    from workbench.storage.workshop_facilitation import token_hash

    assert store.set_facilitator_token("kick-off", FACILITATOR).facilitated
    with store.engine.connect() as connection:
        stored = connection.execute(select(workshop_sessions.c.facilitator_token_hash)).scalar()
    assert stored == token_hash(FACILITATOR) and FACILITATOR not in stored
    assert store.is_facilitator("kick-off", FACILITATOR) and not store.is_facilitator("kick-off", None)
    assert store.is_facilitator("another session", None)  # a session without a token is open to all
    with pytest.raises(WorkshopActionError, match="at least 16"):
        store.set_facilitator_token("kick-off", "short")


def test_hidden_votes_are_still_counted_and_revealing_shows_them(store: Store) -> None:
    store.set_facilitator_token("kick-off", FACILITATOR)
    assert store.hide_votes("kick-off", facilitator_token=FACILITATOR).votes_hidden
    assert store.add_vote("kick-off", "PP01", "Dana") and store.add_vote("kick-off", "PP01", "Lee")
    assert store.vote_counts("kick-off") == {"PP01": 2}  # hiding is a view: the budget and counts hold
    assert store.votes_left("kick-off", "Dana") == DEFAULT_DOTS_PER_PERSON - 1
    revealed = store.hide_votes("kick-off", False, facilitator_token=FACILITATOR)
    assert not revealed.votes_hidden and revealed.revision > 0


def test_a_timer_that_closes_voting_refuses_votes_once_it_ran_out(store: Store) -> None:
    info = store.start_timer("kick-off", 2, close_voting=True)
    assert info.close_at_time_up and 110 < info.seconds_left() <= 120
    assert store.add_vote("kick-off", "PP01", "Dana")  # still running
    _end_the_timer_now(store, "kick-off")
    assert store.session_info("kick-off").time_is_up
    assert store.cast_vote("kick-off", "PP01", "Dana").reason == "time is up"
    assert not store.remove_vote("kick-off", "PP01", "Dana")
    assert store.vote_counts("kick-off") == {"PP01": 1}
    store.new_round("kick-off")  # a new round stops the timer
    assert store.session_info("kick-off").round_ends_at is None
    assert store.add_vote("kick-off", "PP01", "Dana")


def test_a_timer_without_closing_only_counts_down(store: Store) -> None:
    store.start_timer("kick-off", 1)
    _end_the_timer_now(store, "kick-off")
    assert store.session_info("kick-off").time_is_up
    assert store.add_vote("kick-off", "PP01", "Dana")
    assert store.stop_timer("kick-off").round_ends_at is None


@pytest.mark.parametrize("minutes", [0, -1, 10_000, "soon", None])
def test_a_timer_off_its_range_is_refused(store: Store, minutes: object) -> None:
    with pytest.raises(WorkshopActionError, match="round timer"):
        store.start_timer("kick-off", minutes)  # type: ignore[arg-type]


def test_statements_cite_quotes_and_record_their_round(store: Store) -> None:
    store.add_statement("kick-off", "PP01", "Dana", "How might we confirm at once?", quote_ids=["a-1", "a-1", "b-2"])
    store.new_round("kick-off")
    store.add_statement("kick-off", "PP02", "Lee", "How might we refund in a day?")
    first, second = store.statements("kick-off")
    assert (first.quote_ids, first.round) == (("a-1", "b-2"), 1)
    assert (second.quote_ids, second.round) == ((), 2)
    with pytest.raises(WorkshopActionError, match="quote ids"):
        store.add_statement("kick-off", "PP01", "Dana", "How might we?", quote_ids=[f"q{i}" for i in range(30)])
