"""The workshop launcher and publisher (workbench/workshop/server.py) and their commands, without a browser."""
from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from importlib.metadata import PackageNotFoundError, packages_distributions, requires
from pathlib import Path

import pandas as pd
import pytest
from workshop_helpers import (
    ROOT,
    VOILA,
    Server,
    clean_env,
    file_strings,
    free_port,
    pii_pattern,
    pii_values,
    wait_for_http,
)

from workbench.workshop import server as workshop
from workbench.manifest import current_input_hashes
from workbench.workshop.access import ServeError, access_token, check_port, find_free_port, workshop_url
from workbench.workshop.bundle import publish_bundle
from workbench.workshop.freshness import APP_RESULT_FILES, ensure_results, results_problems
from workbench.workshop.server import voila_command, voila_config

VOILA_ERROR = "There was an error when executing cell"
APP_ERROR = "The workshop cannot start"  # the app's own one-line failure


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env=clean_env())


def assert_one_line_failure(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def tiny_study(folder: Path, results: bool = True) -> Path:
    """A study of one feedback file with (when ``results``) complete, current fake results."""
    (folder / "feedback").mkdir(parents=True)
    (folder / "feedback" / "reviews.csv").write_text("id,review\n1,The app logged me out twice\n2,Refund took weeks\n")
    (folder / "study.toml").write_text('[study]\nname = "Tiny"\n')
    if results:
        out = folder / ".workbench"
        out.mkdir()
        for name in APP_RESULT_FILES:
            if name.endswith(".parquet"):
                pd.DataFrame({"painpoint_id": ["PP01"], "label": ["Refunds"]}).to_parquet(out / name)
        manifest = {"study": "tiny", "options": {"embedder": "static:wordllama", "seed": 7},
                    "counts": {"painpoints": 1, "personas": 0}, "inputs": current_input_hashes(folder)}
        (out / "manifest.json").write_text(json.dumps(manifest))
    return folder


# ------------------------------------------------------------------ ports, hosts, tokens


def test_find_free_port_gives_a_port_one_can_listen_on() -> None:
    port = find_free_port("127.0.0.1")
    check_port("127.0.0.1", port)  # does not raise
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


def test_a_taken_port_or_a_bad_number_is_refused_with_the_fix() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        taken = sock.getsockname()[1]
        with pytest.raises(ServeError, match=rf"port {taken} on 127.0.0.1 is in use; pass another --port"):
            check_port("127.0.0.1", taken)
    with pytest.raises(ServeError, match="between 1 and 65535"):
        check_port("127.0.0.1", 65536)


def test_loopback_needs_no_token_any_other_host_gets_a_fresh_random_one() -> None:
    assert access_token("127.0.0.1") is None and access_token("localhost") is None and access_token("::1") is None
    first, second = access_token("0.0.0.0"), access_token("0.0.0.0")
    assert first and second and first != second and len(first) >= 32
    assert access_token("192.168.1.20") and access_token("workshop.example.org")
    assert workshop_url("127.0.0.1", 8123) == "http://127.0.0.1:8123/"
    assert workshop_url("10.0.0.5", 8123, first) == f"http://10.0.0.5:8123/?token={first}"


def test_voila_serves_the_app_only_never_tracebacks_never_another_port() -> None:
    command = voila_command(Path("/x/workshop.ipynb"), "127.0.0.1", 8123, None)
    assert command[1:4] == ["-m", "voila", "/x/workshop.ipynb"]
    assert {"--show_tracebacks=False", "--port=8123", "--Voila.ip=127.0.0.1", "--Voila.port_retries=0",
            "--no-browser", "--token="} <= set(command)
    assert "--token=abc" in voila_command(Path("/x/workshop.ipynb"), "0.0.0.0", 8123, "abc")
    config = voila_config()["VoilaConfiguration"]
    assert config["show_tracebacks"] is False and config["file_allowlist"] == []


# ------------------------------------------------------------------ results: missing, stale, current


def test_results_are_current_until_an_input_changes(tmp_path: Path) -> None:
    study = tiny_study(tmp_path / "study")
    results = study / ".workbench"
    assert results_problems(study, results) == []
    (study / "feedback" / "reviews.csv").write_text("id,review\n1,The app logged me out three times\n")
    assert results_problems(study, results) == ["feedback/reviews.csv changed"]
    (study / "feedback" / "survey.jsonl").write_text('{"text": "Lovely crew"}\n')
    assert "feedback/survey.jsonl added" in results_problems(study, results)
    (study / "study.toml").unlink()
    assert "study.toml removed" in results_problems(study, results)


def test_missing_results_or_tables_are_reported(tmp_path: Path) -> None:
    study = tiny_study(tmp_path / "study")
    assert results_problems(study, tmp_path / "elsewhere") == ["no results yet"]
    (study / ".workbench" / "personas.parquet").unlink()
    assert results_problems(study, study / ".workbench") == ["personas.parquet missing"]


def test_current_results_are_not_analysed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import workbench.study

    study = tiny_study(tmp_path / "study")
    monkeypatch.setattr(workbench.study, "run_analyze", lambda *a, **k: pytest.fail("analysed current results"))
    assert ensure_results(study, study / ".workbench", echo=lambda line: None) is False


def test_stale_results_are_analysed_again_with_their_embedder_and_seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import workbench.study

    study = tiny_study(tmp_path / "study")
    (study / "feedback" / "reviews.csv").write_text("id,review\n1,Changed\n")
    calls = []

    class Done:
        manifest = {"counts": {"painpoints": 3}}

    monkeypatch.setattr(workbench.study, "run_analyze", lambda *a, **k: calls.append((a, k)) or Done())
    said: list[str] = []
    assert ensure_results(study, study / ".workbench", echo=said.append) is True
    (args, kwargs), = calls
    assert args == (study, study / ".workbench") and kwargs["embedder"] == "static" and kwargs["seed"] == 7
    assert "feedback/reviews.csv changed" in said[0]


# ------------------------------------------------------------------ the commands' exit codes


def test_workshop_command_fails_in_one_line_on_bad_input(tmp_path: Path) -> None:
    assert_one_line_failure(run_cli("workshop", str(tmp_path / "nowhere"), "--no-browser"), "no such study folder")
    study = tiny_study(tmp_path / "study")
    assert_one_line_failure(run_cli("workshop", str(study), "--port", "70000", "--no-browser"), "--port 70000")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        assert_one_line_failure(run_cli("workshop", str(study), "--port", str(port), "--no-browser"),
                                f"port {port}", "in use")
    assert_one_line_failure(run_cli("workshop", str(study), "--host", "no-such-host.invalid", "--no-browser"),
                            "--host no-such-host.invalid")


def test_publish_command_refuses_a_folder_that_is_not_a_bundle(tmp_path: Path) -> None:
    study = tiny_study(tmp_path / "study")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.docx").write_text("precious")
    assert_one_line_failure(run_cli("publish", str(study), "--out", str(tmp_path / "mine")), "not a bundle")
    assert (tmp_path / "mine" / "thesis.docx").read_text() == "precious"
    result = run_cli("publish", str(study))
    assert result.returncode == 2 and "--out" in result.stderr


# ------------------------------------------------------------------ publish: what goes in the bundle


@pytest.fixture(scope="module")
def bundle(sample_study_copy: Path, sample_results: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("published") / "skylark-workshop"
    result = run_cli("publish", str(sample_study_copy), "--results", str(sample_results), "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Workshop app published to" in result.stdout
    return out


def _data_files(bundle: Path) -> list[Path]:
    """Every bundle file except the vendored package sources (checked separately)."""
    return [p for p in bundle.rglob("*") if p.is_file() and p.relative_to(bundle).parts[0] not in ("workbench", "widgets")]


def test_bundle_holds_the_app_redacted_results_sources_and_serving_files(bundle: Path) -> None:
    names = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    assert {"workshop.ipynb", "requirements.txt", "voila.json", "README.md"} <= names
    assert {f"results/{name}" for name in APP_RESULT_FILES} <= names
    assert {"workbench/__init__.py", "workbench/workshop/server.py", "widgets/__init__.py"} <= names
    for private in ("pseudonyms.json", "segments.parquet", "ingest_report.json", "store.sqlite", "embeddings.sqlite"):
        assert not any(name.endswith(private) for name in names), private
    assert not any("__pycache__" in name for name in names)
    config = json.loads((bundle / "voila.json").read_text())
    assert config["VoilaConfiguration"]["show_tracebacks"] is False
    assert config["VoilaConfiguration"]["file_allowlist"] == []
    setup = json.loads((bundle / "workshop.ipynb").read_text())["cells"][0]
    assert "WORKBENCH_RESULTS" in "".join(setup["source"]) and "'results'" in "".join(setup["source"])
    requirements = (bundle / "requirements.txt").read_text()
    for package in ("voila", "ipywidgets", "pandas", "pyarrow", "sqlalchemy"):
        assert re.search(rf"^{package}\b", requirements, re.MULTILINE), package
    assert "torch" not in requirements and "bertopic" not in requirements
    assert "voila workshop.ipynb" in (bundle / "README.md").read_text()


def test_bundle_has_no_raw_text_and_no_personal_data(bundle: Path, sample_results: Path) -> None:
    pattern = pii_pattern(pii_values())
    segments = pd.read_parquet(sample_results / "segments.parquet")
    raw_only = [t for t, r in zip(segments["text"], segments["text_redacted"]) if isinstance(t, str) and t != r]
    assert len(raw_only) > 20  # the sample study has personal data to leak
    found: list[str] = []
    for path in _data_files(bundle):
        for text in file_strings(path):
            hit = pattern.search(text)
            if hit:
                found.append(f"{path.relative_to(bundle)}: {hit.group(0)!r}")
            found += [f"{path.relative_to(bundle)}: raw text {raw[:40]!r}" for raw in raw_only if len(raw) > 30 and raw in text]
    assert found == []
    participants = pd.read_parquet(bundle / "results" / "participants.parquet")
    assert "name" not in participants.columns and participants["participant_id"].str.match(r"P\d+").all()
    passages = pd.read_parquet(bundle / "results" / "passages.parquet")
    assert passages["text"].str.contains(r"\[NAME\]|\[EMAIL\]|\[PHONE\]", regex=True).any()


def test_vendored_sources_are_the_package_itself(bundle: Path) -> None:
    """The only code in the bundle is CX Workbench's own (no study data was written into it)."""
    for package in ("workbench", "widgets"):
        for path in (bundle / package).rglob("*"):
            if path.is_file():
                assert path.read_bytes() == (ROOT / path.relative_to(bundle)).read_bytes(), path


#: modules other packages import only when present (inside try/except), so not requirements
OPTIONAL_IMPORTS = {
    "cloudpickle": "pyarrow uses it when installed",
    "PIL": "plotly uses it for images when installed",
    "_distutils_hack": "setuptools' start-up hook",
}


def _imported_top_modules(bundle: Path, tmp_path: Path) -> set[str]:
    """Top-level modules loaded by running the app's code cells (the app built, not shown) in the bundle folder."""
    notebook = json.loads((bundle / "workshop.ipynb").read_text())
    cells = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]
    code = (f"import json, sys\nfor cell in {cells!r}:\n    exec(cell, globals())\n"
            "assert 'cannot start' not in repr(app), app\n"
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    env = clean_env(WORKBENCH_STORE=f"sqlite:///{tmp_path / 'store.sqlite'}")
    result = subprocess.run([sys.executable, "-c", code], cwd=bundle, capture_output=True, text=True, timeout=300,
                            env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def _closure(requirements: list[str]) -> set[str]:
    """The distributions the requirement lines install, with everything they depend on."""
    def norm(name: str) -> str:
        return re.split(r"[<>=!~\[ ;(]", name.strip(), maxsplit=1)[0].lower().replace("_", "-")

    todo, seen = [norm(r) for r in requirements], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            todo += [norm(r) for r in requires(name) or [] if "extra ==" not in r]
        except PackageNotFoundError:
            pass
    return seen


def test_requirements_cover_every_package_the_app_imports(bundle: Path, tmp_path: Path) -> None:
    lines = [line for line in (bundle / "requirements.txt").read_text().splitlines() if line and not line.startswith("#")]
    installed = _closure(lines)
    owners = packages_distributions()
    ignored = {"workbench", "widgets", *OPTIONAL_IMPORTS, *sys.stdlib_module_names}
    missing = {}
    for module in _imported_top_modules(bundle, tmp_path) - ignored:
        distributions = {d.lower().replace("_", "-") for d in owners.get(module, [])}
        if distributions and not distributions & installed:
            missing[module] = sorted(distributions)
    assert missing == {}, f"requirements.txt lacks what the app imports: {missing}"


def test_publishing_again_replaces_the_bundle(bundle: Path, sample_study_copy: Path, sample_results: Path) -> None:
    (bundle / "stray.txt").write_text("left from before")
    again = publish_bundle(sample_results, bundle)
    assert not (bundle / "stray.txt").exists() and "workshop.ipynb" in again.files


def test_published_bundle_serves_with_plain_voila_from_its_folder(bundle: Path, tmp_path: Path) -> None:
    """A host with the bundle only: copied elsewhere, no study, no WORKBENCH_* variables."""
    host_copy = tmp_path / "host" / "app"
    shutil.copytree(bundle, host_copy)
    port = free_port()
    server = Server([str(VOILA), "workshop.ipynb", "--no-browser", f"--port={port}"], cwd=host_copy, env=clean_env())
    try:
        page = wait_for_http(f"http://127.0.0.1:{port}/", timeout=120)
        assert VOILA_ERROR not in page and APP_ERROR not in page, server.output[-2000:]
        assert "application/vnd.jupyter.widget-view+json" in page
        assert str(host_copy) not in page and "/results" not in page  # no output shows the host's paths
        for path in ("voila/files/results/painpoints.parquet", "voila/files/workbench/__init__.py", "voila/tree"):
            with pytest.raises(urllib.error.HTTPError, match="403|404"):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=30)
    finally:
        code = server.stop()
    assert code == 0, server.output[-2000:]


# ------------------------------------------------------------------ serving: the command end to end over HTTP


@pytest.fixture(scope="module")
def results_copy(sample_results: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session results, copied: serving writes a log and workshop rows to the store next to them."""
    folder = tmp_path_factory.mktemp("served") / "results"
    shutil.copytree(sample_results, folder, ignore=shutil.ignore_patterns("cache"))
    return folder


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_workshop_command_serves_on_loopback_and_stops_cleanly(
    sample_study_copy: Path, results_copy: Path, stop_signal: int
) -> None:
    port = free_port()
    server = Server([sys.executable, "-m", "workbench.cli", "workshop", str(sample_study_copy), "--results",
                     str(results_copy), "--port", str(port), "--no-browser", "--session", "cli-test"], env=clean_env())
    try:
        url = server.wait_for_line(r"Workshop running at (http://\S+)").group(1)
        assert url == f"http://127.0.0.1:{port}/"
        assert "Analysing" not in server.output  # current results are served as they are
        page = wait_for_http(url, timeout=120)
        assert VOILA_ERROR not in page and APP_ERROR not in page
        kernels = server.descendants()
        assert kernels, "no kernel started"
        with socket.socket() as sock:  # bound to loopback only
            assert sock.connect_ex(("127.0.0.1", port)) == 0
    finally:
        code = server.stop(stop_signal)
    assert code == 0, server.output
    assert "Workshop stopped." in server.output
    time.sleep(1)
    import psutil

    alive = [pid for pid in kernels if psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE]
    assert alive == [], "kernels left running after the workshop stopped"


def test_any_other_host_needs_the_token(tmp_path: Path) -> None:
    notebook = tmp_path / "workshop.ipynb"
    notebook.write_text(json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "id": "a", "metadata": {}, "outputs": [],
                   "source": ["print('app is here')"]}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}))
    server = workshop.start_workshop(tmp_path, host="0.0.0.0", notebook=notebook)
    try:
        assert server.token and f"?token={server.token}" in server.url
        base = f"http://127.0.0.1:{server.port}/"
        assert "app is here" not in wait_for_http(base)  # redirected to the login page
        assert "app is here" in wait_for_http(f"{base}?token={server.token}", timeout=120)
    finally:
        server.stop()
    assert server.process is not None and server.process.returncode == 0


def test_demo_reuses_current_results_writes_the_report_and_can_skip_serving(results_copy: Path) -> None:
    result = run_cli("demo", "--out", str(results_copy), "--no-serve")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date with the study; not analysing again" in result.stdout
    assert f"Open the report in a browser: {(results_copy / 'report.html').resolve()}" in result.stdout
    assert (results_copy / "report.html").stat().st_size > 10_000
    assert "Workshop running" not in result.stdout


def test_the_facilitator_gets_a_link_of_their_own_and_the_store_only_its_hash(tmp_path: Path) -> None:
    from workbench.storage.store import Store, sqlite_url

    notebook = tmp_path / "workshop.ipynb"
    notebook.write_text(json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "id": "a", "metadata": {}, "outputs": [],
                   "source": ["print('app is here')"]}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}))
    server = workshop.start_workshop(tmp_path, session="retro", host="0.0.0.0", notebook=notebook)
    try:
        token = server.facilitator_token
        assert token and len(token) >= 32 and token != server.token
        assert server.facilitator_url == server.url + f"&facilitator={token}"  # the access token stays first
        assert "facilitator" not in server.url
    finally:
        server.stop()
    store = Store(sqlite_url(tmp_path / "store.sqlite"))
    assert store.is_facilitator("retro", token) and not store.is_facilitator("retro", None)
    assert not store.is_facilitator("retro", server.token)  # the access token does not facilitate
    assert token not in (tmp_path / "store.sqlite").read_bytes().decode("latin-1")
    local = workshop.workshop_url("127.0.0.1", 8866, None, "abc")
    assert local == "http://127.0.0.1:8866/?facilitator=abc"
