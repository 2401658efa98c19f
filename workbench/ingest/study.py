"""``read_study``: read every transcript and feedback export of a study folder into one table.

The readers (one module per format) return raw turns or rows; this module adds
what needs the whole study: each transcript's roles (:mod:`workbench.ingest.roles`), which
participant a turn belongs to (:mod:`workbench.ingest.participants`: one person per file
unless participants.csv says otherwise), stable ids, and the redacted text that everything
downstream uses. The ingest report lists every transcript's speakers, turns and roles.

Study folder layout (names overridable in ``study.toml``)::

    study.toml              options (optional)
    participants.csv        participant_id, name, interview_file, speaker, attributes…  (optional)
    transcripts/            .txt .vtt .srt .sbv .docx
    feedback/               .csv .tsv .xlsx .jsonl .ndjson .json
"""
from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from pathlib import Path

import pandas as pd

from workbench import schema
from workbench.config import StudyConfig, load_study_config
from workbench.errors import IngestError, StudyError
from workbench.ingest.base import FileReport, SpeakerSummary, Turn, merge_consecutive_turns
from workbench.ingest.docx import read_docx_transcript
from workbench.ingest.feedback import read_feedback_file
from workbench.ingest.feedback_columns import find_metadata_columns
from workbench.ingest.feedback_segments import feedback_to_segments
from workbench.ingest.participants import SPEAKER_COLUMNS, ParticipantRoster
from workbench.ingest.participants import read_participants as _read_participants
from workbench.ingest.report import IngestReport
from workbench.ingest.roles import decide_roles, person_name
from workbench.ingest.subtitles import read_subtitles
from workbench.ingest.transcripts import read_txt_transcript
from workbench.ingest.redaction_runs import redact_all, redactor_id
from workbench.privacy.redactor import RedactionConfig, Redactor

TRANSCRIPT_READERS: dict[str, Callable[[Path, FileReport], list[Turn]]] = {
    ".txt": read_txt_transcript,
    ".vtt": read_subtitles,
    ".srt": read_subtitles,
    ".sbv": read_subtitles,  # YouTube captions
    ".docx": read_docx_transcript,
}
FEEDBACK_SUFFIXES = {".csv", ".tsv", ".xlsx", ".jsonl", ".ndjson", ".json"}
KNOWN_BUT_UNSUPPORTED = {
    ".doc": "old Word format; open it in Word and save as .docx",
    ".xls": "old Excel format; open it in Excel and save as .xlsx",
    ".pdf": "PDF transcripts are not read; export the transcript as .docx, .txt or .vtt",
}

# Participant columns that hold personal data and never leave ingest.
_PERSONAL_COLUMNS = {"name", "full_name", "email", "phone", "phone_number", "address", *SPEAKER_COLUMNS}


@dataclass
class StudyData:
    """The result of reading a study.

    Attributes:
        segments: the segments table (DESIGN.md §3), one row per turn or feedback item.
        participants: one row per participant, real names removed.
        report: what happened to every file.
        pseudonyms: real name -> pseudonym (P07, Interviewer); personal data, save privately.
        config: the study options used.

    Example:
        >>> StudyData(schema.empty_segments(), pd.DataFrame(), IngestReport("s"), {}, StudyConfig()).segments.empty
        True
    """

    segments: pd.DataFrame
    participants: pd.DataFrame
    report: IngestReport
    pseudonyms: dict[str, str]
    config: StudyConfig


