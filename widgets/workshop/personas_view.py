"""The Personas tab: a picker and the chosen persona's card (goals, frustrations, touchpoints, quotes).

Example:
    >>> "_render_persona" in vars(PersonasView)
    True
"""
from __future__ import annotations

import ipywidgets as W

from widgets.workshop.display import escape
from widgets.workshop.page import NO_MATH, TabView


class PersonasView(TabView):
    """The Personas tab (part of :class:`widgets.workshop.app.WorkshopApp`)."""

    def _build_personas(self) -> None:
        state = self.state.personas
        self.persona_picker = W.Dropdown(options=state.options, value=state.selected or None, description="Persona",
                                         layout=W.Layout(width="480px"))
        self.persona_picker.observe(self._action(lambda change: self._pick_persona(change["new"])), names="value")
        self.persona_card = W.HTML()
        children: list[W.Widget] = [self.persona_picker, self.persona_card] if state.cards else [
            W.HTML(f'<p class="wb-muted">{escape(state.message)}</p>')]
        self.personas_tab = W.VBox(children)

    def _pick_persona(self, persona_id: str | None) -> None:
        if persona_id:
            self.state.personas.select(persona_id)
            self._render_persona()

    def _render_persona(self) -> None:
        card = self.state.personas.current
        if card is None:
            self.persona_card.value = ""
            return

        def items(values: tuple[str, ...]) -> str:
            return "".join(f"<li>{escape(v)}</li>" for v in values) or "<li>–</li>"

        quotes = "".join(f'<blockquote class="wb-quote">“{escape(q)}”</blockquote>' for q in card.quotes)
        touchpoints = ""
        if card.preferred_touchpoints or card.avoided_touchpoints:
            touchpoints = (f"<p><b>Prefers</b> {escape(', '.join(card.preferred_touchpoints) or '–')} · "
                           f"<b>avoids</b> {escape(', '.join(card.avoided_touchpoints) or '–')}</p>")
        self.persona_card.value = (
            f'<div class="wb-card wb-persona {NO_MATH}"><h3>{escape(card.name)}</h3>'
            f'<div class="wb-muted">{escape(card.share_text)}</div><p>{escape(card.summary)}</p>'
            f"<div style='display:grid;grid-template-columns:1fr 1fr;gap:12px'>"
            f"<div><b>Goals</b><ul>{items(card.goals)}</ul></div>"
            f"<div><b>Frustrations</b><ul>{items(card.frustrations)}</ul></div></div>"
            f"{touchpoints}<p><b>{escape(card.design_for)}</b></p>{quotes}</div>"
        )
