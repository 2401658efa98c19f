"""The Journey tab's state: the journey heatmap, stage effectiveness, hotspots and the emotion
curve of one persona (or all of them) along the journey stages.

Example:
    >>> from widgets.workshop.demo import demo_results
    >>> JourneyState(demo_results()).effectiveness()[0][0]
    'purchase/booking'
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from workbench.errors import WorkbenchError
from workbench.people.journey import emotion_curve, emotion_curve_figure, journey_heatmap_figure, stage_effectiveness
from workbench.share.loading import Results
from workbench.workshop.app_data import cell_text, journey_hotspots
from widgets.workshop.display import plotly_safe_columns, plotly_text
from widgets.workshop.painpoints import ALL


class JourneyState:
    """The journey heatmap (colour: mean sentiment or share of pain moments) and the emotion
    curve of one persona (or all of them) along the journey stages.

    Example:
        >>> from widgets.workshop.demo import demo_results
        >>> state = JourneyState(demo_results())
        >>> fig = state.heatmap_figure()
        >>> list(fig.data[0].x)
        ['purchase/booking', 'use', 'support']
        >>> state.set_persona("PE1"); [trace.name for trace in state.emotion_figure().data]
        ['PE1 · The Busy Flyer', 'all']
    """

    VALUES = (("Mean sentiment", "sentiment_mean"), ("Share of pain moments", "pain_share"))

    def __init__(self, results: Results) -> None:
        self.results = results
        self.value = "sentiment_mean"
        self.persona = ALL
        self.message = ""
        if results.journey is None or results.journey.empty:
            self.message = results.notes.get("journey") or "No journey map in these results."
        self._curve: pd.DataFrame | None = None
        self._names: dict[str, str] = {}
        if results.personas is not None and {"persona_id", "name"} <= set(results.personas.columns):
            self._names = {str(k): cell_text(v) for k, v in zip(results.personas["persona_id"], results.personas["name"])}

    @property
    def persona_options(self) -> list[tuple[str, str]]:
        """(label, value) pairs: every persona, then one by one."""
        return [("All personas", ALL)] + [(f"{name} ({pid})", pid) for pid, name in self._names.items()]

    def set_value(self, value: str) -> None:
        """Colour the heatmap by ``"sentiment_mean"`` or ``"pain_share"``."""
        if value not in dict((v, k) for k, v in self.VALUES):
            raise WorkbenchError(f"the journey heatmap shows sentiment_mean or pain_share, not {value!r}")
        self.value = value

    def set_persona(self, persona_id: str) -> None:
        """Show one persona's emotion curve (with everyone's for comparison), or all (``ALL``)."""
        if persona_id != ALL and persona_id not in self._names:
            raise WorkbenchError(f"no persona {persona_id!r} in these results")
        self.persona = persona_id

    def heatmap_figure(self) -> Any:
        """The plotly heatmap of the journey matrix (None when there is no journey)."""
        if self.results.journey is None or self.results.journey.empty:
            return None
        title = dict((v, k) for k, v in self.VALUES)[self.value]
        # stages, touchpoints and pain-point labels are people's words: plotly must not read them as markup
        journey = plotly_safe_columns(self.results.journey, ("stage", "touchpoint", "top_painpoint_label"))
        figure = journey_heatmap_figure(journey, value=self.value,
                                        title=f"Journey map: {title.lower()} by stage and touchpoint (numbers: units)")
        figure.update_layout(height=450, margin={"l": 10, "r": 10, "t": 120, "b": 10},
                             title={"y": 0.98, "yanchor": "top"})  # above the stage names at the top
        return figure

    def curve(self) -> pd.DataFrame:
        """Mean sentiment per persona × stage (with ``all`` for everyone); empty without personas."""
        if self._curve is None:
            personas, passages = self.results.personas, self.results.passages
            if personas is None or personas.empty or passages is None or "members" not in personas.columns:
                self._curve = pd.DataFrame(columns=["persona_id", "stage", "n_units", "sentiment_mean"])
            else:
                self._curve = emotion_curve(passages, personas, self.results.assignments, include_all=True)
        return self._curve

    def emotion_figure(self) -> Any:
        """The plotly emotion curve of the chosen persona and everyone (None without personas)."""
        curve = self.curve()
        if curve.empty:
            return None
        if self.persona:
            curve = curve[curve["persona_id"].isin([self.persona, "all"])]
        curve = plotly_safe_columns(curve, ("stage", "persona_id"))
        names = {plotly_text(pid): plotly_text(name) for pid, name in self._names.items()}
        figure = emotion_curve_figure(curve, names)
        figure.update_layout(height=380, margin={"l": 10, "r": 10, "t": 60, "b": 10})
        return figure

    def effectiveness(self) -> list[tuple[str, float]]:
        """(stage, effectiveness 0–100) in journey order."""
        if self.results.journey is None or self.results.journey.empty:
            return []
        table = stage_effectiveness(self.results.journey)
        return [(str(s), float(e)) for s, e in zip(table["stage"], table["effectiveness"])]

    def hotspots(self, n: int = 3) -> list[str]:
        """The ``n`` cells with the most pain moments, as sentences."""
        return journey_hotspots(self.results.journey, n)
