"""``workbench cluster``: the pain points of one feedback export, one answer per input row."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.analysis import OTHER_LABEL, analyze_segments
from workbench.curation import OTHER
from workbench.fileio import commit_results, results_transaction, write_json_atomic, write_parquet_atomic
from workbench.ingest.study import read_feedback_export
from workbench.manifest import build_manifest, output_hashes

ASSIGNMENT_COLUMNS = ["row", "item_id", "painpoint_id", "label", "probability", "sentiment", "moment", "has_text"]


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
    file, out_dir = Path(file), Path(out_dir)
    started = time.perf_counter()
    rows, report = read_feedback_export(file, text_column=text_column)
    with_text = rows[rows["has_text"]]
    analysis = analyze_segments(
        with_text, embedder=embedder, seed=seed, cache_path=out_dir / "cache" / "embeddings.sqlite",
        split_passages=False, progress=progress, dask_scheduler=dask_scheduler,
    )
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
    joined = joined[ASSIGNMENT_COLUMNS + ["segment_id"]]

    info = dict(analysis.info)
    info["rows"] = len(rows)
    info["rows_without_text"] = int((~rows["has_text"]).sum())
    info["timings_s"]["total"] = round(time.perf_counter() - started, 3)
    # the set is written to a staging folder and moved in at the end, manifest last: a killed run
    # leaves the previous results of this folder as they were (see workbench.fileio)
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
    return ClusterResult(out_dir, analysis.painpoints, joined, info)
