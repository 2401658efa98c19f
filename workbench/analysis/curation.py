"""Researcher edits to pain points that survive a re-run.

A researcher renames, merges and splits pain points and moves quotes between them.
Each edit is appended to the store together with the *members* (passage ids) of the
pain points it touched. After every re-fit the edits are replayed in order: each
old pain point is found again as the new pain point that shares the most members
with it (Jaccard overlap), so an edit follows its pain point even when ids and
numbering change. An edit whose pain point cannot be found is reported, never
silently dropped.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from workbench.errors import WorkbenchError
from workbench.storage.store import Store, StoredEdit

OTHER = "other"
#: an old pain point is the same as a new one when they share at least this Jaccard overlap
MIN_OVERLAP = 0.3

EDIT_KINDS = ("rename", "merge", "split", "move")


@dataclass
class Curated:
    """Pain-point membership after edits.

    Attributes:
        membership: passage_id -> pain point key (``OTHER`` for the Other bucket).
        labels: pain point key -> label.
        applied: one line per edit that was replayed.
        unmatched: one line per edit whose pain point was not found in this fit.

    Example:
        >>> Curated(pd.Series({"a-1": "t0"}), {"t0": "Refunds"}).labels["t0"]
        'Refunds'
    """

    membership: pd.Series
    labels: dict[str, str]
    applied: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


def members_of(membership: pd.Series, painpoint: str) -> list[str]:
    """Passage ids of one pain point, sorted.

    Example:
        >>> members_of(pd.Series({"a": "t0", "b": "t1", "c": "t0"}), "t0")
        ['a', 'c']
    """
    return sorted(membership.index[membership == painpoint].tolist())


def find_painpoint(membership: pd.Series, old_members: Iterable[str]) -> tuple[str | None, float]:
    """The current pain point that best matches an old one by shared members.

    Returns the key and the Jaccard overlap; the key is None when no pain point
    reaches ``MIN_OVERLAP``.

    Example:
        >>> find_painpoint(pd.Series({"a": "t0", "b": "t0", "c": "t1"}), ["a", "b", "z"])
        ('t0', 0.6666666666666666)
    """
    old = set(old_members)
    if not old:
        return None, 0.0
    best, best_overlap = None, 0.0
    for key, group in membership.groupby(membership, sort=True):
        if key == OTHER:
            continue
        current = set(group.index)
        overlap = len(old & current) / len(old | current)
        if overlap > best_overlap:
            best, best_overlap = str(key), overlap
    return (best, best_overlap) if best_overlap >= MIN_OVERLAP else (None, best_overlap)


def record_edit(
    store: Store,
    study: str,
    membership: pd.Series,
    kind: str,
    painpoints: list[str],
    label: str | None = None,
    passage_ids: list[str] | None = None,
    author: str | None = None,
) -> int:
    """Store one edit with a snapshot of the members of the pain points it touches.

    Args:
        kind: "rename" (one pain point, label), "merge" (two or more, optional label),
            "split" (one pain point, the passage ids that leave it, label of the new one),
            "move" (one target pain point, the passage ids that move to it).

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from workbench.storage.store import sqlite_url
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite"))
        >>> membership = pd.Series({"a": "PP01", "b": "PP01", "c": "PP02"})
        >>> record_edit(store, "demo", membership, "rename", ["PP01"], label="Refunds take weeks")
        1
    """
    if kind not in EDIT_KINDS:
        raise WorkbenchError(f"unknown edit '{kind}'; use one of {', '.join(EDIT_KINDS)}")
    expected = {"rename": 1, "split": 1, "move": 1}.get(kind)
    if expected is not None and len(painpoints) != expected:
        raise WorkbenchError(f"a {kind} edit takes exactly one pain point, got {len(painpoints)}")
    if kind == "merge" and len(painpoints) < 2:
        raise WorkbenchError("a merge takes two or more pain points")
    if kind in ("rename", "split") and not (label and label.strip()):
        raise WorkbenchError(f"a {kind} edit needs a label")
    if kind in ("split", "move") and not passage_ids:
        raise WorkbenchError(f"a {kind} edit needs the passage ids that move")
    unknown = [p for p in painpoints if p != OTHER and p not in set(membership)]
    if unknown:
        raise WorkbenchError(f"no pain point {', '.join(unknown)} in the current results; reload them and retry")
    payload = {
        "painpoints": [{"key": p, "members": members_of(membership, p)} for p in painpoints],
        "label": label.strip() if label else None,
        "passage_ids": sorted(passage_ids or []),
    }
    return store.add_edit(study, kind, payload, author=author)


def replay_edits(membership: pd.Series, labels: dict[str, str], edits: list[StoredEdit]) -> Curated:
    """Apply stored edits, oldest first, to a fresh fit.

    Example:
        >>> from workbench.storage.store import StoredEdit
        >>> fit = pd.Series({"a": "t5", "b": "t5", "c": "t7", "d": "t7"})
        >>> edit = StoredEdit(1, "merge", {"painpoints": [{"key": "PP01", "members": ["a", "b"]},
        ...     {"key": "PP02", "members": ["c", "d"]}], "label": "Money", "passage_ids": []}, None, None)
        >>> curated = replay_edits(fit, {"t5": "Refunds", "t7": "Fees"}, [edit])
        >>> curated.membership.tolist(), curated.labels
        (['t5', 't5', 't5', 't5'], {'t5': 'Money'})
    """
    result = Curated(membership.copy(), dict(labels))
    for edit in edits:
        targets = []
        for reference in edit.payload.get("painpoints", []):
            if reference["key"] == OTHER:
                targets.append(OTHER)
                continue
            key, overlap = find_painpoint(result.membership, reference["members"])
            if key is None:
                result.unmatched.append(
                    f"edit {edit.edit_id} ({edit.kind}): pain point once known as {reference['key']} "
                    f"not found in this fit (best overlap {overlap:.0%}); re-apply it by hand"
                )
                break
            targets.append(key)
        else:
            result.applied.append(_apply(result, edit, targets))
    return result


def _apply(result: Curated, edit: StoredEdit, targets: list[str]) -> str:
    label = edit.payload.get("label")
    present = [p for p in edit.payload.get("passage_ids", []) if p in result.membership.index]
    if edit.kind == "rename":
        result.labels[targets[0]] = label
        return f"edit {edit.edit_id}: renamed {targets[0]} to {label!r}"
    if edit.kind == "merge":
        keep, *others = targets
        for other in others:
            result.membership[result.membership == other] = keep
            result.labels.pop(other, None)
        if label:
            result.labels[keep] = label
        return f"edit {edit.edit_id}: merged {', '.join(others)} into {keep}"
    if edit.kind == "split":
        new_key = f"e{edit.edit_id}"
        moving = [p for p in present if result.membership[p] == targets[0]]
        result.membership[moving] = new_key
        result.labels[new_key] = label
        return f"edit {edit.edit_id}: split {len(moving)} passages of {targets[0]} into {label!r}"
    result.membership[present] = targets[0]  # move
    return f"edit {edit.edit_id}: moved {len(present)} passages to {targets[0]}"
