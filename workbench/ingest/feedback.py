"""Readers of feedback exports: ``.csv``/``.tsv``, ``.xlsx``, ``.jsonl``/``.ndjson`` and ``.json``.

Each reader returns a :class:`~workbench.ingest.base.FeedbackTable` whose cells are all
text (or ``None`` where a cell is empty), with the file line / spreadsheet row of every
record, and records in the :class:`~workbench.ingest.base.FileReport` whatever it could not
use. :func:`feedback_to_segments` then picks the free-text column
(:func:`find_text_column`) and the metadata columns (:func:`find_metadata_columns`) and
makes one row per feedback item.

Every reader also stores ``table.rows.attrs["record_index"]``: the 1-based position of
each kept row among *all* records of the file, including records the reader had to skip
(a malformed JSONL line, a CSV row with too many fields). :func:`feedback_to_segments`
uses it as ``turn`` so that fixing one bad line does not renumber every later item.

Example:
    >>> import tempfile
    >>> from workbench.ingest.base import FileReport
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "reviews.csv").write_text("id;review\\n1;App crashed at login\\n", encoding="utf-8")
    >>> report = FileReport("feedback/reviews.csv", "feedback", "csv")
    >>> table = read_feedback_file(folder / "reviews.csv", report)
    >>> feedback_to_segments(table, folder / "reviews.csv", report)[["item_id", "text"]].values.tolist()
    [['1', 'App crashed at login']]
"""
from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import IngestError, WorkbenchError
from workbench.ingest.archive import check_zip_package
from workbench.ingest.base import FeedbackTable, FileReport
from workbench.ingest.encoding import read_text_file

#: refuse .xlsx archives whose members together unpack to more than this many bytes (zip bombs);
#: checked from the zip directory before anything is unpacked
MAX_XLSX_UNCOMPRESSED_BYTES = 500_000_000
#: refuse .xlsx archives with one XML part (a sheet, the shared strings) larger than this unpacked:
#: openpyxl holds the shared strings in memory
MAX_XLSX_PART_BYTES = 200_000_000

#: refuse exports with more columns than this (survey tools export a few hundred at most; millions
#: of columns would take hours to score and are a sign of a broken or hostile file)
MAX_FEEDBACK_COLUMNS = 5_000
#: nested JSON deeper than this is written out as its plain values, without further structure
_MAX_JSON_TEXT_DEPTH = 20

#: the metadata roles :func:`find_metadata_columns` knows
METADATA_ROLES = ("item_id", "date", "channel", "rating", "author", "author_email", "title")

_DELIMITERS = (",", ";", "\t", "|")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# ---------------------------------------------------------------- dispatch


