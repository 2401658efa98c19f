"""The workshop room for participants: everyone's page from one process, no kernel per person.

:class:`ParticipantRoom` holds the states the Voila app renders (pain-point cards with filters
and quotes, personas, journey; :mod:`widgets.workshop.state`) once for everybody, and one
:class:`~widgets.workshop.voting.VoteState` per person who joined (their name, dots, messages).
The room's server (:mod:`workbench.workshop.room_server`) asks it for the page
(:mod:`widgets.workshop.room_page`), for a person's view of the session as JSON
(:meth:`~ParticipantRoom.state`, polled every second by each page), and hands it people's clicks
(:meth:`~ParticipantRoom.act`). The store is read once per change of the session, however many
people poll (:class:`workbench.workshop.room_store.SessionReads`).

Example:
    >>> import tempfile
    >>> from workbench.storage.store import Store, sqlite_url
    >>> from widgets.workshop.demo import demo_results
    >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
    >>> _ = store.set_facilitator_token("kick-off", "facilitator-secret-123")
    >>> room = ParticipantRoom(demo_results(), store, "kick-off")
    >>> joined = room.act(None, "join", {"name": "Dana"})
    >>> joined["person"], joined["state"]["status"]
    ('Dana', 'Dana · 5 of 5 dots left · round 1 · voting open')
    >>> room.act("Dana", "vote", {"painpoint": "PP01"})["state"]["cards"]["PP01"]
    {'count': '1 vote', 'mine': 1}
"""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.share.loading import Results
from workbench.storage.store import Store, person_key
from workbench.workshop.room_store import SessionReads
from widgets.workshop.painpoints import ALL
from widgets.workshop.room_page import board_html, ranking_html, room_page, statements_html
from widgets.workshop.state import WorkshopState
from widgets.workshop.voting import VoteState

#: how often each page asks for the session (seconds)
POLL_SECONDS = 1.0
#: a person's state is dropped after this long without a request (it is rebuilt from the store)
FORGET_AFTER_SECONDS = 1800.0
ACTIONS = ("join", "vote", "unvote", "place", "statement", "star")


