"""What a search box shows: the question, the quotes nearest it, and a message.

No ipywidgets here: :class:`SearchState` is driven by tests without a browser, and
:mod:`widgets.search.view` renders it. The search itself
(:class:`workbench.analysis.search.EvidenceSearch`) is imported and opened on the first
question only, so the workshop app starts as fast without it; the first question also loads the
analysis' embedder (a few seconds for MiniLM), later ones answer in milliseconds.

Example:
    >>> state = SearchState("/nowhere")
    >>> state.search("refund took weeks"), state.quotes
    (False, [])
    >>> state.message
    '/nowhere: no analysis results yet; run `workbench analyze STUDY` first (or pass the results folder)'
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.errors import WorkbenchError

#: what a box says before its first question (the first one loads the model)
FIRST_SEARCH_NOTE = "The first search loads the language model (a few seconds); later ones are instant."


@dataclass(frozen=True)
class Quote:
    """One quote found: the customer's (redacted) words, who said them, where, and their pain point.

    Example:
        >>> Quote(1, 0.71, "Six weeks, no refund.", "P03", "transcripts/interview_03.txt, turn 12",
        ...       "PP07 · Refunds take weeks").score_text
        'similarity 0.71'
    """

    rank: int
    score: float
    text: str
    who: str
    where: str
    painpoint: str

    @property
    def score_text(self) -> str:
        """"similarity 0.71" (cosine similarity of meaning, 1 = the same)."""
        return f"similarity {self.score:.2f}"


class SearchState:
    """The question, the quotes found and a message of one search box over one results folder.

    Args:
        results_dir: the results folder (``STUDY/.workbench``); None: nothing to search.
        k: how many quotes a search shows.
        searcher: an open :class:`~workbench.analysis.search.EvidenceSearch` to use (default: opened
            on the first search).

    Example:
        >>> state = SearchState(None)
        >>> state.unavailable
        'No results folder to search.'
        >>> state.search("hold music"), state.message
        (False, 'No results folder to search.')
    """

    def __init__(self, results_dir: Path | str | None, k: int = 10, searcher: Any = None) -> None:
        self.results_dir = None if results_dir in (None, "") else Path(results_dir)
        self.k = k
        self.question = ""
        self.quotes: list[Quote] = []
        self.message = ""
        self.seconds: float | None = None
        self.searcher_ = searcher

    @property
    def unavailable(self) -> str:
        """Why this box cannot search ("" when it can): no results folder, or a published app without the model.

        Example:
            >>> SearchState("interview_data/.workbench").unavailable  # doctest: +SKIP
            ''
        """
        if self.results_dir is None:
            return "No results folder to search."
        try:
            manifest = json.loads((self.results_dir / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return ""  # the search says what is wrong, and what to do
        if isinstance(manifest, dict) and manifest.get("published"):
            return ("Search is not part of a published workshop app (it needs the analysis' language model): "
                    "search from `workbench workshop STUDY` or notebook 03.")
        return ""

    def search(self, question: str, k: int | None = None) -> bool:
        """Find the quotes nearest ``question``; return whether it could (else ``message`` says why).

        Example:
            >>> state = SearchState("/nowhere")
            >>> state.search("   ")
            False
            >>> state.message
            'Type a few words to search for, e.g. "refund took weeks".'
        """
        self.question = " ".join(str(question or "").split())
        if k is not None:
            self.k = k
        self.quotes = []
        self.seconds = None
        if not self.question:
            self.message = 'Type a few words to search for, e.g. "refund took weeks".'
            return False
        reason = self.unavailable
        if reason:
            self.message = reason
            return False
        started = time.perf_counter()
        try:
            if self.searcher_ is None:
                from workbench.analysis.search import EvidenceSearch

                self.searcher_ = EvidenceSearch(self.results_dir)
            found = self.searcher_.query(self.question, k=self.k)
        except WorkbenchError as error:
            self.message = str(error)
            return False
        except ImportError as error:  # an install without the embedder's libraries
            self.message = f"Search needs the analysis' embedder, which cannot be loaded here ({error})."
            return False
        self.seconds = time.perf_counter() - started
        self.quotes = quotes_from(found)
        many = "quote" if len(self.quotes) == 1 else "quotes"
        self.message = (f"{len(self.quotes)} {many} nearest in meaning to “{self.question}”"
                        if self.quotes else f"Nothing to search in these results for “{self.question}”.")
        return True

    def table(self) -> pd.DataFrame:
        """The quotes found as a table (rank, similarity, quote, who, where, pain point).

        Example:
            >>> SearchState(None).table().columns.tolist()
            ['rank', 'similarity', 'quote', 'who', 'where', 'pain point']
        """
        return pd.DataFrame([(q.rank, round(q.score, 2), q.text, q.who, q.where, q.painpoint) for q in self.quotes],
                            columns=["rank", "similarity", "quote", "who", "where", "pain point"])


def quotes_from(found: pd.DataFrame) -> list[Quote]:
    """The rows of :meth:`EvidenceSearch.query <workbench.analysis.search.EvidenceSearch.query>` as quotes.

    Example:
        >>> found = pd.DataFrame([{"rank": 1, "score": 0.7, "quote": "No refund yet.", "participant_id": None,
        ...     "source_id": "feedback/reviews.csv", "turn": 4, "item_id": "R-17", "source_kind": "feedback",
        ...     "painpoint_id": "PP02", "label": "Refunds", "statement": None, "kind": "pain"}])
        >>> quotes_from(found)[0]
        Quote(rank=1, score=0.7, text='No refund yet.', who='item R-17', where='feedback/reviews.csv, row 4', painpoint='PP02 · Refunds')
    """
    from workbench.analysis.search import describe_quote

    quotes = []
    for row in found.to_dict("records"):
        who, where, painpoint = describe_quote(row)
        quotes.append(Quote(int(row["rank"]), float(row["score"]), str(row["quote"]), who, where, painpoint))
    return quotes
