"""The header of the workshop app: study and session, the name prompt, this person's dots and
status, the round countdown and their last message.

Example:
    >>> "_render_timer" in vars(HeaderView)
    True
"""
from __future__ import annotations

import ipywidgets as W

from widgets.workshop.display import escape
from widgets.workshop.page import NO_MATH, TabView, message_html


class HeaderView(TabView):
    """The header's widgets (part of :class:`widgets.workshop.app.WorkshopApp`)."""

    def _build_header(self) -> None:
        self.title = W.HTML(f'<h2 class="{NO_MATH}">{escape(self.state.title)}</h2>')
        self.join_name = W.Text(placeholder="Your name", layout=W.Layout(width="220px"))
        self.join_button = W.Button(description="Join", button_style="primary", tooltip="Join the workshop",
                                    layout=W.Layout(width="80px"))
        self.join_button.on_click(self._action(lambda _b: self.state.vote.join(self.join_name.value)))
        self.join_box = W.HBox([self.join_name, self.join_button])
        self.status = W.HTML()
        self.timer = W.HTML()
        self.message = W.HTML()
        self.header = W.VBox([self.title, W.HBox([self.join_box, self.status, self.timer], layout=W.Layout(
            align_items="center", grid_gap="12px")), self.message])

    def _render_header(self) -> None:
        vote = self.state.vote
        self.join_box.layout.display = "none" if vote.joined else ""
        self.status.value = f'<span class="wb-muted {NO_MATH}">{escape(vote.status)}</span>'
        self.message.value = message_html(vote.message) if vote.message_target in ("", "join") else ""
        self._render_timer()

    def _render_timer(self) -> None:
        text = self.state.vote.timer_text()
        css = "wb-timer wb-timeup" if text.startswith("Time's up") else "wb-timer"
        value = f'<span class="{css}" role="timer">{escape(text)}</span>' if text else ""
        if self.timer.value != value:  # only a change travels to the browser
            self.timer.value = value
