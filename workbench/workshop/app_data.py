"""What the workshop app shows, derived from the saved results and the store: the results logic
behind its views, so that ``widgets/workshop/`` only renders.

* reading one cell of a results table (:func:`cell_missing`, :func:`cell_list`, :func:`cell_text`,
  :func:`cell_float`, :func:`cell_flag`): gaps, NaN and arrays as the views expect them;
* the pain points in the order the app shows them, without the Other bucket
  (:func:`ranked_painpoints`), and each one's representative quotes (:func:`representative_quotes`);
* the quotes of some interviewees only, for the persona and segment filters (:func:`quote_units`,
  :func:`painpoints_spoken_by`, :func:`quotes_from`);
* where each pain point's impact slider starts on the board: the measured impact scaled 1–5
  (:func:`default_impacts`, :func:`board_impact_note`);
* the ranking by votes (:func:`rank_by_votes`), the session's results table read from the store
  (:func:`read_session_results`) and the journey's hotspots (:func:`journey_hotspots`).

Plain pandas; no widget, no model.

Example:
    >>> table = pd.DataFrame({"painpoint_id": ["PP02", "PP01", "other"], "severity": [50.0, 80.0, 1.0]})
    >>> ranked_painpoints(table)["painpoint_id"].tolist()
    ['PP01', 'PP02']
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import pandas as pd

from workbench.analysis.kinds import PAINPOINT_KINDS, row_kinds
from workbench.people.journey import analysis_units
from workbench.workshop.results import session_results

if TYPE_CHECKING:
    from workbench.storage.store import Store

#: the id (and kind) of the bucket of units that fit no pain point; the app leaves it out
OTHER_ID = "other"
#: quotes one card steps through at most
MAX_QUOTES = 6
#: where an impact × effort slider starts when the results measured no impact
DEFAULT_BOARD_IMPACT = 3
#: the columns of :func:`quote_units`
UNIT_COLUMNS = ["passage_id", "painpoint_id", "participant_id", "text", "sentiment"]


class MeasuredImpact(Protocol):
    """A pain point with its measured impact on a score (a workshop card)."""

    painpoint_id: str
    impact: float | None
    impact_metric: str


class RankedItem(Protocol):
    """A pain point with its rank in the results (1 = most severe)."""

    painpoint_id: str
    rank: int


Ranked = TypeVar("Ranked", bound=RankedItem)


# ------------------------------------------------------------------------------------ cells


def cell_missing(value: Any) -> bool:
    """Whether a table cell is empty (None, NaN, NA); a list, tuple or dict never is.

    Example:
        >>> cell_missing(None), cell_missing(float("nan")), cell_missing([]), cell_missing("")
        (True, True, False, False)
    """
    if value is None:
        return True
    try:
        return bool(pd.isna(value)) if not isinstance(value, (list, tuple, dict)) else False
    except (TypeError, ValueError):
        return False


def cell_list(value: Any) -> list[Any]:
    """A list from a list/array/tuple; None or NaN gives an empty list; a scalar a one-item list.

    Example:
        >>> import numpy as np
        >>> cell_list(np.array(["a", "b"])), cell_list(None), cell_list("a"), cell_list(["a", None])
        (['a', 'b'], [], ['a'], ['a'])
    """
    if value is None or isinstance(value, (str, bytes)) and not value:
        return []
    if isinstance(value, str):
        return [value]
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [v for v in value if not cell_missing(v)]
    return [] if cell_missing(value) else [value]


def cell_text(value: Any, default: str = "") -> str:
    """A cell as text (``default`` when empty).

    Example:
        >>> cell_text(float("nan"), "none"), cell_text(3)
        ('none', '3')
    """
    return default if cell_missing(value) else str(value)


def cell_float(value: Any) -> float | None:
    """A cell as a number (None when empty or not a number).

    Example:
        >>> cell_float("2.5"), cell_float("x"), cell_float(None)
        (2.5, None, None)
    """
    if cell_missing(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def cell_flag(value: Any) -> bool:
    """A cell as True/False (an empty cell is False).

    Example:
        >>> cell_flag(None), cell_flag(True), cell_flag(0)
        (False, True, False)
    """
    return False if cell_missing(value) else bool(value)


# ------------------------------------------------------------------------------------ pain points


def ranked_painpoints(painpoints: pd.DataFrame, kinds: Sequence[str] = PAINPOINT_KINDS) -> pd.DataFrame:
    """The pain points the app shows, in its order: by ``rank`` when every one has one, else most
    severe first; the Other bucket is left out, and so are delights ("What works", pass
    ``kinds=("delight",)`` for them) and context.

    Example:
        >>> table = pd.DataFrame({"painpoint_id": ["PP02", "PP01", "PP03", "X"], "rank": [2, 1, 3, 4],
        ...                       "kind": ["pain", "pain", "delight", "other"]})
        >>> ranked_painpoints(table)["painpoint_id"].tolist(), ranked_painpoints(table, ("delight",))["painpoint_id"].tolist()
        (['PP01', 'PP02'], ['PP03'])
    """
    table = painpoints.copy()
    is_other = table["painpoint_id"].astype(str).str.lower() == OTHER_ID
    if "kind" in table.columns:
        is_other |= table["kind"].astype(str) == OTHER_ID
    table = table[~is_other & row_kinds(table).isin(list(kinds)).to_numpy()]
    if "rank" in table.columns and table["rank"].notna().all():
        table = table.sort_values("rank", kind="stable")
    elif "severity" in table.columns:
        table = table.sort_values("severity", ascending=False, kind="stable")
    return table


def passage_texts(passages: pd.DataFrame | None) -> dict[str, str]:
    """Each passage's text by passage id (empty without passages).

    Example:
        >>> passage_texts(pd.DataFrame({"passage_id": ["a-1"], "text": ["Still no refund."]}))
        {'a-1': 'Still no refund.'}
    """
    if passages is None or not {"passage_id", "text"} <= set(passages.columns):
        return {}
    return {str(k): cell_text(v) for k, v in zip(passages["passage_id"], passages["text"])}


def representative_quotes(row: Mapping[str, Any], texts: Mapping[str, str],
                          max_quotes: int = MAX_QUOTES) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A pain point's quotes and their passage ids (the ids empty when the results do not name them all).

    Quotes come from ``quote_texts``, else from the passages named in ``quote_passages`` (``texts``:
    :func:`passage_texts`).

    Example:
        >>> representative_quotes({"quote_passages": ["c-1"]}, {"c-1": "Six weeks and still no refund."})
        (('Six weeks and still no refund.',), ('c-1',))
        >>> representative_quotes({"quote_texts": ["On hold 74 minutes."]}, {})
        (('On hold 74 minutes.',), ())
    """
    quotes = [cell_text(q) for q in cell_list(row.get("quote_texts"))]
    passage_ids = [str(p) for p in cell_list(row.get("quote_passages"))]
    quote_ids = passage_ids if len(passage_ids) == len(quotes) else []
    if not quotes:
        quote_ids = [p for p in passage_ids if texts.get(p)]
        quotes = [texts[p] for p in quote_ids]
    kept = [(q, quote_ids[i] if i < len(quote_ids) else "") for i, q in enumerate(quotes) if q][:max_quotes]
    return tuple(q for q, _ in kept), (tuple(i for _, i in kept) if all(i for _, i in kept) else ())


