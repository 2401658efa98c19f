"""`make install` (tools/install.py): one line per step, the log kept, and a failure that says what to do.

The steps run real subprocesses (small Python one-liners standing in for pip); the build
backend check builds the project's real metadata with warnings turned into errors.
"""
from __future__ import annotations

import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _install_module():
    spec = importlib.util.spec_from_file_location("workbench_install_script", ROOT / "tools" / "install.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


install = _install_module()


def test_a_step_prints_one_line_and_keeps_the_noise_in_the_log(tmp_path, capsys):
    log = tmp_path / "install.log"
    noisy = "import sys\nfor i in range(300): print('WARNING: Location is ignored', i)\nprint('x', file=sys.stderr)"
    install.run_step(2, 5, "CX Workbench and its packages", [sys.executable, "-c", noisy], log, "pip")
    out = capsys.readouterr()
    assert out.out.count("\n") == 1 and out.out.startswith("[2/5] CX Workbench and its packages ... done (")
    assert out.err == ""
    logged = log.read_text().splitlines()
    assert sum(line.startswith("WARNING: Location is ignored") for line in logged) == 300 and logged[-1] == "x"


def test_a_failed_step_shows_the_log_tail_and_what_to_do(tmp_path, capsys):
    log = tmp_path / "install.log"
    failing = ("import sys\nfor i in range(100): print('Collecting package', i)\n"
               "print('ERROR: No matching distribution found for pandas>=2.2')\nsys.exit(1)")
    with pytest.raises(SystemExit) as stop:
        install.run_step(4, 5, "CX Workbench and its packages", [sys.executable, "-c", failing], log, "pip")
    assert stop.value.code == 1
    out = capsys.readouterr()
    assert "FAILED after" in out.out and "exit code 1" in out.out
    assert "No matching distribution found for pandas" in out.err  # the tail of the log
    assert "Collecting package 0\n" not in out.err  # only the tail, not the whole log
    assert "What to do: pip could not reach a package index" in out.err
    assert str(log) in out.err


@pytest.mark.parametrize(
    ("log_text", "kind", "advice_start"),
    [
        ("OSError: [Errno 28] No space left on device", "pip", "the disk is full"),
        ("fatal error: Python.h: No such file or directory", "pip", "a package had to be compiled"),
        ("Failed to establish a new connection: [Errno 111]", "pip", "pip could not reach"),
        ("Error: Command '['.venv/bin/python', '-m', 'ensurepip']' returned non-zero", "venv",
         "Python could not create the environment"),
        ("WorkbenchError: could not load", "prepare", "the packages are installed but preparing"),
    ],
)
def test_advice_fits_the_failure(log_text, kind, advice_start):
    assert install.advice_for(log_text, kind).startswith(advice_start)


def test_the_makefile_installs_through_the_quiet_installer():
    makefile = (ROOT / "Makefile").read_text()
    assert "tools/install.py --venv $(VENV)" in makefile
    assert "pip install --quiet" not in makefile  # pip's own output never reaches the screen


def test_the_license_is_an_spdx_string_and_the_build_warns_about_nothing(tmp_path):
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["project"]["license"] == "MIT"
    assert any(r.replace(" ", "").startswith("setuptools>=77") for r in pyproject["build-system"]["requires"])
    # The project's metadata, built by the installed setuptools with every warning an error.
    code = (
        "import sys, setuptools.build_meta as backend; "
        "print(backend.prepare_metadata_for_build_wheel(sys.argv[1]))"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code, str(tmp_path)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Deprecat" not in result.stderr and "Warning" not in result.stderr, result.stderr[-2000:]
    metadata = next(tmp_path.glob("*.dist-info")) / "METADATA"
    assert "License-Expression: MIT" in metadata.read_text()
