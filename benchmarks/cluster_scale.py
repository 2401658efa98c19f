"""`workbench cluster` at 10k / 50k / 100k / 1M feedback items: time, memory, cache, Dask, large-corpus quality.

Four parts, each can run on its own (``--parts``); every part stores its figures in
``benchmarks/results/scale.json`` (replacing its own earlier rows) and the whole markdown
``benchmarks/results/scale.md`` is written again from that file, so the parts of a long
benchmark can be run one after the other (each well under ten minutes) on a busy machine.

* ``cli``: the real command line, ``workbench cluster FILE --out DIR --embedder static``, in
  its own process: **cold** (fresh results folder: empty cache) then **warm** (the same
  command again: embeddings, sentiment scores and the fitted pain points from the cache; the
  warm ``assignments.parquet`` and ``painpoints.parquet`` must equal the cold ones). Wall time, peak memory of the
  process tree (psutil polled every 0.2 s: the sum of the RSS of the process and its
  children), the manifest's step timings, and a check that ``assignments.parquet`` has one
  row per input row, in input order, each with a pain point (or Other). With ``--dask`` a
  third run: the same command with ``--dask ADDRESS`` of a ``LocalCluster`` of two worker
  processes, into a fresh folder; its tables must equal the local cold run's.
* ``defaults``: plain ``BERTopic().fit_transform(texts, embeddings=...)`` on the same static
  embeddings (embedding not timed), in a child process killed at ``--cap`` seconds.
* ``quality``: on the labelled corpus of ``--quality-size`` items, ``PainPointModel`` fitting
  every unit (``large_corpus_threshold=None``) against the automatic large-corpus mode
  (stratified sample of 10,000, the rest assigned): NMI / ARI against the CLINC150 intent,
  fit time.
The corpora are built by ``benchmarks/scale_data.py`` (CLINC150 requests with light variation)
in ``--data`` (a temporary folder; nothing is committed). The uptime load averages are
recorded before and after each run: the machine is shared, so timings carry that noise.

Run from the project root::

    .venv/bin/python benchmarks/cluster_scale.py --quick                 # 10k only, ~3 min
    .venv/bin/python benchmarks/cluster_scale.py --parts cli --sizes 100000
    .venv/bin/python benchmarks/cluster_scale.py --parts cli --sizes 10000 100000 1000000 --dask   # issue 18
    .venv/bin/python benchmarks/cluster_scale.py --parts quality --quality-size 50000
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

RESULTS_JSON = ROOT / "benchmarks" / "results" / "scale.json"
RESULTS_MD = ROOT / "benchmarks" / "results" / "scale.md"
WORKBENCH = Path(sys.executable).parent / "workbench"
TARGET_WALL_S, TARGET_RSS_GB, TARGET_WARM_RATIO, TARGET_NMI_GAP = 300.0, 4.0, 0.5, 0.03
#: issue 18: 1,000,000 items in <= 20 minutes and <= 8 GB peak
TARGET_1M_WALL_S, TARGET_1M_RSS_GB = 1200.0, 8.0


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


def machine() -> dict[str, str]:
    model = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        "unknown CPU",
    )
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return {
        "cpu": model,
        "nproc": str(len(os.sched_getaffinity(0))),
        "ram_gb": f"{memory_gb:.0f}",
        "python": platform.python_version(),
    }


def corpus(size: int, data: Path) -> Path:
    """The ``size``-item CSV in ``data``, built by scale_data.py when missing."""
    from scale_data import make_feedback

    path = data / f"feedback_{size // 1000}k.csv"
    if not path.exists():
        data.mkdir(parents=True, exist_ok=True)
        make_feedback(size).to_csv(path, index=False)
    return path


def run_measured(command: list[str], timeout: float | None = None) -> dict[str, float | int | bool]:
    """Run ``command``; wall time, peak RSS of its process tree (polled), exit code, timeout."""
    import psutil

    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    parent = psutil.Process(process.pid)
    peak, timed_out = 0, False
    while process.poll() is None:
        try:
            rss = parent.memory_info().rss + sum(
                child.memory_info().rss for child in parent.children(recursive=True)
            )
            peak = max(peak, rss)
        except psutil.Error:
            pass
        if timeout is not None and time.perf_counter() - started > timeout:
            for child in parent.children(recursive=True):
                child.kill()
            process.kill()
            timed_out = True
            break
        time.sleep(0.2)
    output = process.communicate()[0] if not timed_out else ""
    return {
        "wall_s": time.perf_counter() - started,
        "peak_rss_gb": peak / 1024**3,
        "returncode": process.returncode,
        "timed_out": timed_out,
        "output_tail": output[-600:],
    }


def _local_dask_cluster():
    """Two Dask worker processes on this machine (one thread each), as in tests/test_distributed.py."""
    import distributed

    return distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                                    dashboard_address=None)


def part_cli(sizes: list[int], data: Path, runs: tuple[str, ...] = ("cold", "warm")) -> list[dict]:
    """``workbench cluster`` cold, warm and (``"dask"`` in ``runs``) cold again on a 2-worker LocalCluster."""
    import pandas as pd

    rows = []
    for size in sizes:
        path = corpus(size, data)
        out = Path(tempfile.mkdtemp(prefix=f"scale-cli-{size // 1000}k-"))
        dask_out = Path(tempfile.mkdtemp(prefix=f"scale-dask-{size // 1000}k-"))
        cluster = _local_dask_cluster() if "dask" in runs else None
        try:
            cold_tables = None
            for run in runs:
                load_before = load_average()
                command = [str(WORKBENCH), "cluster", str(path), "--out", str(out), "--embedder", "static"]
                if run == "dask":  # a fresh results folder (empty cache): everything is computed on the cluster
                    command[4] = str(dask_out)
                    command += ["--dask", cluster.scheduler_address]
                result = run_measured(command)
                if result["returncode"] != 0:
                    raise SystemExit(f"workbench cluster failed on {path}:\n{result['output_tail']}")
                run_out = dask_out if run == "dask" else out
                manifest = json.loads((run_out / "manifest.json").read_text())
                assignments = pd.read_parquet(run_out / "assignments.parquet")
                in_order = bool((assignments["row"].to_numpy() == range(1, len(assignments) + 1)).all())
                all_assigned = (len(assignments) == size and in_order
                                and bool(assignments["painpoint_id"].notna().all()))
                tables = (assignments, pd.read_parquet(run_out / "painpoints.parquet"))
                same_as_cold = None
                if cold_tables is None:
                    cold_tables = tables
                else:
                    same_as_cold = all(a.equals(b) for a, b in zip(cold_tables, tables))
                rows.append({
                    "part": "cli", "size": size, "run": run, **{k: v for k, v in result.items() if k != "output_tail"},
                    "timings_s": manifest["info"].get("timings_s", {}),
                    "cache": manifest["info"].get("cache", {}),
                    "n_painpoints": manifest["info"].get("n_painpoints"),
                    "other_share": manifest["info"].get("other_share"),
                    "large_corpus": (manifest["info"].get("model_params") or {}).get("large_corpus_threshold"),
                    "all_rows_assigned": all_assigned, "same_as_cold": same_as_cold,
                    "load_before": load_before, "load_after": load_average(),
                })
                print(f"  cli {size} {run}: {result['wall_s']:.0f} s, {result['peak_rss_gb']:.2f} GB, "
                      f"all assigned {all_assigned}", file=sys.stderr)
        finally:
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(dask_out, ignore_errors=True)
            if cluster is not None:
                cluster.close()
    return rows


_DEFAULTS_CHILD = r"""
import sys, time, warnings, numpy as np, pandas as pd
warnings.filterwarnings("ignore")
from workbench.analysis.embed import embed_texts
from workbench.analysis.embedders import StaticEmbedder
texts = pd.read_csv(sys.argv[1])["feedback"].astype(str).tolist()
vectors = embed_texts(texts, StaticEmbedder(), progress=False)
from bertopic import BERTopic
started = time.perf_counter()
topics, _ = BERTopic().fit_transform(texts, embeddings=vectors)
topics = np.asarray(topics)
print("RESULT", time.perf_counter() - started, int((topics == -1).sum()), len(set(topics.tolist()) - {-1}))
"""


def part_defaults(sizes: list[int], data: Path, cap: float) -> list[dict]:
    rows = []
    for size in sizes:
        path = corpus(size, data)
        load_before = load_average()
        result = run_measured([sys.executable, "-c", _DEFAULTS_CHILD, str(path)], timeout=cap)
        row = {"part": "defaults", "size": size, "cap_s": cap, "load_before": load_before, "load_after": load_average(),
               **{k: v for k, v in result.items() if k != "output_tail"}}
        for line in str(result["output_tail"]).splitlines():
            if line.startswith("RESULT"):
                _, fit_s, outliers, topics = line.split()
                row.update(fit_s=float(fit_s), outlier_share=int(outliers) / size, topics=int(topics))
        rows.append(row)
        status = "timed out" if result["timed_out"] else f"{result['wall_s']:.0f} s"
        print(f"  defaults {size}: {status}", file=sys.stderr)
    return rows


_QUALITY_CHILD = r"""
import sys, time, warnings, json, numpy as np, pandas as pd
warnings.filterwarnings("ignore")
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from workbench.analysis.embed import embed_texts
from workbench.analysis.embedders import StaticEmbedder
from workbench.analysis.painpoints import PainPointModel
frame = pd.read_csv(sys.argv[1]); mode = sys.argv[2]; seed = int(sys.argv[3])
texts = frame["feedback"].astype(str).tolist()
vectors = embed_texts(texts, StaticEmbedder(), progress=False)
PainPointModel(random_state=seed).fit(texts[:5000], vectors[:5000])  # numba and imports warm, not timed
started = time.perf_counter()
model = PainPointModel(random_state=seed, large_corpus_threshold=None if mode == "full" else 20000).fit(texts, vectors)
seconds = time.perf_counter() - started
labels = model.labels_
print("RESULT " + json.dumps({"fit_s": seconds, "nmi": normalized_mutual_info_score(frame["intent"], labels),
    "ari": adjusted_rand_score(frame["intent"], labels), "other": float((labels == -1).mean()),
    "topics": int(len(model.topics_)), "large_corpus": model.settings_["large_corpus"]}))
