"""Tests of the feedback-export readers (workbench/ingest/feedback*.py)."""
from __future__ import annotations

import datetime as dt
import io
import json
import random
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from workbench.errors import IngestError
from workbench.ingest import feedback_xlsx as feedback_module
from workbench.ingest.base import FeedbackTable, FileReport
from workbench.ingest.feedback import read_feedback_file
from workbench.ingest.feedback_columns import find_metadata_columns, find_text_column
from workbench.ingest.feedback_csv import read_csv_feedback
from workbench.ingest.feedback_json import read_json_feedback, read_jsonl_feedback
from workbench.ingest.feedback_segments import feedback_to_segments
from workbench.ingest.feedback_xlsx import MAX_XLSX_UNCOMPRESSED_BYTES, read_xlsx_feedback


def _report(path: Path) -> FileReport:
    return FileReport(f"feedback/{path.name}", "feedback", path.suffix.lstrip(".").lower())


def _read(path: Path) -> tuple[FeedbackTable, FileReport]:
    report = _report(path)
    return read_feedback_file(path, report), report


def _segments(path: Path, **options: object) -> tuple[pd.DataFrame, FileReport]:
    report = _report(path)
    table = read_feedback_file(path, report)
    return feedback_to_segments(table, path, report, **options), report  # type: ignore[arg-type]


def _xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


# ---------------------------------------------------------------- CSV


def test_semicolon_csv_in_cp1252_is_read_with_accents_and_decimal_commas(tmp_path: Path) -> None:
    path = tmp_path / "hotel_survey.csv"
    content = (
        "Réf;Date;Note;Commentaire\r\n"
        "H-1;05/03/2024;4,5;Très bien, mais la réception n'a pas trouvé ma réservation\r\n"
        "H-2;17/03/2024;2;Frais cachés à l'arrivée : 35 € de « resort fee »\r\n"
    )
    path.write_bytes(content.encode("cp1252"))
    table, report = _read(path)
    assert report.encoding == "cp1252"
    assert list(table.rows.columns) == ["Réf", "Date", "Note", "Commentaire"]
    assert table.rows.loc[1, "Commentaire"] == "Frais cachés à l'arrivée : 35 € de « resort fee »"
    assert table.row_numbers == [2, 3]
    assert report.rows_read == 2
    out = feedback_to_segments(table, path, report, column_overrides={"rating": "Note", "item_id": "Réf"})
    assert out["text"].str.contains("réception").iloc[0]
    assert out["rating"].tolist() == [4.5, 2.0]
    # 17/03 can only be day-first, so 05/03 is 5 March as well
    assert out["date"].tolist() == ["2024-03-05", "2024-03-17"]
    assert out["item_id"].tolist() == ["H-1", "H-2"]


def test_multiline_quoted_cells_keep_newlines_and_later_line_numbers_are_exact(tmp_path: Path) -> None:
    path = tmp_path / "emails.csv"
    path.write_text(
        'id,body\n'
        '1,"I paid at 22:14.\nNo confirmation.\n\nStill nothing the next day."\n'
        '2,"Refund promised, ""within 7 days"", now 6 weeks"\n'
        '\n'
        '3,"Gate change\nnever announced"\n'
        '4,Short one\n',
        encoding="utf-8",
    )
    table, report = _read(path)
    assert table.rows.loc[0, "body"] == "I paid at 22:14.\nNo confirmation.\n\nStill nothing the next day."
    assert table.rows.loc[1, "body"] == 'Refund promised, "within 7 days", now 6 weeks'
    assert table.row_numbers == [2, 6, 8, 10]
    out = feedback_to_segments(table, path, report)
    assert out.set_index("item_id").loc["4", "line"] == 10
    assert "\n" in out.loc[0, "text"]


