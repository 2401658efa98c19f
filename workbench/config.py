"""Study options read from ``study.toml``.

A study folder may carry a ``study.toml``; every key is optional. Unknown keys are
errors (a typo must not be silently ignored) and the message names the key and
the file. Example file::

    [study]
    name = "Skylark Travel customer stories"
    description = "18 interviews and 430 feedback items, autumn 2026"

    [ingest]
    transcripts_dir = "transcripts"
    feedback_dir = "feedback"
    participants_file = "participants.csv"
    interviewer_names = ["Dana Whitfield", "Omar Haddad"]

    [privacy]
    booking_reference_pattern = '\\bSKY-[A-Z0-9]{6}\\b'
    extra_names = ["Kevin", "Mrs Alvarez"]
    keep_words = ["Skylark Miles"]

    [feedback."app_store_reviews.csv"]
    text_column = "review"
    channel = "mobile app"
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import StudyError

STUDY_FILE = "study.toml"


@dataclass
class FeedbackFileOptions:
    """Per-export overrides: which column holds the text, which the metadata.

    Example:
        >>> FeedbackFileOptions(text_column="review", channel="mobile app").text_column
        'review'
    """

    text_column: str | None = None
    channel: str | None = None  # used when the export has no channel column
    columns: dict[str, str] = field(default_factory=dict)  # role -> column, e.g. {"rating": "Stars"}


@dataclass
class StudyConfig:
    """Everything ``study.toml`` can set, with defaults for a folder that has none.

    Example:
        >>> config = StudyConfig()
        >>> config.transcripts_dir, config.feedback_dir
        ('transcripts', 'feedback')
    """

    name: str = "Untitled study"
    description: str = ""
    transcripts_dir: str = "transcripts"
    feedback_dir: str = "feedback"
    participants_file: str = "participants.csv"
    interviewer_names: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)  # glob patterns relative to the study folder
    booking_reference_pattern: str | None = None
    extra_names: list[str] = field(default_factory=list)
    keep_words: list[str] = field(default_factory=list)  # brand and product names never taken for a name
    redact_addresses: bool = True
    redact_places: bool = False  # cities, countries, US states -> [PLACE]
    names_without_cues: bool = True  # first names found by a name list in context, no cue needed
    phone_regions: list[str] = field(default_factory=list)  # more regions' national phone formats
    feedback: dict[str, FeedbackFileOptions] = field(default_factory=dict)
    analysis: dict[str, Any] = field(default_factory=dict)

    def feedback_options(self, file_name: str) -> FeedbackFileOptions:
        """Return the overrides for one export (by file name or path relative to the feedback folder).

        Example:
            >>> StudyConfig().feedback_options("reviews.csv").text_column is None
            True
        """
        return self.feedback.get(file_name, FeedbackFileOptions())


_SECTIONS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "study": {"name": str, "description": str},
    "ingest": {
        "transcripts_dir": str,
        "feedback_dir": str,
        "participants_file": str,
        "interviewer_names": list,
        "ignore": list,
    },
    "privacy": {"booking_reference_pattern": str, "extra_names": list, "keep_words": list, "redact_addresses": bool,
                "redact_places": bool, "names_without_cues": bool, "phone_regions": list},
}
_FEEDBACK_KEYS: dict[str, type] = {"text_column": str, "channel": str, "columns": dict}


def load_study_config(study_dir: Path) -> StudyConfig:
    """Read ``study_dir/study.toml``; a folder without one gets the defaults.

    Raises:
        StudyError: the file is not valid TOML, or has an unknown key or a value of the wrong type.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "study.toml").write_text('[study]\\nname = "Pilot"\\n')
        >>> load_study_config(folder).name
        'Pilot'
    """
    path = Path(study_dir) / STUDY_FILE
    if not path.exists():
        return StudyConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise StudyError(f"{path}: not valid TOML ({error}); fix the file or remove it") from error

    config = StudyConfig()
    for section, values in data.items():
        if section == "feedback":
            config.feedback = _parse_feedback_section(path, values)
            continue
        if section == "analysis":
            if not isinstance(values, dict):
                raise StudyError(f"{path}: [analysis] must be a table")
            config.analysis = dict(values)
            continue
        if section not in _SECTIONS:
            known = ", ".join(sorted([*_SECTIONS, "feedback", "analysis"]))
            raise StudyError(f"{path}: unknown section [{section}]; known sections are {known}")
        if not isinstance(values, dict):
            raise StudyError(f"{path}: [{section}] must be a table of keys")
        for key, value in values.items():
            expected = _SECTIONS[section].get(key)
            if expected is None:
                known = ", ".join(sorted(_SECTIONS[section]))
                raise StudyError(f"{path}: unknown key '{key}' in [{section}]; known keys are {known}")
            if not isinstance(value, expected):
                raise StudyError(
                    f"{path}: [{section}] {key} should be a {expected.__name__}, not {type(value).__name__}"
                )
            if expected is list and not all(isinstance(item, str) for item in value):
                raise StudyError(f"{path}: [{section}] {key} should be a list of strings")
            setattr(config, key, value)
    return config


def _parse_feedback_section(path: Path, values: Any) -> dict[str, FeedbackFileOptions]:
    """Parse ``[feedback."file.csv"]`` tables into per-file options."""
    if not isinstance(values, dict):
        raise StudyError(f'{path}: [feedback] must hold one table per export, e.g. [feedback."reviews.csv"]')
    options: dict[str, FeedbackFileOptions] = {}
    for file_name, table in values.items():
        if not isinstance(table, dict):
            raise StudyError(f'{path}: [feedback."{file_name}"] must be a table')
        for key, value in table.items():
            expected = _FEEDBACK_KEYS.get(key)
            if expected is None:
                known = ", ".join(sorted(_FEEDBACK_KEYS))
                raise StudyError(f'{path}: unknown key \'{key}\' in [feedback."{file_name}"]; known keys are {known}')
            if not isinstance(value, expected):
                raise StudyError(f'{path}: [feedback."{file_name}"] {key} should be a {expected.__name__}')
        options[file_name] = FeedbackFileOptions(
            text_column=table.get("text_column"),
            channel=table.get("channel"),
            columns={str(k): str(v) for k, v in table.get("columns", {}).items()},
        )
    return options