def read_feedback_file(path: Path, report: FileReport) -> FeedbackTable:
    """Read one feedback export, choosing the reader from the file extension.

    Sets ``report.rows_read`` to the number of data records the file holds (kept rows
    plus records skipped as malformed, which are listed in ``report.skipped``).

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "survey.jsonl"
        >>> _ = path.write_text('{"comment": "Refund took 9 weeks"}\\n', encoding="utf-8")
        >>> report = FileReport("feedback/survey.jsonl", "feedback", "jsonl")
        >>> read_feedback_file(path, report).rows["comment"].tolist(), report.rows_read
        (['Refund took 9 weeks'], 1)
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        table = read_csv_feedback(path, report)
    elif suffix == ".xlsx":
        table = read_xlsx_feedback(path, report)
    elif suffix in (".jsonl", ".ndjson"):
        table = read_jsonl_feedback(path, report)
    elif suffix == ".json":
        table = read_json_feedback(path, report)
    elif suffix == ".xls":
        raise IngestError(path, "this is the old Excel format (.xls); open it in Excel and save it as .xlsx")
    else:
        raise IngestError(
            path,
            f"'{suffix or path.name}' is not a feedback format this tool reads; "
            "export it as .csv, .tsv, .xlsx, .jsonl, .ndjson or .json",
        )
    _ensure_record_index(table)
    report.rows_read = int(table.rows.attrs.get("records_seen", len(table.rows)))
    return table


# ---------------------------------------------------------------- CSV


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
    text = read_text_file(path, report)
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
    header = _unique_names(header_cells)
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
    _set_record_index(rows, record_index, seen)
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


def _unique_names(names: Iterable[Any]) -> list[str]:
    """Header cells → unique column names: blank ones become ``column_N`` (N = position), repeats get ``_2``, ``_3``."""
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


# ---------------------------------------------------------------- XLSX


def read_xlsx_feedback(path: Path, report: FileReport) -> FeedbackTable:
    """Read every sheet of an ``.xlsx`` workbook; the header is the first non-empty row of each sheet.

    Cells become text (dates as ISO 8601, whole numbers without ``.0``). Sheets with
    different headers are all read and their columns unioned; ``FeedbackTable.sheet``
    names each row's sheet and ``row_numbers`` its spreadsheet row. Empty rows in the
    middle of a sheet are listed in ``report.skipped``; trailing empty rows are ignored.

    Example:
        >>> import tempfile, openpyxl
        >>> path = Path(tempfile.mkdtemp()) / "survey.xlsx"
        >>> book = openpyxl.Workbook(); sheet = book.active; sheet.title = "Responses"
        >>> sheet.append(["Response ID", "Comment"]); sheet.append([101, "Points never arrived"])
        >>> book.save(path)
        >>> table = read_xlsx_feedback(path, FileReport("feedback/survey.xlsx", "feedback", "xlsx"))
        >>> table.rows.values.tolist(), table.sheet, table.row_numbers
        ([['101', 'Points never arrived']], ['Responses'], [2])
    """
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as error:
        raise IngestError(
            path, f"cannot be read ({error.strerror or error}); check that the file exists and that you may read it"
        ) from None
    if not head:
        raise IngestError(path, "the file is empty; export the feedback again or remove the file")
    if head.startswith(_OLE2_MAGIC):
        raise IngestError(
            path,
            "this is an old-format (.xls) or password-protected workbook; "
            "open it in Excel and save it as .xlsx without a password",
        )
    invalid = f"{path.name} is not a valid .xlsx workbook; re-save it from Excel as .xlsx"
    # sizes from the zip directory, before openpyxl unpacks anything (zip bombs, see ingest/archive.py)
    check_zip_package(
        path,
        invalid,
        max_part_bytes=MAX_XLSX_PART_BYTES,
        max_total_bytes=MAX_XLSX_UNCOMPRESSED_BYTES,
        what_to_do="Split the workbook into smaller files or export it as .csv",
    )

    import openpyxl  # heavy-ish; only needed here

    records: list[dict[str, str | None]] = []
    columns: list[str] = []
    row_numbers: list[int] = []
    sheets: list[str] = []
    record_index: list[int] = []
    seen = 0
    handle = open(path, "rb")  # a file object: openpyxl would refuse a name not ending in .xlsx
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error on a broken archive
        handle.close()
        raise IngestError(path, invalid) from None
    try:
        for worksheet in workbook.worksheets:
            seen = _read_sheet(worksheet, report, records, columns, row_numbers, sheets, record_index, seen)
    except IngestError:
        raise
    except MemoryError:
        raise IngestError(path, "the workbook is too large to read; split it or export it as .csv") from None
    except Exception:
        raise IngestError(path, invalid) from None
    finally:
        try:
            workbook.close()
        except Exception:  # pragma: no cover
            pass
        handle.close()
    rows = pd.DataFrame.from_records(records, columns=columns) if records else pd.DataFrame(columns=columns, dtype=object)
    rows = rows.astype(object).where(rows.notna(), None) if records else rows
    _set_record_index(rows, record_index, seen)
    return FeedbackTable(rows=rows, row_numbers=row_numbers, sheet=sheets)


def _read_sheet(
    worksheet: Any,
    report: FileReport,
    records: list[dict[str, str | None]],
    columns: list[str],
    row_numbers: list[int],
    sheets: list[str],
    record_index: list[int],
    seen: int,
) -> int:
    """Append one sheet's rows to the accumulators; return the updated record count."""
    name = str(worksheet.title)
    if hasattr(worksheet, "reset_dimensions"):
        worksheet.reset_dimensions()  # stored dimensions are often wrong; read what is there
    header: list[str] | None = None
    header_row = 0
    title: tuple[int, list[str | None]] | None = None  # a lone cell above the header, e.g. "Survey export April"
    pending_empty: list[int] = []
    kept = 0
    for row_number, raw in enumerate(worksheet.iter_rows(values_only=True), start=1):
        values = [_cell_text(v) for v in raw]
        while values and values[-1] is None:
            values.pop()
        filled = sum(1 for v in values if v is not None)
        if not filled:
            if header is not None:
                pending_empty.append(row_number)
            continue
        if header is None:
            if title is None and filled == 1:
                title = (row_number, values)
                continue
            if title is not None and filled == 1:  # a one-column sheet: the lone cell was its header
                header, header_row = _unique_names(title[1]), title[0]
            else:
                if title is not None:
                    report.notes.append(
                        f"sheet {name}: row {title[0]} looks like a title above the table; "
                        f"the header is row {row_number}"
                    )
                header, header_row = _unique_names(values), row_number
                continue
        for empty_row in pending_empty:  # an empty row followed by data: not trailing
            seen += 1
            report.skip(f"sheet {name} row {empty_row}", "empty row")
        pending_empty = []
        if len(values) > len(header):
            header = _unique_names(header + [f"column_{i}" for i in range(len(header) + 1, len(values) + 1)])
        seen += 1
        kept += 1
        record: dict[str, str | None] = dict.fromkeys(header)
        record.update(zip(header, values))
        for column in header:
            if column not in columns:
                columns.append(column)
        records.append(record)
        row_numbers.append(row_number)
        sheets.append(name)
        record_index.append(seen)
    if header is None and title is not None:
        header, header_row = _unique_names(title[1]), title[0]
    if header is None:
        report.notes.append(f"sheet {name} is empty")
    elif kept == 0:
        report.notes.append(f"sheet {name} has a header (row {header_row}) but no data rows")
    return seen


