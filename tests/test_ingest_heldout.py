"""A second transcript corpus, written apart from the first, is read exactly: turns, speakers, roles, people.

``tests/data/transcripts_heldout/`` (written by its ``make_heldout.py``) imitates the exports as
the vendors document them, with traps the first corpus did not have: a 23-speaker Zoom call (a dial-in phone number too) whose
chair asks most questions, Teams voice tags holding "Honestly: …", a Zoom cue whose wrapped line
starts "Worst case: …", "Feedback:"/"Customer Service:"/"Overall:"/"Follow-up:" lines inside a
participant's turn next to a group member heard once ("Hiroshi"), dated chat timestamps, Otter.ai
without timestamps, tab-separated labels, "I:"/"R:", "Sam (Interviewer)", " : " and full-width
colons, "- Speed: …" list items and "Speed: …" paragraphs in an AI interview, an interviewer who
prompts ("Walk me through it.") while the participant asks back.
Also: 40 AI interviews are 40 participants, and the MIT subtitle edge cases of
``../shared/bench-data/subtitle-fixtures`` each import or fail with an error naming the file.
"""
from __future__ import annotations

import importlib.util
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from workbench import schema
from workbench.analysis.passages import split_into_passages
from workbench.errors import IngestError
from workbench.ingest.study import read_study
from workbench.study import run_ingest

HELDOUT = Path(__file__).parent / "data" / "transcripts_heldout"
EXPECTED: dict[str, dict] = json.loads((HELDOUT / "expected.json").read_text(encoding="utf-8"))
SUBTITLES = Path(__file__).resolve().parents[2] / "shared" / "bench-data" / "subtitle-fixtures" / "subtitles"


@pytest.fixture(scope="module")
def study():
    return read_study(HELDOUT)


def test_heldout_corpus_is_varied_enough() -> None:
    formats = {spec["format"] for spec in EXPECTED.values()}
    speakers = [len({label for label, _role, _text in spec["turns"]}) for spec in EXPECTED.values()]
    assert len(EXPECTED) >= 15
    assert {"vtt (Zoom)", "txt (Zoom)", "vtt (Microsoft Teams)", "docx (Microsoft Teams)", "txt (Otter.ai)", "txt (Rev)",
            "txt (Descript)", "docx (Google Meet)", "sbv (YouTube / Google Meet captions)", "srt", "txt"} <= formats
    assert min(speakers) == 2 and max(speakers) >= 20


@pytest.mark.parametrize("source_id", sorted(EXPECTED))
def test_every_heldout_transcript_is_read_exactly(study, source_id: str) -> None:
    expected = EXPECTED[source_id]
    report = next(f for f in study.report.files if f.source_id == source_id)
    assert report.error is None
    assert report.format_label() == expected["format"]
    rows = study.segments[study.segments["source_id"] == source_id]
    assert list(zip(rows["role"], rows["text"])) == [(role, text) for _label, role, text in expected["turns"]]
    wanted: dict[str, list] = {}
    for label, role, _text in expected["turns"]:
        wanted.setdefault(label, [0, role])[0] += 1
    assert {s.label: [s.turns, s.role] for s in report.speakers} == wanted


def test_people_are_one_per_file_unless_participants_csv_says_so(study) -> None:
    person_of_id: dict[str, str] = {}
    for source_id, expected in EXPECTED.items():
        report = next(f for f in study.report.files if f.source_id == source_id)
        for speaker in report.speakers:
            if speaker.role == schema.ROLE_CUSTOMER:
                person = expected["people"][speaker.label]
                assert person_of_id.setdefault(speaker.participant_id, person) == person, (source_id, speaker.label)
                if person.startswith("P"):
                    assert speaker.participant_id == person
            else:
                assert speaker.participant_id is None
    people = {person for expected in EXPECTED.values() for person in expected["people"].values()}
    assert len(person_of_id) == len(people) == study.participants["participant_id"].nunique()
    # the same real name in two files is two people; participants.csv joins Ngozi Eze's two interviews
    nunez = {s.participant_id for f in study.report.files for s in f.speakers if s.label == "José María Núñez"}
    assert len(nunez) == 2
    assert {s.participant_id for f in study.report.files for s in f.speakers if s.label == "Ngozi Eze"} == {"P41"}


def test_interviewer_turns_stay_in_the_transcript_but_give_no_passages(study) -> None:
    passages = split_into_passages(study.segments)
    roles = study.segments.set_index("segment_id")["role"]
    assert set(roles[passages["segment_id"]]) == {schema.ROLE_CUSTOMER}
    customers = study.segments[study.segments["role"] == schema.ROLE_CUSTOMER]
    people = customers.groupby("source_id")["participant_id"].nunique()
    call = "transcripts/zoom_acd_call.vtt"
    assert people[call] == len(EXPECTED[call]["people"]) == 23, "a call without an interviewer: all are participants"
    reach = passages.groupby("source_id")["participant_id"].nunique()  # turns under 4 words give no passage
    assert reach["transcripts/group_groceries.txt"] == 5 and reach["transcripts/ai_rent_01.txt"] == 1
    staff = study.segments[study.segments["role"] == schema.ROLE_INTERVIEWER]
    assert len(staff) == sum(role == schema.ROLE_INTERVIEWER for e in EXPECTED.values() for _l, role, _t in e["turns"])


