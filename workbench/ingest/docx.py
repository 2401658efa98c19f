"""Read Word (``.docx``) interview transcripts with python-docx.

Two layouts are understood, and may be mixed in one document (read in document order):

* **Paragraph mode**: ``Speaker: text`` paragraphs. The speaker may be written in
  bold, with the colon inside or outside the bold run, or with no colon at all
  when a bold label is followed by plain text (**Dana** How did you book?); a bold
  run marks a speaker, so a bold handle (**pk910:**) is one too.
  Paragraphs without a label continue the current turn. Headings (paragraph
  style ``Heading…``, ``Title`` or ``Subtitle``) and paragraphs before the first
  speaker are skipped and recorded; a heading also ends the current turn. A
  paragraph with line breaks is read line by line, so Microsoft Teams' layout
  (``Name   0:03``, a break, the words; or ``0:0:5.1 --> 0:0:8.2``, the name, the words)
  and Google Meet's (``Name: words`` with ``00:05:00`` time marks) are read as turns.
  Which prefixes count as labels: see :mod:`workbench.ingest.speakers`.
* **Table mode**: a table with a Speaker column and a Text column (two columns,
  or three with a leading time column). A header row (``Speaker``/``Name`` |
  ``Text``/``Transcript``/``Utterance``…) is recognised and skipped; a row with an
  empty text cell is skipped and recorded; a row with an empty speaker cell
  continues the turn above. Other tables are left out and recorded.

Numbering: ``report.skipped`` locations say ``paragraph N`` (N counts the body's
paragraphs, empty ones included) or ``table T row R``. ``Turn.line`` is a running
*block number*: every body paragraph and every table row counts one, in document
order, so it equals the paragraph number in a document without tables.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from workbench.errors import IngestError
from workbench.ingest._text import (
    Block,
    SpeakerLine,
    assemble_turns,
    is_speaker_label,
    normalise_space,
    parse_timestamp,
    split_speaker_line,
    text_block,
)
from workbench.ingest.archive import check_zip_package
from workbench.ingest.base import FileReport, Turn
from workbench.ingest.speakers import LabelCandidate, find_label_candidate
from workbench.ingest.vendors import text_tool

#: refuse a .docx whose word/document.xml (or any other XML part) unpacks to more than this
#: (checked from the zip directory before anything is unpacked; a 3-hour transcript is ~2 MB)
MAX_XML_PART_BYTES = 200_000_000
#: refuse a .docx whose parts together (images included) unpack to more than this
MAX_TOTAL_BYTES = 1_000_000_000

DOCX_EXPECTED_FORMAT = (
    "`Speaker: text` paragraphs (the speaker may be bold) or a two-column table "
    "(Speaker | Text); add speaker labels to the document"
)

_SPEAKER_HEADERS = frozenset({"speaker", "speakers", "name", "who", "person", "participant", "speaker name"})
_TEXT_HEADERS = frozenset(
    {"text", "transcript", "utterance", "utterances", "content", "dialogue", "said", "what was said", "quote"}
)
_TIME_HEADERS = frozenset({"time", "timestamp", "time stamp", "start", "start time", "timecode", "time code"})


def _not_docx(path: Path, detail: str = "") -> IngestError:
    detail = f" ({detail})" if detail else ""
    return IngestError(path, f"is not a valid .docx (Word) file{detail}; re-save it from Word as .docx")


def _check_package(path: Path) -> None:
    """Refuse non-zip files, zip bombs and unsafe member names before python-docx unpacks anything."""
    check_zip_package(
        path,
        _not_docx(path, "it is not a zip package").reason,
        max_part_bytes=MAX_XML_PART_BYTES,
        max_total_bytes=MAX_TOTAL_BYTES,
        what_to_do="If it is a genuine transcript, remove large images or split it into smaller documents",
    )


def _is_heading(paragraph) -> bool:  # noqa: ANN001 - python-docx Paragraph
    style = paragraph.style
    name = (style.name or "") if style is not None else ""
    return name.startswith(("Heading", "Title", "Subtitle"))


def _is_bold(run) -> bool:  # noqa: ANN001 - python-docx Run
    if run.bold:
        return True
    style = run.style
    return bool(style is not None and style.font is not None and style.font.bold)


def _bold_speaker(paragraph) -> SpeakerLine | LabelCandidate | None:  # noqa: ANN001 - python-docx Paragraph
    """A speaker written as leading bold text: **Dana:** hi, **Dana**: hi, **Dana** hi.

    A strict label comes back as a :class:`SpeakerLine`; any other display name (a
    handle, a name with a pipe) as a candidate marked by its bold run.
    """
    from docx.text.run import Run

    prefix: list[str] = []
    rest: list[str] = []
    for item in paragraph.iter_inner_content():
        text = item.text or ""
        if not rest and isinstance(item, Run) and (_is_bold(item) or not text.strip()):
            prefix.append(text)
        else:
            rest.append(text)
    label, body = "".join(prefix).strip(), "".join(rest)
    if not label:
        return None
    if label.endswith(":"):
        label = label[:-1]
    elif body.lstrip().startswith(":"):
        body = body.lstrip()[1:]
    elif not body.strip():
        return None  # bold text alone with no colon: more likely an unstyled heading
    line = f"{label}: {body.strip()}"
    strict = split_speaker_line(line)
    if strict is not None:
        return strict
    candidate = find_label_candidate(line)
    return LabelCandidate(candidate.line, candidate.strength, marked=True) if candidate is not None else None


def _header_columns(cells: list[str]) -> dict[str, int] | None:
    names = [normalise_space(cell).lower().rstrip(":").strip() for cell in cells]
    columns: dict[str, int] = {}
    for index, name in enumerate(names):
        for role, words in (("speaker", _SPEAKER_HEADERS), ("text", _TEXT_HEADERS), ("time", _TIME_HEADERS)):
            if name in words and role not in columns:
                columns[role] = index
    return columns if {"speaker", "text"} <= columns.keys() else None


def _row_cells(row) -> list[str]:  # noqa: ANN001 - python-docx _Row
    """Cell texts of a row, a horizontally merged cell counted once."""
    texts: list[str] = []
    seen: list[object] = []
    for cell in row.cells:
        if any(cell._tc is element for element in seen):  # merged cells repeat the same <w:tc>
            continue
        seen.append(cell._tc)
        texts.append(normalise_space(cell.text))
    return texts


def _cell(cells: list[str], columns: dict[str, int], role: str) -> str:
    position = columns.get(role)
    return cells[position] if position is not None and position < len(cells) else ""


def _table_blocks(table, table_number: int, first_block: int, report: FileReport) -> list[Block]:  # noqa: ANN001
    rows = [_row_cells(row) for row in table.rows]
    blocks: list[Block] = []
    if not rows:
        return blocks
    columns = _header_columns(rows[0])
    first_data_row = 1 if columns else 0
    if columns:
        report.notes.append(f"table {table_number}: first row read as a header ({' | '.join(rows[0])})")
    else:
        width = max(len(cells) for cells in rows)
        if width == 2:
            columns = {"speaker": 0, "text": 1}
        elif width == 3 and parse_timestamp(rows[0][0]) is not None:
            columns = {"time": 0, "speaker": 1, "text": 2}
        else:
            report.skip(
                f"table {table_number}",
                f"table with {width} columns is not a Speaker | Text transcript table; left out",
            )
            return blocks
    for row_index in range(first_data_row, len(rows)):
        cells = rows[row_index]
        location = f"table {table_number} row {row_index + 1}"
        number = first_block + row_index

        speaker, text = _cell(cells, columns, "speaker").rstrip(":").strip(), _cell(cells, columns, "text")
        if not text:
            if speaker or any(cells):
                report.skip(location, "empty text cell")
            continue
        start = parse_timestamp(_cell(cells, columns, "time")) if "time" in columns else None
        if not speaker:
            blocks.append(Block(number, location, text, kind="row"))
            continue
        if not is_speaker_label(speaker) and (len(speaker) > 60 or len(speaker.split()) > 6):
            report.skip(location, "speaker cell is too long to be a speaker name; row left out")
            continue
        blocks.append(Block(number, location, text, kind="row", speaker_line=SpeakerLine(speaker, start, text)))
    return blocks


def _body_items(container) -> Iterator[tuple[str, object]]:  # noqa: ANN001 - lxml element
    """Body paragraphs and tables in document order, looking inside content controls."""
    from docx.oxml.ns import qn

    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield "p", child
        elif child.tag == qn("w:tbl"):
            yield "tbl", child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _body_items(content)


def _read_blocks(path: Path, report: FileReport) -> list[Block]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    blocks: list[Block] = []
    block_number = 0
    paragraph_number = 0
    table_number = 0
    rows_read = 0
    after_blank = True
    for kind, element in _body_items(document.element.body):
        if kind == "tbl":
            table_number += 1
            table = Table(element, document)
            rows = _table_blocks(table, table_number, block_number + 1, report)
            row_count = len(table.rows)
            block_number += row_count
            rows_read += row_count
            blocks.extend(rows)
            after_blank = True
            continue
        paragraph_number += 1
        block_number += 1
        paragraph = Paragraph(element, document)
        text = paragraph.text
        if not text.strip():
            after_blank = True
            continue
        rows_read += 1
        location = f"paragraph {paragraph_number}"
        if _is_heading(paragraph):
            blocks.append(Block(block_number, location, text, kind="heading"))
        elif "\n" in text.strip():  # line breaks inside the paragraph: one block per line
            lines = [line for line in text.split("\n") if line.strip()]
            blocks.extend(text_block(block_number, location, line, after_blank and i == 0) for i, line in enumerate(lines))
        else:
            block = text_block(block_number, location, text, after_blank)
            bold = _bold_speaker(paragraph)
            if bold is not None:
                block.marked = True
                if block.speaker_line is None and isinstance(bold, SpeakerLine):
                    block.speaker_line, block.candidate = bold, None
                elif block.speaker_line is None:
                    block.candidate = bold
            blocks.append(block)
        after_blank = False
    report.rows_read = rows_read
    report.tool = text_tool([b.text for b in blocks if b.kind == "text"], document=True)
    return blocks


def read_docx_transcript(path: Path, report: FileReport) -> list[Turn]:
    """Read a Word transcript (paragraph or table layout) into one :class:`Turn` per speaker turn.

    Raises:
        IngestError: the file is not a valid .docx, would unpack to an
            unreasonable size (zip bomb guard), or has no speaker at all.

    Example:
        >>> import tempfile, docx
        >>> document = docx.Document()
        >>> _ = document.add_heading("Interview 4", level=1)
        >>> paragraph = document.add_paragraph()
        >>> paragraph.add_run("Dana:").bold = True
        >>> _ = paragraph.add_run(" How did you book?")
        >>> _ = document.add_paragraph("Maria: On the app.")
        >>> path = Path(tempfile.mkdtemp()) / "interview.docx"
        >>> document.save(path)
        >>> report = FileReport("interview.docx", "interview", "docx")
        >>> [(t.speaker, t.text, t.line) for t in read_docx_transcript(path, report)]
        [('Dana', 'How did you book?', 2), ('Maria', 'On the app.', 3)]
        >>> [(s.location, s.reason) for s in report.skipped]
        [('paragraph 1', 'heading')]
    """
    path = Path(path)
    _check_package(path)
    try:
        blocks = _read_blocks(path, report)
    except IngestError:
        raise
    except Exception as error:  # python-docx, lxml and zipfile raise many types on damaged files
        raise _not_docx(path, f"{type(error).__name__}: {error}"[:200]) from error
    if not blocks:
        raise IngestError(path, f"has no text; expected {DOCX_EXPECTED_FORMAT}")
    return assemble_turns(blocks, report, path, DOCX_EXPECTED_FORMAT)
