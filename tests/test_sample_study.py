"""The bundled sample study ingests completely, with the expected counts and no personal data left."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from workbench.ingest.study import read_study

STUDY = Path(__file__).resolve().parents[1] / "interview_data"


@pytest.fixture(scope="module")
def study():
    return read_study(STUDY)


def test_every_file_is_read(study) -> None:
    assert study.report.failed_files() == []
    formats = {f.format for f in study.report.files if f.kind == "interview"}
    assert {"txt", "vtt", "srt", "docx"} <= formats
    totals = study.report.totals()
    assert totals["interviews"] >= 16
    assert totals["feedback_segments"] >= 400


def test_interviews_have_15_to_40_turns_and_known_participants(study) -> None:
    interviews = study.segments[study.segments["source_kind"] == "interview"]
    turns = interviews.groupby("source_id").size()
    assert turns.between(15, 40).all(), turns[~turns.between(15, 40)]
    customers = interviews[interviews["role"] == "customer"]
    participants = pd.read_csv(STUDY / "participants.csv")
    assert set(customers["participant_id"]) == set(participants["participant_id"])
    assert not any("added as" in note for note in study.report.notes), "every speaker matched participants.csv"


def test_answer_key_matches_the_segments(study) -> None:
    key = pd.read_csv(STUDY / "answer_key.csv", dtype=str)
    segments = study.segments
    interview_keys = set(zip(segments["source_id"], segments["turn"].astype(str)))
    feedback_keys = set(zip(segments["source_id"], segments["item_id"].astype(str)))
    missing = [(s, k) for s, k in zip(key["source_id"], key["key"]) if (s, k) not in interview_keys | feedback_keys]
    assert missing == []
    assert len(key) == len(segments), "one answer-key row per segment"
    interviewer = key[key["theme"] == "interviewer"]
    roles = segments.set_index(["source_id", segments["turn"].astype(str)])["role"]
    assert all(roles[(s, k)] == "interviewer" for s, k in zip(interviewer["source_id"], interviewer["key"]))


def test_no_planted_personal_data_survives_redaction(study) -> None:
    ledger = pd.read_csv(STUDY / "pii_ledger.csv", dtype=str)
    shown = study.segments["text_redacted"].astype(str)
    if "title" in study.segments.columns:  # e-mail subjects and review titles are redacted in place
        shown = pd.concat([shown, study.segments["title"].dropna().astype(str)])
    redacted = "\n".join(shown)
    pii = ledger[ledger["kind"] != "not_pii_number"]
    assert len(pii) >= 50
    # names are whole words ("Dev" may stay inside "Devon"); numbers and addresses anywhere
    leaked = sorted(
        {
            value
            for kind, value in zip(pii["kind"], pii["value"])
            if (re.search(rf"(?<!\w){re.escape(value)}(?!\w)", redacted) if kind == "name" else value in redacted)
        }
    )
    assert leaked == []
    for number in ledger.loc[ledger["kind"] == "not_pii_number", "value"]:
        assert number in redacted, f"{number} fails Luhn and must stay"
