"""A tiny in-memory result set (two pain points, two personas) for the examples and tests of the app.

Example:
    >>> demo_results().study_name
    'Skylark Travel'
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbench.people.journey import journey_matrix
from workbench.share.loading import Results


def demo_results() -> Results:
    """A tiny in-memory result set (two pain points, two personas) for examples and tests.

    Example:
        >>> demo_results().painpoints["painpoint_id"].tolist()
        ['PP01', 'PP02', 'other']
    """
    painpoints = pd.DataFrame({
        "painpoint_id": ["PP01", "PP02", "other"],
        "label": ["Payment taken, no confirmation", "Refunds take weeks", "Other"],
        "keywords": [["payment", "confirmation"], ["refund", "weeks"], []],
        "severity": [81.0, 64.0, 3.0],
        "dimension": ["sales process", "customer service", "other"],
        "touchpoint": ["website", "call centre", "unknown"],
        "stage": ["purchase/booking", "support", "unknown"],
        "kind": ["pain", "pain", "other"],
        "n_participants": [2, 1, 0],
        "share_participants": [2 / 3, 1 / 3, 0.0],
        "sentiment_mean": [-0.6, -0.5, 0.0],
        "quote_texts": [["Money left my card, no email for two days.", "Charged twice <script>alert(1)</script>"],
                        ["Six weeks and still no refund."], []],
        "quote_passages": [["a-1", "b-1"], ["c-1"], []],
        "rank": [1, 2, 3],
    })
    passages = pd.DataFrame({
        "passage_id": ["a-1", "b-1", "c-1", "d-1"],
        "segment_id": ["a", "b", "c", "d"],
        "text": ["Money left my card, no email for two days.", "Charged twice <script>alert(1)</script>",
                 "Six weeks and still no refund.", "The app is fine."],
        "participant_id": ["P01", "P02", "P01", "P03"],
        "sentiment": [-0.7, -0.6, -0.5, 0.3],
        "stage": ["purchase/booking", "purchase/booking", "support", "use"],
        "touchpoint": ["website", "website", "call centre", "mobile app"],
    })
    assignments = pd.DataFrame({"passage_id": ["a-1", "b-1", "c-1", "d-1"],
                                "painpoint_id": ["PP01", "PP01", "PP02", "other"],
                                "moment": ["pain", "pain", "pain", "neutral"]})
    participants = pd.DataFrame({"participant_id": ["P01", "P02", "P03"], "segment": ["business", "family", "family"]})
    personas = pd.DataFrame({
        "persona_id": ["PE1", "PE2"], "name": ["The Busy Flyer", "The Careful Planner"],
        "summary": ["1 of 3 interviewees: business travellers.", "2 of 3 interviewees: families."],
        "size": [1, 2], "share": [1 / 3, 2 / 3], "goals": [["Get there on time"], ["Know the booking is safe"]],
        "frustrations": [["Refunds take weeks"], ["Payment taken, no confirmation"]],
        "preferred_touchpoints": [["mobile app"], ["website"]], "avoided_touchpoints": [["call centre"], []],
        "quotes": [["Six weeks and still no refund."], ["Charged twice <script>alert(1)</script>"]],
        "design_for": ["Design for busy flyers.", "Design for careful planners."],
        "members": [["P01"], ["P02", "P03"]], "sentiment_mean": [-0.6, -0.15],
    })
    journey = journey_matrix(passages, assignments, painpoints)
    return Results(Path("skylark/.workbench"), painpoints, {"study_name": "Skylark Travel"}, assignments, passages,
                   None, participants, personas, journey)
