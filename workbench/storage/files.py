"""Atomic writes: a crash or a kill never leaves half a result file, nor half a result set.

Each writer writes to a temporary file in the same folder, flushes it to disk,
then renames it over the target (``os.replace`` is atomic on one file system).
A whole analysis is staged and committed as one set (:func:`results_transaction`,
:func:`commit_results`, :func:`recover_results`). Every CSV/XLSX cell the workbench
writes goes through :func:`escape_spreadsheet_cell` (formula injection).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

try:  # POSIX: lets one analysis at a time write a results folder
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock, the rest still holds
    fcntl = None  # type: ignore[assignment]

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


# --------------------------------------------------------------------------- result sets
#
# One analysis writes a dozen files that only make sense together (the manifest describes the
# tables). Each file alone is written atomically, but a kill between two files would leave new
# tables beside an old manifest. So a run writes its whole result set into ``<results>/.staging``
# and then *commits* it: a journal (``.commit.json``) listing the staged files is written first,
# the old manifest is removed, the files are moved in with ``os.replace`` and the new manifest
# comes last. A kill before the journal exists leaves the previous results untouched; a kill
# after it is rolled forward by :func:`recover_results` (run at the start of every analysis).

#: folder (inside the results folder) where a run writes its result set before committing it
STAGING_DIR = ".staging"
#: journal naming the staged files while they are being moved in (its presence = commit under way)
COMMIT_JOURNAL = ".commit.json"
#: lock file held (``flock``) by the run writing a results folder
RESULTS_LOCK = ".analysis.lock"
#: environment variable read by :func:`kill_point` (tests only)
KILL_ENV = "WORKBENCH_TEST_KILL_AT"

#: names ``atomic_write`` gives its temporary files: ``.<target name>.<random>.tmp``
_TEMP_NAME = re.compile(r"^\..+\.[A-Za-z0-9_]{6,12}\.tmp$")


def kill_point(stage: str) -> None:
    """TEST-ONLY hook: kill this process at once when ``WORKBENCH_TEST_KILL_AT`` equals ``stage``.

    ``tests/test_crash_safety.py`` uses it to kill ``workbench analyze`` at named points
    (``ingest``, ``analysis``, ``tables``, ``staged``, ``commit``, ``committed``) and checks
    that no result is lost. It costs one dictionary look-up when the variable is unset; never
    set it outside tests. The kill is SIGKILL (no ``finally`` block or ``atexit`` runs), like
    a power cut or the kernel's out-of-memory killer.

    Example:
        >>> kill_point("ingest")  # WORKBENCH_TEST_KILL_AT is not set: nothing happens
    """
    if os.environ.get(KILL_ENV) != stage:
        return
    if hasattr(signal, "SIGKILL"):
        os.kill(os.getpid(), signal.SIGKILL)
    os._exit(137)  # pragma: no cover - platforms without SIGKILL


def _fsync_folder(folder: Path) -> None:
    """Make renames in ``folder`` durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def remove_stray_temp_files(folder: Path) -> list[str]:
    """Delete the temporary files a killed :func:`atomic_write` left in ``folder``; return their names.

    Only names of the form ``.<name>.<random>.tmp`` are touched. Call it while holding the
    folder's lock (:func:`results_transaction` does), so no live writer loses its file.

    Example:
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / ".segments.parquet.k2j4h1x9.tmp").write_bytes(b"half")
        >>> _ = (folder / "segments.parquet").write_bytes(b"whole")
        >>> remove_stray_temp_files(folder), sorted(p.name for p in folder.iterdir())
        (['.segments.parquet.k2j4h1x9.tmp'], ['segments.parquet'])
    """
    removed = []
    folder = Path(folder)
    if not folder.is_dir():
        return removed
    for path in sorted(folder.iterdir()):
        if _TEMP_NAME.match(path.name) and path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path.name)
    return removed


