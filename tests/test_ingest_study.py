"""read_study: one clean, redacted table from a whole study folder, every problem reported."""
from __future__ import annotations

import json
import stat
from pathlib import Path

import pandas as pd
import pytest

from workbench.errors import StudyError
from workbench.ingest.study import read_study
from workbench.study import run_ingest


def make_study(root: Path) -> Path:
    """A small study: two interviews in two formats, one feedback export, a participants table."""
    (root / "transcripts").mkdir(parents=True)
    (root / "feedback").mkdir()
    (root / "study.toml").write_text(
        '[ingest]\ninterviewer_names = ["Dana Whitfield"]\n'
        "[privacy]\nbooking_reference_pattern = '\\bSKY-[A-Z0-9]{6}\\b'\nextra_names = [\"Kevin\"]\n"
    )
    (root / "participants.csv").write_text(
        "participant_id,name,interview_file,segment\n"
        "P01,Maria Lopez,transcripts/interview_01.txt,business\n"
        "P02,James Okafor,transcripts/interview_02.vtt,family\n"
    )
    (root / "transcripts" / "interview_01.txt").write_text(
        "Dana Whitfield: Tell me about the last time you booked with us.\n"
        "Maria Lopez: I paid for the Lisbon hotel, SKY-4QZ81M, and no confirmation came.\n"
        "I emailed maria.lopez@example.com to myself to check, nothing.\n"
        "Dana Whitfield: What did you do next?\n"
        "Maria Lopez: I called, and Kevin said the card 4111 1111 1111 1111 was charged twice.\n"
    )
    (root / "transcripts" / "interview_02.vtt").write_text(
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:03.000\n<v Interviewer>Walk me through your trip.</v>\n\n"
        "00:00:03.500 --> 00:00:06.000\n<v James Okafor>We were on hold for an hour</v>\n\n"
        "00:00:06.000 --> 00:00:09.000\n<v James Okafor>and then the call dropped. Call me on +44 20 7946 0958.</v>\n"
    )
    (root / "feedback" / "reviews.csv").write_text(
        "review_id,date,author,rating,review\n"
        "r1,2026-09-01,Priya Shah,1,\"Charged but no e-ticket. I'm Priya Shah, booking SKY-7TT2QA.\"\n"
        "r2,2026-09-02,traveller22,5,\n"
        "r3,2026-09-03,Sam Lee,4,\"Check-in on the app was smooth,\nboarding pass in seconds.\"\n"
    )
    (root / "transcripts" / "notes.pdf").write_bytes(b"%PDF-1.4 not a transcript")
    (root / "answer_key.csv").write_text("source_id,key,theme\n")
    return root


def test_study_becomes_one_redacted_segments_table(tmp_path: Path) -> None:
    study = read_study(make_study(tmp_path / "study"))
    segments = study.segments

    interview = segments[segments["source_id"] == "transcripts/interview_01.txt"]
    assert interview["role"].tolist() == ["interviewer", "customer", "interviewer", "customer"]
    assert interview["speaker"].tolist() == ["Interviewer", "P01", "Interviewer", "P01"]
    assert interview["participant_id"].dropna().unique().tolist() == ["P01"]
    # the continuation line joined the turn
    assert "nothing." in interview["text"].iloc[1]

    vtt = segments[segments["source_id"] == "transcripts/interview_02.vtt"]
    assert len(vtt) == 2, "consecutive cues of one speaker are one turn"
    assert vtt["start_s"].iloc[1] == pytest.approx(3.5) and vtt["end_s"].iloc[1] == pytest.approx(9.0)
    assert vtt["participant_id"].iloc[1] == "P02"

    feedback = segments[segments["source_kind"] == "feedback"]
    assert feedback["item_id"].tolist() == ["r1", "r3"], "the empty review is skipped"
    assert feedback["rating"].tolist() == [1.0, 4.0]

    redacted = " ".join(segments["text_redacted"])
    for secret in ["Maria", "Lopez", "maria.lopez@example.com", "4111 1111 1111 1111", "SKY-4QZ81M",
                   "SKY-7TT2QA", "7946 0958", "Priya", "Kevin", "James", "Okafor"]:
        assert secret not in redacted, secret
    assert "[CARD]" in redacted and "[EMAIL]" in redacted and "[BOOKING_REF]" in redacted and "[PHONE]" in redacted
    assert "author" not in segments.columns, "reviewer names never leave ingest"

    report = study.report
    skipped = [(f.source_id, s.location) for f in report.files for s in f.skipped]
    assert any(src == "feedback/reviews.csv" for src, _ in skipped)
    failed = {f.source_id: f.error for f in report.failed_files()}
    assert "transcripts/notes.pdf" in failed and ".docx" in failed["transcripts/notes.pdf"]
    assert any("answer_key.csv" in note for note in report.notes)
    assert "name" not in study.participants.columns
    assert study.pseudonyms["Maria Lopez"] == "P01"


def test_segment_ids_are_stable_across_runs(tmp_path: Path) -> None:
    folder = make_study(tmp_path / "study")
    first = read_study(folder).segments["segment_id"].tolist()
    second = read_study(folder).segments["segment_id"].tolist()
    assert first == second and len(set(first)) == len(first)


def test_unknown_speaker_becomes_a_new_participant(tmp_path: Path) -> None:
    (tmp_path / "transcripts").mkdir()
    (tmp_path / "transcripts" / "a.txt").write_text("Interviewer: Hello?\nZoe Park: Hi, I fly a lot.\n")
    study = read_study(tmp_path)
    assert study.segments["participant_id"].dropna().tolist() == ["P01"]
    assert study.participants["participant_id"].tolist() == ["P01"]
    assert any("added as P01" in note for note in study.report.notes)


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StudyError, match="no such study folder"):
        read_study(tmp_path / "nowhere")


def test_bad_participants_row_is_named(tmp_path: Path) -> None:
    (tmp_path / "participants.csv").write_text("participant_id,segment\nP01,business\nP01,family\n")
    with pytest.raises(StudyError, match="row 3: participant_id P01 is used twice"):
        read_study(tmp_path)


def test_run_ingest_writes_results_and_a_private_pseudonym_map(tmp_path: Path) -> None:
    folder = make_study(tmp_path / "study")
    result = run_ingest(folder, tmp_path / "out")
    saved = pd.read_parquet(tmp_path / "out" / "segments.parquet")
    assert saved["segment_id"].tolist() == result.segments["segment_id"].tolist()
    report = json.loads((tmp_path / "out" / "ingest_report.json").read_text())
    assert report["totals"]["segments"] == len(saved)
    mode = stat.S_IMODE((tmp_path / "out" / "pseudonyms.json").stat().st_mode)
    assert mode == 0o600
