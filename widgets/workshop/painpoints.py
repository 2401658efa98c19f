"""The Pain points tab's state: the ranked cards with filters, text search and quotes to step through.

Example:
    >>> from widgets.workshop.demo import demo_results
    >>> state = PainPointsState(demo_results())
    >>> state.set_filters(touchpoint="call centre"); state.summary
    'Showing 1 of 2 pain points'
"""
from __future__ import annotations

from workbench.errors import WorkbenchError
from workbench.people.journey import ordered_stages
from workbench.share.loading import Results
from workbench.workshop.app_data import (
    MAX_QUOTES,
    cell_list,
    cell_missing,
    cell_text,
    painpoints_spoken_by,
    quote_units,
    quotes_from,
)
from widgets.workshop.cards import PainPointCard, painpoint_cards, what_works_cards

#: the value of a filter that filters nothing
ALL = ""


class PainPointsState:
    """The ranked pain-point cards with filters (persona, segment, touchpoint, stage), text
    search and quotes to step through.

    Persona and segment filters keep the pain points that those interviewees spoke about, and
    the quotes then come from them. Touchpoint and stage filters match the card's own
    touchpoint and stage. Search looks in the label, keywords, facts and quotes (any case).

    Example:
        >>> from widgets.workshop.demo import demo_results
        >>> state = PainPointsState(demo_results())
        >>> state.set_filters(search="refund")
        >>> [c.painpoint_id for c in state.visible_cards()], state.summary
        (['PP02'], 'Showing 1 of 2 pain points')
        >>> state.set_filters(search="", persona="PE2")
        >>> [c.painpoint_id for c in state.visible_cards()]
        ['PP01']
    """

    def __init__(self, results: Results, max_quotes: int = MAX_QUOTES) -> None:
        self.results = results
        self.max_quotes = max_quotes
        self.cards: list[PainPointCard] = painpoint_cards(results.painpoints, results.passages, max_quotes)
        #: delights, listed apart as "What works" (never voted on as pain points)
        self.what_works: list[PainPointCard] = what_works_cards(results.painpoints, results.passages, max_quotes)
        self._by_id = {card.painpoint_id: card for card in self.cards}
        self.persona = ALL
        self.segment = ALL
        self.touchpoint = ALL
        self.stage = ALL
        self.search = ""
        self._quote_index: dict[str, int] = {}
        self._units = quote_units(results.passages, results.assignments)
        self._persona_members: dict[str, set[str]] = {}
        self._persona_names: dict[str, str] = {}
        if results.personas is not None and {"persona_id", "members"} <= set(results.personas.columns):
            for row in results.personas.to_dict("records"):
                persona_id = str(row["persona_id"])
                self._persona_members[persona_id] = {str(m) for m in cell_list(row.get("members"))}
                self._persona_names[persona_id] = cell_text(row.get("name"), persona_id)
        self._segment_members: dict[str, set[str]] = {}
        participants = results.participants
        if participants is not None and {"participant_id", "segment"} <= set(participants.columns):
            for pid, segment in zip(participants["participant_id"], participants["segment"]):
                if not cell_missing(segment) and str(segment).strip():
                    self._segment_members.setdefault(str(segment), set()).add(str(pid))

    # -------------------------------------------------------------- filters

    @property
    def persona_options(self) -> list[tuple[str, str]]:
        """(label, value) pairs for the persona filter, "All personas" first."""
        return [("All personas", ALL)] + [(f"{name} ({pid})", pid) for pid, name in self._persona_names.items()]

    @property
    def segment_options(self) -> list[tuple[str, str]]:
        """(label, value) pairs for the participant-segment filter."""
        return [("All segments", ALL)] + [(s, s) for s in sorted(self._segment_members)]

    @property
    def touchpoint_options(self) -> list[tuple[str, str]]:
        """(label, value) pairs for the touchpoint filter (the touchpoints of the cards)."""
        values = sorted({c.touchpoint for c in self.cards if c.touchpoint})
        return [("All touchpoints", ALL)] + [(v, v) for v in values]

    @property
    def stage_options(self) -> list[tuple[str, str]]:
        """(label, value) pairs for the journey-stage filter (the stages of the cards, in journey order)."""
        values = ordered_stages({c.stage for c in self.cards if c.stage})
        return [("All stages", ALL)] + [(v, v) for v in values]

    def set_filters(self, persona: str | None = None, segment: str | None = None, touchpoint: str | None = None,
                    stage: str | None = None, search: str | None = None) -> None:
        """Change any of the filters (``None`` leaves one as it is, ``ALL`` clears it).

        Raises:
            WorkbenchError: a persona or segment that the results do not have.
        """
        if persona is not None:
            if persona != ALL and persona not in self._persona_members:
                raise WorkbenchError(f"no persona {persona!r} in these results; pick one of {sorted(self._persona_members)}")
            self.persona = persona
        if segment is not None:
            if segment != ALL and segment not in self._segment_members:
                raise WorkbenchError(f"no participant segment {segment!r}; pick one of {sorted(self._segment_members)}")
            self.segment = segment
        if touchpoint is not None:
            self.touchpoint = touchpoint
        if stage is not None:
            self.stage = stage
        if search is not None:
            self.search = search
        self._quote_index.clear()

    def clear_filters(self) -> None:
        """Show every pain point again."""
        self.set_filters(ALL, ALL, ALL, ALL, "")

    def _allowed_participants(self) -> set[str] | None:
        allowed: set[str] | None = None
        if self.persona:
            allowed = set(self._persona_members.get(self.persona, set()))
        if self.segment:
            members = self._segment_members.get(self.segment, set())
            allowed = members if allowed is None else allowed & members
        return allowed

    def quotes(self, painpoint_id: str) -> list[str]:
        """The quotes of a card under the current filters (representative ones first)."""
        card = self._by_id[painpoint_id]
        allowed = self._allowed_participants()
        if allowed is None:
            return list(card.quotes)
        return quotes_from(self._units, painpoint_id, allowed, card.quotes, self.max_quotes)

    def visible_cards(self) -> list[PainPointCard]:
        """The cards that pass every filter, in rank order."""
        allowed = self._allowed_participants()
        spoken: set[str] | None = None
        if allowed is not None:
            spoken = painpoints_spoken_by(self._units, allowed)
        needle = " ".join(self.search.split()).casefold()
        visible = []
        for card in self.cards:
            if spoken is not None and card.painpoint_id not in spoken:
                continue
            if self.touchpoint and card.touchpoint != self.touchpoint:
                continue
            if self.stage and card.stage != self.stage:
                continue
            if needle:
                haystack = " ".join([card.statement, card.label, *card.keywords, *card.facts,
                                     *self.quotes(card.painpoint_id)])
                if needle not in " ".join(haystack.split()).casefold():
                    continue
            visible.append(card)
        return visible

    @property
    def summary(self) -> str:
        """"Showing 3 of 12 pain points"."""
        return f"Showing {len(self.visible_cards())} of {len(self.cards)} pain points"

    # -------------------------------------------------------------- quotes

    def quote(self, painpoint_id: str) -> str:
        """The quote the card shows now ("" when it has none)."""
        quotes = self.quotes(painpoint_id)
        if not quotes:
            return ""
        return quotes[self._quote_index.get(painpoint_id, 0) % len(quotes)]

    def quote_id(self, painpoint_id: str) -> str:
        """The passage id of the quote the card shows now ("" when the results do not name it).

        Example:
            >>> from widgets.workshop.demo import demo_results
            >>> PainPointsState(demo_results()).quote_id("PP02")
            'c-1'
        """
        text = self.quote(painpoint_id)
        card = self.card(painpoint_id)
        if text in card.quotes and card.quote_ids:
            return card.quote_ids[card.quotes.index(text)]
        units = self._units[(self._units["painpoint_id"] == painpoint_id) & (self._units["text"] == text)]
        return str(units["passage_id"].iloc[0]) if text and not units.empty else ""

    def quote_position(self, painpoint_id: str) -> str:
        """"Quote 2 of 4" ("No quote" when the card has none)."""
        quotes = self.quotes(painpoint_id)
        if not quotes:
            return "No quote"
        return f"Quote {self._quote_index.get(painpoint_id, 0) % len(quotes) + 1} of {len(quotes)}"

    def next_quote(self, painpoint_id: str) -> str:
        """Step to the card's next quote (wrapping around) and return it."""
        self._quote_index[painpoint_id] = self._quote_index.get(painpoint_id, 0) + 1
        return self.quote(painpoint_id)

    def previous_quote(self, painpoint_id: str) -> str:
        """Step to the card's previous quote (wrapping around) and return it."""
        self._quote_index[painpoint_id] = self._quote_index.get(painpoint_id, 0) - 1
        return self.quote(painpoint_id)

    def quote_choices(self, painpoint_id: str, width: int = 60) -> list[tuple[str, str]]:
        """(label, quote id) pairs of the quotes a statement about the pain point can cite, "No quote" first.

        Example:
            >>> from widgets.workshop.demo import demo_results
            >>> PainPointsState(demo_results()).quote_choices("PP02")
            [('No quote', ''), ('“Six weeks and still no refund.”', 'c-1')]
        """
        card = self.card(painpoint_id)
        choices = [("No quote", "")]
        for text, quote_id in zip(card.quotes, card.quote_ids):
            short = text if len(text) <= width else text[: width - 1].rstrip() + "…"
            choices.append((f"“{short}”", quote_id))
        return choices

    def card(self, painpoint_id: str) -> PainPointCard:
        """The card of a pain point.

        Raises:
            WorkbenchError: no such pain point.
        """
        try:
            return self._by_id[painpoint_id]
        except KeyError:
            raise WorkbenchError(f"no pain point {painpoint_id!r} in these results") from None
