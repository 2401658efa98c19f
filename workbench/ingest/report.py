"""``IngestReport``: what happened to every file of a study, saved as ``ingest_report.json``.

Nothing is dropped silently: every skipped cue, line or row is listed with where
it was and why, and every file that could not be read is named with the reason.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from workbench.storage.files import write_json_atomic
from workbench.ingest.base import FileReport


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
        """Write the report as JSON (atomically).

        Example:
            >>> import tempfile
            >>> IngestReport("s").save(Path(tempfile.mkdtemp()) / "ingest_report.json").name
            'ingest_report.json'
        """
        return write_json_atomic(path, self.to_dict())

    def format_summary(self, max_skipped_shown: int = 5) -> str:
        """A plain-text summary: one line per file, then the problems.

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
            rows.append((f.source_id, f.kind, f.format, str(f.rows_read), str(f.segments_made), str(len(f.skipped)), status))
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
        for f in self.failed_files():
            lines.append(f"  not read: {f.source_id}: {f.error}")
        for f in self.files:
            for item in f.skipped[:max_skipped_shown]:
                lines.append(f"  skipped: {f.source_id}, {item.location}: {item.reason}")
            if len(f.skipped) > max_skipped_shown:
                lines.append(f"  skipped: {f.source_id}: … and {len(f.skipped) - max_skipped_shown} more (see ingest_report.json)")
        lines += [f"  note: {note}" for note in self.notes]
        return "\n".join(lines)
