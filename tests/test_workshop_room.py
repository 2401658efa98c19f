"""The workshop room without a browser: the participants' view (widgets/workshop/room_view.py), its page
(room_page.py), the shared store reads (workbench/workshop/room_store.py), the start-up progress
(progress.py) and the room's server over HTTP (room_server.py, room.py): tokens, the facilitator's
way to Voila, the progress page while the results are being analysed. The browsers: test_workshop_browser.py.
"""
from __future__ import annotations

import json
import re
import shutil
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pandas as pd
import pytest
from workshop_helpers import wait_for_http

from workbench.errors import WorkbenchError
from workbench.storage.store import Store, sqlite_url
from workbench.workshop.progress import ANALYSING, FAILED, READY, analysis_progress, progress_page, read_startup_state
from workbench.workshop.room import start_room
from workbench.workshop.room_store import SessionReads
from widgets.workshop.demo import demo_results
from widgets.workshop.room_page import script_json
from widgets.workshop.room_view import ParticipantRoom

FACILITATOR = "facilitator-secret-token-0123456789"


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    store = Store(sqlite_url(tmp_path / "store.sqlite"))
    store.set_facilitator_token("kick-off", FACILITATOR)
    return store


@pytest.fixture()
def room(store: Store) -> ParticipantRoom:
    return ParticipantRoom(demo_results(), store, "kick-off", css="")


# ------------------------------------------------------------------ the participants' view


def test_people_join_vote_and_see_everyones_count(room: ParticipantRoom) -> None:
    for name in ("Dana", "Lee", "Sam"):
        assert room.act(None, "join", {"name": name})["person"] == name
        assert room.act(name, "vote", {"painpoint": "PP02"})["ok"]
    dana = room.state("Dana")
    assert dana["cards"]["PP02"] == {"count": "3 votes", "mine": 1} and dana["cards"]["PP01"]["count"] == "0 votes"
    assert dana["status"] == "Dana · 4 of 5 dots left · round 1 · voting open"
    assert room.state(None)["cards"]["PP02"]["count"] == "3 votes"  # someone who has not joined sees the counts too
    assert "<td>Refunds take weeks</td><td>3</td>" in dana["ranking_html"]  # first in the ranking


def test_a_vote_before_joining_is_refused_with_the_reason(room: ParticipantRoom) -> None:
    answer = room.act(None, "vote", {"painpoint": "PP01"})
    assert not answer["ok"] and answer["message"] == "Type your name and press Join before voting."
    assert answer["target"] == "PP01"
    assert room.state(None)["cards"]["PP01"]["count"] == "0 votes"


def test_a_sixth_dot_is_refused_and_a_taken_back_one_can_move(room: ParticipantRoom) -> None:
    room.act(None, "join", {"name": "Dana"})
    assert [room.act("Dana", "vote", {"painpoint": "PP01"})["ok"] for _ in range(6)] == [True] * 5 + [False]
    assert "no dots left" in room.act("Dana", "vote", {"painpoint": "PP02"})["message"]
    assert room.act("Dana", "unvote", {"painpoint": "PP01"})["ok"]
    moved = room.act("Dana", "vote", {"painpoint": "PP02"})
    assert moved["ok"] and moved["state"]["cards"]["PP01"]["mine"] == 4 and moved["state"]["cards"]["PP02"]["mine"] == 1


def test_a_person_keeps_name_and_dots_after_a_reload_and_after_a_server_restart(store: Store) -> None:
    first = ParticipantRoom(demo_results(), store, "kick-off", css="")
    first.act(None, "join", {"name": "Dana Lee"})
    first.act("Dana Lee", "vote", {"painpoint": "PP01"})
    page = first.page("Dana Lee")  # the reload: the name comes back in the cookie
    assert "Dana Lee · 4 of 5 dots left" in page and 'id="wb-join" class="wb-row wb-hidden"' in page
    restarted = ParticipantRoom(demo_results(), store, "kick-off", css="")  # a new server, the same store
    again = restarted.state("dana  lee")  # names match ignoring case and spaces
    assert again["joined"] and again["name"] == "Dana Lee" and again["cards"]["PP01"]["mine"] == 1
    assert store.people("kick-off") == ["Dana Lee"]


