"""Transcript readers: encodings, .txt, .vtt/.srt and .docx, plus fuzzing.

Fixtures are written in each test with ``tmp_path``; the public webvtt-py parser
fixtures (MIT) are read from ``../shared`` when it is there and from the copies in
``tests/data/subtitles/`` always.
"""
from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.errors import IngestError
from workbench.ingest import docx as docx_reader
from workbench.ingest._text import is_speaker_label, parse_timestamp, split_speaker_line
from workbench.ingest.base import FileReport, Turn, merge_consecutive_turns
from workbench.ingest.docx import read_docx_transcript
from workbench.ingest.encoding import decode_text, read_text_file
from workbench.ingest.subtitles import read_subtitles
from workbench.ingest.transcripts import read_txt_transcript

DATA = Path(__file__).parent / "data"
LOCAL_SUBTITLES = DATA / "subtitles"
SHARED_SUBTITLES = Path(__file__).resolve().parents[2] / "shared" / "bench-data" / "subtitle-fixtures" / "subtitles"

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def _report(name: str = "t.txt", fmt: str = "txt") -> FileReport:
    return FileReport(source_id=name, kind="interview", format=fmt)


def _zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _read_txt(tmp_path: Path, content: str | bytes, name: str = "interview.txt") -> tuple[list[Turn], FileReport]:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    report = _report(name)
    return read_txt_transcript(path, report), report


def _read_subs(tmp_path: Path, content: str | bytes, name: str = "call.vtt") -> tuple[list[Turn], FileReport]:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    report = _report(name, name.rsplit(".", 1)[-1])
    return read_subtitles(path, report), report


# --------------------------------------------------------------------------- encoding


