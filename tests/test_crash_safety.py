"""Crash safety of ``workbench analyze``: a kill at any point never loses or mixes results.

DESIGN.md §3: writes are atomic, a crash never leaves half a result. ``run_analyze`` writes
its whole result set into ``<results>/.staging`` and commits it at the end (manifest last,
through a journal that the next run rolls forward; see ``workbench/storage/files.py``).

The end-to-end test runs the real command in a subprocess and kills it with SIGKILL, at
named points (the test-only hook ``WORKBENCH_TEST_KILL_AT``, see ``workbench.storage.files.kill_point``)
and after random delays, then checks that the results of the previous complete run are still
there byte for byte and agree with their manifest, that the embedding cache survived, and
that a rerun completes and tidies up. It needs several full analyses, so it takes a few
minutes; the unit tests below it are fast.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from workbench.storage.files import (
    COMMIT_JOURNAL,
    KILL_ENV,
    STAGING_DIR,
    commit_results,
    recover_results,
    remove_stray_temp_files,
    results_transaction,
    write_json_atomic,
    write_parquet_atomic,
)
from workbench.errors import WorkbenchError
from workbench.manifest import output_hashes, verify_results

SAMPLE = Path(__file__).resolve().parents[1] / "interview_data"
TABLES = ("segments", "participants", "passages", "painpoints", "assignments", "personas", "journey",
          "stability", "stability_runs", "saturation", "impact")
#: named kill points of run_analyze, in the order the run reaches them (workbench.storage.files.kill_point)
KILL_POINTS_KEEP_OLD = ("ingest", "analysis", "staged")  # before the commit journal: old results stay
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")


def _workbench_command() -> list[str]:
    script = Path(sys.executable).with_name("workbench")  # .venv/bin/workbench next to .venv/bin/python
    if script.is_file():
        return [str(script)]
    found = shutil.which("workbench")
    return [found] if found else [sys.executable, "-m", "workbench.cli"]


def _make_study(folder: Path) -> Path:
    """A small study from the bundled one: three interviews (txt, vtt, srt) and 60 app reviews."""
    (folder / "transcripts").mkdir(parents=True)
    (folder / "feedback").mkdir()
    for name in ("interview_01.txt", "interview_02.txt", "interview_06.vtt", "interview_11.srt"):
        shutil.copy(SAMPLE / "transcripts" / name, folder / "transcripts" / name)
    rows = pd.read_csv(SAMPLE / "feedback" / "app_store_reviews.csv", dtype=str).head(60)
    rows.to_csv(folder / "feedback" / "app_store_reviews.csv", index=False)
    shutil.copy(SAMPLE / "study.toml", folder / "study.toml")
    return folder


def _analyze(study: Path, kill_at: str | None = None, kill_after_s: float | None = None) -> int:
    """Run ``workbench analyze`` on ``study``; return its exit code (-9 when killed)."""
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    env.pop(KILL_ENV, None)
    if kill_at is not None:
        env[KILL_ENV] = kill_at
    process = subprocess.Popen(
        [*_workbench_command(), "analyze", str(study), "--embedder", "static"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    if kill_after_s is not None:
        try:
            process.wait(timeout=kill_after_s)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
    output, _ = process.communicate(timeout=900)
    if kill_at is None and kill_after_s is None:
        assert process.returncode == 0, output[-3000:]
    return process.returncode


def _snapshot(results: Path) -> dict[str, bytes]:
    """Every result file's bytes (the store and the cache excepted: they are shared, not per run)."""
    return {
        path.name: path.read_bytes()
        for path in results.iterdir()
        if path.is_file() and not path.name.startswith(".") and not path.name.startswith("store.sqlite")
    }


