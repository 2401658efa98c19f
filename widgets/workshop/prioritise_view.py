"""The Prioritise tab: the ranking by votes, the impact × effort board and "How might we…" statements.

Example:
    >>> "_render_prioritise" in vars(PrioritiseView)
    True
"""
from __future__ import annotations

from typing import Any

import ipywidgets as W

from workbench.workshop.app_data import board_impact_note
from widgets.workshop.cards import PainPointCard
from widgets.workshop.display import escape
from widgets.workshop.page import NO_MATH, SCALE, TabView, message_html, painpoint_options


class PrioritiseView(TabView):
    """The Prioritise tab (part of :class:`widgets.workshop.app.WorkshopApp`)."""

    def _build_prioritise(self) -> None:
        options = painpoint_options(self.state.painpoints.cards)
        first = options[0][1] if options else None
        self.ranking = W.HTML()
        self.board_painpoint = W.Dropdown(options=options, value=first, description="Pain point",
                                          layout=W.Layout(width="420px"))
        self.impact = W.IntSlider(value=self.state.board_defaults.get(first, 3) if first else 3, min=SCALE[0],
                                  max=SCALE[1], description="Impact", layout=W.Layout(width="300px"))
        self.effort = W.IntSlider(value=3, min=SCALE[0], max=SCALE[1], description="Effort",
                                  layout=W.Layout(width="300px"))
        self.place_button = W.Button(description="Place on board", button_style="primary",
                                     layout=W.Layout(width="130px"))
        self.place_button.on_click(self._action(lambda _b: self.state.vote.place(
            self.board_painpoint.value, self.impact.value, self.effort.value)))
        self.board_painpoint.observe(self._action(lambda _c: self._show_my_place()), names="value")
        self.board = W.HTML()
        self.board_message = W.HTML()
        self.board_note = W.HTML(f'<span class="wb-muted">{escape(board_impact_note(self.state.painpoints.cards))}'
                                 "</span>")
        self.hmw_painpoint = W.Dropdown(options=options, value=first, description="Pain point",
                                        layout=W.Layout(width="420px"))
        self.hmw_quote = W.Dropdown(options=self.state.painpoints.quote_choices(first) if first else [("No quote", "")],
                                    value="", description="Cites", layout=W.Layout(width="420px"))
        self.hmw_painpoint.observe(self._action(lambda _c: self._hmw_quotes()), names="value")
        self.hmw_text = W.Textarea(placeholder="How might we …", layout=W.Layout(width="420px", height="60px"))
        self.hmw_button = W.Button(description="Add statement", button_style="primary", layout=W.Layout(width="130px"))
        self.hmw_button.on_click(self._action(self._add_statement))
        self.hmw_list = W.HTML()
        self.hmw_message = W.HTML()
        for control in (self.board_painpoint, self.hmw_painpoint, self.hmw_quote):
            control.style.description_width = "initial"
        left = W.VBox([W.HTML("<h3>Ranking by votes</h3>"), self.ranking], layout=W.Layout(width="34%"))
        right = W.VBox([
            W.HTML("<h3>Impact × effort</h3>"), self.board_painpoint, W.HBox([self.impact, self.effort]),
            self.board_note, self.place_button, self.board_message, self.board,
            W.HTML("<h3>How might we…</h3>"), self.hmw_painpoint, self.hmw_quote, self.hmw_text, self.hmw_button,
            self.hmw_message,
            self.hmw_list,
        ], layout=W.Layout(width="64%"))
        self.prioritise_tab = W.HBox([left, right], layout=W.Layout(grid_gap="2%"))

    def _show_my_place(self) -> None:
        place = self.state.vote.my_place(self.board_painpoint.value)
        if place is not None:
            self.impact.value, self.effort.value = int(round(place.impact)), int(round(place.effort))
        elif self.board_painpoint.value:  # not placed yet: start from the measured impact
            self.impact.value = self.state.board_defaults.get(self.board_painpoint.value, 3)

    def _hmw_quotes(self) -> None:
        painpoint = self.hmw_painpoint.value
        self.hmw_quote.options = self.state.painpoints.quote_choices(painpoint) if painpoint else [("No quote", "")]
        self.hmw_quote.value = ""

    def _add_statement(self, _button: Any = None) -> None:
        quote = self.hmw_quote.value
        if self.state.vote.add_statement(self.hmw_painpoint.value, self.hmw_text.value, [quote] if quote else []):
            self.hmw_text.value = ""

    def _render_prioritise(self) -> None:
        vote = self.state.vote
        rows = "".join(  # the number only: "N votes" is the card's text, once per pain point on the page
            f"<tr><td>{r.place}</td><td>{escape(r.label)}</td><td>{r.votes}</td></tr>" for r in vote.ranking()
        )
        if vote.votes_hidden:
            self.ranking.value = ('<p class="wb-muted">The votes are hidden until the facilitator reveals them; '
                                  "your own dots are on the cards.</p>")
        else:
            self.ranking.value = (f'<table class="wb-table {NO_MATH}"><tr><th>#</th><th>pain point</th>'
                                  f"<th>votes</th></tr>{rows}</table>")
        quadrants: dict[str, list[str]] = {"quick win": [], "major project": [], "fill-in": [], "thankless task": []}
        for point in vote.board():
            quadrants[point.quadrant].append(
                f"<li>{escape(point.label)} <span class='wb-muted'>(impact {point.impact:g}, effort {point.effort:g}; "
                f"{escape(point.placed_by)})</span></li>")
        titles = {"quick win": "Quick wins: high impact, low effort", "major project": "Major projects: high impact, high effort",
                  "fill-in": "Fill-ins: low impact, low effort", "thankless task": "Thankless tasks: low impact, high effort"}
        self.board.value = f'<div class="wb-board {NO_MATH}">' + "".join(
            f'<div class="wb-quadrant"><h4>{titles[q]}</h4><ul>{"".join(items) or "<li>–</li>"}</ul></div>'
            for q, items in quadrants.items()) + "</div>"
        self.board_message.value = message_html(vote.message) if vote.message_target == "board" else ""
        self.hmw_message.value = message_html(vote.message) if vote.message_target == "statements" else ""
        blocks = []
        for card in self.state.painpoints.cards:
            statements = vote.statements_for(card.painpoint_id)
            if statements:
                quotes = self._quote_texts(card)
                items = "".join(
                    f"<li>{escape(s.text)} <span class='wb-muted'>— {escape(s.author)}"
                    + "".join(f" · cites “{escape(quotes.get(q, q))}”" for q in s.quote_ids) + "</span></li>"
                    for s in statements)
                blocks.append(f"<p><b>{escape(card.label)}</b></p><ul>{items}</ul>")
        private = ('<p class="wb-muted">Statements are private: you see your own; the others appear when the '
                   "facilitator reveals them.</p>") if vote.notes_private else ""
        self.hmw_list.value = f'<div class="{NO_MATH}">' + private + ("".join(blocks) or
                                                                    '<p class="wb-muted">No statements yet.</p>') + "</div>"

    @staticmethod
    def _quote_texts(card: PainPointCard, width: int = 80) -> dict[str, str]:
        return {q: (t if len(t) <= width else t[: width - 1] + "…") for t, q in zip(card.quotes, card.quote_ids)}