def test_hidden_votes_show_only_ones_own_dots_until_revealed(room: ParticipantRoom, store: Store) -> None:
    store.hide_votes("kick-off", True, facilitator_token=FACILITATOR)
    for name in ("Dana", "Lee"):
        room.act(None, "join", {"name": name})
        room.act(name, "vote", {"painpoint": "PP01"})
    dana = room.state("Dana")
    assert dana["votes_hidden"] and dana["cards"]["PP01"] == {"count": "votes hidden", "mine": 1}
    assert "hidden until the facilitator reveals them" in dana["ranking_html"] and "<td>" not in dana["ranking_html"]
    assert "votes hidden until the facilitator reveals them" in dana["status"]
    store.hide_votes("kick-off", False, facilitator_token=FACILITATOR)
    assert room.state("Dana", since=dana["revision"])["cards"]["PP01"]["count"] == "2 votes"


def test_statements_and_board_places_are_shared_and_cite_quotes(room: ParticipantRoom) -> None:
    room.act(None, "join", {"name": "Dana"})
    answer = room.act("Dana", "statement", {"painpoint": "PP02", "text": "pay refunds in a week?", "quote": "c-1"})
    assert answer["ok"] and answer["target"] == "statements"
    assert "How might we pay refunds in a week?" in answer["state"]["statements_html"]
    assert "cites “Six weeks and still no refund.”" in answer["state"]["statements_html"]
    placed = room.act("Dana", "place", {"painpoint": "PP01", "impact": 5, "effort": 1})
    assert placed["ok"] and placed["state"]["my_places"] == {"PP01": [5, 1]}
    assert "Quick wins" in placed["state"]["board_html"] and "Payment taken, no confirmation" in placed["state"]["board_html"]
    room.act(None, "join", {"name": "Lee"})
    assert "How might we pay refunds in a week?" in room.state("Lee")["statements_html"]


def test_a_starred_quote_counts_for_everyone_and_the_star_can_be_taken_back(room: ParticipantRoom) -> None:
    for name in ("Dana", "Lee"):
        room.act(None, "join", {"name": name})
    assert room.quote_ids("PP02", ["Six weeks and still no refund."]) == ["c-1"]
    starred = room.act("Dana", "star", {"painpoint": "PP02", "quote": "c-1"})
    assert starred["ok"] and starred["state"]["stars"] == {"c-1": "★ Starred (1)"}
    assert room.state("Lee")["stars"] == {"c-1": "☆ Star quote (1)"}
    assert room.act("Dana", "star", {"painpoint": "PP02", "quote": "c-1"})["state"]["stars"] == {}
    refused = room.act(None, "star", {"painpoint": "PP02", "quote": "c-1"})
    assert not refused["ok"] and "Join" in refused["message"]
    assert room.cards({"persona": "PE2"})["quote_ids"] == {"PP01": ["b-1"]}  # a filter's quotes keep their ids


def test_a_card_leads_with_the_customers_statement_and_keeps_its_label(store: Store) -> None:
    results = demo_results()
    results.painpoints["statement"] = ["I paid and got no e-mail for two days.", "", None]
    page = ParticipantRoom(results, store, "kick-off", css="").page(None)
    assert "<b>I paid and got no e-mail for two days.</b><div class=\"wb-handle\">Payment taken, no confirmation</div>" in page
    assert "<b>Refunds take weeks</b><div class=\"wb-facts\">" in page  # no statement: the label leads


def test_nothing_changed_means_a_tiny_answer_and_no_store_reads(room: ParticipantRoom) -> None:
    people = [f"Person {i}" for i in range(12)]
    for name in people:
        room.act(None, "join", {"name": name})
    revisions = {name: room.state(name)["revision"] for name in people}
    reads = room.reads.reads_done
    for name in people:
        assert room.state(name, since=revisions[name]) == {"revision": revisions[name], "same": True}
    assert room.reads.reads_done == reads  # twelve polls: only the session row was read
    room.act(people[0], "vote", {"painpoint": "PP01"})
    reads = room.reads.reads_done
    assert all(room.state(name)["cards"]["PP01"]["count"] == "1 vote" for name in people)
    shared = room.reads.reads_done - reads
    assert shared <= 5 + len(people)  # counts, statements, places, stars, people once; each person's own dots once


