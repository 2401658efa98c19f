"""Shared by the workshop tests: start and stop servers as subprocesses, find personal data in files."""
from __future__ import annotations

import csv
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_STUDY = ROOT / "interview_data"
VOILA = Path(sys.executable).with_name("voila")


def free_port() -> int:
    """A port nobody listens on at 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A server subprocess in its own process group, its output collected in the background."""

    def __init__(self, args: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            args, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, start_new_session=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for_line(self, pattern: str, timeout: float = 120.0) -> re.Match[str]:
        """The first output line matching ``pattern``; fails when the process ends or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                match = re.search(pattern, line)
                if match:
                    return match
            if self.process.poll() is not None:
                time.sleep(0.2)  # let the reader catch the last lines
                raise AssertionError(f"server exited {self.process.returncode} before printing {pattern!r}:\n{self.output}")
            time.sleep(0.1)
        raise AssertionError(f"no line matching {pattern!r} within {timeout:.0f} s:\n{self.output}")

    def descendants(self) -> list[int]:
        """Process ids of everything the server started (kernels run in sessions of their own)."""
        import psutil

        try:
            return [p.pid for p in psutil.Process(self.process.pid).children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        """Signal the whole process group (as a terminal's Ctrl-C or a service manager would) and wait."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self._reader.join(5)
        return int(self.process.returncode)


def wait_for_http(url: str, timeout: float = 60.0) -> str:
    """The body of ``url`` once it answers 200."""
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                return response.read().decode("utf-8", errors="replace")
        except OSError as error:
            last = error
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {timeout:.0f} s: {last}")


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without any WORKBENCH_* variable, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}
    env.update(extra)
    return env


def pii_values(study: Path = SAMPLE_STUDY) -> dict[str, str]:
    """Personal data planted in the sample study (value -> kind), from its ledger."""
    with open(study / "pii_ledger.csv", newline="", encoding="utf-8") as handle:
        return {row["value"]: row["kind"] for row in csv.DictReader(handle) if row["kind"] != "not_pii_number"}


def pii_pattern(values: dict[str, str]) -> re.Pattern[str]:
    """Whole-word matches of the values (so the name "Ana" does not hit "Analysis")."""
    alternatives = sorted((re.escape(v) for v in values), key=len, reverse=True)
    return re.compile(r"(?<![\w@.+-])(?:" + "|".join(alternatives) + r")(?![\w@])")


def file_strings(path: Path) -> list[str]:
    """Every string a bundle file holds: the cells of a Parquet table, else the file's text."""
    if path.suffix == ".parquet":
        table = pd.read_parquet(path)
        out = [str(c) for c in table.columns]
        for column in table.columns:
            for value in table[column].tolist():
                if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
                    out.extend(str(v) for v in list(value))
                else:
                    out.append(str(value))
        return out
    if path.suffix == ".json":
        return [json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False)]
    return [path.read_text(encoding="utf-8", errors="replace")]
