"""The Facilitator tab's state: the session's results (ranked by votes), who voted, exports
(Markdown, HTML, CSV), lock voting, new round, hidden votes, private statements, the round
timer and the consensus board place. Every action carries the facilitator token; the store checks it.

Example:
    >>> Download("kick-off-round-1.md", "text/markdown", "data:,").mime
    'text/markdown'
"""
from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.errors import WorkbenchError
from workbench.storage.store import Store, WorkshopActionError, WorkshopSession
from workbench.workshop.app_data import read_session_results
from workbench.workshop.results import EXPORT_FORMATS, render_results, write_results
from workbench.workshop.starred import starred_quote_table
from widgets.workshop.display import timer_text
from widgets.workshop.session import SessionReader

EXPORT_MIME = {"markdown": "text/markdown", "html": "text/html", "csv": "text/csv"}
EXPORT_SUFFIX = {"markdown": ".md", "html": ".html", "csv": ".csv"}


@dataclass(frozen=True)
class Download:
    """An export the browser can save: a file name and a ``data:`` URL.

    Example:
        >>> Download("kick-off.csv", "text/csv", "data:text/csv;base64,YQ==").file_name
        'kick-off.csv'
    """

    file_name: str
    mime: str
    url: str


def _safe_file_stem(name: str) -> str:
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name.strip()).strip("-")
    return stem or "workshop"


