"""Reading one feedback export: the reader is chosen by the file extension.

========================  =====================================================
extension                 reader
========================  =====================================================
``.csv``, ``.tsv``        :func:`~workbench.ingest.feedback_csv.read_csv_feedback`
``.xlsx``                 :func:`~workbench.ingest.feedback_xlsx.read_xlsx_feedback`
``.jsonl``, ``.ndjson``   :func:`~workbench.ingest.feedback_json.read_jsonl_feedback`
``.json``                 :func:`~workbench.ingest.feedback_json.read_json_feedback`
========================  =====================================================

Each reader returns a :class:`~workbench.ingest.base.FeedbackTable` whose cells are all
text (or ``None`` where a cell is empty), with the file line / spreadsheet row of every
record and its position among all records (:mod:`workbench.ingest.feedback_table`), and
records in the :class:`~workbench.ingest.base.FileReport` whatever it could not use.
:func:`~workbench.ingest.feedback_segments.feedback_to_segments` then picks the free-text
and metadata columns (:mod:`workbench.ingest.feedback_columns`) and makes one row per
feedback item.

Example:
    >>> import tempfile
    >>> from workbench.ingest.feedback_segments import feedback_to_segments
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "reviews.csv").write_text("id;review\\n1;App crashed at login\\n", encoding="utf-8")
    >>> report = FileReport("feedback/reviews.csv", "feedback", "csv")
    >>> table = read_feedback_file(folder / "reviews.csv", report)
    >>> feedback_to_segments(table, folder / "reviews.csv", report)[["item_id", "text"]].values.tolist()
    [['1', 'App crashed at login']]
"""
from __future__ import annotations

from pathlib import Path

from workbench.errors import IngestError
from workbench.ingest.base import FeedbackTable, FileReport
from workbench.ingest.feedback_csv import read_csv_feedback
from workbench.ingest.feedback_json import read_json_feedback, read_jsonl_feedback
from workbench.ingest.feedback_table import ensure_record_index
from workbench.ingest.feedback_xlsx import read_xlsx_feedback

__all__ = ["read_feedback_file"]


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
    ensure_record_index(table)
    report.rows_read = int(table.rows.attrs.get("records_seen", len(table.rows)))
    return table