def read_study(study_dir: Path | str, config: StudyConfig | None = None) -> StudyData:
    """Read every transcript and feedback export under ``study_dir``.

    Problems with single files or rows never stop the run: they are recorded in
    ``StudyData.report``. Only a missing folder (or broken ``study.toml`` /
    ``participants.csv``) raises.

    Raises:
        StudyError: the folder does not exist or its options are invalid.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> (folder / "transcripts").mkdir()
        >>> _ = (folder / "transcripts" / "i1.txt").write_text(
        ...     "Interviewer: Tell me about your last booking.\\nAna Ruiz: I paid and got no email, call me on +44 20 7946 0958.\\n")
        >>> study = read_study(folder)
        >>> study.segments[["speaker", "role", "text_redacted"]].values.tolist()[1]
        ['P01', 'customer', 'I paid and got no email, call me on [PHONE].']
    """
    study_dir = Path(study_dir)
    if not study_dir.is_dir():
        raise StudyError(f"no such study folder: {study_dir}; pass the folder that holds your transcripts/ and feedback/")
    config = config or load_study_config(study_dir)
    report = IngestReport(study_dir=str(study_dir))

    participants = _read_participants(study_dir, config, report)
    transcript_files, feedback_files = _discover_files(study_dir, config, report)

    roster = ParticipantRoster(participants, report)
    people: dict[str, str | None] = dict(roster.name_to_id)
    for name in config.interviewer_names:
        people[name] = "Interviewer"  # upper-case labels (DANA:) and first names are matched too

    staff: dict[str, str] = {}  # interviewers and agents named in transcripts -> their pseudonym
    interview_frames = [_read_interview(study_dir, path, config, roster, report, staff) for path in transcript_files]
    feedback_frames = [_read_feedback(study_dir, path, config, report) for path in feedback_files]
    for frame in feedback_frames:
        for author in frame.get("author", pd.Series(dtype=object)).dropna().unique():
            people.setdefault(str(author), None)
    for name, pseudonym in staff.items():
        people.setdefault(name, pseudonym)
    people.update(roster.name_to_id)  # new speakers found while reading transcripts

    frames = [f for f in interview_frames + feedback_frames if not f.empty]
    segments = pd.concat(frames, ignore_index=True) if frames else schema.empty_segments()
    segments = _redact(segments, config, people)
    segments = schema.validate_segments(schema.coerce_segments(segments))

    participants_out = roster.table()
    dropped = sorted(_PERSONAL_COLUMNS & set(participants_out.columns))
    if dropped:
        report.notes.append(f"participants: column(s) {', '.join(dropped)} hold personal data and are not saved")
        participants_out = participants_out.drop(columns=dropped)
    participants_out = schema.validate_participants(participants_out)

    pseudonyms = {name: pid for name, pid in people.items() if pid is not None} | roster.pseudonyms
    return StudyData(segments, participants_out, report, pseudonyms, config)


def study_input_files(study_dir: Path | str, config: StudyConfig | None = None) -> list[Path]:
    """The files an ingest of ``study_dir`` looks at (those of unknown format too), without reading them.

    These are the files whose hashes a results manifest records, so comparing them tells
    whether saved results are still those of the study.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> (folder / "feedback").mkdir()
        >>> _ = (folder / "feedback" / "reviews.csv").write_text("id,review\\n1,Slow app\\n")
        >>> _ = (folder / "feedback" / "notes.pdf").write_bytes(b"%PDF")
        >>> [p.relative_to(folder).as_posix() for p in study_input_files(folder)]
        ['feedback/notes.pdf', 'feedback/reviews.csv']
    """
    study_dir = Path(study_dir)
    config = config or load_study_config(study_dir)
    report = IngestReport(study_dir=str(study_dir))
    transcripts, feedback = _discover_files(study_dir, config, report)
    unreadable = [study_dir / f.source_id for f in report.files]
    return sorted(set(transcripts + feedback + unreadable), key=lambda p: p.as_posix())


# ---------------------------------------------------------------- discovery


