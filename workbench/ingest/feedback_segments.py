"""From a feedback table to segments: one row per item with text, its metadata roles filled, and what was skipped.

Rows without text are listed in the file report's ``skipped`` with their line (or sheet
and row); unreadable dates and ratings, and repeated item ids, are noted in the report.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from workbench.errors import IngestError, WorkbenchError
from workbench.ingest.base import FeedbackTable, FileReport
from workbench.ingest.feedback_columns import find_metadata_columns, find_text_column, name_tokens
from workbench.ingest.feedback_table import cell_text, record_positions
from workbench.ingest.feedback_values import DateParser, parse_rating

__all__ = ["feedback_to_segments"]


def feedback_to_segments(
    table: FeedbackTable,
    path: Path,
    report: FileReport,
    text_column: str | None = None,
    column_overrides: dict[str, str] | None = None,
    default_channel: str | None = None,
) -> pd.DataFrame:
    """Turn a feedback table into one row per non-empty text, with the metadata roles filled.

    Columns: ``turn`` (1-based record number in the file, counting skipped records too,
    so it is stable), ``line``, ``text``, ``item_id`` (the source's id, else
    ``<file stem>-<turn>``), ``date`` (ISO 8601 where it can be read), ``channel`` (the
    column, else ``default_channel``), ``rating`` (float), ``author``, ``author_email``,
    ``title`` (when the file has one), ``sheet`` (for .xlsx) and every other column as
    ``meta_<snake_case_name>``. Rows without text are listed in ``report.skipped``.
    ``column_overrides`` maps roles (and ``text``) to columns.

    Example:
        >>> rows = pd.DataFrame({"id": ["7", "8"], "stars": ["2", "5"], "Store": ["iOS", None],
        ...                      "review": ["Charged twice, no confirmation email", "  "]})
        >>> report = FileReport("feedback/app.csv", "feedback", "csv")
        >>> out = feedback_to_segments(FeedbackTable(rows, [2, 3]), Path("app.csv"), report, default_channel="app store")
        >>> out[["turn", "line", "item_id", "rating", "channel"]].values.tolist()
        [[1, 2, '7', 2.0, 'iOS']]
        >>> report.skipped[0].location, report.skipped[0].reason
        ('line 3', "no text in column 'review'")
    """
    path = Path(path)
    rows = table.rows
    overrides = {k: v for k, v in (column_overrides or {}).items() if v not in (None, "")}
    if text_column is None and overrides.get("text"):
        text_column = overrides["text"]
    record_index = record_positions(rows)
    row_numbers = list(table.row_numbers) if len(table.row_numbers) == len(rows) else list(range(2, len(rows) + 2))
    sheets = list(table.sheet) if table.sheet is not None and len(table.sheet) == len(rows) else None

    if rows.empty and text_column is None:
        report.notes.append("no data rows")
        report.segments_made = 0
        return _empty_output(sheets is not None)

    text = find_text_column(rows, text_column, path)
    if text_column is not None:
        overrides["text"] = text
    try:
        roles = find_metadata_columns(rows, overrides)
    except IngestError:
        raise
    except WorkbenchError as error:
        raise IngestError(path, f"{error}; fix the column settings for this file") from None
    roles = {role: column for role, column in roles.items() if column != text}
    how = "as set" if text_column is not None else "chosen automatically"
    report.notes.append(f"text column: '{text}' ({how})")
    if roles:
        report.notes.append("columns used: " + ", ".join(f"{role}='{column}'" for role, column in roles.items()))

    stem = path.stem
    used = {text, *roles.values()}
    extra_columns = [c for c in rows.columns if c not in used]
    meta_names = _meta_names(extra_columns)
    out: dict[str, list[Any]] = {name: [] for name in ("turn", "line", "text", "item_id", "date", "channel", "rating", "author", "author_email")}
    if "title" in roles:
        out["title"] = []
    if sheets is not None:
        out["sheet"] = []
    for name in meta_names.values():
        out[name] = []

    date_parser = DateParser(rows[roles["date"]]) if "date" in roles else None
    bad_dates: list[str] = []
    bad_ratings: list[str] = []
    data = {column: rows[column].tolist() for column in rows.columns}
    for position in range(len(rows)):
        record = {column: values[position] for column, values in data.items()}
        turn = int(record_index[position])
        line = int(row_numbers[position])
        value = cell_text(record[text])
        if value is None or not value.strip():
            where = f"sheet {sheets[position]} row {line}" if sheets is not None else f"line {line}"
            report.skip(where, f"no text in column '{text}'")
            continue
        out["turn"].append(turn)
        out["line"].append(line)
        out["text"].append(value.strip())
        item_id = cell_text(record[roles["item_id"]]) if "item_id" in roles else None
        out["item_id"].append(item_id.strip() if item_id and item_id.strip() else f"{stem}-{turn}")
        raw_date = cell_text(record[roles["date"]]) if "date" in roles else None
        if raw_date is not None and raw_date.strip() and date_parser is not None:
            parsed = date_parser.parse(raw_date.strip())
            if parsed is None:
                bad_dates.append(raw_date.strip())
                parsed = raw_date.strip()
            out["date"].append(parsed)
        else:
            out["date"].append(None)
        channel = cell_text(record[roles["channel"]]) if "channel" in roles else None
        out["channel"].append(channel.strip() if channel and channel.strip() else default_channel)
        raw_rating = cell_text(record[roles["rating"]]) if "rating" in roles else None
        rating = parse_rating(raw_rating) if raw_rating is not None and raw_rating.strip() else None
        if raw_rating is not None and raw_rating.strip() and rating is None:
            bad_ratings.append(raw_rating.strip())
        out["rating"].append(rating)
        for role in ("author", "author_email", "title"):
            if role in roles:
                cell = cell_text(record[roles[role]])
                out[role].append(cell.strip() if cell and cell.strip() else None)
            elif role != "title":
                out[role].append(None)
        if sheets is not None:
            out["sheet"].append(sheets[position])
        for column, name in meta_names.items():
            out[name].append(cell_text(record[column]))

    if bad_dates:
        report.notes.append(
            f"{len(bad_dates)} value(s) in the date column '{roles['date']}' could not be read as dates "
            f"and were kept as written (e.g. '{bad_dates[0][:40]}')"
        )
    if bad_ratings:
        report.notes.append(
            f"{len(bad_ratings)} value(s) in the rating column '{roles['rating']}' are not numbers "
            f"and were left empty (e.g. '{bad_ratings[0][:40]}')"
        )
    if "item_id" in roles:
        ids = pd.Series(out["item_id"], dtype=object)
        duplicated = int(ids.duplicated().sum())
        if duplicated:
            report.notes.append(f"{duplicated} item id(s) in '{roles['item_id']}' occur more than once")
    # object columns keep None as None (pandas 3 would infer "str" with NaN for missing values)
    frame = pd.DataFrame({name: pd.Series(values, dtype=object) for name, values in out.items()})
    if frame.empty:
        frame = _empty_output(sheets is not None, extra=list(out))
    frame["turn"] = frame["turn"].astype("Int64")
    frame["line"] = frame["line"].astype("Int64")
    frame["rating"] = pd.array(frame["rating"].tolist(), dtype="Float64")
    report.segments_made = len(frame)
    return frame


def _empty_output(with_sheet: bool, extra: list[str] | None = None) -> pd.DataFrame:
    columns = extra or ["turn", "line", "text", "item_id", "date", "channel", "rating", "author", "author_email"] + (
        ["sheet"] if with_sheet else []
    )
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    frame["turn"] = frame["turn"].astype("Int64")
    frame["line"] = frame["line"].astype("Int64")
    frame["rating"] = frame["rating"].astype("Float64")
    return frame


def _meta_names(columns: list[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    used = {"turn", "line", "text", "item_id", "date", "channel", "rating", "author", "author_email", "title", "sheet"}
    for position, column in enumerate(columns, start=1):
        snake = "_".join(name_tokens(column))[:60].strip("_") or f"column_{position}"
        name, k = f"meta_{snake}", 2
        while name in used:
            name = f"meta_{snake}_{k}"
            k += 1
        used.add(name)
        names[column] = name
    return names
