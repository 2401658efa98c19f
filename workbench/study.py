"""The steps wired together: ``run_ingest`` and ``run_analyze`` for a study folder, ``run_cluster`` for one export.

A thin conductor (DESIGN.md §6): it knows where files live and calls the steps.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.config import load_study_config
from workbench.storage.files import commit_results, kill_point, results_transaction, write_json_atomic, write_parquet_atomic
from workbench.ingest.report import IngestReport
from workbench.ingest.study import read_study
from workbench.storage.locations import store_url, study_key

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
    cpu_seconds: float = 0.0


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
    started, cpu_started = time.perf_counter(), time.process_time()
    study = read_study(Path(study_dir))
    out_dir = Path(out_dir)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    study.report.notes.append(f"read in {seconds:.2f} s")
    write_parquet_atomic(out_dir / SEGMENTS_FILE, study.segments)
    write_parquet_atomic(out_dir / PARTICIPANTS_FILE, study.participants)
    write_json_atomic(out_dir / PSEUDONYMS_FILE, study.pseudonyms, mode=0o600)
    study.report.save(out_dir / INGEST_REPORT_FILE)
    return IngestResult(out_dir, study.segments, study.participants, study.report, seconds, cpu_seconds)


PAINPOINTS_FILE = "painpoints.parquet"
ASSIGNMENTS_FILE = "assignments.parquet"
PASSAGES_FILE = "passages.parquet"
PERSONAS_FILE = "personas.parquet"
JOURNEY_FILE = "journey.parquet"
STABILITY_FILE = "stability.parquet"
STABILITY_RUNS_FILE = "stability_runs.parquet"
SATURATION_FILE = "saturation.parquet"
IMPACT_FILE = "impact.parquet"
#: rerun memberships of the stability check, one ``stability-KEY.npz`` per key (workbench.rigour.stability)
STABILITY_CACHE_DIR = "cache/stability"
MANIFEST_FILE = "manifest.json"
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
    ``impact.parquet`` (the evidence of issue 9: :mod:`workbench.rigour.stability`,
    :mod:`workbench.rigour.saturation`, :mod:`workbench.rigour.impact`), ``ingest_report.json`` and, last,
    ``manifest.json`` (so a manifest always describes complete results; it records the
    SHA-256 of every table under ``outputs``). The set is written to ``out_dir/.staging``
    and committed in one step at the end (:func:`workbench.storage.files.commit_results`): a run
    that fails or is killed leaves the previous results whole, and the next run tidies up.

    Example:
        >>> result = run_analyze("interview_data", "interview_data/.workbench", embedder="static")  # doctest: +SKIP
        >>> result.manifest["counts"]["painpoints"]  # doctest: +SKIP
        11
    """
    from workbench.analysis.pipeline import analyze_segments
    from workbench.manifest import build_manifest, output_hashes
    from workbench.people.personas_and_journey import build_personas_and_journey
    from workbench.storage.store import Store

    study_dir, out_dir = Path(study_dir), Path(out_dir)
    started, cpu_started = time.perf_counter(), time.process_time()
    # the whole result set goes to a staging folder and is committed at the end, manifest last,
    # so a crash or kill at any point leaves the previous results whole (see workbench/storage/files.py)
    with results_transaction(out_dir) as staging, _EarlyReruns() as early:
        ingest_result = run_ingest(study_dir, staging)
        kill_point("ingest")
        if ingest_result.segments.empty:
            from workbench.errors import StudyError

            raise StudyError(f"nothing readable in {study_dir}; see {_keep_failed_ingest_report(staging, out_dir)}")
        config = load_study_config(study_dir)
        seed = int(config.analysis.get("seed", 42)) if seed is None else seed
        early.plan(study_dir, out_dir, config.analysis, seed)
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
            on_embedded=early.start,
        )
        kill_point("analysis")
        write_parquet_atomic(staging / PASSAGES_FILE, analysis.passages)
        write_parquet_atomic(staging / PAINPOINTS_FILE, analysis.painpoints)
        write_parquet_atomic(staging / ASSIGNMENTS_FILE, analysis.assignments)
        clock, cpu_clock = time.perf_counter(), time.process_time()
        personas, journey, persona_info = build_personas_and_journey(
            staging, n_personas=config.analysis.get("n_personas"), random_state=seed
        )
        write_parquet_atomic(staging / PERSONAS_FILE, personas)
        write_parquet_atomic(staging / JOURNEY_FILE, journey)
        analysis.info["personas"] = persona_info
        analysis.info["timings_s"]["personas_and_journey"] = round(time.perf_counter() - clock, 3)
        analysis.info["cpu_s"]["personas_and_journey"] = round(time.process_time() - cpu_clock, 3)
        analysis.info["evidence"] = _measure_evidence(
            staging, out_dir, study_dir, analysis, ingest_result, store, embedder, seed, config.analysis, early
        )
        kill_point("tables")
        analysis.info["timings_s"]["ingest"] = round(ingest_result.seconds, 3)
        analysis.info["timings_s"]["total"] = round(time.perf_counter() - started, 3)
        analysis.info["cpu_s"]["ingest"] = round(ingest_result.cpu_seconds, 3)
        worker_cpu = float(analysis.info["evidence"]["stability"].get("worker_cpu_s") or 0.0)
        analysis.info["cpu_s"]["total"] = round(time.process_time() - cpu_started + worker_cpu, 3)
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


