"""The impact × effort board of one person: where they put each pain point, and where the group did.

:class:`BoardMixin` is part of :class:`widgets.workshop.voting.VoteState`; the group's place
(consensus, else the mean of people's latest places) comes from :mod:`workbench.workshop.results`.

Example:
    >>> BoardPoint("PP01", "Refunds", 2.0, 4.0, "thankless task", 1, False).placed_by
    '1 person'
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from workbench.storage.store import Placement, Store, WorkshopActionError, person_key
from workbench.workshop.results import BoardPosition, board_positions
from widgets.workshop.cards import PainPointCard


@dataclass(frozen=True)
class BoardPoint:
    """A pain point on the impact × effort board.

    Example:
        >>> BoardPoint("PP01", "Refunds", 4.0, 2.0, "quick win", 3, False).placed_by
        '3 people'
    """

    painpoint_id: str
    label: str
    impact: float
    effort: float
    quadrant: str
    n_people: int
    consensus: bool

    @property
    def placed_by(self) -> str:
        """"consensus", "1 person", "3 people"."""
        if self.consensus:
            return "consensus"
        return "1 person" if self.n_people == 1 else f"{self.n_people} people"


class BoardMixin:
    """One person's places on the board and the group's board (part of ``VoteState``).

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from workbench.storage.store import Store, sqlite_url
        >>> from widgets.workshop.demo import demo_results
        >>> from widgets.workshop.painpoints import PainPointsState
        >>> from widgets.workshop.voting import VoteState
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
        >>> dana = VoteState(store, "kick-off", PainPointsState(demo_results()).cards)
        >>> dana.join("Dana"), dana.place("PP01", 5, 2), [p.quadrant for p in dana.board()]
        (True, True, ['quick win'])
    """

    store: Store
    session: str
    name: str | None
    cards: list[PainPointCard]
    placements: list[Placement]
    refresh: Callable[..., bool]
    _label: Callable[[str], str]
    _require_name: Callable[[str, str], bool]
    _say: Callable[..., None]

    def my_place(self, painpoint_id: str) -> Placement | None:
        """Where this person put a pain point on the board (None when not yet)."""
        if not self.name:
            return None
        key = person_key(self.name)
        return next((p for p in self.placements if p.painpoint_id == painpoint_id and p.voter is not None
                     and person_key(p.voter) == key), None)

    def board(self) -> list[BoardPoint]:
        """Every placed pain point where the group put it (consensus, else the mean), in rank order."""
        positions: dict[str, BoardPosition] = board_positions(self.placements)
        points = []
        for card in self.cards:
            position = positions.get(card.painpoint_id)
            if position is not None:
                points.append(BoardPoint(card.painpoint_id, card.label, position.impact, position.effort,
                                         position.quadrant, position.n_people, position.consensus))
        return points

    def place(self, painpoint_id: str, impact: float, effort: float) -> bool:
        """Put a pain point on the impact × effort board (1 = low … 5 = high); the latest place wins."""
        label = self._label(painpoint_id)
        if not self._require_name("board", "placing pain points"):
            return False
        try:
            self.store.place(self.session, painpoint_id, self.name, impact, effort)
        except WorkshopActionError as error:
            self._say(str(error), "board")
            return False
        self.refresh(force=True)
        self._say(f"“{label}” placed at impact {float(impact):g}, effort {float(effort):g}.", "board")
        return True
