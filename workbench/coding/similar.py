""""Code all similar": the passages nearest in meaning to those a code is already on.

:func:`similar_passages` reads the analysis' own vectors through the evidence search
(:class:`workbench.analysis.search.EvidenceSearch`, which reads the embedding cache of the results
folder: no model runs for passages already analysed) and ranks every passage by cosine
similarity to the mean vector of the code's examples (the passages it is on). A code nobody has
applied yet is looked up by its name and description instead (one question embedded).
Passages in ``exclude`` (already coded, or turned down) are never proposed. What the researcher
accepts is recorded as their own code, with ``origin="similar:<code_id>"``.

Example:
    >>> import numpy as np
    >>> units = pd.DataFrame({"passage_id": ["a-1", "b-1", "c-1"], "segment_id": ["a", "b", "c"],
    ...                       "text": ["Refund took weeks", "Refund still missing", "Nice crew"]})
    >>> vectors = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]])
    >>> rank_by_examples(units, vectors, ["a-1"], k=2)[["passage_id", "score"]].values.tolist()
    [['b-1', 0.9939], ['c-1', 0.0]]
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import WorkbenchError

#: how many passages "code all similar" proposes
DEFAULT_PROPOSALS = 20
#: the columns of :func:`similar_passages`
SIMILAR_COLUMNS = ["passage_id", "segment_id", "score", "text", "participant_id", "source_id"]
#: finds similar passages: (examples, k, exclude, describe) -> a table with :data:`SIMILAR_COLUMNS`
SimilarFinder = Callable[[Sequence[str], int, Iterable[str], str], pd.DataFrame]


def rank_by_examples(units: pd.DataFrame, vectors: np.ndarray, examples: Sequence[str], k: int = DEFAULT_PROPOSALS,
                     exclude: Iterable[str] = ()) -> pd.DataFrame:
    """The ``k`` units nearest the mean of the examples' vectors (cosine), best first; examples and ``exclude`` left out.

    ``units`` has one row per row of ``vectors`` (passage_id, text…).

    Example:
        >>> units = pd.DataFrame({"passage_id": ["a", "b"], "text": ["x", "y"]})
        >>> rank_by_examples(units, np.eye(2), ["zzz"])
        Traceback (most recent call last):
        ...
        workbench.errors.WorkbenchError: none of the code's passages (zzz) are among the analysed passages; run `workbench analyze STUDY` again
    """
    ids = units["passage_id"].astype(str).tolist()
    where = {pid: i for i, pid in enumerate(ids)}
    rows = [where[e] for e in dict.fromkeys(map(str, examples)) if e in where]
    if not rows:
        shown = ", ".join(list(map(str, examples))[:5])
        raise WorkbenchError(f"none of the code's passages ({shown}) are among the analysed passages; "
                             "run `workbench analyze STUDY` again")
    matrix = _unit_rows(np.asarray(vectors, dtype=np.float64))
    centre = matrix[rows].mean(axis=0)
    norm = float(np.linalg.norm(centre))
    return _top(units, matrix @ (centre / norm if norm else centre), k, set(map(str, examples)) | set(map(str, exclude)))


def similar_passages(
    search: Any, examples: Sequence[str], k: int = DEFAULT_PROPOSALS, exclude: Iterable[str] = (),
    describe: str | None = None,
) -> pd.DataFrame:
    """The ``k`` analysed passages most like a code's examples (columns :data:`SIMILAR_COLUMNS`, best first).

    Args:
        search: an :class:`~workbench.analysis.search.EvidenceSearch` over the results folder (its
            vectors are the analysis' own, read from the embedding cache), or the results folder.
        examples: passage ids the code is on.
        k: how many to propose.
        exclude: passage ids never to propose (coded already, turned down).
        describe: the code's name and description, used when it has no examples yet.

    Example:
        >>> similar_passages("interview_data/.workbench", ["s-0f4e1c2a9b8d7e6f-1"])  # doctest: +SKIP
    """
    from workbench.analysis.search import EvidenceSearch

    if isinstance(search, (str, Path)):
        search = EvidenceSearch(search)
    if isinstance(k, bool) or int(k) < 1:
        raise WorkbenchError(f"k={k!r}: propose at least one passage")
    units, matrix = search.unit_vectors()  # reloaded after a new analysis
    skip = set(map(str, exclude))
    if examples:
        return rank_by_examples(units, matrix, examples, k, skip)
    if not describe or not describe.strip():
        raise WorkbenchError("this code is on no passage yet and has no name to search by; code a passage first")
    found = search.query(describe, k=min(len(units), int(k) + len(skip))) if len(units) else pd.DataFrame()
    if found.empty:
        return pd.DataFrame(columns=SIMILAR_COLUMNS)
    found = found[~found["passage_id"].astype(str).isin(skip)].head(int(k))
    return found.rename(columns={"quote": "text"})[SIMILAR_COLUMNS].reset_index(drop=True)


def finder_over_results(results_dir: Path | str) -> SimilarFinder:
    """A :data:`SimilarFinder` over a results folder (the evidence search is opened on first use).

    Example:
        >>> callable(finder_over_results("interview_data/.workbench"))
        True
    """
    opened: list[Any] = []

    def find(examples: Sequence[str], k: int, exclude: Iterable[str], describe: str) -> pd.DataFrame:
        from workbench.analysis.search import EvidenceSearch

        if not opened:
            opened.append(EvidenceSearch(results_dir))
        return similar_passages(opened[0], examples, k=k, exclude=exclude, describe=describe)

    return find


def finder_over_vectors(units: pd.DataFrame, vectors: np.ndarray) -> SimilarFinder:
    """A :data:`SimilarFinder` over given vectors (one row per unit); examples needed.

    Example:
        >>> units = pd.DataFrame({"passage_id": ["a", "b", "c"], "text": ["x", "y", "z"]})
        >>> find = finder_over_vectors(units, np.array([[1.0, 0.0], [0.8, 0.2], [0.0, 1.0]]))
        >>> find(["a"], 1, [], "")["passage_id"].tolist()
        ['b']
    """

    def find(examples: Sequence[str], k: int, exclude: Iterable[str], describe: str) -> pd.DataFrame:
        if not examples:
            raise WorkbenchError("this code is on no passage yet; code one passage, then find similar ones")
        return rank_by_examples(units, vectors, examples, k, exclude)

    return find


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def _top(units: pd.DataFrame, scores: np.ndarray, k: int, skip: set[str]) -> pd.DataFrame:
    keep = ~units["passage_id"].astype(str).isin(skip).to_numpy()
    candidates = np.flatnonzero(keep)
    order = candidates[np.lexsort((candidates, -scores[candidates]))][: int(k)]
    out = units.iloc[order].copy()
    out["score"] = np.round(scores[order].astype(float), 4)
    for column in SIMILAR_COLUMNS:
        if column not in out.columns:
            out[column] = None
    return out[SIMILAR_COLUMNS].reset_index(drop=True)
