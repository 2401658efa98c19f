"""The ``.xlsx`` feedback reader: every sheet of a workbook, zip bombs refused before anything is unpacked."""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.errors import IngestError
from workbench.ingest.archive import check_zip_package
from workbench.ingest.base import FeedbackTable, FileReport
from workbench.ingest.feedback_table import set_record_index, unique_names

__all__ = ["MAX_XLSX_PART_BYTES", "MAX_XLSX_UNCOMPRESSED_BYTES", "read_xlsx_feedback"]

#: refuse .xlsx archives whose members together unpack to more than this many bytes (zip bombs);
#: checked from the zip directory before anything is unpacked
MAX_XLSX_UNCOMPRESSED_BYTES = 500_000_000
#: refuse .xlsx archives with one XML part (a sheet, the shared strings) larger than this unpacked:
#: openpyxl holds the shared strings in memory
MAX_XLSX_PART_BYTES = 200_000_000

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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
    set_record_index(rows, record_index, seen)
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
        values = [_sheet_cell_text(v) for v in raw]
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
                header, header_row = unique_names(title[1]), title[0]
            else:
                if title is not None:
                    report.notes.append(
                        f"sheet {name}: row {title[0]} looks like a title above the table; "
                        f"the header is row {row_number}"
                    )
                header, header_row = unique_names(values), row_number
                continue
        for empty_row in pending_empty:  # an empty row followed by data: not trailing
            seen += 1
            report.skip(f"sheet {name} row {empty_row}", "empty row")
        pending_empty = []
        if len(values) > len(header):
            header = unique_names(header + [f"column_{i}" for i in range(len(header) + 1, len(values) + 1)])
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
        header, header_row = unique_names(title[1]), title[0]
    if header is None:
        report.notes.append(f"sheet {name} is empty")
    elif kept == 0:
        report.notes.append(f"sheet {name} has a header (row {header_row}) but no data rows")
    return seen


def _sheet_cell_text(value: Any) -> str | None:
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