class _EarlyReruns:
    """The stability reruns, started in a worker as soon as the units are embedded (a context manager).

    ``plan`` reads ``[analysis.stability]`` (a bad value fails before anything is computed);
    ``start`` is :func:`workbench.analysis.pipeline.analyze_segments`' ``on_embedded`` hook;
    leaving the ``with`` block stops a worker whose result was not collected (a failed run).

    Example:
        >>> with _EarlyReruns() as early:
        ...     early.pending is None
        True
    """

    def __init__(self) -> None:
        self.pending: Any = None
        self.texts: list[str] | None = None
        self.vectors: Any = None
        self.lanes: list[str] | None = None
        self._arguments: dict[str, Any] | None = None

    def __enter__(self) -> _EarlyReruns:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pending is not None:
            self.pending.close()

    def plan(self, study_dir: Path, out_dir: Path, options: dict[str, Any], seed: int) -> None:
        """What to rerun: the seeds and resamples of study.toml, the model every lane is fitted with."""
        from workbench.analysis.pipeline import painpoint_model_params

        section = options.get("stability") if isinstance(options.get("stability"), dict) else {}
        model_options = {k: v for k, v in painpoint_model_params(seed).items() if k != "random_state"}
        self._arguments = {
            "seed": seed, "n_seeds": _whole_number(section, "seeds", 5, 0, study_dir, "stability"),
            "n_resamples": _whole_number(section, "resamples", 5, 0, study_dir, "stability"),
            "model_options": model_options, "cache_dir": out_dir / STABILITY_CACHE_DIR,
        }

    def start(self, texts: list[str], vectors: Any, unit_kinds: list[str]) -> None:
        """Start the reruns on the units as analysed, each lane on its own (``on_embedded`` of the analysis)."""
        from workbench.rigour.stability import rerun_lanes, start_reruns

        self.texts, self.vectors, self.lanes = list(texts), vectors, rerun_lanes(unit_kinds)
        if self._arguments is not None:
            self.pending = start_reruns(self.texts, vectors, lanes=self.lanes, **self._arguments)


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
    early: _EarlyReruns | None = None,
) -> dict[str, Any]:
    """Stability, saturation and impact of the pain points (issue 9), written into ``staging``.

    Adds ``stability``/``stable``/``unstable`` and ``impact``/``impact_metric``/``impact_items``
    to ``painpoints.parquet`` and writes ``stability.parquet``, ``stability_runs.parquet``,
    ``saturation.parquet`` and ``impact.parquet``; returns ``info["evidence"]``. Options come
    from ``[analysis.stability]`` (``seeds``, ``resamples``) and ``[analysis.saturation]``
    (``min_units``) of study.toml. The reruns are those ``early`` started (on the units and
    vectors the main fit used), collected here; without them they run here.

    Example:
        >>> result = run_analyze("interview_data", "interview_data/.workbench", embedder="static")  # doctest: +SKIP
        >>> sorted(result.manifest["info"]["evidence"])  # doctest: +SKIP
        ['impact', 'saturation', 'stability']
    """
    import numpy as np

    from workbench.coding.records import code_assignments
    from workbench.analysis.embed import embed_texts
    from workbench.analysis.embedders import get_embedder
    from workbench.analysis.embedding_cache import EmbeddingCache
    from workbench.rigour.impact import impact_columns, impact_summary, painpoint_impact
    from workbench.rigour.saturation import saturation_table
    from workbench.rigour.stability import measure_stability

    timings, cpu = analysis.info["timings_s"], analysis.info["cpu_s"]
    painpoints, assignments, passages = analysis.painpoints, analysis.assignments, analysis.passages
    stability_options = options.get("stability") if isinstance(options.get("stability"), dict) else {}
    saturation_options = options.get("saturation") if isinstance(options.get("saturation"), dict) else {}

    clock, cpu_clock = time.perf_counter(), time.process_time()
    from workbench.rigour.stability import rerun_lanes

    lanes = rerun_lanes(assignments["unit_kind"].astype(str).tolist())
    if early is not None and early.texts is not None:
        texts, vectors = early.texts, early.vectors
    else:  # the units as the analysis read them, their vectors from the embedding cache it just filled
        from workbench.analysis.sentiment import customer_words

        texts = [customer_words(text) for text in passages["text"].astype(str)]
        vectors = embed_texts(texts, get_embedder(embedder), cache=EmbeddingCache(out_dir / CACHE_FILE), progress=False)
    model_options = {k: v for k, v in (analysis.info.get("model_params") or {}).items() if k != "random_state"}
    stability = measure_stability(
        texts, vectors, assignments["painpoint_id"].astype(str).tolist(),
        labels=dict(zip(painpoints["painpoint_id"].astype(str), painpoints["label"].astype(str))),
        seed=seed, n_seeds=_whole_number(stability_options, "seeds", 5, 0, study_dir, "stability"),
        n_resamples=_whole_number(stability_options, "resamples", 5, 0, study_dir, "stability"),
        model_options=model_options, cache_dir=out_dir / STABILITY_CACHE_DIR,
        pending=early.pending if early is not None else None, lanes=lanes,
    )
    timings["stability"] = round(time.perf_counter() - clock, 3)
    # the worker's CPU (its imports included) counts with the step: the reruns cost it, wherever they ran
    cpu["stability"] = round(time.process_time() - cpu_clock + stability.info.get("worker_cpu_s", 0.0), 3)

    clock, cpu_clock = time.perf_counter(), time.process_time()
    try:
        codes = code_assignments(store, study_key(study_dir))
    except Exception:  # noqa: BLE001 - a store without the coding tables: no codes yet
        codes = None
    saturation, saturation_info = saturation_table(
        passages, assignments, ingest_result.participants, codes=codes,
        min_units=_whole_number(saturation_options, "min_units", 1, 1, study_dir, "saturation"), seed=seed,
    )
    timings["saturation"] = round(time.perf_counter() - clock, 3)
    cpu["saturation"] = round(time.process_time() - cpu_clock, 3)

    clock, cpu_clock = time.perf_counter(), time.process_time()
    report = json.loads((staging / INGEST_REPORT_FILE).read_text(encoding="utf-8"))
    impact = painpoint_impact(ingest_result.segments, assignments, painpoints, report)
    timings["impact"] = round(time.perf_counter() - clock, 3)
    cpu["impact"] = round(time.process_time() - cpu_clock, 3)

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


