"""The report's workshop section: the quotes workshop participants starred, cited with who said them and where.

Read from the study's store next to the results (``store.sqlite``, or ``WORKBENCH_STORE``) only
when one exists: making a report never creates a store. Each starred quote is cited as
``id · participant · source, turn · ★n`` (:func:`workbench.workshop.starred.quote_citation`).

Example:
    >>> from pathlib import Path
    >>> import tempfile
    >>> _workshop_view(Results(Path(tempfile.mkdtemp()), pd.DataFrame()))["available"]
    False
"""
from __future__ import annotations

import os
from typing import Any

import pandas as pd

from workbench.share.loading import Results
from workbench.workshop.starred import quote_citation, starred_quote_table


def _workshop_view(results: Results) -> dict[str, Any]:
    """{available, sessions: [{name, quotes: [{citation, label, text, stars}]}]} for the templates."""
    from workbench.storage.locations import STORE_FILE, store_url
    from workbench.storage.store import Store

    if not os.environ.get("WORKBENCH_STORE") and not (results.results_dir / STORE_FILE).is_file():
        return {"available": False, "sessions": []}
    store = Store(store_url(results.results_dir))
    labels = {}
    if "painpoint_id" in results.painpoints.columns and "label" in results.painpoints.columns:
        labels = dict(zip(results.painpoints["painpoint_id"].astype(str), results.painpoints["label"].astype(str)))
    sessions = []
    for name in store.star_sessions():
        table = starred_quote_table(store, name, results.passages, results.segments)
        quotes = [{"citation": quote_citation(row), "label": labels.get(str(row["painpoint_id"]), str(row["painpoint_id"])),
                   "text": "" if row["text"] is None or pd.isna(row["text"]) else str(row["text"]), "stars": int(row["stars"])}
                  for row in table.to_dict("records")]
        if quotes:
            sessions.append({"name": name, "quotes": quotes})
    return {"available": bool(sessions), "sessions": sessions}
