"""The quotes a workshop starred, cited with who said them and where: for the exports and the report.

:func:`starred_quote_table` joins the store's stars (:meth:`Store.starred_quotes`) with the
results: the quote's redacted text, the participant (or the feedback item), the source file and
the turn (or data row). :func:`quote_citation` words one row as the exports and the report print
it: ``s-1a-2 · P03 · transcripts/interview_03.txt, turn 12 · ★2``. Votes stay on pain points;
stars say which quotes prove them.

Example:
    >>> quote_citation({"quote_id": "s-1a-2", "participant_id": "P03", "source_id": "transcripts/interview_03.txt",
    ...                 "turn": 12, "source_kind": "interview", "stars": 2})
    's-1a-2 · P03 · transcripts/interview_03.txt, turn 12 · ★2'
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from workbench.schema import is_missing

#: the columns of :func:`starred_quote_table`
STARRED_COLUMNS = ["quote_id", "painpoint_id", "stars", "starred_by", "text", "participant_id", "item_id",
                   "source_id", "source_kind", "turn"]


def starred_quote_table(store: Any, session: str, passages: pd.DataFrame | None = None,
                        segments: pd.DataFrame | None = None) -> pd.DataFrame:
    """The quotes starred in a session, most stars first, with their text, participant, source and turn.

    A quote the results no longer hold (a new analysis cut the passages anew) keeps its id and
    stars, with empty text and source.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from workbench.storage.store import Store, sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
        >>> _ = store.star_quote("kick-off", "s1-1", "PP01", "Dana")
        >>> passages = pd.DataFrame({"passage_id": ["s1-1"], "segment_id": ["s1"], "text": ["Six weeks, no refund."],
        ...                          "participant_id": ["P03"], "source_id": ["transcripts/i3.txt"]})
        >>> segments = pd.DataFrame({"segment_id": ["s1"], "turn": [12], "source_kind": ["interview"]})
        >>> table = starred_quote_table(store, "kick-off", passages, segments)
        >>> quote_citation(table.iloc[0]), table.iloc[0]["text"]
        ('s1-1 · P03 · transcripts/i3.txt, turn 12 · ★1', 'Six weeks, no refund.')
    """
    rows = [{"quote_id": q.quote_id, "painpoint_id": q.painpoint_id, "stars": q.stars, "starred_by": list(q.people)}
            for q in store.starred_quotes(session)]
    table = pd.DataFrame(rows, columns=["quote_id", "painpoint_id", "stars", "starred_by"])
    if passages is not None and not passages.empty and "passage_id" in passages.columns:
        keep = [c for c in ("passage_id", "segment_id", "text", "participant_id", "source_id", "source_kind")
                if c in passages.columns]
        found = passages[keep].drop_duplicates("passage_id").rename(columns={"passage_id": "quote_id"})
        table = table.merge(found, on="quote_id", how="left")
        if segments is not None and "segment_id" in table.columns and "segment_id" in segments.columns:
            extra = [c for c in ("turn", "item_id", "source_kind", "participant_id", "source_id")
                     if c in segments.columns]
            where = segments[["segment_id", *extra]].drop_duplicates("segment_id")
            table = table.merge(where, on="segment_id", how="left", suffixes=("", "_segment"))
            for column in ("source_kind", "participant_id", "source_id"):
                if f"{column}_segment" in table.columns:
                    table[column] = table[column].fillna(table.pop(f"{column}_segment"))
    for column in STARRED_COLUMNS:
        if column not in table.columns:
            table[column] = None
    return table[STARRED_COLUMNS].reset_index(drop=True)


def quote_citation(row: Mapping[str, Any]) -> str:
    """A starred quote cited in one line: id · who · where · stars.

    Example:
        >>> quote_citation({"quote_id": "f9-1", "item_id": "R-17", "source_id": "feedback/reviews.csv", "turn": 4,
        ...                 "source_kind": "feedback", "stars": 1})
        'f9-1 · item R-17 · feedback/reviews.csv, row 4 · ★1'
        >>> quote_citation({"quote_id": "gone-1", "stars": 3})
        'gone-1 · (not in these results) · ★3'
    """
    def text(name: str) -> str | None:
        value = row.get(name)
        return None if value is None or is_missing(value) else str(value)

    who = text("participant_id") or (f"item {text('item_id')}" if text("item_id") else None)
    step = "row" if text("source_kind") == "feedback" else "turn"
    turn = text("turn")
    where = None if text("source_id") is None else text("source_id") + (f", {step} {turn}" if turn else "")
    parts = [str(row.get("quote_id"))]
    parts += [who or "-", where] if where else ["(not in these results)"]
    parts.append(f"★{int(row.get('stars') or 0)}")
    return " · ".join(parts)


def starred_by_painpoint(table: pd.DataFrame | None) -> dict[str, list[dict[str, Any]]]:
    """painpoint_id -> its starred quotes (rows of :func:`starred_quote_table`), most stars first.

    Example:
        >>> starred_by_painpoint(pd.DataFrame([{"quote_id": "a-1", "painpoint_id": "PP01", "stars": 2}]))
        {'PP01': [{'quote_id': 'a-1', 'painpoint_id': 'PP01', 'stars': 2}]}
    """
    out: dict[str, list[dict[str, Any]]] = {}
    if table is None or table.empty:
        return out
    for row in table.to_dict("records"):
        out.setdefault(str(row["painpoint_id"]), []).append(row)
    return out