def quote_units(passages: pd.DataFrame | None, assignments: pd.DataFrame | None) -> pd.DataFrame:
    """Every unit with its pain point, interviewee, text and sentiment (the pool the filters quote from).

    Example:
        >>> quote_units(None, None).columns.tolist()
        ['passage_id', 'painpoint_id', 'participant_id', 'text', 'sentiment']
    """
    if passages is None or passages.empty:
        return pd.DataFrame(columns=UNIT_COLUMNS)
    units = analysis_units(passages, assignments)
    return units[UNIT_COLUMNS]


def painpoints_spoken_by(units: pd.DataFrame, participants: Iterable[str]) -> set[str]:
    """The pain points some of ``participants`` spoke about (``units``: :func:`quote_units`).

    Example:
        >>> units = pd.DataFrame({"painpoint_id": ["PP01", "PP02"], "participant_id": ["P01", "P02"]})
        >>> painpoints_spoken_by(units, {"P02"})
        {'PP02'}
    """
    return set(units[units["participant_id"].isin(list(participants))]["painpoint_id"])


def quotes_from(units: pd.DataFrame, painpoint_id: str, participants: Iterable[str],
                representative: Sequence[str] = (), max_quotes: int = MAX_QUOTES) -> list[str]:
    """The quotes of a pain point by ``participants`` only: its representative quotes first, then
    the others most negative first.

    Example:
        >>> units = pd.DataFrame({"painpoint_id": ["PP01"] * 3, "participant_id": ["P01", "P01", "P02"],
        ...                       "text": ["Fine.", "Awful.", "Bad."], "sentiment": [0.1, -0.9, -0.5]})
        >>> quotes_from(units, "PP01", {"P01"}), quotes_from(units, "PP01", {"P01"}, ["Fine."])
        (['Awful.', 'Fine.'], ['Fine.', 'Awful.'])
    """
    units = units[(units["painpoint_id"] == painpoint_id) & units["participant_id"].isin(list(participants))]
    texts = [t for t in units.sort_values("sentiment", kind="stable")["text"] if t]
    chosen = [q for q in representative if q in set(texts)]
    rest = [t for t in texts if t not in set(chosen)]
    return (chosen + rest)[:max_quotes]


