"""The Pain points tab: filters, search and the cards with their quotes, evidence and Vote buttons.

Example:
    >>> from widgets.workshop.cards import PainPointCard
    >>> CardView(PainPointCard("PP01", "Refunds <b>late</b>", 1)).vote_button.tooltip
    'Vote for Refunds <b>late</b>'
"""
from __future__ import annotations

from typing import Any

import ipywidgets as W

from widgets.workshop.cards import PainPointCard
from widgets.workshop.display import escape
from widgets.workshop.page import NO_MATH, TabView, message_html
from widgets.workshop.painpoints import ALL


class CardView:
    """The widgets of one pain-point card."""

    def __init__(self, card: PainPointCard) -> None:
        self.card = card
        facts = " · ".join(card.facts)
        severity = f'<span class="wb-severity">{escape(card.severity_text)}</span>' if card.severity_text else ""
        badge = ""
        if card.stability_text:
            css = "wb-stable" if card.stable else "wb-unstable"
            badge = (f'<span class="{css}" title="share of reruns that found this pain point again: '
                     f'{card.stability:.2f}">{escape(card.stability_text)}</span>')
        evidence = f"{badge}{escape(card.impact_text)}"
        self.head = W.HTML(
            f'<div class="wb-card-head {NO_MATH}">{severity}<span class="wb-rank">#{card.rank}</span>'
            f'<b>{escape(card.heading)}</b>'
            + (f'<div class="wb-handle">{escape(card.label)}</div>' if card.statement else "")
            + f'<div class="wb-facts">{escape(facts)}</div>'
            + (f'<div class="wb-evidence">{evidence}</div>' if evidence else "") + "</div>"
        )
        self.quote = W.HTML()
        self.previous_button = W.Button(description="‹ Previous", tooltip=f"Previous quote about {card.label}",
                                        layout=W.Layout(width="90px"))
        self.next_button = W.Button(description="Next ›", tooltip=f"Next quote about {card.label}",
                                    layout=W.Layout(width="80px"))
        self.position = W.HTML()
        self.star_button = W.Button(description="☆ Star quote", tooltip="Star this quote as proof of the pain point",
                                    layout=W.Layout(width="auto"))
        self.star_button.add_class("wb-star")
        self.vote_button = W.Button(description="Vote", tooltip=f"Vote for {card.label}", button_style="primary",
                                    layout=W.Layout(width="80px"))  # no icon: its glyph would open the accessible name
        self.unvote_button = W.Button(description="Take back", tooltip=f"Take back a vote for {card.label}",
                                      layout=W.Layout(width="95px"))
        self.count = W.HTML()
        self.mine = W.HTML()
        self.message = W.HTML()
        self.box = W.VBox(
            [self.head, self.quote,
             W.HBox([self.previous_button, self.position, self.next_button, self.star_button],
                    layout=W.Layout(align_items="center")),
             W.HBox([self.vote_button, self.unvote_button, self.count, self.mine],
                    layout=W.Layout(align_items="center", grid_gap="6px")),
             self.message],
            layout=W.Layout(border="1px solid #d1d5db", padding="6px 10px", margin="0"),
        )
        self.box.add_class("wb-card")


