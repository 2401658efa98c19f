"""participants.csv, and which participant each transcript speaker is.

participants.csv (optional) has one row per participant: ``participant_id`` (or a
``name`` to number from), attributes, and optionally ``name``, ``interview_file`` and
``speaker`` (the label the participant has in that file: "User", "Participant 2").

One person per file unless told otherwise (:class:`ParticipantRoster`):

* a speaker matches a participant when participants.csv says so: the file and its
  ``speaker`` label, the full ``name``, or the first or last name when that participant
  has no ``interview_file`` or was interviewed in this file;
* a file that participants.csv gives one participant, and that has one participant
  speaker, gives that speaker the id; a file with several listed participants and as many
  unmatched speakers pairs them in order of first turn (noted);
* anyone else is a new participant *of that file*: the ``User`` of 40 interviews is 40
  people, and a real name seen in two files is two people (noted, so the researcher can
  merge them in participants.csv).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from workbench.config import StudyConfig
from workbench.errors import IngestError, StudyError
from workbench.ingest.encoding import decode_text
from workbench.ingest.feedback_table import unique_names as _unique_names
from workbench.ingest.report import IngestReport
from workbench.ingest.roles import is_generic_label, person_name

#: refuse a participants table larger than this (one row per participant: a few hundred kB at most)
MAX_PARTICIPANTS_BYTES = 20_000_000
#: participants.csv columns that say which speaker of which file a participant is
SPEAKER_COLUMNS = ("speaker", "speaker_label", "label")


def read_participants(study_dir: Path, config: StudyConfig, report: IngestReport) -> pd.DataFrame:
    """Read participants.csv (optional); raise StudyError when it is unusable.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "participants.csv").write_text("participant_id,name\\nP01,Ana Silva\\n")
        >>> read_participants(folder, StudyConfig(), IngestReport("s")).values.tolist()
        [['P01', 'Ana Silva']]
    """
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


def _file_key(path: str) -> str:
    return path.strip().replace("\\", "/")


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


class ParticipantRoster:
    """Matches transcript speakers to participants; adds unknown speakers as new participants of their file.

    Attributes:
        frame: the participants table, rows added for new speakers.
        name_to_id: real name -> participant id, for the redactor (names given to two
            people map to None: ``[NAME]``, never the other person's id).
        pseudonyms: real name of every participant speaker -> id (a name two people share
            is keyed ``"Name (file)"`` the second time); personal data, saved privately.

    Example:
        >>> roster = ParticipantRoster(pd.DataFrame({"participant_id": pd.Series(dtype="string")}), IngestReport("s"))
        >>> roster.assign("t/a.txt", ["User"]), roster.assign("t/b.txt", ["User"])
        ({'User': 'P01'}, {'User': 'P02'})
    """

    def __init__(self, participants: pd.DataFrame, report: IngestReport) -> None:
        self.frame = participants.copy()
        self.report = report
        self.name_to_id: dict[str, str | None] = {}
        self.pseudonyms: dict[str, str] = {}
        self._full: dict[str, str] = {}
        self._partial: dict[str, str] = {}
        self._files_of: dict[str, set[str]] = {}
        self._by_file: dict[str, list[str]] = {}
        self._by_label: dict[tuple[str, str], str] = {}
        columns = set(self.frame.columns)
        ids = [str(pid) for pid in self.frame["participant_id"]]
        files = list(self.frame["interview_file"]) if "interview_file" in columns else [None] * len(ids)
        for pid, file in zip(ids, files, strict=True):
            if isinstance(file, str) and file.strip():
                self._by_file.setdefault(_file_key(file), []).append(pid)
                self._files_of.setdefault(pid, set()).add(_file_key(file))
        if "name" in columns:
            for pid, name in zip(ids, self.frame["name"], strict=True):
                if isinstance(name, str) and name.strip():
                    self._remember(name.strip(), pid, listed=True)
        speaker_column = next((c for c in SPEAKER_COLUMNS if c in columns), None)
        if speaker_column is not None:
            for pid, file, label in zip(ids, files, self.frame[speaker_column], strict=True):
                if isinstance(label, str) and label.strip() and isinstance(file, str):
                    self._by_label[(_file_key(file), _name_key(label))] = pid

    def _remember(self, name: str, pid: str, listed: bool) -> None:
        previous = self.name_to_id.get(name, pid)
        self.name_to_id[name] = pid if previous == pid else None
        if not listed:
            return
        self._full.setdefault(_name_key(name), pid)
        parts = name.split()
        for key in {parts[0], parts[-1]}:
            self._partial.setdefault(_name_key(key), pid)

    def listed_id(self, label: str, source_id: str) -> str | None:
        """The participant id participants.csv gives the speaker ``label`` of ``source_id``, if any.

        Example:
            >>> table = pd.DataFrame({"participant_id": ["P01"], "name": ["Maria Lopez"]}, dtype="string")
            >>> ParticipantRoster(table, IngestReport("s")).listed_id("MARIA", "t/a.txt")
            'P01'
        """
        by_label = self._by_label.get((_file_key(source_id), _name_key(label)))
        if by_label is not None:
            return by_label
        if is_generic_label(label):
            return None
        name = person_name(label)
        if name is None:
            return None
        key = _name_key(name)
        if key in self._full:
            return self._full[key]
        pid = self._partial.get(key) if " " not in key else None
        if pid is not None and (pid not in self._files_of or _file_key(source_id) in self._files_of[pid]):
            return pid
        return None

    def assign(self, source_id: str, labels: list[str | None]) -> dict[str | None, str]:
        """Participant ids for the participant speakers of one file (in order of first turn).

        Example:
            >>> table = pd.DataFrame({"participant_id": ["P07"], "interview_file": ["t/a.txt"]}, dtype="string")
            >>> ParticipantRoster(table, IngestReport("s")).assign("t/a.txt", ["A"])
            {'A': 'P07'}
        """
        ids: dict[str | None, str] = {}
        for label in labels:
            pid = self.listed_id(label, source_id) if label else None
            if pid is not None:
                ids[label] = pid
        open_labels = [label for label in labels if label not in ids]
        open_ids = [pid for pid in self._by_file.get(_file_key(source_id), []) if pid not in ids.values()]
        if open_labels and len(open_labels) == len(open_ids):
            if len(open_ids) > 1:
                pairs = ", ".join(f"{label} = {pid}" for label, pid in zip(open_labels, open_ids, strict=True))
                self.report.notes.append(f"{source_id}: participants.csv lists {len(open_ids)} participants; "
                                         f"paired with the speakers in order of first turn ({pairs})")
            ids.update(zip(open_labels, open_ids, strict=True))
        added = [label for label in labels if label not in ids]
        for label in added:
            ids[label] = self._add(label, source_id)
        if added:
            self.report.notes.append(
                f"{source_id}: speaker(s) not in participants.csv added as "
                + ", ".join(f"{ids[label]} ({label or 'unnamed'})" for label in added)
            )
            elsewhere = [label for label in added if person_name(label) in self.name_to_id]
            if elsewhere:
                self.report.notes.append(
                    f"{source_id}: {', '.join(str(label) for label in elsewhere)} also speak(s) in another file; "
                    "counted as another person unless participants.csv gives both the same participant_id"
                )
        for label in added:  # participants.csv already names the others
            name = person_name(label)
            if name is not None:
                self._remember(name, ids[label], listed=False)
                key = name if self.pseudonyms.get(name, ids[label]) == ids[label] else f"{name} ({source_id})"
                self.pseudonyms[key] = ids[label]
        return {label: ids[label] for label in labels}

    def _add(self, label: str | None, source_id: str) -> str:
        used = set(self.frame["participant_id"].dropna())
        number = len(used) + 1
        while f"P{number:02d}" in used:
            number += 1
        pid = f"P{number:02d}"
        row = {"participant_id": pid, "interview_file": source_id}
        self.frame = pd.concat([self.frame, pd.DataFrame([row]).astype("string")], ignore_index=True)
        return pid

    def interview_date(self, source_id: str) -> str | None:
        """The ``interview_date`` participants.csv gives the file ``source_id``, if any.

        Example:
            >>> table = pd.DataFrame({"participant_id": ["P01"], "interview_file": ["t/a.txt"],
            ...                       "interview_date": ["2026-09-01"]}, dtype="string")
            >>> ParticipantRoster(table, IngestReport("s")).interview_date("t/a.txt")
            '2026-09-01'
        """
        if "interview_file" not in self.frame.columns or "interview_date" not in self.frame.columns:
            return None
        files = self.frame["interview_file"].astype("string").str.strip().str.replace("\\", "/", regex=False)
        dates = self.frame.loc[files.eq(_file_key(source_id)).fillna(False).to_numpy(), "interview_date"].dropna()
        return str(dates.iloc[0]) if len(dates) else None

    def table(self) -> pd.DataFrame:
        """The participants table, rows for new speakers included.

        Example:
            >>> ParticipantRoster(pd.DataFrame({"participant_id": ["P01"]}), IngestReport("s")).table().shape
            (1, 1)
        """
        return self.frame.reset_index(drop=True)
