"""Build the sample study's .docx interview transcripts from plain-text sources.

Each source in ``tools/sample_study/docx_sources/interview_NN.txt`` has a small header
and then one line per paragraph or table row::

    layout: paragraphs | paragraphs-bold | table
    title: Interview 15 — Skylark customer stories      (Heading 1)
    meta: Date: 2026-09-21 · Participant: P15 · ...      (Heading 2, to be skipped by readers)
    ---
    Speaker<TAB>text                                     one paragraph / table row
    <TAB>text                                            paragraph with no speaker (continues the turn)

Layouts: ``paragraphs`` writes "Speaker: text" in one run; ``paragraphs-bold`` writes the
"Speaker:" label as a bold run followed by the text; ``table`` writes a two-column table
with a header row "Speaker | Text".

Run from the project root::

    python tools/sample_study/make_docx.py [--study DIR] [--dry-run]

which writes ``interview_data/transcripts/interview_NN.docx`` (``--study DIR``: under
``DIR/transcripts/``) for every source. The zip members get a fixed timestamp
(``DOCX_ZIP_TIME``, when the committed files were first built), so a rebuild is byte-identical.
``make sample-study`` runs it with the other steps (see README.md).
"""
from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from docx import Document
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SOURCES = HERE / "docx_sources"
DOCX_ZIP_TIME = (2026, 11, 23, 9, 13, 54)
sys.path.insert(0, str(HERE))

from common import write_stable_zip  # noqa: E402


def read_source(path: Path) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Split a source file into its header fields and its (speaker, text) rows.

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "interview_99.txt"
        >>> _ = p.write_text("layout: table\\ntitle: T\\nmeta: M\\n---\\nQ\\tHi\\n", encoding="utf-8")
        >>> read_source(p)
        ({'layout': 'table', 'title': 'T', 'meta': 'M'}, [('Q', 'Hi')])
    """
    header: dict[str, str] = {}
    rows: list[tuple[str, str]] = []
    in_body = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not in_body:
            if line.strip() == "---":
                in_body = True
                continue
            name, sep, value = line.partition(": ")
            if not sep:
                raise SystemExit(f"{path}:{number}: header line needs 'name: value'; fix the source file")
            header[name.strip()] = value.strip()
            continue
        if not line.strip():
            continue
        speaker, sep, text = line.partition("\t")
        if not sep:
            raise SystemExit(f"{path}:{number}: body line needs 'Speaker<TAB>text'; fix the source file")
        rows.append((speaker.strip(), text.strip()))
    for name in ("layout", "title", "meta"):
        if name not in header:
            raise SystemExit(f"{path}: header '{name}:' is missing; add it above the '---' line")
    return header, rows


def build_docx(source: Path, target: Path) -> None:
    """Write one .docx transcript from one source file.

    Example:
        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp())
        >>> _ = (d / "s.txt").write_text("layout: paragraphs\\ntitle: T\\nmeta: Date: x\\n---\\nQ\\tHi\\n", encoding="utf-8")
        >>> build_docx(d / "s.txt", d / "s.docx")
        >>> [p.text for p in Document(str(d / "s.docx")).paragraphs]
        ['T', 'Date: x', 'Q: Hi']
    """
    header, rows = read_source(source)
    layout = header["layout"]
    doc = Document()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(11)
    doc.core_properties.title = header["title"]
    doc.core_properties.author = "Skylark CX research"
    doc.add_heading(header["title"], level=1)
    doc.add_heading(header["meta"], level=2)
    if layout == "table":
        table = doc.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        cells = table.rows[0].cells
        cells[0].text, cells[1].text = "Speaker", "Text"
        for cell in cells:
            cell.paragraphs[0].runs[0].bold = True
        for speaker, text in rows:
            row = table.add_row().cells
            row[0].text, row[1].text = speaker, text
    elif layout in ("paragraphs", "paragraphs-bold"):
        for speaker, text in rows:
            paragraph = doc.add_paragraph()
            if not speaker:
                paragraph.add_run(text)
            elif layout == "paragraphs-bold":
                paragraph.add_run(f"{speaker}:").bold = True
                paragraph.add_run(f" {text}")
            else:
                paragraph.add_run(f"{speaker}: {text}")
    else:
        raise SystemExit(f"{source}: layout '{layout}' unknown; use paragraphs, paragraphs-bold or table")
    target.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    doc.save(buffer)
    write_stable_zip(buffer.getvalue(), target, DOCX_ZIP_TIME, external_attr=0o600 << 16)


def main(argv: list[str] | None = None) -> int:
    """Build every .docx from ``docx_sources``; print what was written.

    Example:
        >>> main(["--dry-run"]) == 0
        True
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--study", type=Path, default=ROOT / "interview_data",
                        help="study folder; the .docx go to STUDY/transcripts/ (default: interview_data)")
    parser.add_argument("--dry-run", action="store_true", help="only parse the sources")
    args = parser.parse_args(argv)
    for source in sorted(SOURCES.glob("interview_*.txt")):
        target = args.study / "transcripts" / f"{source.stem}.docx"
        if args.dry_run:
            read_source(source)
            continue
        build_docx(source, target)
        print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
