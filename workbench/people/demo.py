"""A tiny study for examples and tests: six interviewees in three clear groups, and two feedback items.

The examples of :mod:`workbench.people` (profiles, personas, feedback placement) run on it.

Example:
    >>> passages, assignments, participants = demo_tables()
    >>> sorted(participants["segment"].unique())
    ['business', 'family', 'student']
"""
from __future__ import annotations

import pandas as pd


def demo_tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Six interviewees in three clear groups plus two feedback items: (passages, assignments, participants).

    Example:
        >>> passages, assignments, participants = demo_tables()
        >>> len(passages), int(passages["participant_id"].isna().sum()), len(participants)
        (17, 2, 6)
    """
    people = {
        "P01": ("business", "Gold", "call centre"), "P02": ("business", "Platinum", "call centre"),
        "P03": ("family", "none", "website"), "P04": ("family", "Silver", "website"),
        "P05": ("student", "none", "mobile app"), "P06": ("student", "none", "mobile app"),
    }
    said = {  # pain point, touchpoint, stage, moment, sentiment, text
        "business": [
            ("PP01", "phone and IVR", "support", "pain", -0.7, "I was on hold for fifty minutes and the menu kept looping back"),
            ("PP01", "call centre", "support", "pain", -0.6, "Nobody picked up, the call dropped twice before I reached an agent"),
            ("PP04", "store / in person", "use", "delight", 0.8, "The lounge staff sorted my rebooking in minutes, brilliant service"),
        ],
        "family": [
            ("PP02", "website", "purchase/booking", "pain", -0.6, "The price jumped at checkout when the baggage fees for the kids appeared"),
            ("PP02", "website", "purchase/booking", "pain", -0.5, "Resort fees were hidden until the very last step of paying"),
            ("PP05", "website", "consideration", "purchase", 0.5, "We booked because the bundle deal for four was cheaper than elsewhere"),
        ],
        "student": [
            ("PP03", "mobile app", "purchase/booking", "pain", -0.6, "The app crashed and logged me out right in the middle of paying"),
            ("PP03", "mobile app", "use", "pain", -0.5, "The login code never arrived so I could not open my boarding pass"),
            ("other", "mobile app", "use", "neutral", 0.0, "I mostly just use the app for everything really"),
        ],
    }
    rows, assigned = [], []
    for pid, (segment, _tier, _channel) in people.items():
        lines = said[segment] if pid in ("P01", "P03", "P05") else said[segment][:2]
        for index, (painpoint, touchpoint, stage, moment, score, text) in enumerate(lines, start=1):
            passage_id = f"{pid.lower()}s{index}-1"
            rows.append({"passage_id": passage_id, "segment_id": f"{pid.lower()}s{index}", "text": text,
                         "participant_id": pid, "source_kind": "interview", "channel": None,
                         "sentiment": score, "moment": moment, "touchpoint": touchpoint, "stage": stage})
            assigned.append({"passage_id": passage_id, "segment_id": f"{pid.lower()}s{index}", "painpoint_id": painpoint,
                             "label": {"PP01": "Hold loop", "PP02": "Hidden fees", "PP03": "App login crash",
                                       "PP04": "Helpful desk staff", "PP05": "Bundle deal", "other": "Other"}[painpoint],
                             "probability": 0.9, "sentiment": score, "moment": moment, "touchpoint": touchpoint,
                             "stage": stage})
    for item, (painpoint, touchpoint, stage, score, text) in enumerate([
        ("PP01", "call centre", "support", -0.8, "Two hours on hold and the line went dead"),
        ("PP03", "mobile app", "use", -0.6, "App logs me out every single time I open it"),
    ], start=1):
        rows.append({"passage_id": f"f{item}-1", "segment_id": f"f{item}", "text": text, "participant_id": None,
                     "source_kind": "feedback", "channel": None, "sentiment": score, "moment": "pain",
                     "touchpoint": touchpoint, "stage": stage})
        assigned.append({"passage_id": f"f{item}-1", "segment_id": f"f{item}", "painpoint_id": painpoint,
                         "label": {"PP01": "Hold loop", "PP03": "App login crash"}[painpoint], "probability": 0.9,
                         "sentiment": score, "moment": "pain", "touchpoint": touchpoint, "stage": stage})
    participants = pd.DataFrame(
        [{"participant_id": pid, "interview_file": f"transcripts/{pid}.txt", "segment": seg, "loyalty_tier": tier,
          "primary_channel": channel, "interview_date": "2026-09-01"} for pid, (seg, tier, channel) in people.items()]
    )
    return pd.DataFrame(rows), pd.DataFrame(assigned), participants
