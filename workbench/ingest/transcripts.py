"""Read plain-text interview transcripts (``Speaker: text`` lines).

The format most transcription tools and researchers can produce::

    Interview 7 – 12 March 2024            <- header: skipped and recorded
    [00:00:05] Dana Whitfield: How did you book the trip?
    Maria Lopez [00:00:09]: On the app. The payment went through
    but no confirmation ever arrived.      <- continuation of Maria's turn

The exports of transcription tools are read too (see :mod:`workbench.ingest.vendors`):
Otter.ai (``Name  0:03`` then the words), Rev (``Name (00:01:02):`` then the words),
Zoom's saved transcript (``[Name] 10:02:03`` then the words), Descript
(``[00:00:12] Name: words``); ``report.tool`` names the one recognised.

Which prefixes count as speaker labels is decided in :mod:`workbench.ingest.speakers`:
capitalised names of 1–4 words always; handles and other display names
(``jochem-brouwer:``, ``Saulius Grigaitis | Grandine:``) when they recur at line starts
or the file is labelled densely; ``Note:``, ``Date:``, URLs, times and a sentence with a
colon never start a turn.
"""
from __future__ import annotations

from pathlib import Path

from workbench.errors import IngestError
from workbench.ingest._text import Block, assemble_turns, text_block
from workbench.ingest.base import FileReport, Turn
from workbench.ingest.encoding import read_text_file
from workbench.ingest.vendors import text_tool

#: what the reader expects, quoted in its error messages
TXT_EXPECTED_FORMAT = (
    "one turn per line as `Speaker: text` (e.g. `Interviewer: How did you book?`), "
    "optionally with a timestamp such as `[00:01:02] Speaker: text`; add speaker labels "
    "or save the transcript from your transcription tool with speaker names"
)


def read_txt_transcript(path: Path, report: FileReport) -> list[Turn]:
    """Read a ``.txt`` transcript into one :class:`Turn` per speaker line.

    Each line that starts with a speaker label starts a turn (``line`` is its
    1-based line number, ``start_s`` its timestamp if any); lines without a label
    continue the current turn; blank lines are ignored; lines before the first
    label (title, date) are recorded in ``report.skipped``. ``report.rows_read``
    is the number of non-blank lines; ``report.encoding`` the encoding detected;
    ``report.tool`` the transcription tool whose layout the file has, if one is recognised.

    Raises:
        IngestError: the file is unreadable, binary, too large, or has no speaker
            label at all (including an empty file).

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "interview.txt"
        >>> _ = path.write_text("Skylark interview\\n[00:00:05] Q: How did you book?\\n"
        ...                     "A: On the app,\\nlate at night.\\n")
        >>> report = FileReport("interview.txt", "interview", "txt")
        >>> [(t.speaker, t.text, t.start_s, t.line) for t in read_txt_transcript(path, report)]
        [('Q', 'How did you book?', 5.0, 2), ('A', 'On the app, late at night.', None, 3)]
        >>> report.skipped[0].location, report.rows_read
        ('line 1', 4)
    """
    path = Path(path)
    text = read_text_file(path, report)
    blocks: list[Block] = []
    after_blank = True
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            after_blank = True
            continue
        blocks.append(text_block(number, f"line {number}", line, after_blank))
        after_blank = False
    report.rows_read = len(blocks)
    if not blocks:
        raise IngestError(path, f"is empty; expected {TXT_EXPECTED_FORMAT}")
    report.tool = text_tool([block.text for block in blocks])
    return assemble_turns(blocks, report, path, TXT_EXPECTED_FORMAT)