"""


def part_quality(size: int, data: Path, modes: list[str], seed: int) -> list[dict]:
    rows = []
    path = corpus(size, data)
    for mode in modes:
        load_before = load_average()
        result = run_measured([sys.executable, "-c", _QUALITY_CHILD, str(path), mode, str(seed)])
        row = {"part": "quality", "size": size, "mode": mode, "seed": seed, "load_before": load_before,
               "load_after": load_average(), "peak_rss_gb": result["peak_rss_gb"], "wall_s": result["wall_s"]}
        for line in str(result["output_tail"]).splitlines():
            if line.startswith("RESULT "):
                row.update(json.loads(line[len("RESULT "):]))
        if "nmi" not in row:
            raise SystemExit(f"quality run failed:\n{result['output_tail']}")
        rows.append(row)
        print(f"  quality {size} {mode}: NMI {row['nmi']:.3f}, {row['fit_s']:.0f} s", file=sys.stderr)
    return rows


def _yes_no(value: bool | None, no: str = "NO") -> str:
    return "-" if value is None else ("yes" if value else no)


def render(store: dict) -> str:
    info = store.get("machine", {})
    lines = [
        "# `workbench cluster` at scale (static embedder)",
        "",
        f"Machine: {info.get('nproc')} cores (nproc), {info.get('cpu')}, {info.get('ram_gb')} GB RAM, "
        f"Python {info.get('python')}. Shared with other work: the load averages (1 / 5 / 15 min, from "
        "`os.getloadavg`, as `uptime` shows them) before and after each run are in the tables; a load above 2 "
        "means the run had less than the two cores. Written by `benchmarks/cluster_scale.py`.",
        "",
        "Data: CLINC150 requests (test + val, 7,500 texts, 150 intents; CC BY 3.0, Larson et al. 2019) made into "
        "10k / 50k / 100k feedback items by `benchmarks/scale_data.py`: each item is one request, for 35 % joined "
        "with a second request of the same intent (\"... Also, ...\"), with a templated opener (\"Quick question:\", "
        "\"Via chat:\" ...) and for 60 % a story sentence (\"Still no answer after 9 days.\"), so 10k / 50k / 100k "
        "items hold 9,984 / 49,173 / 96,508 distinct texts; the label is the intent of the first request.",
        "",
    ]
    cli = [r for r in store["rows"] if r["part"] == "cli"]
    if cli:
        lines += [
            "## `workbench cluster FILE --out DIR --embedder static`",
            "",
            "| items | run | wall (s) | peak RSS (GB) | embed (s) | topics (s) | sentiment (s) | lenses (s) | "
            "cache hits | fit from cache | pain points | Other | every row assigned | tables = cold | load before | "
            "load after | when |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in sorted(cli, key=lambda r: (r["size"], r["run"])):
            t = r.get("timings_s", {})
            lines.append(
                f"| {r['size']:,} | {r['run']} | {r['wall_s']:.0f} | {r['peak_rss_gb']:.2f} | {t.get('embed', 0):.0f} | "
                f"{t.get('topics', 0):.0f} | {t.get('sentiment', 0):.0f} | {t.get('lenses_and_severity', 0):.0f} | "
                f"{r.get('cache', {}).get('hits', 0):,} | "
                f"{_yes_no(r.get('cache', {}).get('painpoints_from_cache'), 'no')} | {r.get('n_painpoints')} | "
                f"{r.get('other_share', 0):.1%} | {'yes' if r['all_rows_assigned'] else 'NO'} | "
                f"{_yes_no(r.get('same_as_cold'))} | {r['load_before']} | {r['load_after']} | {r.get('when', '')} |"
            )
        lines.append("")
        for size in sorted({r["size"] for r in cli}):
            runs = {r["run"]: r for r in cli if r["size"] == size}
            if "cold" in runs and "warm" in runs:
                cold, warm = runs["cold"], runs["warm"]
                lines.append(
                    f"- {size:,} items: cold {cold['wall_s']:.0f} s / {cold['peak_rss_gb']:.2f} GB, warm "
                    f"{warm['wall_s']:.0f} s (x{warm['wall_s'] / cold['wall_s']:.2f} of cold)"
                    + (f"; target <= {TARGET_WALL_S:.0f} s and <= {TARGET_RSS_GB:.0f} GB: "
                       f"{'PASS' if cold['wall_s'] <= TARGET_WALL_S and cold['peak_rss_gb'] <= TARGET_RSS_GB else 'MISS'}"
                       if size == 100_000 else "")
                    + (f"; target <= {TARGET_1M_WALL_S / 60:.0f} min and <= {TARGET_1M_RSS_GB:.0f} GB: "
                       f"{'PASS' if cold['wall_s'] <= TARGET_1M_WALL_S and cold['peak_rss_gb'] <= TARGET_1M_RSS_GB else 'MISS'}"
                       if size == 1_000_000 else "")
                    + f"; warm <= {TARGET_WARM_RATIO:.0%} of cold: "
                    f"{'PASS' if warm['wall_s'] <= TARGET_WARM_RATIO * cold['wall_s'] else 'MISS'}"
                )
            if "dask" in runs:
                lines.append(
                    f"- {size:,} items on Dask (LocalCluster, 2 worker processes, `--dask ADDRESS`, empty cache): "
                    f"{runs['dask']['wall_s']:.0f} s (peak RSS of the command only, workers not counted); "
                    f"assignments and pain points equal the local cold run's: "
                    f"{_yes_no(runs['dask'].get('same_as_cold'))}"
                )
        lines.append("")
    defaults = [r for r in store["rows"] if r["part"] == "defaults"]
    if defaults:
        lines += [
            "## Plain BERTopic defaults on the same static embeddings",
            "",
            "`BERTopic().fit_transform(texts, embeddings=vectors)` in a child process (imports and embedding in the "
            "wall time, not in the fit time), killed at the cap.",
            "",
            "| items | fit (s) | wall (s) | peak RSS (GB) | outliers (-1) | topics | load before | load after | when |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for r in sorted(defaults, key=lambda r: r["size"]):
            if r["timed_out"]:
                lines.append(f"| {r['size']:,} | not finished within the {r['cap_s']:.0f} s cap | - | "
                             f"{r['peak_rss_gb']:.2f} (at kill) | - | - | {r['load_before']} | {r['load_after']} | {r.get('when', '')} |")
            else:
                lines.append(f"| {r['size']:,} | {r.get('fit_s', float('nan')):.0f} | {r['wall_s']:.0f} | {r['peak_rss_gb']:.2f} | "
                             f"{r.get('outlier_share', float('nan')):.1%} | {r.get('topics', '-')} | {r['load_before']} | "
                             f"{r['load_after']} | {r.get('when', '')} |")
        lines.append("")
    quality = [r for r in store["rows"] if r["part"] == "quality"]
    if quality:
        lines += [
            "## Quality cost of the large-corpus mode",
            "",
            "Same labelled corpus, same static embeddings, same seed: `PainPointModel(large_corpus_threshold=None)` "
            "clusters every unit; the default (above 20,000 units) clusters a stratified sample of 10,000 and "
            "assigns the rest by centroid refinement over all units. NMI / ARI against the CLINC150 intent, Other "
            "counted as one more cluster. Fit time excludes imports and numba compilation (a 5,000-unit fit runs "
            "first, untimed).",
            "",
            "| items | mode | NMI | ARI | Other | pain points | fit (s) | peak RSS (GB) | load before | load after | when |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in sorted(quality, key=lambda r: (r["size"], r["mode"])):
            lines.append(
                f"| {r['size']:,} | {'every unit' if r['mode'] == 'full' else 'sample + assign'} | {r['nmi']:.3f} | "
                f"{r['ari']:.3f} | {r['other']:.1%} | {r['topics']} | {r['fit_s']:.0f} | {r['peak_rss_gb']:.2f} | "
                f"{r['load_before']} | {r['load_after']} | {r.get('when', '')} |"
            )
        lines.append("")
        for size in sorted({r["size"] for r in quality}):
            modes = {r["mode"]: r for r in quality if r["size"] == size}
            if "full" in modes and "sample" in modes:
                gap = modes["full"]["nmi"] - modes["sample"]["nmi"]
                lines.append(
                    f"- {size:,} items: NMI full {modes['full']['nmi']:.3f}, sample {modes['sample']['nmi']:.3f}, "
                    f"gap {gap:+.3f} (target <= {TARGET_NMI_GAP}: {'PASS' if gap <= TARGET_NMI_GAP else 'MISS'}); "
                    f"fit x{modes['sample']['fit_s'] / modes['full']['fit_s']:.2f} of the full fit's time"
                )
        lines.append("")
    lines += store.get("notes", [])
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10k only: cli and defaults at 10k, quality at 30k sample vs full")
    parser.add_argument("--parts", nargs="+", default=["cli", "defaults", "quality"], choices=["cli", "defaults", "quality"])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 100_000],
                        help="corpus sizes of the cli and defaults parts (1000000 for issue 18's million)")
    parser.add_argument("--dask", action="store_true",
                        help="cli part: also run each size on a LocalCluster of 2 worker processes and compare")
    parser.add_argument("--quality-size", type=int, default=50_000)
    parser.add_argument("--quality-modes", nargs="+", default=["full", "sample"], choices=["full", "sample"])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--cap", type=float, default=600.0, help="seconds before plain BERTopic is stopped")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "cx-scale-data")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.quality_size, args.cap = [10_000], 30_000, 300.0

    store = json.loads(RESULTS_JSON.read_text()) if RESULTS_JSON.exists() else {"rows": []}
    store["machine"] = machine()
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    new: list[dict] = []
    if "cli" in args.parts:
        new += part_cli(args.sizes, args.data, ("cold", "warm", "dask") if args.dask else ("cold", "warm"))
    if "defaults" in args.parts:
        new += part_defaults(args.sizes, args.data, args.cap)
    if "quality" in args.parts:
        new += part_quality(args.quality_size, args.data, args.quality_modes, args.seed)
    for row in new:
        row["when"] = when

    def key(row: dict) -> tuple:
        return (row["part"], row["size"], row.get("run"), row.get("mode"))

    replaced = {key(r) for r in new}
    store["rows"] = [r for r in store["rows"] if key(r) not in replaced] + new
    RESULTS_JSON.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_JSON.write_text(json.dumps(store, indent=1, default=str))
    text = render(store)
    RESULTS_MD.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