def test_filters_search_and_bad_input(room: ParticipantRoom) -> None:
    assert room.cards({"search": "refund"})["visible"] == ["PP02"]
    persona = room.cards({"persona": "PE2"})
    assert persona["visible"] == ["PP01"] and persona["summary"] == "Showing 1 of 2 pain points"
    assert room.cards({})["visible"] == ["PP01", "PP02"]
    room.cards({"search": "refund"})  # someone else's filter does not carry over to a new page
    assert "Showing 2 of 2 pain points" in room.page(None)
    with pytest.raises(WorkbenchError, match="no persona 'PE9'"):
        room.cards({"persona": "PE9"})
    with pytest.raises(WorkbenchError, match="unknown action"):
        room.act(None, "delete", {})
    room.act(None, "join", {"name": "Dana"})
    with pytest.raises(WorkbenchError, match="no pain point 'PP99'"):
        room.act("Dana", "vote", {"painpoint": "PP99"})
    with pytest.raises(WorkbenchError, match="impact must be a number"):
        room.act("Dana", "place", {"painpoint": "PP01", "impact": "lots", "effort": 2})
    bad_name = room.act(None, "join", {"name": "   "})
    assert not bad_name["ok"] and "person" not in bad_name and "name" in bad_name["message"]


def test_journey_figures_come_as_plotly_json(room: ParticipantRoom) -> None:
    figures = room.figures("pain_share", "PE1")
    assert figures["heatmap"]["data"][0]["type"] == "heatmap"
    assert [trace["name"] for trace in figures["emotion"]["data"]] == ["PE1 · The Busy Flyer", "all"]
    assert "Stage effectiveness" in figures["notes_html"]
    with pytest.raises(WorkbenchError):
        room.figures("loudness", "")


def test_the_page_escapes_every_text_and_its_data_cannot_close_the_script(room: ParticipantRoom) -> None:
    room.act(None, "join", {"name": "<img src=x onerror=alert(1)>"})
    page = room.page("<img src=x onerror=alert(1)>")
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    data = re.search(r'<script id="wb-data" type="application/json">(.*?)</script>', page, re.S).group(1)
    assert "<" not in data and json.loads(data)["quotes"]["PP01"][1] == "Charged twice <script>alert(1)</script>"
    assert script_json("</script><!--") == '"\\u003c/script\\u003e\\u003c!--"'
    for title in ("Pain points", "Personas", "Journey", "Prioritise"):
        assert f">{title}</button>" in page
    assert "Facilitator" not in page  # the participants' page never offers the facilitator's controls


def test_people_who_left_are_forgotten_and_voila_culls_their_kernels(room: ParticipantRoom) -> None:
    import time

    from workbench.workshop.voila_app import voila_command, voila_config

    for name in ("Dana", "Lee"):
        room.act(None, "join", {"name": name})
    assert room.people_held == 2
    room._forget_idle(time.monotonic() + 3600)  # an hour without a request from either
    assert room.people_held == 0
    assert room.state("Dana")["name"] == "Dana"  # back: rebuilt from the store
    culling = voila_config()["MappingKernelManager"]
    assert culling["cull_idle_timeout"] > 0 and culling["cull_interval"] > 0 and culling["cull_connected"] is False
    command = voila_command(Path("app.ipynb"), "127.0.0.1", 8866, pool_size=3)
    assert f"--MappingKernelManager.cull_idle_timeout={culling['cull_idle_timeout']}" in command
    assert "--pool_size=3" in command


