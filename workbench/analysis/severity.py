"""How much a pain point hurts, and which quotes show it best.

Severity (0–100) combines three things a design team weighs, each in [0, 1]:

* **reach** — the share of *voices* (interview participants, or single feedback
  items, which each speak for one customer) who raise the pain point;
* **intensity** — how negative its units are: the mean of ``max(0, -sentiment)``
  blended half-and-half with the share of its units classified as a pain moment;
* **frequency** — its share of all analysed units.

``severity = 100 * (0.45 * reach / max_reach + 0.35 * intensity + 0.20 * frequency / max_frequency)``

Reach and frequency are scaled by the largest pain point of the study so the most
widespread one scores full marks on them; intensity is absolute, so a widespread
but happy theme (a delight) still ranks low.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

REACH_WEIGHT = 0.45
INTENSITY_WEIGHT = 0.35
FREQUENCY_WEIGHT = 0.20


def severity_scores(units: pd.DataFrame, painpoint_column: str = "painpoint_id") -> pd.DataFrame:
    """Severity and its parts for each pain point.

    Args:
        units: one row per analysed unit with ``painpoint_column``, ``voice`` (who
            speaks: participant id or feedback segment id), ``sentiment`` in [-1, 1]
            and ``moment``.

    Returns:
        One row per pain point: ``n_units``, ``n_voices``, ``reach``, ``intensity``,
        ``frequency``, ``sentiment_mean``, ``severity``.

    Example:
        >>> units = pd.DataFrame({
        ...     "painpoint_id": ["a", "a", "a", "b"], "voice": ["P1", "P2", "P3", "P1"],
        ...     "sentiment": [-0.8, -0.6, -0.7, 0.9], "moment": ["pain", "pain", "pain", "delight"]})
        >>> scores = severity_scores(units)
        >>> bool(scores.loc["a", "severity"] > scores.loc["b", "severity"])
        True
    """
    total_voices = max(units["voice"].nunique(), 1)
    total_units = max(len(units), 1)
    grouped = units.groupby(painpoint_column, sort=True)
    table = pd.DataFrame(
        {
            "n_units": grouped.size(),
            "n_voices": grouped["voice"].nunique(),
            "sentiment_mean": grouped["sentiment"].mean(),
            "negativity": grouped["sentiment"].apply(lambda s: float(np.clip(-s, 0, None).mean())),
            "pain_share": grouped["moment"].apply(lambda m: float((m == "pain").mean())),
        }
    )
    table["reach"] = table["n_voices"] / total_voices
    table["frequency"] = table["n_units"] / total_units
    table["intensity"] = 0.5 * table["negativity"] + 0.5 * table["pain_share"]
    max_reach = max(float(table["reach"].max()), 1e-9)
    max_frequency = max(float(table["frequency"].max()), 1e-9)
    table["severity"] = 100 * (
        REACH_WEIGHT * table["reach"] / max_reach
        + INTENSITY_WEIGHT * table["intensity"]
        + FREQUENCY_WEIGHT * table["frequency"] / max_frequency
    )
    return table.drop(columns=["negativity", "pain_share"])


def representative_quotes(
    vectors: np.ndarray,
    voices: Sequence[str],
    n_quotes: int = 4,
    diversity: float = 0.5,
    min_words: Sequence[int] | None = None,
) -> list[int]:
    """Pick diverse, typical quotes of one pain point by maximal marginal relevance.

    Each step takes the unit that is most similar to the pain point's centroid and
    least similar to the quotes already chosen; a unit from a voice already quoted
    is only taken when no other voice is left, so quotes come from different people.

    Args:
        vectors: L2-normalised embeddings of the pain point's units.
        voices: who said each unit (participant id, or the feedback item's id).
        n_quotes: how many to return.
        diversity: 0 = most typical only, 1 = most different only.
        min_words: word count of each unit; units under 6 words are used last.

    Returns:
        Row indices into ``vectors``, best first.

    Example:
        >>> v = np.array([[1, 0], [0.99, 0.14], [0.8, 0.6], [0, 1]], dtype=float)
        >>> v = v / np.linalg.norm(v, axis=1, keepdims=True)
        >>> representative_quotes(v, ["P1", "P1", "P2", "P3"], n_quotes=2)
        [2, 0]
    """
    n = len(vectors)
    if n == 0:
        return []
    centroid = vectors.mean(axis=0)
    centroid = centroid / (np.linalg.norm(centroid) or 1.0)
    relevance = vectors @ centroid
    if min_words is not None:
        relevance = relevance - 0.5 * (np.asarray(min_words) < 6)
    chosen: list[int] = []
    quoted_voices: set[str] = set()
    while len(chosen) < min(n_quotes, n):
        candidates = [i for i in range(n) if i not in chosen and voices[i] not in quoted_voices]
        if not candidates:
            candidates = [i for i in range(n) if i not in chosen]
        if chosen:
            redundancy = (vectors[candidates] @ vectors[chosen].T).max(axis=1)
        else:
            redundancy = np.zeros(len(candidates))
        score = (1 - diversity) * relevance[candidates] - diversity * redundancy
        best = candidates[int(np.argmax(score))]
        chosen.append(best)
        quoted_voices.add(voices[best])
    return chosen