def _assert_consistent(results: Path) -> dict:
    """The results load, match their manifest's hashes, and hold as many rows as it says."""
    assert verify_results(results) == []
    manifest = json.loads((results / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["outputs"]) >= {f"{name}.parquet" for name in TABLES}
    tables = {name: pd.read_parquet(results / f"{name}.parquet") for name in TABLES}
    assert len(tables["segments"]) == manifest["counts"]["segments"]
    assert len(tables["passages"]) == manifest["counts"]["passages"]
    assert len(tables["personas"]) == manifest["counts"]["personas"]
    assert tables["assignments"]["passage_id"].isin(tables["passages"]["passage_id"]).all()
    sources = set(tables["segments"]["source_id"])
    assert sources == {name for name in manifest["inputs"] if name.startswith(("transcripts/", "feedback/"))}
    from workbench.share.loading import load_results

    assert len(load_results(results).painpoints) > 0  # what `workbench report` reads
    return manifest


def _cache_vectors(results: Path) -> int:
    path = results / "cache" / "embeddings.sqlite"
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return int(connection.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0])


def test_killed_analyze_never_loses_results(tmp_path: Path) -> None:
    study = _make_study(tmp_path / "study")
    results = study / ".workbench"
    _analyze(study)
    first = _assert_consistent(results)
    baseline = _snapshot(results)
    assert not (results / STAGING_DIR).exists() and not (results / COMMIT_JOURNAL).exists()

    # the next run would produce different results: one interview fewer
    (study / "transcripts" / "interview_02.txt").unlink()
    kills = 0

    # killed before its result set is complete: the previous results stay, byte for byte
    for point in KILL_POINTS_KEEP_OLD:
        assert _analyze(study, kill_at=point) == -signal.SIGKILL, point
        kills += 1
        assert _snapshot(results) == baseline, f"results changed by a run killed at {point}"
        assert _assert_consistent(results)["created_at"] == first["created_at"]
        if point == "analysis":  # the embeddings computed before the kill are kept, intact
            assert _cache_vectors(results) > 0

    # killed at random moments (reading, embedding, clustering): old results stay, or the run completed
    delays = random.Random(8_2).sample([0.5, 1.5, 3.0, 5.0, 8.0, 12.0], 3)
    for delay in delays:
        code = _analyze(study, kill_after_s=delay)
        kills += code == -signal.SIGKILL
        if (results / COMMIT_JOURNAL).exists():  # the kill hit the commit itself: roll it forward
            recover_results(results)
        assert code in (0, -signal.SIGKILL), f"a run given {delay} s ended with {code}"
        snapshot = _snapshot(results)
        if snapshot != baseline:
            # the run committed: it finished (warm caches make runs quick) or was killed after its
            # commit, while printing or exiting. Either way the new set must be whole (checked below).
            baseline = snapshot
        _assert_consistent(results)  # every table matches the manifest's hashes: old set or new, never a mix

    # killed while moving the new set in: the journal lets the next reader roll forward
    assert _analyze(study, kill_at="commit") == -signal.SIGKILL
    kills += 1
    assert (results / COMMIT_JOURNAL).is_file()
    assert not (results / "manifest.json").exists()  # never an old manifest beside new tables
    assert recover_results(results) == "finished moving in the results of an interrupted run"
    second = _assert_consistent(results)
    assert second["counts"]["segments"] < first["counts"]["segments"]
    assert "transcripts/interview_02.txt" not in second["inputs"]

    # a rerun completes and leaves nothing of the killed runs behind
    vectors_before = _cache_vectors(results)
    _analyze(study)
    third = _assert_consistent(results)
    assert third["counts"] == second["counts"]
    assert _cache_vectors(results) >= vectors_before > 0
    leftovers = [p.name for p in results.iterdir() if p.name.endswith(".tmp") or p.name in (STAGING_DIR, COMMIT_JOURNAL)]
    leftovers += [p.name for p in (results / "cache").iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    assert kills >= 4


# ------------------------------------------------------------------------ the parts, fast


def _result_set(folder: Path, rows: int) -> None:
    write_parquet_atomic(folder / "segments.parquet", pd.DataFrame({"segment_id": [f"s{i}" for i in range(rows)]}))
    write_json_atomic(folder / "ingest_report.json", {"rows": rows})


def _committed(out: Path, rows: int) -> None:
    with results_transaction(out) as staging:
        _result_set(staging, rows)
        write_json_atomic(staging / "manifest.json", {"counts": {"segments": rows}, "outputs": output_hashes(staging)})
        commit_results(out, staging)


def test_commit_moves_the_set_in_with_the_manifest_last(tmp_path: Path) -> None:
    _committed(tmp_path, 3)
    assert verify_results(tmp_path) == []
    assert len(pd.read_parquet(tmp_path / "segments.parquet")) == 3
    assert not (tmp_path / STAGING_DIR).exists() and not (tmp_path / COMMIT_JOURNAL).exists()
    stamps = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir() if p.is_file() and not p.name.startswith(".")}
    assert stamps["manifest.json"] == max(stamps.values())