def _cell_text(value: Any) -> str | None:
    """One spreadsheet cell as text: dates ISO 8601, whole floats without '.0', blanks None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    text = str(value)
    return text if text.strip() else None


# ---------------------------------------------------------------- JSON lines / JSON


def read_jsonl_feedback(path: Path, report: FileReport) -> FeedbackTable:
    """Read a JSON Lines export: one JSON object per line.

    Blank lines are ignored. A line that is not valid JSON, or not an object, is listed
    in ``report.skipped`` with its line number and reading goes on; when no line at all
    is usable the file raises :class:`IngestError`. Nested objects are flattened one
    level with dotted names (``customer.name``); lists are joined as text.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "emails.jsonl"
        >>> _ = path.write_text('{"id": 1, "customer": {"name": "Ana"}, "body": "No e-ticket"}\\n{oops\\n', encoding="utf-8")
        >>> report = FileReport("feedback/emails.jsonl", "feedback", "jsonl")
        >>> table = read_jsonl_feedback(path, report)
        >>> table.rows.to_dict("records"), [s.location for s in report.skipped]
        ([{'id': '1', 'customer.name': 'Ana', 'body': 'No e-ticket'}], ['line 2'])
    """
    path = Path(path)
    text = read_text_file(path, report)
    skipped_before = len(report.skipped)
    records: list[dict[str, str | None]] = []
    row_numbers: list[int] = []
    record_index: list[int] = []
    seen = 0
    first_failure: tuple[int, str] | None = None
    for line_number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        seen += 1
        reason: str | None = None
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            reason = f"not valid JSON: {error.msg} at column {error.colno}; fix or remove the line"
        except RecursionError:
            reason = "not valid JSON: nested too deeply to read; fix or remove the line"
        except (ValueError, MemoryError) as error:
            reason = f"not valid JSON: {str(error)[:80]}; fix or remove the line"
        else:
            if not isinstance(value, dict):
                reason = (
                    f"not valid JSON for this file: the line holds {_json_kind(value)}, "
                    "not one {...} object; fix or remove the line"
                )
        if reason is not None:
            report.skip(f"line {line_number}", reason)
            first_failure = first_failure or (line_number, reason)
            continue
        records.append(_flatten(value))
        row_numbers.append(line_number)
        record_index.append(seen)
    if seen == 0:
        raise IngestError(path, "the file is empty; export the feedback again or remove the file")
    if first_failure is not None and text.strip().startswith(("[", "{")) and "\n" in text.strip():
        try:
            whole = json.loads(text)
        except (ValueError, RecursionError, MemoryError):
            whole = None
        if isinstance(whole, (list, dict)):  # a pretty-printed .json file named .jsonl
            del report.skipped[skipped_before:]
            table = _json_document_table(whole, text, path, report)
            report.notes.append("the file is one JSON document, not one object per line; read it as .json (rename it to .json)")
            return table
    if not records:
        assert first_failure is not None
        raise IngestError(
            path,
            f"no line holds a JSON object (expected one {{...}} object per line; first problem: {first_failure[1]})",
            line=first_failure[0],
        )
    return _table_from_records(records, row_numbers, record_index, seen, path)


def read_json_feedback(path: Path, report: FileReport) -> FeedbackTable:
    """Read a ``.json`` export: a list of objects, or an object holding one list of objects.

    ``{"items": [...]}`` / ``{"data": [...], "count": 3}`` shapes are accepted as long as
    exactly one value is a list of objects. ``row_numbers`` is the line on which each
    object starts. List entries that are not objects are listed in ``report.skipped``.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "chat.json"
        >>> _ = path.write_text('{"items": [\\n {"id": "c1", "message": "Agent gave a different answer"}\\n]}', encoding="utf-8")
        >>> table = read_json_feedback(path, FileReport("feedback/chat.json", "feedback", "json"))
        >>> table.rows["message"].tolist(), table.row_numbers
        (['Agent gave a different answer'], [2])
    """
    path = Path(path)
    text = read_text_file(path, report)
    if not text.strip():
        raise IngestError(path, "the file is empty; export the feedback again or remove the file")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise IngestError(
            path, f"not valid JSON: {error.msg} at column {error.colno}; fix the file or export it again", line=error.lineno
        ) from None
    except RecursionError:
        raise IngestError(path, "not valid JSON: nested too deeply to read; export it again") from None
    except (ValueError, MemoryError) as error:
        raise IngestError(path, f"not valid JSON: {str(error)[:80]}; fix the file or export it again") from None
    return _json_document_table(document, text, path, report)


def _json_document_table(document: Any, text: str, path: Path, report: FileReport) -> FeedbackTable:
    """The feedback table of a parsed .json document (see :func:`read_json_feedback`)."""
    expected = 'expected a list of objects ([{...}, {...}]) or an object holding one such list ({"items": [{...}]})'
    key: str | None = None
    if isinstance(document, list):
        items = document
    elif isinstance(document, dict):
        lists = [k for k, v in document.items() if isinstance(v, list) and any(isinstance(i, dict) for i in v)]
        if len(lists) != 1:
            found = "several lists (" + ", ".join(lists) + ")" if lists else "no list of objects"
            raise IngestError(path, f"{expected}; this object holds {found}. Keep only the list of feedback items")
        key = lists[0]
        items = document[key]
        others = [k for k in document if k != key]
        if others:
            report.notes.append(f"read the list under '{key}'; ignored the other keys: {', '.join(map(str, others))}")
    else:
        raise IngestError(path, f"{expected}; found {_json_kind(document)}")
    lines = _json_item_lines(text, key, len(items))
    records: list[dict[str, str | None]] = []
    row_numbers: list[int] = []
    record_index: list[int] = []
    for position, (item, line) in enumerate(zip(items, lines), start=1):
        if not isinstance(item, dict):
            report.skip(f"line {line}", f"list entry {position} is {_json_kind(item)}, not an object; fix or remove it")
            continue
        records.append(_flatten(item))
        row_numbers.append(line)
        record_index.append(position)
    if items and not records:
        raise IngestError(path, f"{expected}; the list holds no objects")
    return _table_from_records(records, row_numbers, record_index, len(items), path)


def _json_item_lines(text: str, key: str | None, count: int) -> list[int]:
    """The 1-based line where each entry of the top-level list (or the list under ``key``) starts."""
    decoder = json.JSONDecoder()
    whitespace = re.compile(r"[ \t\n\r]*")

    def skip(pos: int) -> int:
        return whitespace.match(text, pos).end()  # type: ignore[union-attr]

    try:
        pos = skip(0)
        if key is not None:
            if text[pos] != "{":
                raise ValueError
            pos = skip(pos + 1)
            array_pos = None
            while text[pos] != "}":
                name, pos = decoder.raw_decode(text, pos)
                pos = skip(pos)
                if text[pos] != ":":
                    raise ValueError
                pos = skip(pos + 1)
                if name == key:
                    array_pos = pos  # the last duplicate wins, as in json.loads
                _, pos = decoder.raw_decode(text, pos)
                pos = skip(pos)
                if text[pos] == ",":
                    pos = skip(pos + 1)
            if array_pos is None:
                raise ValueError
            pos = array_pos
        if text[pos] != "[":
            raise ValueError
        pos = skip(pos + 1)
        starts: list[int] = []
        while text[pos] != "]":
            starts.append(pos)
            _, pos = decoder.raw_decode(text, pos)
            pos = skip(pos)
            if text[pos] == ",":
                pos = skip(pos + 1)
        if len(starts) != count:
            raise ValueError
    except (ValueError, IndexError, RecursionError):
        return [1] * count
    newlines = [m.start() for m in re.finditer("\n", text)]
    return [bisect.bisect_left(newlines, start) + 1 for start in starts]


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return "a number"


def _json_text(value: Any, depth: int = 0) -> str | None:
    """A JSON value as cell text: strings as is, numbers/booleans in JSON spelling, lists joined with '; '.

    Objects are written as JSON; values nested deeper than 20 levels (a hostile or broken export)
    are written as their plain values joined with '; ', without recursion.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return value if value != "" else None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return str(value)
    if depth >= _MAX_JSON_TEXT_DEPTH:
        parts = [p for p in map(_json_text, _json_leaves(value)) if p]
        return "; ".join(parts) if parts else None
    if isinstance(value, list):
        parts = [
            p for p in (_json_text(v, depth + 1) if not isinstance(v, dict) else _json_object_text(v, depth + 1) for v in value)
            if p
        ]
        return "; ".join(parts) if parts else None
    return _json_object_text(value, depth)