class FacilitatorState(SessionReader):
    """What the facilitator sees and does: results of the session (ranked by votes), who
    voted, exports (Markdown, HTML, CSV), lock voting, new round, the consensus board place.

    Example:
        >>> import tempfile
        >>> from workbench.storage.store import Store, sqlite_url
        >>> from widgets.workshop.demo import demo_results
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
        >>> _ = store.add_vote("kick-off", "PP02", "Dana")
        >>> facilitator = FacilitatorState(store, "kick-off", demo_results().painpoints, study="Skylark")
        >>> facilitator.table["painpoint_id"].tolist()
        ['PP02', 'PP01']
        >>> facilitator.lock(); facilitator.info.locked
        True
        >>> facilitator.export("csv").splitlines()[1].startswith("1,PP02,Refunds take weeks,1,")
        True
    """

    def __init__(self, store: Store, session: str, painpoints: pd.DataFrame, study: str = "",
                 export_dir: Path | str | None = None, token: str | None = None,
                 passages: pd.DataFrame | None = None, segments: pd.DataFrame | None = None) -> None:
        self.store = store
        self.session = session
        #: the facilitator link's token: every action below passes it, and the store checks it
        self.token = token
        self.painpoints = painpoints
        self.study = study
        self.export_dir = None if export_dir is None else Path(export_dir)
        self.message = ""
        self.info: WorkshopSession = store.session_info(session)
        self.table = pd.DataFrame()
        #: the quotes starred in the session, cited with participant and source (``passages``/``segments``)
        self.passages, self.segments = passages, segments
        self.starred = pd.DataFrame()
        self.dots_spent: dict[str, int] = {}
        self._revision = -1
        self.refresh(force=True)

    def _reload(self) -> None:
        self.table = read_session_results(self.store, self.session, self.painpoints)
        self.starred = starred_quote_table(self.store, self.session, self.passages, self.segments)
        self.dots_spent = self.store.dots_spent(self.session)

    @property
    def status(self) -> str:
        """"Round 2 · voting open · 5 dots each · 4 people, 17 dots spent" (+ "· votes hidden", "· statements private")."""
        people = len(self.dots_spent)
        extra = (" · votes hidden" if self.info.votes_hidden else "") + (
            " · statements private" if self.info.notes_private else "")
        return (f"Round {self.info.round} · {'voting locked' if self.info.locked else 'voting open'} · "
                f"{self.info.dots_per_person} dots each · {people} {'person' if people == 1 else 'people'}, "
                f"{sum(self.dots_spent.values())} dots spent{extra}")

    def _facilitate(self, action: Any, done: str) -> bool:
        """Run one facilitator action on the store; say what happened (or why not) in ``message``."""
        try:
            action()
        except (WorkshopActionError, ValueError) as error:
            self.message = str(error)
            return False
        self.refresh(force=True)
        self.message = done
        return True

    def hide_votes(self) -> bool:
        """Hide the votes: participants see only their own dots (no totals, no ranking) until :meth:`reveal_votes`."""
        return self._facilitate(lambda: self.store.hide_votes(self.session, True, facilitator_token=self.token),
                                "Votes are hidden: each participant sees only their own dots.")

    def reveal_votes(self) -> bool:
        """Show everyone the totals and the ranking again."""
        return self._facilitate(lambda: self.store.hide_votes(self.session, False, facilitator_token=self.token),
                                "Votes revealed to everyone.")

    def make_notes_private(self) -> bool:
        """Keep "How might we…" statements private: each participant sees only their own."""
        return self._facilitate(lambda: self.store.set_notes_private(self.session, True, facilitator_token=self.token),
                                "Statements are private: each participant sees only their own.")

    def reveal_notes(self) -> bool:
        """Show everyone's statements to everyone."""
        return self._facilitate(lambda: self.store.set_notes_private(self.session, False, facilitator_token=self.token),
                                "Statements revealed to everyone.")

    def start_timer(self, minutes: float, close_voting: bool = False) -> bool:
        """Start a round timer every app counts down; with ``close_voting`` votes stop at zero."""
        closing = " Voting closes at zero." if close_voting else ""
        return self._facilitate(
            lambda: self.store.start_timer(self.session, minutes, close_voting, facilitator_token=self.token),
            f"Timer started: {float(minutes):g} minutes.{closing}")

    def stop_timer(self) -> bool:
        """Stop the round timer."""
        return self._facilitate(lambda: self.store.stop_timer(self.session, facilitator_token=self.token),
                                "Timer stopped.")

    def timer_text(self, now: datetime | None = None) -> str:
        """The round countdown ("" without a timer)."""
        return timer_text(self.info, now)

    def people_rows(self) -> list[tuple[str, int, int]]:
        """(name, dots spent, dots left) of everyone who joined."""
        dots = self.info.dots_per_person
        return [(name, spent, max(0, dots - spent)) for name, spent in self.dots_spent.items()]

    def lock(self) -> None:
        """Freeze voting (nobody can add or take back a dot)."""
        self._facilitate(lambda: self.store.lock_voting(self.session, True, facilitator_token=self.token),
                         "Voting is locked.")

    def unlock(self) -> None:
        """Reopen voting."""
        self._facilitate(lambda: self.store.lock_voting(self.session, False, facilitator_token=self.token),
                         "Voting is open again.")

    def new_round(self) -> int:
        """Start the next round: fresh dots for everyone, voting open; earlier rounds stay stored."""
        try:
            number = self.store.new_round(self.session, facilitator_token=self.token)
        except WorkshopActionError as error:
            self.message = str(error)
            return self.info.round
        self.refresh(force=True)
        self.message = f"Round {number} started: everyone has {self.info.dots_per_person} fresh dots."
        return number

    def set_dots(self, dots: int) -> None:
        """Change the dots each person has per round."""
        try:
            self.store.set_dots_per_person(self.session, int(dots), facilitator_token=self.token)
        except (WorkshopActionError, ValueError) as error:
            self.message = str(error)
            return
        self.refresh(force=True)
        self.message = f"Everyone now has {self.info.dots_per_person} dots per round."

    def place_consensus(self, painpoint_id: str, impact: float, effort: float) -> bool:
        """Set the group's agreed place of a pain point on the board (shown instead of the mean)."""
        try:
            self.store.place(self.session, painpoint_id, None, impact, effort, facilitator_token=self.token)
        except WorkshopActionError as error:
            self.message = str(error)
            return False
        self.refresh(force=True)
        self.message = f"Consensus place of {painpoint_id} saved."
        return True

    def export(self, fmt: str) -> str:
        """The results as text: ``"markdown"``, ``"html"`` or ``"csv"``."""
        return render_results(self.table, self.info, fmt, self.study, list(self.dots_spent), starred=self.starred)

    def file_name(self, fmt: str) -> str:
        """The export's file name, e.g. ``kick-off-round-1.md``."""
        if fmt not in EXPORT_SUFFIX:
            raise WorkbenchError(f"unknown export format {fmt!r}; use markdown, html or csv")
        return f"{_safe_file_stem(self.session)}-round-{self.info.round}{EXPORT_SUFFIX[fmt]}"

    def downloads(self) -> list[Download]:
        """The three exports as ``data:`` URLs a browser can save without a server round-trip."""
        items = []
        for fmt in ("markdown", "html", "csv"):
            data = base64.b64encode(self.export(fmt).encode("utf-8")).decode("ascii")
            items.append(Download(self.file_name(fmt), EXPORT_MIME[fmt],
                                  f"data:{EXPORT_MIME[fmt]};charset=utf-8;base64,{data}"))
        return items

    def save_exports(self, folder: Path | str | None = None) -> list[Path]:
        """Write the three exports to ``folder`` (default: the export folder); return their paths."""
        target = Path(folder) if folder is not None else self.export_dir
        if target is None:
            raise WorkbenchError("no folder to save the exports in; pass one")
        people = list(self.dots_spent)
        paths = [write_results(target / self.file_name(fmt), self.table, self.info, self.study, people,
                               starred=self.starred)
                 for fmt in ("markdown", "html", "csv")]
        assert all(p.suffix in EXPORT_FORMATS for p in paths)
        self.message = "Saved " + ", ".join(p.name for p in paths) + f" in {target}."
        return paths
