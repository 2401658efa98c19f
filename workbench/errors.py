"""Error types of the workbench.

Every error a user can cause is a :class:`WorkbenchError`. Its message names the
file (and line or row where there is one) and says what to do, so the CLI can
print it as one line instead of a traceback.
"""
from __future__ import annotations

from pathlib import Path


class WorkbenchError(Exception):
    """Base class of every error the workbench raises on purpose.

    Example:
        >>> try:
        ...     raise WorkbenchError("study.toml: unknown key 'foo'; remove it")
        ... except WorkbenchError as error:
        ...     print(error)
        study.toml: unknown key 'foo'; remove it
    """


class IngestError(WorkbenchError):
    """A file could not be read as what it claims to be.

    Args:
        path: the file that failed.
        reason: what is wrong and what to do about it.
        line: 1-based line (text formats) or row (tables) where the problem is, if known.

    Example:
        >>> str(IngestError(Path("feedback/emails.jsonl"), "not valid JSON; fix or remove the line", line=7))
        'feedback/emails.jsonl, line 7: not valid JSON; fix or remove the line'
    """

    def __init__(self, path: Path | str, reason: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.reason = reason
        self.line = line
        where = f"{path}, line {line}" if line is not None else f"{path}"
        super().__init__(f"{where}: {reason}")


class StudyError(WorkbenchError):
    """The study folder or its ``study.toml`` is missing or invalid.

    Example:
        >>> str(StudyError("no such folder: /tmp/nowhere; pass the folder that holds study.toml"))
        'no such folder: /tmp/nowhere; pass the folder that holds study.toml'
    """
