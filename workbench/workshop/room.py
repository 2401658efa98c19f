"""Start the workshop room: the participants' server first (it answers at once, with the analysis's
progress while there are no results yet), then the facilitator's Voila app behind it.

Two processes, one address: the room's server (``python -m widgets.workshop.room_app``,
:mod:`workbench.workshop.room_server`) listens where people connect; Voila listens on 127.0.0.1
only, on a port of its own with a token of its own, and is reached through the room's server
under ``/facilitator/`` (:mod:`workbench.workshop.voila_proxy`). The facilitator's link
(``/?facilitator=TOKEN``) leads there; everyone else gets the room's page.

Example:
    >>> FACILITATOR_PATH
    '/facilitator/'
"""
from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from workbench.workshop.access import (
    DEFAULT_HOST,
    ServeError,
    access_token,
    check_port,
    connect_host,
    facilitator_token,
    find_free_port,
    workshop_url,
)
from workbench.workshop.progress import ANALYSING, READY, write_startup_state
from workbench.workshop.voila_app import WorkshopServer, register_facilitator, start_workshop, workshop_env

FACILITATOR_PATH = "/facilitator/"
ROOM_LOG = "workshop-room.log"
ENV_ROOM_TOKEN, ENV_VOILA_TOKEN = "WORKBENCH_ROOM_TOKEN", "WORKBENCH_VOILA_TOKEN"


def room_command(results_dir: Path, session: str, host: str, port: int, startup_file: Path | None,
                 voila_port: int | None) -> list[str]:
    """The command of the room's server (tokens travel in its environment, not here).

    Example:
        >>> cmd = room_command(Path("/r"), "kick-off", "127.0.0.1", 8866, None, 8867)
        >>> cmd[1:3], cmd[cmd.index("--voila-port") + 1]
        (['-m', 'widgets.workshop.room_app'], '8867')
    """
    command = [sys.executable, "-m", "widgets.workshop.room_app", "--results", str(results_dir), "--session", session,
               "--host", host.strip("[]"), "--port", str(port)]
    if startup_file is not None:
        command += ["--startup-file", str(startup_file)]
    if voila_port:
        command += ["--voila-port", str(voila_port)]
    return command


@dataclass
class WorkshopRoom:
    """A running workshop room: the participants' server and, once started, the facilitator's Voila.

    Example:
        >>> WorkshopRoom(None, "127.0.0.1", 8866, None, "kick-off", Path("r")).url
        'http://127.0.0.1:8866/'
    """

    process: subprocess.Popen | None
    host: str
    port: int
    token: str | None
    session: str
    results_dir: Path
    facilitator_token: str | None = None
    startup_file: Path | None = None
    work_dir: Path | None = None
    log_path: Path | None = None
    voila_port: int | None = None
    voila_token: str | None = None
    voila: WorkshopServer | None = None
    _log: IO[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """The address people open."""
        return workshop_url(self.host, self.port, self.token)

    @property
    def facilitator_url(self) -> str:
        """The facilitator's address (the participants' one plus ``facilitator=TOKEN``)."""
        return workshop_url(self.host, self.port, self.token, self.facilitator_token)

    @property
    def local_url(self) -> str:
        """The address on this machine."""
        return workshop_url(connect_host(self.host), self.port, self.token)

    def running(self) -> bool:
        """Whether the room's server still runs."""
        return self.process is not None and self.process.poll() is None

    def wait_until_listening(self, timeout: float = 60.0) -> None:
        """Block until the room's server accepts connections; raise :class:`ServeError` when it stopped."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise ServeError(f"the workshop room stopped at start (exit code {self.process.returncode}): "
                                 f"{self.log_tail()}")
            try:
                with socket.create_connection((connect_host(self.host), self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise ServeError(f"the workshop room did not start within {timeout:.0f} s; see {self.log_path}")

    def wait_until_ready(self, timeout: float = 120.0) -> bool:
        """Block until the room's page shows the results (they are read once, after the analysis if any);
        False when it took too long or the start-up failed."""
        import json
        import urllib.request

        url = workshop_url(connect_host(self.host), self.port, self.token).replace("/?", "/progress.json?", 1)
        if "progress.json" not in url:
            url += "progress.json"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.running():
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    state = json.loads(response.read()).get("state")
            except (OSError, ValueError):
                state = None
            if state in (READY, "failed"):
                return state == READY
            time.sleep(0.2)
        return False

    def set_startup(self, state: str, message: str = "") -> None:
        """Tell the room's server how the start-up goes (``analysing``, ``ready``, ``failed``)."""
        if self.startup_file is not None:
            write_startup_state(self.startup_file, state, message)

    def start_facilitator(self, wait_warm: bool = False) -> WorkshopServer:
        """Start the facilitator's Voila app (results must be ready: its kernel reads them at once)."""
        if self.voila is None:
            self.voila = start_workshop(self.results_dir, session=self.session, host="127.0.0.1", port=self.voila_port,
                                        token=self.voila_token, facilitator=self.facilitator_token,
                                        base_url=FACILITATOR_PATH, wait_warm=wait_warm)
        return self.voila

    def facilitator_ready(self) -> bool:
        """Whether the facilitator's app has a kernel that ran the app already (its link opens fast)."""
        log = self.voila.log_path if self.voila is not None else None
        return log is not None and log.is_file() and "Kernel pool of" in log.read_text(encoding="utf-8", errors="replace")

    def wait_until_facilitator_ready(self, timeout: float = 180.0) -> bool:
        """Start the facilitator's app if needed and wait until it is warm; False when it took too long."""
        self.start_facilitator()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.facilitator_ready():
                return True
            time.sleep(0.2)
        return False

    def pids(self) -> list[int]:
        """The room's server and the facilitator's Voila (their kernels are their children)."""
        found = [self.process.pid] if self.process is not None else []
        if self.voila is not None and self.voila.process is not None:
            found.append(self.voila.process.pid)
        return found

    def log_tail(self, lines: int = 5) -> str:
        """The last lines of the room's log, on one line."""
        if self.log_path is None or not self.log_path.is_file():
            return "no log"
        tail = self.log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-lines:]
        return " | ".join(line.strip() for line in tail) or "empty log"

    def stop(self, timeout: float = 15.0) -> None:
        """Stop Voila (and its kernels), then the room's server."""
        if self.voila is not None:
            self.voila.stop(timeout)
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self._log is not None:
            self._log.close()
            self._log = None
        if self.work_dir is not None:
            shutil.rmtree(self.work_dir, ignore_errors=True)
            self.work_dir = None


