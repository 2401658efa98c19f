"""A new user's first run: `make install` in a fresh clone, then the sample study's first report, timed.

What issue 18 asks to measure, in a fresh clone with a fresh ``.venv``:

1. **install**: ``make install`` (``tools/install.py``: venv, pip, torch, the package,
   ``workbench prepare``), wall time and the lines it printed;
2. **first run** (the figure the README promises): ``workbench demo --no-serve`` right after
   the install, from its start to the report written: the sample study analysed with the
   default MiniLM embedder (ONNX), every evidence step included, and ``report.html`` written;
3. **second run**: ``workbench analyze`` of the same study into a new results folder (the
   numba and model caches warm, the results cache empty), to show what the first run still
   pays for.

Nothing is reused from earlier installs: the model export and numba's cache live in the new
``.venv``, and the user-level cache (the redaction name lists, ``WORKBENCH_CACHE_DIR``) is a new
empty folder.

The clone is ``git clone`` of this repository (its committed state) or, with ``--copy``, a
copy of the working tree (uncommitted changes included, ``.venv`` and results left out).
pip's download cache (``~/.cache/pip``) is the machine's own: packages come from it or from
the local index, as on a developer's machine that installed once before; say so with the
figure. The load averages before and after each step are recorded (the machine is shared).

Run from the project root::

    .venv/bin/python benchmarks/first_run.py --copy          # working tree, ~5 min quiet
    .venv/bin/python benchmarks/first_run.py                 # the committed state

Writes ``benchmarks/results/first_run.md`` and ``first_run.json`` (and prints the table).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from cluster_scale import load_average, machine  # noqa: E402  (same machine line as scale.md)

RESULTS_MD = ROOT / "benchmarks" / "results" / "first_run.md"
RESULTS_JSON = ROOT / "benchmarks" / "results" / "first_run.json"
TARGET_INSTALL_S, TARGET_FIRST_RUN_S = 180.0, 45.0
#: left out of a copy of the working tree: the environment, git's objects, results and caches
IGNORED = (".venv", ".git", ".workbench", "__pycache__", "*.egg-info", ".pytest_cache")


def fresh_checkout(copy: bool) -> Path:
    """A new folder with the project: a clone of HEAD, or a copy of the working tree."""
    target = Path(tempfile.mkdtemp(prefix="cx-first-run-")) / "cx-workbench"
    if copy:
        shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns(*IGNORED))
    else:
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(target)], check=True)
    return target


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> dict:
    """Run ``command`` in ``cwd``; wall and CPU time, exit code, output lines, load averages around it.

    CPU time is user + system of the command and every process it waited for (the stability
    worker included): what the run cost whatever the machine's load, unlike its wall time.
    """
    before = load_average()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)
    output = (result.stdout + result.stderr).strip()
    return {"command": " ".join(command), "wall_s": round(seconds, 1), "cpu_command_s": round(cpu, 1),
            "returncode": result.returncode, "lines": len(output.splitlines()), "output": output[-3000:],
            "load_before": before, "load_after": load_average()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copy", action="store_true", help="copy the working tree instead of cloning HEAD")
    parser.add_argument("--keep", action="store_true", help="keep the fresh checkout (printed at the end)")
    args = parser.parse_args()

    checkout = fresh_checkout(args.copy)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "NUMBA_", "WORKBENCH_"))}
    # the user-level cache (the redaction name lists) starts empty too, as on a new machine
    env["WORKBENCH_CACHE_DIR"] = str(checkout.parent / "user-cache")
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if "/.venv/" not in p)
    print(f"fresh checkout: {checkout} ({'copy of the working tree' if args.copy else 'git clone'})", file=sys.stderr)
    rows = {}
    try:
        rows["install"] = timed(["make", "install"], checkout, env)
        print(rows["install"]["output"], file=sys.stderr)
        if rows["install"]["returncode"] != 0:
            raise SystemExit("make install failed; see the output above")
        workbench = str(checkout / ".venv" / "bin" / "workbench")
        rows["first_run"] = timed([workbench, "demo", "--no-serve"], checkout, env)
        report = checkout / "interview_data" / ".workbench" / "report.html"
        rows["first_run"]["report_written"] = report.exists()
        manifest = json.loads((checkout / "interview_data" / ".workbench" / "manifest.json").read_text())
        rows["first_run"]["timings_s"] = manifest["info"].get("timings_s", {})
        rows["first_run"]["cpu_s"] = manifest["info"].get("cpu_s", {})
        stability = (manifest["info"].get("evidence") or {}).get("stability") or {}
        rows["first_run"]["stability_in_worker"] = bool(stability.get("in_worker"))
        rows["first_run"]["embedder"] = manifest["info"].get("embedder")
        print(f"first run: {rows['first_run']['wall_s']} s", file=sys.stderr)
        second_out = checkout / "second-run"
        rows["second_run"] = timed([workbench, "analyze", "interview_data", "--out", str(second_out)], checkout, env)
        second_info = json.loads((second_out / "manifest.json").read_text())["info"]
        rows["second_run"]["timings_s"] = second_info.get("timings_s", {})
        rows["second_run"]["cpu_s"] = second_info.get("cpu_s", {})
    finally:
        if not args.keep:
            shutil.rmtree(checkout.parent, ignore_errors=True)
    record = {
        "when": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(), "source": "copy of the working tree" if args.copy else "git clone of HEAD",
        "rows": rows,
    }
    RESULTS_JSON.write_text(json.dumps(record, indent=2) + "\n")
    RESULTS_MD.write_text(render(record))
    print(render(record))


def step_table(first: dict) -> list[str]:
    """The first run's steps: wall and CPU seconds each (from its manifest), then the whole command.

    Example:
        >>> step_table({"timings_s": {"embed": 6.0, "total": 20.0}, "cpu_s": {"embed": 11.0, "total": 30.0},
        ...             "wall_s": 25.0, "cpu_command_s": 33.0})[2]
        '| embed | 6.0 | 11.0 |'
    """
    wall, cpu = first.get("timings_s", {}), first.get("cpu_s", {})
    lines = ["| step of the analysis | wall s | CPU s |", "|---|---|---|"]
    lines += [f"| {name} | {seconds:.1f} | {cpu.get(name, float('nan')):.1f} |"
              for name, seconds in wall.items() if name != "total"]
    lines.append(f"| analysis in all (`workbench analyze` part) | {wall.get('total', float('nan')):.1f} | "
                 f"{cpu.get('total', float('nan')):.1f} |")
    lines.append(f"| whole command (imports, analysis, report) | {first.get('wall_s', float('nan')):.1f} | "
                 f"{first.get('cpu_command_s', float('nan')):.1f} |")
    return lines


def render(record: dict) -> str:
    info, rows = record["machine"], record["rows"]
    install, first, second = rows["install"], rows["first_run"], rows.get("second_run", {})
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in first.get("timings_s", {}).items() if v >= 0.5)
    return "\n".join([
        "# A new user's first run (`benchmarks/first_run.py`)",
        "",
        f"{record['when']}; {info['nproc']} cores (nproc), {info['cpu']}, {info['ram_gb']} GB RAM, Python "
        f"{info['python']}; {record['source']} in a new folder, new `.venv`. pip's download cache of the machine "
        "was warm (packages from it and the local index, not from the internet).",
        "",
        "| step | command | wall | target | lines printed | load before | load after |",
        "|---|---|---|---|---|---|---|",
        f"| install | `make install` | {install['wall_s']:.0f} s | ≤ {TARGET_INSTALL_S:.0f} s | {install['lines']} | "
        f"{install['load_before']} | {install['load_after']} |",
        f"| first run (install end → report written) | `workbench demo --no-serve` | {first['wall_s']:.1f} s "
        f"(CPU {first.get('cpu_command_s', float('nan')):.1f} s) | "
        f"≤ {TARGET_FIRST_RUN_S:.0f} s | {first['lines']} | {first['load_before']} | {first['load_after']} |",
        f"| second analysis (caches of code and model warm, no results cache) | `workbench analyze` | "
        f"{second.get('wall_s', float('nan')):.1f} s | - | {second.get('lines', 0)} | {second.get('load_before', '')} | "
        f"{second.get('load_after', '')} |",
        "",
        f"First run: embedder `{first.get('embedder')}`; steps of the analysis: {steps}.",
        "",
        "Per step (CPU: every thread of the process; stability's CPU includes its worker process"
        f"{', which ran the reruns beside the analysis' if first.get('stability_in_worker') else ''}):",
        "",
        *step_table(first),
        "",
        "What `make install` printed:",
        "",
        "```",
        install["output"],
        "```",
        "",
    ])


if __name__ == "__main__":
    main()