def test_failed_run_leaves_previous_results_and_no_staging(tmp_path: Path) -> None:
    _committed(tmp_path, 3)
    before = _snapshot(tmp_path)
    with pytest.raises(RuntimeError), results_transaction(tmp_path) as staging:
        _result_set(staging, 5)
        raise RuntimeError("clustering failed")
    assert _snapshot(tmp_path) == before
    assert not (tmp_path / STAGING_DIR).exists()


def test_recover_rolls_an_interrupted_commit_forward(tmp_path: Path) -> None:
    _committed(tmp_path, 3)
    staging = tmp_path / STAGING_DIR
    staging.mkdir()
    _result_set(staging, 5)
    write_json_atomic(staging / "manifest.json", {"outputs": output_hashes(staging)})
    names = ["ingest_report.json", "segments.parquet", "manifest.json"]
    write_json_atomic(tmp_path / COMMIT_JOURNAL, {"files": names})
    (tmp_path / "manifest.json").unlink()
    os.replace(staging / "ingest_report.json", tmp_path / "ingest_report.json")  # died after the first move
    assert verify_results(tmp_path) == ["manifest.json is missing"]
    assert recover_results(tmp_path) == "finished moving in the results of an interrupted run"
    assert verify_results(tmp_path) == []
    assert len(pd.read_parquet(tmp_path / "segments.parquet")) == 5
    assert recover_results(tmp_path) is None


def test_recover_refuses_a_journal_naming_files_outside_the_folder(tmp_path: Path) -> None:
    (tmp_path / STAGING_DIR).mkdir()
    write_json_atomic(tmp_path / COMMIT_JOURNAL, {"files": ["../../escape.txt"]})
    with pytest.raises(ValueError, match="unsafe file name"):
        recover_results(tmp_path)


def test_stray_temp_files_of_killed_writes_are_removed(tmp_path: Path) -> None:
    _committed(tmp_path, 2)
    (tmp_path / ".segments.parquet.a1b2c3d4.tmp").write_bytes(b"half a parquet")
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / ".embeddings.sqlite.zz99yy88.tmp").write_bytes(b"x")
    (tmp_path / "notes.tmp").write_text("a user's file, not ours")
    assert verify_results(tmp_path) == []  # stray temp files do not disturb readers
    recover_results(tmp_path)
    assert sorted(p.name for p in tmp_path.rglob("*.tmp")) == ["notes.tmp"]
    assert remove_stray_temp_files(tmp_path / "nowhere") == []


def test_second_writer_is_refused_while_the_first_holds_the_folder(tmp_path: Path) -> None:
    with results_transaction(tmp_path), pytest.raises(WorkbenchError, match="another analysis"):
        with results_transaction(tmp_path):
            pass


def test_recover_leaves_a_live_run_alone(tmp_path: Path) -> None:
    with results_transaction(tmp_path) as staging:
        _result_set(staging, 4)
        assert recover_results(tmp_path) is None  # a reader must not touch a run's staging
        assert (staging / "segments.parquet").is_file()


def test_verify_results_names_a_table_that_does_not_match(tmp_path: Path) -> None:
    _committed(tmp_path, 3)
    write_parquet_atomic(tmp_path / "segments.parquet", pd.DataFrame({"segment_id": ["other"]}))
    (tmp_path / "ingest_report.json").unlink()
    assert verify_results(tmp_path) == ["ingest_report.json is missing", "segments.parquet does not match manifest.json"]


