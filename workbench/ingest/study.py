"""``read_study``: read every transcript and feedback export of a study folder into one table.

The readers (one module per format) return raw turns or rows; this module adds
what needs the whole study: which speaker is the interviewer, which participant a
turn belongs to, stable ids, and the redacted text that everything downstream uses.

Study folder layout (names overridable in ``study.toml``)::

    study.toml              options (optional)
    participants.csv        participant_id, name, interview_file, attributes…  (optional)
    transcripts/            .txt .vtt .srt .docx
    feedback/               .csv .tsv .xlsx .jsonl .ndjson .json
"""
from __future__ import annotations

import csv
import fnmatch
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workbench import schema
from workbench.config import StudyConfig, load_study_config
from workbench.errors import IngestError, StudyError
from workbench.ingest.base import FileReport, Turn, merge_consecutive_turns
from workbench.ingest.docx import read_docx_transcript
from workbench.ingest.encoding import decode_text
from workbench.ingest.feedback import read_feedback_file
from workbench.ingest.feedback_columns import find_metadata_columns
from workbench.ingest.feedback_segments import feedback_to_segments
from workbench.ingest.feedback_table import unique_names as _unique_names
from workbench.ingest.report import IngestReport
from workbench.ingest.subtitles import read_subtitles
from workbench.ingest.transcripts import read_txt_transcript
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

# Speaker labels that mean "the person asking the questions", whatever their name.
_INTERVIEWER_LABEL = re.compile(
    r"^(interviewer|moderator|facilitator|researcher|host|q|question|int|ux researcher)\s*\d*$", re.IGNORECASE
)
_AGENT_LABEL = re.compile(r"^((skylark |support |customer service )?agent|advisor|support|rep)\s*\d*$", re.IGNORECASE)
_CUSTOMER_PLACEHOLDER = re.compile(r"^(a|answer|customer|participant|respondent|interviewee|user)\s*\d*$", re.IGNORECASE)
#: refuse a participants table larger than this (one row per participant: a few hundred kB at most)
MAX_PARTICIPANTS_BYTES = 20_000_000
# Participant columns that hold personal data and never leave ingest.
_PERSONAL_COLUMNS = {"name", "full_name", "email", "phone", "phone_number", "address"}


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

    roster = _ParticipantRoster(participants, report)
    people: dict[str, str | None] = dict(roster.name_to_id)
    for name in config.interviewer_names:
        people[name] = "Interviewer"  # upper-case labels (DANA:) and first names are matched too

    interview_frames = [_read_interview(study_dir, path, config, roster, report) for path in transcript_files]
    feedback_frames = [_read_feedback(study_dir, path, config, report) for path in feedback_files]
    for frame in feedback_frames:
        for author in frame.get("author", pd.Series(dtype=object)).dropna().unique():
            people.setdefault(str(author), None)
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

    pseudonyms = {name: pid for name, pid in people.items() if pid is not None}
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


# ------------------------------------------------------------- participants


def _read_participants(study_dir: Path, config: StudyConfig, report: IngestReport) -> pd.DataFrame:
    """Read participants.csv (optional); raise StudyError when it is unusable."""
    path = study_dir / config.participants_file
    if not path.exists():
        return pd.DataFrame({"participant_id": pd.Series(dtype="string")})
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_PARTICIPANTS_BYTES + 1)
    except OSError as error:
        raise StudyError(f"{path}: cannot be read ({error.strerror or error}); check that you may read it") from error
    if len(data) > MAX_PARTICIPANTS_BYTES:
        raise StudyError(
            f"{path}: is over {MAX_PARTICIPANTS_BYTES // 1_000_000} MB, too large for a participants table; "
            "keep one row per participant with a few attribute columns"
        )
    try:
        text, _encoding = decode_text(data, path)
    except IngestError as error:
        where = f"{path}, row {error.line}" if error.line is not None else f"{path}"
        raise StudyError(f"{where}: cannot read the participants table ({error.reason}); save it as a CSV with a header row") from None
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:  # one column, or too few rows to tell: the usual comma
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True, strict=False)
    rows: list[tuple[int, list[str]]] = []  # (line where the record starts, its cells)
    previous_end = 0
    try:
        for fields in reader:
            rows.append((previous_end + 1, fields))
            previous_end = reader.line_num
    except csv.Error as error:  # e.g. a cell over the csv module's size limit
        raise StudyError(f"{path}, row {previous_end + 1}: cannot be read as CSV ({error}); fix the row") from None
    rows = [(line, fields) for line, fields in rows if any(cell.strip() for cell in fields)]
    if not rows:
        return pd.DataFrame({"participant_id": pd.Series(dtype="string")})
    header = _unique_names(h.strip() for h in rows[0][1])
    records = []
    lines = []
    for line_number, row in rows[1:]:
        if len(row) != len(header):
            raise StudyError(f"{path}, row {line_number}: {len(row)} fields but the header has {len(header)}; fix the row")
        records.append({h: (cell.strip() or None) for h, cell in zip(header, row)})
        lines.append(line_number)
    frame = pd.DataFrame.from_records(records, columns=header)
    if "participant_id" not in frame.columns:
        if "name" not in frame.columns:
            raise StudyError(f"{path}: needs a participant_id or a name column")
        frame.insert(0, "participant_id", [f"P{i:02d}" for i in range(1, len(frame) + 1)])
        report.notes.append(f"{config.participants_file}: no participant_id column; numbered P01… in file order")
    missing = frame["participant_id"].isna()
    if missing.any():
        row = lines[int(missing.to_numpy().argmax())]
        raise StudyError(f"{path}, row {row}: empty participant_id; give every participant an id such as P07")
    duplicated = frame["participant_id"].duplicated()
    if duplicated.any():
        position = int(duplicated.to_numpy().argmax())
        raise StudyError(
            f"{path}, row {lines[position]}: participant_id {frame['participant_id'].iloc[position]} is used twice; "
            "give every participant their own id"
        )
    return frame.astype("string")


