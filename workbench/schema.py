"""Column names, dtypes and validators of the tidy tables (DESIGN.md §3).

Each table is a pandas DataFrame. ``validate_segments`` and friends raise a
:class:`~workbench.errors.WorkbenchError` naming the missing column, so a broken
table is caught where it is made, not three steps later.
"""
from __future__ import annotations

import hashlib

import pandas as pd

from workbench.errors import WorkbenchError

#: role of the person speaking a segment
ROLE_CUSTOMER = "customer"
ROLE_INTERVIEWER = "interviewer"
ROLE_AGENT = "agent"
ROLES = (ROLE_CUSTOMER, ROLE_INTERVIEWER, ROLE_AGENT)

SOURCE_INTERVIEW = "interview"
SOURCE_FEEDBACK = "feedback"

#: segments: one row per speaker turn (interviews) or feedback item, in this column order
SEGMENT_COLUMNS: dict[str, str] = {
    "segment_id": "string",
    "source_id": "string",  # file path relative to the study folder, '/'-separated
    "source_kind": "string",  # interview | feedback
    "participant_id": "string",  # P01… for interviewees; <NA> for interviewers and most feedback
    "speaker": "string",  # pseudonymised label: P07, Interviewer, or <NA> for feedback
    "role": "string",  # customer | interviewer | agent
    "turn": "Int64",  # 1-based turn in the file (interviews) or data row (feedback)
    "start_s": "Float64",
    "end_s": "Float64",
    "text": "string",  # as read, may contain personal data: never shown in shared artefacts
    "text_redacted": "string",  # what everything downstream uses
    "channel": "string",  # channel metadata from the source (feedback), else <NA>
    "touchpoint": "string",
    "date": "string",  # ISO 8601 date where the source has one
    "item_id": "string",  # the source's own id of a feedback item
    "rating": "Float64",  # star rating / NPS / CSAT where the source has one
}

PARTICIPANT_COLUMNS: dict[str, str] = {"participant_id": "string"}

#: painpoints: one row per group of units (painpoints.parquet), first columns in this order
PAINPOINT_COLUMNS: dict[str, str] = {
    "painpoint_id": "string",  # PP01… by rank; "context" and "other" for those two buckets
    "statement": "string",  # one sentence of 6-20 words in the customers' own words, read aloud first
    "label": "string",  # the card's short handle: unique, no two share a head phrase
    "kind": "string",  # pain | mixed | purchase | delight ("What works") | context (persona background) | other
    "keywords": "object",
    "n_segments": "int64",
    "n_participants": "int64",
    "share_participants": "float64",
    "sentiment_mean": "float64",
    "severity": "float64",  # 0-100 for pain, mixed and purchase groups; 0 for delights, context and Other
    "dimension": "string",  # CX/UX element; "mixed" when the best label wins narrowly (then see _best, _runner_up)
    "touchpoint": "string",  # same, for the touchpoint lens
    "stage": "string",  # same, for the journey-stage lens
    "quotes": "object",
    "dimension_best": "string",  # the lens's best label (also when the value is "mixed")
    "dimension_runner_up": "string",
    "dimension_margin": "float64",  # best's lead over the runner-up, share of best's votes (0 tie - 1)
    "touchpoint_best": "string",
    "touchpoint_runner_up": "string",
    "touchpoint_margin": "float64",
    "stage_best": "string",
    "stage_runner_up": "string",
    "stage_margin": "float64",
}


def make_segment_id(source_id: str, turn: int) -> str:
    """Return the stable id of the segment at ``turn`` of ``source_id``.

    The id depends only on where the segment is, so re-importing the same file
    gives the same ids and edits stored against them survive.

    Example:
        >>> make_segment_id("transcripts/interview_01.txt", 3)
        's-3a2c7cd871571673'
    """
    digest = hashlib.sha1(f"{source_id}\x1f{turn}".encode()).hexdigest()[:16]
    return f"s-{digest}"


def empty_segments() -> pd.DataFrame:
    """Return an empty segments table with every column and dtype.

    Example:
        >>> list(empty_segments().columns)[:3]
        ['segment_id', 'source_id', 'source_kind']
    """
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in SEGMENT_COLUMNS.items()})


def coerce_segments(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with every segments column present (missing ones as <NA>) and typed.

    Extra metadata columns are kept after the standard ones.

    Example:
        >>> coerce_segments(pd.DataFrame({"text": ["hi"]})).dtypes["turn"]
        Int64Dtype()
    """
    frame = frame.copy()
    for name, dtype in SEGMENT_COLUMNS.items():
        if name not in frame.columns:
            frame[name] = pd.Series([pd.NA] * len(frame), index=frame.index, dtype=dtype)
        else:
            frame[name] = frame[name].astype(dtype)
    extra = [c for c in frame.columns if c not in SEGMENT_COLUMNS]
    return frame[list(SEGMENT_COLUMNS) + extra].reset_index(drop=True)


def validate_segments(frame: pd.DataFrame) -> pd.DataFrame:
    """Check a segments table; return it unchanged or raise ``WorkbenchError``.

    Example:
        >>> validate_segments(pd.DataFrame({"text": ["hi"]}))
        Traceback (most recent call last):
        ...
        workbench.errors.WorkbenchError: segments table lacks columns: segment_id, ...
    """
    missing = [c for c in SEGMENT_COLUMNS if c not in frame.columns]
    if missing:
        shown = ", ".join(missing[:1]) + (", ..." if len(missing) > 1 else "")
        raise WorkbenchError(f"segments table lacks columns: {shown}")
    if frame["segment_id"].duplicated().any():
        dup = frame.loc[frame["segment_id"].duplicated(), "segment_id"].iloc[0]
        raise WorkbenchError(f"segments table has a duplicate segment_id {dup}")
    bad_roles = set(frame["role"].dropna()) - set(ROLES)
    if bad_roles:
        raise WorkbenchError(f"segments table has unknown roles {sorted(bad_roles)}; use one of {ROLES}")
    return frame


def validate_participants(frame: pd.DataFrame) -> pd.DataFrame:
    """Check a participants table (one row per ``participant_id``, no real names).

    Example:
        >>> validate_participants(pd.DataFrame({"participant_id": ["P01"], "segment": ["business"]})).shape
        (1, 2)
    """
    if "participant_id" not in frame.columns:
        raise WorkbenchError("participants table lacks the participant_id column")
    if frame["participant_id"].duplicated().any():
        dup = frame.loc[frame["participant_id"].duplicated(), "participant_id"].iloc[0]
        raise WorkbenchError(f"participants table lists {dup} twice")
    if "name" in frame.columns:
        raise WorkbenchError("participants table still holds real names (column 'name'); drop it before saving")
    return frame


def is_missing(value: object) -> bool:
    """True for ``None``, NaN, ``pd.NA`` and ``NaT`` (cell values pandas reads as empty).

    Example:
        >>> [is_missing(v) for v in (None, float("nan"), pd.NA, "", "x", [1])]
        [True, True, True, False, False, False]
    """
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-like values are not missing
        return False
