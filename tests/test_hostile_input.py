"""Hostile and broken inputs, one by one: zip bombs, traversal names, huge lines, deep JSON,
wrong extensions, NUL bytes, bad encodings; and formula injection in what the workbench writes.

Each case ends in a result or in a WorkbenchError that names the file (and the line or row
where there is one). Random inputs are in ``test_fuzz_readers.py``.
"""
from __future__ import annotations

import csv
import io
import json
import re
import struct
import zipfile
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest

import workbench.ingest.docx as docx_reader
import workbench.ingest.feedback_xlsx as feedback_reader
from workbench.config import StudyConfig
from workbench.errors import IngestError, StudyError
from workbench.storage.files import FORMULA_TRIGGERS, escape_spreadsheet_cell, escape_spreadsheet_frame, escape_spreadsheet_row
from workbench.ingest.archive import MAX_ZIP_MEMBERS, unsafe_member_name
from workbench.ingest.base import FileReport
from workbench.ingest.docx import read_docx_transcript
from workbench.ingest.feedback import read_feedback_file
from workbench.ingest.feedback_segments import feedback_to_segments
from workbench.ingest.report import IngestReport
from workbench.ingest.study import _read_participants
from workbench.ingest.subtitles import read_subtitles
from workbench.ingest.transcripts import read_txt_transcript

ROOT = Path(__file__).resolve().parents[1]
TEN_MB = 10_000_000


def _report(path: Path) -> FileReport:
    return FileReport(path.name, "x", path.suffix.lstrip("."))


def _feedback(path: Path) -> pd.DataFrame:
    report = _report(path)
    table = read_feedback_file(path, report)
    return feedback_to_segments(table, path, report)


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Dana: How did you book the trip?")
    document.add_paragraph("Maria: On the app, and the payment failed twice.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "comment"])
    sheet.append([1, "The refund took nine weeks to arrive"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _with_extra_member(package: bytes, name: str, content: bytes = b"<x/>") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rebuilt:
        for info in source.infolist():
            rebuilt.writestr(info.filename, source.read(info.filename))
        rebuilt.writestr(name, content)
    return out.getvalue()


def _declare_size(package: bytes, member: str, size: int) -> bytes:
    """Rewrite the uncompressed size a zip declares for ``member`` (local header and central directory)."""
    data = bytearray(package)
    encoded = member.encode()
    for signature, name_length_at, size_at, header in ((b"PK\x03\x04", 26, 22, 30), (b"PK\x01\x02", 28, 24, 46)):
        for match in re.finditer(re.escape(signature), bytes(data)):
            start = match.start()
            name_length = struct.unpack_from("<H", data, start + name_length_at)[0]
            if bytes(data[start + header:start + header + name_length]) == encoded:
                struct.pack_into("<I", data, start + size_at, size)
    return bytes(data)


def _refuses_without_unpacking(monkeypatch: pytest.MonkeyPatch, read, path: Path, match: str) -> None:
    """The reader refuses ``path`` from the zip directory alone: no member is ever opened."""

    def no_unpacking(*_args, **_kwargs):
        raise AssertionError("a member was unpacked before the size check")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_unpacking)
    with pytest.raises(IngestError, match=match) as caught:
        read(path)
    assert path.name in str(caught.value)


# ------------------------------------------------------------------------ zip bombs, members


@pytest.mark.parametrize("fmt, member, limit", [
    ("docx", "word/document.xml", docx_reader.MAX_XML_PART_BYTES),
    ("xlsx", "xl/worksheets/sheet1.xml", feedback_reader.MAX_XLSX_PART_BYTES),
])
def test_part_declared_over_the_limit_is_refused_from_the_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, member: str, limit: int
) -> None:
    package = _docx_bytes() if fmt == "docx" else _xlsx_bytes()
    path = tmp_path / f"bomb.{fmt}"
    path.write_bytes(_declare_size(package, member, limit + 1))  # a 10 kB file claiming a 200 MB part
    read = read_docx_transcript if fmt == "docx" else read_feedback_file
    _refuses_without_unpacking(monkeypatch, lambda p: read(p, _report(p)), path, f"{re.escape(member)}.*zip bomb")


def test_real_xlsx_bomb_over_the_total_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a real 500 MB bomb takes seconds to build: the same check against a lowered limit
    monkeypatch.setattr(feedback_reader, "MAX_XLSX_UNCOMPRESSED_BYTES", 3_000_000)
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(_with_extra_member(_xlsx_bytes(), "xl/media/image1.png", b"\0" * 4_000_000))
    assert path.stat().st_size < 100_000
    _refuses_without_unpacking(monkeypatch, lambda p: read_feedback_file(p, _report(p)), path, "unpacks to 4 MB")


def test_docx_images_count_towards_the_total_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_reader, "MAX_XML_PART_BYTES", 1_000_000)
    path = tmp_path / "photos.docx"
    path.write_bytes(_with_extra_member(_docx_bytes(), "word/media/image1.png", b"\0" * 2_000_000))
    assert len(read_docx_transcript(path, _report(path))) == 2  # a big image is no XML part
    monkeypatch.setattr(docx_reader, "MAX_TOTAL_BYTES", 2_000_000)
    with pytest.raises(IngestError, match=r"photos.docx: unpacks to \d MB \(limit 2 MB\), which looks like a zip bomb"):
        read_docx_transcript(path, _report(path))


