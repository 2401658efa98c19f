"""A corpus of 26 transcripts as researchers have them is read exactly: turns, speakers, roles, people.

The corpus (``tests/data/transcripts_corpus/``, written by its ``make_corpus.py``) holds the
layouts of Zoom (.vtt and saved .txt), Microsoft Teams (.vtt, .docx old and new), Otter.ai, Rev,
Descript, Google Meet (.docx, .sbv), plain ``Speaker: text`` files, bold-speaker and table .docx;
2 to 23 speakers with handles, pipes, brackets, emoji, Cyrillic, Arabic and Chinese names;
interviewers named by label, by study.toml and by nobody (found by their questions); group
interviews with two moderators; AI interviews (``Assistant:``/``User:``) whose ``User`` is a
different person in every file; one person interviewed twice (participants.csv says so).

When ``../shared/bench-data/alaska-water-interviews`` is there, its 58 real interviews (rebuilt as
``Speaker: text`` files) are read too and every turn's role is checked against the data's own
interviewer/interviewee column.
"""
from __future__ import annotations

import csv
import importlib.util
import io
import json
import zipfile
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

from workbench import schema
from workbench.analysis.passages import split_into_passages
from workbench.ingest.study import read_study

CORPUS = Path(__file__).parent / "data" / "transcripts_corpus"
EXPECTED: dict[str, dict] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
ALASKA = Path(__file__).resolve().parents[2] / "shared" / "bench-data" / "alaska-water-interviews" / "all_public_interviews.csv"


@pytest.fixture(scope="module")
def study():
    return read_study(CORPUS)


def test_corpus_is_varied_enough() -> None:
    formats = {spec["format"].split(" ")[0] for spec in EXPECTED.values()}
    speakers = [len({label for label, _role, _text in spec["turns"]}) for spec in EXPECTED.values()]
    assert len(EXPECTED) >= 20
    assert {"txt", "vtt", "srt", "sbv", "docx"} <= formats
    assert min(speakers) == 2 and max(speakers) >= 23
    assert sum(1 for spec in EXPECTED.values() if "(" in spec["format"]) >= 10, "vendor layouts"


@pytest.mark.parametrize("source_id", sorted(EXPECTED))
def test_every_transcript_is_read_exactly(study, source_id: str) -> None:
    expected = EXPECTED[source_id]
    report = next(f for f in study.report.files if f.source_id == source_id)
    assert report.error is None
    assert report.format_label() == expected["format"]
    rows = study.segments[study.segments["source_id"] == source_id]
    assert rows["role"].tolist() == [role for _label, role, _text in expected["turns"]]
    assert rows["text"].tolist() == [text for _label, _role, text in expected["turns"]]
    # the report lists every speaker with the right turn count and role
    wanted: dict[str, list] = {}
    for label, role, _text in expected["turns"]:
        wanted.setdefault(label, [0, role])[0] += 1
    assert {s.label: [s.turns, s.role] for s in report.speakers} == wanted


def test_interviewer_turns_are_labelled_as_interviewers_not_participants(study) -> None:
    interviews = study.segments
    staff = interviews[interviews["role"] != schema.ROLE_CUSTOMER]
    assert staff["participant_id"].isna().all()
    assert set(staff["speaker"]) == {"Interviewer", "Agent"}


def test_one_person_per_file_unless_participants_csv_says_so(study) -> None:
    person_of_id: dict[str, str] = {}
    ids_of_person: dict[str, set[str]] = defaultdict(set)
    for source_id, expected in EXPECTED.items():
        report = next(f for f in study.report.files if f.source_id == source_id)
        for speaker in report.speakers:
            if speaker.role != schema.ROLE_CUSTOMER:
                continue
            person = expected["people"][speaker.label]
            ids_of_person[person].add(speaker.participant_id)
            assert person_of_id.setdefault(speaker.participant_id, person) == person, (source_id, speaker.label)
            if person.startswith("P"):  # participants.csv gives the id
                assert speaker.participant_id == person
    assert all(len(ids) == 1 for ids in ids_of_person.values())
    # the User of four AI interviews is four people; the same name in two files is two people
    users = {next(s.participant_id for s in f.speakers if s.label == "User") for f in study.report.files
             if f.source_id.startswith("transcripts/ai_pharmacy")}
    assert len(users) == 4
    assert len(ids_of_person) == len(study.participants) == study.participants["participant_id"].nunique()


