"""Serve the live workshop: ``workbench workshop`` from start to Ctrl-C.

The link answers at once: the workshop room's server starts first (:mod:`workbench.workshop.room`)
and, while the study is being analysed (no results yet, or stale ones), shows the analysis's
progress; the analysis runs in a child process, so its models leave memory when it is done.
Then participants get the room's page (one process for everyone: a dozen people opening the
link together all see cards within seconds on a laptop) and the facilitator's link the Voila app
(:mod:`workbench.workshop.voila_app`).

The names of :mod:`workbench.workshop.voila_app` and :mod:`workbench.workshop.access` are
importable from here too (the Voila app alone is what a published bundle serves).

Example:
    >>> voila_config()["VoilaConfiguration"]["file_allowlist"]
    []
"""
from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbench.errors import StudyError
from workbench.workshop.access import (
    DEFAULT_HOST,
    ServeError,
    access_token,
    check_port,
    connect_host,
    facilitator_token,
    find_free_port,
    is_loopback,
    is_wildcard,
    workshop_url,
)
from workbench.workshop.progress import FAILED, READY
from workbench.workshop.room import WorkshopRoom, start_room
from workbench.workshop.voila_app import (
    APP_NOTEBOOK,
    APPS_DIR,
    ENV_RESULTS,
    ENV_SESSION,
    VOILA_LOG,
    WorkshopServer,
    app_notebook,
    register_facilitator,
    start_workshop,
    voila_command,
    voila_config,
    workshop_env,
)

__all__ = [
    "APPS_DIR", "APP_NOTEBOOK", "DEFAULT_HOST", "ENV_RESULTS", "ENV_SESSION", "VOILA_LOG", "ServeError",
    "WorkshopRoom", "WorkshopServer", "access_token", "app_notebook", "check_port", "facilitator_token",
    "find_free_port", "is_loopback", "register_facilitator", "serve_workshop", "start_room", "start_workshop",
    "voila_command", "voila_config", "workshop_env", "workshop_url",
]


def serve_workshop(
    results_dir: Path | str,
    session: str | None = None,
    host: str = DEFAULT_HOST,
    port: int | None = None,
    open_browser: bool = True,
    echo: Callable[[str], Any] = print,
    study_dir: Path | str | None = None,
    after_results: Callable[[], Any] | None = None,
) -> None:
    """Serve the workshop until Ctrl-C (or SIGTERM): print the links, open a browser, stop cleanly.

    With ``study_dir`` the results are checked first; missing or stale ones are made again while
    the link already answers with the analysis's progress. ``after_results`` runs once they are
    ready (``workbench demo`` writes its report there).

    Raises:
        StudyError: ``study_dir`` is not a folder, or its analysis failed.

    Example:
        >>> serve_workshop("interview_data/.workbench", open_browser=False)  # doctest: +SKIP
        Workshop running at http://127.0.0.1:40123/
    """
    from workbench.workshop.freshness import results_problems

    problems: list[str] = []
    if study_dir is not None:
        if not Path(study_dir).is_dir():
            raise StudyError(f"no such study folder: {study_dir}; pass the folder that holds your transcripts/ and feedback/")
        problems = results_problems(study_dir, results_dir)
    shown = ", ".join(problems[:3]) + (f" and {len(problems) - 3} more" if len(problems) > 3 else "")
    room = start_room(results_dir, session=session, host=host, port=port, analysing=shown or None)
    previous = signal.getsignal(signal.SIGTERM)
    try:
        signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
        echo(f"Workshop running at {room.url}")
        echo(f"Facilitator link (keep it to yourself: it hides and reveals votes, runs the timer, exports): "
             f"{room.facilitator_url}")
        if not is_loopback(host):
            echo("Anyone who can reach this machine and has the link (with its token) can join; share it only with them.")
            if is_wildcard(host):
                echo(f"On this machine: {room.local_url}")
        echo(f"Session {room.session}; results {room.results_dir}; logs {room.log_path} and "
             f"{room.results_dir / VOILA_LOG}")
        echo("Press Ctrl-C to stop.")
        if open_browser:  # the person who started the workshop facilitates it
            webbrowser.open(workshop_url(connect_host(room.host), room.port, room.token, room.facilitator_token))
        if problems:
            echo("The link shows the analysis's progress until the workshop is ready.")
            _analyse(Path(study_dir or "."), room, echo)
        if after_results is not None:
            after_results()
        room.start_facilitator()
        _wait(room, echo)
    except KeyboardInterrupt:
        echo("Stopping the workshop…")
        if room.process is not None:  # Ctrl-C in a terminal reached the room's server too: give it a moment
            try:
                room.process.wait(5)
            except subprocess.TimeoutExpired:
                pass
    finally:
        room.stop()
        signal.signal(signal.SIGTERM, previous)
    echo("Workshop stopped.")


def _wait(room: WorkshopRoom, echo: Callable[[str], Any]) -> None:
    """Until the room's server stops: say once when the facilitator's app is warm, or when it died."""
    announced = warned = False
    while room.running():
        if not announced and room.facilitator_ready():
            echo("Facilitator view ready.")
            announced = True
        voila = room.voila.process if room.voila is not None else None
        if voila is not None and voila.poll() is not None and not warned:
            echo(f"The facilitator's app stopped (exit code {voila.returncode}); see {room.results_dir / VOILA_LOG}")
            warned = True
        time.sleep(0.5)
    if room.process is not None and room.process.returncode not in (0, None, -signal.SIGINT, -signal.SIGTERM):
        raise ServeError(f"the workshop room stopped (exit code {room.process.returncode}): {room.log_tail()}")


def _analyse(study_dir: Path, room: WorkshopRoom, echo: Callable[[str], Any]) -> None:
    """Make the results again in a child process (its output through ``echo``); tell the room how it went."""
    child = subprocess.Popen([sys.executable, "-m", "workbench.workshop.freshness", str(study_dir), str(room.results_dir)],
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    errors: list[str] = []

    def relay(stream: Any, sink: Callable[[str], Any]) -> None:
        for line in stream:
            sink(line.rstrip("\n"))

    readers = [threading.Thread(target=relay, args=(child.stdout, echo), daemon=True),
               threading.Thread(target=relay, args=(child.stderr, errors.append), daemon=True)]
    for reader in readers:
        reader.start()
    try:
        while child.poll() is None:
            time.sleep(0.2)
    except KeyboardInterrupt:
        child.terminate()
        child.wait(10)
        raise
    for reader in readers:
        reader.join(5)
    if child.returncode != 0:
        message = next((line for line in reversed(errors) if line.strip()), "") or \
            f"the analysis of {study_dir} stopped (exit code {child.returncode})"
        room.set_startup(FAILED, message)
        raise StudyError(message)
    room.set_startup(READY)


def _raise_keyboard_interrupt(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt
