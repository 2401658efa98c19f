"""Shared test settings: nothing may reach a model hub."""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).parent))  # lets tests share fixtures builders (test_ingest_study.make_study)

import shutil  # noqa: E402

import pytest  # noqa: E402

SAMPLE_STUDY = Path(__file__).resolve().parents[1] / "interview_data"


@pytest.fixture(scope="session")
def sample_study_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the bundled study (without any results of the working tree)."""
    target = tmp_path_factory.mktemp("sample") / "interview_data"
    shutil.copytree(SAMPLE_STUDY, target, ignore=shutil.ignore_patterns(".workbench"))
    return target


@pytest.fixture(scope="session")
def sample_analysis(sample_study_copy: Path):
    """The bundled study analysed once per test session (MiniLM, seed 42), as users run it."""
    from workbench.study import run_analyze

    return run_analyze(sample_study_copy, sample_study_copy / ".workbench", embedder="minilm", seed=42, progress=False)


@pytest.fixture(scope="session")
def sample_results(sample_analysis) -> Path:
    """The results folder of :func:`sample_analysis`."""
    return Path(sample_analysis.ingest.out_dir)


# --- the store on SQLite and on a real PostgreSQL server (tests/postgres_server.py)

import itertools  # noqa: E402

_database_numbers = itertools.count(1)


def _postgres_unavailable(reason: str) -> None:
    """Skip with the reason; under CI=true fail instead, so a missing server cannot pass unseen."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL tests must run under CI=true, but: {reason}", pytrace=False)
    pytest.skip(f"no PostgreSQL server: {reason}")


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server started for this test run (initdb into a temp folder, 127.0.0.1, a free
    port), stopped with ``pg_ctl stop -m fast`` and removed at the end; skips when PostgreSQL is missing."""
    import atexit

    from postgres_server import PostgresUnavailable, start_postgres

    try:
        import psycopg  # noqa: F401 - the driver of the postgresql+psycopg URLs
    except ImportError:
        _postgres_unavailable("the psycopg driver is not installed: pip install 'psycopg[binary]'")
    try:
        server = start_postgres()
    except PostgresUnavailable as error:
        _postgres_unavailable(str(error))
    atexit.register(server.stop)  # also when the run is interrupted before the fixture's teardown
    server.create_database(POSTGRES_TEST_DATABASE)
    yield server
    server.stop()


POSTGRES_TEST_DATABASE = "workbench_test"


@pytest.fixture()
def postgres_url(postgres_server) -> str:
    """The SQLAlchemy URL (postgresql+psycopg://…) of a new, empty store on the test server: a schema of
    its own (search_path), dropped with its connections after the test."""
    schema = f"store_{os.getpid()}_{next(_database_numbers)}"
    url = postgres_server.create_schema(POSTGRES_TEST_DATABASE, schema)
    yield url
    postgres_server.drop_schema(POSTGRES_TEST_DATABASE, schema)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty store's URL, once on a SQLite file and once on the PostgreSQL test server."""
    if request.param == "sqlite":
        from workbench.storage.store import sqlite_url

        return sqlite_url(tmp_path / "store.sqlite")
    return request.getfixturevalue("postgres_url")