def test_interviewer_turns_give_no_passages_and_stay_as_context(study) -> None:
    passages = split_into_passages(study.segments)
    roles = study.segments.set_index("segment_id")["role"]
    assert set(roles[passages["segment_id"]]) == {schema.ROLE_CUSTOMER}
    ai = study.segments[study.segments["source_id"] == "transcripts/ai_pharmacy_01.txt"]
    assert ai["role"].tolist()[0] == schema.ROLE_INTERVIEWER, "the question stays in the transcript"
    reach = passages.groupby("source_id")["participant_id"].nunique()
    assert reach["transcripts/group_trains.txt"] == 4 and reach["transcripts/ai_pharmacy_03.txt"] == 1


def test_ingest_report_shows_tool_speakers_and_roles(study) -> None:
    summary = study.report.format_summary()
    assert "txt (Otter.ai)" in summary and "vtt (Microsoft Teams)" in summary and "docx (Google Meet)" in summary
    line = next(x for x in study.report.speaker_lines() if "otter_groceries" in x)
    assert "Speaker 1 = interviewer, 4 turns (asks the questions)" in line
    saved = json.loads(json.dumps(study.report.to_dict()))
    call = next(f for f in saved["files"] if f["source_id"] == "transcripts/community_call.vtt")
    assert len(call["speakers"]) == 23 and call["tool"] == "Zoom"


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_corpus_files_are_what_the_generator_writes() -> None:
    for relative, content in _load_generator().build().items():
        path = CORPUS / relative
        if isinstance(content, bytes):  # .docx: zip timestamps differ, the document part must not
            with zipfile.ZipFile(io.BytesIO(content)) as new, zipfile.ZipFile(path) as old:
                assert new.read("word/document.xml") == old.read("word/document.xml"), relative
        else:
            assert path.read_text(encoding="utf-8") == content, relative


# ------------------------------------------------------------------------------ real interviews


def _alaska_study(folder: Path) -> dict[str, list[str]]:
    """Rebuild the 58 interviews as ``Speaker: text`` files; return each file's true role per turn."""
    rows_of: dict[str, list[dict[str, str]]] = defaultdict(list)
    with ALASKA.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = f"{row['Set'].strip()}-{row['Interview'].strip()}".lower().replace(" ", "_")
            rows_of[key].append(row)
    (folder / "transcripts").mkdir(parents=True)
    truth: dict[str, list[str]] = {}
    for key, rows in rows_of.items():
        lines: list[str] = []
        roles: list[str] = []
        previous = None
        for row in rows:
            speaker, text = row["Speaker"].strip(), " ".join(row["Text"].split())
            if not text:
                continue
            if speaker == previous:
                lines.append(text)  # one spoken turn split over PDF lines
            else:
                lines.append(f"{speaker}: {text}")
                roles.append(schema.ROLE_INTERVIEWER if row["speaker_type"].strip() == "ER" else schema.ROLE_CUSTOMER)
            previous = speaker
        (folder / "transcripts" / f"{key}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        truth[f"transcripts/{key}.txt"] = roles
    return truth


@pytest.mark.skipif(not ALASKA.exists(), reason="needs ../shared/bench-data/alaska-water-interviews")
def test_real_interviews_get_every_turn_and_role(tmp_path: Path) -> None:
    truth = _alaska_study(tmp_path)
    study = read_study(tmp_path)
    got = study.segments.groupby("source_id")["role"].agg(list)
    assert len(truth) == 58
    assert {source: got.get(source) for source in truth} == truth
    customers = study.segments[study.segments["role"] == schema.ROLE_CUSTOMER]
    per_file = customers.groupby("source_id")["participant_id"].nunique()
    assert (per_file >= 1).sum() == 57 and pd.Series(customers["participant_id"]).nunique() >= 58
