"""The facilitator's app: Voila serving ``notebooks/apps/workshop.ipynb``, bound to a safe address.

No UI code lives here: the app is ``notebooks/apps/workshop.ipynb`` (ipywidgets views from
``widgets/``); this module decides *what* Voila serves, *where* and *to whom*:

- Voila runs as a subprocess bound to a free port, serving the app notebook only (no file
  browser, no static files, no tracebacks shown to users), with pre-heated kernels that have
  run the app before the next person opens it, and culls the kernels of people who left;
- any other host than loopback needs a token (:mod:`workbench.workshop.access`);
- the facilitator gets a link of their own (``?facilitator=TOKEN``, a fresh random token whose
  hash is stored with the session): only that link shows the facilitator's controls, and the
  store refuses facilitator actions without the token.

``workbench workshop`` runs this app behind the workshop room's server, for the facilitator
(:mod:`workbench.workshop.room`); a published bundle runs it for everyone
(:mod:`workbench.workshop.bundle`).

Example:
    >>> voila_config()["VoilaConfiguration"]["file_allowlist"]
    []
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

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

APP_NOTEBOOK = "workshop.ipynb"
#: where the app notebooks live in a source checkout of CX Workbench
APPS_DIR = Path(__file__).resolve().parents[2] / "notebooks" / "apps"
#: the environment variables the app reads
ENV_RESULTS, ENV_SESSION = "WORKBENCH_RESULTS", "WORKBENCH_SESSION"  # WORKBENCH_STORE passes through as set
VOILA_LOG = "workshop.log"


def register_facilitator(results_dir: Path | str, session: str | None, token: str) -> None:
    """Store the hash of ``token`` with the session in the workshop's store (``WORKBENCH_STORE``, else the
    results folder's SQLite file), replacing any earlier one: from now on only the link with it facilitates.

    Example:
        >>> import tempfile
        >>> from workbench.storage.store import Store
        >>> from workbench.storage.locations import store_url
        >>> folder = Path(tempfile.mkdtemp())
        >>> register_facilitator(folder, "kick-off", "facilitator-token-123456")
        >>> Store(store_url(folder)).is_facilitator("kick-off", None)
        False
    """
    from workbench.storage.store import DEFAULT_WORKSHOP_SESSION, Store
    from workbench.storage.locations import store_url

    store = Store(store_url(Path(results_dir)))
    try:
        store.set_facilitator_token(session or os.environ.get(ENV_SESSION) or DEFAULT_WORKSHOP_SESSION, token)
    finally:
        store.engine.dispose()


def app_notebook(apps_dir: Path | str | None = None) -> Path:
    """The workshop app notebook.

    Raises:
        ServeError: it is not there (the package was installed without its notebooks).

    Example:
        >>> app_notebook().name
        'workshop.ipynb'
    """
    path = Path(apps_dir or APPS_DIR) / APP_NOTEBOOK
    if not path.is_file():
        raise ServeError(
            f"the workshop app is missing: expected {path}; run the workshop from a checkout of CX Workbench "
            "(the app lives in notebooks/apps/)"
        )
    return path


#: a kernel nobody has been connected to for this long is shut down (someone closed their laptop)
CULL_IDLE_SECONDS = 300
#: how often Voila looks for such kernels
CULL_INTERVAL_SECONDS = 60


def voila_config(pool_size: int = 1) -> dict[str, Any]:
    """Voila settings for the app (the content of ``voila.json``): no tracebacks, no files, no tree;
    ``pool_size`` kernels run the app before anyone asks; kernels of people who left are culled.

    Example:
        >>> voila_config()["VoilaConfiguration"]["show_tracebacks"]
        False
        >>> voila_config(pool_size=4)["VoilaConfiguration"]["default_pool_size"]
        4
    """
    return {
        "VoilaConfiguration": {
            "show_tracebacks": False,  # an error shows a short message, never code or data
            "file_allowlist": [],  # /voila/files/ serves nothing: results are read by the kernel only
            "strip_sources": True,  # people see the app, not its code
            # kernels run the app before anyone asks, so the page comes in about half the time
            "preheat_kernel": True,
            "default_pool_size": int(pool_size),
        },
        "Voila": {"open_browser": False, "port_retries": 0},
        # a kernel whose page was closed without saying so (a laptop lid, a lost network) is shut
        # down after a while; pre-heated kernels waiting for someone are never culled (Voila)
        "MappingKernelManager": {"cull_idle_timeout": CULL_IDLE_SECONDS, "cull_interval": CULL_INTERVAL_SECONDS,
                                 "cull_connected": False},
    }


def voila_command(notebook: Path, host: str, port: int, token: str | None = None, pool_size: int = 1,
                  base_url: str = "/") -> list[str]:
    """The ``python -m voila`` command that serves ``notebook`` (and nothing else) on ``host:port``.

    ``pool_size`` kernels are pre-heated; ``base_url`` is the path the app is served under
    (``/facilitator/`` behind the workshop room's server).

    Example:
        >>> cmd = voila_command(Path("/apps/workshop.ipynb"), "127.0.0.1", 8866)
        >>> cmd[1:4], "--show_tracebacks=False" in cmd, "--token=" in cmd
        (['-m', 'voila', '/apps/workshop.ipynb'], True, True)
        >>> "--pool_size=12" in voila_command(Path("/apps/workshop.ipynb"), "127.0.0.1", 8866, pool_size=12)
        True
    """
    return [
        sys.executable, "-m", "voila", str(notebook),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={host.strip('[]')}",
        "--Voila.port_retries=0",  # never move to another port than the one printed
        f"--Voila.base_url={base_url}",
        "--show_tracebacks=False",
        "--strip_sources=True",
        "--preheat_kernel=True",  # the next person's kernel has run the app already
        f"--pool_size={int(pool_size)}",
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
        f"--MappingKernelManager.cull_interval={CULL_INTERVAL_SECONDS}",
        "--MappingKernelManager.cull_connected=False",
        f"--token={token or ''}",
    ]


def workshop_env(results_dir: Path | str, session: str | None = None, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of the Voila server (and so of each app kernel): where results and the store are.

    ``WORKBENCH_STORE`` passes through when set (a team's PostgreSQL); otherwise the app uses
    the SQLite store in the results folder.

    Example:
        >>> env = workshop_env("/r", "retro", base={"PATH": "/bin"})
        >>> env["WORKBENCH_RESULTS"], env["WORKBENCH_SESSION"], "WORKBENCH_STORE" in env
        ('/r', 'retro', False)
    """
    env = dict(os.environ if base is None else base)
    env[ENV_RESULTS] = str(Path(results_dir).resolve())
    if session:
        env[ENV_SESSION] = session
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


@dataclass
class WorkshopServer:
    """A running Voila server of the workshop app (see :func:`start_workshop`).

    Example:
        >>> WorkshopServer(None, "127.0.0.1", 8866, None).url
        'http://127.0.0.1:8866/'
    """

    process: subprocess.Popen | None
    host: str
    port: int
    token: str | None
    log_path: Path | None = None
    facilitator_token: str | None = None
    config_dir: Path | None = None
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
        """The address on this machine (what the browser opened here uses)."""
        return workshop_url(connect_host(self.host), self.port, self.token)

    def wait_until_listening(self, timeout: float = 60.0) -> None:
        """Block until the server accepts connections; raise :class:`ServeError` when it stopped instead."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise ServeError(f"Voila stopped at start (exit code {self.process.returncode}): {self.log_tail()}")
            try:
                with socket.create_connection((connect_host(self.host), self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise ServeError(f"Voila did not start within {timeout:.0f} s; see {self.log_path}")

    def wait_until_warm(self, timeout: float = 90.0) -> bool:
        """Block until the pre-heated kernel has run the app (Voila logs it); False when it took too long.

        The server answers before that too: the first person then waits for the kernel.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise ServeError(f"Voila stopped at start (exit code {self.process.returncode}): {self.log_tail()}")
            if self.log_path is not None and self.log_path.is_file():
                if "Kernel pool of" in self.log_path.read_text(encoding="utf-8", errors="replace"):
                    return True
            time.sleep(0.2)
        return False

    def log_tail(self, lines: int = 5) -> str:
        """The last lines of Voila's log, on one line."""
        if self.log_path is None or not self.log_path.is_file():
            return "no log"
        tail = self.log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-lines:]
        return " | ".join(line.strip() for line in tail) or "empty log"

    def stop(self, timeout: float = 15.0) -> None:
        """Stop Voila (it shuts its kernels down first); kill it if it does not stop within ``timeout``."""
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
        if self.config_dir is not None:
            shutil.rmtree(self.config_dir, ignore_errors=True)
            self.config_dir = None