class PainPointsView(TabView):
    """The Pain points tab (part of :class:`widgets.workshop.app.WorkshopApp`)."""

    def _build_painpoints(self) -> None:
        state = self.state.painpoints
        self.persona_filter = W.Dropdown(options=state.persona_options, value=ALL, description="Persona",
                                         layout=W.Layout(width="260px"))
        self.segment_filter = W.Dropdown(options=state.segment_options, value=ALL, description="Segment",
                                         layout=W.Layout(width="210px"))
        self.touchpoint_filter = W.Dropdown(options=state.touchpoint_options, value=ALL, description="Touchpoint",
                                            layout=W.Layout(width="250px"))
        self.stage_filter = W.Dropdown(options=state.stage_options, value=ALL, description="Stage",
                                       layout=W.Layout(width="240px"))
        self.search = W.Text(placeholder="Search pain points and quotes", continuous_update=True,
                             layout=W.Layout(width="260px"))
        for control in (self.persona_filter, self.segment_filter, self.touchpoint_filter, self.stage_filter, self.search):
            control.style.description_width = "initial"
            control.observe(self._action(self._filters_changed), names="value")
        self.clear_button = W.Button(description="Clear filters", layout=W.Layout(width="110px"))
        self.clear_button.on_click(self._action(self._clear_filters))
        self.summary = W.HTML()
        self.cards: dict[str, CardView] = {}
        for card in state.cards:
            view = CardView(card)
            view.previous_button.on_click(self._action(lambda _b, pid=card.painpoint_id: state.previous_quote(pid)))
            view.next_button.on_click(self._action(lambda _b, pid=card.painpoint_id: state.next_quote(pid)))
            view.vote_button.on_click(self._action(lambda _b, pid=card.painpoint_id: self.state.vote.vote(pid)))
            view.star_button.on_click(self._action(lambda _b, pid=card.painpoint_id: self.state.vote.toggle_star(
                pid, state.quote_id(pid))))
            view.unvote_button.on_click(self._action(lambda _b, pid=card.painpoint_id: self.state.vote.unvote(pid)))
            self.cards[card.painpoint_id] = view
        self.card_grid = W.GridBox([v.box for v in self.cards.values()], layout=W.Layout(
            grid_template_columns="repeat(auto-fill, minmax(380px, 1fr))", grid_gap="10px", width="100%"))
        filters = W.HBox([self.search, self.persona_filter, self.segment_filter, self.touchpoint_filter,
                          self.stage_filter, self.clear_button], layout=W.Layout(flex_flow="row wrap", grid_gap="6px"))
        self.what_works = W.HTML(what_works_html(state.what_works))
        self.painpoints_tab = W.VBox([filters, self.summary, self.card_grid, self.what_works])

    def _filters_changed(self, _change: Any = None) -> None:
        self.state.painpoints.set_filters(
            persona=self.persona_filter.value or ALL, segment=self.segment_filter.value or ALL,
            touchpoint=self.touchpoint_filter.value or ALL, stage=self.stage_filter.value or ALL,
            search=self.search.value)

    def _clear_filters(self, _button: Any = None) -> None:
        self.state.painpoints.clear_filters()
        for control in (self.persona_filter, self.segment_filter, self.touchpoint_filter, self.stage_filter):
            control.value = ALL
        self.search.value = ""

    def _render_painpoints(self) -> None:
        state, vote = self.state.painpoints, self.state.vote
        visible = {c.painpoint_id for c in state.visible_cards()}
        self.summary.value = f'<span class="wb-muted">{escape(state.summary)}</span>'
        for painpoint_id, view in self.cards.items():
            view.box.layout.display = "" if painpoint_id in visible else "none"
            if painpoint_id not in visible:
                continue
            quote = state.quote(painpoint_id)
            view.quote.value = (f'<blockquote class="wb-quote {NO_MATH}">“{escape(quote)}”</blockquote>'
                                if quote else '<div class="wb-muted">No quote for this filter.</div>')
            view.position.value = f'<span class="wb-muted">{escape(state.quote_position(painpoint_id))}</span>'
            view.star_button.description = vote.star_text(state.quote_id(painpoint_id))
            view.star_button.disabled = not quote
            view.count.value = f'<span class="wb-count">{escape(vote.count_text(painpoint_id))}</span>'
            mine = vote.my_count(painpoint_id)
            view.mine.value = f'<span class="wb-muted">(yours: {mine})</span>' if mine else ""
            view.message.value = message_html(vote.message) if vote.message_target == painpoint_id else ""
            view.vote_button.disabled = vote.info.locked
            view.unvote_button.disabled = vote.info.locked or not mine


def what_works_html(cards: list[PainPointCard]) -> str:
    """The "What works" list under the pain points: each delight's statement, label and first quote.

    Example:
        >>> what_works_html([PainPointCard("PP09", "Desk staff", 9, statement="She walked me <b>to</b> the taxi.",
        ...                                quotes=("Lovely.",))])  # doctest: +ELLIPSIS
        '<div class="wb-what-works ..."><h3>What works</h3>...She walked me &lt;b&gt;to&lt;/b&gt; the taxi...'
        >>> what_works_html([])
        ''
    """
    if not cards:
        return ""
    items = "".join(
        f'<li><b>{escape(card.heading)}</b>'
        + (f' <span class="wb-muted">({escape(card.label)})</span>' if card.statement else "")
        + (f'<blockquote class="wb-quote">“{escape(card.quotes[0])}”</blockquote>' if card.quotes else "")
        + "</li>"
        for card in cards
    )
    return (f'<div class="wb-what-works {NO_MATH}"><h3>What works</h3><p class="wb-muted">What customers praised, '
            f"kept apart from the pain points: strengths to protect.</p><ul>{items}</ul></div>")