def _discover_files(study_dir: Path, config: StudyConfig, report: IngestReport) -> tuple[list[Path], list[Path]]:
    """Find transcript and feedback files; report files of no known format."""
    transcripts_dir = study_dir / config.transcripts_dir
    feedback_dir = study_dir / config.feedback_dir
    if transcripts_dir.is_dir() or feedback_dir.is_dir():
        candidates = [(p, "interview") for p in _walk(transcripts_dir)] + [(p, "feedback") for p in _walk(feedback_dir)]
        outside = [p for p in _walk(study_dir, top_level_only=True) if p.name not in _STUDY_META_FILES(config)]
        if outside:
            names = ", ".join(p.name for p in outside)
            report.notes.append(f"not imported (outside {config.transcripts_dir}/ and {config.feedback_dir}/): {names}")
    else:
        # No standard folders: take every file of a known format, anywhere in the study.
        candidates = [
            (p, "interview" if p.suffix.lower() in TRANSCRIPT_READERS else "feedback")
            for p in _walk(study_dir)
            if p.name not in _STUDY_META_FILES(config)
        ]

    transcripts: list[Path] = []
    feedback: list[Path] = []
    for path, kind in candidates:
        source_id = path.relative_to(study_dir).as_posix()
        if any(fnmatch.fnmatch(source_id, pattern) for pattern in config.ignore):
            report.notes.append(f"ignored by study.toml: {source_id}")
            continue
        suffix = path.suffix.lower()
        if kind == "interview" and suffix in TRANSCRIPT_READERS:
            transcripts.append(path)
        elif suffix in FEEDBACK_SUFFIXES:
            feedback.append(path)
        elif kind == "feedback" and suffix in TRANSCRIPT_READERS and suffix != ".txt":
            transcripts.append(path)
        else:
            reason = KNOWN_BUT_UNSUPPORTED.get(
                suffix,
                f"'{suffix or 'no extension'}' is not a format the workbench reads "
                f"(transcripts: {', '.join(TRANSCRIPT_READERS)}; feedback: {', '.join(sorted(FEEDBACK_SUFFIXES))})",
            )
            report.files.append(FileReport(source_id, kind="other", format="unknown", error=reason))
    return transcripts, feedback


def _STUDY_META_FILES(config: StudyConfig) -> set[str]:
    return {"study.toml", Path(config.participants_file).name}


def _walk(folder: Path, top_level_only: bool = False) -> list[Path]:
    """Files under ``folder`` in a stable order, skipping hidden and results folders."""
    if not folder.is_dir():
        return []
    pattern = "*" if top_level_only else "**/*"
    files = []
    for path in folder.glob(pattern):
        parts = path.relative_to(folder).parts
        if any(part.startswith((".", "_", "~$")) for part in parts):
            continue  # .workbench results, editor lock files (~$x.docx), _drafts
        if path.is_file():
            files.append(path)
    return sorted(files, key=lambda p: p.as_posix())


# ------------------------------------------------------------------ readers