def test_a_directory_that_understates_a_part_cannot_smuggle_it_in(tmp_path: Path) -> None:
    package = _with_extra_member(_docx_bytes(), "customXml/item9.xml", b"<a>" + b" " * 2_000_000 + b"</a>")
    path = tmp_path / "liar.docx"
    path.write_bytes(_declare_size(package, "customXml/item9.xml", 100))
    with zipfile.ZipFile(path) as archive, pytest.raises(zipfile.BadZipFile):
        archive.read("customXml/item9.xml")  # zipfile stops at the declared size and fails the CRC
    turns = read_docx_transcript(path, _report(path))  # python-docx never reads that part
    assert [t.speaker for t in turns] == ["Dana", "Maria"]


def test_package_with_too_many_members_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for number in range(MAX_ZIP_MEMBERS + 1):
            archive.writestr(f"x/{number}.xml", b"")
    with pytest.raises(IngestError, match=f"many.xlsx: holds {MAX_ZIP_MEMBERS + 1} zip members"):
        read_feedback_file(path, _report(path))


@pytest.mark.parametrize("member", ["../../evil.xml", "/etc/cron.d/job.xml", "word/../../../x.xml", "C:/Windows/x.xml",
                                    "..\\..\\evil.xml"])
@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_traversal_member_names_are_refused(tmp_path: Path, fmt: str, member: str) -> None:
    package = _docx_bytes() if fmt == "docx" else _xlsx_bytes()
    path = tmp_path / f"traversal.{fmt}"
    path.write_bytes(_with_extra_member(package, member))
    read = read_docx_transcript if fmt == "docx" else read_feedback_file
    with pytest.raises(IngestError, match=f"traversal.{fmt}: names a part .* outside the package"):
        read(path, _report(path))
    assert not (tmp_path.parent / "evil.xml").exists()


def test_member_name_rule() -> None:
    assert not unsafe_member_name("word/document.xml")
    assert not unsafe_member_name("xl/worksheets/..sheet1.xml")  # dots inside a name are fine
    assert unsafe_member_name("a/..") and unsafe_member_name("x\x00.xml")


# ---------------------------------------------------------------------------- huge and deep


