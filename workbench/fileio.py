"""Atomic writes: a crash or a kill never leaves half a result file.

Each writer writes to a temporary file in the same folder, flushes it to disk,
then renames it over the target (``os.replace`` is atomic on one file system).
"""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd


def atomic_write(path: Path, write: Callable[[Path], None], mode: int | None = None) -> Path:
    """Call ``write(tmp_path)`` and move the result to ``path`` in one step.

    Args:
        path: the final file.
        write: a function that writes the whole file at the path it is given.
        mode: file permissions to set before the rename (e.g. ``0o600`` for private files).

    Example:
        >>> target = Path(tempfile.mkdtemp()) / "hello.txt"
        >>> _ = atomic_write(target, lambda tmp: tmp.write_text("hi"))
        >>> target.read_text()
        'hi'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    tmp_path = Path(tmp_name)
    try:
        write(tmp_path)
        with open(tmp_path, "rb") as written:
            os.fsync(written.fileno())
        if mode is not None:
            os.chmod(tmp_path, mode)
        os.replace(tmp_path, path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return path


def write_json_atomic(path: Path, data: Any, mode: int | None = None) -> Path:
    """Write ``data`` as indented UTF-8 JSON, atomically.

    Example:
        >>> target = Path(tempfile.mkdtemp()) / "report.json"
        >>> _ = write_json_atomic(target, {"segments": 3})
        >>> json.loads(target.read_text())["segments"]
        3
    """
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    return atomic_write(path, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"), mode=mode)


def write_parquet_atomic(path: Path, frame: pd.DataFrame) -> Path:
    """Write a DataFrame as Parquet, atomically.

    Example:
        >>> target = Path(tempfile.mkdtemp()) / "t.parquet"
        >>> _ = write_parquet_atomic(target, pd.DataFrame({"a": [1, 2]}))
        >>> pd.read_parquet(target)["a"].tolist()
        [1, 2]
    """
    return atomic_write(path, lambda tmp: frame.to_parquet(tmp, index=False))