def recover_results(out_dir: Path) -> str | None:
    """Finish or undo what a killed run left in a results folder; say what was done (None: nothing).

    * a commit journal: the run had written its complete result set and was moving it in;
      the move is finished (roll forward), so the folder holds the new, complete results;
    * a staging folder without a journal: the run died before its results were complete;
      the staging folder is deleted and the previous results stay as they were;
    * temporary files of interrupted atomic writes are deleted (also in ``cache/``).

    Safe to call from any reader before it loads results: while a live run holds the folder's
    lock it does nothing (returns None), as that run will finish its own commit.

    Example:
        >>> folder = Path(tempfile.mkdtemp())
        >>> (folder / STAGING_DIR).mkdir()
        >>> _ = (folder / STAGING_DIR / "segments.parquet").write_bytes(b"half a run")
        >>> recover_results(folder)
        'removed the unfinished results of an interrupted run'
        >>> (folder / STAGING_DIR).exists()
        False
    """
    out_dir = Path(out_dir)
    if not out_dir.is_dir() or not _needs_recovery(out_dir):
        return None  # the common case: readers of a clean (maybe read-only) folder never take the lock
    try:
        with _folder_lock(out_dir) as locked:
            return _recover(out_dir) if locked else None
    except PermissionError:
        return None  # a read-only copy (a published bundle): nothing we may change


def _needs_recovery(out_dir: Path) -> bool:
    """Whether a killed run left anything behind: a journal, a staging folder or temp files."""
    if (out_dir / COMMIT_JOURNAL).exists() or (out_dir / STAGING_DIR).exists():
        return True
    return any(_TEMP_NAME.match(path.name) for folder in (out_dir, out_dir / "cache") if folder.is_dir()
               for path in folder.iterdir())


def _recover(out_dir: Path) -> str | None:
    """:func:`recover_results` for a caller that holds the folder's lock."""
    staging = out_dir / STAGING_DIR
    journal = out_dir / COMMIT_JOURNAL
    done: str | None = None
    if journal.is_file():
        try:
            names = [str(n) for n in json.loads(journal.read_text(encoding="utf-8"))["files"]]
        except (OSError, ValueError, KeyError, TypeError):
            names = None  # written atomically, so unreadable means tampered with: do not guess
        if names is not None:
            _move_in(out_dir, staging, names)
            done = "finished moving in the results of an interrupted run"
        journal.unlink(missing_ok=True)
    if staging.exists():
        shutil.rmtree(staging, ignore_errors=True)
        done = done or "removed the unfinished results of an interrupted run"
    remove_stray_temp_files(out_dir)
    remove_stray_temp_files(out_dir / "cache")
    return done


def _move_in(out_dir: Path, staging: Path, names: list[str]) -> None:
    """Move the staged files into ``out_dir``, in order (the manifest is the last name)."""
    for position, name in enumerate(names):
        if Path(name).name != name or name in ("", ".", ".."):
            raise ValueError(f"{out_dir / COMMIT_JOURNAL}: unsafe file name {name!r} in the commit journal")
        source = staging / name
        if source.is_file():
            os.replace(source, out_dir / name)
        if position == 0:
            kill_point("commit")  # tests: die with part of the set moved in
    _fsync_folder(out_dir)


def commit_results(out_dir: Path, staging: Path, last: str = "manifest.json") -> list[str]:
    """Move a complete result set from ``staging`` into ``out_dir``; ``last`` (the manifest) goes in last.

    Returns the names moved in. Files of ``out_dir`` that the set does not hold (the store, the
    embedding cache) are left alone. See the comment above :data:`STAGING_DIR` for why this is safe.

    Example:
        >>> out = Path(tempfile.mkdtemp())
        >>> staging = out / STAGING_DIR
        >>> _ = write_json_atomic(staging / "table.json", [1, 2])
        >>> _ = write_json_atomic(staging / "manifest.json", {"files": 1})
        >>> commit_results(out, staging)
        ['table.json', 'manifest.json']
        >>> sorted(p.name for p in out.iterdir())
        ['manifest.json', 'table.json']
    """
    out_dir, staging = Path(out_dir), Path(staging)
    names = sorted(p.name for p in staging.iterdir() if p.is_file() and p.name != last and not _TEMP_NAME.match(p.name))
    if (staging / last).is_file():
        names.append(last)
    _fsync_folder(staging)
    write_json_atomic(out_dir / COMMIT_JOURNAL, {"files": names})
    # from here on the new set wins: a reader must not pair the old manifest with new tables
    (out_dir / last).unlink(missing_ok=True)
    _move_in(out_dir, staging, names)
    kill_point("committed")
    (out_dir / COMMIT_JOURNAL).unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)
    return names