def start_room(
    results_dir: Path | str,
    session: str | None = None,
    host: str = DEFAULT_HOST,
    port: int | None = None,
    token: str | None = None,
    facilitator: str | None = None,
    analysing: str | None = None,
    start_facilitator: bool = True,
) -> WorkshopRoom:
    """Start the room's server in the background and return once it listens.

    ``analysing`` (why the results are being made, e.g. "no results yet") makes the link show the
    analysis's progress until :meth:`WorkshopRoom.set_startup` says ``ready``; without it the
    results are read at once and (``start_facilitator``) the facilitator's Voila is started too.
    Binds ``host`` (127.0.0.1 unless told otherwise) on ``port`` or a free one; any other host
    gets a token. The room's log goes to ``results_dir/workshop-room.log``.

    Example:
        >>> room = start_room("interview_data/.workbench", port=0)  # doctest: +SKIP
        >>> room.url  # doctest: +SKIP
        'http://127.0.0.1:40123/'
    """
    from workbench.storage.store import DEFAULT_WORKSHOP_SESSION

    results_dir = Path(results_dir).resolve()
    if port is None or port == 0:
        port = find_free_port(host)
    else:
        check_port(host, port)
    token = access_token(host, token)
    name = session or os.environ.get("WORKBENCH_SESSION") or DEFAULT_WORKSHOP_SESSION
    facilitator = facilitator or facilitator_token()
    results_dir.mkdir(parents=True, exist_ok=True)
    register_facilitator(results_dir, name, facilitator)
    work_dir = Path(tempfile.mkdtemp(prefix="workbench-room-"))
    startup_file = work_dir / "startup.json"
    if analysing:
        write_startup_state(startup_file, ANALYSING, analysing, since=time.time())
    else:
        write_startup_state(startup_file, READY)
    voila_port, voila_token = find_free_port("127.0.0.1"), secrets.token_urlsafe(24)
    env = workshop_env(results_dir, name)
    env[ENV_VOILA_TOKEN] = voila_token
    if token:
        env[ENV_ROOM_TOKEN] = token
    log_path = results_dir / ROOM_LOG
    log = open(log_path, "wb")  # noqa: SIM115 - closed by WorkshopRoom.stop
    process = subprocess.Popen(room_command(results_dir, name, host, port, startup_file, voila_port), cwd=work_dir,
                               env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    room = WorkshopRoom(process, host, port, token, name, results_dir, facilitator, startup_file, work_dir, log_path,
                        voila_port, voila_token, _log=log)
    try:
        room.wait_until_listening()
        if start_facilitator and not analysing:
            room.start_facilitator()
    except BaseException:
        room.stop()
        raise
    return room