def _json_object_text(value: Any, depth: int) -> str | None:
    """A JSON object as compact JSON text; too deep for the encoder: its plain values."""
    if depth >= _MAX_JSON_TEXT_DEPTH or _json_depth(value) > _MAX_JSON_TEXT_DEPTH:
        parts = [p for p in map(_json_text, _json_leaves(value)) if p]
        return "; ".join(parts) if parts else None
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return None


def _json_depth(value: Any) -> int:
    """Nesting depth of a parsed JSON value (0 for a scalar), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
        else:
            deepest = max(deepest, depth)
            continue
        deepest = max(deepest, depth + 1)
    return deepest


def _json_leaves(value: Any) -> list[Any]:
    """The scalar values inside a parsed JSON value, in document order, without recursion."""
    leaves: list[Any] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
        else:
            leaves.append(item)
    return leaves


def _flatten(record: dict[str, Any]) -> dict[str, str | None]:
    """Flatten one level of nesting (``{"customer": {"name": "A"}}`` → ``customer.name``); values as text."""
    flat: dict[str, str | None] = {}
    for key, value in record.items():
        if isinstance(value, dict) and value:
            for inner_key, inner_value in value.items():
                flat[f"{key}.{inner_key}"] = _json_text(inner_value)
        else:
            flat[str(key)] = _json_text(value)
    return flat


def _table_from_records(
    records: list[dict[str, str | None]], row_numbers: list[int], record_index: list[int], seen: int, path: Path
) -> FeedbackTable:
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
    names = _unique_names(columns)
    renamed = dict(zip(columns, names))
    data = [[record.get(c) for c in columns] for record in records]
    rows = pd.DataFrame(data, columns=[renamed[c] for c in columns], dtype=object)
    _set_record_index(rows, record_index, seen)
    return FeedbackTable(rows=rows, row_numbers=row_numbers)


def _set_record_index(rows: pd.DataFrame, record_index: list[int], seen: int) -> None:
    # a numpy array, not a list: pandas deep-copies attrs on every column access
    rows.attrs["record_index"] = np.asarray(record_index, dtype=np.int64)
    rows.attrs["records_seen"] = int(seen)


def _record_index(rows: pd.DataFrame) -> list[int]:
    index = rows.attrs.get("record_index")
    if index is None or len(index) != len(rows):
        return list(range(1, len(rows) + 1))
    return [int(i) for i in index]


def _ensure_record_index(table: FeedbackTable) -> None:
    index = table.rows.attrs.get("record_index")
    if index is None or len(index) != len(table.rows):
        seen = table.rows.attrs.get("records_seen", len(table.rows))
        _set_record_index(table.rows, list(range(1, len(table.rows) + 1)), seen)


# ---------------------------------------------------------------- choosing columns


_TEXT_HINTS = [
    ("text",), ("review",), ("review", "text"), ("body",), ("comment",), ("comments",), ("feedback",),
    ("message",), ("answer",), ("response",), ("verbatim",), ("description",), ("what", "happened"),
    ("free", "text"), ("content",), ("remarks",), ("complaint",), ("details",), ("transcript",),
    ("notes",), ("post",), ("tweet",), ("why",), ("tell", "us"),
]
_TITLE_HINTS = [("title",), ("subject",), ("headline",), ("summary",), ("topic",)]
_NOT_TEXT_TOKENS = {
    "id", "ids", "date", "time", "timestamp", "rating", "score", "stars", "star", "email", "mail", "e",
    "name", "channel", "source", "author", "created", "updated", "submitted", "count", "nps", "csat",
    "url", "link", "language", "lang", "country", "number", "no", "ref", "reference", "status", "type",
    "category", "tag", "tags", "sentiment", "at", "phone", "code", "likes", "helpful", "version",
}

_RE_NUMBER = re.compile(r"[-+]?\d[\d,. ]*%?|[-+]?\.\d+")
_RE_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_RE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-:./#]*")
_RE_DATEISH = re.compile(
    r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T]\d{1,2}:\d{2}(:\d{2})?(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|[AP]M)?", re.I
)
_RE_URL = re.compile(r"https?://\S+")


def _tokens(name: str) -> list[str]:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", str(name))
    return re.findall(r"[a-z0-9]+", spaced.lower())


def _has_hint(tokens: list[str], hints: list[tuple[str, ...]]) -> bool:
    token_set = set(tokens)
    return any(set(hint) <= token_set for hint in hints)


def _column_profile(values: pd.Series) -> dict[str, float]:
    texts = [t.strip() for t in map(_cell, values) if t is not None and t.strip()]
    n = len(texts)
    if n == 0:
        return {"n": 0, "mean_len": 0.0, "mean_words": 0.0, "spaces": 0.0, "unique": 0.0, "typed": 1.0}
    sample = texts[:2000]
    m = len(sample)
    typed = sum(
        1
        for t in sample
        if _RE_NUMBER.fullmatch(t) or _RE_EMAIL.fullmatch(t) or _RE_DATEISH.fullmatch(t) or _RE_URL.fullmatch(t)
        or (_RE_ID.fullmatch(t) and len(t) <= 40 and any(c.isdigit() for c in t))
    ) / m
    return {
        "n": float(n),
        "mean_len": sum(len(t) for t in sample) / m,
        "mean_words": sum(len(t.split()) for t in sample) / m,
        "spaces": sum(1 for t in sample if " " in t or "\n" in t) / m,
        "unique": len(set(sample)) / m,
        "typed": typed,
    }


def _text_scores(rows: pd.DataFrame) -> dict[str, tuple[float, dict[str, float], bool]]:
    """Score each column as the free-text column: (score, profile, is_title_like); score < 0 = not text."""
    scores: dict[str, tuple[float, dict[str, float], bool]] = {}
    for column in rows.columns:
        tokens = _tokens(column)
        profile = _column_profile(rows[column])
        question = "?" in str(column) or len(tokens) >= 5
        hinted = _has_hint(tokens, _TEXT_HINTS)
        title_like = _has_hint(tokens, _TITLE_HINTS) and not question
        negative = bool(set(tokens) & _NOT_TEXT_TOKENS) and not question
        if title_like:
            hinted = False
        if negative and not _has_hint(tokens, [("free", "text"), ("what", "happened")]):
            hinted = False
        if profile["n"] == 0:  # no values (e.g. an empty table): decide on the name alone
            score = 3.0 if hinted else (1.0 if title_like else -1.0)
            scores[column] = (score, profile, title_like)
            continue
        if profile["typed"] >= 0.8:
            scores[column] = (-1.0, profile, title_like)
            continue
        content = min(profile["mean_words"], 40.0) / 40.0 * 3.0 + profile["spaces"] + 0.5 * profile["unique"]
        categorical = profile["n"] >= 10 and profile["unique"] < 0.2 and profile["mean_words"] < 4
        if hinted and not categorical and (profile["spaces"] >= 0.2 or profile["mean_words"] >= 2):
            score = 4.0 + content
        elif profile["mean_words"] >= 3 and profile["spaces"] >= 0.3 and not categorical:
            score = content - (1.0 if negative else 0.0)
        else:
            score = -1.0
        scores[column] = (score, profile, title_like)
    return scores


def _match_column(rows: pd.DataFrame, wanted: str) -> str | None:
    if wanted in rows.columns:
        return wanted
    folded = [c for c in rows.columns if str(c).strip().casefold() == str(wanted).strip().casefold()]
    return folded[0] if len(folded) == 1 else None


def find_text_column(rows: pd.DataFrame, override: str | None = None, path: Path | None = None) -> str:
    """Return the column that holds the free-text feedback.

    With ``override`` that column is used (matched exactly, else case-insensitively);
    a missing one raises :class:`IngestError` listing the columns there are. Otherwise
    columns are scored on their names (``review``, ``comment``, ``What happened…? (free
    text)``…) and their content (several words per value, spaces, not ids, dates,
    numbers or e-mails); a ``title``/``subject`` column loses to a longer body.

    Example:
        >>> rows = pd.DataFrame({"review_id": ["r1", "r2"], "title": ["Crashes", "Fees!"],
        ...                      "review": ["The app logs me out every time I pay", "Resort fee shown only at the desk"]})
        >>> find_text_column(rows)
        'review'
        >>> find_text_column(rows, override="Title")
        'title'
    """
    where = Path(path) if path is not None else Path("feedback table")
    available = ", ".join(f"'{c}'" for c in rows.columns) or "(none)"
    if override is not None:
        column = _match_column(rows, override)
        if column is None:
            raise IngestError(
                where, f"text column '{override}' is not in the file; the columns are {available}; set text_column to one of them"
            )
        return str(column)
    scores = _text_scores(rows)
    candidates = {c: s for c, s in scores.items() if s[0] > 0}
    if not candidates:
        raise IngestError(
            where,
            f"no column looks like free-text feedback (columns: {available}); set text_column for this file to the column to analyse",
        )
    best = max(candidates, key=lambda c: candidates[c][0])
    if candidates[best][2]:  # a title/subject column: prefer a longer body if there is one
        bodies = [c for c, s in candidates.items() if not s[2] and s[1]["mean_len"] > candidates[best][1]["mean_len"]]
        if bodies:
            best = max(bodies, key=lambda c: candidates[c][0])
    return str(best)


_ROLE_HINTS: dict[str, list[tuple[str, ...]]] = {
    # earlier hints win over later ones
    "item_id": [("id",), ("review", "id"), ("ticket", "id"), ("response", "id"), ("item", "id"), ("feedback", "id"),
                ("message", "id"), ("comment", "id"), ("case", "id"), ("record", "id"), ("submission", "id"),
                ("survey", "id"), ("entry", "id"), ("post", "id"), ("uuid",), ("ticket", "number"), ("case", "number")],
    "date": [("date",), ("submitted",), ("submitted", "at"), ("received", "at"), ("received",), ("created",),
             ("created", "at"), ("timestamp",), ("review", "date"), ("response", "date"), ("recorded", "date"),
             ("submission", "date"), ("end", "date"), ("datetime",), ("posted",), ("time",), ("start", "date")],
    "channel": [("channel",), ("booking", "channel"), ("source",), ("store",), ("platform",), ("medium",), ("via",)],
    "rating": [("rating",), ("stars",), ("star", "rating"), ("overall", "rating"), ("nps",), ("recommend",),
               ("csat",), ("score",), ("satisfaction",)],
    "author": [("author",), ("customer", "name"), ("customer",), ("name",), ("reviewer",), ("user",),
               ("user", "name"), ("username",), ("full", "name"), ("display", "name"), ("passenger", "name")],
    "author_email": [("email",), ("customer", "email"), ("e", "mail"), ("email", "address"), ("user", "email"),
                     ("reviewer", "email"), ("mail",)],
    "title": [("title",), ("subject",), ("headline",), ("review", "title")],
}
_ROLE_EXCLUDE: dict[str, set[str]] = {
    "item_id": {"customer", "user", "booking", "order", "author", "agent", "session", "reviewer", "member", "loyalty"},
    "date": {"birth", "travel", "stay", "departure", "arrival", "checkin", "check", "flight", "id", "by", "zone"},
    "channel": {"id", "url", "rating", "score", "stars", "review", "version"},
    "rating": {"id", "comment", "why", "reason", "text", "sentiment", "date", "count"},
    "author": {"id", "email", "mail", "agent", "hotel", "file", "company", "product", "app", "store"},
    "author_email": {"agent", "support", "id"},
    "title": {"job", "id"},
}


#: for these roles a name that is not exactly a hint may only use these words ("customer tier" is no author)
_ROLE_VOCABULARY: dict[str, set[str]] = {
    "author": {"author", "customer", "name", "reviewer", "user", "username", "full", "first", "display", "passenger",
               "guest", "client", "submitted", "by", "nick", "nickname", "screen", "handle", "the", "of"},
}


def _role_rank(role: str, tokens: list[str]) -> tuple[int, int] | None:
    """How well a column name fits a role (lower is better); None when it does not fit.

    The rank is (0 for an exact hint / 1 for a name containing one, hint order), except for
    ratings, where the hint order comes first.
    """
    if not tokens or set(tokens) & _ROLE_EXCLUDE.get(role, set()):
        return None
    if role == "item_id" and tokens[-1] == "id" and len(tokens) > 1 and not _has_hint(tokens, _ROLE_HINTS[role][1:]):
        return None  # e.g. "hotel_id"
    vocabulary = _ROLE_VOCABULARY.get(role)
    if role == "rating" and {"likely", "recommend"} <= set(tokens):
        return (_ROLE_HINTS["rating"].index(("nps",)), 0)  # "How likely are you to recommend us?" is NPS
    best: tuple[int, int] | None = None
    for order, hint in enumerate(_ROLE_HINTS[role]):
        if tuple(tokens) == hint:
            rank = (0, order)
        elif set(hint) <= set(tokens) and len(tokens) <= len(hint) + 3 and (vocabulary is None or set(tokens) <= vocabulary):
            rank = (1, order)
        else:
            continue
        if role == "rating":  # the kind of score matters more than the exact spelling: NPS before CSAT
            rank = (rank[1], rank[0])
        best = rank if best is None or rank < best else best
    return best


def find_metadata_columns(rows: pd.DataFrame, overrides: dict[str, str] | None = None) -> dict[str, str]:
    """Map the roles item_id, date, channel, rating, author, author_email and title to columns.

    Columns are matched on their names (``review_id``, ``Submitted At``, ``booking
    channel``, ``NPS``, ``customer_email``…); each column gets at most one role, and
    roles nothing matches are left out. When both an NPS and a CSAT column exist the NPS
    one is the rating. ``overrides`` (role → column) win; an override naming no column
    or an unknown role raises :class:`~workbench.errors.WorkbenchError`.

    Example:
        >>> rows = pd.DataFrame(columns=["Response ID", "Submitted", "NPS", "CSAT", "Customer Name", "email", "comment"])
        >>> find_metadata_columns(rows)
        {'item_id': 'Response ID', 'date': 'Submitted', 'rating': 'NPS', 'author': 'Customer Name', 'author_email': 'email'}
        >>> find_metadata_columns(rows, {"rating": "CSAT"})["rating"]
        'CSAT'
    """
    overrides = dict(overrides or {})
    available = ", ".join(f"'{c}'" for c in rows.columns) or "(none)"
    resolved: dict[str, str] = {}
    for role, wanted in overrides.items():
        if role == "text":
            continue
        if role not in METADATA_ROLES:
            raise WorkbenchError(f"unknown column role '{role}'; use one of: text, {', '.join(METADATA_ROLES)}")
        if wanted is None or wanted == "":
            continue
        column = _match_column(rows, wanted)
        if column is None:
            raise WorkbenchError(f"the {role} column '{wanted}' is not in the file; the columns are {available}")
        resolved[role] = str(column)
    taken = set(resolved.values())
    if overrides.get("text"):
        text_column = _match_column(rows, overrides["text"])
        if text_column is not None:
            taken.add(str(text_column))
    tokens = {c: _tokens(c) for c in rows.columns}
    for role in METADATA_ROLES:
        if role in resolved or role in overrides:
            continue
        ranked = []
        for position, column in enumerate(rows.columns):
            if column in taken or "?" in str(column) and role != "rating":
                continue
            rank = _role_rank(role, tokens[column])
            if rank is not None:
                ranked.append((rank, position, column))
        if ranked:
            column = min(ranked)[2]
            resolved[role] = str(column)
            taken.add(str(column))
    return {role: resolved[role] for role in METADATA_ROLES if role in resolved}


# ---------------------------------------------------------------- segments


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
    record_index = _record_index(rows)
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

    date_parser = _DateParser(rows[roles["date"]]) if "date" in roles else None
    bad_dates: list[str] = []
    bad_ratings: list[str] = []
    data = {column: rows[column].tolist() for column in rows.columns}
    for position in range(len(rows)):
        record = {column: values[position] for column, values in data.items()}
        turn = int(record_index[position])
        line = int(row_numbers[position])
        value = _cell(record[text])
        if value is None or not value.strip():
            where = f"sheet {sheets[position]} row {line}" if sheets is not None else f"line {line}"
            report.skip(where, f"no text in column '{text}'")
            continue
        out["turn"].append(turn)
        out["line"].append(line)
        out["text"].append(value.strip())
        item_id = _cell(record[roles["item_id"]]) if "item_id" in roles else None
        out["item_id"].append(item_id.strip() if item_id and item_id.strip() else f"{stem}-{turn}")
        raw_date = _cell(record[roles["date"]]) if "date" in roles else None
        if raw_date is not None and raw_date.strip() and date_parser is not None:
            parsed = date_parser.parse(raw_date.strip())
            if parsed is None:
                bad_dates.append(raw_date.strip())
                parsed = raw_date.strip()
            out["date"].append(parsed)
        else:
            out["date"].append(None)
        channel = _cell(record[roles["channel"]]) if "channel" in roles else None
        out["channel"].append(channel.strip() if channel and channel.strip() else default_channel)
        raw_rating = _cell(record[roles["rating"]]) if "rating" in roles else None
        rating = _parse_rating(raw_rating) if raw_rating is not None and raw_rating.strip() else None
        if raw_rating is not None and raw_rating.strip() and rating is None:
            bad_ratings.append(raw_rating.strip())
        out["rating"].append(rating)
        for role in ("author", "author_email", "title"):
            if role in roles:
                cell = _cell(record[roles[role]])
                out[role].append(cell.strip() if cell and cell.strip() else None)
            elif role != "title":
                out[role].append(None)
        if sheets is not None:
            out["sheet"].append(sheets[position])
        for column, name in meta_names.items():
            out[name].append(_cell(record[column]))

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


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value if isinstance(value, str) else str(value)


def _meta_names(columns: list[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    used = {"turn", "line", "text", "item_id", "date", "channel", "rating", "author", "author_email", "title", "sheet"}
    for position, column in enumerate(columns, start=1):
        snake = "_".join(_tokens(column))[:60].strip("_") or f"column_{position}"
        name, k = f"meta_{snake}", 2
        while name in used:
            name = f"meta_{snake}_{k}"
            k += 1
        used.add(name)
        names[column] = name
    return names


_RE_RATING = re.compile(r"\s*([-+]?\d+(?:[.,]\d+)?)\s*(?:/\s*\d+(?:[.,]\d+)?|stars?|\*|%|out of \d+|points?)?\s*", re.I)


def _parse_rating(raw: str) -> float | None:
    """'4', '4.5', '4,5', '4/5', '4 stars', '★★★★☆' → float; anything else None."""
    raw = raw.strip()
    if raw and set(raw) <= {"★", "☆", " "} and "★" in raw:
        return float(raw.count("★"))
    match = _RE_RATING.fullmatch(raw)
    if not match:
        return None
    try:
        value = float(match.group(1).replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class _DateParser:
    """Parse the dates of one column into ISO 8601, deciding day-first vs month-first from the whole column."""

    def __init__(self, values: pd.Series) -> None:
        day_first = month_first = 0
        for value in values:
            text = _cell(value)
            if not text:
                continue
            match = re.match(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b", text)
            if match:
                first, second = int(match.group(1)), int(match.group(2))
                if first > 12 >= second:
                    day_first += 1
                elif second > 12 >= first:
                    month_first += 1
        self.dayfirst = day_first > month_first
        self._cache: dict[str, str | None] = {}

    def parse(self, text: str) -> str | None:
        """``text`` as an ISO 8601 date or date-time, or None where it is not a date."""
        if text not in self._cache:
            self._cache[text] = self._parse(text)
        return self._cache[text]

    def _parse(self, text: str) -> str | None:
        from dateutil import parser as date_parser

        if re.fullmatch(r"\d+(\.\d+)?", text):
            number = float(text)
            if 1e9 <= number < 1e11:  # Unix seconds
                moment = dt.datetime.fromtimestamp(number, tz=dt.timezone.utc)
                return moment.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
            if 1e12 <= number < 1e14:  # Unix milliseconds
                moment = dt.datetime.fromtimestamp(number / 1000, tz=dt.timezone.utc)
                return moment.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
            if 20000 <= number < 80000:  # an Excel serial day number that lost its format
                moment = dt.datetime(1899, 12, 30) + dt.timedelta(days=number)
                return _iso(moment)
            if len(text) == 8 and text.isdigit():  # 20240305
                try:
                    return dt.date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
                except ValueError:
                    return None
            return None
        if not re.search(r"\d", text) or len(text) < 6 or len(text) > 64:
            return None
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            dayfirst = self.dayfirst or bool(re.match(r"\s*\d{1,2}\.\d{1,2}\.\d{2,4}", text))
            try:
                moment = date_parser.parse(text, dayfirst=dayfirst, default=dt.datetime(2000, 1, 1))
            except (ValueError, OverflowError, TypeError, date_parser.ParserError):
                return None
        if not 1900 <= moment.year <= 2200:
            return None
        return _iso(moment)


def _iso(moment: dt.datetime) -> str:
    if moment.tzinfo is None and moment.time() == dt.time(0, 0):
        return moment.date().isoformat()
    return moment.isoformat(timespec="seconds")