def test_the_voila_app_draws_the_journey_only_when_its_tab_opens(store: Store) -> None:
    """The lighter start of the facilitator's (and a published bundle's) app: no plotly figure is made
    while the cards are built; the Journey tab draws them when first opened."""
    from widgets.workshop.app import WorkshopApp
    from widgets.workshop.state import WorkshopState

    app = WorkshopApp(WorkshopState(demo_results(), store, "kick-off"))
    assert app.heatmap.outputs == () and app.emotion.outputs == ()
    app.tabs.selected_index = list(app.tabs.titles).index("Journey")
    assert "application/vnd.plotly.v1+json" in app.heatmap.outputs[0]["data"]
    assert "Stage effectiveness" in app.journey_notes.value
    app.stop()


def test_session_reads_pass_writes_through_and_follow_the_revision(tmp_path: Path) -> None:
    reads = SessionReads(Store(sqlite_url(tmp_path / "s.sqlite")))
    reads.join("s", "Dana")
    assert reads.people("s") == ["Dana"]
    reads.join("s", "Lee")  # the revision moves: the next read sees Lee
    reads.session_info("s")
    assert reads.people("s") == ["Dana", "Lee"]


# ------------------------------------------------------------------ start-up progress


def test_progress_follows_the_staging_folder_and_the_page_says_so(tmp_path: Path) -> None:
    staging = tmp_path / ".staging"
    assert analysis_progress(tmp_path)["done"] == 0
    staging.mkdir()
    for name in ("segments.parquet", "participants.parquet", "painpoints.parquet"):
        (staging / name).write_bytes(b"")
    progress = analysis_progress(tmp_path, since=0.0, now=42.0)
    assert progress["done"] == 1 and progress["current"] == "Finding the pain points" and progress["seconds"] == 42
    (staging / "assignments.parquet").write_bytes(b"")
    assert analysis_progress(tmp_path)["done"] == 2
    page = progress_page({"state": ANALYSING}, analysis_progress(tmp_path, since=0.0, now=5.0))
    assert "being analysed" in page and "Step 3 of 4: Personas and the journey map (5 s so far)" in page
    failed = progress_page({"state": FAILED, "message": "<nothing readable>"}, None)
    assert "&lt;nothing readable&gt;" in failed and "<nothing" not in failed
    assert read_startup_state(tmp_path / "none.json")["state"] == READY


# ------------------------------------------------------------------ the room's server over HTTP


@pytest.fixture(scope="module")
def served_results(sample_results: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("room") / "results"
    shutil.copytree(sample_results, folder, ignore=shutil.ignore_patterns("cache", "store.sqlite*", "workshop*"))
    return folder


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))


def _post(opener: urllib.request.OpenerDirector, url: str, body: dict, header: bool = True) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json", **({"X-Workbench-Room": "1"} if header else {})}
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def _ready_page(opener: urllib.request.OpenerDirector, url: str, timeout: float = 120) -> str:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with opener.open(url, timeout=60) as response:
            page = response.read().decode()
        if "wb-card" in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"no cards at {url} within {timeout:.0f} s: {page[:500]}")


def test_the_link_shows_progress_while_analysing_then_the_cards(served_results: Path) -> None:
    manifest = served_results / "manifest.json"
    saved = manifest.read_bytes()
    manifest.unlink()  # as if the analysis had not finished yet
    (served_results / ".staging").mkdir()
    (served_results / ".staging" / "segments.parquet").write_bytes(b"")
    room = start_room(served_results, session="progress", analysing="no results yet", start_facilitator=False)
    try:
        page = wait_for_http(room.url, timeout=30)
        assert "being analysed" in page and "Step 1 of 4: Reading the transcripts and feedback" in page
        with urllib.request.urlopen(room.url + "progress.json", timeout=30) as response:
            progress = json.loads(response.read())
        assert progress["state"] == "analysing" and progress["done"] == 0 and progress["seconds"] is not None
        (served_results / ".staging" / "participants.parquet").write_bytes(b"")
        with urllib.request.urlopen(room.url + "progress.json", timeout=30) as response:
            assert json.loads(response.read())["current"] == "Finding the pain points"
        shutil.rmtree(served_results / ".staging")
        manifest.write_bytes(saved)
        room.set_startup(READY)
        page = _ready_page(_opener(), room.url)
        label = str(pd.read_parquet(served_results / "painpoints.parquet").sort_values("severity").iloc[-1]["label"])
        assert label.replace("&", "&amp;") in page
    finally:
        room.stop()
        manifest.write_bytes(saved)