def test_ten_megabyte_transcript_line(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_bytes(b"Interview 1\nDana: " + b"and then the app crashed " * (TEN_MB // 25) + b"\nMaria: Yes.\n")
    turns = read_txt_transcript(path, _report(path))
    assert [t.speaker for t in turns] == ["Dana", "Maria"] and len(turns[0].text) > 9_000_000


def test_ten_megabyte_line_without_a_label(tmp_path: Path) -> None:
    path = tmp_path / "one_line.txt"
    path.write_bytes(b"x" * TEN_MB + b": not a speaker")
    with pytest.raises(IngestError, match="one_line.txt: no speaker labels found"):
        read_txt_transcript(path, _report(path))


def test_ten_megabyte_subtitle_cue(tmp_path: Path) -> None:
    path = tmp_path / "long.vtt"
    path.write_bytes(b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Dana>" + b"<i>" * (TEN_MB // 3) + b"\n")
    with pytest.raises(IngestError, match="long.vtt: none of its 1 cues could be read .*line 3: cue has no text"):
        read_subtitles(path, _report(path))
    path.write_bytes(b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Dana>" + b"word " * (TEN_MB // 5) + b"\n")
    assert read_subtitles(path, _report(path))[0].speaker == "Dana"


def test_ten_megabyte_csv_cell_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_bytes(b"id,review\n1,fine\n2,\"" + b"word " * (TEN_MB // 5) + b"\"\n")
    with pytest.raises(IngestError, match=r"reviews.csv, line 3: a cell is longer than \d+ characters") as caught:
        _feedback(path)
    assert caught.value.line == 3


def test_ten_megabyte_header_of_separators(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_bytes(b"a;" * (TEN_MB // 2) + b"\n1;It crashed at checkout\n")
    with pytest.raises(IngestError, match=r"wide.csv, line 1: has \d+ columns \(limit 5000\)"):
        _feedback(path)


def test_ten_megabyte_json_line(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"id": 1, "message": "refund " * (TEN_MB // 7)}) + "\n", encoding="utf-8")
    assert len(_feedback(path)["text"][0]) > 9_000_000


def _deep(kind: str, depth: int) -> object:
    value: object = "the innermost complaint"
    for _ in range(depth):
        value = {"inner": value} if kind == "object" else [value]
    return value


@pytest.mark.parametrize("kind", ["object", "list"])
@pytest.mark.parametrize("depth", [25, 900])
@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_deeply_nested_json_is_read_flat(tmp_path: Path, kind: str, depth: int, suffix: str) -> None:
    record = {"id": "e1", "body": "My booking vanished after I paid", "extra": _deep(kind, depth)}
    path = tmp_path / f"deep{suffix}"
    path.write_text(json.dumps(record) if suffix == ".jsonl" else json.dumps([record]), encoding="utf-8")
    segments = _feedback(path)
    assert segments["text"].tolist() == ["My booking vanished after I paid"]
    assert "the innermost complaint" in str(segments.filter(like="extra").iloc[0, 0])


@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_json_nested_beyond_the_parser_is_refused(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"abyss{suffix}"
    path.write_text('{"body": ' + "[" * 200_000, encoding="utf-8")
    with pytest.raises(IngestError, match=f"abyss{suffix}(, line 1)?: .*nested too deeply"):
        read_feedback_file(path, _report(path))


def test_json_records_with_too_many_keys(tmp_path: Path) -> None:
    path = tmp_path / "keys.jsonl"
    path.write_text("\n".join(json.dumps({f"k{n}": "x", "body": "slow app"}) for n in range(6000)), encoding="utf-8")
    with pytest.raises(IngestError, match="keys.jsonl: its records hold 6001 different keys"):
        read_feedback_file(path, _report(path))


# ------------------------------------------------------------------------- wrong extensions


@pytest.mark.parametrize("name, content, match", [
    ("interview.docx", b"Dana: I am plain text in a .docx\n", "interview.docx: is not a valid .docx"),
    ("reviews.csv", "xlsx", r"reviews.csv: looks like a binary file \(a zip archive"),
    ("survey.xlsx", "docx", "survey.xlsx: survey.xlsx is not a valid .xlsx workbook"),
    ("survey.xlsx", b"id,comment\n1,text\n", "survey.xlsx: survey.xlsx is not a valid .xlsx"),
    ("call.vtt", "docx", r"call.vtt: looks like a binary file \(a zip archive"),
    ("interview.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", r"interview.txt: looks like a binary file \(a PDF"),
    ("emails.jsonl", "xlsx", r"emails.jsonl: looks like a binary file"),
    ("chat.json", b"id,comment\n1,text\n", "chat.json, line 1: not valid JSON"),
    ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.xlsx: this is an old-format"),
])
def test_wrong_extension(tmp_path: Path, name: str, content: bytes | str, match: str) -> None:
    data = {"xlsx": _xlsx_bytes, "docx": _docx_bytes}[content]() if isinstance(content, str) else content
    path = tmp_path / name
    path.write_bytes(data)
    suffix = path.suffix
    read = {".docx": read_docx_transcript, ".vtt": read_subtitles, ".txt": read_txt_transcript}.get(suffix, read_feedback_file)
    with pytest.raises(IngestError, match=match):
        read(path, _report(path))


# --------------------------------------------------------------------- NUL bytes, encodings


@pytest.mark.parametrize("name, read", [
    ("t.txt", read_txt_transcript), ("t.vtt", read_subtitles), ("t.csv", read_feedback_file), ("t.jsonl", read_feedback_file),
])
def test_nul_byte_names_its_line(tmp_path: Path, name: str, read) -> None:
    path = tmp_path / name
    path.write_bytes(b"WEBVTT\n\n00:01.000 --> 00:02.000\nDana: hi \x00 there\n")
    with pytest.raises(IngestError, match=f"{name}, line 4: looks like a binary file \\(a NUL byte on this line\\)"):
        read(path, _report(path))


def test_invalid_utf8_falls_back_to_a_legacy_encoding(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Dana: Où est ma réservation? \u20ac 412\n".encode("cp1252") + b"Maria: \x81\x8d ok\n")
    report = _report(path)
    turns = read_txt_transcript(path, report)
    assert turns[0].text.startswith("Où est ma réservation") and report.encoding in ("cp1252", "latin-1")


@pytest.mark.parametrize("data, match", [
    (b"\xff\xfeD\x00a\x00n\x00:\x00 \x00h\x00i\x00\x00\xd8", "bad.txt: starts with a UTF-16 byte-order mark but is not valid"),
    ("Dana: hi\nMaria: hello\n".encode("utf-16-le"), r"bad.txt: looks like a binary file .*UTF-16 text without a byte-order mark"),
    (b"\x00\x00\xfe\xff\x00\x11\x00\x00", "bad.txt: starts with a UTF-32 byte-order mark but is not valid"),
])
def test_broken_unicode_is_refused_with_advice(tmp_path: Path, data: bytes, match: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(IngestError, match=match):
        read_txt_transcript(path, _report(path))


# --------------------------------------------------------------------------- participants


@pytest.mark.parametrize("content, match", [
    (b"participant_id,name\nP01,Ana\x00\n", "participants.csv, row 2: cannot read the participants table .*NUL byte"),
    (b"participant_id,note\nP01,\"" + b"x" * 200_000 + b"\"\n", r"participants.csv, row 2: cannot be read as CSV"),
    (b"participant_id,name\nP01,Ana\nP01,Ben\n", "participants.csv, row 3: participant_id P01 is used twice"),
    (b"participant_id,name\n\nP01,Ana\n,Ben\n", "participants.csv, row 4: empty participant_id"),
    (b"participant_id,participant_id\nP01,P02\n", None),
    (b"participant_id\nP01\nP02\n", None),  # one column: nothing for the sniffer to find, still read
])
def test_participants_table_is_read_or_refused_naming_the_row(tmp_path: Path, content: bytes, match: str | None) -> None:
    (tmp_path / "participants.csv").write_bytes(content)
    read = lambda: _read_participants(tmp_path, StudyConfig(), IngestReport(str(tmp_path)))  # noqa: E731
    if match is None:
        assert read()["participant_id"].tolist()[:2] in (["P01"], ["P01", "P02"])
    else:
        with pytest.raises(StudyError, match=match):
            read()


# ----------------------------------------------------------------------- formula injection


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_formula_cells_are_escaped(trigger: str) -> None:
    assert escape_spreadsheet_cell(f"{trigger}HYPERLINK(\"http://evil\",\"x\")") == f"'{trigger}HYPERLINK(\"http://evil\",\"x\")"


def test_harmless_cells_are_left_alone() -> None:
    assert escape_spreadsheet_row(["Refunds", "a=b", "", None, 3, -2.5, "'quoted"]) == ["Refunds", "a=b", "", None, 3, -2.5, "'quoted"]
    frame = escape_spreadsheet_frame(pd.DataFrame({"=cmd": ["@SUM(A1)", None], "n": [-1, 2]}))
    assert frame.columns.tolist() == ["'=cmd", "n"]
    assert frame["'=cmd"].tolist()[0] == "'@SUM(A1)" and frame["n"].tolist() == [-1, 2]


def test_workshop_csv_export_escapes_customer_text(tmp_path: Path) -> None:
    from workbench.storage.store import HmwStatement, WorkshopSession
    from workbench.workshop.results import session_results, write_results

    painpoints = pd.DataFrame({"painpoint_id": ["PP01", "PP02"], "label": ["=1+1", "\tHidden fees"]})
    statements = [HmwStatement(1, "PP02", "Dana", "How might we stop =cmd|' /C calc'!A0?")]
    table = session_results(painpoints, {"PP01": 2}, [], statements)
    path = write_results(tmp_path / "kick-off.csv", table, WorkshopSession("kick-off", False, 1, 5, 0))
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'=1+1" in cells and "'\tHidden fees" in cells
    assert not any(cell.startswith(FORMULA_TRIGGERS) for cell in cells)


def test_every_spreadsheet_writer_uses_the_shared_escape() -> None:
    """A new CSV/XLSX writer in workbench/ or widgets/ must go through workbench.storage.files's escape."""
    writers = re.compile(r"\.to_csv\(|\.to_excel\(|csv\.writer\(|csv\.DictWriter\(|openpyxl\.Workbook\(|xlsxwriter")
    offenders = []
    for folder in ("workbench", "widgets"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            code = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if ">>>" not in line)
            if path.name != "fileio.py" and writers.search(code) and "escape_spreadsheet" not in code:
                offenders.append(path.relative_to(ROOT).as_posix())
    assert offenders == []