class _ParticipantRoster:
    """Matches transcript speakers to participants; adds unknown speakers as new participants."""

    def __init__(self, participants: pd.DataFrame, report: IngestReport) -> None:
        self.frame = participants.copy()
        self.report = report
        self.name_to_id: dict[str, str] = {}
        self._by_key: dict[str, str] = {}
        if "name" in self.frame.columns:
            for pid, name in zip(self.frame["participant_id"], self.frame["name"]):
                if isinstance(name, str) and name.strip():
                    self._remember(name.strip(), str(pid))
        self._by_file: dict[str, list[str]] = {}
        if "interview_file" in self.frame.columns:
            for pid, file in zip(self.frame["participant_id"], self.frame["interview_file"]):
                if isinstance(file, str):
                    self._by_file.setdefault(file.strip().replace("\\", "/"), []).append(str(pid))

    def _remember(self, name: str, pid: str) -> None:
        self.name_to_id[name] = pid
        parts = name.split()
        for key in {name, parts[0], parts[-1]}:
            self._by_key.setdefault(key.casefold(), pid)

    def participant_for(self, speaker: str | None, source_id: str, customer_speakers: set[str]) -> str:
        """The participant id of a customer speaker in ``source_id``."""
        label = (speaker or "").strip()
        if label and label.casefold() in self._by_key and not _CUSTOMER_PLACEHOLDER.match(label):
            return self._by_key[label.casefold()]
        by_file = self._by_file.get(source_id, [])
        if len(by_file) == 1 and len(customer_speakers) == 1:
            return by_file[0]
        return self._add(label or f"unnamed speaker in {source_id}", source_id)

    def _add(self, label: str, source_id: str) -> str:
        used = set(self.frame["participant_id"].dropna())
        number = len(used) + 1
        while f"P{number:02d}" in used:
            number += 1
        pid = f"P{number:02d}"
        row = {"participant_id": pid, "interview_file": source_id}
        self.frame = pd.concat([self.frame, pd.DataFrame([row]).astype("string")], ignore_index=True)
        if not _CUSTOMER_PLACEHOLDER.match(label):
            self._remember(label, pid)
        self.report.notes.append(f"{source_id}: speaker not in participants.csv, added as {pid}")
        return pid

    def table(self) -> pd.DataFrame:
        return self.frame.reset_index(drop=True)


def _role_of(speaker: str | None, config: StudyConfig) -> str:
    label = (speaker or "").strip()
    names = {n.casefold() for n in config.interviewer_names} | {n.split()[0].casefold() for n in config.interviewer_names if n.split()}
    if _INTERVIEWER_LABEL.match(label) or label.casefold() in names:
        return schema.ROLE_INTERVIEWER
    if _AGENT_LABEL.match(label):
        return schema.ROLE_AGENT
    return schema.ROLE_CUSTOMER


# ------------------------------------------------------------------ readers


def _read_interview(
    study_dir: Path, path: Path, config: StudyConfig, roster: _ParticipantRoster, report: IngestReport
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

    roles = [_role_of(t.speaker, config) for t in turns]
    customer_speakers = {(t.speaker or "") for t, role in zip(turns, roles) if role == schema.ROLE_CUSTOMER}
    interview_date = roster.frame.loc[
        roster.frame.get("interview_file", pd.Series(dtype="string")).eq(source_id).fillna(False), :
    ].get("interview_date")
    date = interview_date.iloc[0] if interview_date is not None and len(interview_date) else None

    rows = []
    for number, (turn, role) in enumerate(zip(turns, roles), start=1):
        if role == schema.ROLE_CUSTOMER:
            participant = roster.participant_for(turn.speaker, source_id, customer_speakers)
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


def _redact(segments: pd.DataFrame, config: StudyConfig, people: dict[str, str | None]) -> pd.DataFrame:
    """Fill text_redacted; redact free-text metadata in place; drop author identity columns."""
    if segments.empty:
        return segments
    redactor = Redactor.from_config(
        RedactionConfig(
            booking_reference_pattern=config.booking_reference_pattern or RedactionConfig().booking_reference_pattern,
            extra_names=list(config.extra_names),
            keep_words=list(config.keep_words),
            redact_addresses=config.redact_addresses,
        ),
        people,
    )
    segments = segments.copy()
    segments["text_redacted"] = [redactor.redact(str(t)) for t in segments["text"]]
    free_text_columns = [c for c in segments.columns if c == "title" or c.startswith("meta_")]
    for column in free_text_columns:
        segments[column] = [redactor.redact(v) if isinstance(v, str) else v for v in segments[column]]
    identity = [c for c in ("author", "author_email") if c in segments.columns]
    return segments.drop(columns=identity)


def read_feedback_export(
    path: Path | str, text_column: str | None = None, config: StudyConfig | None = None
) -> tuple[pd.DataFrame, IngestReport]:
    """Read one feedback export on its own (for ``workbench cluster``), redacted.

    Every parsed record is kept, in file order, also the ones without text: they
    come back with ``text_redacted`` empty and ``has_text`` False, so a caller can
    give exactly one answer per input row.

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
    rows = _redact(rows, config, people)
    rows = schema.coerce_segments(rows)
    file_report.segments_made = int(rows["has_text"].sum())
    return rows, report
