"""What every feedback reader shares: column names, cell values and record positions of a ``FeedbackTable``.

Every reader stores ``table.rows.attrs["record_index"]``: the 1-based position of each kept
row among *all* records of the file, including records the reader had to skip (a malformed
JSONL line, a CSV row with too many fields), and ``attrs["records_seen"]``, how many records
the file holds. :func:`~workbench.ingest.feedback_segments.feedback_to_segments` uses the
position as ``turn`` so that fixing one bad line does not renumber every later item.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import IngestError
from workbench.ingest.base import FeedbackTable

__all__ = [
    "MAX_FEEDBACK_BYTES",
    "MAX_FEEDBACK_COLUMNS",
    "cell_text",
    "ensure_record_index",
    "record_positions",
    "set_record_index",
    "table_from_records",
    "unique_names",
]

#: the largest feedback export read (.csv/.tsv/.jsonl/.json): a million short items are about 120 MB;
#: a transcript's limit (50 MB) would refuse them
MAX_FEEDBACK_BYTES = 1_000_000_000
#: refuse exports with more columns than this (survey tools export a few hundred at most; millions
#: of columns would take hours to score and are a sign of a broken or hostile file)
MAX_FEEDBACK_COLUMNS = 5_000


def unique_names(names: Iterable[Any]) -> list[str]:
    """Header cells → unique column names: blank ones become ``column_N`` (N = position), repeats get ``_2``, ``_3``.

    Example:
        >>> unique_names(["id", "", "comment", "comment", None])
        ['id', 'column_2', 'comment', 'comment_2', 'column_5']
    """
    result: list[str] = []
    used: set[str] = set()
    for position, raw in enumerate(names, start=1):
        name = "" if raw is None else str(raw).strip()
        if not name:
            name = f"column_{position}"
        candidate, k = name, 2
        while candidate in used:
            candidate = f"{name}_{k}"
            k += 1
        used.add(candidate)
        result.append(candidate)
    return result


def table_from_records(
    records: list[dict[str, str | None]], row_numbers: list[int], record_index: list[int], seen: int, path: Path
) -> FeedbackTable:
    """A feedback table of dict records (JSON objects): columns in order of first appearance, missing keys None.

    Raises:
        IngestError: the records hold more than :data:`MAX_FEEDBACK_COLUMNS` different keys.

    Example:
        >>> table = table_from_records([{"id": "1"}, {"id": "2", "body": "Late"}], [1, 3], [1, 3], 3, Path("x.jsonl"))
        >>> table.rows.values.tolist(), record_positions(table.rows)
        ([['1', None], ['2', 'Late']], [1, 3])
    """
    columns: list[str] = []
    known: set[str] = set()
    for record in records:
        for key in record:
            if key not in known:
                known.add(key)
                columns.append(key)
    if len(columns) > MAX_FEEDBACK_COLUMNS:
        raise IngestError(
            path,
            f"its records hold {len(columns)} different keys (limit {MAX_FEEDBACK_COLUMNS}); "
            "export only the fields you need",
        )
    names = unique_names(columns)
    renamed = dict(zip(columns, names))
    data = [[record.get(c) for c in columns] for record in records]
    rows = pd.DataFrame(data, columns=[renamed[c] for c in columns], dtype=object)
    set_record_index(rows, record_index, seen)
    return FeedbackTable(rows=rows, row_numbers=row_numbers)


def set_record_index(rows: pd.DataFrame, record_index: list[int], seen: int) -> None:
    """Store on ``rows`` each row's position among all ``seen`` records of the file.

    Example:
        >>> rows = pd.DataFrame({"text": ["a", "b"]})
        >>> set_record_index(rows, [1, 3], seen=3)
        >>> record_positions(rows), rows.attrs["records_seen"]
        ([1, 3], 3)
    """
    # a numpy array, not a list: pandas deep-copies attrs on every column access
    rows.attrs["record_index"] = np.asarray(record_index, dtype=np.int64)
    rows.attrs["records_seen"] = int(seen)


def record_positions(rows: pd.DataFrame) -> list[int]:
    """Each row's 1-based position among all records of its file (1, 2, 3 … where none was stored).

    Example:
        >>> record_positions(pd.DataFrame({"text": ["a", "b"]}))
        [1, 2]
    """
    index = rows.attrs.get("record_index")
    if index is None or len(index) != len(rows):
        return list(range(1, len(rows) + 1))
    return [int(i) for i in index]


def ensure_record_index(table: FeedbackTable) -> None:
    """Give ``table`` record positions 1, 2, 3 … where it has none (or not one per row).

    Example:
        >>> table = FeedbackTable(rows=pd.DataFrame({"text": ["a"]}), row_numbers=[2])
        >>> ensure_record_index(table)
        >>> table.rows.attrs["record_index"].tolist(), table.rows.attrs["records_seen"]
        ([1], 1)
    """
    index = table.rows.attrs.get("record_index")
    if index is None or len(index) != len(table.rows):
        seen = table.rows.attrs.get("records_seen", len(table.rows))
        set_record_index(table.rows, list(range(1, len(table.rows) + 1)), seen)


def cell_text(value: Any) -> str | None:
    """One cell of a feedback table as text: None, NaN, NA and NaT are None; other values ``str()``.

    Example:
        >>> cell_text(float("nan")), cell_text(4), cell_text(" ok ")
        (None, '4', ' ok ')
    """
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value if isinstance(value, str) else str(value)
