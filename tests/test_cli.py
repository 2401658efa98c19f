"""The workbench command: exit codes, one-line errors, files written."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from test_ingest_study import make_study


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_ingest_writes_results_and_prints_the_summary(tmp_path: Path) -> None:
    folder = make_study(tmp_path / "study")
    result = run_cli("ingest", str(folder))
    assert result.returncode == 0, result.stderr
    assert "2 interviews and 1 feedback exports read" in result.stdout
    assert "transcripts/notes.pdf" in result.stdout
    for name in ["segments.parquet", "participants.parquet", "ingest_report.json"]:
        assert (folder / ".workbench" / name).exists()


def test_out_option(tmp_path: Path) -> None:
    folder = make_study(tmp_path / "study")
    result = run_cli("ingest", str(folder), "--out", str(tmp_path / "results"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "results" / "segments.parquet").exists()


def test_missing_folder_exits_2_with_one_line(tmp_path: Path) -> None:
    result = run_cli("ingest", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "no such study folder" in result.stderr


def test_folder_with_nothing_readable_exits_2(tmp_path: Path) -> None:
    (tmp_path / "transcripts").mkdir()
    (tmp_path / "transcripts" / "broken.vtt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "transcripts" / "empty.txt").write_text("")
    result = run_cli("ingest", str(tmp_path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert "nothing readable" in result.stderr
    assert "broken.vtt" in result.stdout and "empty.txt" in result.stdout


def test_bad_study_toml_exits_2(tmp_path: Path) -> None:
    (tmp_path / "study.toml").write_text("[ingest]\nfoo = 1\n")
    result = run_cli("ingest", str(tmp_path))
    assert result.returncode == 2 and "unknown key 'foo'" in result.stderr
