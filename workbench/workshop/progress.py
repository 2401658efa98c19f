"""What a workshop link shows while the results are still being analysed: the state of the start-up
(analysing, ready, failed) and how far the analysis got.

The launcher (:mod:`workbench.workshop.room`) writes the state to a small JSON file
(:func:`write_startup_state`); the room's server reads it (:func:`read_startup_state`) and the
analysis's progress from the files its staging folder holds so far (:func:`analysis_progress`:
``run_analyze`` writes each table there before committing them together), and answers every
request with :func:`progress_page` until the results are ready.

Example:
    >>> [stage.title for stage in STAGES][:2]
    ['Reading the transcripts and feedback', 'Finding the pain points']
"""
from __future__ import annotations

import html
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: the staging folder ``run_analyze`` writes the tables to before it commits them
STAGING = ".staging"
ANALYSING, READY, FAILED = "analysing", "ready", "failed"


@dataclass(frozen=True)
class Stage:
    """One step of the analysis, done once its last table is in the staging folder.

    Example:
        >>> Stage("Finding the pain points", ("painpoints.parquet",)).done_when
        ('painpoints.parquet',)
    """

    title: str
    done_when: tuple[str, ...]


STAGES = (
    Stage("Reading the transcripts and feedback", ("segments.parquet", "participants.parquet")),
    Stage("Finding the pain points", ("painpoints.parquet", "assignments.parquet")),
    Stage("Personas and the journey map", ("personas.parquet", "journey.parquet")),
    Stage("Checking how far to trust them (stability, saturation, impact)", ("manifest.json",)),
)


def write_startup_state(path: Path | str, state: str, message: str = "", since: float | None = None) -> None:
    """Write the start-up state (``analysing``, ``ready`` or ``failed`` with its ``message``), atomically.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "startup.json"
        >>> write_startup_state(path, ANALYSING, "no results yet", since=100.0)
        >>> read_startup_state(path)["state"], read_startup_state(path)["message"]
        ('analysing', 'no results yet')
    """
    path = Path(path)
    if since is None:
        since = read_startup_state(path).get("since") or time.time()
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps({"state": state, "message": message, "since": since}), encoding="utf-8")
    os.replace(temporary, path)


def read_startup_state(path: Path | str | None) -> dict[str, Any]:
    """The start-up state; ``ready`` when there is no such file (results were there from the start).

    Example:
        >>> read_startup_state(None)["state"]
        'ready'
    """
    if path is None or not Path(path).is_file():
        return {"state": READY, "message": "", "since": None}
    try:
        found = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"state": ANALYSING, "message": "", "since": None}  # being replaced right now
    return {"state": str(found.get("state", ANALYSING)), "message": str(found.get("message", "")),
            "since": found.get("since")}


def analysis_progress(results_dir: Path | str, since: float | None = None, now: float | None = None) -> dict[str, Any]:
    """How far the analysis of ``results_dir`` got: each stage done or not, the current one, seconds since start.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> (folder / STAGING).mkdir()
        >>> for name in ("segments.parquet", "participants.parquet"):
        ...     _ = (folder / STAGING / name).write_bytes(b"")
        >>> progress = analysis_progress(folder, since=10.0, now=25.0)
        >>> progress["done"], progress["current"], progress["seconds"]
        (1, 'Finding the pain points', 15)
    """
    staging = Path(results_dir) / STAGING
    present = {p.name for p in staging.iterdir()} if staging.is_dir() else set()
    stages, done = [], 0
    for stage in STAGES:
        finished = all(name in present for name in stage.done_when)
        if finished and done == len(stages):
            done += 1
        stages.append({"title": stage.title, "done": finished})
    current = STAGES[done].title if done < len(STAGES) else "Saving the results"
    seconds = None if since is None else int(max(0.0, (now or time.time()) - float(since)))
    return {"stages": stages, "done": done, "total": len(STAGES), "current": current, "seconds": seconds}


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2937; margin: 40px auto; max-width: 640px;
        padding: 0 16px; line-height: 1.45; }}
h1 {{ font-size: 1.35em; }} .muted {{ color: #6b7280; }} .error {{ color: #991b1b; background: #fee2e2; padding: 8px 12px;
border-radius: 6px; }} progress {{ width: 100%; height: 14px; }} li.done {{ color: #166534; }} li.now {{ font-weight: 600; }}
</style></head>
<body><h1>{heading}</h1>
<div id="progress" role="status" aria-live="polite">{body}</div>
<p class="muted">This page follows along by itself and opens the workshop when it is ready.</p>
<script>
(function () {{
  function render(s) {{
    if (s.state === "ready") {{ location.reload(); return; }}
    var box = document.getElementById("progress");
    box.textContent = "";
    if (s.state === "failed") {{
      var p = document.createElement("p"); p.className = "error"; p.textContent = s.message; box.appendChild(p); return;
    }}
    var bar = document.createElement("progress"); bar.max = s.total; bar.value = s.done; box.appendChild(bar);
    var p = document.createElement("p");
    p.textContent = "Step " + Math.min(s.done + 1, s.total) + " of " + s.total + ": " + s.current +
                    (s.seconds === null ? "" : " (" + s.seconds + " s so far)");
    box.appendChild(p);
    var list = document.createElement("ol");
    s.stages.forEach(function (st, i) {{
      var li = document.createElement("li"); li.textContent = st.title + (st.done ? " ✓" : "");
      li.className = st.done ? "done" : (i === s.done ? "now" : ""); list.appendChild(li);
    }});
    box.appendChild(list);
  }}
  function poll() {{
    fetch("{progress_url}", {{cache: "no-store", credentials: "same-origin"}})
      .then(function (r) {{ return r.json(); }}).then(render).catch(function () {{}})
      .finally(function () {{ setTimeout(poll, 1000); }});
  }}
  setTimeout(poll, 1000);
}})();
</script></body></html>
"""


def progress_page(state: dict[str, Any], progress: dict[str, Any] | None, title: str = "Workshop",
                  progress_url: str = "progress.json") -> str:
    """The page a workshop link shows before the results are ready: what is happening, and how far it got.

    Example:
        >>> page = progress_page({"state": "analysing", "message": ""},
        ...                      {"stages": [], "done": 1, "total": 4, "current": "Finding the pain points", "seconds": 12})
        >>> "Step 2 of 4: Finding the pain points (12 s so far)" in page
        True
        >>> "not ready" in progress_page({"state": "failed", "message": "<no study>"}, None)
        True
    """
    escape = html.escape
    if state.get("state") == FAILED:
        heading = "The workshop could not get ready"
        body = f'<p class="error">{escape(state.get("message") or "The analysis failed.")} The workshop is not ready.</p>'
    elif progress is None:
        heading = "The workshop is starting"
        body = "<p>Loading the results…</p>"
    else:
        heading = "The workshop is getting ready: the results are being analysed"
        seconds = "" if progress.get("seconds") is None else f" ({progress['seconds']} s so far)"
        items = "".join(
            f'<li class="{"done" if s["done"] else ("now" if i == progress["done"] else "")}">{escape(s["title"])}'
            f'{" ✓" if s["done"] else ""}</li>' for i, s in enumerate(progress.get("stages", [])))
        body = (f'<progress max="{progress["total"]}" value="{progress["done"]}"></progress>'
                f'<p>Step {min(progress["done"] + 1, progress["total"])} of {progress["total"]}: '
                f'{escape(progress["current"])}{seconds}</p><ol>{items}</ol>')
    return PAGE.format(title=escape(title), heading=escape(heading), body=body, progress_url=escape(progress_url))
