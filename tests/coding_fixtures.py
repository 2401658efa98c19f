"""A tiny results folder for the coding tests: one interview, one feedback export, two pain points.

The segments carry an unredacted ``text`` (with a real name and e-mail) next to ``text_redacted``,
so tests can check that nothing but redacted text is ever shown or exported.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

REAL_NAME = "Maria Gonzalez"
REAL_EMAIL = "maria.gonzalez@example.com"

SEGMENTS = [
    # segment_id, source_id, kind, participant, role, turn, text_redacted, text (unredacted)
    ("s-i1", "transcripts/interview_01.txt", "interview", None, "interviewer", 1,
     "Thanks P01. Tell me about your last trip.", f"Thanks {REAL_NAME}. Tell me about your last trip."),
    ("s-i2", "transcripts/interview_01.txt", "interview", "P01", "customer", 2,
     "The flight was cancelled. The refund took seven weeks. I emailed [EMAIL] every week.",
     f"The flight was cancelled. The refund took seven weeks. I emailed {REAL_EMAIL} every week."),
    ("s-i3", "transcripts/interview_01.txt", "interview", None, "interviewer", 3,
     "What did the app do?", "What did the app do?"),
    ("s-i4", "transcripts/interview_01.txt", "interview", "P01", "customer", 4,
     "The app logged me out twice at the gate.", "The app logged me out twice at the gate."),
    ("s-i5", "transcripts/interview_01.txt", "interview", None, "interviewer", 5,
     "Anything else?", "Anything else?"),
    ("s-f1", "feedback/app_store_reviews.csv", "feedback", None, "customer", 1,
     "Change fee of 80 euros for one day. Never again.", "Change fee of 80 euros for one day. Never again."),
    ("s-f2", "feedback/app_store_reviews.csv", "feedback", None, "customer", 2,
     "Login code never arrives.", "Login code never arrives."),
    ("s-i6", "transcripts/interview_02.txt", "interview", "P02", "customer", 1,
     "Booking the hotel was easy but the price went up at checkout.", "Booking the hotel was easy but the price went up at checkout."),
]

# passage_id, segment_id, passage_index, start, end (offsets into text_redacted)
PASSAGES = [
    ("s-i2-1", "s-i2", 1, 0, 54),
    ("s-i2-2", "s-i2", 2, 55, 84),
    ("s-i4-1", "s-i4", 1, 0, 40),
    ("s-f1-1", "s-f1", 1, 0, 48),
    ("s-f2-1", "s-f2", 1, 0, 25),
    ("s-i6-1", "s-i6", 1, 0, 62),
]


def segments_frame() -> pd.DataFrame:
    rows = []
    for sid, source, kind, participant, role, turn, redacted, text in SEGMENTS:
        rows.append({
            "segment_id": sid, "source_id": source, "source_kind": kind, "participant_id": participant,
            "speaker": participant or ("Interviewer" if role == "interviewer" else None), "role": role, "turn": turn,
            "start_s": None, "end_s": None, "text": text, "text_redacted": redacted,
            "channel": "interview" if kind == "interview" else "Google Play",
            "item_id": f"R-{turn}" if kind == "feedback" else None, "rating": 1.0 if kind == "feedback" else None,
        })
    return pd.DataFrame(rows)


def passages_frame() -> pd.DataFrame:
    segments = segments_frame().set_index("segment_id")
    rows = []
    for pid, sid, index, start, end in PASSAGES:
        segment = segments.loc[sid]
        rows.append({
            "passage_id": pid, "segment_id": sid, "passage_index": index, "char_start": start, "char_end": end,
            "text": segment["text_redacted"][start:end], "participant_id": segment["participant_id"],
            "source_kind": segment["source_kind"], "source_id": segment["source_id"],
        })
    return pd.DataFrame(rows)


def painpoints_frame() -> pd.DataFrame:
    return pd.DataFrame([
        {"painpoint_id": "PP01", "label": "Refunds take weeks", "keywords": ["refund", "weeks"],
         "dimension": "customer service", "touchpoint": "email", "stage": "support",
         "quote_texts": ["The flight was cancelled. The refund took seven weeks."], "severity": 70.0},
        {"painpoint_id": "PP02", "label": "App logs me out", "keywords": ["app", "login"],
         "dimension": "UX", "touchpoint": "mobile app", "stage": "use",
         "quote_texts": ["The app logged me out twice at the gate."], "severity": 55.0},
        {"painpoint_id": "other", "label": "Other", "keywords": [], "dimension": None, "touchpoint": None,
         "stage": None, "quote_texts": [], "severity": 0.0},
    ])


def assignments_frame() -> pd.DataFrame:
    ids = {"s-i2-1": "PP01", "s-i2-2": "PP01", "s-i4-1": "PP02", "s-f2-1": "PP02", "s-f1-1": "other", "s-i6-1": "other"}
    passages = passages_frame()
    return pd.DataFrame({"passage_id": passages["passage_id"], "segment_id": passages["segment_id"],
                         "painpoint_id": passages["passage_id"].map(ids), "probability": 0.8})


def make_results(folder: Path) -> Path:
    """Write the tables of a tiny analysis into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    segments_frame().to_parquet(folder / "segments.parquet", index=False)
    passages_frame().to_parquet(folder / "passages.parquet", index=False)
    painpoints_frame().to_parquet(folder / "painpoints.parquet", index=False)
    assignments_frame().to_parquet(folder / "assignments.parquet", index=False)
    pd.DataFrame({"participant_id": ["P01", "P02"], "segment": ["business", "student"]}).to_parquet(
        folder / "participants.parquet", index=False)
    pd.DataFrame({"persona_id": ["PE1", "PE2"], "name": ["Road warrior", "Budget student"],
                  "members": [["P01"], ["P02"]]}).to_parquet(folder / "personas.parquet", index=False)
    return folder


def make_study(base: Path, name: str = "skylark") -> tuple[Path, Path]:
    """A study folder (empty but for its name) with a results folder inside; returns (study, results)."""
    study = base / name
    study.mkdir(parents=True, exist_ok=True)
    return study, make_results(study / ".workbench")