def test_ingest_report_lists_format_speakers_turns_and_roles_per_file(study) -> None:
    lines = study.report.speaker_lines()
    for source_id, expected in EXPECTED.items():
        line = next(x for x in lines if f" {source_id} [" in x)
        assert f"[{expected['format']}]" in line
        counts: dict[str, int] = {}
        for label, _role, _text in expected["turns"]:
            counts[label] = counts.get(label, 0) + 1
        for label, n in counts.items():
            assert f"{label} = " in line and f", {n} turn{'' if n == 1 else 's'}" in line, (source_id, label)
    line = next(x for x in lines if "commute_prompts" in x)
    assert "Jonas Berg = interviewer, 3 turns (asks the questions)" in line
    assert "Hannah Becker = interviewer, 3 turns (study.toml)" in next(x for x in lines if "teams_desks_old" in x)
    summary = study.report.format_summary()
    assert "vtt (Zoom)" in summary and "txt (Rev)" in summary and "names hidden" in summary


def test_run_ingest_writes_the_speakers_of_every_file(tmp_path: Path) -> None:
    run_ingest(HELDOUT, tmp_path)
    saved = json.loads(next(tmp_path.rglob("ingest_report.json")).read_text(encoding="utf-8"))
    files = {f["source_id"]: f for f in saved["files"]}
    for source_id, expected in EXPECTED.items():
        wanted: dict[str, list] = {}
        for label, role, _text in expected["turns"]:
            wanted.setdefault(label, [0, role])[0] += 1
        assert {s["label"]: [s["turns"], s["role"]] for s in files[source_id]["speakers"]} == wanted, source_id
        assert files[source_id]["format"] == expected["format"].split(" ")[0]


def test_forty_ai_interviews_are_forty_participants(tmp_path: Path) -> None:
    (tmp_path / "transcripts").mkdir()
    for n in range(40):
        (tmp_path / "transcripts" / f"interview_{n:02d}.txt").write_text(
            f"Assistant: Hi! How do you usually pay your bills?\n\nUser: By card, mostly. Number {n}.\n\n"
            "Assistant: What went wrong the last time?\n\n"
            f"User: The payment failed twice.\nProblem: the bank blocked card {n}.\n", encoding="utf-8")
    study = read_study(tmp_path)
    customers = study.segments[study.segments["role"] == schema.ROLE_CUSTOMER]
    assert customers["participant_id"].nunique() == 40 == len(study.participants)
    assert (study.segments["role"] == schema.ROLE_INTERVIEWER).sum() == 80
    passages = split_into_passages(study.segments)
    assert passages["participant_id"].nunique() == 40 and not passages["text"].str.contains("How do you").any()


@pytest.mark.skipif(not SUBTITLES.exists(), reason="needs ../shared/bench-data/subtitle-fixtures")
def test_subtitle_edge_cases_import_or_fail_naming_the_file(tmp_path: Path) -> None:
    shutil.copytree(SUBTITLES, tmp_path / "transcripts")
    study = read_study(tmp_path)
    assert len(study.report.files) == len(list(SUBTITLES.iterdir()))
    for report in study.report.files:
        if report.error is not None:
            assert Path(report.source_id).name in report.error or "line" in report.error or report.error.startswith(
                ("is empty", "has no", "none of its")), report.error
        else:
            assert report.speakers and sum(s.turns for s in report.speakers) >= 1
    teams = next(f for f in study.report.files if f.source_id.endswith("teams_timeframe.vtt"))
    assert {s.label for s in teams.speakers} == {"Yuri Bakulin", "Adrian Petrescu"}
    with pytest.raises(IngestError, match="empty.vtt"):
        from workbench.ingest.base import FileReport
        from workbench.ingest.subtitles import read_subtitles
        read_subtitles(SUBTITLES / "empty.vtt", FileReport("empty.vtt", "interview", "vtt"))


def test_heldout_files_are_what_the_generator_writes() -> None:
    spec = importlib.util.spec_from_file_location("make_heldout", HELDOUT / "make_heldout.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    files, expected = module.build()
    assert expected == EXPECTED
    for relative, content in files.items():
        path = HELDOUT / relative
        if isinstance(content, bytes):  # .docx: zip timestamps differ, the document part must not
            with zipfile.ZipFile(io.BytesIO(content)) as new, zipfile.ZipFile(path) as old:
                assert new.read("word/document.xml") == old.read("word/document.xml"), relative
        else:
            assert path.read_text(encoding="utf-8") == content, relative