@contextmanager
def results_transaction(out_dir: Path) -> Iterator[Path]:
    """Lock ``out_dir``, repair what a killed run left there, and yield a fresh staging folder.

    Write the whole result set into the staging folder and call :func:`commit_results` before
    leaving the block. If the block raises, the staging folder is deleted and the previous
    results stay as they were.

    Raises:
        WorkbenchError: another process is writing results to the same folder.

    Example:
        >>> out = Path(tempfile.mkdtemp())
        >>> with results_transaction(out) as staging:
        ...     _ = write_json_atomic(staging / "manifest.json", {"ok": True})
        ...     _ = commit_results(out, staging)
        >>> json.loads((out / "manifest.json").read_text())
        {'ok': True}
    """
    from workbench.errors import WorkbenchError

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with _folder_lock(out_dir) as locked:
        if not locked:
            raise WorkbenchError(
                f"{out_dir}: another analysis is writing results to this folder; wait for it to finish "
                "(or pass a different --out folder)"
            )
        _recover(out_dir)
        staging = out_dir / STAGING_DIR
        staging.mkdir()
        try:
            yield staging
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


@contextmanager
def _folder_lock(out_dir: Path) -> Iterator[bool]:
    """Try to take the results folder's lock without waiting; yield whether it was taken.

    An ``flock`` on ``.analysis.lock``: the kernel releases it when the holder exits or is
    killed, so a crashed run never leaves the folder locked. Without ``fcntl`` (Windows) the
    lock is always "taken".
    """
    with open(out_dir / RESULTS_LOCK, "a+b") as lock:
        if fcntl is not None:
            try:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                yield False
                return
        yield True


# --------------------------------------------------------------------------- spreadsheets

#: first characters that make Excel, LibreOffice or Google Sheets read a cell as a formula
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def escape_spreadsheet_cell(value: Any) -> Any:
    """Neutralise a text cell that a spreadsheet would run as a formula (CSV/formula injection).

    A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    single quote, which spreadsheets show as text and never evaluate (OWASP's advice). Other
    values (numbers, None, ordinary text) come back unchanged. Use it on every cell of every
    CSV/XLSX the workbench writes: quotes and feedback are written by customers.

    Example:
        >>> [escape_spreadsheet_cell(v) for v in ["=HYPERLINK(\\"http://x\\")", "-2+3", "@SUM(A1)", "ok", 5, None]]
        ['\\'=HYPERLINK("http://x")', "'-2+3", "'@SUM(A1)", 'ok', 5, None]
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def escape_spreadsheet_row(values: Iterable[Any]) -> list[Any]:
    """:func:`escape_spreadsheet_cell` applied to each cell of a row.

    Example:
        >>> escape_spreadsheet_row(["PP01", "+44 20 7946 0958", 3])
        ['PP01', "'+44 20 7946 0958", 3]
    """
    return [escape_spreadsheet_cell(value) for value in values]


def escape_spreadsheet_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and column name) escaped, ready for ``to_csv``/``to_excel``.

    Example:
        >>> escape_spreadsheet_frame(pd.DataFrame({"quote": ["=1+1", "fine"], "n": [1, 2]}))["quote"].tolist()
        ["'=1+1", 'fine']
    """
    escaped = frame.copy()
    escaped.columns = [escape_spreadsheet_cell(str(c)) for c in frame.columns]
    for position in range(escaped.shape[1]):
        column = escaped.iloc[:, position]
        if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            escaped.isetitem(position, column.map(escape_spreadsheet_cell, na_action="ignore").astype(column.dtype))
    return escaped
