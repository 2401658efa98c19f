"""The Journey tab: the heatmap by stage and touchpoint, stage effectiveness, where it hurts most,
and the emotion curve of a persona.

Example:
    >>> "_render_journey" in vars(JourneyView)
    True
"""
from __future__ import annotations

import ipywidgets as W

from widgets.workshop.display import escape
from widgets.workshop.page import NO_MATH, TabView, figure_output
from widgets.workshop.painpoints import ALL


class JourneyView(TabView):
    """The Journey tab (part of :class:`widgets.workshop.app.WorkshopApp`)."""

    def _build_journey(self) -> None:
        state = self.state.journey
        self.journey_value = W.ToggleButtons(options=list(state.VALUES), value=state.value,
                                             style={"button_width": "180px"})
        self.journey_value.observe(self._action(lambda change: self._journey_changed(value=change["new"])),
                                   names="value")
        self.journey_persona = W.Dropdown(options=state.persona_options, value=ALL, description="Emotion curve of",
                                          layout=W.Layout(width="420px"))
        self.journey_persona.style.description_width = "initial"
        self.journey_persona.observe(self._action(lambda change: self._journey_changed(persona=change["new"])),
                                     names="value")
        self.heatmap = W.Output(layout=W.Layout(width="100%"))
        self.emotion = W.Output(layout=W.Layout(width="100%"))
        self.journey_notes = W.HTML()
        if state.message:
            self.journey_tab = W.VBox([W.HTML(f'<p class="wb-muted">{escape(state.message)}</p>')])
        else:
            self.journey_tab = W.VBox([self.journey_value, self.heatmap, self.journey_notes, self.journey_persona,
                                       self.emotion])

    def _journey_changed(self, value: str | None = None, persona: str | None = None) -> None:
        if value is not None:
            self.state.journey.set_value(value)
        if persona is not None:
            self.state.journey.set_persona(persona or ALL)
        self._render_journey()

    def _render_journey(self) -> None:
        state = self.state.journey
        if state.message:
            return
        try:
            figure_output(self.heatmap, state.heatmap_figure(), "No journey map in these results.")
            figure_output(self.emotion, state.emotion_figure(), "No personas, so no emotion curve.")
        except ImportError:
            self.journey_notes.value = '<p class="wb-muted">Charts need plotly (pip install plotly).</p>'
            return
        scores = "".join(f"<tr><td>{escape(stage)}</td><td>{score:.0f}</td></tr>" for stage, score in state.effectiveness())
        hotspots = "".join(f"<li>{escape(line)}</li>" for line in state.hotspots())
        self.journey_notes.value = (
            f'<div class="{NO_MATH}" style="display:grid;grid-template-columns:1fr 2fr;gap:16px">'
            f'<div><b>Stage effectiveness</b> <span class="wb-muted">(0 broken – 100 delightful)</span>'
            f'<table class="wb-table">{scores}</table></div>'
            f"<div><b>Where it hurts most</b><ul>{hotspots or '<li>–</li>'}</ul></div></div>"
        )