def start_workshop(
    results_dir: Path | str,
    session: str | None = None,
    host: str = DEFAULT_HOST,
    port: int | None = None,
    token: str | None = None,
    notebook: Path | None = None,
    facilitator: str | None = None,
    pool_size: int = 1,
    base_url: str = "/",
    wait_warm: bool = True,
) -> WorkshopServer:
    """Start Voila on the app in the background; return once it listens and (``wait_warm``) the
    ``pool_size`` pre-heated kernels run the app.

    Binds ``host`` (127.0.0.1 unless told otherwise) on ``port`` or a free one; a non-loopback
    host gets a token (:func:`access_token`). The session gets a facilitator token (``facilitator``
    or a fresh one, see :func:`register_facilitator`); ``server.facilitator_url`` carries it.
    Voila's log goes to ``results_dir/workshop.log``.

    Example:
        >>> server = start_workshop("interview_data/.workbench", port=0)  # doctest: +SKIP
        >>> server.url  # doctest: +SKIP
        'http://127.0.0.1:40123/'
    """
    notebook = Path(notebook) if notebook else app_notebook()
    results_dir = Path(results_dir)
    if port is None or port == 0:
        port = find_free_port(host)
    else:
        check_port(host, port)
    token = access_token(host, token)
    facilitator = facilitator or facilitator_token()
    register_facilitator(results_dir, session, facilitator)  # before any kernel reads the session
    # Voila reads voila.json from its working directory: run it in a private one, so a
    # voila.json wherever the user happens to be cannot loosen these settings.
    config_dir = Path(tempfile.mkdtemp(prefix="workbench-voila-"))
    (config_dir / "voila.json").write_text(json.dumps(voila_config(pool_size), indent=2), encoding="utf-8")
    results_dir.mkdir(parents=True, exist_ok=True)
    log_path = results_dir / VOILA_LOG
    log = open(log_path, "wb")  # noqa: SIM115 - closed by WorkshopServer.stop
    process = subprocess.Popen(
        voila_command(notebook, host, port, token, pool_size=pool_size, base_url=base_url),
        cwd=config_dir,
        env=workshop_env(results_dir, session),
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = WorkshopServer(process, host, port, token, log_path, config_dir=config_dir, _log=log,
                            facilitator_token=facilitator)
    try:
        server.wait_until_listening()
        if wait_warm:
            server.wait_until_warm(timeout=90.0 + 30.0 * pool_size)
    except BaseException:
        server.stop()
        raise
    return server
