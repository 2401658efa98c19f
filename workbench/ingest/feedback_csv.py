"""The ``.csv``/``.tsv`` feedback reader: delimiter sniffed, any common encoding, quoted multi-line cells."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from workbench.errors import IngestError
from workbench.ingest.base import FeedbackTable, FileReport
from workbench.ingest.encoding import read_text_file
from workbench.ingest.feedback_table import (
    MAX_FEEDBACK_BYTES, MAX_FEEDBACK_COLUMNS, set_record_index, unique_names,
)

__all__ = ["read_csv_feedback"]

_DELIMITERS = (",", ";", "\t", "|")


def read_csv_feedback(path: Path, report: FileReport) -> FeedbackTable:
    """Read a ``.csv``/``.tsv`` export: delimiter sniffed, any common encoding, quoted multi-line cells.

    ``row_numbers`` holds the file line on which each record starts. A record with more
    (non-empty) fields than the header is left out and listed in ``report.skipped`` with
    its line; it still counts in ``report.rows_read``. Blank lines are ignored. A file
    with only a header gives an empty table; an empty file raises :class:`IngestError`.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "tickets.csv"
        >>> _ = path.write_bytes('ticket_id;comment\\n7;"Hold music\\nfor 40 min"\\n8;Caf\\xe9 closed\\n'.encode("cp1252"))
        >>> report = FileReport("feedback/tickets.csv", "feedback", "csv")
        >>> table = read_csv_feedback(path, report)
        >>> table.rows["comment"].tolist(), table.row_numbers
        (['Hold music\\nfor 40 min', 'Café closed'], [2, 4])
    """
    path = Path(path)
    text = read_text_file(path, report, max_bytes=MAX_FEEDBACK_BYTES)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise IngestError(path, "the file is empty; export the feedback again or remove the file")
    excel_hint = re.match(r"sep=([,;\t|])[ \t]*\n", text)  # Excel's "sep=;" first line
    if excel_hint:
        delimiter = excel_hint.group(1)
    else:
        delimiter = _sniff_delimiter(text, prefer_tab=path.suffix.lower() == ".tsv")
    if delimiter != ",":
        report.notes.append(f"cells separated by {_delimiter_name(delimiter)}")

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True, strict=False)
    parsed: list[tuple[int, list[str]]] = []  # (line where the record starts, its cells)
    previous_end = 0
    try:
        for fields in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if fields and any(f.strip() for f in fields):  # blank lines hold no data
                parsed.append((start, fields))
    except csv.Error as error:  # lenient with strict=False, except for a cell over the size limit
        if "field limit" in str(error):
            reason = (
                f"a cell is longer than {csv.field_size_limit()} characters, the most a CSV cell may hold here; "
                'look for a missing closing double quote (") on this line, or shorten the cell'
            )
        else:
            reason = f"cannot be read as CSV ({error}); check the line and its quotes"
        raise IngestError(path, reason, line=reader.line_num) from None
    if excel_hint and parsed and parsed[0][0] == 1:
        parsed = parsed[1:]
    if not parsed:
        raise IngestError(path, "the file is empty; export the feedback again or remove the file")
    last_start = parsed[-1][0]
    if text.count('"') % 2 == 1 and previous_end - last_start >= 1:
        raise IngestError(
            path,
            "a quoted cell that starts here is never closed, so the rest of the file would be read as one cell; "
            'add the missing closing double quote (")',
            line=last_start,
        )
    header_cells = parsed[0][1]
    data = parsed[1:]
    widths = [_used_width(fields) for _, fields in data]
    wider = [w for w in widths if w > len(header_cells)]
    if data and len(wider) * 2 > len(data):  # most records have cells the header does not name
        width = max(set(wider), key=wider.count)
        report.notes.append(f"the header names {len(header_cells)} columns but most rows have {width}; extra columns named column_N")
        header_cells = header_cells + [""] * (width - len(header_cells))
    if len(header_cells) > MAX_FEEDBACK_COLUMNS:
        raise IngestError(
            path,
            f"has {len(header_cells)} columns (limit {MAX_FEEDBACK_COLUMNS}); check that the delimiter is right "
            "or keep only the columns you need",
            line=parsed[0][0],
        )
    header = unique_names(header_cells)
    records: list[list[str | None]] = []
    row_numbers: list[int] = []
    record_index: list[int] = []
    for seen, ((start, fields), width) in enumerate(zip(data, widths), start=1):
        if width > len(header):
            report.skip(
                f"line {start}",
                f"{width} cells but the header has {len(header)}; a cell probably contains "
                f"{_delimiter_name(delimiter)}: put that cell in double quotes, or fix the line",
            )
            continue
        values: list[str | None] = [f if f != "" else None for f in fields[: len(header)]]
        values += [None] * (len(header) - len(values))
        records.append(values)
        row_numbers.append(start)
        record_index.append(seen)
    seen = len(data)
    rows = pd.DataFrame(records, columns=header, dtype=object) if records else pd.DataFrame(columns=header, dtype=object)
    set_record_index(rows, record_index, seen)
    return FeedbackTable(rows=rows, row_numbers=row_numbers)


def _sniff_delimiter(text: str, prefer_tab: bool = False) -> str:
    """Pick the delimiter: csv.Sniffer's guess if it splits the records consistently, else the most consistent one."""
    sample = text[:65536]
    scores: dict[str, tuple[float, int]] = {}
    for delimiter in _DELIMITERS:
        counts: list[int] = []
        try:
            for fields in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, quotechar='"', strict=False):
                if fields and any(f.strip() for f in fields):
                    counts.append(len(fields))
                if len(counts) >= 50:
                    break
        except csv.Error:
            continue
        if not counts:
            continue
        width = counts[0]
        # drop the last record of the sample: it may be cut in half
        body = counts[1:-1] if len(counts) > 2 and len(sample) < len(text) else counts[1:]
        consistent = sum(1 for c in body if c == width) / len(body) if body else 1.0
        scores[delimiter] = (consistent, width)
    candidates = {d: s for d, s in scores.items() if s[1] > 1}
    if not candidates:
        return "\t" if prefer_tab else ","
    best = max(candidates.values(), key=lambda s: s[0])[0]
    good = [d for d, s in candidates.items() if s[0] >= best - 0.05]
    if prefer_tab and "\t" in good:
        return "\t"
    try:
        sniffed = csv.Sniffer().sniff(sample[:8192], delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    if sniffed in good:
        return sniffed
    # most consistent, then widest header, then the usual order
    return max(good, key=lambda d: (candidates[d][0], candidates[d][1], -_DELIMITERS.index(d)))


def _used_width(fields: list[str]) -> int:
    """Number of cells up to the last non-empty one (trailing empty cells do not count)."""
    width = len(fields)
    while width and not fields[width - 1].strip():
        width -= 1
    return width


def _delimiter_name(delimiter: str) -> str:
    return {",": "commas", ";": "semicolons", "\t": "tabs", "|": "pipes"}.get(delimiter, repr(delimiter))
