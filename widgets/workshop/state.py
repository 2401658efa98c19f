"""Plain state objects of the workshop app: what each view shows and what a click does.

No ipywidgets here (DESIGN.md §4): a view renders one of these objects and forwards user
actions to it, so tests drive the whole app without a browser. Shared state (votes,
statements, placements, the lock and the round) lives in the store; ``refresh()`` re-reads
it when its revision moved, so what other people do in their kernels appears here.

* :class:`PainPointsState` — ranked pain-point cards, filters, text search, quote stepping.
* :class:`PersonasState` — persona cards.
* :class:`JourneyState` — the journey heatmap and the per-persona emotion curve.
* :class:`VoteState` — one person's dots, votes, "How might we…" statements and board places.
* :class:`FacilitatorState` — session results, exports, lock voting, new round, hidden votes,
  private statements, the round timer (its actions carry the facilitator token; the store checks it).
* :class:`WorkshopState` — all five for one results folder and session.

Example:
    >>> import tempfile
    >>> from workbench.store import Store, sqlite_url
    >>> results = demo_results()
    >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
    >>> app = WorkshopState(results, store, "kick-off")
    >>> [card.label for card in app.painpoints.visible_cards()]
    ['Payment taken, no confirmation', 'Refunds take weeks']
    >>> app.vote.join("Dana"), app.vote.vote("PP01"), app.vote.count_text("PP01")
    (True, True, '1 vote')
"""
from __future__ import annotations

import base64
import html
import math
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.errors import WorkbenchError
from workbench.journey import (
    analysis_units,
    emotion_curve,
    emotion_curve_figure,
    journey_heatmap_figure,
    stage_effectiveness,
)
from workbench.report import Results, load_results
from workbench.store import (
    DEFAULT_WORKSHOP_SESSION,
    HmwStatement,
    Placement,
    Store,
    WorkshopActionError,
    WorkshopSession,
    person_key,
)
from workbench.workshop_results import (
    EXPORT_FORMATS,
    BoardPosition,
    board_positions,
    render_results,
    session_results,
    write_results,
)

#: the value of a filter that filters nothing
ALL = ""
OTHER_ID = "other"
#: quotes one card steps through at most
MAX_QUOTES = 6
#: the session a workshop uses unless told otherwise (WORKBENCH_SESSION)
DEFAULT_SESSION = DEFAULT_WORKSHOP_SESSION
#: where an impact × effort slider starts when the results measured no impact
DEFAULT_BOARD_IMPACT = 3
#: what a participant's card shows instead of the count while the votes are hidden
HIDDEN_VOTES_TEXT = "votes hidden"
HMW_PREFIX = "How might we"
EXPORT_MIME = {"markdown": "text/markdown", "html": "text/html", "csv": "text/csv"}
EXPORT_SUFFIX = {"markdown": ".md", "html": ".html", "csv": ".csv"}


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value)) if not isinstance(value, (list, tuple, dict)) else False
    except (TypeError, ValueError):
        return False


def _as_list(value: Any) -> list[Any]:
    """A list from a list/array/tuple; None or NaN gives an empty list; a scalar a one-item list."""
    if value is None or isinstance(value, (str, bytes)) and not value:
        return []
    if isinstance(value, str):
        return [value]
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [v for v in value if not _missing(v)]
    return [] if _missing(value) else [value]


def _text(value: Any, default: str = "") -> str:
    return default if _missing(value) else str(value)


