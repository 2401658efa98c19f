"""What every reader returns, before ids, roles and redaction are added.

Transcript readers (``.txt``, ``.vtt``/``.srt``, ``.docx``) return a list of
:class:`Turn`; feedback readers (``.csv``, ``.xlsx``, ``.jsonl``/``.json``) return a
:class:`FeedbackTable`. Both record what they had to skip in a :class:`FileReport`
instead of dropping it silently. ``workbench.ingest.study.read_study`` turns these
into the ``segments`` table.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Turn:
    """One speaker turn of a transcript, as read from the file.

    Attributes:
        speaker: the label as written in the file ("Maria Lopez", "Interviewer"), or
            None where the file names no speaker.
        text: the words spoken, whitespace-normalised, inline markup removed.
        start_s: start time in seconds, where the file has timestamps.
        end_s: end time in seconds, where the file has timestamps.
        line: 1-based line (or paragraph / table row for .docx) where the turn starts.

    Example:
        >>> Turn(speaker="Interviewer", text="Tell me about your last trip.", line=1).speaker
        'Interviewer'
    """

    speaker: str | None
    text: str
    start_s: float | None = None
    end_s: float | None = None
    line: int | None = None


@dataclass
class SkippedItem:
    """Something a reader could not use, and why.

    Example:
        >>> SkippedItem(location="line 12", reason="cue has no text").location
        'line 12'
    """

    location: str
    reason: str


@dataclass
class SpeakerSummary:
    """One speaker of a transcript as the ingest read it: the label, how often, which role.

    Attributes:
        label: the speaker label as written in the file ("Maria Lopez", "pk910", "User").
        turns: the turns of this speaker (consecutive cues of one speaker count once).
        role: "customer", "interviewer" or "agent" (``workbench.schema.ROLES``).
        participant_id: the participant's id (P07) for customers, else None.
        decided_by: why the role: "study.toml", "participants.csv", "label", "asks the
            questions", "no interviewer", "default".

    Example:
        >>> SpeakerSummary("Assistant", 12, "interviewer", None, "label").role
        'interviewer'
    """

    label: str
    turns: int
    role: str
    participant_id: str | None = None
    decided_by: str = "default"


@dataclass
class FileReport:
    """What happened to one input file.

    Attributes:
        source_id: path relative to the study folder, '/'-separated.
        kind: "interview", "feedback" or "other".
        format: "txt", "vtt", "srt", "docx", "csv", "xlsx", "jsonl", "json" or "unknown".
        rows_read: cues, lines, paragraphs or data rows the reader looked at.
        segments_made: rows this file contributed to the segments table.
        skipped: items left out, each with where and why.
        error: set when the whole file could not be read (then segments_made is 0).
        encoding: the text encoding detected, for text formats.
        notes: anything else worth telling the researcher (e.g. which column was used as text).
        tool: the transcription tool whose layout a transcript has ("Otter.ai", "Zoom",
            "Microsoft Teams", "Rev", "Descript", "Google Meet"), where one is recognised.
        speakers: for transcripts, every speaker found, with turns and role. The labels
            are the names as written: this report is private, like the pseudonym map.

    Example:
        >>> FileReport(source_id="feedback/reviews.csv", kind="feedback", format="csv").segments_made
        0
    """

    source_id: str
    kind: str
    format: str
    rows_read: int = 0
    segments_made: int = 0
    skipped: list[SkippedItem] = field(default_factory=list)
    error: str | None = None
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)
    tool: str | None = None
    speakers: list[SpeakerSummary] = field(default_factory=list)

    def format_label(self) -> str:
        """The format with the tool recognised, as the report shows it: ``txt (Otter.ai)``.

        Example:
            >>> FileReport("t/a.vtt", "interview", "vtt", tool="Microsoft Teams").format_label()
            'vtt (Microsoft Teams)'
        """
        return f"{self.format} ({self.tool})" if self.tool else self.format

    def skip(self, location: str, reason: str) -> None:
        """Record one skipped item.

        Example:
            >>> report = FileReport("a.csv", "feedback", "csv")
            >>> report.skip("row 4", "empty text")
            >>> len(report.skipped)
            1
        """
        self.skipped.append(SkippedItem(location=location, reason=reason))


@dataclass
class FeedbackTable:
    """The rows of one feedback export, before the text column is chosen.

    Attributes:
        rows: one row per data record with the export's own column names, all as
            read (strings where the format has no types). Empty records are kept
            here; ``read_study`` counts and reports them.
        row_numbers: for each row, where it is in the file: the 1-based line of a
            JSONL/CSV record's first line, or the spreadsheet row number.
        sheet: for .xlsx, the sheet name of each row; None for other formats.

    Example:
        >>> table = FeedbackTable(rows=pd.DataFrame({"review": ["Great app"]}), row_numbers=[2])
        >>> table.rows.loc[0, "review"]
        'Great app'
    """

    rows: pd.DataFrame
    row_numbers: list[int]
    sheet: list[str] | None = None


def merge_consecutive_turns(turns: list[Turn]) -> list[Turn]:
    """Join consecutive turns of the same speaker into one turn.

    Subtitle files cut one answer into many cues; a speaker turn is what the
    analysis wants. The merged turn keeps the first start time, the last end time
    and the first line. A turn with no speaker continues the turn before it.

    Example:
        >>> merged = merge_consecutive_turns([
        ...     Turn("Ana", "I booked", 1.0, 2.0, 1), Turn("Ana", "a hotel.", 2.0, 3.0, 4),
        ...     Turn("Interviewer", "Why?", 3.0, 4.0, 7)])
        >>> [(t.speaker, t.text, t.start_s, t.end_s) for t in merged]
        [('Ana', 'I booked a hotel.', 1.0, 3.0), ('Interviewer', 'Why?', 3.0, 4.0)]
    """
    merged: list[Turn] = []
    for turn in turns:
        previous = merged[-1] if merged else None
        if previous is not None and (turn.speaker is None or turn.speaker == previous.speaker):
            previous.text = f"{previous.text} {turn.text}".strip()
            if turn.end_s is not None:
                previous.end_s = turn.end_s
            continue
        merged.append(Turn(turn.speaker, turn.text, turn.start_s, turn.end_s, turn.line))
    return merged
