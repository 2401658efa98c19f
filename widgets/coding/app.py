"""The coding app a notebook or Voila shows: a coding view over a study's saved results, polling the store.

:func:`coding_app` opens the study's results (``STUDY/.workbench`` or ``WORKBENCH_RESULTS``) and
its store, gives the study the CX starter codebook when its store holds no codes yet, and
returns the :class:`~widgets.coding.view.CodingView`'s widget with polling on, so several coders
in several browsers see each other's codes. When it cannot start it returns a friendly message,
never a traceback (``notebooks/apps/coding.ipynb``).

Example:
    >>> coding_app("/nowhere").value.startswith("<div")
    True
"""
from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

from widgets.coding.state import CodingState
from widgets.coding.view import POLL_SECONDS, CodingView
from workbench.coding.records import store_codebook
from workbench.coding.starter import starter_codebook
from workbench.errors import WorkbenchError

#: the views this kernel runs (a re-run of the notebook stops the earlier view's poller)
_RUNNING: list[CodingView] = []


def coding_app(study_dir: Path | str | None = None, results_dir: Path | str | None = None, coder: str = "",
               poll_seconds: float = POLL_SECONDS) -> Any:
    """The coding view of a study, polling the store every ``poll_seconds``; or a message when it cannot start.

    Args:
        study_dir: the study folder (default: ``WORKBENCH_STUDY``, else ``interview_data``).
        results_dir: its results (default: ``WORKBENCH_RESULTS``, else ``STUDY/.workbench``).
        coder: the coder's name (each coder types theirs in the view otherwise).

    Example:
        >>> coding_app("/nowhere", "/nowhere/.workbench").value
        '<div role="alert"><b>The coding view cannot start.</b> /nowhere/.workbench: no such results folder; run `workbench analyze STUDY` first (or pass --results)</div>'
    """
    import ipywidgets as w

    study = Path(study_dir or os.environ.get("WORKBENCH_STUDY") or "interview_data")
    results = results_dir or os.environ.get("WORKBENCH_RESULTS") or None
    try:
        state = CodingState.open(study, results, coder=coder)
        if not state.codebook.codes:
            store_codebook(state.store, state.study, starter_codebook(), author=coder or None, keep_existing=True)
            state.reload()
    except WorkbenchError as error:
        return w.HTML(f'<div role="alert"><b>The coding view cannot start.</b> {html.escape(str(error))}</div>')
    for running in _RUNNING:
        running.stop()
    _RUNNING.clear()
    view = CodingView(state)
    view.start_polling(poll_seconds)
    _RUNNING.append(view)
    view.widget.coding_view = view
    return view.widget