class ParticipantRoom:
    """Every participant's view of one workshop session, from one set of results and one store.

    Args:
        results: the saved results (:func:`workbench.share.loading.load_results`).
        store: the workshop's store.
        session: the workshop session.
        poll_seconds: how often pages ask for changes.
    """

    def __init__(self, results: Results, store: Store, session: str, poll_seconds: float = POLL_SECONDS,
                 css: str | None = None) -> None:
        if css is None:
            from widgets.workshop.page import CSS as css  # the Voila app's look
        #: the stylesheet of the page
        self.css = css
        self.reads = SessionReads(store)
        self.base = WorkshopState(results, self.reads, session)  # type: ignore[arg-type] - reads is a Store
        self.session = session
        self.poll_seconds = poll_seconds
        self.painpoints, self.personas, self.journey = self.base.painpoints, self.base.personas, self.base.journey
        self.board_defaults = self.base.board_defaults
        self.title = self.base.title
        self._people: dict[str, tuple[VoteState, float]] = {}
        self._figures: dict[tuple[str, str], dict[str, Any]] = {}
        self._fragments: dict[tuple[Any, ...], str] = {}
        self._fragments_revision = -1

    # ------------------------------------------------------------------ people

    def _new_vote_state(self) -> VoteState:
        return VoteState(self.reads, self.session, self.painpoints.cards,  # type: ignore[arg-type]
                         sees_everything=self.reads.is_facilitator(self.session, None))

    def person(self, name: str | None) -> VoteState:
        """The state of the person called ``name`` (joined again after a restart); anyone's without a name."""
        if not name or not name.strip():
            return self.base.vote
        key = person_key(name)
        found = self._people.get(key)
        if found is None:
            vote = self._new_vote_state()
            if not vote.join(name):
                return self.base.vote
            vote.message, vote.message_target = "", ""
        else:
            vote = found[0]
        now = time.monotonic()
        self._people[key] = (vote, now)
        if found is None:
            self._forget_idle(now)
        return vote

    def _forget_idle(self, now: float) -> None:
        for key, (_vote, seen) in list(self._people.items()):
            if now - seen > FORGET_AFTER_SECONDS:
                del self._people[key]

    @property
    def people_held(self) -> int:
        """How many people's states this room holds now."""
        return len(self._people)

    # ------------------------------------------------------------------ what a page shows

    def snapshot(self, vote: VoteState) -> dict[str, Any]:
        """One person's view of the session now: status, timer, counts, ranking, board, statements."""
        info = vote.info
        places = {}
        for card in self.painpoints.cards:
            place = vote.my_place(card.painpoint_id)
            if place is not None:
                places[card.painpoint_id] = [int(round(place.impact)), int(round(place.effort))]
        return {
            "revision": info.revision, "joined": vote.joined, "name": vote.name, "status": vote.status,
            "timer": {"seconds_left": info.seconds_left(), "close_at_time_up": info.close_at_time_up},
            "locked": info.locked, "votes_hidden": vote.votes_hidden,
            "cards": {c.painpoint_id: {"count": vote.count_text(c.painpoint_id), "mine": vote.my_count(c.painpoint_id)}
                      for c in self.painpoints.cards},
            "ranking_html": self._shared(vote, ("ranking", vote.votes_hidden), lambda: ranking_html(vote)),
            "board_html": self._shared(vote, ("board",), lambda: board_html(vote)),
            "statements_html": self._shared(vote, ("statements", vote.notes_private and person_key(vote.name or "")),
                                            lambda: statements_html(vote, self.painpoints.cards)),
            "my_places": places,
            "stars": {quote_id: vote.star_text(quote_id) for quote_id in {*vote.star_counts, *vote.my_stars}},
        }

    def _shared(self, vote: VoteState, key: tuple[Any, ...], make: Callable[[], str]) -> str:
        """A fragment everyone at the same revision sees alike, made once per revision (a rush of 30 people)."""
        revision = vote._revision
        if self._fragments_revision != revision:
            self._fragments_revision, self._fragments = revision, {}
        if key not in self._fragments:
            self._fragments[key] = make()
        return self._fragments[key]

    def page(self, name: str | None) -> str:
        """The whole page for the person called ``name`` (anyone's without a name)."""
        vote = self.person(name)
        vote.refresh()
        self.painpoints.clear_filters()  # the filters are shared: a new page starts with none (its own come per request)
        return room_page(self, vote, self.snapshot(vote), self.css)

    def state(self, name: str | None, since: int | None = None) -> dict[str, Any]:
        """A person's view of the session, or ``{"revision": n, "same": True}`` when nothing changed since ``since``.

        Example:
            >>> import tempfile
            >>> from workbench.storage.store import Store, sqlite_url
            >>> from widgets.workshop.demo import demo_results
            >>> room = ParticipantRoom(demo_results(), Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite")), "s")
            >>> first = room.state(None); room.state(None, since=first["revision"])["same"]
            True
        """
        vote = self.person(name)
        vote.refresh()
        if since is not None and since == vote.info.revision:
            return {"revision": vote.info.revision, "same": True}
        return self.snapshot(vote)

    def cards(self, filters: dict[str, str]) -> dict[str, Any]:
        """The cards that pass the filters (persona, segment, touchpoint, stage, search) and their quotes.

        Raises:
            WorkbenchError: a persona or segment the results do not have.
        """
        state = self.painpoints
        state.set_filters(persona=filters.get("persona") or ALL, segment=filters.get("segment") or ALL,
                          touchpoint=filters.get("touchpoint") or ALL, stage=filters.get("stage") or ALL,
                          search=filters.get("search") or "")
        visible = [c.painpoint_id for c in state.visible_cards()]
        quotes = {pid: state.quotes(pid) for pid in visible}
        return {"visible": visible, "quotes": quotes, "summary": state.summary,
                "quote_ids": {pid: self.quote_ids(pid, texts) for pid, texts in quotes.items()}}

    def quote_ids(self, painpoint_id: str, quotes: Sequence[str]) -> list[str]:
        """The passage ids of a card's quotes ("" where the results do not name one): what a star marks."""
        card = self.painpoints.card(painpoint_id)
        known = dict(zip(card.quotes, card.quote_ids))
        units = self.painpoints._units  # the filters' quotes come from here
        found = units[units["painpoint_id"] == painpoint_id].drop_duplicates("text").set_index("text")["passage_id"]
        return [known.get(text) or str(found.get(text, "")) for text in quotes]

    def figures(self, value: str, persona: str) -> dict[str, Any]:
        """The journey heatmap and emotion curve (plotly JSON) and the notes under them.

        Raises:
            WorkbenchError: an unknown colour value or persona.
        """
        key = (value, persona or ALL)
        if key not in self._figures:
            from widgets.workshop.display import escape

            state = self.journey
            state.set_value(value)
            state.set_persona(persona or ALL)
            heatmap, emotion = state.heatmap_figure(), state.emotion_figure()
            scores = "".join(f"<tr><td>{escape(stage)}</td><td>{score:.0f}</td></tr>" for stage, score in state.effectiveness())
            hotspots = "".join(f"<li>{escape(line)}</li>" for line in state.hotspots())
            notes = (
                '<div class="tex2jax_ignore mathjax_ignore" style="display:grid;grid-template-columns:1fr 2fr;gap:16px">'
                '<div><b>Stage effectiveness</b> <span class="wb-muted">(0 broken – 100 delightful)</span>'
                f'<table class="wb-table">{scores}</table></div>'
                f"<div><b>Where it hurts most</b><ul>{hotspots or '<li>–</li>'}</ul></div></div>")
            self._figures[key] = {"heatmap": _plotly_json(heatmap), "emotion": _plotly_json(emotion), "notes_html": notes}
        return self._figures[key]

    # ------------------------------------------------------------------ what people do

    def act(self, name: str | None, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Do what a person clicked; return whether it worked, the message, where it belongs, their state,
        and (for ``join``) the name to remember them by.

        Raises:
            WorkbenchError: an unknown action or pain point.
        """
        if action not in ACTIONS:
            raise WorkbenchError(f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
        if action == "join":
            wanted = str(payload.get("name") or "")
            found = self._people.get(person_key(wanted)) if wanted.strip() else None
            vote = found[0] if found else self._new_vote_state()
            ok = vote.join(wanted)
            if ok:
                self._people[person_key(vote.name or wanted)] = (vote, time.monotonic())
            return self._answer(vote, ok, person=vote.name if ok else None)
        vote = self.person(name)
        painpoint = str(payload.get("painpoint") or "")
        if action == "vote":
            ok = vote.vote(painpoint)
        elif action == "unvote":
            ok = vote.unvote(painpoint)
        elif action == "place":
            ok = vote.place(painpoint, _number(payload.get("impact"), "impact"), _number(payload.get("effort"), "effort"))
        elif action == "star":  # on, or off again
            quote = str(payload.get("quote") or "")
            before = quote in vote.my_stars
            vote.toggle_star(painpoint, quote)
            ok = (quote in vote.my_stars) != before
        else:
            quote = str(payload.get("quote") or "")
            ok = vote.add_statement(painpoint, str(payload.get("text") or ""), [quote] if quote else [])
        return self._answer(vote, ok)

    def _answer(self, vote: VoteState, ok: bool, person: str | None = None) -> dict[str, Any]:
        answer = {"ok": ok, "message": vote.message, "target": vote.message_target, "state": self.snapshot(vote)}
        if vote is self.base.vote:  # anyone's state: its message is for this answer only
            vote.message, vote.message_target = "", ""
        if person is not None:
            answer["person"] = person
        return answer

    def revision(self) -> int:
        """The session's revision now (it grows with every change anyone makes)."""
        return self.reads.session_info(self.session).revision

    def is_facilitator(self, token: str | None) -> bool:
        """Whether ``token`` is the session's facilitator token."""
        return bool(token) and self.reads.is_facilitator(self.session, token)


def _number(value: Any, name: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise WorkbenchError(f"{name} must be a number from 1 to 5; got {value!r}") from None


def _plotly_json(figure: Any) -> dict[str, Any] | None:
    import json

    if figure is None:
        return None
    spec = json.loads(figure.to_json())
    return {"data": spec.get("data", []), "layout": spec.get("layout", {}),
            "config": {"displaylogo": False, "responsive": True}}


def open_room(results_dir: Path | str, session: str, store_url: str | None = None) -> ParticipantRoom:
    """The room of a results folder (its saved results, its store; no model is loaded).

    Raises:
        WorkbenchError: the folder holds no results.

    Example:
        >>> open_room("/nowhere", "kick-off")
        Traceback (most recent call last):
        ...
        workbench.errors.WorkbenchError: /nowhere: no such results folder; run `workbench analyze STUDY` first (or pass --results)
    """
    from workbench.share.loading import load_results
    from workbench.storage.locations import store_url as default_store_url

    results = load_results(results_dir)
    return ParticipantRoom(results, Store(store_url or default_store_url(Path(results_dir))), session)
