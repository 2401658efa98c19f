"""`make sample-study` rebuilds the generated half of interview_data/ exactly as committed.

The scripts in tools/sample_study/ are run into a temporary folder (never over the committed
data) and every generated file is compared with its committed twin: CSV and JSONL byte for byte;
.xlsx and .docx first by what a reader sees (cell values per sheet; paragraphs, bold runs and
table cells), then member by member inside the zip (names, timestamps, uncompressed bytes), which
the scripts pin so a rebuild is byte-identical. A one-character change in a source must show up
in exactly the files made from it. The two check scripts run on the committed data.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "tools" / "sample_study"
STUDY = "interview_data"
KEYS = "tools/sample_study"
STEPS = ["make_docx.py", "make_feedback.py", "merge_keys.py"]
CHECKS = ["check_interviews.py", "check_feedback.py"]
GENERATED = [
    *(f"{STUDY}/transcripts/{source.stem}.docx" for source in sorted((TOOLS / "docx_sources").glob("interview_*.txt"))),
    f"{STUDY}/feedback/app_store_reviews.csv",
    f"{STUDY}/feedback/post_trip_survey.xlsx",
    f"{STUDY}/feedback/support_emails.jsonl",
    f"{STUDY}/answer_key.csv",
    f"{STUDY}/pii_ledger.csv",
    f"{KEYS}/feedback_answer_key.csv",
    f"{KEYS}/feedback_pii_ledger.csv",
]


def regenerate(scripts: Path, out: Path) -> None:
    """Run the build steps of `make sample-study` from ``scripts`` into ``out`` (project layout)."""
    for step in STEPS:
        options = ["--study", str(out / STUDY)] + ([] if step == "make_docx.py" else ["--keys", str(out / KEYS)])
        done = subprocess.run([sys.executable, str(scripts / step), *options], capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, f"{step} failed:\n{done.stdout}\n{done.stderr}"


def _xlsx_content(path: Path) -> dict[str, list[tuple]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    return {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook}


def _docx_content(path: Path) -> list[tuple]:
    from docx import Document

    document = Document(str(path))
    paragraphs = [("paragraph", p.style.name, p.text, tuple(r.text for r in p.runs if r.bold))
                  for p in document.paragraphs]
    tables = [("table", tuple(tuple((cell.text, tuple(r.text for q in cell.paragraphs for r in q.runs if r.bold))
                                    for cell in row.cells) for row in table.rows))
              for table in document.tables]
    return paragraphs + tables + [("title", document.core_properties.title, document.core_properties.author)]


def _first_difference(expected: list, made: list) -> str:
    for index, (a, b) in enumerate(zip(expected, made)):
        if a != b:
            return f"item {index + 1}: committed {a!r}, made {b!r}"
    return f"{len(expected)} items committed, {len(made)} made"


def _zip_members(path: Path) -> list[tuple]:
    with zipfile.ZipFile(path) as archive:
        return [(info.filename, info.date_time, archive.read(info)) for info in archive.infolist()]


def difference(committed: Path, made: Path) -> str | None:
    """What differs between a committed generated file and a rebuilt one, or None when they match.

    Zips match when every member has the same name, timestamp and uncompressed bytes (so another
    zlib build, which may compress differently, still matches).
    """
    if not made.is_file():
        return "not made"
    if committed.read_bytes() == made.read_bytes():
        return None
    if committed.suffix == ".xlsx":
        expected, rebuilt = _xlsx_content(committed), _xlsx_content(made)
        if list(expected) != list(rebuilt):
            return f"sheets {list(expected)} committed, {list(rebuilt)} made"
        for sheet in expected:
            if expected[sheet] != rebuilt[sheet]:
                return f"sheet {sheet!r} {_first_difference(expected[sheet], rebuilt[sheet])}"
    elif committed.suffix == ".docx":
        expected, rebuilt = _docx_content(committed), _docx_content(made)
        if expected != rebuilt:
            return f"text: {_first_difference(expected, rebuilt)}"
    else:
        expected, rebuilt = committed.read_bytes().split(b"\n"), made.read_bytes().split(b"\n")
        return f"line {_first_difference(expected, rebuilt)}"
    expected, rebuilt = _zip_members(committed), _zip_members(made)
    if expected == rebuilt:
        return None
    for a, b in zip(expected, rebuilt):
        if a != b:
            return f"same text, but zip member {a[0]} differs (timestamp {a[1]} vs {b[1]})"
    return f"same text, but zip members {[m[0] for m in expected]} vs {[m[0] for m in rebuilt]}"


def differences(out: Path) -> dict[str, str]:
    """Every generated file that differs between the project and the rebuild under ``out``."""
    found = {name: difference(ROOT / name, out / name) for name in GENERATED}
    return {name: what for name, what in found.items() if what is not None}


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rebuilt")
    regenerate(TOOLS, out)
    return out


def test_the_rebuild_writes_only_into_the_folders_it_is_given(rebuilt: Path) -> None:
    made = sorted(str(path.relative_to(rebuilt)) for path in rebuilt.rglob("*") if path.is_file())
    assert made == sorted(GENERATED)


@pytest.mark.parametrize("name", GENERATED)
def test_every_generated_file_matches_the_committed_one(rebuilt: Path, name: str) -> None:
    what = difference(ROOT / name, rebuilt / name)
    assert what is None, f"{name}: {what}; run `make sample-study` and commit the result"


def test_text_and_tables_are_byte_identical_and_zips_too_here(rebuilt: Path) -> None:
    for name in GENERATED:
        assert (ROOT / name).read_bytes() == (rebuilt / name).read_bytes(), name


def test_the_merged_tables_are_the_interview_half_then_the_feedback_half(rebuilt: Path) -> None:
    for merged in ("answer_key.csv", "pii_ledger.csv"):
        interview = (TOOLS / f"interview_{merged}").read_text(encoding="utf-8").splitlines()
        feedback = (rebuilt / KEYS / f"feedback_{merged}").read_text(encoding="utf-8").splitlines()
        lines = (rebuilt / STUDY / merged).read_text(encoding="utf-8").splitlines()
        assert lines == interview + feedback[1:]
        assert lines[1].startswith("transcripts/") and lines[-1].startswith("feedback/")


def test_a_one_character_change_in_a_source_shows_in_exactly_the_files_made_from_it(tmp_path: Path) -> None:
    scripts = tmp_path / "changed" / "tools" / "sample_study"
    shutil.copytree(TOOLS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    for source, old, new in [
        ("docx_sources/interview_16.txt", "spontaneous booker", "spontaneous bookes"),
        ("feedback_sources/reviews_b.py", "Lovely circle.", "Lovely circlE."),
        ("feedback_sources/survey_a.py", "printed the payment receipt", "printed the paymant receipt"),
        ("interview_answer_key.csv", "interview_01.txt,2,other\n", "interview_01.txt,2,othes\n"),
    ]:
        text = (scripts / source).read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{source}: {old!r} should occur once"
        (scripts / source).write_text(text.replace(old, new), encoding="utf-8")
    out = tmp_path / "out"
    regenerate(scripts, out)
    found = differences(out)
    assert set(found) == {
        f"{STUDY}/transcripts/interview_16.docx", f"{STUDY}/feedback/app_store_reviews.csv",
        f"{STUDY}/feedback/post_trip_survey.xlsx", f"{STUDY}/answer_key.csv",
    }, found
    assert "spontaneous bookes" in found[f"{STUDY}/transcripts/interview_16.docx"]
    assert "Lovely circlE." in found[f"{STUDY}/feedback/app_store_reviews.csv"]
    assert "paymant" in found[f"{STUDY}/feedback/post_trip_survey.xlsx"]
    assert "othes" in found[f"{STUDY}/answer_key.csv"]


def test_a_zip_with_another_timestamp_is_told_apart(rebuilt: Path, tmp_path: Path) -> None:
    name = f"{STUDY}/transcripts/interview_15.docx"
    repacked = tmp_path / "interview_15.docx"
    with zipfile.ZipFile(rebuilt / name) as source, zipfile.ZipFile(repacked, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(zipfile.ZipInfo(info.filename, date_time=(2030, 1, 1, 0, 0, 0)), source.read(info))
    assert "same text, but zip member" in difference(ROOT / name, repacked)


@pytest.mark.parametrize("check", CHECKS)
def test_the_check_scripts_pass_on_the_committed_study(check: str) -> None:
    done = subprocess.run([sys.executable, str(TOOLS / check)], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert done.returncode == 0, f"{check} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert "passed" in done.stdout


def test_the_scripts_examples_run() -> None:
    scripts = sorted(str(path) for path in TOOLS.glob("*.py"))
    done = subprocess.run([sys.executable, "-m", "doctest", *scripts], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def test_make_sample_study_runs_the_steps_then_the_checks_with_the_venv() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^\.PHONY:.*\bsample-study\b", makefile, re.M)
    target = re.search(r"^sample-study: \$\(STAMP\)\n((?:\t.*\n?)+)", makefile, re.M)
    assert target, "Makefile: `sample-study: $(STAMP)` with its recipe"
    recipe = [line.strip() for line in target.group(1).splitlines()]
    assert recipe == [f"$(BIN)/python tools/sample_study/{script}" for script in STEPS + CHECKS]
