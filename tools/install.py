"""`make install`: set up .venv quietly, one line per step, and say what to do when a step fails.

Five steps, each with its elapsed time; everything pip and the build print goes to a log file
(``.venv/install.log``), never to the screen, so the machine's own pip warnings and the
packages' deprecation notices do not bury what matters:

1. the Python environment (``python -m venv .venv`` when it is missing),
2. pip itself (a recent pip resolves faster and installs editable projects),
3. PyTorch 2.13.0, CPU build (first, so no dependency pulls a CUDA build of several GB),
4. the workbench and its dependencies (``pip install -c constraints.txt -e '.[dev]'``: the versions tested),
5. ``workbench prepare``: the ONNX copy of the MiniLM model and numba's compiled clustering
   code, so the first analysis does not spend a minute compiling.

On a terminal the running step shows a ticking line (seconds so far and the package pip is
on); elsewhere (CI logs) one line when a step starts and one when it ends. A failed step
prints the last lines of the log, the log's path and what to do, and exits 1; running
``make install`` again resumes (pip skips what is installed).

Run from the project root (the Makefile does)::

    python3 tools/install.py --venv .venv --extras dev --stamp .venv/.installed-<hash>

Example (the advice for a log that shows a network failure):
    >>> advice_for("ERROR: Could not find a version that satisfies the requirement pandas>=2.2", "pip")
    'pip could not reach a package index or find a package: check the network connection (or set PIP_INDEX_URL to a mirror you can reach), then run `make install` again.'
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

MIN_PYTHON = (3, 11)
TORCH = "torch==2.13.0"
TAIL_LINES = 25

#: (pattern in the log, what to do), first match wins.
ADVICE = [
    (r"No space left on device",
     "the disk is full: free some space (the environment needs about 4 GB), then run `make install` again."),
    (r"Could not find a version that satisfies|No matching distribution|Failed to establish a new connection|"
     r"Temporary failure in name resolution|Network is unreachable|ConnectTimeout|ReadTimeout|ProxyError",
     "pip could not reach a package index or find a package: check the network connection (or set "
     "PIP_INDEX_URL to a mirror you can reach), then run `make install` again."),
    (r"Python\.h: No such file|command '(gcc|cc)' failed|error: Microsoft Visual C\+\+",
     "a package had to be compiled and the compiler or the Python headers are missing: install them "
     "(Debian/Ubuntu: `sudo apt-get install build-essential python3-dev`), then run `make install` again."),
    (r"Permission denied",
     "a file could not be written: run `make install` as the user who owns this folder, or `make clean` "
     "and try again."),
    (r"MemoryError|Killed",
     "the machine ran out of memory: close other programs and run `make install` again."),
]

GENERIC_ADVICE = {
    "venv": "Python could not create the environment: install the venv module (Debian/Ubuntu: "
            "`sudo apt-get install python3-venv`), then run `make install` again.",
    "pip": "pip failed: read the log for the first ERROR line; after fixing it run `make install` again "
           "(it resumes), or `make clean install` to start over.",
    "prepare": "the packages are installed but preparing the models failed: run `.venv/bin/workbench prepare` "
               "to see the error (the first analysis also prepares them, only slower).",
}


def advice_for(log_text: str, kind: str) -> str:
    """What to tell the user after a failed step of ``kind`` ("venv", "pip", "prepare"), from the log.

    Example:
        >>> advice_for("OSError: [Errno 28] No space left on device", "pip").split(":")[0]
        'the disk is full'
        >>> advice_for("something else", "prepare").startswith("the packages are installed")
        True
    """
    for pattern, advice in ADVICE:
        if re.search(pattern, log_text):
            return advice
    return GENERIC_ADVICE.get(kind, GENERIC_ADVICE["pip"])


def _format_seconds(seconds: float) -> str:
    """``'42 s'`` or ``'2 min 05 s'``.

    Example:
        >>> _format_seconds(42.4), _format_seconds(125)
        ('42 s', '2 min 05 s')
    """
    seconds = int(round(seconds))
    return f"{seconds} s" if seconds < 60 else f"{seconds // 60} min {seconds % 60:02d} s"


_COLLECTING = re.compile(r"^(?:Collecting|Downloading|Building wheel for|Installing collected packages:|Using cached) ?(\S*)")


def _last_activity(log: Path, start: int) -> str:
    """The package pip is on, from the log written since byte ``start`` ('' when none)."""
    try:
        with log.open("rb") as handle:
            handle.seek(max(start, os.path.getsize(log) - 4096))
            lines = handle.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return ""
    for line in reversed(lines):
        match = _COLLECTING.match(line.strip())
        if match:
            word = line.strip().split(":")[0] if line.startswith("Installing collected") else match.group(1)
            return "installing" if word.startswith("Installing") else word.split("/")[-1][:40]
    return ""


def run_step(number: int, total: int, title: str, command: list[str], log: Path, kind: str,
             env: dict[str, str] | None = None) -> float:
    """Run ``command`` with its output appended to ``log``; one status line; exit 1 with advice on failure.

    Returns the seconds the step took.

    Example:
        >>> import tempfile
        >>> log = Path(tempfile.mkdtemp()) / "install.log"
        >>> seconds = run_step(1, 1, "Saying hello", [sys.executable, "-c", "print('hello')"], log, "pip")  # doctest: +ELLIPSIS
        [1/1] Saying hello ... done (... s)
        >>> "hello" in log.read_text()
        True
    """
    label = f"[{number}/{total}] {title}"
    tty = sys.stdout.isatty()
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"\n===== {label}: {' '.join(command)}\n")
    start_byte = log.stat().st_size
    started = time.perf_counter()
    if not tty:
        print(f"{label} ...", end=" ", flush=True)
    with log.open("ab") as handle:
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   env=env)
        stop = threading.Event()

        def tick() -> None:
            while not stop.wait(0.5):
                activity = _last_activity(log, start_byte)
                line = f"{label} ... {_format_seconds(time.perf_counter() - started)}"
                line += f"  {activity}" if activity else ""
                print("\r" + line[:100].ljust(100), end="", flush=True)

        ticker = threading.Thread(target=tick, daemon=True) if tty else None
        if ticker is not None:
            ticker.start()
        returncode = process.wait()
        stop.set()
        if ticker is not None:
            ticker.join()
    seconds = time.perf_counter() - started
    prefix = f"\r{label} ... " if tty else ""
    if returncode == 0:
        print(f"{prefix}done ({_format_seconds(seconds)})".ljust(100 if tty else 0), flush=True)
        return seconds
    text = log.read_bytes()[start_byte:].decode("utf-8", "replace")
    tail = "\n".join("    " + line for line in text.rstrip().splitlines()[-TAIL_LINES:])
    print(f"{prefix}FAILED after {_format_seconds(seconds)} (exit code {returncode})".ljust(100 if tty else 0))
    print(f"  The last lines of {log}:\n{tail}\n", file=sys.stderr)
    print(f"What to do: {advice_for(text, kind)}\nThe whole log: {log}", file=sys.stderr)
    raise SystemExit(1)


def _constraints() -> list[str]:
    """pip's ``-c constraints.txt`` when the project has one (the exact versions tested), else nothing.

    Example:
        >>> _constraints()[0] if _constraints() else "-c"
        '-c'
    """
    path = Path(__file__).resolve().parents[1] / "constraints.txt"
    return ["-c", str(path)] if path.is_file() else []


def main(argv: list[str] | None = None) -> None:
    """Install the workbench into ``--venv`` step by step (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--venv", default=".venv", help="environment folder (default .venv)")
    parser.add_argument("--extras", default="dev", help="optional dependencies to install ('' for none)")
    parser.add_argument("--stamp", default=None, help="file to create when every step succeeded")
    parser.add_argument("--skip-prepare", action="store_true", help="leave out `workbench prepare`")
    args = parser.parse_args(argv)

    if sys.version_info < MIN_PYTHON:
        found = ".".join(map(str, sys.version_info[:3]))
        raise SystemExit(
            f"CX Workbench needs Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} or newer; {sys.executable} is {found}. "
            "Install a newer Python and run `make install PYTHON=python3.11` (or the newer one's name)."
        )
    venv = Path(args.venv)
    python = venv / "bin" / "python"
    venv.mkdir(parents=True, exist_ok=True)
    log = venv / "install.log"
    log.write_text(f"make install, {time.strftime('%Y-%m-%d %H:%M:%S')}, {sys.executable}\n", encoding="utf-8")
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", PYTHONWARNINGS="ignore",
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    pip = [str(python), "-m", "pip", "install", "--progress-bar", "off"]
    target = f".[{args.extras}]" if args.extras else "."
    steps = [
        ("Python environment " + str(venv), [sys.executable, "-m", "venv", str(venv)], "venv"),
        ("pip", pip + ["--upgrade", "pip>=24"], "pip"),
        ("PyTorch 2.13.0 (CPU build)", pip + [TORCH], "pip"),
        ("CX Workbench and its packages", pip + _constraints() + ["-e", target], "pip"),
    ]
    if not args.skip_prepare:
        steps.append(("Models and compiled code (workbench prepare)",
                      [str(venv / "bin" / "workbench"), "prepare"], "prepare"))
    if python.exists() and os.access(python, os.X_OK):
        steps[0] = ("Python environment " + str(venv) + " (exists)", [str(python), "-c", "pass"], "venv")
    print(f"Installing CX Workbench into {venv} (the details go to {log})", flush=True)
    started = time.perf_counter()
    for number, (title, command, kind) in enumerate(steps, start=1):
        run_step(number, len(steps), title, command, log, kind, env=env)
    if args.stamp:
        for old in venv.glob(".installed-*"):
            old.unlink()
        Path(args.stamp).touch()
    print(f"Installed in {_format_seconds(time.perf_counter() - started)}.", flush=True)


if __name__ == "__main__":
    main()
