"""Where a study's shared state lives: the store's URL and the key a study is filed under.

Example:
    >>> study_key(Path("/data/interview_data"))
    'interview_data'
"""
from __future__ import annotations

import os
from pathlib import Path

STORE_FILE = "store.sqlite"


def store_url(out_dir: Path) -> str:
    """The store of a study: ``WORKBENCH_STORE`` when set, else a SQLite file in the results folder.

    Example:
        >>> store_url(Path("/tmp/results")).startswith(("sqlite:///", "postgresql"))
        True
    """
    from workbench.storage.store import sqlite_url  # SQLAlchemy only when a URL is asked for

    return os.environ.get("WORKBENCH_STORE") or sqlite_url(Path(out_dir) / STORE_FILE)


def study_key(study_dir: Path) -> str:
    """The name a study's shared state is filed under in the store (the folder name).

    Example:
        >>> study_key(Path("/data/interview_data"))
        'interview_data'
    """
    return Path(study_dir).resolve().name
