"""Cold and warm ``workbench analyze`` on the bundled sample study, for both embedders.

Cold = a fresh process, an empty results folder (empty cache). Warm = the same command again on
the same results folder: embeddings, sentiment scores, the fitted pain points and the lenses'
label vectors come from the cache (so neither UMAP/HDBSCAN nor torch is imported). Each run is
the real command line in its own process, so start-up and imports count. The load average
(1 / 5 / 15 min) before each run is recorded: the machine is shared.

Run from the project root::

    .venv/bin/python benchmarks/analyze_time.py

Writes ``benchmarks/results/analyze_time.md`` (and prints it).
"""
from __future__ import annotations

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
STUDY = ROOT / "interview_data"
RESULTS = ROOT / "benchmarks" / "results" / "analyze_time.md"
WORKBENCH = Path(sys.executable).parent / "workbench"
TARGETS = {"minilm": (60.0, 10.0)}  # issue 7: cold under 60 s, warm under 10 s with MiniLM


def run_once(embedder: str, out: Path) -> dict[str, float]:
    """Run ``workbench analyze`` once; return wall time and the manifest's step timings."""
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    load = "{:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())
    started = time.perf_counter()
    subprocess.run(
        [str(WORKBENCH), "analyze", str(STUDY), "--embedder", embedder, "--out", str(out), "--seed", "42"],
        check=True, env=env, stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    manifest = json.loads((out / "manifest.json").read_text())
    steps = manifest.get("info", {}).get("timings_s", {})
    from_cache = manifest.get("info", {}).get("cache", {}).get("painpoints_from_cache")
    return {"wall": wall, "load": load, "fit_from_cache": from_cache,
            **{k: float(v) for k, v in steps.items() if isinstance(v, (int, float))}}


def machine() -> str:
    model = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        "unknown CPU",
    )
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}, {dt.datetime.now():%Y-%m-%d %H:%M}"


def main() -> None:
    rows = []
    for embedder in ("minilm", "static"):
        out = Path(tempfile.mkdtemp(prefix=f"bench-analyze-{embedder}-"))
        try:
            cold = run_once(embedder, out)
            warm = run_once(embedder, out)
        finally:
            shutil.rmtree(out, ignore_errors=True)
        rows.append((embedder, cold, warm))
        print(f"{embedder}: cold {cold['wall']:.1f} s, warm {warm['wall']:.1f} s", file=sys.stderr)
    lines = [
        "# `workbench analyze` on the sample study, cold and warm",
        "",
        f"Machine: {machine()}. Command: `python benchmarks/analyze_time.py` (each run is the CLI in a new process).",
        "",
        "| embedder | run | wall (s) | embed (s) | topics (s) | fit from cache | sentiment (s) | lenses (s) | "
        "personas + journey (s) | stability (s) | load before |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for embedder, cold, warm in rows:
        for name, run in (("cold (empty cache)", cold), ("warm (cache)", warm)):
            nan = float("nan")
            lines.append(
                f"| {embedder} | {name} | {run['wall']:.1f} | {run.get('embed', nan):.1f} | "
                f"{run.get('topics', nan):.1f} | {'yes' if run.get('fit_from_cache') else 'no'} | "
                f"{run.get('sentiment', nan):.1f} | {run.get('lenses_and_severity', nan):.1f} | "
                f"{run.get('personas_and_journey', nan):.1f} | {run.get('stability', nan):.1f} | {run['load']} |"
            )
    lines.append("")
    for embedder, cold, warm in rows:
        if embedder in TARGETS:
            cold_target, warm_target = TARGETS[embedder]
            lines.append(
                f"- {'PASS' if cold['wall'] <= cold_target else 'MISS'}: {embedder} cold {cold['wall']:.1f} s "
                f"(target under {cold_target:.0f} s)"
            )
            lines.append(
                f"- {'PASS' if warm['wall'] <= warm_target else 'MISS'}: {embedder} warm {warm['wall']:.1f} s "
                f"(target under {warm_target:.0f} s)"
            )
    text = "\n".join(lines) + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
