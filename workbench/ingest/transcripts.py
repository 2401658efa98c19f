"""Read plain-text interview transcripts (``Speaker: text`` lines).

The format most transcription tools and researchers can produce::

    Interview 7 – 12 March 2024            <- header: skipped and recorded
    [00:00:05] Dana Whitfield: How did you book the trip?
    Maria Lopez [00:00:09]: On the app. The payment went through
    but no confirmation ever arrived.      <- continuation of Maria's turn

The exports of transcription tools are read too (see :mod:`workbench.ingest.vendors`):
Otter.ai (``Name  0:03`` then the words), Rev (``Name (00:01:02):`` then the words),
Zoom's saved transcript (``[Name] 10:02:03`` then the words), Descript
(``[00:00:12] Name: words``); ``report.tool`` names the one recognised. Files without any
``Name:`` label are read from ``Name<TAB>words`` lines or from names alone on a line above
their words (Otter.ai without timestamps) when at least two such labels recur.

Which prefixes count as speaker labels is decided in :mod:`workbench.ingest.speakers`:
capitalised names of 1–4 words always; handles and other display names
(``jochem-brouwer:``, ``Saulius Grigaitis | Grandine:``) when they recur at line starts
or the file is labelled densely; ``Note:``, ``Date:``, URLs, times and a sentence with a
colon never start a turn.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

from workbench.errors import IngestError
from workbench.ingest._text import Block, assemble_turns, text_block
from workbench.ingest.speakers import SpeakerLine, label_strength, normalise_space
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
    if not any(b.speaker_line is not None or b.candidate is not None for b in blocks):
        relabelled = label_lines_without_colons(blocks)
        if relabelled is not None:
            blocks, layout = relabelled
            report.notes.append(f"speakers read from {layout} (no `Speaker:` labels in the file)")
    return assemble_turns(blocks, report, path, TXT_EXPECTED_FORMAT)


def _plausible_label(text: str) -> bool:
    return label_strength(text) is not None and not text.endswith((".", "?", "!", ",", ";", "…"))


def label_lines_without_colons(blocks: list[Block]) -> tuple[list[Block], str] | None:
    """Speaker labels written without a colon: ``Name<TAB>words``, or a name alone on a line above its words.

    The second is Otter.ai's (and others') export without timestamps. Either layout is taken only
    when at least two labels recur in it, so a title line or a one-word answer is not a speaker;
    a label heard once counts after the first recurring label. None when neither layout fits.

    Example:
        >>> lines = ["Speaker 1", "How do you pay?", "Speaker 2", "By transfer.", "Speaker 1", "Any problems?",
        ...          "Speaker 2", "Fees."]
        >>> blocks = [text_block(i, f"line {i}", t, i % 2 == 1) for i, t in enumerate(lines, 1)]
        >>> found, layout = label_lines_without_colons(blocks)
        >>> [b.speaker_line.speaker for b in found if b.speaker_line], layout
        (['Speaker 1', 'Speaker 2', 'Speaker 1', 'Speaker 2'], 'names alone on a line above the words')
    """
    heads: list[tuple[str, str] | None] = []
    for block in blocks:
        label, _tab, words = block.text.partition("\t")
        label = normalise_space(label)
        heads.append((label, normalise_space(words)) if words.strip() and _plausible_label(label) else None)
    layout = "`Name<TAB>words` lines"
    if sum(head is not None for head in heads) < 0.5 * len(blocks):
        heads = []
        for index, block in enumerate(blocks):
            text = normalise_space(block.text)
            followed = index + 1 < len(blocks) and not blocks[index + 1].after_blank
            lone = block.after_blank and followed and len(text) <= 60 and _plausible_label(text)
            heads.append((text, "") if lone else None)
        layout = "names alone on a line above the words"
    counts = Counter(head[0] for head in heads if head is not None)
    recurring = {label for label, count in counts.items() if count >= 2}
    if len(recurring) < 2:
        return None
    first = next(i for i, head in enumerate(heads) if head is not None and head[0] in recurring)
    relabelled = [
        replace(block, speaker_line=SpeakerLine(head[0], None, head[1]), candidate=None)
        if head is not None and index >= first else block
        for index, (block, head) in enumerate(zip(blocks, heads, strict=True))
    ]
    return relabelled, layout
