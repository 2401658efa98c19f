"""Fuzzing of every reader in ``workbench/ingest/`` with random bytes and mutated real files.

Seeds are the bundled study's own files (``interview_data/``: .txt, .vtt, .srt, .docx,
.csv, .xlsx, .jsonl, participants.csv) plus a few built here (.sbv, .json). Each example
writes one file and reads it the way ``read_study`` does; it must end in a result or in a
:class:`~workbench.errors.WorkbenchError` whose message names the file, never in another
exception, and never hang (a watchdog fails the example after ``WATCHDOG_S`` seconds: a
hang detector, not a speed test).

Examples are derandomised so CI is repeatable; ``WORKBENCH_FUZZ_EXAMPLES=2000`` (and
``WORKBENCH_FUZZ_RANDOM=1`` for fresh randomness) runs a longer campaign locally.
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.config import StudyConfig
from workbench.errors import WorkbenchError
from workbench.ingest.base import FileReport, Turn
from workbench.ingest.docx import read_docx_transcript
from workbench.ingest.feedback import read_feedback_file
from workbench.ingest.feedback_segments import feedback_to_segments
from workbench.ingest.report import IngestReport
from workbench.ingest.study import _read_participants, read_study
from workbench.ingest.subtitles import read_subtitles
from workbench.ingest.transcripts import read_txt_transcript

SAMPLE = Path(__file__).resolve().parents[1] / "interview_data"
SUBTITLES = Path(__file__).resolve().parent / "data" / "subtitles"
EXAMPLES = int(os.environ.get("WORKBENCH_FUZZ_EXAMPLES", "100"))
WATCHDOG_S = 60

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # shared CI machines are slow at times; hangs are caught by the watchdog instead
    derandomize=not os.environ.get("WORKBENCH_FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)


# ------------------------------------------------------------------------------------- seeds


def _head_lines(path: Path, count: int) -> bytes:
    return b"\n".join(path.read_bytes().split(b"\n")[:count]) + b"\n"


def _json_seeds() -> list[bytes]:
    lines = (SAMPLE / "feedback" / "support_emails.jsonl").read_text(encoding="utf-8").splitlines()
    return [
        ("[\n" + ",\n".join(lines[:8]) + "\n]\n").encode(),
        json.dumps({"items": [json.loads(line) for line in lines[8:14]], "count": 6}, indent=2).encode(),
    ]


SEEDS: dict[str, list[bytes]] = {
    "txt": [(SAMPLE / "transcripts" / name).read_bytes() for name in ("interview_01.txt", "interview_03.txt")],
    "vtt": [(SAMPLE / "transcripts" / "interview_06.vtt").read_bytes()]
    + [(SUBTITLES / name).read_bytes() for name in ("comments.vtt", "youtube_dl.vtt", "teams_timeframe.vtt")],
    "srt": [(SAMPLE / "transcripts" / "interview_11.srt").read_bytes(), (SUBTITLES / "missing_timeframe.srt").read_bytes()],
    "sbv": [b"0:00:01.000,0:00:04.000\nDana: How did you book?\n\n0:00:04.000,0:00:06.500\nMaria: On the app.\n"],
    "docx": [(SAMPLE / "transcripts" / "interview_15.docx").read_bytes()],
    # the first rows only: the examples stay fast and the structure is the same
    "csv": [_head_lines(SAMPLE / "feedback" / "app_store_reviews.csv", 25)],
    "xlsx": [(SAMPLE / "feedback" / "post_trip_survey.xlsx").read_bytes()],
    "jsonl": [_head_lines(SAMPLE / "feedback" / "support_emails.jsonl", 12)],
    "json": _json_seeds(),
    "participants.csv": [(SAMPLE / "participants.csv").read_bytes()],
}


# ----------------------------------------------------------------------------------- readers


def _read_transcript(reader: Callable[[Path, FileReport], list[Turn]]) -> Callable[[Path], Any]:
    def read(path: Path) -> Any:
        turns = reader(path, FileReport(path.name, "interview", path.suffix.lstrip(".")))
        assert turns and all(isinstance(turn, Turn) and turn.text.strip() for turn in turns)
        return turns

    return read


def _read_feedback(path: Path) -> Any:
    """What ``read_study`` does with a feedback export: read it, then make segments."""
    report = FileReport(path.name, "feedback", path.suffix.lstrip("."))
    table = read_feedback_file(path, report)
    assert len(table.row_numbers) == len(table.rows)
    if table.rows.empty:
        return table
    segments = feedback_to_segments(table, path, report)
    assert segments["text"].map(lambda text: isinstance(text, str) and text.strip() != "").all()
    return segments


def _read_participants_file(path: Path) -> Any:
    frame = _read_participants(path.parent, StudyConfig(participants_file=path.name), IngestReport(str(path.parent)))
    assert frame["participant_id"].notna().all() and not frame["participant_id"].duplicated().any()
    return frame


READERS: dict[str, Callable[[Path], Any]] = {
    "txt": _read_transcript(read_txt_transcript),
    "vtt": _read_transcript(read_subtitles),
    "srt": _read_transcript(read_subtitles),
    "sbv": _read_transcript(read_subtitles),
    "docx": _read_transcript(read_docx_transcript),
    "csv": _read_feedback,
    "xlsx": _read_feedback,
    "jsonl": _read_feedback,
    "json": _read_feedback,
    "participants.csv": _read_participants_file,
}
ZIP_FORMATS = ("docx", "xlsx")
FOLDER = Path(tempfile.mkdtemp(prefix="workbench-fuzz-"))


@pytest.fixture(scope="module", autouse=True)
def _remove_fuzz_files() -> Iterator[None]:
    yield
    shutil.rmtree(FOLDER, ignore_errors=True)


class ReaderHang(AssertionError):
    """A reader ran for longer than the watchdog allows."""


@contextmanager
def _watchdog(seconds: int) -> Iterator[None]:
    def stop(_signum: int, _frame: Any) -> None:
        raise ReaderHang(f"the reader ran for over {seconds} s: it hangs on this input")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _must_end_cleanly(fmt: str, data: bytes) -> str:
    """Read ``data`` as a file of format ``fmt``: a result, or a WorkbenchError naming the file."""
    name = "participants.csv" if fmt == "participants.csv" else f"fuzzed.{fmt}"
    folder = FOLDER / fmt.replace(".", "_")
    folder.mkdir(parents=True, exist_ok=True)  # FOLDER is removed after the module (and doctests) ran
    path = folder / name
    path.write_bytes(data)
    try:
        with _watchdog(WATCHDOG_S):
            READERS[fmt](path)
    except WorkbenchError as error:
        assert name in str(error), f"the error does not name the file: {error}"
        return "error"
    return "result"


# -------------------------------------------------------------------------------- mutations

_INTERESTING = [0, 0x0A, 0x0D, 0x22, 0x27, 0x2C, 0x3A, 0x3B, 0x3C, 0x3E, 0x5B, 0x5D, 0x7B, 0x7D, 0x5C, 0x09,
                0x80, 0xC3, 0xE2, 0xEF, 0xFE, 0xFF]
_mutation = st.one_of(
    st.tuples(st.just("flip"), st.floats(0, 1), st.integers(0, 7)),
    st.tuples(st.just("set"), st.floats(0, 1), st.sampled_from(_INTERESTING)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.binary(min_size=1, max_size=16)),
    st.tuples(st.just("delete"), st.floats(0, 1), st.integers(1, 64)),
    st.tuples(st.just("repeat"), st.floats(0, 1), st.integers(1, 200)),
    st.tuples(st.just("truncate"), st.floats(0, 1), st.just(0)),
)


def mutate(data: bytes, mutations: list[tuple[str, float, Any]]) -> bytes:
    """Apply byte mutations: flip a bit, set a byte that matters to parsers, insert, delete, repeat, truncate.

    >>> mutate(b"abcdef", [("delete", 0.0, 2), ("insert", 0.0, b"X")])
    b'Xcdef'
    """
    buffer = bytearray(data)
    for kind, where, value in mutations:
        if not buffer:
            buffer.extend(b"\x00" if kind == "insert" else b"")
            if not buffer:
                break
        position = min(int(where * len(buffer)), len(buffer) - 1)
        if kind == "flip":
            buffer[position] ^= 1 << value
        elif kind == "set":
            buffer[position] = value
        elif kind == "insert":
            buffer[position:position] = value
        elif kind == "delete":
            del buffer[position:position + value]
        elif kind == "repeat":  # a chunk copied many times: long lines, long runs of one character
            buffer[position:position] = bytes(buffer[position:position + 8]) * value
        else:
            del buffer[position:]
    return bytes(buffer)


def mutate_zip_part(package: bytes, part_choice: float, mutations: list[tuple[str, float, Any]]) -> bytes:
    """Mutate one XML part inside a .docx/.xlsx and zip it again (so the zip itself stays valid)."""
    source = zipfile.ZipFile(io.BytesIO(package))
    parts = [info.filename for info in source.infolist() if info.filename.endswith((".xml", ".rels"))]
    target = parts[min(int(part_choice * len(parts)), len(parts) - 1)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rebuilt:
        for info in source.infolist():
            content = source.read(info.filename)
            rebuilt.writestr(info.filename, mutate(content, mutations) if info.filename == target else content)
    return out.getvalue()


# ------------------------------------------------------------------------------------- tests


@pytest.mark.parametrize("fmt", list(READERS))
def test_seeds_are_read(fmt: str) -> None:
    for seed in SEEDS[fmt]:
        assert _must_end_cleanly(fmt, seed) == "result"


@pytest.mark.parametrize("fmt", list(READERS))
@FUZZ
@given(data=st.binary(max_size=4_000))
def test_random_bytes(fmt: str, data: bytes) -> None:
    _must_end_cleanly(fmt, data)


@pytest.mark.parametrize("fmt", list(READERS))
@FUZZ
@given(choice=st.integers(0, 10), mutations=st.lists(_mutation, min_size=1, max_size=12))
def test_mutated_real_files(fmt: str, choice: int, mutations: list[tuple[str, float, Any]]) -> None:
    seeds = SEEDS[fmt]
    _must_end_cleanly(fmt, mutate(seeds[choice % len(seeds)], mutations))


@pytest.mark.parametrize("fmt", ZIP_FORMATS)
@FUZZ
@given(part=st.floats(0, 1), mutations=st.lists(_mutation, min_size=1, max_size=8))
def test_mutated_parts_inside_valid_packages(fmt: str, part: float, mutations: list[tuple[str, float, Any]]) -> None:
    _must_end_cleanly(fmt, mutate_zip_part(SEEDS[fmt][0], part, mutations))


@settings(FUZZ, max_examples=max(10, EXAMPLES // 4))
@given(
    txt=st.lists(_mutation, max_size=6), vtt=st.lists(_mutation, max_size=6),
    csv=st.lists(_mutation, max_size=6), jsonl=st.lists(_mutation, max_size=6),
    participants=st.lists(_mutation, max_size=4),
)
def test_mutated_study_is_read_or_refused_with_a_study_error(txt: list, vtt: list, csv: list, jsonl: list,
                                                             participants: list) -> None:
    """The whole ingest (participants, readers, roles, redaction) on a study of mutated files."""
    FOLDER.mkdir(exist_ok=True)
    study = Path(tempfile.mkdtemp(dir=FOLDER))
    (study / "transcripts").mkdir()
    (study / "feedback").mkdir()
    (study / "transcripts" / "a.txt").write_bytes(mutate(SEEDS["txt"][0], txt))
    (study / "transcripts" / "b.vtt").write_bytes(mutate(SEEDS["vtt"][0], vtt))
    (study / "feedback" / "c.csv").write_bytes(mutate(SEEDS["csv"][0], csv))
    (study / "feedback" / "d.jsonl").write_bytes(mutate(SEEDS["jsonl"][0], jsonl))
    (study / "participants.csv").write_bytes(mutate(SEEDS["participants.csv"][0], participants))
    try:
        with _watchdog(WATCHDOG_S):
            data = read_study(study)
    except WorkbenchError as error:
        assert "participants.csv" in str(error)  # only the participants table may stop a study
        return
    assert isinstance(data.segments, pd.DataFrame)
    assert len(data.report.files) == 4
    for file in data.report.files:
        assert (file.error is None) == (file.segments_made > 0) or file.kind == "feedback"


# ------------------------------------------------------------- structured: valid syntax, odd data

_cell_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["2026-09-01", "01/02/2026", "31.12.2025 23:59", "1700000000", "45000", "4/5", "★★★☆☆", "NaN",
                     "inf", "-0", "1e309", "TRUE", "", " ", "=cmd|' /C calc'!A0", "P01", "user@example.com"]),
)
_json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), _cell_text)


def _json_containers(inner: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.lists(inner, max_size=4), st.dictionaries(_cell_text, inner, max_size=4))


_json_value = st.recursive(_json_scalar, _json_containers, max_leaves=12)
_column_name = st.one_of(_cell_text, st.sampled_from(["id", "review", "comment", "date", "rating", "channel", "author",
                                                       "email", "title", "NPS", "text", "Submitted At"]))


@FUZZ
@given(records=st.lists(st.dictionaries(_column_name, _json_value, max_size=6), min_size=1, max_size=8),
       as_document=st.booleans())
def test_odd_json_records(records: list[dict[str, Any]], as_document: bool) -> None:
    if as_document:
        data = json.dumps(records, allow_nan=True).encode()
        _must_end_cleanly("json", data)
    else:
        _must_end_cleanly("jsonl", "\n".join(json.dumps(r, allow_nan=True) for r in records).encode())


@FUZZ
@given(header=st.lists(_column_name, min_size=1, max_size=6),
       rows=st.lists(st.lists(_cell_text, max_size=7), max_size=10),
       delimiter=st.sampled_from([",", ";", "\t", "|"]))
def test_odd_csv_tables(header: list[str], rows: list[list[str]], delimiter: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    _must_end_cleanly("csv", buffer.getvalue().encode("utf-8", "surrogatepass"))