def _float(value: Any) -> float | None:
    if _missing(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _flag(value: Any) -> bool:
    return False if _missing(value) else bool(value)


def default_impacts(cards: Sequence[PainPointCard]) -> dict[str, int]:
    """Where the impact slider of each pain point starts: its measured impact scaled to 1..5 across
    the pain points (the one that costs the score most at 5), else ``DEFAULT_BOARD_IMPACT``.

    Example:
        >>> cards = [PainPointCard("PP01", "A", 1, impact=8.0, impact_metric="NPS"),
        ...          PainPointCard("PP02", "B", 2, impact=2.0, impact_metric="NPS"),
        ...          PainPointCard("PP03", "C", 3, impact=-4.0, impact_metric="NPS"), PainPointCard("PP04", "D", 4)]
        >>> default_impacts(cards)
        {'PP01': 5, 'PP02': 3, 'PP03': 1, 'PP04': 3}
    """
    measured = {c.painpoint_id: c.impact for c in cards if c.impact is not None and c.impact_metric}
    low, high = (min(measured.values()), max(measured.values())) if measured else (0.0, 0.0)
    starts = {}
    for card in cards:
        if card.painpoint_id not in measured or high == low:
            starts[card.painpoint_id] = DEFAULT_BOARD_IMPACT
        else:
            starts[card.painpoint_id] = int(round(1 + 4 * (measured[card.painpoint_id] - low) / (high - low)))
    return starts


def board_impact_note(cards: Sequence[PainPointCard]) -> str:
    """One sentence under the board saying where the impact sliders start, and why.

    Example:
        >>> board_impact_note([PainPointCard("PP01", "A", 1)])
        'Impact starts at 3 (the results measured no effect on a score); move it to where you think it belongs.'
    """
    metrics = sorted({c.impact_metric.split(" (")[0] for c in cards if c.impact is not None and c.impact_metric})
    if not metrics:
        return (f"Impact starts at {DEFAULT_BOARD_IMPACT} (the results measured no effect on a score); "
                "move it to where you think it belongs.")
    return (f"Impact starts from the measured effect on {' / '.join(metrics)} (scaled 1–5 across pain points: "
            "5 costs the score most); move it if the group disagrees.")


def timer_text(session: WorkshopSession, now: datetime | None = None) -> str:
    """The countdown every app shows: "Time left 1:59", "Time's up" or "" (no timer).

    Example:
        >>> from datetime import timedelta, timezone
        >>> now = datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc)
        >>> session = WorkshopSession("s", False, 1, 5, 0, round_ends_at=now + timedelta(seconds=119.2))
        >>> timer_text(session, now), timer_text(session, now + timedelta(minutes=3))
        ('Time left 2:00', "Time's up")
    """
    left = session.seconds_left(now)
    if left is None:
        return ""
    if left <= 0:
        return "Time's up" + (": voting is closed" if session.close_at_time_up else "")
    whole = int(math.ceil(left))
    return f"Time left {whole // 60}:{whole % 60:02d}"


def votes_text(n: int) -> str:
    """The count a card shows: "1 vote", "3 votes".

    Example:
        >>> votes_text(0), votes_text(1), votes_text(2)
        ('0 votes', '1 vote', '2 votes')
    """
    return f"{int(n)} vote" if int(n) == 1 else f"{int(n)} votes"


def escape(text: Any) -> str:
    """Customer or participant text made safe for an HTML widget (``<`` ``>`` ``&`` and quotes escaped).

    Example:
        >>> escape('<script>alert("x")</script>')
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
    """
    return html.escape("" if _missing(text) else str(text), quote=True)


def plotly_text(text: Any) -> str:
    """Text made inert for plotly, which renders a subset of HTML (``<a href>``, ``<span style>``, ``<b>``…)
    in hover labels, legend names and tick labels, and shows ``&lt;`` ``&gt;`` ``&amp;`` as characters.

    Example:
        >>> plotly_text('<a href="https://evil.example">R&D</a>')
        '&lt;a href="https://evil.example"&gt;R&amp;D&lt;/a&gt;'
    """
    value = "" if _missing(text) else str(text)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plotly_safe_columns(table: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """A copy of ``table`` whose text ``columns`` are made inert for plotly (numbers and gaps stay)."""
    table = table.copy()
    for column in columns:
        if column in table.columns:
            table[column] = [v if _missing(v) or not isinstance(v, str) else plotly_text(v) for v in table[column]]
    return table


# ------------------------------------------------------------------------------------ pain points


@dataclass(frozen=True)
class PainPointCard:
    """What one pain-point card shows.

    Example:
        >>> PainPointCard("PP01", "Refunds take weeks", 1, 81.0).severity_text
        'severity 81'
    """

    painpoint_id: str
    label: str
    rank: int
    severity: float | None = None
    dimension: str = ""
    touchpoint: str = ""
    stage: str = ""
    kind: str = ""
    n_participants: int = 0
    share_participants: float | None = None
    sentiment_mean: float | None = None
    keywords: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()
    #: the passage ids of ``quotes`` (same order; shorter when the results do not name them)
    quote_ids: tuple[str, ...] = ()
    #: evidence (absent in older results: None / False / ""): how stable the pain point is over reruns
    stability: float | None = None
    stable: bool = False
    unstable: bool = False
    #: change of the overall score without this pain point's items (positive: it drags the score down)
    impact: float | None = None
    impact_metric: str = ""
    impact_items: int = 0

    @property
    def stability_text(self) -> str:
        """The stability badge: "stable", "⚠ unstable: found in few reruns", "fairly stable (0.62)" or "".

        Example:
            >>> PainPointCard("PP01", "Refunds", 1, stability=0.3, unstable=True).stability_text
            '⚠ unstable: found in few reruns'
            >>> PainPointCard("PP01", "Refunds", 1, stability=0.9, stable=True).stability_text
            'stable'
            >>> PainPointCard("PP01", "Refunds", 1).stability_text
            ''
        """
        if self.stability is None:
            return ""  # not measured (older results)
        if self.unstable:
            return "⚠ unstable: found in few reruns"
        if self.stable:
            return "stable"
        return f"fairly stable ({self.stability:.2f})"

    @property
    def impact_text(self) -> str:
        """What the pain point costs the score, in the metric's units ("" when not measured).

        ``impact`` is the score without the pain point's items minus the score with them, so a
        positive impact means the score would rise without it.

        Example:
            >>> PainPointCard("PP01", "Refunds", 1, impact=8.24, impact_metric="NPS (-100..100)", impact_items=12).impact_text
            'Impact on NPS: +8.2 without it (12 scored items)'
            >>> PainPointCard("PP01", "Refunds", 1, impact=-0.05, impact_metric="rating (1-5)", impact_items=3).impact_text
            'Impact on rating: −0.05 without it (3 scored items)'
        """
        if self.impact is None or not self.impact_metric:
            return ""
        metric = self.impact_metric.split(" (")[0]
        digits = 1 if abs(self.impact) >= 1 else 2
        sign = "+" if self.impact >= 0 else "−"
        items = f" ({self.impact_items} scored item{'s' if self.impact_items != 1 else ''})" if self.impact_items else ""
        return f"Impact on {metric}: {sign}{abs(self.impact):.{digits}f} without it{items}"

    @property
    def severity_text(self) -> str:
        """"severity 81" (or "" when unknown)."""
        return "" if self.severity is None else f"severity {self.severity:.0f}"

    @property
    def facts(self) -> list[str]:
        """The short facts under the label: dimension, touchpoint, stage, reach."""
        reach = ""
        if self.n_participants:
            share = f" ({self.share_participants:.0%})" if self.share_participants is not None else ""
            reach = f"{self.n_participants} interviewee{'s' if self.n_participants != 1 else ''}{share}"
        return [f for f in (self.dimension, self.touchpoint, self.stage, reach) if f and f != "unknown"]


def painpoint_cards(painpoints: pd.DataFrame, passages: pd.DataFrame | None = None,
                    max_quotes: int = MAX_QUOTES) -> list[PainPointCard]:
    """The cards of a pain-points table, most severe first; the Other bucket is left out.

    Quotes come from ``quote_texts``, else from the passages named in ``quote_passages``.

    Example:
        >>> table = pd.DataFrame({"painpoint_id": ["PP02", "PP01", "other"], "label": ["Hold loop", "Refunds", "Other"],
        ...     "severity": [50.0, 80.0, 1.0], "quote_texts": [["On hold 74 minutes."], ["Still no refund."], []]})
        >>> [(c.painpoint_id, c.rank, c.quotes) for c in painpoint_cards(table)]
        [('PP01', 1, ('Still no refund.',)), ('PP02', 2, ('On hold 74 minutes.',))]
    """
    table = painpoints.copy()
    is_other = table["painpoint_id"].astype(str).str.lower() == OTHER_ID
    if "kind" in table.columns:
        is_other |= table["kind"].astype(str) == OTHER_ID
    table = table[~is_other]
    if "rank" in table.columns and table["rank"].notna().all():
        table = table.sort_values("rank", kind="stable")
    elif "severity" in table.columns:
        table = table.sort_values("severity", ascending=False, kind="stable")
    texts: dict[str, str] = {}
    if passages is not None and {"passage_id", "text"} <= set(passages.columns):
        texts = {str(k): _text(v) for k, v in zip(passages["passage_id"], passages["text"])}
    cards = []
    for position, row in enumerate(table.to_dict("records"), start=1):
        quotes = [_text(q) for q in _as_list(row.get("quote_texts"))]
        passage_ids = [str(p) for p in _as_list(row.get("quote_passages"))]
        quote_ids = passage_ids if len(passage_ids) == len(quotes) else []
        if not quotes:
            quote_ids = [p for p in passage_ids if texts.get(p)]
            quotes = [texts[p] for p in quote_ids]
        kept = [(q, quote_ids[i] if i < len(quote_ids) else "") for i, q in enumerate(quotes) if q][:max_quotes]
        n_participants = row.get("n_participants")
        impact_items = row.get("impact_items")
        cards.append(PainPointCard(
            painpoint_id=str(row["painpoint_id"]),
            label=_text(row.get("label"), str(row["painpoint_id"])),
            rank=position,
            severity=_float(row.get("severity")),
            dimension=_text(row.get("dimension")),
            touchpoint=_text(row.get("touchpoint")),
            stage=_text(row.get("stage")),
            kind=_text(row.get("kind")),
            n_participants=0 if _missing(n_participants) else int(n_participants),
            share_participants=_float(row.get("share_participants")),
            sentiment_mean=_float(row.get("sentiment_mean")),
            keywords=tuple(_text(k) for k in _as_list(row.get("keywords"))),
            quotes=tuple(q for q, _ in kept),
            quote_ids=tuple(i for _, i in kept) if all(i for _, i in kept) else (),
            stability=_float(row.get("stability")),
            stable=_flag(row.get("stable")),
            unstable=_flag(row.get("unstable")),
            impact=_float(row.get("impact")),
            impact_metric=_text(row.get("impact_metric")),
            impact_items=0 if _missing(impact_items) else int(impact_items),
        ))
    return cards


class PainPointsState:
    """The ranked pain-point cards with filters (persona, segment, touchpoint, stage), text
    search and quotes to step through.

    Persona and segment filters keep the pain points that those interviewees spoke about, and
    the quotes then come from them. Touchpoint and stage filters match the card's own
    touchpoint and stage. Search looks in the label, keywords, facts and quotes (any case).

    Example:
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
        self._by_id = {card.painpoint_id: card for card in self.cards}
        self.persona = ALL
        self.segment = ALL
        self.touchpoint = ALL
        self.stage = ALL
        self.search = ""
        self._quote_index: dict[str, int] = {}
        self._units = self._load_units(results)
        self._persona_members: dict[str, set[str]] = {}
        self._persona_names: dict[str, str] = {}
        if results.personas is not None and {"persona_id", "members"} <= set(results.personas.columns):
            for row in results.personas.to_dict("records"):
                persona_id = str(row["persona_id"])
                self._persona_members[persona_id] = {str(m) for m in _as_list(row.get("members"))}
                self._persona_names[persona_id] = _text(row.get("name"), persona_id)
        self._segment_members: dict[str, set[str]] = {}
        participants = results.participants
        if participants is not None and {"participant_id", "segment"} <= set(participants.columns):
            for pid, segment in zip(participants["participant_id"], participants["segment"]):
                if not _missing(segment) and str(segment).strip():
                    self._segment_members.setdefault(str(segment), set()).add(str(pid))

    @staticmethod
    def _load_units(results: Results) -> pd.DataFrame:
        if results.passages is None or results.passages.empty:
            return pd.DataFrame(columns=["passage_id", "painpoint_id", "participant_id", "text", "sentiment"])
        units = analysis_units(results.passages, results.assignments)
        return units[["passage_id", "painpoint_id", "participant_id", "text", "sentiment"]]

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
        from workbench.journey import ordered_stages

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
        units = self._units[(self._units["painpoint_id"] == painpoint_id)
                            & self._units["participant_id"].isin(list(allowed))]
        texts = [t for t in units.sort_values("sentiment", kind="stable")["text"] if t]
        representative = [q for q in card.quotes if q in set(texts)]
        rest = [t for t in texts if t not in set(representative)]
        return (representative + rest)[: self.max_quotes]

    def visible_cards(self) -> list[PainPointCard]:
        """The cards that pass every filter, in rank order."""
        allowed = self._allowed_participants()
        spoken: set[str] | None = None
        if allowed is not None:
            units = self._units[self._units["participant_id"].isin(list(allowed))]
            spoken = set(units["painpoint_id"])
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
                haystack = " ".join([card.label, *card.keywords, *card.facts, *self.quotes(card.painpoint_id)])
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


# ------------------------------------------------------------------------------------ personas


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
                    name=_text(row.get("name"), str(row["persona_id"])),
                    summary=_text(row.get("summary")),
                    size=0 if _missing(size) else int(size),
                    share=_float(row.get("share")),
                    goals=tuple(_text(g) for g in _as_list(row.get("goals"))),
                    frustrations=tuple(_text(f) for f in _as_list(row.get("frustrations"))),
                    preferred_touchpoints=tuple(_text(t) for t in _as_list(row.get("preferred_touchpoints"))),
                    avoided_touchpoints=tuple(_text(t) for t in _as_list(row.get("avoided_touchpoints"))),
                    quotes=tuple(_text(q) for q in _as_list(row.get("quotes"))),
                    design_for=_text(row.get("design_for")),
                    sentiment_mean=_float(row.get("sentiment_mean")),
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


# ------------------------------------------------------------------------------------ journey


class JourneyState:
    """The journey heatmap (colour: mean sentiment or share of pain moments) and the emotion
    curve of one persona (or all of them) along the journey stages.

    Example:
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
            self._names = {str(k): _text(v) for k, v in zip(results.personas["persona_id"], results.personas["name"])}

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
        journey = _plotly_safe_columns(self.results.journey, ("stage", "touchpoint", "top_painpoint_label"))
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
        curve = _plotly_safe_columns(curve, ("stage", "persona_id"))
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
        journey = self.results.journey
        if journey is None or journey.empty:
            return []
        table = journey.assign(_pain=journey["pain_share"].astype(float) * journey["n_units"].astype(float))
        lines = []
        for row in table.sort_values("_pain", ascending=False).head(n).to_dict("records"):
            if row["_pain"] <= 0:
                continue
            top = "" if _missing(row.get("top_painpoint_label")) else f"; mostly “{row['top_painpoint_label']}”"
            lines.append(f"{row['stage']} · {row['touchpoint']}: {row['pain_share']:.0%} of {int(row['n_units'])} "
                         f"units are pain moments{top}")
        return lines


# ------------------------------------------------------------------------------------ voting


@dataclass(frozen=True)
class BoardPoint:
    """A pain point on the impact × effort board.

    Example:
        >>> BoardPoint("PP01", "Refunds", 4.0, 2.0, "quick win", 3, False).placed_by
        '3 people'
    """

    painpoint_id: str
    label: str
    impact: float
    effort: float
    quadrant: str
    n_people: int
    consensus: bool

    @property
    def placed_by(self) -> str:
        """"consensus", "1 person", "3 people"."""
        if self.consensus:
            return "consensus"
        return "1 person" if self.n_people == 1 else f"{self.n_people} people"


@dataclass(frozen=True)
class RankedPainPoint:
    """A pain point in the ranking by votes.

    Example:
        >>> RankedPainPoint(1, "PP01", "Refunds", 4).votes_text
        '4 votes'
    """

    place: int
    painpoint_id: str
    label: str
    votes: int

    @property
    def votes_text(self) -> str:
        """"N vote" / "N votes"."""
        return votes_text(self.votes)


class _SessionReader:
    """A state that mirrors one workshop session of the store and re-reads it only when it changed."""

    store: Store
    session: str
    info: WorkshopSession
    _revision: int = -1

    def refresh(self, force: bool = False) -> bool:
        """Re-read the store if anything changed since the last read; return whether it did."""
        info = self.store.session_info(self.session)
        if not force and info.revision == self._revision:
            return False
        self.info = info
        self._reload()
        self._revision = info.revision
        return True

    def _reload(self) -> None:
        raise NotImplementedError


class VoteState(_SessionReader):
    """One person's part in the workshop: their name, their dots, votes, "How might we…"
    statements and impact × effort places, plus everyone's counts from the store.

    The name is asked once (:meth:`join`); nothing can be voted before. The store refuses a
    dot the person does not have, so two browser tabs of one person cannot overspend either.

    Example:
        >>> import tempfile
        >>> from workbench.store import Store, sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
        >>> cards = PainPointsState(demo_results()).cards
        >>> dana = VoteState(store, "kick-off", cards, dots_per_person=1)
        >>> dana.vote("PP01"), dana.message
        (False, 'Type your name and press Join before voting.')
        >>> dana.join("Dana"), dana.vote("PP01"), dana.vote("PP02")
        (True, True, False)
        >>> dana.message
        'Dana, you have no dots left in round 1. Use “Take back” on a card to move a dot.'
    """

    def __init__(self, store: Store, session: str, cards: Sequence[PainPointCard],
                 dots_per_person: int | None = None, sees_everything: bool = True) -> None:
        self.store = store
        self.session = session
        #: the facilitator sees all votes and statements even while they are hidden from participants
        self.sees_everything = sees_everything
        self.cards = list(cards)
        self._labels = {card.painpoint_id: card.label for card in self.cards}
        self.info: WorkshopSession = store.open_session(session, dots_per_person)
        self.name: str | None = None
        self.message = ""
        #: where the message belongs: "join", a pain point id, "board", "statements" or ""
        self.message_target = ""
        self.counts: dict[str, int] = {}
        self.my_votes: dict[str, int] = {}
        self.statements: list[HmwStatement] = []
        self.placements: list[Placement] = []
        self.people: list[str] = []
        self._revision = -1
        self.refresh(force=True)

    # -------------------------------------------------------------- reading

    def _reload(self) -> None:
        # while hidden, a participant's kernel does not even read the others' votes or statements
        self.counts = {} if self.votes_hidden else self.store.vote_counts(self.session)
        self.my_votes = self.store.votes_of(self.session, self.name) if self.name else {}
        statements = self.store.statements(self.session)
        if self.notes_private:
            mine = person_key(self.name) if self.name else None
            statements = [s for s in statements if mine is not None and person_key(s.author) == mine]
        self.statements = statements
        self.placements = self.store.placements(self.session)
        self.people = self.store.people(self.session)

    @property
    def votes_hidden(self) -> bool:
        """This person cannot see the totals now: the facilitator hid the votes (and this is not the facilitator)."""
        return self.info.votes_hidden and not self.sees_everything

    @property
    def notes_private(self) -> bool:
        """This person sees only their own statements now (the facilitator has not revealed the others')."""
        return self.info.notes_private and not self.sees_everything

    def timer_text(self, now: datetime | None = None) -> str:
        """The round countdown ("Time left 4:59", "Time's up", "" without a timer)."""
        return timer_text(self.info, now)

    @property
    def joined(self) -> bool:
        """Whether this person has given their name."""
        return self.name is not None

    @property
    def votes_left(self) -> int:
        """Dots this person may still spend in this round (all of them before joining)."""
        return max(0, self.info.dots_per_person - sum(self.my_votes.values()))

    @property
    def status(self) -> str:
        """One line about this person and the session, e.g. "Dana · 3 of 5 dots left · round 1 · voting open"."""
        state = "voting locked" if self.info.locked else "voting open"
        if self.info.votes_hidden:
            state += " · votes hidden until the facilitator reveals them"
        if not self.joined:
            return f"{self.info.dots_per_person} dots each · round {self.info.round} · {state}"
        return f"{self.name} · {self.votes_left} of {self.info.dots_per_person} dots left · round {self.info.round} · {state}"

    def count(self, painpoint_id: str) -> int:
        """Everyone's dots on a pain point in this round."""
        return int(self.counts.get(painpoint_id, 0))

    def count_text(self, painpoint_id: str) -> str:
        """"N vote" / "N votes" for a card ("votes hidden" while the facilitator hides them from this person)."""
        if self.votes_hidden:
            return HIDDEN_VOTES_TEXT
        return votes_text(self.count(painpoint_id))

    def my_count(self, painpoint_id: str) -> int:
        """This person's dots on a pain point."""
        return int(self.my_votes.get(painpoint_id, 0))

    def ranking(self) -> list[RankedPainPoint]:
        """Every pain point by votes (most first; ties in severity order); empty while the votes are hidden."""
        if self.votes_hidden:
            return []
        ordered = sorted(self.cards, key=lambda c: (-self.count(c.painpoint_id), c.rank))
        return [RankedPainPoint(i, c.painpoint_id, c.label, self.count(c.painpoint_id))
                for i, c in enumerate(ordered, start=1)]

    def statements_for(self, painpoint_id: str) -> list[HmwStatement]:
        """The "How might we…" statements of one pain point, oldest first."""
        return [s for s in self.statements if s.painpoint_id == painpoint_id]

    def my_place(self, painpoint_id: str) -> Placement | None:
        """Where this person put a pain point on the board (None when not yet)."""
        if not self.name:
            return None
        key = person_key(self.name)
        return next((p for p in self.placements if p.painpoint_id == painpoint_id and p.voter is not None
                     and person_key(p.voter) == key), None)

    def board(self) -> list[BoardPoint]:
        """Every placed pain point where the group put it (consensus, else the mean), in rank order."""
        positions: dict[str, BoardPosition] = board_positions(self.placements)
        points = []
        for card in self.cards:
            position = positions.get(card.painpoint_id)
            if position is not None:
                points.append(BoardPoint(card.painpoint_id, card.label, position.impact, position.effort,
                                         position.quadrant, position.n_people, position.consensus))
        return points

    # -------------------------------------------------------------- actions

    def _say(self, message: str, target: str = "") -> None:
        self.message, self.message_target = message, target

    def join(self, name: str) -> bool:
        """Give this person's name (once); return whether it was accepted."""
        try:
            self.name = self.store.join(self.session, name)
        except WorkshopActionError as error:
            self._say(f"Please type your name first ({error}).", "join")
            return False
        self.refresh(force=True)
        self._say(f"Welcome, {self.name}: you have {self.votes_left} of {self.info.dots_per_person} dots "
                  "to put on the pain points that matter most.", "join")
        return True

    def _require_name(self, target: str, doing: str) -> bool:
        if self.joined:
            return True
        self._say(f"Type your name and press Join before {doing}.", target)
        return False

    def _label(self, painpoint_id: str) -> str:
        if painpoint_id not in self._labels:
            raise WorkbenchError(f"no pain point {painpoint_id!r} in these results")
        return self._labels[painpoint_id]

    def vote(self, painpoint_id: str) -> bool:
        """Put one dot on a pain point; return whether it was placed (the message says why not)."""
        label = self._label(painpoint_id)
        if not self._require_name(painpoint_id, "voting"):
            return False
        outcome = self.store.cast_vote(self.session, painpoint_id, self.name or "", request_id=_request_id())
        self.refresh(force=True)
        if outcome.placed:
            self._say(f"Dot placed on “{label}”; {outcome.votes_left} of {self.info.dots_per_person} left.",
                      painpoint_id)
        elif outcome.reason == "no dots left":
            self._say(f"{self.name}, you have no dots left in round {self.info.round}. "
                      "Use “Take back” on a card to move a dot.", painpoint_id)
        elif outcome.reason == "time is up":
            self._say("Time is up: voting is closed for this round.", painpoint_id)
        else:
            self._say("Voting is locked by the facilitator.", painpoint_id)
        return outcome.placed

    def unvote(self, painpoint_id: str) -> bool:
        """Take back one of this person's dots on a pain point; return whether one was taken back."""
        label = self._label(painpoint_id)
        if not self._require_name(painpoint_id, "voting"):
            return False
        taken = self.store.remove_vote(self.session, painpoint_id, self.name or "", request_id=_request_id())
        self.refresh(force=True)
        if taken:
            self._say(f"Dot taken back from “{label}”; {self.votes_left} left.", painpoint_id)
        elif self.info.close_at_time_up and self.info.time_is_up:
            self._say("Time is up: voting is closed for this round.", painpoint_id)
        elif self.info.locked:
            self._say("Voting is locked by the facilitator.", painpoint_id)
        else:
            self._say(f"You have no dot on “{label}” to take back.", painpoint_id)
        return taken

    def add_statement(self, painpoint_id: str, text: str, quote_ids: Sequence[str] = ()) -> bool:
        """Add a "How might we…" statement to a pain point ("How might we" is added when missing),
        citing the quotes (passage ids) in ``quote_ids``."""
        label = self._label(painpoint_id)
        if not self._require_name("statements", "adding a statement"):
            return False
        cleaned = " ".join(str(text or "").split())
        if not cleaned:
            self._say("Write a statement first, e.g. “How might we confirm every payment at once?”", "statements")
            return False
        if not cleaned.casefold().startswith(HMW_PREFIX.casefold()):
            cleaned = f"{HMW_PREFIX} {cleaned[0].lower()}{cleaned[1:]}"
        try:
            self.store.add_statement(self.session, painpoint_id, self.name or "", cleaned, request_id=_request_id(),
                                     quote_ids=[q for q in quote_ids if q])
        except WorkshopActionError as error:
            self._say(str(error), "statements")
            return False
        self.refresh(force=True)
        private = " Others see it when the facilitator reveals the statements." if self.notes_private else ""
        self._say(f"Statement added to “{label}”.{private}", "statements")
        return True

    def place(self, painpoint_id: str, impact: float, effort: float) -> bool:
        """Put a pain point on the impact × effort board (1 = low … 5 = high); the latest place wins."""
        label = self._label(painpoint_id)
        if not self._require_name("board", "placing pain points"):
            return False
        try:
            self.store.place(self.session, painpoint_id, self.name, impact, effort)
        except WorkshopActionError as error:
            self._say(str(error), "board")
            return False
        self.refresh(force=True)
        self._say(f"“{label}” placed at impact {float(impact):g}, effort {float(effort):g}.", "board")
        return True


# ------------------------------------------------------------------------------------ facilitator


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


class FacilitatorState(_SessionReader):
    """What the facilitator sees and does: results of the session (ranked by votes), who
    voted, exports (Markdown, HTML, CSV), lock voting, new round, the consensus board place.

    Example:
        >>> import tempfile
        >>> from workbench.store import Store, sqlite_url
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
                 export_dir: Path | str | None = None, token: str | None = None) -> None:
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
        self.dots_spent: dict[str, int] = {}
        self._revision = -1
        self.refresh(force=True)

    def _reload(self) -> None:
        self.table = session_results(self.painpoints, self.store.vote_counts(self.session),
                                     self.store.placements(self.session), self.store.statements(self.session))
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
        return render_results(self.table, self.info, fmt, self.study, list(self.dots_spent))

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
        paths = [write_results(target / self.file_name(fmt), self.table, self.info, self.study, people)
                 for fmt in ("markdown", "html", "csv")]
        assert all(p.suffix in EXPORT_FORMATS for p in paths)
        self.message = "Saved " + ", ".join(p.name for p in paths) + f" in {target}."
        return paths


# ------------------------------------------------------------------------------------ the app


@dataclass
class WorkshopState:
    """All five views' states for one results folder and one workshop session.

    Example:
        >>> import tempfile
        >>> from workbench.store import Store, sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
        >>> app = WorkshopState(demo_results(), store, "kick-off")
        >>> app.title
        'Skylark Travel · workshop “kick-off”'
    """

    results: Results
    store: Store
    session: str = DEFAULT_SESSION
    dots_per_person: int | None = None
    #: the token of the facilitator link (``?facilitator=…``); None for a participant
    facilitator_token: str | None = None
    painpoints: PainPointsState = field(init=False)
    personas: PersonasState = field(init=False)
    journey: JourneyState = field(init=False)
    vote: VoteState = field(init=False)
    facilitator: FacilitatorState = field(init=False)

    def __post_init__(self) -> None:
        self.painpoints = PainPointsState(self.results)
        self.personas = PersonasState(self.results)
        self.journey = JourneyState(self.results)
        self.vote = VoteState(self.store, self.session, self.painpoints.cards, self.dots_per_person,
                              sees_everything=self.store.is_facilitator(self.session, self.facilitator_token))
        export_dir = Path(self.results.results_dir) / "workshop"
        self.facilitator = FacilitatorState(self.store, self.session, self.results.painpoints,
                                            self.results.study_name, export_dir, token=self.facilitator_token)
        #: where each pain point's impact slider starts (measured impact scaled 1..5, else 3)
        self.board_defaults = default_impacts(self.painpoints.cards)

    @property
    def is_facilitator(self) -> bool:
        """Whether this person holds the facilitator link (everyone does in a session without a token)."""
        return self.vote.sees_everything

    def set_facilitator_token(self, token: str | None) -> bool:
        """Take the role the token gives (the facilitator's, or a participant's); return whether it is the facilitator's.

        Example:
            >>> import tempfile
            >>> from workbench.store import Store, sqlite_url
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
            >>> _ = store.set_facilitator_token("kick-off", "facilitator-secret-123")
            >>> app = WorkshopState(demo_results(), store, "kick-off")
            >>> app.is_facilitator, app.set_facilitator_token("facilitator-secret-123")
            (False, True)
        """
        self.facilitator_token = token or None
        self.facilitator.token = self.facilitator_token
        self.vote.sees_everything = self.store.is_facilitator(self.session, self.facilitator_token)
        self.vote.refresh(force=True)
        return self.vote.sees_everything

    @property
    def title(self) -> str:
        """"Study · workshop “session”"."""
        return f"{self.results.study_name} · workshop “{self.session}”"

    def refresh(self) -> bool:
        """Re-read the store for every view; return whether anything changed."""
        changed_votes = self.vote.refresh()
        # a participant's kernel does not rebuild the facilitator's results table on every change
        changed_results = self.facilitator.refresh() if self.is_facilitator else False
        return changed_votes or changed_results


def open_workshop(results_dir: Path | str | None = None, session: str | None = None,
                  store_url: str | None = None, dots_per_person: int | None = None,
                  facilitator_token: str | None = None) -> WorkshopState:
    """The workshop of a results folder: its saved results and its store (no model is loaded).

    Args:
        results_dir: the results folder (default: ``WORKBENCH_RESULTS``).
        session: the workshop session (default: ``WORKBENCH_SESSION``, else ``"workshop"``).
        store_url: the store (default: ``WORKBENCH_STORE``, else ``store.sqlite`` in the results folder).

    Raises:
        WorkbenchError: no results folder given, or it holds no analysis.

    Example:
        >>> open_workshop("/nowhere")
        Traceback (most recent call last):
        ...
        workbench.errors.WorkbenchError: /nowhere: no such results folder; run `workbench analyze STUDY` first (or pass --results)
    """
    from workbench.study import store_url as default_store_url

    folder = results_dir or os.environ.get("WORKBENCH_RESULTS")
    if not folder:
        raise WorkbenchError("no results folder: set WORKBENCH_RESULTS or pass results_dir (STUDY/.workbench)")
    results = load_results(folder)
    name = session or os.environ.get("WORKBENCH_SESSION") or DEFAULT_SESSION
    store = Store(store_url or default_store_url(Path(folder)))
    return WorkshopState(results, store, name, dots_per_person, facilitator_token)


def demo_results() -> Results:
    """A tiny in-memory result set (two pain points, two personas) for examples and tests.

    Example:
        >>> demo_results().painpoints["painpoint_id"].tolist()
        ['PP01', 'PP02', 'other']
    """
    painpoints = pd.DataFrame({
        "painpoint_id": ["PP01", "PP02", "other"],
        "label": ["Payment taken, no confirmation", "Refunds take weeks", "Other"],
        "keywords": [["payment", "confirmation"], ["refund", "weeks"], []],
        "severity": [81.0, 64.0, 3.0],
        "dimension": ["sales process", "customer service", "other"],
        "touchpoint": ["website", "call centre", "unknown"],
        "stage": ["purchase/booking", "support", "unknown"],
        "kind": ["pain", "pain", "other"],
        "n_participants": [2, 1, 0],
        "share_participants": [2 / 3, 1 / 3, 0.0],
        "sentiment_mean": [-0.6, -0.5, 0.0],
        "quote_texts": [["Money left my card, no email for two days.", "Charged twice <script>alert(1)</script>"],
                        ["Six weeks and still no refund."], []],
        "quote_passages": [["a-1", "b-1"], ["c-1"], []],
        "rank": [1, 2, 3],
    })
    passages = pd.DataFrame({
        "passage_id": ["a-1", "b-1", "c-1", "d-1"],
        "segment_id": ["a", "b", "c", "d"],
        "text": ["Money left my card, no email for two days.", "Charged twice <script>alert(1)</script>",
                 "Six weeks and still no refund.", "The app is fine."],
        "participant_id": ["P01", "P02", "P01", "P03"],
        "sentiment": [-0.7, -0.6, -0.5, 0.3],
        "stage": ["purchase/booking", "purchase/booking", "support", "use"],
        "touchpoint": ["website", "website", "call centre", "mobile app"],
    })
    assignments = pd.DataFrame({"passage_id": ["a-1", "b-1", "c-1", "d-1"],
                                "painpoint_id": ["PP01", "PP01", "PP02", "other"],
                                "moment": ["pain", "pain", "pain", "neutral"]})
    participants = pd.DataFrame({"participant_id": ["P01", "P02", "P03"], "segment": ["business", "family", "family"]})
    personas = pd.DataFrame({
        "persona_id": ["PE1", "PE2"], "name": ["The Busy Flyer", "The Careful Planner"],
        "summary": ["1 of 3 interviewees: business travellers.", "2 of 3 interviewees: families."],
        "size": [1, 2], "share": [1 / 3, 2 / 3], "goals": [["Get there on time"], ["Know the booking is safe"]],
        "frustrations": [["Refunds take weeks"], ["Payment taken, no confirmation"]],
        "preferred_touchpoints": [["mobile app"], ["website"]], "avoided_touchpoints": [["call centre"], []],
        "quotes": [["Six weeks and still no refund."], ["Charged twice <script>alert(1)</script>"]],
        "design_for": ["Design for busy flyers.", "Design for careful planners."],
        "members": [["P01"], ["P02", "P03"]], "sentiment_mean": [-0.6, -0.15],
    })
    from workbench.journey import journey_matrix

    journey = journey_matrix(passages, assignments, painpoints)
    return Results(Path("skylark/.workbench"), painpoints, {"study_name": "Skylark Travel"}, assignments, passages,
                   None, participants, personas, journey)


def _request_id() -> str:
    """A fresh id for one click: the store's retries of that write then count it once.

    Example:
        >>> len(_request_id()) == 32 and _request_id() != _request_id()
        True
    """
    return uuid.uuid4().hex
