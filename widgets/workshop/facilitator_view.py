"""The Facilitator tab, on the facilitator link only: results, people, lock voting, new round, dots,
hide and reveal votes, private statements, the round timer, the evidence search (the quotes nearest
a question, :mod:`widgets.search`), the consensus board place and exports.

Example:
    >>> "_render_facilitator" in vars(FacilitatorView)
    True
"""
from __future__ import annotations

from typing import Any

import ipywidgets as W

from widgets.search.view import SearchBox
from widgets.workshop.display import escape
from widgets.workshop.page import NO_MATH, SCALE, TabView, message_html, painpoint_options


class FacilitatorView(TabView):
    """The Facilitator tab (part of :class:`widgets.workshop.app.WorkshopApp`)."""

    def _build_facilitator(self) -> None:
        facilitator = self.state.facilitator
        self.facilitator_status = W.HTML()
        self.lock_button = W.Button(description="Lock voting", layout=W.Layout(width="130px"))
        self.lock_button.on_click(self._action(self._toggle_lock))
        self.round_button = W.Button(description="New round", layout=W.Layout(width="110px"))
        self.round_button.on_click(self._action(lambda _b: facilitator.new_round()))
        self.dots = W.BoundedIntText(value=facilitator.info.dots_per_person, min=1, max=50, description="Dots each",
                                     layout=W.Layout(width="160px"))
        self.dots_button = W.Button(description="Set dots", layout=W.Layout(width="90px"))
        self.dots_button.on_click(self._action(lambda _b: facilitator.set_dots(self.dots.value)))
        self.hide_votes_button = W.Button(description="Hide votes", layout=W.Layout(width="120px"),
                                          tooltip="Participants see only their own dots until you reveal the votes")
        self.hide_votes_button.on_click(self._action(self._toggle_hidden_votes))
        self.private_notes_button = W.Button(description="Make statements private", layout=W.Layout(width="190px"),
                                             tooltip="Participants see only their own statements until you reveal them")
        self.private_notes_button.on_click(self._action(self._toggle_private_notes))
        self.timer_minutes = W.BoundedIntText(value=5, min=1, max=240, description="Minutes",
                                              layout=W.Layout(width="150px"))
        self.timer_closes = W.Checkbox(value=False, description="Close voting at zero", indent=False,
                                       layout=W.Layout(width="180px"))
        self.timer_button = W.Button(description="Start timer", button_style="primary", layout=W.Layout(width="110px"))
        self.timer_button.on_click(self._action(lambda _b: self._start_timer()))
        self.stop_timer_button = W.Button(description="Stop timer", layout=W.Layout(width="100px"))
        self.stop_timer_button.on_click(self._action(lambda _b: facilitator.stop_timer()))
        options = painpoint_options(self.state.painpoints.cards)
        self.consensus_painpoint = W.Dropdown(options=options, value=options[0][1] if options else None,
                                              description="Pain point", layout=W.Layout(width="420px"))
        self.consensus_impact = W.IntSlider(value=self.state.board_defaults.get(options[0][1], 3) if options else 3,
                                            min=SCALE[0], max=SCALE[1], description="Impact")
        self.consensus_painpoint.observe(self._action(lambda change: setattr(
            self.consensus_impact, "value", self.state.board_defaults.get(change["new"], 3))), names="value")
        self.consensus_effort = W.IntSlider(value=3, min=SCALE[0], max=SCALE[1], description="Effort")
        self.consensus_button = W.Button(description="Set consensus place", layout=W.Layout(width="170px"))
        self.consensus_button.on_click(self._action(lambda _b: facilitator.place_consensus(
            self.consensus_painpoint.value, self.consensus_impact.value, self.consensus_effort.value)))
        self.save_button = W.Button(description="Save exports", tooltip="Save Markdown, HTML and CSV in the results folder",
                                    layout=W.Layout(width="120px"))
        self.save_button.on_click(self._action(lambda _b: facilitator.save_exports()))
        self.downloads = W.HTML()
        self.people = W.HTML()
        self.results_table = W.HTML()
        self.facilitator_message = W.HTML()
        self.search_box = SearchBox(self.state.search, action=self._action)
        self.facilitator_tab = W.VBox([
            self.facilitator_status,
            W.HBox([self.lock_button, self.round_button, self.dots, self.dots_button], layout=W.Layout(grid_gap="6px")),
            W.HBox([self.hide_votes_button, self.private_notes_button], layout=W.Layout(grid_gap="6px")),
            W.HBox([self.timer_minutes, self.timer_closes, self.timer_button, self.stop_timer_button],
                   layout=W.Layout(grid_gap="6px", align_items="center")),
            self.facilitator_message,
            W.HBox([W.VBox([W.HTML("<h3>Results</h3>"), self.results_table], layout=W.Layout(width="68%")),
                    W.VBox([W.HTML("<h3>People</h3>"), self.people], layout=W.Layout(width="30%"))],
                   layout=W.Layout(grid_gap="2%")),
            W.HTML("<h3>Search the evidence</h3>"), self.search_box.widget,
            W.HTML("<h3>Consensus place on the board</h3>"), self.consensus_painpoint,
            W.HBox([self.consensus_impact, self.consensus_effort, self.consensus_button]),
            W.HTML("<h3>Export</h3>"), W.HBox([self.save_button, self.downloads], layout=W.Layout(align_items="center")),
        ])

    def _toggle_lock(self, _button: Any = None) -> None:
        self._toggle("locked", "unlock", "lock")

    def _toggle_hidden_votes(self, _button: Any = None) -> None:
        self._toggle("votes_hidden", "reveal_votes", "hide_votes")

    def _toggle_private_notes(self, _button: Any = None) -> None:
        self._toggle("notes_private", "reveal_notes", "make_notes_private")

    def _toggle(self, flag: str, when_on: str, when_off: str) -> None:
        """Call the facilitator's ``when_on`` action if the session's ``flag`` is set, else ``when_off``."""
        facilitator = self.state.facilitator
        getattr(facilitator, when_on if getattr(facilitator.info, flag) else when_off)()
        self.state.vote.refresh(force=True)

    def _start_timer(self) -> None:
        self.state.facilitator.start_timer(self.timer_minutes.value, self.timer_closes.value)
        self.state.vote.refresh(force=True)

    def _render_facilitator(self) -> None:
        facilitator = self.state.facilitator
        if not self.state.is_facilitator:
            return  # a participant's kernel builds no results table or exports
        self.facilitator_status.value = f'<b>{escape(facilitator.status)}</b>'
        self.lock_button.description = "Unlock voting" if facilitator.info.locked else "Lock voting"
        self.hide_votes_button.description = "Reveal votes" if facilitator.info.votes_hidden else "Hide votes"
        self.private_notes_button.description = ("Reveal statements" if facilitator.info.notes_private
                                                 else "Make statements private")
        self.facilitator_message.value = message_html(facilitator.message)
        rows = "".join(
            f"<tr><td>{r['place']}</td><td>{escape(r['label'])}</td><td>{r['votes']}</td>"
            f"<td>{escape(r['quadrant'])}</td><td>{len(r['statements'])}</td></tr>"
            for r in facilitator.table.to_dict("records")
        )
        self.results_table.value = (f'<table class="wb-table {NO_MATH}"><tr><th>#</th><th>pain point</th><th>votes</th>'
                                    f"<th>board</th><th>HMW</th></tr>{rows}</table>")
        people = "".join(f"<tr><td>{escape(name)}</td><td>{spent} spent</td><td>{left} left</td></tr>"
                         for name, spent, left in facilitator.people_rows())
        self.people.value = f'<table class="wb-table {NO_MATH}">{people or "<tr><td>Nobody yet</td></tr>"}</table>'
        labels = {"text/markdown": "Markdown", "text/html": "HTML", "text/csv": "CSV"}
        self.downloads.value = " · ".join(
            f'<a download="{escape(d.file_name)}" href="{escape(d.url)}">Download {labels[d.mime]}</a>'
            for d in facilitator.downloads())
