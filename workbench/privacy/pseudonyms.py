"""The pseudonym map: each participant's real name gets a stable pseudonym (P01, P02 …).

The map stays with the researcher; shared artefacts only ever hold the pseudonyms.
"""
from __future__ import annotations

from workbench.errors import WorkbenchError

__all__ = ["assign_pseudonyms"]


def assign_pseudonyms(names: list[str], prefix: str = "P", start: int = 1) -> dict[str, str]:
    """Give each name a stable pseudonym in the order given: P01, P02 … P99, P100 …

    A name given twice keeps its first pseudonym (and uses up no number).

    Raises:
        WorkbenchError: a name is empty.

    Example:
        >>> assign_pseudonyms(["Maria Lopez", "Tom Baker", "Maria Lopez"])
        {'Maria Lopez': 'P01', 'Tom Baker': 'P02'}
        >>> list(assign_pseudonyms([f"n{i}" for i in range(100)]).values())[-1]
        'P100'
    """
    out: dict[str, str] = {}
    number = start
    for position, name in enumerate(names, start=1):
        if name is None or not str(name).strip():
            raise WorkbenchError(
                f"participant #{position} has an empty name; fill it in participants.csv or remove the row"
            )
        if name in out:
            continue
        out[name] = f"{prefix}{number:02d}"
        number += 1
    return out
