"""Reading the cells of saved tables: missing values, lists, JSON text and mappings, whatever the writer stored.

A Parquet cell may hold ``None``, ``NaN``, ``pd.NA``, a NumPy array, a list, a JSON string or a
dict; the report's sections read every cell through these helpers so each shape gives the same
plain Python value.

Example:
    >>> _as_list('["a", "b"]'), _value({"x": float("nan")}, "x", 0), _text(0.25)
    (['a', 'b'], 0, '25%')
"""
from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd


def _value(row: Mapping[str, Any], name: str, default: Any = None) -> Any:
    value = row.get(name, default)
    if value is None:
        return default
    if isinstance(value, float) and math.isnan(value):
        return default
    try:
        if value is pd.NA or value is pd.NaT:
            return default
    except TypeError:  # pragma: no cover
        pass
    return value


def _as_list(value: Any) -> list[Any]:
    """A list from a list, array, tuple, JSON text or scalar (None/NaN: empty)."""
    if value is None:
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith(("[", "{")):
            try:
                return _as_list(json.loads(stripped))
            except ValueError:
                pass
        return [value] if stripped else []
    if isinstance(value, Mapping):
        return [value]
    if hasattr(value, "tolist") and not isinstance(value, (int, float)):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [v for v in value if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if isinstance(value, float) and math.isnan(value):
        return []
    return [value]


def _as_mapping(value: Any) -> dict[str, Any]:
    """A dict from a dict, JSON text, or a list of (key, value) pairs / {key, value} records."""
    if value is None:
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items() if v is not None}
    items = _as_list(value)
    result: dict[str, Any] = {}
    for item in items:
        if isinstance(item, Mapping) and "key" in item:
            result[str(item["key"])] = item.get("value")
        elif isinstance(item, (list, tuple)) and len(item) == 2:
            result[str(item[0])] = item[1]
    return result


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist") and not isinstance(value, str):
        return ", ".join(_text(v) for v in _as_list(value))
    if isinstance(value, float):
        return f"{value:.0%}" if 0 < value < 1 else f"{value:g}"
    return str(value)


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number
