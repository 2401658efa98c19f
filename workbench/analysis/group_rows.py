"""Each group's rows, found with one sort: the bookkeeping under every per-group step.

``np.flatnonzero(keys == key)`` for each of 400 groups of a million units compares 400 million
strings; one stable argsort of the keys gives every group's rows (ascending, as
``flatnonzero`` gives them) in one pass.

Example:
    >>> {key: rows.tolist() for key, rows in rows_by_key(np.array(["b", "a", "b", "c"], dtype=object)).items()}
    {'a': [1], 'b': [0, 2], 'c': [3]}
"""
from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["rows_by_key"]


def rows_by_key(keys: np.ndarray) -> dict[Any, np.ndarray]:
    """Each distinct key's row positions in ``keys`` (ascending), keys in sorted order.

    Example:
        >>> rows_by_key(np.array([2, 1, 2]))[2].tolist()
        [0, 2]
    """
    keys = np.asarray(keys)
    if not len(keys):
        return {}
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    ends = np.r_[starts[1:], len(keys)]
    return {sorted_keys[start]: order[start:end] for start, end in zip(starts, ends)}
