"""The study steps wired together: ingest, then analysis (personas and the journey come later).

A thin conductor (DESIGN.md §6): it knows where files live and calls the steps.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.config import load_study_config
from workbench.fileio import write_json_atomic, write_parquet_atomic
from workbench.ingest.report import IngestReport
from workbench.ingest.study import read_study

SEGMENTS_FILE = "segments.parquet"
PARTICIPANTS_FILE = "participants.parquet"
INGEST_REPORT_FILE = "ingest_report.json"
PSEUDONYMS_FILE = "pseudonyms.json"  # real names: owner-only permissions, never shared


@dataclass
class IngestResult:
    """What ``run_ingest`` wrote and read.

    Example:
        >>> IngestResult(Path("out"), pd.DataFrame(), pd.DataFrame(), IngestReport("s"), 0.1).out_dir.name
        'out'
    """

    out_dir: Path
    segments: pd.DataFrame
    participants: pd.DataFrame
    report: IngestReport
    seconds: float


def run_ingest(study_dir: Path | str, out_dir: Path | str) -> IngestResult:
    """Read a study and save ``segments.parquet``, ``participants.parquet``, ``ingest_report.json``.

    The pseudonym map (real name -> P07) is saved as ``pseudonyms.json`` readable
    by its owner only. Every file is written atomically.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> (folder / "feedback").mkdir()
        >>> _ = (folder / "feedback" / "reviews.csv").write_text("id,review\\n1,The app logged me out twice\\n")
        >>> result = run_ingest(folder, folder / ".workbench")
        >>> sorted(p.name for p in result.out_dir.iterdir())
        ['ingest_report.json', 'participants.parquet', 'pseudonyms.json', 'segments.parquet']
    """
    started = time.perf_counter()
    study = read_study(Path(study_dir))
    out_dir = Path(out_dir)
    seconds = time.perf_counter() - started
    study.report.notes.append(f"read in {seconds:.2f} s")
    write_parquet_atomic(out_dir / SEGMENTS_FILE, study.segments)
    write_parquet_atomic(out_dir / PARTICIPANTS_FILE, study.participants)
    write_json_atomic(out_dir / PSEUDONYMS_FILE, study.pseudonyms, mode=0o600)
    study.report.save(out_dir / INGEST_REPORT_FILE)
    return IngestResult(out_dir, study.segments, study.participants, study.report, seconds)


PAINPOINTS_FILE = "painpoints.parquet"
ASSIGNMENTS_FILE = "assignments.parquet"
PASSAGES_FILE = "passages.parquet"
PERSONAS_FILE = "personas.parquet"
JOURNEY_FILE = "journey.parquet"
MANIFEST_FILE = "manifest.json"
STORE_FILE = "store.sqlite"
CACHE_FILE = "cache/embeddings.sqlite"


@dataclass
class AnalyzeResult:
    """What ``run_analyze`` wrote.

    Example:
        >>> AnalyzeResult(Path("out"), None, None, {}).manifest
        {}
    """

    out_dir: Path
    ingest: IngestResult | None
    analysis: Any
    manifest: dict[str, Any]


def store_url(out_dir: Path) -> str:
    """The store of a study: ``WORKBENCH_STORE`` when set, else a SQLite file in the results folder.

    Example:
        >>> store_url(Path("/tmp/results")).startswith(("sqlite:///", "postgresql"))
        True
    """
    from workbench.store import sqlite_url

    return os.environ.get("WORKBENCH_STORE") or sqlite_url(Path(out_dir) / STORE_FILE)


def study_key(study_dir: Path) -> str:
    """The name a study's shared state is filed under in the store (the folder name).

    Example:
        >>> study_key(Path("/data/interview_data"))
        'interview_data'
    """
    return Path(study_dir).resolve().name


def run_analyze(
    study_dir: Path | str,
    out_dir: Path | str,
    embedder: str = "minilm",
    seed: int | None = None,
    progress: bool | None = None,
) -> AnalyzeResult:
    """Ingest a study, find its pain points, and save every table with a manifest.

    Writes ``segments.parquet``, ``participants.parquet``, ``passages.parquet``,
    ``painpoints.parquet``, ``assignments.parquet``, ``personas.parquet``,
    ``journey.parquet``, ``ingest_report.json`` and, last,
    ``manifest.json`` (so a manifest always describes complete results).

    Example:
        >>> result = run_analyze("interview_data", "interview_data/.workbench", embedder="static")  # doctest: +SKIP
        >>> result.manifest["counts"]["painpoints"]  # doctest: +SKIP
        11
    """
    from workbench.analysis import analyze_segments
    from workbench.manifest import build_manifest
    from workbench.personas import build_personas_and_journey
    from workbench.store import Store

    study_dir, out_dir = Path(study_dir), Path(out_dir)
    started = time.perf_counter()
    ingest_result = run_ingest(study_dir, out_dir)
    if ingest_result.segments.empty:
        from workbench.errors import StudyError

        raise StudyError(f"nothing readable in {study_dir}; see {out_dir / INGEST_REPORT_FILE}")
    config = load_study_config(study_dir)
    seed = int(config.analysis.get("seed", 42)) if seed is None else seed
    store = Store(store_url(out_dir))
    analysis = analyze_segments(
        ingest_result.segments,
        embedder=embedder,
        seed=seed,
        cache_path=out_dir / CACHE_FILE,
        edits=store.edits(study_key(study_dir)),
        lens_overrides=config.analysis.get("lenses"),
        progress=progress,
    )
    write_parquet_atomic(out_dir / PASSAGES_FILE, analysis.passages)
    write_parquet_atomic(out_dir / PAINPOINTS_FILE, analysis.painpoints)
    write_parquet_atomic(out_dir / ASSIGNMENTS_FILE, analysis.assignments)
    clock = time.perf_counter()
    personas, journey, persona_info = build_personas_and_journey(
        out_dir, n_personas=config.analysis.get("n_personas"), random_state=seed
    )
    write_parquet_atomic(out_dir / PERSONAS_FILE, personas)
    write_parquet_atomic(out_dir / JOURNEY_FILE, journey)
    analysis.info["personas"] = persona_info
    analysis.info["timings_s"]["personas_and_journey"] = round(time.perf_counter() - clock, 3)
    analysis.info["timings_s"]["ingest"] = round(ingest_result.seconds, 3)
    analysis.info["timings_s"]["total"] = round(time.perf_counter() - started, 3)
    manifest = build_manifest(
        study_dir=study_dir,
        input_files=[study_dir / f.source_id for f in ingest_result.report.files],
        options={"embedder": embedder, "seed": seed},
        info=analysis.info,
        counts={
            "segments": len(ingest_result.segments),
            "passages": len(analysis.passages),
            "painpoints": analysis.info["n_painpoints"],
            "personas": len(personas),
        },
    )
    write_json_atomic(out_dir / MANIFEST_FILE, manifest)
    return AnalyzeResult(out_dir, ingest_result, analysis, manifest)