def _read_interview(
    study_dir: Path,
    path: Path,
    config: StudyConfig,
    roster: ParticipantRoster,
    report: IngestReport,
    staff: dict[str, str],
) -> pd.DataFrame:
    source_id = path.relative_to(study_dir).as_posix()
    file_report = FileReport(source_id, kind="interview", format=path.suffix.lower().lstrip("."))
    report.files.append(file_report)
    try:
        turns = merge_consecutive_turns(TRANSCRIPT_READERS[path.suffix.lower()](path, file_report))
    except IngestError as error:
        file_report.error = error.reason
        return pd.DataFrame()
    except OSError as error:
        file_report.error = f"cannot open the file ({error.strerror}); check it exists and is readable"
        return pd.DataFrame()
    turns = [t for t in turns if t.text.strip()]
    if not turns:
        file_report.error = "no speaker turns with text found"
        return pd.DataFrame()

    roles, notes = decide_roles(
        turns, config.interviewer_names, lambda label: roster.listed_id(label, source_id) is not None
    )
    file_report.notes.extend(notes)
    customers = [label for label, r in roles.items() if r.role == schema.ROLE_CUSTOMER]
    participant_of = roster.assign(source_id, customers)
    for label, r in roles.items():
        name = person_name(label)
        if r.role != schema.ROLE_CUSTOMER and name is not None and r.decided_by != "study.toml":
            staff.setdefault(name, "Interviewer" if r.role == schema.ROLE_INTERVIEWER else "Agent")
    date = roster.interview_date(source_id)

    rows = []
    for number, turn in enumerate(turns, start=1):
        role = roles[turn.speaker].role
        if role == schema.ROLE_CUSTOMER:
            participant = participant_of[turn.speaker]
            speaker = participant
        else:
            participant = None
            speaker = "Interviewer" if role == schema.ROLE_INTERVIEWER else "Agent"
        rows.append(
            {
                "segment_id": schema.make_segment_id(source_id, number),
                "source_id": source_id,
                "source_kind": schema.SOURCE_INTERVIEW,
                "participant_id": participant,
                "speaker": speaker,
                "role": role,
                "turn": number,
                "start_s": turn.start_s,
                "end_s": turn.end_s,
                "text": turn.text,
                "line": turn.line,
                "channel": "interview",
                "date": date,
            }
        )
    turn_counts = pd.Series([turn.speaker or "" for turn in turns]).value_counts()
    file_report.speakers = [
        SpeakerSummary(label or "(no label)", int(turn_counts[label or ""]), r.role, participant_of.get(label), r.decided_by)
        for label, r in roles.items()
    ]
    file_report.segments_made = len(rows)
    return pd.DataFrame(rows)


def _read_feedback(study_dir: Path, path: Path, config: StudyConfig, report: IngestReport) -> pd.DataFrame:
    source_id = path.relative_to(study_dir).as_posix()
    file_report = FileReport(source_id, kind="feedback", format=path.suffix.lower().lstrip("."))
    report.files.append(file_report)
    relative_to_folder = path.relative_to(study_dir / config.feedback_dir).as_posix() if (study_dir / config.feedback_dir) in path.parents else path.name
    options = config.feedback.get(relative_to_folder) or config.feedback_options(path.name)
    try:
        table = read_feedback_file(path, file_report)
        if table.rows.empty:
            file_report.error = "no data rows (only a header, or an empty file)"
            return pd.DataFrame()
        rows = feedback_to_segments(
            table,
            path,
            file_report,
            text_column=options.text_column,
            column_overrides=options.columns or None,
            default_channel=options.channel,
        )
    except IngestError as error:
        file_report.error = error.reason if error.line is None else f"line {error.line}: {error.reason}"
        return pd.DataFrame()
    except OSError as error:
        file_report.error = f"cannot open the file ({error.strerror}); check it exists and is readable"
        return pd.DataFrame()
    if rows.empty:
        return rows
    rows = rows.copy()
    rows["segment_id"] = [schema.make_segment_id(source_id, int(turn)) for turn in rows["turn"]]
    rows["source_id"] = source_id
    rows["source_kind"] = schema.SOURCE_FEEDBACK
    rows["role"] = schema.ROLE_CUSTOMER
    file_report.segments_made = len(rows)
    return rows


# ---------------------------------------------------------------- redaction


def _redact(
    segments: pd.DataFrame, config: StudyConfig, people: dict[str, str | None],
    on_redacted: Callable[[int], None] | None = None,
    cache: Any = None,
) -> pd.DataFrame:
    """Fill text_redacted; redact free-text metadata in place; drop author identity columns."""
    if segments.empty:
        return segments
    redaction_config = RedactionConfig.from_study(config)
    redactor = Redactor.from_config(redaction_config, people)
    segments = segments.copy()
    segments["text_redacted"] = redact_all(redactor, [str(t) for t in segments["text"]], on_redacted,
                                           cache, redactor_id(redaction_config, people))
    free_text_columns = [c for c in segments.columns if c == "title" or c.startswith("meta_")]
    for column in free_text_columns:
        values = segments[column].tolist()
        strings = [v for v in values if isinstance(v, str)]
        redacted = iter(redact_all(redactor, strings))
        segments[column] = [next(redacted) if isinstance(v, str) else v for v in values]
    identity = [c for c in ("author", "author_email") if c in segments.columns]
    return segments.drop(columns=identity)


