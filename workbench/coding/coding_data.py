"""The saved results the coding tools read: passages and segments (redacted text only) and the analysis' tables.

:func:`load_coding_data` reads a results folder into :class:`CodingData`; the segments are
read without the unredacted ``text`` (:data:`CODING_SEGMENT_COLUMNS`). :func:`as_list` reads a
list cell of such a table (keywords, members, quotes) as a plain list.

Example:
    >>> "text" in CODING_SEGMENT_COLUMNS, "text_redacted" in CODING_SEGMENT_COLUMNS
    (False, True)
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.errors import WorkbenchError
from workbench.schema import is_missing

#: segment columns the coding tools read: never the unredacted ``text``
CODING_SEGMENT_COLUMNS = (
    "segment_id", "source_id", "source_kind", "participant_id", "speaker", "role", "turn", "start_s", "end_s",
    "text_redacted", "channel", "item_id", "rating", "date",
)


@dataclass
class CodingData:
    """The saved results the coding tools read (redacted text only).

    Example:
        >>> CodingData(Path("r"), pd.DataFrame(), pd.DataFrame()).painpoints is None
        True
    """

    results_dir: Path
    passages: pd.DataFrame
    segments: pd.DataFrame
    painpoints: pd.DataFrame | None = None
    assignments: pd.DataFrame | None = None
    participants: pd.DataFrame | None = None
    personas: pd.DataFrame | None = None


def load_coding_data(results_dir: Path | str) -> CodingData:
    """Read the passages and segments (required) and the analysis tables (when present) of a results folder.

    Raises:
        WorkbenchError: the folder, its passages or segments are missing.

    Example:
        >>> import tempfile
        >>> load_coding_data(Path(tempfile.mkdtemp()) / "nowhere")
        Traceback (most recent call last):
        ...
        workbench.errors.WorkbenchError: .../nowhere: no such results folder; run `workbench analyze STUDY` first (or pass --results)
    """
    folder = Path(results_dir)
    if not folder.is_dir():
        raise WorkbenchError(f"{folder}: no such results folder; run `workbench analyze STUDY` first (or pass --results)")
    tables: dict[str, pd.DataFrame | None] = {}
    for name in ("passages", "segments", "painpoints", "assignments", "participants", "personas"):
        path = folder / f"{name}.parquet"
        if not path.is_file():
            if name in ("passages", "segments"):
                raise WorkbenchError(f"{path}: missing; run `workbench analyze STUDY` first")
            tables[name] = None
            continue
        try:
            if name == "segments":
                available = _parquet_columns(path)
                tables[name] = pd.read_parquet(path, columns=[c for c in CODING_SEGMENT_COLUMNS if c in available])
            else:
                tables[name] = pd.read_parquet(path)
        except Exception as error:  # noqa: BLE001 - pyarrow raises many types for a broken file
            raise WorkbenchError(f"{path}: not a readable Parquet file ({type(error).__name__}); run `workbench analyze STUDY` again") from error
    return CodingData(folder, tables.pop("passages"), tables.pop("segments"), **tables)  # type: ignore[arg-type]


def _parquet_columns(path: Path) -> list[str]:
    import pyarrow.parquet as pq

    return list(pq.read_schema(path).names)


def as_list(value: Any) -> list[Any]:
    """A list cell of a saved table as a list, without missing values (a string is one item, None none).

    Example:
        >>> as_list(None), as_list("refund"), as_list(["refund", None, "weeks"]), as_list(float("nan"))
        ([], ['refund'], ['refund', 'weeks'], [])
    """
    if value is None or isinstance(value, str):
        return [] if value is None or value == "" else [value]
    try:
        return [v for v in list(value) if not is_missing(v)]
    except TypeError:
        return [] if is_missing(value) else [value]