def test_any_other_host_needs_the_token_and_actions_need_the_header(served_results: Path) -> None:
    room = start_room(served_results, session="tokens", host="0.0.0.0", start_facilitator=False)
    base = f"http://127.0.0.1:{room.port}/"
    try:
        assert room.token and f"?token={room.token}" in room.url
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base, timeout=30)
        assert refused.value.code == 403 and "token" in refused.value.read().decode()
        person = _opener()
        _ready_page(person, f"{base}?token={room.token}")
        _ready_page(person, base)  # the cookie keeps the token
        status, answer = _post(person, base + "api/join", {"name": "Dana"}, header=False)
        assert status == 403 and "X-Workbench-Room" in answer["error"]
        status, answer = _post(person, base + "api/join", {"name": "Dana"})
        assert status == 200 and answer["person"] == "Dana"
        status, answer = _post(person, base + "api/vote", {"painpoint": "PP99"})
        assert status == 400 and "PP99" in answer["error"]
        assert "Dana · 5 of 5 dots left" in _ready_page(person, base)  # a reload: the cookie keeps the name
        stranger = _opener()
        with pytest.raises(urllib.error.HTTPError):
            stranger.open(base + "api/state", timeout=30)
    finally:
        room.stop()


def test_a_page_waiting_for_news_hears_of_a_vote_at_once(served_results: Path) -> None:
    import threading
    import time

    room = start_room(served_results, session="news", start_facilitator=False)
    try:
        assert room.wait_until_ready(timeout=120)
        dana, lee = _opener(), _opener()
        _post(dana, room.url + "api/join", {"name": "Dana"})
        _post(lee, room.url + "api/join", {"name": "Lee"})
        with lee.open(room.url + "api/state", timeout=30) as response:
            seen = json.loads(response.read())
        heard: dict = {}

        def wait_for_news() -> None:
            started = time.perf_counter()
            with lee.open(room.url + f"api/state?wait=1&since={seen['revision']}", timeout=60) as response:
                heard.update(json.loads(response.read()), seconds=time.perf_counter() - started)

        waiting = threading.Thread(target=wait_for_news)
        waiting.start()
        time.sleep(1.5)
        assert not heard  # nothing changed yet: the request waits
        top = next(iter(seen["cards"]))
        clicked = time.perf_counter()
        assert _post(dana, room.url + "api/vote", {"painpoint": top})[1]["ok"]
        waiting.join(30)
        assert heard["cards"][top] == {"count": "1 vote", "mine": 0} and heard["revision"] > seen["revision"]
        assert time.perf_counter() - clicked < 2.0  # Lee hears of Dana's vote within two seconds
    finally:
        room.stop()


def test_the_facilitator_link_leads_to_voila_and_a_wrong_token_to_the_participants_page(served_results: Path) -> None:
    room = start_room(served_results, session="facilitated")
    try:
        participant = _ready_page(_opener(), room.url + "?facilitator=not-the-token")
        assert "wb-card" in participant and "Facilitator" not in participant
        request = urllib.request.Request(room.facilitator_url)
        opener = urllib.request.build_opener(_NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(request, timeout=30)
        assert redirect.value.code == 302
        assert redirect.value.headers["Location"] == f"/facilitator/?facilitator={room.facilitator_token}"
        assert room.wait_until_facilitator_ready(timeout=240)
        page = wait_for_http(room.facilitator_url, timeout=120)  # through the room's server to Voila
        assert "/facilitator/voila/static/voila.js" in page and "There was an error when executing cell" not in page
        try:  # Voila itself, asked directly, wants its own token
            direct = urllib.request.urlopen(f"http://127.0.0.1:{room.voila_port}/facilitator/", timeout=30).read()
        except urllib.error.HTTPError:
            direct = b""
        assert b"voila/static/voila.js" not in direct
    finally:
        room.stop()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None