def read_feedback_export(
    path: Path | str, text_column: str | None = None, config: StudyConfig | None = None,
    on_redacted: Callable[[int], None] | None = None,
    cache: Any = None,
) -> tuple[pd.DataFrame, IngestReport]:
    """Read one feedback export on its own (for ``workbench cluster``), redacted.

    Every parsed record is kept, in file order, also the ones without text: they
    come back with ``text_redacted`` empty and ``has_text`` False, so a caller can
    give exactly one answer per input row. ``on_redacted`` is called with the number of
    distinct texts redacted after each chunk (a progress bar); ``cache`` (the analysis cache,
    e.g. ``EmbeddingCache``) keeps each redacted text for a rerun (:mod:`workbench.ingest.redaction_runs`).

    Raises:
        StudyError: the file does not exist.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "reviews.csv"
        >>> _ = path.write_text("id,review\\n1,Mail me at a@example.com\\n2,\\n")
        >>> rows, report = read_feedback_export(path)
        >>> rows[["item_id", "text_redacted", "has_text"]].values.tolist()
        [['1', 'Mail me at [EMAIL]', True], ['2', '', False]]
    """
    path = Path(path)
    if not path.is_file():
        raise StudyError(f"no such file: {path}; pass a .csv, .tsv, .xlsx, .jsonl or .json export")
    if path.suffix.lower() not in FEEDBACK_SUFFIXES:
        raise StudyError(f"{path}: '{path.suffix}' is not a feedback export; use .csv, .tsv, .xlsx, .jsonl or .json")
    config = config or StudyConfig()
    options = config.feedback_options(path.name)
    report = IngestReport(study_dir=str(path.parent))
    file_report = FileReport(path.name, kind="feedback", format=path.suffix.lower().lstrip("."))
    report.files.append(file_report)
    try:
        table = read_feedback_file(path, file_report)
        if table.rows.empty:
            raise StudyError(f"{path}: no data rows (only a header, or an empty file)")
        rows = feedback_to_segments(
            table, path, file_report, text_column=text_column or options.text_column,
            column_overrides=options.columns or None, default_channel=options.channel,
        )
    except IngestError as error:
        raise StudyError(str(error)) from error
    # turn = position among all records of the file, malformed ones included (they are in the report)
    record_index = table.rows.attrs.get("record_index")
    turns = [int(t) for t in record_index] if record_index is not None else list(range(1, len(table.rows) + 1))
    rows = pd.DataFrame({"turn": turns}).merge(rows, on="turn", how="left")
    rows["has_text"] = rows["text"].notna()
    rows["text"] = rows["text"].fillna("")
    id_column = find_metadata_columns(table.rows, options.columns or None).get("item_id")
    own_ids = table.rows[id_column].astype("string").reset_index(drop=True) if id_column else None
    fallback = pd.Series([f"{path.stem}-{t}" for t in rows["turn"]], dtype="string")
    rows["item_id"] = rows["item_id"].astype("string").fillna(own_ids if own_ids is not None else fallback).fillna(fallback)
    rows["segment_id"] = [schema.make_segment_id(path.name, int(t)) for t in rows["turn"]]
    rows["source_id"] = path.name
    rows["source_kind"] = schema.SOURCE_FEEDBACK
    rows["role"] = schema.ROLE_CUSTOMER
    people = {str(a): None for a in rows.get("author", pd.Series(dtype=object)).dropna().unique()}
    rows = _redact(rows, config, people, on_redacted, cache)
    rows = schema.coerce_segments(rows)
    file_report.segments_made = int(rows["has_text"].sum())
    return rows, report
