"""The study steps wired together: ingest, then analysis (personas and the journey come later).

A thin conductor (DESIGN.md §6): it knows where files live and calls the steps.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.config import load_study_config
from workbench.fileio import commit_results, kill_point, results_transaction, write_json_atomic, write_parquet_atomic
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
STABILITY_FILE = "stability.parquet"
STABILITY_RUNS_FILE = "stability_runs.parquet"
SATURATION_FILE = "saturation.parquet"
IMPACT_FILE = "impact.parquet"
#: rerun memberships of the stability check, one ``stability-KEY.npz`` per key (workbench.stability)
STABILITY_CACHE_DIR = "cache/stability"
MANIFEST_FILE = "manifest.json"
STORE_FILE = "store.sqlite"
CACHE_FILE = "cache/embeddings.sqlite"
#: the ingest report of a run that found nothing readable, kept beside earlier results
FAILED_INGEST_REPORT_FILE = "ingest_report.failed.json"


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


def _keep_failed_ingest_report(staging: Path, out_dir: Path) -> Path:
    """Keep the ingest report of a run that found nothing readable, without touching earlier results.

    Example:
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp()); (out / ".staging").mkdir()
        >>> _ = (out / ".staging" / INGEST_REPORT_FILE).write_text("{}")
        >>> _keep_failed_ingest_report(out / ".staging", out).name
        'ingest_report.json'
    """
    # with earlier results in place, their own ingest_report.json must stay as their manifest says
    name = FAILED_INGEST_REPORT_FILE if (out_dir / MANIFEST_FILE).exists() else INGEST_REPORT_FILE
    os.replace(staging / INGEST_REPORT_FILE, out_dir / name)
    return out_dir / name


def run_analyze(
    study_dir: Path | str,
    out_dir: Path | str,
    embedder: str = "minilm",
    seed: int | None = None,
    progress: bool | None = None,
    dask_scheduler: Any = None,
) -> AnalyzeResult:
    """Ingest a study, find its pain points, and save every table with a manifest.

    Writes ``segments.parquet``, ``participants.parquet``, ``passages.parquet``,
    ``painpoints.parquet``, ``assignments.parquet``, ``personas.parquet``,
    ``journey.parquet``, ``stability.parquet``, ``stability_runs.parquet``, ``saturation.parquet``,
    ``impact.parquet`` (the evidence of issue 9: :mod:`workbench.stability`,
    :mod:`workbench.saturation`, :mod:`workbench.impact`), ``ingest_report.json`` and, last,
    ``manifest.json`` (so a manifest always describes complete results; it records the
    SHA-256 of every table under ``outputs``). The set is written to ``out_dir/.staging``
    and committed in one step at the end (:func:`workbench.fileio.commit_results`): a run
    that fails or is killed leaves the previous results whole, and the next run tidies up.

    Example:
        >>> result = run_analyze("interview_data", "interview_data/.workbench", embedder="static")  # doctest: +SKIP
        >>> result.manifest["counts"]["painpoints"]  # doctest: +SKIP
        11
    """
    from workbench.analysis import analyze_segments
    from workbench.manifest import build_manifest, output_hashes
    from workbench.personas import build_personas_and_journey
    from workbench.store import Store

    study_dir, out_dir = Path(study_dir), Path(out_dir)
    started = time.perf_counter()
    # the whole result set goes to a staging folder and is committed at the end, manifest last,
    # so a crash or kill at any point leaves the previous results whole (see workbench/fileio.py)
    with results_transaction(out_dir) as staging:
        ingest_result = run_ingest(study_dir, staging)
        kill_point("ingest")
        if ingest_result.segments.empty:
            from workbench.errors import StudyError

            raise StudyError(f"nothing readable in {study_dir}; see {_keep_failed_ingest_report(staging, out_dir)}")
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
            dask_scheduler=dask_scheduler,
        )
        kill_point("analysis")
        write_parquet_atomic(staging / PASSAGES_FILE, analysis.passages)
        write_parquet_atomic(staging / PAINPOINTS_FILE, analysis.painpoints)
        write_parquet_atomic(staging / ASSIGNMENTS_FILE, analysis.assignments)
        clock = time.perf_counter()
        personas, journey, persona_info = build_personas_and_journey(
            staging, n_personas=config.analysis.get("n_personas"), random_state=seed
        )
        write_parquet_atomic(staging / PERSONAS_FILE, personas)
        write_parquet_atomic(staging / JOURNEY_FILE, journey)
        analysis.info["personas"] = persona_info
        analysis.info["timings_s"]["personas_and_journey"] = round(time.perf_counter() - clock, 3)
        analysis.info["evidence"] = _measure_evidence(
            staging, out_dir, study_dir, analysis, ingest_result, store, embedder, seed, config.analysis
        )
        kill_point("tables")
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
            outputs=output_hashes(staging),
        )
        write_json_atomic(staging / MANIFEST_FILE, manifest)
        kill_point("staged")
        commit_results(out_dir, staging, last=MANIFEST_FILE)
        (out_dir / FAILED_INGEST_REPORT_FILE).unlink(missing_ok=True)  # an older failure, now superseded
    ingest_result.out_dir = out_dir  # the staging folder it was written to is gone
    return AnalyzeResult(out_dir, ingest_result, analysis, manifest)


def _measure_evidence(
    staging: Path,
    out_dir: Path,
    study_dir: Path,
    analysis: Any,
    ingest_result: IngestResult,
    store: Any,
    embedder: str,
    seed: int,
    options: dict[str, Any],
) -> dict[str, Any]:
    """Stability, saturation and impact of the pain points (issue 9), written into ``staging``.

    Adds ``stability``/``stable``/``unstable`` and ``impact``/``impact_metric``/``impact_items``
    to ``painpoints.parquet`` and writes ``stability.parquet``, ``stability_runs.parquet``,
    ``saturation.parquet`` and ``impact.parquet``; returns ``info["evidence"]``. Options come
    from ``[analysis.stability]`` (``seeds``, ``resamples``) and ``[analysis.saturation]``
    (``min_units``) of study.toml.

    Example:
        >>> result = run_analyze("interview_data", "interview_data/.workbench", embedder="static")  # doctest: +SKIP
        >>> sorted(result.manifest["info"]["evidence"])  # doctest: +SKIP
        ['impact', 'saturation', 'stability']
    """
    import numpy as np

    from workbench.coding import code_assignments
    from workbench.embed import EmbeddingCache, embed_texts, get_embedder
    from workbench.impact import impact_columns, impact_summary, painpoint_impact
    from workbench.saturation import saturation_table
    from workbench.stability import measure_stability

    timings = analysis.info["timings_s"]
    painpoints, assignments, passages = analysis.painpoints, analysis.assignments, analysis.passages
    stability_options = options.get("stability") if isinstance(options.get("stability"), dict) else {}
    saturation_options = options.get("saturation") if isinstance(options.get("saturation"), dict) else {}

    clock = time.perf_counter()
    texts = passages["text"].astype(str).tolist()
    # the same vectors the main fit used, read back from the embedding cache it just filled
    vectors = embed_texts(texts, get_embedder(embedder), cache=EmbeddingCache(out_dir / CACHE_FILE), progress=False)
    model_options = {k: v for k, v in (analysis.info.get("model_params") or {}).items() if k != "random_state"}
    stability = measure_stability(
        texts, vectors, assignments["painpoint_id"].astype(str).tolist(),
        labels=dict(zip(painpoints["painpoint_id"].astype(str), painpoints["label"].astype(str))),
        seed=seed, n_seeds=_whole_number(stability_options, "seeds", 5, 0, study_dir, "stability"),
        n_resamples=_whole_number(stability_options, "resamples", 5, 0, study_dir, "stability"),
        model_options=model_options, cache_dir=out_dir / STABILITY_CACHE_DIR,
    )
    timings["stability"] = round(time.perf_counter() - clock, 3)

    clock = time.perf_counter()
    try:
        codes = code_assignments(store, study_key(study_dir))
    except Exception:  # noqa: BLE001 - a store without the coding tables: no codes yet
        codes = None
    saturation, saturation_info = saturation_table(
        passages, assignments, ingest_result.participants, codes=codes,
        min_units=_whole_number(saturation_options, "min_units", 1, 1, study_dir, "saturation"), seed=seed,
    )
    timings["saturation"] = round(time.perf_counter() - clock, 3)

    clock = time.perf_counter()
    report = json.loads((staging / INGEST_REPORT_FILE).read_text(encoding="utf-8"))
    impact = painpoint_impact(ingest_result.segments, assignments, painpoints, report)
    timings["impact"] = round(time.perf_counter() - clock, 3)

    by_id = stability.painpoints.set_index("painpoint_id")
    ids = painpoints["painpoint_id"].astype(str)
    painpoints = painpoints.copy()
    painpoints["stability"] = [float(by_id.loc[p, "stability"]) if p in by_id.index else np.nan for p in ids]
    painpoints["stable"] = [bool(by_id.loc[p, "stable"]) if p in by_id.index else False for p in ids]
    painpoints["unstable"] = [bool(by_id.loc[p, "unstable"]) if p in by_id.index else False for p in ids]
    painpoints = impact_columns(painpoints, impact)
    analysis.painpoints = painpoints
    write_parquet_atomic(staging / PAINPOINTS_FILE, painpoints)
    write_parquet_atomic(staging / STABILITY_FILE, stability.painpoints)
    write_parquet_atomic(staging / STABILITY_RUNS_FILE, stability.runs)
    write_parquet_atomic(staging / SATURATION_FILE, saturation)
    write_parquet_atomic(staging / IMPACT_FILE, impact)
    return {"stability": stability.info, "saturation": saturation_info, "impact": impact_summary(impact)}


def _whole_number(section: dict[str, Any], name: str, default: int, low: int, study_dir: Path, table: str) -> int:
    """An integer option of ``[analysis.TABLE]`` in study.toml, or a StudyError that says where and what to write.

    Example:
        >>> _whole_number({"seeds": 3}, "seeds", 5, 0, Path("s"), "stability"), _whole_number({}, "seeds", 5, 0, Path("s"), "stability")
        (3, 5)
        >>> _whole_number({"seeds": "many"}, "seeds", 5, 0, Path("s"), "stability")
        Traceback (most recent call last):
        ...
        workbench.errors.StudyError: s/study.toml: [analysis.stability] seeds must be a whole number of at least 0, not 'many'
    """
    value = section.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        from workbench.errors import StudyError

        raise StudyError(
            f"{Path(study_dir) / 'study.toml'}: [analysis.{table}] {name} must be a whole number of at least {low}, "
            f"not {value!r}"
        )
    return value
