"""Stability, saturation and impact benchmark (issue 9).

Measured:

* **Stability** of the pain points on the sample study (``interview_data/``, MiniLM vectors
  through the embedding cache) and on CLINC150's test split (4,500 requests, 150 intents;
  MiniLM vectors cached as .npy like ``benchmarks/quality.py``): the main fit (seed 42) and the
  default rerun plan of :mod:`workbench.rigour.stability` (5 seeds + 5 resamples of 80 %). Reported:
  spread of pain-point counts over the 5 seed reruns (min / median / max), the share of stable
  (mean best-match Jaccard >= 0.75) and unstable (< 0.5) pain points over the 5 seeds alone
  and over all 10 reruns, ARI of each rerun vs the main fit, and the seconds per rerun.
* **Saturation** of the sample study: the verdict and the curve (interview order and random
  orders), with ``min_units`` 1 and 2.
* **Impact** of the sample study's pain points on the app-store stars, the survey NPS and CSAT.
* **Cost in ``workbench analyze``** (``--analyze``): a cold and a warm run of the sample study
  with MiniLM, the seconds of the stability, saturation and impact steps of each.

Run from the project root::

    HF_HUB_OFFLINE=1 PYTHONPATH=. python benchmarks/stability.py            # everything
    HF_HUB_OFFLINE=1 PYTHONPATH=. python benchmarks/stability.py --quick    # sample study only

Writes ``benchmarks/results/stability.md`` (and prints it).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

STUDY = ROOT / "interview_data"
RESULTS = ROOT / "benchmarks" / "results" / "stability.md"
CACHE = Path(os.environ.get("BENCH_CACHE", "/tmp/cx-workbench-bench-cache"))
SEED = 42


def markdown_table(frame: pd.DataFrame) -> str:
    """A pipe table (pandas' to_markdown needs tabulate, which the project does not depend on)."""
    def cell(value: object) -> str:
        return str(value).replace("|", "\\|")

    lines = ["| " + " | ".join(cell(c) for c in frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def machine() -> str:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{cores} cores, Python {sys.version.split()[0]}, load average at start {load}"


def stability_rows(name: str, texts: list[str], vectors: np.ndarray, membership: list[str],
                   truth: np.ndarray | None = None) -> tuple[list[dict], pd.DataFrame]:
    """Run the default plan once; score the 5 seeds alone and all 10 reruns."""
    from sklearn.metrics import adjusted_rand_score

    from workbench.rigour.stability import Reruns, run_reruns, stability_scores

    started = time.perf_counter()
    reruns = run_reruns(texts, vectors, seed=SEED, n_seeds=5, n_resamples=5)
    seconds = time.perf_counter() - started
    seeds_only = Reruns(reruns.labels[:5], reruns.kinds[:5], reruns.seeds[:5])
    rows = []
    runs_table = None
    for plan, subset in (("5 seeds", seeds_only), ("5 seeds + 5 resamples (80 %)", reruns)):
        result = stability_scores(membership, subset)
        table, runs = result.painpoints, result.runs
        seed_counts = runs.loc[runs["kind"] == "seed", "n_painpoints"]
        rows.append({
            "corpus": name, "plan": plan, "units": len(texts), "main pain points": len(table),
            "pain points per seed rerun (min / median / max)":
                f"{seed_counts.min()} / {seed_counts.median():g} / {seed_counts.max()}",
            "stable (>= 0.75)": f"{table['stable'].mean():.0%} ({int(table['stable'].sum())})",
            "unstable (< 0.5)": f"{table['unstable'].mean():.0%} ({int(table['unstable'].sum())})",
            "mean stability": f"{table['stability'].mean():.3f}",
            "ARI vs main (mean)": f"{runs['ari_vs_main'].mean():.3f}",
        })
        runs_table = runs
    assert runs_table is not None
    runs_table = runs_table.assign(corpus=name)
    if truth is not None:  # how close each rerun is to the known themes (units absent from a resample left out)
        aris = []
        for row in reruns.labels:
            present = row != -2
            aris.append(adjusted_rand_score(truth[present], row[present]))
        runs_table["ari_vs_truth"] = np.round(aris, 3)
    runs_table["seconds_per_rerun"] = round(seconds / reruns.n_runs, 2)
    return rows, runs_table


def sample_study() -> tuple[list[dict], pd.DataFrame, dict, str]:
    from workbench.analysis.pipeline import analyze_segments
    from workbench.analysis.embed import embed_texts
    from workbench.analysis.embedders import get_embedder
    from workbench.analysis.embedding_cache import EmbeddingCache
    from workbench.rigour.impact import painpoint_impact
    from workbench.ingest.study import read_study
    from workbench.rigour.saturation import saturation_table

    CACHE.mkdir(parents=True, exist_ok=True)
    cache_path = CACHE / "embeddings.sqlite"
    study = read_study(STUDY)
    analysis = analyze_segments(study.segments, embedder="minilm", seed=SEED, cache_path=cache_path, progress=False)
    texts = analysis.passages["text"].astype(str).tolist()
    vectors = embed_texts(texts, get_embedder("minilm"), cache=EmbeddingCache(cache_path), progress=False)
    membership = analysis.assignments["painpoint_id"].astype(str).tolist()
    rows, runs = stability_rows("sample study (MiniLM)", texts, vectors, membership)

    lines = []
    for min_units in (1, 2):
        table, info = saturation_table(analysis.passages, analysis.assignments, study.participants, min_units=min_units, seed=SEED)
        lines.append(f"**min_units = {min_units}**: {info['verdict']} "
                     f"({info['n_painpoints_in_interviews']} pain points in interviews; "
                     f"{info['feedback_items_excluded']} feedback items left out; feedback-only pain points: "
                     f"{', '.join(info['feedback_only_painpoints']) or 'none'})\n")
        curve = table[["position", "participant_id", "new_painpoints", "cumulative_painpoints", "random_order_mean",
                       "random_order_low", "random_order_high"]].round(2)
        lines.append(markdown_table(curve))
        lines.append("")
    report = _ingest_report_dict(study.report)
    impact = painpoint_impact(study.segments, analysis.assignments, analysis.painpoints, report)
    impact_lines = []
    for metric, part in impact.groupby("metric", sort=False):
        top = part.sort_values("impact", ascending=False).head(5).round(3)
        impact_lines.append(f"**{metric}** (score of all scored items {part['score_all'].iloc[0]:.2f}; "
                            f"{int(round((part['n_items'] / part['reach']).max()))} scored items)\n")
        impact_lines.append(markdown_table(top[["painpoint_id", "label", "n_items", "reach", "score_without", "impact"]]))
        impact_lines.append("")
    return rows, runs, {"saturation": "\n".join(lines), "impact": "\n".join(impact_lines)}, analysis.info["embedder"]


def _ingest_report_dict(report) -> dict:
    import json

    path = Path(tempfile.mkdtemp()) / "ingest_report.json"
    report.save(path)
    return json.loads(path.read_text(encoding="utf-8"))


def clinc() -> tuple[list[dict], pd.DataFrame]:
    from quality import embed, load_clinc

    from workbench.analysis.painpoints import PainPointModel

    texts, truth = load_clinc()
    vectors = embed(texts)
    main = PainPointModel(random_state=SEED).fit(texts, vectors)
    membership = ["other" if label < 0 else f"t{label}" for label in main.labels_]
    return stability_rows("CLINC150 test (MiniLM)", texts, vectors, membership, truth=np.asarray(truth))


def analyze_cost() -> list[dict]:
    """Seconds of the evidence steps in a cold and a warm `workbench analyze` of the sample study (MiniLM)."""
    from workbench.study import run_analyze

    folder = Path(tempfile.mkdtemp()) / "interview_data"
    shutil.copytree(STUDY, folder, ignore=shutil.ignore_patterns(".workbench"))
    rows = []
    for run in ("cold", "warm"):
        result = run_analyze(folder, folder / ".workbench", embedder="minilm", seed=SEED, progress=False)
        timings = result.manifest["info"]["timings_s"]
        rows.append({"run": run, "total (s)": timings.get("total"), "topics (s)": timings.get("topics"),
                     "stability (s)": timings.get("stability"), "saturation (s)": timings.get("saturation"),
                     "impact (s)": timings.get("impact"),
                     "reruns from cache": result.manifest["info"]["evidence"]["stability"]["from_cache"]})
    shutil.rmtree(folder.parent, ignore_errors=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sample study only (no CLINC150, no analyze timing)")
    parser.add_argument("--no-analyze", action="store_true", help="skip the cold/warm workbench analyze timing")
    args = parser.parse_args()
    started = dt.datetime.now(dt.timezone.utc)
    header = machine()
    rows, runs, sample_text, embedder = sample_study()
    all_runs = [runs]
    if not args.quick:
        clinc_rows, clinc_runs = clinc()
        rows += clinc_rows
        all_runs.append(clinc_runs)
    cost = [] if args.quick or args.no_analyze else analyze_cost()
    load_end = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    text = [
        "# Pain-point stability, saturation and impact",
        "",
        f"Machine: {header}; at the end {load_end}. {started:%Y-%m-%d %H:%M} UTC. "
        f"Command: `python benchmarks/stability.py{' --quick' if args.quick else ''}`. Embedder: {embedder}.",
        "",
        "Main fit: `PainPointModel(random_state=42)`. Reruns (`workbench.rigour.stability`): seeds 43-47 on the same "
        "vectors, then 5 resamples of 80 % of the units without replacement (seeds 48-52). Stability = mean "
        "best-match Jaccard of a main pain point's members over reruns (Hennig's clusterboot): stable >= 0.75, "
        "unstable < 0.5. The CLINC main fit is the raw model; the sample study's is the analysis' (no edits).",
        "",
        "## Stability",
        "",
        markdown_table(pd.DataFrame(rows)),
        "",
        "Per rerun:",
        "",
        markdown_table(pd.concat(all_runs, ignore_index=True).round(3)),
        "",
        "## Saturation (sample study)",
        "",
        sample_text["saturation"],
        "## Impact (sample study, top 5 drags per metric)",
        "",
        "impact = score without the pain point's items - score of all scored items (positive: it drags the score "
        "down); reach = its share of the scored items.",
        "",
        sample_text["impact"],
    ]
    if cost:
        text += ["## Cost in `workbench analyze` (sample study, MiniLM)", "", markdown_table(pd.DataFrame(cost)), ""]
    output = "\n".join(text) + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(output, encoding="utf-8")
    print(output)


if __name__ == "__main__":
    main()