def test_decode_utf8_with_and_without_bom() -> None:
    text = "Dana: Olá, José!\nMaria: Très bien."
    assert decode_text(text.encode("utf-8"), Path("a.txt")) == (text, "utf-8")
    assert decode_text(codecs.BOM_UTF8 + text.encode("utf-8"), Path("a.txt")) == (text, "utf-8-sig")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_decode_utf16_with_bom(codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    data = bom + "Dana: hi José\r\nMaria: ok".encode(codec)
    text, encoding = decode_text(data, Path("a.txt"))
    assert text == "Dana: hi José\nMaria: ok"
    assert encoding == "utf-16"


def test_decode_cp1252_and_latin1_fallbacks() -> None:
    text, encoding = decode_text("José paid €120 – twice".encode("cp1252"), Path("a.txt"))
    assert (text, encoding) == ("José paid €120 – twice", "cp1252")
    # 0x81 is undefined in cp1252, so only Latin-1 can decode this; "José" still comes out right
    text, encoding = decode_text(b"Jos\xe9 \x81", Path("a.txt"))
    assert encoding == "latin-1"
    assert text.startswith("José")


def test_decode_normalises_crlf_and_cr() -> None:
    assert decode_text(b"a\r\nb\rc\n", Path("a.txt"))[0] == "a\nb\nc\n"


@pytest.mark.parametrize(
    "data",
    [PNG_BYTES, _zip_bytes({"a.txt": b"hello"}), b"text\x00with\x00nul", bytes(range(1, 32)) * 10, b"%PDF-1.7\n"],
    ids=["png", "zip", "nul", "controls", "pdf"],
)
def test_decode_refuses_binary(data: bytes) -> None:
    with pytest.raises(IngestError, match="binary file") as caught:
        decode_text(data, Path("interview.txt"))
    assert "interview.txt" in str(caught.value)


def test_read_text_file_sets_encoding_and_limits_size(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes("José: hola".encode("cp1252"))
    report = _report()
    assert read_text_file(path, report) == "José: hola"
    assert report.encoding == "cp1252"
    with pytest.raises(IngestError, match="too large.*split"):
        read_text_file(path, _report(), max_bytes=5)
    with pytest.raises(IngestError, match="cannot be read"):
        read_text_file(tmp_path / "missing.txt", _report())


# --------------------------------------------------------------------------- speaker rule


@pytest.mark.parametrize(
    "label", ["Q", "A", "Dana Whitfield", "Participant 3", "JAMES", "José Núñez", "Ana de Souza", "Mr. O'Brien-Smith"]
)
def test_speaker_labels_accepted(label: str) -> None:
    assert is_speaker_label(label)


@pytest.mark.parametrize(
    "label", ["Note", "NOTE", "Date", "my answer", "https", "so basically", "The App Kept Crashing On", "Booking ref"]
)
def test_non_speaker_prefixes_rejected(label: str) -> None:
    assert not is_speaker_label(label)


@pytest.mark.parametrize(
    ("line", "speaker", "start", "text"),
    [
        ("[00:01:02] Dana: hi", "Dana", 62.0, "hi"),
        ("Dana [00:01:02]: hi", "Dana", 62.0, "hi"),
        ("(00:01:02) Dana: hi", "Dana", 62.0, "hi"),
        ("[01:02] Dana: hi", "Dana", 62.0, "hi"),
        ("[00:01:02.250] Dana: hi", "Dana", 62.25, "hi"),
        ("Dana: [00:01:02] hi", "Dana", 62.0, "hi"),
        ("Interviewer (Omar): hi", "Interviewer (Omar)", None, "hi"),
        ("Q:How did you book?", "Q", None, "How did you book?"),
    ],
)
def test_split_speaker_line(line: str, speaker: str, start: float | None, text: str) -> None:
    split = split_speaker_line(line)
    assert split is not None
    assert (split.speaker, split.start_s, split.text) == (speaker, start, text)


@pytest.mark.parametrize(
    "line",
    ["https://example.com: broken", "Flight 10:30 was late", "Note: the app crashed", "so I said: no", "10:30: hi"],
)
def test_split_speaker_line_ignores_non_labels(line: str) -> None:
    assert split_speaker_line(line) is None


def test_parse_timestamp_forms() -> None:
    assert parse_timestamp("01:02:03,5") == 3723.5
    assert parse_timestamp("(00:00:09)") == 9.0
    assert parse_timestamp("1:2:3.04") == pytest.approx(3723.04)
    assert parse_timestamp("00:75:00") is None
    assert parse_timestamp("soon") is None


# --------------------------------------------------------------------------- .txt


def test_txt_speakers_continuations_and_header(tmp_path: Path) -> None:
    content = (
        "Skylark Travel – interview 7\n"
        "Recorded 12 March 2024\n"
        "\n"
        "[00:00:05] Dana Whitfield: How did you book your last trip?\n"
        "Maria Lopez [00:00:09.5]: On the app. The payment went through\n"
        "but no confirmation ever arrived.\n"
        "\n"
        "I checked https://example.com/bookings: nothing there.\n"
        "Dana Whitfield (00:01:10): What did you do then?\n"
    )
    turns, report = _read_txt(tmp_path, content)
    assert [(t.speaker, t.start_s, t.line) for t in turns] == [
        ("Dana Whitfield", 5.0, 4),
        ("Maria Lopez", 9.5, 5),
        ("Dana Whitfield", 70.0, 9),
    ]
    assert turns[1].text == (
        "On the app. The payment went through but no confirmation ever arrived. "
        "I checked https://example.com/bookings: nothing there."
    )
    assert [(s.location, s.reason) for s in report.skipped] == [
        ("line 1", "text before the first speaker label"),
        ("line 2", "text before the first speaker label"),
    ]
    assert report.rows_read == 7
    assert report.encoding == "utf-8"


def test_txt_q_and_a_labels_and_note_lines(tmp_path: Path) -> None:
    content = "Q: Did the refund arrive?\nA: After six weeks.\nNote: only as a voucher.\nQ: And then?\nA: I gave up.\n"
    turns, report = _read_txt(tmp_path, content)
    assert [t.speaker for t in turns] == ["Q", "A", "Q", "A"]
    assert turns[1].text == "After six weeks. Note: only as a voucher."
    assert report.skipped == []


def test_txt_one_off_label_under_text_is_continuation_with_note(tmp_path: Path) -> None:
    content = (
        "Dana: How was the hotel?\n"
        "Maria: The room was wrong and\n"
        "Also: nobody could find my reservation.\n"
        "Dana: Did anyone help?\n"
        "Maria: The desk clerk did, eventually.\n"
    )
    turns, report = _read_txt(tmp_path, content)
    assert [t.speaker for t in turns] == ["Dana", "Maria", "Dana", "Maria"]
    assert "Also: nobody could find my reservation." in turns[1].text
    assert any("line 3" in note and "Also" in note for note in report.notes)


def test_txt_bom_crlf_and_cp1252(tmp_path: Path) -> None:
    bom_crlf = codecs.BOM_UTF8 + "Dana: Hello\r\nJosé: Olá\r\nstill José\r\n".encode()
    turns, report = _read_txt(tmp_path, bom_crlf)
    assert [(t.speaker, t.text) for t in turns] == [("Dana", "Hello"), ("José", "Olá still José")]
    assert report.encoding == "utf-8-sig"

    turns, report = _read_txt(tmp_path, "José Núñez: The fee was €35.\r\n".encode("cp1252"), "legacy.txt")
    assert (turns[0].speaker, turns[0].text) == ("José Núñez", "The fee was €35.")
    assert report.encoding == "cp1252"


def test_txt_otter_style_label_lines(tmp_path: Path) -> None:
    content = "Dana Whitfield  0:02\nHow did you book?\n\nMaria Lopez  0:15\nThrough the app.\nIt crashed twice.\n"
    turns, _ = _read_txt(tmp_path, content)
    assert [(t.speaker, t.text, t.start_s) for t in turns] == [
        ("Dana Whitfield", "How did you book?", 2.0),
        ("Maria Lopez", "Through the app. It crashed twice.", 15.0),
    ]


def test_txt_label_without_text_is_reported(tmp_path: Path) -> None:
    turns, report = _read_txt(tmp_path, "Dana: Hi\nMaria:\n\nDana: Anyone there?\n")
    assert [t.speaker for t in turns] == ["Dana", "Dana"]
    assert report.skipped[0].location == "line 2"
    # consecutive same-speaker turns merge downstream
    assert len(merge_consecutive_turns(turns)) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\n\n  \n", "empty"),
        (b"Just a paragraph of notes about the trip.\nNo labels here.\n", "Speaker: text"),
        (PNG_BYTES, "binary"),
        (_zip_bytes({"word/document.xml": b"<w/>"}), "binary"),
    ],
    ids=["empty", "blank", "no-labels", "png", "zip"],
)
def test_txt_errors(tmp_path: Path, content: bytes, message: str) -> None:
    with pytest.raises(IngestError, match=message) as caught:
        _read_txt(tmp_path, content)
    assert "interview.txt" in str(caught.value)


