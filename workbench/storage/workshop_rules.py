"""What a workshop accepts: its limits, the error for an action that cannot be done as asked, and
the checks that clean what people type (names, pain-point ids, session names, request ids).
"""
from __future__ import annotations

from typing import Any

from workbench.errors import WorkbenchError

#: dots each person gets per voting round unless the session says otherwise
DEFAULT_DOTS_PER_PERSON = 5
#: the impact × effort scale (1 = low, 5 = high)
PLACEMENT_SCALE = (1.0, 5.0)
MAX_NAME_LENGTH = 60
MAX_STATEMENT_LENGTH = 500
MAX_REQUEST_ID_LENGTH = 64
#: the session a workshop uses unless told otherwise (``WORKBENCH_SESSION``)
DEFAULT_WORKSHOP_SESSION = "workshop"
#: the longest round timer a facilitator may start, in minutes
MAX_TIMER_MINUTES = 240
#: quote ids one statement may cite
MAX_QUOTES_CITED = 20


class WorkshopActionError(WorkbenchError):
    """A workshop action that cannot be done as asked (empty name, impact out of range…).

    Example:
        >>> str(WorkshopActionError("type your name (1-60 characters) to join"))
        'type your name (1-60 characters) to join'
    """


def person_key(name: str) -> str:
    """How a person's name is matched: spaces collapsed, case ignored.

    Example:
        >>> person_key("  Dana   Lee ") == person_key("dana lee")
        True
    """
    return " ".join(str(name).split()).casefold()


def _clean_person_name(name: str | None) -> str:
    cleaned = " ".join(str(name or "").split())
    if not cleaned or len(cleaned) > MAX_NAME_LENGTH:
        raise WorkshopActionError(f"type your name (1-{MAX_NAME_LENGTH} characters) to join the workshop; got {name!r}")
    return cleaned


def _clean_painpoint_id(painpoint_id: str) -> str:
    cleaned = str(painpoint_id or "").strip()
    if not cleaned or len(cleaned) > 64:
        raise WorkshopActionError(f"pain point id {painpoint_id!r} is empty or too long; pass an id of painpoints.parquet")
    return cleaned


def _clean_session_name(session: str) -> str:
    cleaned = " ".join(str(session or "").split())
    if not cleaned or len(cleaned) > 200:
        raise WorkshopActionError(f"workshop session name {session!r} must be 1-200 characters; pass e.g. 'kick-off'")
    return cleaned


def _clean_request_id(request_id: str | None) -> str | None:
    if request_id is None:
        return None
    cleaned = str(request_id).strip()
    if not cleaned or len(cleaned) > MAX_REQUEST_ID_LENGTH:
        raise WorkshopActionError(
            f"request id {request_id!r} must be 1-{MAX_REQUEST_ID_LENGTH} characters; pass e.g. str(uuid.uuid4()), "
            "one per user action, the same one when the action is retried"
        )
    return cleaned


def _same_request(request_id: str, stored: tuple[Any, ...], asked: tuple[Any, ...]) -> None:
    """A request id names one action: reusing it for another one is the client's bug, not a retry."""
    if stored != asked:
        raise WorkshopActionError(
            f"request id {request_id!r} was already used for another action in this session; "
            "send a new id with each new action and the same id only when retrying it"
        )