def test_row_with_extra_fields_is_reported_with_its_line_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text(
        "review_id,rating,review\n"
        "r1,1,App crashed during payment\n"
        "r2,2,Fees appeared at checkout, baggage and service\n"  # unquoted comma: 4 cells
        "r3,5,Smooth mobile check-in,\n"  # trailing empty cell: harmless
        "r4,3,Points never credited\n",
        encoding="utf-8",
    )
    table, report = _read(path)
    assert table.rows["review_id"].tolist() == ["r1", "r3", "r4"]
    assert table.row_numbers == [2, 4, 5]
    assert [s.location for s in report.skipped] == ["line 3"]
    assert "4 cells but the header has 3" in report.skipped[0].reason
    assert report.rows_read == 4  # the bad row is counted, not silently dropped
    out = feedback_to_segments(table, path, report)
    assert report.rows_read == report.segments_made + len(report.skipped)
    # turns stay those of the records in the file, the bad one included
    assert out["turn"].tolist() == [1, 3, 4]


def test_header_only_csv_gives_an_empty_table(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("id,date,comment\n", encoding="utf-8")
    table, report = _read(path)
    assert table.rows.empty
    assert list(table.rows.columns) == ["id", "date", "comment"]
    assert report.rows_read == 0
    out = feedback_to_segments(table, path, report)
    assert out.empty and report.segments_made == 0


def test_empty_file_raises_ingest_error(tmp_path: Path) -> None:
    """Decision: an empty (or whitespace-only) file is an IngestError saying it is empty."""
    for name in ("empty.csv", "empty.jsonl", "empty.json", "empty.xlsx"):
        path = tmp_path / name
        path.write_bytes(b"" if name != "empty.jsonl" else b"\n\n")
        with pytest.raises(IngestError, match="empty"):
            _read(path)


def test_duplicate_and_blank_header_names_are_made_unique(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("comment,,comment\nfirst words here,b,second words here\n", encoding="utf-8")
    table, _ = _read(path)
    assert list(table.rows.columns) == ["comment", "column_2", "comment_2"]
    assert table.rows.iloc[0].tolist() == ["first words here", "b", "second words here"]


def test_empty_cells_are_none_and_values_stay_strings(tmp_path: Path) -> None:
    path = tmp_path / "x.tsv"
    path.write_text("id\tscore\tcomment\n007\t\tHold music for an hour\n", encoding="utf-8")
    table, report = _read(path)
    assert table.rows.iloc[0].tolist() == ["007", None, "Hold music for an hour"]
    assert "tabs" in " ".join(report.notes)
    out = feedback_to_segments(table, path, report)
    assert out.loc[0, "item_id"] == "007"  # leading zeros kept


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_are_sniffed(tmp_path: Path, delimiter: str) -> None:
    rows = [["ticket_id", "channel", "description"], ["T-1", "phone", "On hold 50 minutes, then cut off; awful"],
            ["T-2", "chat", "Agent said one thing | email said another"]]
    buffer = io.StringIO()
    import csv

    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path = tmp_path / "tickets.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    table, _ = _read(path)
    assert list(table.rows.columns) == rows[0]
    assert table.rows["description"].tolist() == [rows[1][2], rows[2][2]]


def test_unclosed_quote_is_an_error_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text('id,comment\n1,fine\n2,"never closed\n3,swallowed\n4,also swallowed\n', encoding="utf-8")
    with pytest.raises(IngestError) as info:
        _read(path)
    assert info.value.line == 3
    assert "closing double quote" in info.value.reason


# ---------------------------------------------------------------- XLSX


def test_xlsx_reads_every_sheet_and_reports_an_empty_free_text_row(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "survey.xlsx",
        {
            "Q1 responses": [
                ["Response ID", "Submitted", "What happened on your trip? (free text)"],
                [1001, dt.datetime(2024, 4, 2, 9, 30), "Hotel desk could not find my reservation"],
                [1002, dt.datetime(2024, 4, 3), None],
                [1003, dt.date(2024, 4, 5), "Upgrade surprise at check-in, lovely staff"],
            ],
            "Q2 responses": [
                [None, None],  # a blank row above the header
                ["Response ID", "What happened on your trip? (free text)", "NPS"],
                [2001, "Flight delay was never notified", 3],
                [],
                [2002, "Refund still pending after 8 weeks", 0],
                [],
                [],
            ],
        },
    )
    table, report = _read(path)
    assert table.sheet == ["Q1 responses"] * 3 + ["Q2 responses"] * 2
    assert table.row_numbers == [2, 3, 4, 3, 5]
    assert set(table.rows.columns) == {"Response ID", "Submitted", "What happened on your trip? (free text)", "NPS"}
    # the empty row between data rows is reported; trailing ones are not
    assert [(s.location, s.reason) for s in report.skipped] == [("sheet Q2 responses row 4", "empty row")]
    out = feedback_to_segments(table, path, report)
    assert out["sheet"].tolist() == ["Q1 responses", "Q1 responses", "Q2 responses", "Q2 responses"]
    assert ("sheet Q1 responses row 3", "no text in column 'What happened on your trip? (free text)'") in [
        (s.location, s.reason) for s in report.skipped
    ]
    assert out["item_id"].tolist() == ["1001", "1003", "2001", "2002"]
    assert out["rating"].tolist()[2:] == [3.0, 0.0]
    assert report.rows_read == 6 and report.rows_read == report.segments_made + len(report.skipped)


def test_xlsx_dates_become_iso_strings(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "reviews.xlsx",
        {"Sheet1": [["date", "review"], [dt.datetime(2024, 1, 31), "Card charged twice, no e-ticket"],
                    [dt.datetime(2024, 2, 1, 14, 5, 9), "App logs me out mid-booking"]]},
    )
    table, report = _read(path)
    assert table.rows["date"].tolist() == ["2024-01-31", "2024-02-01T14:05:09"]
    out = feedback_to_segments(table, path, report)
    assert out["date"].tolist() == ["2024-01-31", "2024-02-01T14:05:09"]


def test_text_named_xlsx_and_xls_files_are_refused_with_what_to_do(tmp_path: Path) -> None:
    fake = tmp_path / "reviews.xlsx"
    fake.write_text("id,review\n1,hello\n", encoding="utf-8")
    with pytest.raises(IngestError, match="not a valid .xlsx workbook; re-save it from Excel as .xlsx"):
        _read(fake)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(IngestError, match="save it as .xlsx"):
        _read(old)
    ole_named_xlsx = tmp_path / "protected.xlsx"
    ole_named_xlsx.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(IngestError, match="save it as .xlsx"):
        _read(ole_named_xlsx)
    plain_zip = tmp_path / "notes.xlsx"
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    with pytest.raises(IngestError, match="not a valid .xlsx"):
        _read(plain_zip)


def test_xlsx_zip_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert MAX_XLSX_UNCOMPRESSED_BYTES == 500_000_000
    # a real 500 MB bomb takes seconds to build; lower the limit instead
    monkeypatch.setattr(feedback_module, "MAX_XLSX_UNCOMPRESSED_BYTES", 1_000_000)
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 2_000_000)
    assert path.stat().st_size < 50_000
    with pytest.raises(IngestError, match="unpacks to"):
        _read(path)


# ---------------------------------------------------------------- JSONL / JSON


def test_malformed_jsonl_line_is_reported_and_good_lines_kept(tmp_path: Path) -> None:
    path = tmp_path / "emails.jsonl"
    lines = [
        json.dumps({"id": "e1", "subject": "No confirmation", "body": "Charged 412 EUR but no booking email",
                    "customer": {"name": "Maria Lopez", "email": "maria@example.com"}, "tags": ["payment", "email"]}),
        "",
        '{"id": "e2", "subject": "Refund", "body": "Still waiting"',  # truncated
        "[1, 2, 3]",
        json.dumps({"id": "e3", "subject": "Miles", "body": "My Skylark Miles from March never arrived"}),
        "[" * 100_000,  # deep nesting: must be a skip, not a crash
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table, report = _read(path)
    assert table.rows["id"].tolist() == ["e1", "e3"]
    assert table.row_numbers == [1, 5]
    assert [s.location for s in report.skipped] == ["line 3", "line 4", "line 6"]
    assert all("fix or remove the line" in s.reason for s in report.skipped)
    assert report.rows_read == 5 == len(table.rows) + len(report.skipped)
    assert table.rows.loc[0, "customer.name"] == "Maria Lopez"
    assert table.rows.loc[0, "tags"] == "payment; email"
    out = feedback_to_segments(table, path, report)
    assert out["text"].tolist() == ["Charged 412 EUR but no booking email", "My Skylark Miles from March never arrived"]
    assert out["title"].tolist() == ["No confirmation", "Miles"]
    assert out["author"].tolist() == ["Maria Lopez", None]
    assert out["author_email"].tolist() == ["maria@example.com", None]
    assert out["turn"].tolist() == [1, 4]  # records 2 and 3 were skipped but keep their numbers (blank lines are no records)
    assert "meta_tags" in out.columns


def test_jsonl_where_every_line_fails_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text('{"id": 1, "text": "hi there\n{"id": 2\nnot json at all\n', encoding="utf-8")
    with pytest.raises(IngestError, match="no line holds a JSON object") as info:
        _read(path)
    assert info.value.line == 1


def test_pretty_printed_json_named_jsonl_is_read_as_json(tmp_path: Path) -> None:
    path = tmp_path / "pretty.jsonl"
    path.write_text('[\n  {"id": 1,\n   "text": "App crashed at the 2FA step"},\n  {"id": 2, "text": "Fine"}\n]\n', encoding="utf-8")
    table, report = _read(path)
    assert table.rows["text"].tolist() == ["App crashed at the 2FA step", "Fine"]
    assert table.row_numbers == [2, 4]
    assert report.skipped == [] and report.rows_read == 2
    assert any("rename it to .json" in note for note in report.notes)


def test_json_items_wrapper(tmp_path: Path) -> None:
    path = tmp_path / "chats.json"
    document = {
        "exported_at": "2024-05-01",
        "items": [
            {"chat_id": "c-1", "channel": "web chat", "message": "Agent said I could change online, website says call"},
            {"chat_id": "c-2", "channel": "app chat", "message": "Had to repeat my booking SKY-4QZ81M three times"},
        ],
    }
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    table, report = _read(path)
    assert table.rows["chat_id"].tolist() == ["c-1", "c-2"]
    assert table.row_numbers == [4, 9]
    out = feedback_to_segments(table, path, report)
    assert out["channel"].tolist() == ["web chat", "app chat"]
    assert out["text"].iloc[1].startswith("Had to repeat")


def test_json_list_and_wrong_shapes(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text('[{"comment": "Resort fee at the desk"}, 5, {"comment": "Lost my status"}]', encoding="utf-8")
    table, report = _read(path)
    assert table.rows["comment"].tolist() == ["Resort fee at the desk", "Lost my status"]
    assert len(report.skipped) == 1 and report.rows_read == 3
    for bad in ('{"a": 1, "b": "x"}', '"just text"', '{"one": [{"a": 1}], "two": [{"b": 2}]}', "{not json"):
        path.write_text(bad, encoding="utf-8")
        with pytest.raises(IngestError, match="expected|not valid JSON"):
            _read(path)


# ---------------------------------------------------------------- choosing columns


def test_text_column_prefers_review_over_title_and_id() -> None:
    rows = pd.DataFrame(
        {
            "review_id": ["gp-001", "gp-002", "gp-003"],
            "title": ["Crashes constantly since update", "Fees!!", "Great check-in"],
            "review": ["Every time I reach payment the app closes and I have to log in again",
                       "The price went up by 40 pounds at the last step",
                       "Mobile check-in took seconds, boarding pass in the wallet"],
            "rating": ["1", "2", "5"],
            "date": ["2024-03-01", "2024-03-02", "2024-03-04"],
        }
    )
    assert find_text_column(rows) == "review"
    roles = find_metadata_columns(rows)
    assert roles == {"item_id": "review_id", "date": "date", "rating": "rating", "title": "title"}


def test_text_column_on_a_survey_with_a_free_text_question() -> None:
    rows = pd.DataFrame(
        {
            "ResponseId": ["R_1", "R_2", "R_3"],
            "StartDate": ["2024-04-01 10:00", "2024-04-01 11:00", "2024-04-02 09:12"],
            "Booking channel": ["App", "Call centre", "Website"],
            "How likely are you to recommend Skylark? (0-10)": ["3", "9", "6"],
            "CSAT": ["2", "5", "3"],
            "Loyalty tier": ["Gold", "None", "Silver"],
            "Customer name": ["Ana Ruiz", "Tom Baker", "Li Wei"],
            "What happened on your trip? (free text)": [
                "Gate changed and nobody told us", "", "Hotel gave us a twin instead of the double we booked"],
        }
    )
    assert find_text_column(rows) == "What happened on your trip? (free text)"
    roles = find_metadata_columns(rows)
    assert roles["item_id"] == "ResponseId"
    assert roles["date"] == "StartDate"
    assert roles["channel"] == "Booking channel"
    assert roles["rating"] == "How likely are you to recommend Skylark? (0-10)"
    assert roles["author"] == "Customer name"
    assert "Loyalty tier" not in roles.values()


def test_nps_wins_over_csat_and_the_other_stays_as_metadata(tmp_path: Path) -> None:
    rows = pd.DataFrame({"id": ["1"], "CSAT": ["4"], "NPS": ["9"], "comment": ["Points arrived late but support fixed it"]})
    assert find_metadata_columns(rows)["rating"] == "NPS"
    report = FileReport("feedback/s.csv", "feedback", "csv")
    out = feedback_to_segments(FeedbackTable(rows, [2]), tmp_path / "s.csv", report)
    assert out.loc[0, "rating"] == 9.0
    assert out.loc[0, "meta_csat"] == "4"
    assert any("text column: 'comment'" in note for note in report.notes)
    assert any("rating='NPS'" in note for note in report.notes)


def test_text_column_chosen_on_content_when_names_do_not_help() -> None:
    rows = pd.DataFrame(
        {
            "col_a": ["1001", "1002", "1003"],
            "col_b": ["ana@example.com", "tom@example.org", "li@mail.test"],
            "col_c": ["I waited on hold for an hour and the line dropped",
                      "Nobody at the desk could find my reservation",
                      "The refund went to a voucher I never asked for"],
            "col_d": ["2024-01-01", "2024-01-02", "2024-01-03"],
        }
    )
    assert find_text_column(rows) == "col_c"


def test_title_only_export_uses_the_title_and_nothing_textlike_is_an_error() -> None:
    assert find_text_column(pd.DataFrame({"id": ["1", "2"], "subject": ["Refund still missing after weeks", "App crash on login screen"]})) == "subject"
    with pytest.raises(IngestError, match="no column looks like free-text"):
        find_text_column(pd.DataFrame({"id": ["1", "2"], "rating": ["4", "5"], "date": ["2024-01-01", "2024-01-02"]}))


def test_override_of_a_missing_column_lists_the_columns(tmp_path: Path) -> None:
    rows = pd.DataFrame({"id": ["1"], "review": ["Good"]})
    with pytest.raises(IngestError) as info:
        find_text_column(rows, override="comments", path=tmp_path / "r.csv")
    assert "'comments'" in str(info.value) and "'id'" in str(info.value) and "'review'" in str(info.value)
    assert find_text_column(rows, override="REVIEW") == "review"
    with pytest.raises(IngestError, match="'review'"):
        feedback_to_segments(FeedbackTable(rows, [2]), tmp_path / "r.csv", FileReport("r", "feedback", "csv"),
                             column_overrides={"date": "created"})


def test_segments_fill_defaults_and_note_unreadable_dates_and_ratings(tmp_path: Path) -> None:
    rows = pd.DataFrame(
        {
            "message": ["Charged but no ticket", "Lost in the IVR menu", "No refund yet", "   "],
            "received_at": ["2024-03-05T10:00:00Z", "yesterday", "March 7, 2024", "2024-03-08"],
            "stars": ["4 stars", "★★☆☆☆", "n/a", "1"],
            "Customer": ["Ana Ruiz", None, "Li Wei", "X"],
            "Agent Notes": ["called back", None, None, None],
        }
    )
    report = FileReport("feedback/inbox.json", "feedback", "json")
    out = feedback_to_segments(FeedbackTable(rows, [1, 2, 3, 4]), tmp_path / "inbox.json", report, default_channel="email")
    assert out["item_id"].tolist() == ["inbox-1", "inbox-2", "inbox-3"]
    assert out["channel"].tolist() == ["email"] * 3
    assert out["date"].tolist() == ["2024-03-05T10:00:00+00:00", "yesterday", "2024-03-07"]
    assert out["rating"].tolist()[:2] == [4.0, 2.0] and pd.isna(out["rating"].iloc[2])
    assert out["author"].tolist() == ["Ana Ruiz", None, "Li Wei"]
    assert out["meta_agent_notes"].tolist() == ["called back", None, None]
    notes = " ".join(report.notes)
    assert "1 value(s) in the date column 'received_at'" in notes
    assert "1 value(s) in the rating column 'stars'" in notes
    assert [(s.location, s.reason) for s in report.skipped] == [("line 4", "no text in column 'message'")]
    assert report.segments_made == 3


def test_png_named_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(IngestError):
        _read(path)
    path = tmp_path / "reviews.jsonl"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(IngestError):
        _read(path)


def test_unknown_extension_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "reviews.numbers"
    path.write_bytes(b"whatever")
    with pytest.raises(IngestError, match="export it as .csv"):
        _read(path)


# ---------------------------------------------------------------- fuzzing

_FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

_VALID_CSV = (
    'review_id;date;stars;review\n'
    'r1;05/03/2024;4;"Paid, then\nno confirmation"\n'
    'r2;2024-03-06;2;Hold loop for 45 min\n'
).encode("cp1252")
_VALID_JSONL = (
    json.dumps({"id": 1, "customer": {"name": "Ana", "email": "a@example.com"}, "body": "Refund in vouchers only"}) + "\n"
    + json.dumps({"id": 2, "body": "Gate change not notified", "tags": ["flight", "app"]}) + "\n"
).encode("utf-8")


def _valid_xlsx() -> bytes:
    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Response ID", "Submitted", "Comment"])
    sheet.append([1, dt.datetime(2024, 1, 2), "The desk could not find my room"])
    sheet.append([2, dt.datetime(2024, 1, 3, 8, 0), "Miles not credited"])
    book.create_sheet("Other").append(["x"])
    book.save(buffer)
    return buffer.getvalue()


_VALID_XLSX = _valid_xlsx()


def _mutate(data: bytes, seed: int, edits: int) -> bytes:
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(edits):
        choice = rng.random()
        position = rng.randrange(len(out) + 1)
        if choice < 0.4 and out:
            out[min(position, len(out) - 1)] = rng.randrange(256)
        elif choice < 0.7:
            out[position:position] = bytes([rng.choice(b'";,\n\r{}[]\\\x00\xff"')])
        elif choice < 0.85:
            del out[position: position + rng.randrange(1, 50)]
        else:
            out = out[: position]
    return bytes(out)


def _read_fully(path: Path) -> None:
    """Read and make segments; the only error allowed is IngestError."""
    report = _report(path)
    try:
        table = read_feedback_file(path, report)
        if not table.rows.empty:
            feedback_to_segments(table, path, report)
    except IngestError:
        pass


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".json", ".xlsx"])
@_FUZZ
@given(data=st.binary(max_size=2000))
def test_random_bytes_raise_only_ingest_error(tmp_path: Path, suffix: str, data: bytes) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    _read_fully(path)


@pytest.mark.parametrize("suffix,valid", [(".csv", _VALID_CSV), (".jsonl", _VALID_JSONL), (".xlsx", _VALID_XLSX)])
@_FUZZ
@given(seed=st.integers(0, 2**32 - 1), edits=st.integers(1, 8))
@example(seed=176, edits=3)  # once gave an .xlsx whose zip header claims version 24.7 (NotImplementedError)
def test_mutated_valid_files_raise_only_ingest_error(tmp_path: Path, suffix: str, valid: bytes, seed: int, edits: int) -> None:
    path = tmp_path / f"mutated{suffix}"
    path.write_bytes(_mutate(valid, seed, edits))
    _read_fully(path)


@_FUZZ
@given(text=st.text(alphabet=st.sampled_from(list('ab ,;|\t"\n\r') + ["é", "€"]), max_size=300))
def test_csv_like_text_raises_only_ingest_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "text.csv"
    path.write_text(text, encoding="utf-8")
    report = _report(path)
    try:
        table = read_feedback_file(path, report)
    except IngestError:
        return
    # counts add up whatever the content
    assert report.rows_read == len(table.rows) + len(report.skipped)
    assert len(table.row_numbers) == len(table.rows)
    assert table.row_numbers == sorted(table.row_numbers)
    if not table.rows.empty:
        try:
            feedback_to_segments(table, path, report)
        except IngestError:
            pass


# ---------------------------------------------------------------- realistic exports


def test_app_store_export_roles(tmp_path: Path) -> None:
    path = tmp_path / "app_store_reviews.csv"
    path.write_text(
        "review_id,date,store,rating,author,title,review,app_version,helpful_count\n"
        'AS-1,2024-02-11,App Store,1,Jamie K,Crash at login,"Since 5.2 the app crashes the moment I enter the 2FA code.",5.2.0,14\n'
        'GP-2,2024-02-12,Google Play,2,Priya,Price jumped,"Hotel was 189 on the list and 231 at checkout. Resort fee hidden.",5.2.0,3\n'
        'GP-3,2024-02-13,Google Play,5,Sam O,Love it,"Mobile check-in worked perfectly, boarding pass in my wallet.",5.1.9,0\n',
        encoding="utf-8",
    )
    out, report = _segments(path)
    assert any("text column: 'review'" in note for note in report.notes)
    assert out["item_id"].tolist() == ["AS-1", "GP-2", "GP-3"]
    assert out["channel"].tolist() == ["App Store", "Google Play", "Google Play"]
    assert out["title"].tolist() == ["Crash at login", "Price jumped", "Love it"]
    assert out["author"].tolist() == ["Jamie K", "Priya", "Sam O"]
    assert out["rating"].tolist() == [1.0, 2.0, 5.0]
    assert {"meta_app_version", "meta_helpful_count"} <= set(out.columns)
    assert "meta_review" not in out.columns and "meta_title" not in out.columns


def test_support_ticket_export_roles(tmp_path: Path) -> None:
    path = tmp_path / "support_tickets.xlsx"
    _xlsx(
        path,
        {
            "Tickets": [
                ["Skylark support export (April)"],
                [],
                ["Ticket ID", "Created At", "Channel", "Customer Name", "Customer Email", "Subject", "Description",
                 "CSAT", "Agent"],
                ["T-901", dt.datetime(2024, 4, 2, 8, 15), "Phone", "Ana Ruiz", "ana@example.com", "On hold forever",
                 "Called three times, the IVR sent me back to the main menu each time and then dropped the call.",
                 1, "Kevin"],
                ["T-902", dt.datetime(2024, 4, 2, 9, 0), "Email", "Tom Baker", "tom@example.org", "Refund",
                 "My refund for the cancelled flight was promised in 7 days; it has been 9 weeks.", 2, "Mrs Alvarez"],
            ]
        },
    )
    out, report = _segments(path)
    assert any("text column: 'Description'" in note for note in report.notes)
    assert any("looks like a title" in note for note in report.notes)
    assert report.skipped == []
    assert out["item_id"].tolist() == ["T-901", "T-902"]
    assert out["date"].tolist() == ["2024-04-02T08:15:00", "2024-04-02T09:00:00"]
    assert out["author"].tolist() == ["Ana Ruiz", "Tom Baker"]
    assert out["author_email"].tolist() == ["ana@example.com", "tom@example.org"]
    assert out["title"].tolist() == ["On hold forever", "Refund"]
    assert out["rating"].tolist() == [1.0, 2.0]
    assert out["meta_agent"].tolist() == ["Kevin", "Mrs Alvarez"]
    assert out["line"].tolist() == [4, 5]


def test_overrides_win_and_default_channel_fills_gaps(tmp_path: Path) -> None:
    path = tmp_path / "social.jsonl"
    path.write_text(
        json.dumps({"post_id": "p1", "handle": "@trav", "posted": "01.04.2024", "text": "Gate moved, no push alert"}) + "\n"
        + json.dumps({"post_id": "p2", "handle": "@mo", "posted": "13.04.2024", "text": "Desk staff were lovely"}) + "\n",
        encoding="utf-8",
    )
    out, report = _segments(path, column_overrides={"author": "handle"}, default_channel="social media")
    assert out["author"].tolist() == ["@trav", "@mo"]
    assert out["channel"].tolist() == ["social media"] * 2
    assert out["date"].tolist() == ["2024-04-01", "2024-04-13"]  # dotted dates are day-first
    assert out["item_id"].tolist() == ["p1", "p2"]
    out, _ = _segments(path, text_column="handle")
    assert out["text"].tolist() == ["@trav", "@mo"]


def test_csv_whose_header_misses_a_column_name_keeps_the_data(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id,comment\n1,Waited weeks for the refund,phone\n2,Charged twice,web\n3,OK\n", encoding="utf-8")
    table, report = _read(path)
    assert list(table.rows.columns) == ["id", "comment", "column_3"]
    assert table.rows["column_3"].tolist() == ["phone", "web", None]
    assert report.skipped == [] and "column_N" in " ".join(report.notes)


def test_excel_sep_hint_line_sets_the_delimiter_and_keeps_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_text("sep=;\nid;comment\n1;Agent, then chat, then email: three answers\n", encoding="utf-8")
    table, _ = _read(path)
    assert list(table.rows.columns) == ["id", "comment"]
    assert table.rows["comment"].tolist() == ["Agent, then chat, then email: three answers"]
    assert table.row_numbers == [3]


def test_each_reader_can_be_called_directly_whatever_the_file_name(tmp_path: Path) -> None:
    csv_file = tmp_path / "export.txt"
    csv_file.write_text("id|comment\n1|Voucher instead of cash refund\n", encoding="utf-8")
    assert read_csv_feedback(csv_file, _report(csv_file)).rows["comment"].tolist() == ["Voucher instead of cash refund"]
    jsonl_file = tmp_path / "export.log"
    jsonl_file.write_text('{"comment": "Miles expired without warning"}\n', encoding="utf-8")
    assert read_jsonl_feedback(jsonl_file, _report(jsonl_file)).rows["comment"].tolist() == ["Miles expired without warning"]
    json_file = tmp_path / "export.data"
    json_file.write_text('{"results": [{"comment": "Room type differed"}], "total": 1}', encoding="utf-8")
    assert read_json_feedback(json_file, _report(json_file)).rows["comment"].tolist() == ["Room type differed"]
    xlsx_file = _xlsx(tmp_path / "export.xlsx", {"S": [["comment"], ["Desk could not find the booking"]]})
    renamed = xlsx_file.rename(tmp_path / "export.bin")
    assert read_xlsx_feedback(renamed, _report(renamed)).rows["comment"].tolist() == ["Desk could not find the booking"]
