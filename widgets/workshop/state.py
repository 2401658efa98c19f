"""The workshop app's state: the per-tab states composed for one results folder and session.

No ipywidgets here (DESIGN.md §4): a view renders one of these objects and forwards user
actions to it, so tests drive the whole app without a browser. Shared state (votes,
statements, placements, the lock and the round) lives in the store; ``refresh()`` re-reads
it when its revision moved, so what other people do in their kernels appears here.

* :class:`~widgets.workshop.painpoints.PainPointsState` — ranked pain-point cards, filters, text
  search, quote stepping (the cards: :mod:`widgets.workshop.cards`).
* :class:`~widgets.workshop.personas.PersonasState` — persona cards.
* :class:`~widgets.workshop.journey.JourneyState` — the journey heatmap and the per-persona emotion curve.
* :class:`~widgets.workshop.voting.VoteState` — one person's dots and votes, with their "How might we…"
  statements (:mod:`widgets.workshop.statements`) and board places (:mod:`widgets.workshop.board`).
* :class:`~widgets.workshop.facilitator.FacilitatorState` — session results, exports, lock voting, new
  round, hidden votes, private statements, the round timer (its actions carry the facilitator
  token; the store checks it).
* :class:`~widgets.search.state.SearchState` — the facilitator's search of the evidence by meaning.
* :class:`WorkshopState` — all five for one results folder and session (:func:`open_workshop`).

The results logic behind them (order, quotes, impact scaling, ranking) is in
:mod:`workbench.workshop.app_data`; a tiny result set for examples is :mod:`widgets.workshop.demo`.

Example:
    >>> import tempfile
    >>> from workbench.storage.store import Store, sqlite_url
    >>> from widgets.workshop.demo import demo_results
    >>> results = demo_results()
    >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
    >>> app = WorkshopState(results, store, "kick-off")
    >>> [card.label for card in app.painpoints.visible_cards()]
    ['Payment taken, no confirmation', 'Refunds take weeks']
    >>> app.vote.join("Dana"), app.vote.vote("PP01"), app.vote.count_text("PP01")
    (True, True, '1 vote')
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.share.loading import Results, load_results
from workbench.storage.locations import store_url as default_store_url
from workbench.storage.store import DEFAULT_WORKSHOP_SESSION, Store
from workbench.workshop.app_data import default_impacts
from widgets.search.state import SearchState
from widgets.workshop.facilitator import FacilitatorState
from widgets.workshop.journey import JourneyState
from widgets.workshop.painpoints import PainPointsState
from widgets.workshop.personas import PersonasState
from widgets.workshop.voting import VoteState

#: the session a workshop uses unless told otherwise (WORKBENCH_SESSION)
DEFAULT_SESSION = DEFAULT_WORKSHOP_SESSION


@dataclass
class WorkshopState:
    """All five views' states for one results folder and one workshop session.

    Example:
        >>> import tempfile
        >>> from workbench.storage.store import Store, sqlite_url
        >>> from widgets.workshop.demo import demo_results
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
        >>> app = WorkshopState(demo_results(), store, "kick-off")
        >>> app.title
        'Skylark Travel · workshop “kick-off”'
    """

    results: Results
    store: Store
    session: str = DEFAULT_SESSION
    dots_per_person: int | None = None
    #: the token of the facilitator link (``?facilitator=…``); None for a participant
    facilitator_token: str | None = None
    painpoints: PainPointsState = field(init=False)
    personas: PersonasState = field(init=False)
    journey: JourneyState = field(init=False)
    vote: VoteState = field(init=False)
    facilitator: FacilitatorState = field(init=False)
    #: the facilitator's evidence search (opened, and its model loaded, on the first question only)
    search: SearchState = field(init=False)

    def __post_init__(self) -> None:
        self.painpoints = PainPointsState(self.results)
        self.personas = PersonasState(self.results)
        self.journey = JourneyState(self.results)
        self.vote = VoteState(self.store, self.session, self.painpoints.cards, self.dots_per_person,
                              sees_everything=self.store.is_facilitator(self.session, self.facilitator_token))
        export_dir = Path(self.results.results_dir) / "workshop"
        self.facilitator = FacilitatorState(self.store, self.session, self.results.painpoints,
                                            self.results.study_name, export_dir, token=self.facilitator_token,
                                            passages=self.results.passages, segments=self.results.segments)
        #: where each pain point's impact slider starts (measured impact scaled 1..5, else 3)
        self.board_defaults = default_impacts(self.painpoints.cards)
        self.search = SearchState(self.results.results_dir)

    @property
    def is_facilitator(self) -> bool:
        """Whether this person holds the facilitator link (everyone does in a session without a token)."""
        return self.vote.sees_everything

    def set_facilitator_token(self, token: str | None) -> bool:
        """Take the role the token gives (the facilitator's, or a participant's); return whether it is the facilitator's.

        Example:
            >>> import tempfile
            >>> from workbench.storage.store import Store, sqlite_url
            >>> from widgets.workshop.demo import demo_results
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
            >>> _ = store.set_facilitator_token("kick-off", "facilitator-secret-123")
            >>> app = WorkshopState(demo_results(), store, "kick-off")
            >>> app.is_facilitator, app.set_facilitator_token("facilitator-secret-123")
            (False, True)
        """
        self.facilitator_token = token or None
        self.facilitator.token = self.facilitator_token
        self.vote.sees_everything = self.store.is_facilitator(self.session, self.facilitator_token)
        self.vote.refresh(force=True)
        return self.vote.sees_everything

    @property
    def title(self) -> str:
        """"Study · workshop “session”"."""
        return f"{self.results.study_name} · workshop “{self.session}”"

    def refresh(self) -> bool:
        """Re-read the store for every view; return whether anything changed."""
        changed_votes = self.vote.refresh()
        # a participant's kernel does not rebuild the facilitator's results table on every change
        changed_results = self.facilitator.refresh() if self.is_facilitator else False
        return changed_votes or changed_results


def open_workshop(results_dir: Path | str | None = None, session: str | None = None,
                  store_url: str | None = None, dots_per_person: int | None = None,
                  facilitator_token: str | None = None) -> WorkshopState:
    """The workshop of a results folder: its saved results and its store (no model is loaded).

    Args:
        results_dir: the results folder (default: ``WORKBENCH_RESULTS``).
        session: the workshop session (default: ``WORKBENCH_SESSION``, else ``"workshop"``).
        store_url: the store (default: ``WORKBENCH_STORE``, else ``store.sqlite`` in the results folder).

    Raises:
        WorkbenchError: no results folder given, or it holds no analysis.

    Example:
        >>> open_workshop("/nowhere")
        Traceback (most recent call last):
        ...
        workbench.errors.WorkbenchError: /nowhere: no such results folder; run `workbench analyze STUDY` first (or pass --results)
    """
    folder = results_dir or os.environ.get("WORKBENCH_RESULTS")
    if not folder:
        raise WorkbenchError("no results folder: set WORKBENCH_RESULTS or pass results_dir (STUDY/.workbench)")
    results = load_results(folder)
    name = session or os.environ.get("WORKBENCH_SESSION") or DEFAULT_SESSION
    store = Store(store_url or default_store_url(Path(folder)))
    return WorkshopState(results, store, name, dots_per_person, facilitator_token)
