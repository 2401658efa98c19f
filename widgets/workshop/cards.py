"""What one pain-point card shows, and the cards of a results table.

A card holds the label, facts, quotes and evidence of one pain point (stability over reruns,
impact on the score) and words them for the page; the order and the quotes come from
:mod:`workbench.workshop.app_data`.

Example:
    >>> from widgets.workshop.demo import demo_results
    >>> [card.label for card in painpoint_cards(demo_results().painpoints)]
    ['Payment taken, no confirmation', 'Refunds take weeks']
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from workbench.analysis.kinds import PAINPOINT_KINDS
from workbench.analysis.lens_attribution import lens_text
from workbench.workshop.app_data import (
    MAX_QUOTES,
    cell_flag,
    cell_float,
    cell_list,
    cell_missing,
    cell_text,
    passage_texts,
    ranked_painpoints,
    representative_quotes,
)


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
    #: the pain point in one sentence of the customers' own words (older results: "")
    statement: str = ""

    @property
    def heading(self) -> str:
        """What the card says first: the statement, else the label.

        Example:
            >>> PainPointCard("PP01", "Refunds", 1, statement="The refund took seven weeks.").heading
            'The refund took seven weeks.'
            >>> PainPointCard("PP01", "Refunds", 1).heading
            'Refunds'
        """
        return self.statement or self.label

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
                    max_quotes: int = MAX_QUOTES, kinds: Sequence[str] = PAINPOINT_KINDS) -> list[PainPointCard]:
    """The cards of a pain-points table, most severe first; Other, delights and context are left out
    (``kinds=("delight",)`` gives the "What works" cards, :func:`what_works_cards`).

    Quotes come from ``quote_texts``, else from the passages named in ``quote_passages``.

    Example:
        >>> table = pd.DataFrame({"painpoint_id": ["PP02", "PP01", "other"], "label": ["Hold loop", "Refunds", "Other"],
        ...     "severity": [50.0, 80.0, 1.0], "quote_texts": [["On hold 74 minutes."], ["Still no refund."], []]})
        >>> [(c.painpoint_id, c.rank, c.quotes) for c in painpoint_cards(table)]
        [('PP01', 1, ('Still no refund.',)), ('PP02', 2, ('On hold 74 minutes.',))]
    """
    texts = passage_texts(passages)
    cards = []
    for position, row in enumerate(ranked_painpoints(painpoints, kinds).to_dict("records"), start=1):
        quotes, quote_ids = representative_quotes(row, texts, max_quotes)
        n_participants = row.get("n_participants")
        impact_items = row.get("impact_items")
        cards.append(PainPointCard(
            painpoint_id=str(row["painpoint_id"]),
            label=cell_text(row.get("label"), str(row["painpoint_id"])),
            rank=position,
            severity=cell_float(row.get("severity")),
            dimension=lens_text(row, "dimension"),  # "mixed (a / b)" where no label clearly wins
            touchpoint=lens_text(row, "touchpoint"),
            stage=lens_text(row, "stage"),
            kind=cell_text(row.get("kind")),
            n_participants=0 if cell_missing(n_participants) else int(n_participants),
            share_participants=cell_float(row.get("share_participants")),
            sentiment_mean=cell_float(row.get("sentiment_mean")),
            keywords=tuple(cell_text(k) for k in cell_list(row.get("keywords"))),
            quotes=quotes,
            quote_ids=quote_ids,
            stability=cell_float(row.get("stability")),
            stable=cell_flag(row.get("stable")),
            unstable=cell_flag(row.get("unstable")),
            impact=cell_float(row.get("impact")),
            impact_metric=cell_text(row.get("impact_metric")),
            impact_items=0 if cell_missing(impact_items) else int(impact_items),
            statement=cell_text(row.get("statement")),
        ))
    return cards


def what_works_cards(painpoints: pd.DataFrame, passages: pd.DataFrame | None = None,
                     max_quotes: int = MAX_QUOTES) -> list[PainPointCard]:
    """The delights ("What works"), listed apart from the pain points, largest first.

    Example:
        >>> table = pd.DataFrame({"painpoint_id": ["PP01", "PP02"], "label": ["Refunds", "Desk staff"],
        ...     "kind": ["pain", "delight"], "severity": [70.0, 0.0], "rank": [1, 2],
        ...     "statement": ["The refund took weeks.", "The desk agent walked me to the taxi."],
        ...     "quote_texts": [["Still no refund."], ["She walked me there."]]})
        >>> [(c.heading, c.quotes) for c in what_works_cards(table)]
        [('The desk agent walked me to the taxi.', ('She walked me there.',))]
    """
    return painpoint_cards(painpoints, passages, max_quotes, kinds=("delight",))