# ``workbench cluster``: the pain points of one feedback export, one answer per input row.
#: ``workbench cluster`` decides each pain point's lenses over at most this many of its members (seeded sample)
CLUSTER_LENS_SAMPLE = 300
CLUSTER_ASSIGNMENT_COLUMNS = ["row", "item_id", "painpoint_id", "label", "probability", "sentiment", "moment", "has_text"]


@dataclass
class ClusterResult:
    """Tables written by ``run_cluster``.

    Example:
        >>> ClusterResult(Path("o"), pd.DataFrame(), pd.DataFrame()).info
        {}
    """

    out_dir: Path
    painpoints: pd.DataFrame
    assignments: pd.DataFrame
    info: dict[str, Any] = field(default_factory=dict)


def run_cluster(
    file: Path | str,
    out_dir: Path | str,
    text_column: str | None = None,
    embedder: str = "minilm",
    seed: int = 42,
    progress: bool | None = None,
    dask_scheduler: Any = None,
) -> ClusterResult:
    """Cluster one export; ``assignments.parquet`` has one row per record, in file order.

    Records without text are kept, assigned to ``other`` with probability 0 and
    ``has_text`` False, so row counts always match the input. With ``dask_scheduler`` (an
    address such as ``tcp://host:8786`` or a ``distributed.Client``) embedding and scoring run
    on the cluster's workers, with the same results; ``manifest.json`` records it under ``info.dask``.

    Example:
        >>> result = run_cluster("reviews.csv", "reviews.workbench", embedder="static")  # doctest: +SKIP
        >>> len(result.assignments) == len(pd.read_csv("reviews.csv"))  # doctest: +SKIP
        True
    """
    from workbench.analysis.curation import OTHER
    from workbench.analysis.pipeline import OTHER_LABEL, analyze_segments
    from workbench.ingest.study import read_feedback_export
    from workbench.manifest import build_manifest, output_hashes

    from workbench.runtime.progress import Progress

    file, out_dir = Path(file), Path(out_dir)
    started = time.perf_counter()
    reporter = Progress(progress)
    reporter.begin(f"Reading and redacting {file.name}")
    from workbench.analysis.embedding_cache import EmbeddingCache

    # redacted texts are kept in the results' cache too: a rerun on the same export reads them back
    with reporter.bar(_count_lines(file), "Redacting", unit="text") as bar, \
            EmbeddingCache(out_dir / "cache" / "embeddings.sqlite") as cache:
        rows, report = read_feedback_export(file, text_column=text_column, on_redacted=bar.update, cache=cache)
    reporter.end(f"{len(rows):,} rows")
    with_text = rows[rows["has_text"]]
    analysis = analyze_segments(
        with_text, embedder=embedder, seed=seed, cache_path=out_dir / "cache" / "embeddings.sqlite",
        split_passages=False, progress=reporter, dask_scheduler=dask_scheduler, lens_sample=CLUSTER_LENS_SAMPLE,
    )
    reporter.begin("Writing the results")
    per_segment = analysis.assignments.set_index("segment_id")
    assignments = pd.DataFrame(
        {
            "row": range(1, len(rows) + 1),
            "item_id": rows["item_id"].astype(str).to_numpy(),
            "segment_id": rows["segment_id"].to_numpy(),
            "has_text": rows["has_text"].to_numpy(),
        }
    )
    joined = assignments.join(per_segment[["painpoint_id", "label", "probability", "sentiment", "moment"]], on="segment_id")
    joined["painpoint_id"] = joined["painpoint_id"].fillna(OTHER)
    joined["label"] = joined["label"].fillna(OTHER_LABEL)
    joined["probability"] = joined["probability"].fillna(0.0)
    joined["moment"] = joined["moment"].fillna("neutral")
    joined = joined[CLUSTER_ASSIGNMENT_COLUMNS + ["segment_id"]]

    info = dict(analysis.info)
    info["rows"] = len(rows)
    info["rows_without_text"] = int((~rows["has_text"]).sum())
    info["timings_s"]["total"] = round(time.perf_counter() - started, 3)
    # the set is written to a staging folder and moved in at the end, manifest last: a killed run
    # leaves the previous results of this folder as they were (see workbench.storage.files)
    with results_transaction(out_dir) as staging:
        write_parquet_atomic(staging / "painpoints.parquet", analysis.painpoints)
        write_parquet_atomic(staging / "assignments.parquet", joined)
        write_parquet_atomic(staging / "segments.parquet", rows)
        report.save(staging / "ingest_report.json")
        manifest = build_manifest(
            study_dir=file.parent, input_files=[file],
            options={"embedder": embedder, "seed": seed, "text_column": text_column},
            info=info, counts={"rows": len(rows), "painpoints": info["n_painpoints"]},
            outputs=output_hashes(staging),
        )
        write_json_atomic(staging / "manifest.json", manifest)
        commit_results(out_dir, staging)
    reporter.end(str(out_dir))
    return ClusterResult(out_dir, analysis.painpoints, joined, info)


def _count_lines(path: Path) -> int:
    """About how many records a text export holds (its lines), for a progress bar's total; 0 for .xlsx."""
    if path.suffix.lower() == ".xlsx":
        return 0
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
