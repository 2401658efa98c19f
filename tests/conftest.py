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