# --------------------------------------------------------------------------- subtitles

TEAMS_VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Dana Whitfield>How did you book the flight?</v>

00:00:04.500 --> 00:00:07.000
<v.loud Maria Lopez>On the app. I paid,

00:00:07.000 --> 00:00:09.250 align:start position:10%
<v Maria Lopez>but no e-ticket came.</v>

00:00:09.250 --> 00:00:11.000
and the card was charged twice.

00:00:11.000 --> 00:00:12.000
<v Dana Whitfield>Twice?</v>
"""


def test_vtt_teams_voice_tags_and_merge(tmp_path: Path) -> None:
    turns, report = _read_subs(tmp_path, TEAMS_VTT)
    assert report.format == "vtt"
    assert report.rows_read == 5
    assert [t.speaker for t in turns] == ["Dana Whitfield", "Maria Lopez", "Maria Lopez", None, "Dana Whitfield"]
    assert [t.line for t in turns] == [3, 6, 9, 12, 15]
    merged = merge_consecutive_turns(turns)
    assert [(t.speaker, t.start_s, t.end_s) for t in merged] == [
        ("Dana Whitfield", 1.0, 4.0),
        ("Maria Lopez", 4.5, 11.0),
        ("Dana Whitfield", 11.0, 12.0),
    ]
    assert merged[1].text == "On the app. I paid, but no e-ticket came. and the card was charged twice."


def test_vtt_zoom_name_prefix_identifiers_and_short_times(tmp_path: Path) -> None:
    content = (
        "WEBVTT\n\n1\n00:01.000 --> 00:03.500\nOmar Haddad: Were you on hold long?\n\n"
        "2\n00:03.500 --> 01:02.000\nPriya Shah: Forty minutes, then the call dropped.\n"
    )
    turns, _ = _read_subs(tmp_path, content)
    assert [(t.speaker, t.text, t.start_s, t.end_s) for t in turns] == [
        ("Omar Haddad", "Were you on hold long?", 1.0, 3.5),
        ("Priya Shah", "Forty minutes, then the call dropped.", 3.5, 62.0),
    ]


def test_vtt_inline_tags_entities_and_dialogue_markers(tmp_path: Path) -> None:
    content = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n"
        "<c.yellow>Fees</c> <i>kept</i> <b>rising</b> <u>at</u> <00:00:01.500>checkout &amp; <lang en>more</lang>\n\n"
        "00:00:02.000 --> 00:00:03.000\n- DANA: Really?\n- MARIA: Yes &lt;really&gt;.\n\n"
        "00:00:03.000 --> 00:00:04.000\n>> OMAR: Thanks.\n"
    )
    turns, _ = _read_subs(tmp_path, content)
    assert turns[0].text == "Fees kept rising at checkout & more"
    assert turns[0].speaker is None
    # one cue naming two speakers gives one turn each, with the cue's times
    assert [(t.speaker, t.text, t.start_s) for t in turns[1:]] == [
        ("DANA", "Really?", 2.0),
        ("MARIA", "Yes <really>.", 2.0),
        ("OMAR", "Thanks.", 3.0),
    ]


def test_vtt_note_style_region_blocks_ignored(tmp_path: Path) -> None:
    content = (
        "WEBVTT - Skylark interview\nKind: captions\n\n"
        "STYLE\n::cue { color: white; }\n\n"
        "REGION\nid:fred width:40%\n\n"
        "NOTE recorded on Teams\nsecond comment line\n\n"
        "00:00:00.000 --> 00:00:02.000\n<v Dana>Hello.\n\n"
        "NOTE\nanother comment\n\n"
        "00:00:02.000 --> 00:00:05.000\n<v Priya>My miles never showed up.\n"
    )
    turns, report = _read_subs(tmp_path, content)
    assert [(t.speaker, t.text) for t in turns] == [("Dana", "Hello."), ("Priya", "My miles never showed up.")]
    assert report.skipped == []
    assert all("comment" not in t.text for t in turns)


def test_vtt_malformed_cues_reported_with_line_numbers(tmp_path: Path) -> None:
    content = (
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:02.000\nDana: Fine cue.\n\n"  # lines 3-4
        "00:00:0x.000 --> 00:00:03.000\nbroken timing\n\n"  # line 6
        "00:00:05.000 --> 00:00:04.000\nends before start\n\n"  # line 9
        "00:00:06.000 --> 00:00:07.000\n<i></i>\n\n"  # line 12: no text
        "orphan text\n\n"  # line 15
        "00:00:08.000 --> 00:00:09.000\nMaria: Also fine.\n"  # line 17
    )
    turns, report = _read_subs(tmp_path, content)
    assert [t.text for t in turns] == ["Fine cue.", "Also fine."]
    assert [t.line for t in turns] == [3, 17]
    assert [s.location for s in report.skipped] == ["line 6", "line 9", "line 12", "line 15"]
    reasons = " | ".join(s.reason for s in report.skipped)
    assert "malformed timing" in reasons and "ends before it starts" in reasons and "no text" in reasons
    assert report.rows_read == 6


def test_srt_with_crlf_and_format_by_content(tmp_path: Path) -> None:
    content = (
        "1\r\n00:00:01,000 --> 00:00:03,000\r\nAgent Kevin: Thanks for calling Skylark.\r\n\r\n"
        "2\r\n00:00:03,000 --> 00:00:06.500\r\nI have been on hold\r\nfor an hour.\r\n\r\n"
    )
    turns, report = _read_subs(tmp_path, content, "call.vtt")  # SRT content behind a .vtt name
    assert report.format == "srt"
    assert [(t.speaker, t.text, t.start_s, t.end_s, t.line) for t in turns] == [
        ("Agent Kevin", "Thanks for calling Skylark.", 1.0, 3.0, 2),
        (None, "I have been on hold for an hour.", 3.0, 6.5, 6),
    ]


def test_subtitles_with_bom_and_utf16(tmp_path: Path) -> None:
    text = "WEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\n<v José>Olá</v>\r\n"
    turns, report = _read_subs(tmp_path, codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert (turns[0].speaker, turns[0].text) == ("José", "Olá")
    assert report.encoding == "utf-16"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"WEBVTT\n\n", "no subtitle cues"),
        (b"Dana: this is a text transcript\n", "no subtitle timing lines"),
        (b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\n", "none of its 1 cues"),
        (PNG_BYTES, "binary"),
        (_zip_bytes({"a.vtt": b"WEBVTT"}), "binary"),
    ],
    ids=["empty", "header-only", "not-subtitles", "no-valid-cue", "png", "zip"],
)
def test_subtitle_errors(tmp_path: Path, content: bytes, message: str) -> None:
    with pytest.raises(IngestError, match=message) as caught:
        _read_subs(tmp_path, content)
    assert "call.vtt" in str(caught.value)


def _fixture_files() -> list[Path]:
    files = sorted(LOCAL_SUBTITLES.glob("*.*"))
    files = [f for f in files if f.suffix in {".vtt", ".srt", ".sbv"}]
    if SHARED_SUBTITLES.is_dir():
        files += sorted(SHARED_SUBTITLES.iterdir())
    return files


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_public_fixtures_give_turns_or_ingest_error(path: Path) -> None:
    report = _report(path.name, path.suffix.lstrip("."))
    try:
        turns = read_subtitles(path, report)
    except IngestError as error:
        assert path.name in str(error)
        return
    assert turns
    assert all(t.text and t.text == t.text.strip() and "<" not in t.text for t in turns)
    assert all(t.start_s is not None and t.end_s is not None and t.end_s >= t.start_s for t in turns)


def _fixture(name: str) -> Path:
    shared = SHARED_SUBTITLES / name
    if shared.exists():
        return shared
    local = LOCAL_SUBTITLES / name
    if not local.exists():
        pytest.skip(f"{name} needs ../shared/bench-data (absent)")
    return local


def test_fixture_teams_timeframe() -> None:
    report = _report("teams_timeframe.vtt", "vtt")
    turns = read_subtitles(_fixture("teams_timeframe.vtt"), report)
    assert [(t.speaker, t.text, t.start_s, t.end_s) for t in turns] == [
        ("Yuri Bakulin", "There you go.", 0.0, 0.57),
        ("Adrian Petrescu", "Why hello there, Yuri.", 0.21, 1.13),
    ]


def test_fixture_captions_with_bom() -> None:
    report = _report("captions_with_bom.vtt", "vtt")
    turns = read_subtitles(_fixture("captions_with_bom.vtt"), report)
    assert [t.text for t in turns] == [f"Caption text #{i}" for i in range(1, 5)]
    assert report.encoding == "utf-8-sig"


def test_fixture_comments_notes_skipped_and_dashes_removed() -> None:
    report = _report("comments.vtt", "vtt")
    turns = read_subtitles(_fixture("comments.vtt"), report)
    assert len(turns) == 3
    assert turns[0].text == "Ta en kopp varmt te. Det är inte varmt."
    assert turns[0].start_s == 135.0
    assert not any("Kyle" in t.text or "translate well" in t.text for t in turns)


def test_fixture_sample_srt() -> None:
    report = _report("sample.srt", "srt")
    turns = read_subtitles(_fixture("sample.srt"), report)
    assert report.format == "srt"
    assert [t.text for t in turns] == [f"Caption text #{i}" for i in range(1, 6)]
    assert (turns[2].start_s, turns[2].end_s, turns[2].line) == (11.89, 16.32, 10)


def test_fixture_youtube_rolling_captions() -> None:
    report = _report("youtube_dl.vtt", "vtt")
    turns = read_subtitles(_fixture("youtube_dl.vtt"), report)
    assert turns[2].text == "this will happen is I'm telling"
    assert turns[2].start_s == pytest.approx(304.08)


def test_fixture_missing_timeframe_srt_reports_the_cue() -> None:
    report = _report("missing_timeframe.srt", "srt")
    turns = read_subtitles(_fixture("missing_timeframe.srt"), report)
    assert [t.text for t in turns] == ["Caption text #1", "Caption text #3", "Caption text #4", "Caption text #5"]
    assert [s.location for s in report.skipped] == ["line 5"]


# --------------------------------------------------------------------------- .docx


def _bold_paragraph(document, parts: list[tuple[str, bool]]) -> None:  # noqa: ANN001
    paragraph = document.add_paragraph()
    for text, bold in parts:
        paragraph.add_run(text).bold = bold


def _save(document, tmp_path: Path, name: str = "interview.docx") -> Path:  # noqa: ANN001
    path = tmp_path / name
    document.save(path)
    return path


def test_docx_paragraph_mode_bold_speakers_and_headings(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Interview 5 – Skylark Travel", level=0)  # paragraph 1 (Title)
    document.add_paragraph("Recorded on Teams, 4 April 2024.")  # paragraph 2
    _bold_paragraph(document, [("Dana Whitfield:", True), (" How did you change your dates?", False)])  # 3
    _bold_paragraph(document, [("Priya Shah", True), (": The website would not let me.", False)])  # 4
    document.add_paragraph("I had to call and pay a change fee.")  # 5 continuation
    document.add_paragraph("")  # 6 empty
    document.add_heading("Part 2", level=1)  # 7
    _bold_paragraph(document, [("Dana Whitfield", True), (" [00:12:30]", True), (" And the refund?", False)])  # 8
    _bold_paragraph(document, [("Priya Shah", True), (" It took nine weeks.", False)])  # 9: bold label, no colon
    path = _save(document, tmp_path)
    report = _report("interview.docx", "docx")
    turns = read_docx_transcript(path, report)
    assert [(t.speaker, t.text, t.line) for t in turns] == [
        ("Dana Whitfield", "How did you change your dates?", 3),
        ("Priya Shah", "The website would not let me. I had to call and pay a change fee.", 4),
        ("Dana Whitfield", "And the refund?", 8),
        ("Priya Shah", "It took nine weeks.", 9),
    ]
    assert turns[2].start_s == 750.0
    assert [(s.location, s.reason) for s in report.skipped] == [
        ("paragraph 1", "heading"),
        ("paragraph 2", "text before the first speaker label"),
        ("paragraph 7", "heading"),
    ]
    assert report.rows_read == 8


def test_docx_table_mode_with_header_and_empty_cells(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Dana: Before the table.")  # block 1
    rows = [
        ("Speaker", "Transcript"),
        ("Dana", "Was your room ready?"),
        ("Maria", "They could not find my reservation."),
        ("", "And the room type was wrong."),
        ("Dana", ""),
        ("Dana", "What happened next?"),
    ]
    table = document.add_table(rows=len(rows), cols=2)
    for row, (speaker, text) in zip(table.rows, rows, strict=True):
        row.cells[0].text, row.cells[1].text = speaker, text
    document.add_paragraph("Maria: After the table.")  # block 2 + 6 rows = 8
    path = _save(document, tmp_path)
    report = _report("interview.docx", "docx")
    turns = read_docx_transcript(path, report)
    assert [(t.speaker, t.text, t.line) for t in turns] == [
        ("Dana", "Before the table.", 1),
        ("Dana", "Was your room ready?", 3),
        ("Maria", "They could not find my reservation. And the room type was wrong.", 4),
        ("Dana", "What happened next?", 7),
        ("Maria", "After the table.", 8),
    ]
    assert [(s.location, s.reason) for s in report.skipped] == [("table 1 row 5", "empty text cell")]
    assert any("header" in note for note in report.notes)


def test_docx_table_without_header_and_unrelated_table(tmp_path: Path) -> None:
    document = docx.Document()
    other = document.add_table(rows=1, cols=4)
    other.rows[0].cells[0].text = "Participant profile"
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Q", "Any delays?"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "A:", "The gate changed and nobody told us."
    path = _save(document, tmp_path)
    report = _report("interview.docx", "docx")
    turns = read_docx_transcript(path, report)
    assert [(t.speaker, t.text) for t in turns] == [("Q", "Any delays?"), ("A", "The gate changed and nobody told us.")]
    assert [s.location for s in report.skipped] == ["table 1"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Dana: this is really a text file\n", "not a valid .docx"),
        (PNG_BYTES, "not a valid .docx"),
        (_zip_bytes({"hello.txt": b"not word"}), "not a valid .docx"),
        (_zip_bytes({"[Content_Types].xml": b"<broken", "word/document.xml": b"<w:document"}), "not a valid .docx"),
    ],
    ids=["text", "png", "zip-without-word", "broken-xml"],
)
def test_docx_invalid_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "interview.docx"
    path.write_bytes(content)
    with pytest.raises(IngestError, match=message) as caught:
        read_docx_transcript(path, _report("interview.docx", "docx"))
    assert "re-save it from Word as .docx" in str(caught.value)


def test_docx_without_speakers(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Notes from the airport desk visit.")
    with pytest.raises(IngestError, match="Speaker: text"):
        read_docx_transcript(_save(document, tmp_path), _report("interview.docx", "docx"))


def test_docx_zip_bomb_guard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a real 200 MB part would make the test slow; lower the limit instead
    document = docx.Document()
    document.add_paragraph("Dana: " + "hello " * 500)
    path = _save(document, tmp_path)
    monkeypatch.setattr(docx_reader, "MAX_XML_PART_BYTES", 2_000)
    with pytest.raises(IngestError, match="zip bomb"):
        read_docx_transcript(path, _report("interview.docx", "docx"))


def test_docx_zip_bomb_declared_size(tmp_path: Path) -> None:
    # a tiny zip whose word/document.xml unpacks to 201 MB of spaces
    path = tmp_path / "bomb.docx"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as part,
    ):
        for _ in range(201):
            part.write(b" " * 1_000_000)
    assert path.stat().st_size < 2_000_000
    with pytest.raises(IngestError, match="zip bomb"):
        read_docx_transcript(path, _report("bomb.docx", "docx"))


# --------------------------------------------------------------------------- fuzzing

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

_VALID_TXT = b"Interview 3\n[00:00:01] Dana: Hello there.\nMaria [00:00:04]: I booked\nthrough the app.\n"
_VALID_VTT = TEAMS_VTT.encode() + b"\n1\n00:00:13,000 --> 00:00:14,000\n>> OMAR: hi &amp; bye\n"


def _valid_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Interview", level=1)
    _bold_paragraph(document, [("Dana:", True), (" Hello.", False)])
    document.add_paragraph("Maria: Hi.")
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Speaker", "Text"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "Dana", "Bye."
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_VALID_DOCX = _valid_docx()

_mutation = st.tuples(st.sampled_from(["flip", "insert", "delete", "truncate"]), st.floats(0, 1), st.integers(0, 255))


def _mutate(data: bytes, mutations: list[tuple[str, float, int]]) -> bytes:
    buffer = bytearray(data)
    for kind, where, value in mutations:
        if not buffer:
            break
        position = min(int(where * len(buffer)), len(buffer) - 1)
        if kind == "flip":
            buffer[position] ^= value or 1
        elif kind == "insert":
            buffer.insert(position, value)
        elif kind == "delete":
            del buffer[position]
        else:
            del buffer[position:]
    return bytes(buffer)


_READERS = {
    "txt": (read_txt_transcript, _VALID_TXT),
    "vtt": (read_subtitles, _VALID_VTT),
    "docx": (read_docx_transcript, _VALID_DOCX),
}


def _only_ingest_errors(tmp_path: Path, fmt: str, data: bytes) -> None:
    reader, _ = _READERS[fmt]
    path = tmp_path / f"fuzz.{fmt}"
    path.write_bytes(data)
    report = _report(path.name, fmt)
    try:
        turns = reader(path, report)
    except IngestError:
        return
    assert all(isinstance(t, Turn) and t.text for t in turns)


@pytest.mark.parametrize("fmt", list(_READERS))
def test_valid_fuzz_seeds_parse(tmp_path: Path, fmt: str) -> None:
    reader, data = _READERS[fmt]
    path = tmp_path / f"seed.{fmt}"
    path.write_bytes(data)
    assert len(reader(path, _report(path.name, fmt))) >= 2


@pytest.mark.parametrize("fmt", list(_READERS))
@FUZZ
@given(data=st.binary(max_size=2_000))
def test_fuzz_random_bytes(tmp_path: Path, fmt: str, data: bytes) -> None:
    _only_ingest_errors(tmp_path, fmt, data)


@pytest.mark.parametrize("fmt", list(_READERS))
@FUZZ
@given(mutations=st.lists(_mutation, min_size=1, max_size=8))
def test_fuzz_mutated_valid_files(tmp_path: Path, fmt: str, mutations: list[tuple[str, float, int]]) -> None:
    _only_ingest_errors(tmp_path, fmt, _mutate(_READERS[fmt][1], mutations))


@FUZZ
@given(text=st.text(max_size=300))
def test_fuzz_unicode_text_lines(tmp_path: Path, text: str) -> None:
    """Arbitrary (valid UTF-8) text through the text and subtitle readers."""
    for fmt in ("txt", "vtt"):
        _only_ingest_errors(tmp_path, fmt, text.encode("utf-8"))
        _only_ingest_errors(tmp_path, fmt, ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n" + text).encode("utf-8"))
