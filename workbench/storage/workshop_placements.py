"""The impact × effort board: where each person (or the group, by consensus) places a pain point.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import insert, select

from workbench.storage.retries import retry_busy_writes
from workbench.storage.tables import workshop_people, workshop_placements
from workbench.storage.workshop_facilitation import _require_facilitator
from workbench.storage.workshop_rules import (
    PLACEMENT_SCALE,
    WorkshopActionError,
    _clean_painpoint_id,
    _clean_person_name,
)
from workbench.storage.workshop_sessions import WorkshopSessionsMixin


@dataclass(frozen=True)
class Placement:
    """Where a person (or, with ``voter=None``, the group's consensus) put a pain point on the
    impact × effort board, both on the scale 1 (low) to 5 (high).

    Example:
        >>> Placement("PP01", "Dana", 4.0, 2.0).voter
        'Dana'
    """

    painpoint_id: str
    voter: str | None
    impact: float
    effort: float


def _on_scale(name: str, value: float) -> float:
    low, high = PLACEMENT_SCALE
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not low <= number <= high:
        raise WorkshopActionError(f"{name} must be a number from {low:g} (low) to {high:g} (high); got {value!r}")
    return number


class WorkshopPlacementsMixin(WorkshopSessionsMixin):
    """The impact × effort methods of :class:`Store`.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from workbench.storage.store import Store, sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
        >>> _ = store.place("kick-off", "PP01", "Dana", impact=4, effort=2)
        >>> [(p.painpoint_id, p.impact) for p in store.placements("kick-off")]
        [('PP01', 4.0)]
    """

    @retry_busy_writes
    def place(self, session: str, painpoint_id: str, voter: str | None, impact: float, effort: float,
              facilitator_token: str | None = None) -> int:
        """Put a pain point on the impact × effort board (1 = low … 5 = high); return the placement id.

        Each person has one place per pain point: the latest wins. ``voter=None`` sets the
        group's consensus place (the facilitator's: it needs ``facilitator_token`` once the session
        has one), which the board shows instead of the mean.
        Placements are not tied to voting rounds or the voting lock.

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> _ = store.place("s", "PP01", "Dana", impact=2, effort=4)
            >>> _ = store.place("s", "PP01", "Dana", impact=5, effort=1)
            >>> store.placements("s")
            [Placement(painpoint_id='PP01', voter='Dana', impact=5.0, effort=1.0)]
        """
        painpoint = _clean_painpoint_id(painpoint_id)
        impact_value, effort_value = _on_scale("impact", impact), _on_scale("effort", effort)
        cleaned = None if voter is None else _clean_person_name(voter)
        with self._workshop_write(session) as (connection, row):
            if cleaned is None:
                _require_facilitator(row, facilitator_token, "set the consensus place")
            person_id = None if cleaned is None else self._workshop_person(connection, row["session_id"], cleaned)[0]
            result = connection.execute(insert(workshop_placements).values(
                session_id=row["session_id"], painpoint_id=painpoint, person_id=person_id,
                impact=impact_value, effort=effort_value, created_at=datetime.now(timezone.utc),
            ))
            return int(result.inserted_primary_key[0])

    def placements(self, session: str) -> list[Placement]:
        """The latest place of every (pain point, person) on the board; ``voter`` is ``None`` for the consensus.

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from workbench.storage.store import Store, sqlite_url
            >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
            >>> _ = store.place("s", "PP01", None, impact=4, effort=2)
            >>> store.placements("s")[0].voter is None
            True
        """
        session_id = self.open_session_id(session)
        query = (
            select(workshop_placements.c.placement_id, workshop_placements.c.painpoint_id,
                   workshop_placements.c.person_id, workshop_placements.c.impact, workshop_placements.c.effort,
                   workshop_people.c.name)
            .select_from(workshop_placements.outerjoin(
                workshop_people, workshop_people.c.person_id == workshop_placements.c.person_id))
            .where(workshop_placements.c.session_id == session_id)
            .order_by(workshop_placements.c.placement_id)
        )
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        latest: dict[tuple[str, int | None], Placement] = {}
        for _id, painpoint, person_id, impact, effort, name in rows:
            key = (str(painpoint), None if person_id is None else int(person_id))
            latest.pop(key, None)  # re-insert so the order is that of the latest placements
            latest[key] = Placement(str(painpoint), None if name is None else str(name), float(impact), float(effort))
        return list(latest.values())