# ------------------------------------------------------------------------------------ board and ranking


def default_impacts(cards: Sequence[MeasuredImpact]) -> dict[str, int]:
    """Where the impact slider of each pain point starts: its measured impact scaled to 1..5 across
    the pain points (the one that costs the score most at 5), else ``DEFAULT_BOARD_IMPACT``.

    Example:
        >>> from types import SimpleNamespace as Card
        >>> cards = [Card(painpoint_id="PP01", impact=8.0, impact_metric="NPS"),
        ...          Card(painpoint_id="PP02", impact=2.0, impact_metric="NPS"),
        ...          Card(painpoint_id="PP03", impact=-4.0, impact_metric="NPS"),
        ...          Card(painpoint_id="PP04", impact=None, impact_metric="")]
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


def board_impact_note(cards: Sequence[MeasuredImpact]) -> str:
    """One sentence under the board saying where the impact sliders start, and why.

    Example:
        >>> from types import SimpleNamespace as Card
        >>> board_impact_note([Card(painpoint_id="PP01", impact=None, impact_metric="")])
        'Impact starts at 3 (the results measured no effect on a score); move it to where you think it belongs.'
    """
    metrics = sorted({c.impact_metric.split(" (")[0] for c in cards if c.impact is not None and c.impact_metric})
    if not metrics:
        return (f"Impact starts at {DEFAULT_BOARD_IMPACT} (the results measured no effect on a score); "
                "move it to where you think it belongs.")
    return (f"Impact starts from the measured effect on {' / '.join(metrics)} (scaled 1–5 across pain points: "
            "5 costs the score most); move it if the group disagrees.")


def rank_by_votes(cards: Sequence[Ranked], counts: Mapping[str, int]) -> list[Ranked]:
    """The pain points by votes, most first; ties keep their order in the results (``rank``).

    Example:
        >>> from types import SimpleNamespace as Card
        >>> cards = [Card(painpoint_id="PP01", rank=1), Card(painpoint_id="PP02", rank=2)]
        >>> [c.painpoint_id for c in rank_by_votes(cards, {"PP02": 2})]
        ['PP02', 'PP01']
    """
    return sorted(cards, key=lambda c: (-int(counts.get(c.painpoint_id, 0)), c.rank))


def read_session_results(store: Store, session: str, painpoints: pd.DataFrame) -> pd.DataFrame:
    """The session's results table (:func:`workbench.workshop.results.session_results`) from what the
    store holds now: votes of the current round, board places and statements.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from workbench.storage.store import Store, sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
        >>> _ = store.add_vote("kick-off", "PP02", "Dana")
        >>> table = pd.DataFrame({"painpoint_id": ["PP01", "PP02"], "label": ["A", "B"], "severity": [80.0, 60.0]})
        >>> read_session_results(store, "kick-off", table)["painpoint_id"].tolist()
        ['PP02', 'PP01']
    """
    return session_results(painpoints, store.vote_counts(session), store.placements(session),
                           store.statements(session))


# ------------------------------------------------------------------------------------ journey


def journey_hotspots(journey: pd.DataFrame | None, n: int = 3) -> list[str]:
    """The ``n`` journey cells with the most pain moments, as sentences.

    Example:
        >>> journey = pd.DataFrame({"stage": ["support", "use"], "touchpoint": ["call centre", "app"],
        ...     "n_units": [4, 10], "pain_share": [0.5, 0.0], "top_painpoint_label": ["Refunds", None]})
        >>> journey_hotspots(journey)
        ['support · call centre: 50% of 4 units are pain moments; mostly “Refunds”']
    """
    if journey is None or journey.empty:
        return []
    table = journey.assign(_pain=journey["pain_share"].astype(float) * journey["n_units"].astype(float))
    lines = []
    for row in table.sort_values("_pain", ascending=False).head(n).to_dict("records"):
        if row["_pain"] <= 0:
            continue
        top = "" if cell_missing(row.get("top_painpoint_label")) else f"; mostly “{row['top_painpoint_label']}”"
        lines.append(f"{row['stage']} · {row['touchpoint']}: {row['pain_share']:.0%} of {int(row['n_units'])} "
                     f"units are pain moments{top}")
    return lines
