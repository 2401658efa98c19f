"""The results the workshop serves: which files the app reads, whether they are current, and
re-analysing the study when they are not.

Results are stale when the manifest's input hashes differ from the study's files now (a
transcript edited, added or removed, ``study.toml`` changed); a re-analysis keeps the embedder
and seed the previous results were made with.

Example:
    >>> "painpoints.parquet" in APP_RESULT_FILES
    True
"""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError

#: results tables the app reads; each is copied to a published bundle through
#: :func:`workbench.workshop.bundle.redact_for_bundle`
APP_RESULT_FILES = (
    "painpoints.parquet",
    "personas.parquet",
    "journey.parquet",
    "passages.parquet",
    "assignments.parquet",
    "participants.parquet",
    "manifest.json",
)


def results_problems(study_dir: Path | str, results_dir: Path | str) -> list[str]:
    """Why the saved results cannot be served as they are (empty: they are complete and current).

    Results are stale when the manifest's input hashes differ from the study's files now
    (a transcript edited, added or removed, ``study.toml`` changed).

    Example:
        >>> import tempfile
        >>> results_problems(tempfile.mkdtemp(), Path(tempfile.mkdtemp()) / "nowhere")
        ['no results yet']
    """
    from workbench.manifest import changed_inputs, current_input_hashes

    from workbench.storage.files import recover_results

    results_dir = Path(results_dir)
    recover_results(results_dir)  # a run killed mid-commit: finish or undo it before judging
    manifest_path = results_dir / "manifest.json"
    if not manifest_path.is_file():
        return ["no results yet"]
    missing = [name for name in APP_RESULT_FILES if not (results_dir / name).is_file()]
    if missing:
        return [f"{name} missing" for name in missing]
    try:
        recorded = json.loads(manifest_path.read_text(encoding="utf-8")).get("inputs", {})
    except (OSError, ValueError):
        return ["manifest.json unreadable"]
    try:
        current = current_input_hashes(Path(study_dir))
    except WorkbenchError as error:
        return [str(error)]
    return changed_inputs(recorded, current)


def ensure_results(
    study_dir: Path | str,
    results_dir: Path | str,
    echo: Callable[[str], Any] = print,
    progress: bool | None = None,
) -> bool:
    """Make sure ``results_dir`` holds current results of ``study_dir``; analyse when it does not.

    A re-analysis keeps the embedder and seed the previous results were made with.
    Returns True when the study was (re-)analysed.

    Raises:
        StudyError: the study folder does not exist or cannot be analysed.

    Example:
        >>> ensure_results("no/such/study", "no/such/study/.workbench")
        Traceback (most recent call last):
        ...
        workbench.errors.StudyError: no such study folder: no/such/study; pass the folder that holds your transcripts/ and feedback/
    """
    from workbench.errors import StudyError

    study_dir, results_dir = Path(study_dir), Path(results_dir)
    if not study_dir.is_dir():
        raise StudyError(f"no such study folder: {study_dir}; pass the folder that holds your transcripts/ and feedback/")
    problems = results_problems(study_dir, results_dir)
    if not problems:
        return False
    options: dict[str, Any] = {}
    if (results_dir / "manifest.json").is_file():
        try:
            options = json.loads((results_dir / "manifest.json").read_text(encoding="utf-8")).get("options", {})
        except (OSError, ValueError):
            options = {}
    shown = ", ".join(problems[:3]) + (f" and {len(problems) - 3} more" if len(problems) > 3 else "")
    echo(f"Analysing {study_dir} first ({shown}); this takes a minute or two.")
    from workbench.study import run_analyze

    embedder = str(options.get("embedder") or "minilm")
    if embedder.startswith("static"):
        embedder = "static"
    result = run_analyze(study_dir, results_dir, embedder=embedder, seed=options.get("seed"), progress=progress)
    echo(f"{result.manifest['counts']['painpoints']} pain points saved to {results_dir}")
    return True



def main(argv: list[str] | None = None) -> int:
    """``python -m workbench.workshop.freshness STUDY RESULTS``: :func:`ensure_results` in a process of its
    own (``workbench workshop`` runs it so the models leave memory afterwards); an error is one line on stderr.

    Example:
        >>> main(["no/such/study", "no/such/study/.workbench"])
        2
    """
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m workbench.workshop.freshness STUDY_DIR RESULTS_DIR", file=sys.stderr)
        return 2
    try:
        ensure_results(args[0], args[1], echo=lambda line: print(line, flush=True), progress=False)
    except WorkbenchError as error:
        print(str(error), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
