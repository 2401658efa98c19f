"""``IngestReport``: what happened to every file of a study, saved as ``ingest_report.json``.

Nothing is dropped silently: every skipped cue, line or row is listed with where
it was and why, and every file that could not be read is named with the reason.
For every transcript the report names the tool whose layout it has and lists the
speakers found, with their turns and roles, so a wrong split shows at once. The
speakers are listed by the names in the files: ``ingest_report.json`` is saved
readable by its owner only, like the pseudonym map, and views that may be shared
(notebooks) show participant ids and generic labels only (``names=False``).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from workbench.storage.files import write_json_atomic
from workbench.ingest.base import FileReport, SpeakerSummary
from workbench.ingest.roles import is_generic_label


@dataclass
class IngestReport:
    """The per-file reports of one ingest run, with totals.

    Example:
        >>> report = IngestReport(study_dir="interview_data")
        >>> report.files.append(FileReport("feedback/a.csv", "feedback", "csv", rows_read=3, segments_made=2))
        >>> report.files[0].skip("line 4", "no text in column 'review'")
        >>> report.totals()["skipped"]
        1
    """

    study_dir: str
    files: list[FileReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def totals(self) -> dict[str, int]:
        """Counts over all files: files read, failed, segments, skipped items.

        Example:
            >>> IngestReport("s").totals()["segments"]
            0
        """
        return {
            "files": len(self.files),
            "files_read": sum(1 for f in self.files if f.error is None),
            "files_failed": sum(1 for f in self.files if f.error is not None),
            "interviews": sum(1 for f in self.files if f.kind == "interview" and f.error is None),
            "feedback_files": sum(1 for f in self.files if f.kind == "feedback" and f.error is None),
            "rows_read": sum(f.rows_read for f in self.files),
            "segments": sum(f.segments_made for f in self.files),
            "interview_segments": sum(f.segments_made for f in self.files if f.kind == "interview"),
            "feedback_segments": sum(f.segments_made for f in self.files if f.kind == "feedback"),
            "skipped": sum(len(f.skipped) for f in self.files),
        }

    def failed_files(self) -> list[FileReport]:
        """Files that could not be read at all (including ones of no known format).

        Example:
            >>> IngestReport("s").failed_files()
            []
        """
        return [f for f in self.files if f.error is not None]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: totals, then one entry per file.

        Example:
            >>> sorted(IngestReport("s").to_dict())
            ['files', 'notes', 'study_dir', 'totals']
        """
        return {
            "study_dir": self.study_dir,
            "totals": self.totals(),
            "notes": list(self.notes),
            "files": [asdict(f) for f in self.files],
        }

    def save(self, path: Path) -> Path:
        """Write the report as JSON (atomically), readable by its owner only: it names the speakers.

        Example:
            >>> import tempfile
            >>> saved = IngestReport("s").save(Path(tempfile.mkdtemp()) / "ingest_report.json")
            >>> saved.name, oct(saved.stat().st_mode & 0o777)
            ('ingest_report.json', '0o600')
        """
        return write_json_atomic(path, self.to_dict(), mode=0o600)

    def speaker_lines(self, names: bool = True) -> list[str]:
        """One line per transcript: every speaker with the role or participant id and the turns.

        ``names=False`` leaves out labels that name a person (see :func:`describe_speaker`).

        Example:
            >>> report = IngestReport("study")
            >>> report.files.append(FileReport("transcripts/i1.txt", "interview", "txt", tool="Otter.ai", speakers=[
            ...     SpeakerSummary("Dana", 3, "interviewer", None, "label"), SpeakerSummary("User", 3, "customer", "P01")]))
            >>> report.speaker_lines()
            ['  transcripts/i1.txt [txt (Otter.ai)]: Dana = interviewer, 3 turns (label); User = P01, 3 turns']
        """
        return [
            f"  {f.source_id} [{f.format_label()}]: " + "; ".join(describe_speaker(s, names) for s in f.speakers)
            for f in self.files
            if f.speakers
        ]

    def format_summary(self, max_skipped_shown: int = 5, show_names: bool = False) -> str:
        """A plain-text summary: one line per file, then the speakers and the problems.

        Terminal output ends up in logs and chat threads, so speakers that a label names are
        shown by participant id or role unless ``show_names`` is True (``ingest_report.json``,
        readable by its owner only, always has the labels).

        Example:
            >>> report = IngestReport("study")
            >>> report.files.append(FileReport("transcripts/i1.txt", "interview", "txt", 30, 24))
            >>> print(report.format_summary())  # doctest: +ELLIPSIS
            Ingest of study
            ...
            transcripts/i1.txt  interview  txt  30  24  0  ok
            ...
        """
        rows = [("file", "kind", "format", "rows read", "segments", "skipped", "status")]
        for f in self.files:
            status = "ok" if f.error is None else "FAILED"
            rows.append(
                (f.source_id, f.kind, f.format_label(), str(f.rows_read), str(f.segments_made), str(len(f.skipped)), status)
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        lines = [f"Ingest of {self.study_dir}", ""]
        for row in rows:
            lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        t = self.totals()
        lines += [
            "",
            f"{t['interviews']} interviews and {t['feedback_files']} feedback exports read; "
            f"{t['segments']} segments ({t['interview_segments']} interview turns, "
            f"{t['feedback_segments']} feedback items); {t['skipped']} items skipped; "
            f"{t['files_failed']} files not read.",
        ]
        speaker_lines = self.speaker_lines(names=show_names)
        if speaker_lines:
            title = "Speakers per transcript (who, turns, why the role)"
            if not show_names:
                title += "; names hidden, see them with --show-names or in ingest_report.json"
            lines += ["", title + ":", *speaker_lines, ""]
        for f in self.failed_files():
            lines.append(f"  not read: {f.source_id}: {f.error}")
        for f in self.files:
            for item in f.skipped[:max_skipped_shown]:
                lines.append(f"  skipped: {f.source_id}, {item.location}: {item.reason}")
            if len(f.skipped) > max_skipped_shown:
                lines.append(f"  skipped: {f.source_id}: … and {len(f.skipped) - max_skipped_shown} more (see ingest_report.json)")
        lines += [f"  note: {note}" for note in self.notes]
        return "\n".join(lines)


def describe_speaker(speaker: SpeakerSummary, names: bool = True) -> str:
    """One speaker as the report shows it: label, participant id or role, turns, why the role.

    With ``names=False`` (outputs that may be shared, such as notebooks) a label that names a
    person is left out and only generic labels ("User", "Speaker 2") are shown.

    Example:
        >>> describe_speaker(SpeakerSummary("Dana Whitfield", 3, "interviewer", None, "study.toml"))
        'Dana Whitfield = interviewer, 3 turns (study.toml)'
        >>> describe_speaker(SpeakerSummary("Maria Lopez", 1, "customer", "P01"), names=False)
        'P01, 1 turn'
        >>> describe_speaker(SpeakerSummary("User", 2, "customer", "P02", "label"), names=False)
        'User = P02, 2 turns (label)'
    """
    who = speaker.participant_id or speaker.role
    turns = f"{speaker.turns} turn{'' if speaker.turns == 1 else 's'}"
    why = f" ({speaker.decided_by})" if speaker.decided_by != "default" else ""
    if names or is_generic_label(speaker.label):
        return f"{speaker.label} = {who}, {turns}{why}"
    return f"{who}, {turns}{why}"
