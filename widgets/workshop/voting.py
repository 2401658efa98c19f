"""One person's part in the workshop: their name, dots and votes, with everyone's counts and the
ranking by votes; their statements (:mod:`widgets.workshop.statements`) and board places
(:mod:`widgets.workshop.board`) are mixed in.

Example:
    >>> RankedPainPoint(2, "PP02", "Refunds take weeks", 1).votes_text
    '1 vote'
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from workbench.errors import WorkbenchError
from workbench.storage.store import HmwStatement, Placement, Store, WorkshopActionError, WorkshopSession, person_key
from workbench.workshop.app_data import rank_by_votes
from widgets.workshop.board import BoardMixin
from widgets.workshop.cards import PainPointCard
from widgets.workshop.display import timer_text, votes_text
from widgets.workshop.session import SessionReader, request_id
from widgets.workshop.statements import StatementsMixin

#: what a participant's card shows instead of the count while the votes are hidden
HIDDEN_VOTES_TEXT = "votes hidden"


@dataclass(frozen=True)
class RankedPainPoint:
    """A pain point in the ranking by votes.

    Example:
        >>> RankedPainPoint(1, "PP01", "Refunds", 4).votes_text
        '4 votes'
    """

    place: int
    painpoint_id: str
    label: str
    votes: int

    @property
    def votes_text(self) -> str:
        """"N vote" / "N votes"."""
        return votes_text(self.votes)


class VoteState(StatementsMixin, BoardMixin, SessionReader):
    """One person's part in the workshop: their name, their dots, votes, "How might we…"
    statements and impact × effort places, plus everyone's counts from the store.

    The name is asked once (:meth:`join`); nothing can be voted before. The store refuses a
    dot the person does not have, so two browser tabs of one person cannot overspend either.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from workbench.storage.store import Store, sqlite_url
        >>> from widgets.workshop.demo import demo_results
        >>> from widgets.workshop.painpoints import PainPointsState
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
        >>> cards = PainPointsState(demo_results()).cards
        >>> dana = VoteState(store, "kick-off", cards, dots_per_person=1)
        >>> dana.vote("PP01"), dana.message
        (False, 'Type your name and press Join before voting.')
        >>> dana.join("Dana"), dana.vote("PP01"), dana.vote("PP02")
        (True, True, False)
        >>> dana.message
        'Dana, you have no dots left in round 1. Use “Take back” on a card to move a dot.'
    """

    def __init__(self, store: Store, session: str, cards: Sequence[PainPointCard],
                 dots_per_person: int | None = None, sees_everything: bool = True) -> None:
        self.store = store
        self.session = session
        #: the facilitator sees all votes and statements even while they are hidden from participants
        self.sees_everything = sees_everything
        self.cards = list(cards)
        self._labels = {card.painpoint_id: card.label for card in self.cards}
        self.info: WorkshopSession = store.open_session(session, dots_per_person)
        self.name: str | None = None
        self.message = ""
        #: where the message belongs: "join", a pain point id, "board", "statements" or ""
        self.message_target = ""
        self.counts: dict[str, int] = {}
        self.my_votes: dict[str, int] = {}
        self.statements: list[HmwStatement] = []
        self.placements: list[Placement] = []
        self.people: list[str] = []
        #: quote id -> how many people starred it; this person's starred quote ids
        self.star_counts: dict[str, int] = {}
        self.my_stars: set[str] = set()
        self._revision = -1
        self.refresh(force=True)

    # -------------------------------------------------------------- reading

    def _reload(self) -> None:
        # while hidden, a participant's kernel does not even read the others' votes or statements
        self.counts = {} if self.votes_hidden else self.store.vote_counts(self.session)
        self.my_votes = self.store.votes_of(self.session, self.name) if self.name else {}
        statements = self.store.statements(self.session)
        if self.notes_private:
            mine = person_key(self.name) if self.name else None
            statements = [s for s in statements if mine is not None and person_key(s.author) == mine]
        self.statements = statements
        self.placements = self.store.placements(self.session)
        self.people = self.store.people(self.session)
        starred = self.store.starred_quotes(self.session)
        self.star_counts = {q.quote_id: q.stars for q in starred}
        mine = person_key(self.name) if self.name else None
        self.my_stars = {q.quote_id for q in starred if mine in {person_key(p) for p in q.people}}

    @property
    def votes_hidden(self) -> bool:
        """This person cannot see the totals now: the facilitator hid the votes (and this is not the facilitator)."""
        return self.info.votes_hidden and not self.sees_everything

    @property
    def notes_private(self) -> bool:
        """This person sees only their own statements now (the facilitator has not revealed the others')."""
        return self.info.notes_private and not self.sees_everything

    def timer_text(self, now: datetime | None = None) -> str:
        """The round countdown ("Time left 4:59", "Time's up", "" without a timer)."""
        return timer_text(self.info, now)

    @property
    def joined(self) -> bool:
        """Whether this person has given their name."""
        return self.name is not None

    @property
    def votes_left(self) -> int:
        """Dots this person may still spend in this round (all of them before joining)."""
        return max(0, self.info.dots_per_person - sum(self.my_votes.values()))

    @property
    def status(self) -> str:
        """One line about this person and the session, e.g. "Dana · 3 of 5 dots left · round 1 · voting open"."""
        state = "voting locked" if self.info.locked else "voting open"
        if self.info.votes_hidden:
            state += " · votes hidden until the facilitator reveals them"
        if not self.joined:
            return f"{self.info.dots_per_person} dots each · round {self.info.round} · {state}"
        return f"{self.name} · {self.votes_left} of {self.info.dots_per_person} dots left · round {self.info.round} · {state}"

    def count(self, painpoint_id: str) -> int:
        """Everyone's dots on a pain point in this round."""
        return int(self.counts.get(painpoint_id, 0))

    def count_text(self, painpoint_id: str) -> str:
        """"N vote" / "N votes" for a card ("votes hidden" while the facilitator hides them from this person)."""
        if self.votes_hidden:
            return HIDDEN_VOTES_TEXT
        return votes_text(self.count(painpoint_id))

    def my_count(self, painpoint_id: str) -> int:
        """This person's dots on a pain point."""
        return int(self.my_votes.get(painpoint_id, 0))

    def ranking(self) -> list[RankedPainPoint]:
        """Every pain point by votes (most first; ties in severity order); empty while the votes are hidden."""
        if self.votes_hidden:
            return []
        ordered = rank_by_votes(self.cards, self.counts)
        return [RankedPainPoint(i, c.painpoint_id, c.label, self.count(c.painpoint_id))
                for i, c in enumerate(ordered, start=1)]

    # -------------------------------------------------------------- actions

    def _say(self, message: str, target: str = "") -> None:
        self.message, self.message_target = message, target

    def join(self, name: str) -> bool:
        """Give this person's name (once); return whether it was accepted."""
        try:
            self.name = self.store.join(self.session, name)
        except WorkshopActionError as error:
            self._say(f"Please type your name first ({error}).", "join")
            return False
        self.refresh(force=True)
        self._say(f"Welcome, {self.name}: you have {self.votes_left} of {self.info.dots_per_person} dots "
                  "to put on the pain points that matter most.", "join")
        return True

    def _require_name(self, target: str, doing: str) -> bool:
        if self.joined:
            return True
        self._say(f"Type your name and press Join before {doing}.", target)
        return False

    def _label(self, painpoint_id: str) -> str:
        if painpoint_id not in self._labels:
            raise WorkbenchError(f"no pain point {painpoint_id!r} in these results")
        return self._labels[painpoint_id]

    def vote(self, painpoint_id: str) -> bool:
        """Put one dot on a pain point; return whether it was placed (the message says why not)."""
        label = self._label(painpoint_id)
        if not self._require_name(painpoint_id, "voting"):
            return False
        outcome = self.store.cast_vote(self.session, painpoint_id, self.name or "", request_id=request_id())
        self.refresh(force=True)
        if outcome.placed:
            self._say(f"Dot placed on “{label}”; {outcome.votes_left} of {self.info.dots_per_person} left.",
                      painpoint_id)
        elif outcome.reason == "no dots left":
            self._say(f"{self.name}, you have no dots left in round {self.info.round}. "
                      "Use “Take back” on a card to move a dot.", painpoint_id)
        elif outcome.reason == "time is up":
            self._say("Time is up: voting is closed for this round.", painpoint_id)
        else:
            self._say("Voting is locked by the facilitator.", painpoint_id)
        return outcome.placed

    def star_text(self, quote_id: str) -> str:
        """The star button's words for a quote: "☆ Star quote", "★ Starred (3)"."""
        if not quote_id:
            return "☆ Star quote"
        n = self.star_counts.get(quote_id, 0)
        count = f" ({n})" if n else ""
        return f"★ Starred{count}" if quote_id in self.my_stars else f"☆ Star quote{count}"

    def toggle_star(self, painpoint_id: str, quote_id: str) -> bool:
        """Star the quote a card shows as proof of its pain point, or take the star back; return whether it is starred now."""
        self._label(painpoint_id)
        if not self._require_name(painpoint_id, "starring quotes"):
            return False
        if not quote_id:
            self._say("This quote has no id in the results, so it cannot be starred.", painpoint_id)
            return False
        starred = quote_id not in self.my_stars
        self.store.star_quote(self.session, quote_id, painpoint_id, self.name or "", starred=starred)
        self.refresh(force=True)
        self._say("Quote starred: it will be cited in the results." if starred else "Star taken back.", painpoint_id)
        return starred

    def unvote(self, painpoint_id: str) -> bool:
        """Take back one of this person's dots on a pain point; return whether one was taken back."""
        label = self._label(painpoint_id)
        if not self._require_name(painpoint_id, "voting"):
            return False
        taken = self.store.remove_vote(self.session, painpoint_id, self.name or "", request_id=request_id())
        self.refresh(force=True)
        if taken:
            self._say(f"Dot taken back from “{label}”; {self.votes_left} left.", painpoint_id)
        elif self.info.close_at_time_up and self.info.time_is_up:
            self._say("Time is up: voting is closed for this round.", painpoint_id)
        elif self.info.locked:
            self._say("Voting is locked by the facilitator.", painpoint_id)
        else:
            self._say(f"You have no dot on “{label}” to take back.", painpoint_id)
        return taken