def test_kill_point_kills_only_at_its_stage(tmp_path: Path) -> None:
    code = (
        "from workbench.storage.files import kill_point\n"
        "kill_point('ingest')\nprint('passed ingest', flush=True)\nkill_point('analysis')\nprint('not reached')\n"
    )
    env = dict(os.environ, **{KILL_ENV: "analysis"})
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL and done.stdout == "passed ingest\n"


_COMMIT_SCRIPT = """
import sys
from pathlib import Path
import pandas as pd
from workbench.storage.files import commit_results, results_transaction, write_json_atomic, write_parquet_atomic
from workbench.manifest import output_hashes
out, rows = Path(sys.argv[1]), int(sys.argv[2])
with results_transaction(out) as staging:
    write_parquet_atomic(staging / "segments.parquet", pd.DataFrame({"segment_id": [f"s{i}" for i in range(rows)]}))
    write_json_atomic(staging / "ingest_report.json", {"rows": rows})
    write_json_atomic(staging / "manifest.json", {"counts": {"segments": rows}, "outputs": output_hashes(staging)})
    commit_results(out, staging)
"""


@pytest.mark.parametrize("point", ["commit", "committed"])
def test_kill_during_commit_is_rolled_forward(tmp_path: Path, point: str) -> None:
    _committed(tmp_path, 3)
    env = dict(os.environ, **{KILL_ENV: point})
    done = subprocess.run([sys.executable, "-c", _COMMIT_SCRIPT, str(tmp_path), "5"], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert (tmp_path / COMMIT_JOURNAL).is_file()
    recover_results(tmp_path)
    assert verify_results(tmp_path) == []
    assert len(pd.read_parquet(tmp_path / "segments.parquet")) == 5
    assert not (tmp_path / STAGING_DIR).exists() and not (tmp_path / COMMIT_JOURNAL).exists()


_REWRITE_SCRIPT = """
import sys
from pathlib import Path
import pandas as pd
from workbench.storage.files import write_parquet_atomic
target = Path(sys.argv[1])
frames = [pd.DataFrame({"n": range(size)}) for size in (10, 200_000)]
print("ready", flush=True)
for turn in range(100_000):
    write_parquet_atomic(target, frames[turn % 2])
"""


def test_atomic_write_killed_at_random_moments_leaves_a_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "table.parquet"
    write_parquet_atomic(target, pd.DataFrame({"n": range(10)}))
    for delay in random.Random(83).sample([0.05, 0.1, 0.2, 0.3, 0.5, 0.8], 4):
        process = subprocess.Popen([sys.executable, "-c", _REWRITE_SCRIPT, str(target)], stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None and process.stdout.readline() == "ready\n"
        time.sleep(delay)  # let it rewrite the file a few times, then kill it mid-flight
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        assert len(pd.read_parquet(target)) in (10, 200_000)  # the old or the new table, never half of one
        remove_stray_temp_files(tmp_path)
        assert [p.name for p in tmp_path.iterdir()] == ["table.parquet"]


def test_cluster_commits_a_whole_result_set_with_its_manifest(tmp_path: Path) -> None:
    """``workbench cluster`` writes through the same staging folder: a complete, verifiable set."""
    from workbench.study import run_cluster
    from workbench.storage.files import COMMIT_JOURNAL, STAGING_DIR
    from workbench.manifest import verify_results

    export = tmp_path / "reviews.csv"
    shutil.copy(Path(__file__).resolve().parents[1] / "interview_data" / "feedback" / "app_store_reviews.csv", export)
    out = tmp_path / "reviews.workbench"
    result = run_cluster(export, out, embedder="static", progress=False)
    assert verify_results(out) == []
    assert not (out / STAGING_DIR).exists() and not (out / COMMIT_JOURNAL).exists()
    assert len(result.assignments) == len(pd.read_csv(export))
