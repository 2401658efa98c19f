"""The Personas tab's state: the persona cards and which one is shown.

Example:
    >>> from widgets.workshop.demo import demo_results
    >>> PersonasState(demo_results()).current.share_text
    '1 interviewee (33%)'
"""
from __future__ import annotations

from dataclasses import dataclass

from workbench.errors import WorkbenchError
from workbench.share.loading import Results
from workbench.workshop.app_data import cell_float, cell_list, cell_missing, cell_text
from widgets.workshop.painpoints import ALL


@dataclass(frozen=True)
class PersonaCard:
    """What one persona card shows.

    Example:
        >>> PersonaCard("PE1", "The Busy Flyer", "5 of 18 interviewees", 5, 0.28).share_text
        '5 interviewees (28%)'
    """

    persona_id: str
    name: str
    summary: str
    size: int
    share: float | None
    goals: tuple[str, ...] = ()
    frustrations: tuple[str, ...] = ()
    preferred_touchpoints: tuple[str, ...] = ()
    avoided_touchpoints: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()
    design_for: str = ""
    sentiment_mean: float | None = None

    @property
    def share_text(self) -> str:
        """"5 interviewees (28%)"."""
        share = f" ({self.share:.0%})" if self.share is not None else ""
        return f"{self.size} interviewee{'s' if self.size != 1 else ''}{share}"


class PersonasState:
    """The persona cards and which one is shown.

    Example:
        >>> from widgets.workshop.demo import demo_results
        >>> state = PersonasState(demo_results())
        >>> [c.name for c in state.cards], state.current.persona_id
        (['The Busy Flyer', 'The Careful Planner'], 'PE1')
        >>> state.select("PE2").name
        'The Careful Planner'
    """

    def __init__(self, results: Results) -> None:
        self.cards: list[PersonaCard] = []
        personas = results.personas
        if personas is not None and "persona_id" in personas.columns:
            for row in personas.to_dict("records"):
                size = row.get("size")
                self.cards.append(PersonaCard(
                    persona_id=str(row["persona_id"]),
                    name=cell_text(row.get("name"), str(row["persona_id"])),
                    summary=cell_text(row.get("summary")),
                    size=0 if cell_missing(size) else int(size),
                    share=cell_float(row.get("share")),
                    goals=tuple(cell_text(g) for g in cell_list(row.get("goals"))),
                    frustrations=tuple(cell_text(f) for f in cell_list(row.get("frustrations"))),
                    preferred_touchpoints=tuple(cell_text(t) for t in cell_list(row.get("preferred_touchpoints"))),
                    avoided_touchpoints=tuple(cell_text(t) for t in cell_list(row.get("avoided_touchpoints"))),
                    quotes=tuple(cell_text(q) for q in cell_list(row.get("quotes"))),
                    design_for=cell_text(row.get("design_for")),
                    sentiment_mean=cell_float(row.get("sentiment_mean")),
                ))
        self.message = "" if self.cards else (
            results.notes.get("personas") or "No personas in these results (they need at least 6 interviewees)."
        )
        self.selected = self.cards[0].persona_id if self.cards else ALL

    @property
    def options(self) -> list[tuple[str, str]]:
        """(label, persona id) pairs for a picker."""
        return [(f"{c.name} · {c.share_text}", c.persona_id) for c in self.cards]

    @property
    def current(self) -> PersonaCard | None:
        """The persona shown now (None when there are none)."""
        return next((c for c in self.cards if c.persona_id == self.selected), None)

    def select(self, persona_id: str) -> PersonaCard:
        """Show another persona.

        Raises:
            WorkbenchError: no such persona.
        """
        for card in self.cards:
            if card.persona_id == persona_id:
                self.selected = persona_id
                return card
        raise WorkbenchError(f"no persona {persona_id!r} in these results")
