"""Serve the live workshop app with Voila, and publish it as a bundle another machine can serve.

No UI code lives here: the app is ``notebooks/apps/workshop.ipynb`` (ipywidgets views from
``widgets/``); this module decides *what* is served, *where* and *to whom*:

- results are loaded from the study's results folder and re-made by ``run_analyze`` when they
  are missing or stale (the manifest's input hashes differ from the study's files now);
- Voila runs as a subprocess bound to 127.0.0.1 on a free port, serving the app notebook only
  (no file browser, no static files, no tracebacks shown to users), with one pre-heated kernel
  that has run the app before the next person opens it;
- any other host needs a token, generated here and put in the printed URL;
- the facilitator gets a link of their own (``?facilitator=TOKEN``, a fresh random token whose
  hash is stored with the session): only that link shows the facilitator's controls, and the
  store refuses facilitator actions without the token;
- ``publish_bundle`` writes the app, redacted results, vendored sources, ``requirements.txt``,
  ``voila.json`` and a README into one folder that plain ``voila`` can serve.

Example:
    >>> workshop_url("127.0.0.1", 8866)
    'http://127.0.0.1:8866/'
"""
from __future__ import annotations

import ipaddress
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from workbench.errors import WorkbenchError

DEFAULT_HOST = "127.0.0.1"
APP_NOTEBOOK = "workshop.ipynb"
#: where the app notebooks live in a source checkout of CX Workbench
APPS_DIR = Path(__file__).resolve().parent.parent / "notebooks" / "apps"
#: results tables the app reads; each is copied to a published bundle through :func:`redact_for_bundle`
APP_RESULT_FILES = (
    "painpoints.parquet",
    "personas.parquet",
    "journey.parquet",
    "passages.parquet",
    "assignments.parquet",
    "participants.parquet",
    "manifest.json",
)
#: never copied out of a results folder, whatever the app needs
PRIVATE_RESULT_FILES = ("pseudonyms.json", "segments.parquet", "ingest_report.json", "store.sqlite")
#: participant columns that would identify a person (ingest drops them too; dropped again to be sure)
PERSONAL_COLUMNS = frozenset({"name", "full_name", "first_name", "last_name", "email", "phone", "phone_number", "address"})
#: third-party packages the app imports when it runs (Voila, ``widgets``, the parts of ``workbench`` they use)
APP_REQUIREMENTS = ("voila", "ipywidgets", "pandas", "pyarrow", "numpy", "sqlalchemy", "plotly", "markupsafe")
#: the environment variables the app reads
ENV_RESULTS, ENV_SESSION = "WORKBENCH_RESULTS", "WORKBENCH_SESSION"  # WORKBENCH_STORE passes through as set
BUNDLE_RESULTS_DIR = "results"
VOILA_LOG = "workshop.log"


class ServeError(WorkbenchError):
    """The workshop cannot be served or published as asked.

    Example:
        >>> str(ServeError("port 8866 on 127.0.0.1 is in use; pass another --port"))
        'port 8866 on 127.0.0.1 is in use; pass another --port'
    """


# --------------------------------------------------------------------------- hosts, ports, tokens


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only (127.0.0.0/8, ::1, localhost).

    Example:
        >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0"), is_loopback("10.1.2.3")
        (True, True, False, False)
    """
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: other machines may reach it


def is_wildcard(host: str) -> bool:
    """Whether ``host`` means "every interface" (0.0.0.0, ::, or empty).

    Example:
        >>> is_wildcard("0.0.0.0"), is_wildcard("::"), is_wildcard("127.0.0.1")
        (True, True, False)
    """
    return host.strip("[]") in ("", "0.0.0.0", "::")


def _connect_host(host: str) -> str:
    """The address a client on this machine uses to reach a server bound to ``host``."""
    return "127.0.0.1" if is_wildcard(host) else host.strip("[]")


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET


def find_free_port(host: str = DEFAULT_HOST) -> int:
    """A TCP port nobody listens on at ``host`` right now (the OS picks it).

    Example:
        >>> 1024 <= find_free_port() <= 65535
        True
    """
    with socket.socket(_family(host), socket.SOCK_STREAM) as sock:
        sock.bind((host.strip("[]"), 0))
        return int(sock.getsockname()[1])


def check_port(host: str, port: int) -> None:
    """Raise :class:`ServeError` unless a server could listen on ``host:port``.

    Example:
        >>> check_port("127.0.0.1", 0)
        >>> check_port("127.0.0.1", 70000)
        Traceback (most recent call last):
        ...
        workbench.workshop.ServeError: --port 70000 is not a port number; pass one between 1 and 65535, or leave --port out to pick a free one
    """
    if not 0 <= port <= 65535:
        raise ServeError(
            f"--port {port} is not a port number; pass one between 1 and 65535, or leave --port out to pick a free one"
        )
    try:
        with socket.socket(_family(host), socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host.strip("[]"), port))
    except socket.gaierror as error:
        raise ServeError(f"--host {host}: not an address of this machine ({error.strerror}); use 127.0.0.1 or 0.0.0.0") from error
    except OSError as error:
        if port and error.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
            raise ServeError(
                f"port {port} on {host} is in use; pass another --port, or leave --port out to pick a free one"
            ) from error
        raise ServeError(f"cannot listen on {host}:{port} ({error.strerror}); use --host 127.0.0.1 or another --port") from error


def access_token(host: str, token: str | None = None) -> str | None:
    """The token people need to open the app: None on a loopback host, else ``token`` or a new random one.

    Anything but 127.0.0.1/localhost is reachable from other machines, so it is never served
    without a token.

    Example:
        >>> access_token("127.0.0.1") is None
        True
        >>> len(access_token("0.0.0.0")) >= 32
        True
        >>> access_token("0.0.0.0", "given")
        'given'
    """
    if is_loopback(host):
        return token or None
    return token or secrets.token_urlsafe(32)


def workshop_url(host: str, port: int, token: str | None = None, facilitator: str | None = None) -> str:
    """The address people open; a wildcard host is shown as this machine's network address.
    ``facilitator`` makes it the facilitator's link.

    Example:
        >>> workshop_url("127.0.0.1", 8866, "abc")
        'http://127.0.0.1:8866/?token=abc'
        >>> workshop_url("::1", 8866)
        'http://[::1]:8866/'
        >>> workshop_url("127.0.0.1", 8866, "abc", facilitator="xyz")
        'http://127.0.0.1:8866/?token=abc&facilitator=xyz'
    """
    from urllib.parse import urlencode

    shown = _network_address() if is_wildcard(host) else host.strip("[]")
    if ":" in shown:
        shown = f"[{shown}]"
    query = {key: value for key, value in (("token", token), ("facilitator", facilitator)) if value}
    return f"http://{shown}:{port}/" + (f"?{urlencode(query)}" if query else "")


def facilitator_token() -> str:
    """A fresh facilitator token: random, URL-safe, long enough not to be guessed.

    Example:
        >>> len(facilitator_token()) >= 32 and facilitator_token() != facilitator_token()
        True
    """
    return secrets.token_urlsafe(24)


def register_facilitator(results_dir: Path | str, session: str | None, token: str) -> None:
    """Store the hash of ``token`` with the session in the workshop's store (``WORKBENCH_STORE``, else the
    results folder's SQLite file), replacing any earlier one: from now on only the link with it facilitates.

    Example:
        >>> import tempfile
        >>> from workbench.store import Store
        >>> from workbench.study import store_url
        >>> folder = Path(tempfile.mkdtemp())
        >>> register_facilitator(folder, "kick-off", "facilitator-token-123456")
        >>> Store(store_url(folder)).is_facilitator("kick-off", None)
        False
    """
    from workbench.store import DEFAULT_WORKSHOP_SESSION, Store
    from workbench.study import store_url

    store = Store(store_url(Path(results_dir)))
    try:
        store.set_facilitator_token(session or os.environ.get(ENV_SESSION) or DEFAULT_WORKSHOP_SESSION, token)
    finally:
        store.engine.dispose()


def _network_address() -> str:
    """This machine's address on its network (what others type), else its host name.

    No packet is sent: connecting a UDP socket only picks the interface a route would use.
    """
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere real
            address = str(probe.getsockname()[0])
        if not ipaddress.ip_address(address).is_loopback and address != "0.0.0.0":
            return address
    except OSError:
        pass
    return socket.gethostname()


# --------------------------------------------------------------------------- results


def results_problems(study_dir: Path | str, results_dir: Path | str) -> list[str]:
    """Why the saved results cannot be served as they are (empty: they are complete and current).

    Results are stale when the manifest's input hashes differ from the study's files now
    (a transcript edited, added or removed, ``study.toml`` changed).

    Example:
        >>> import tempfile
        >>> results_problems(tempfile.mkdtemp(), Path(tempfile.mkdtemp()) / "nowhere")
        ['no results yet']
    """
    from workbench.manifest import changed_inputs, current_input_hashes

    from workbench.fileio import recover_results

    results_dir = Path(results_dir)
    recover_results(results_dir)  # a run killed mid-commit: finish or undo it before judging
    manifest_path = results_dir / "manifest.json"
    if not manifest_path.is_file():
        return ["no results yet"]
    missing = [name for name in APP_RESULT_FILES if not (results_dir / name).is_file()]
    if missing:
        return [f"{name} missing" for name in missing]
    try:
        recorded = json.loads(manifest_path.read_text(encoding="utf-8")).get("inputs", {})
    except (OSError, ValueError):
        return ["manifest.json unreadable"]
    try:
        current = current_input_hashes(Path(study_dir))
    except WorkbenchError as error:
        return [str(error)]
    return changed_inputs(recorded, current)


def ensure_results(
    study_dir: Path | str,
    results_dir: Path | str,
    echo: Callable[[str], Any] = print,
    progress: bool | None = None,
) -> bool:
    """Make sure ``results_dir`` holds current results of ``study_dir``; analyse when it does not.

    A re-analysis keeps the embedder and seed the previous results were made with.
    Returns True when the study was (re-)analysed.

    Raises:
        StudyError: the study folder does not exist or cannot be analysed.

    Example:
        >>> ensure_results("no/such/study", "no/such/study/.workbench")
        Traceback (most recent call last):
        ...
        workbench.errors.StudyError: no such study folder: no/such/study; pass the folder that holds your transcripts/ and feedback/
    """
    from workbench.errors import StudyError

    study_dir, results_dir = Path(study_dir), Path(results_dir)
    if not study_dir.is_dir():
        raise StudyError(f"no such study folder: {study_dir}; pass the folder that holds your transcripts/ and feedback/")
    problems = results_problems(study_dir, results_dir)
    if not problems:
        return False
    options: dict[str, Any] = {}
    if (results_dir / "manifest.json").is_file():
        try:
            options = json.loads((results_dir / "manifest.json").read_text(encoding="utf-8")).get("options", {})
        except (OSError, ValueError):
            options = {}
    shown = ", ".join(problems[:3]) + (f" and {len(problems) - 3} more" if len(problems) > 3 else "")
    echo(f"Analysing {study_dir} first ({shown}); this takes a minute or two.")
    from workbench.study import run_analyze

    embedder = str(options.get("embedder") or "minilm")
    if embedder.startswith("static"):
        embedder = "static"
    result = run_analyze(study_dir, results_dir, embedder=embedder, seed=options.get("seed"), progress=progress)
    echo(f"{result.manifest['counts']['painpoints']} pain points saved to {results_dir}")
    return True


# --------------------------------------------------------------------------- Voila


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


def voila_config() -> dict[str, Any]:
    """Voila settings for the app (the content of ``voila.json``): no tracebacks, no files, no tree.

    Example:
        >>> voila_config()["VoilaConfiguration"]["show_tracebacks"]
        False
    """
    return {
        "VoilaConfiguration": {
            "show_tracebacks": False,  # an error shows a short message, never code or data
            "file_allowlist": [],  # /voila/files/ serves nothing: results are read by the kernel only
            "strip_sources": True,  # people see the app, not its code
            # one kernel runs the app before anyone asks, so the page comes in about half the time
            "preheat_kernel": True,
            "default_pool_size": 1,
        },
        "Voila": {"open_browser": False, "port_retries": 0},
    }


def voila_command(notebook: Path, host: str, port: int, token: str | None = None) -> list[str]:
    """The ``python -m voila`` command that serves ``notebook`` (and nothing else) on ``host:port``.

    Example:
        >>> cmd = voila_command(Path("/apps/workshop.ipynb"), "127.0.0.1", 8866)
        >>> cmd[1:4], "--show_tracebacks=False" in cmd, "--token=" in cmd
        (['-m', 'voila', '/apps/workshop.ipynb'], True, True)
    """
    return [
        sys.executable, "-m", "voila", str(notebook),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={host.strip('[]')}",
        "--Voila.port_retries=0",  # never move to another port than the one printed
        "--show_tracebacks=False",
        "--strip_sources=True",
        "--preheat_kernel=True",  # the next person's kernel has run the app already
        "--pool_size=1",
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
        return workshop_url(_connect_host(self.host), self.port, self.token)

    def wait_until_listening(self, timeout: float = 60.0) -> None:
        """Block until the server accepts connections; raise :class:`ServeError` when it stopped instead."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise ServeError(f"Voila stopped at start (exit code {self.process.returncode}): {self.log_tail()}")
            try:
                with socket.create_connection((_connect_host(self.host), self.port), timeout=1):
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
) -> WorkshopServer:
    """Start Voila on the app in the background; return once it listens and a pre-heated kernel runs the app.

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
    (config_dir / "voila.json").write_text(json.dumps(voila_config(), indent=2), encoding="utf-8")
    results_dir.mkdir(parents=True, exist_ok=True)
    log_path = results_dir / VOILA_LOG
    log = open(log_path, "wb")  # noqa: SIM115 - closed by WorkshopServer.stop
    process = subprocess.Popen(
        voila_command(notebook, host, port, token),
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
        server.wait_until_warm()
    except BaseException:
        server.stop()
        raise
    return server


def serve_workshop(
    results_dir: Path | str,
    session: str | None = None,
    host: str = DEFAULT_HOST,
    port: int | None = None,
    open_browser: bool = True,
    echo: Callable[[str], Any] = print,
) -> None:
    """Serve the workshop until Ctrl-C (or SIGTERM): print the URL, open a browser, stop cleanly.

    Example:
        >>> serve_workshop("interview_data/.workbench", open_browser=False)  # doctest: +SKIP
        Workshop running at http://127.0.0.1:40123/
    """
    server = start_workshop(results_dir, session=session, host=host, port=port)
    previous = signal.getsignal(signal.SIGTERM)
    try:
        signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
        echo(f"Workshop running at {server.url}")
        echo(f"Facilitator link (keep it to yourself: it hides and reveals votes, runs the timer, exports): "
             f"{server.facilitator_url}")
        if not is_loopback(host):
            echo("Anyone who can reach this machine and has the link (with its token) can join; share it only with them.")
            if is_wildcard(host):
                echo(f"On this machine: {server.local_url}")
        echo(f"Session {session or '(default)'}; results {Path(results_dir).resolve()}; Voila log {server.log_path}")
        echo("Press Ctrl-C to stop.")
        if open_browser:  # the person who started the workshop facilitates it
            webbrowser.open(workshop_url(_connect_host(server.host), server.port, server.token,
                                         server.facilitator_token))
        while server.process is not None and server.process.poll() is None:
            time.sleep(0.5)
        if server.process is not None and server.process.returncode not in (0, None):
            raise ServeError(f"Voila stopped (exit code {server.process.returncode}): {server.log_tail()}")
    except KeyboardInterrupt:
        echo("Stopping the workshop…")
        if server.process is not None:  # Ctrl-C in a terminal reached Voila too: give it time to stop its kernels
            try:
                server.process.wait(5)
            except subprocess.TimeoutExpired:
                pass
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)
    echo("Workshop stopped.")


def _raise_keyboard_interrupt(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt


# --------------------------------------------------------------------------- publish


@dataclass
class PublishedBundle:
    """What :func:`publish_bundle` wrote.

    Example:
        >>> PublishedBundle(Path("bundle"), ["workshop.ipynb"]).files
        ['workshop.ipynb']
    """

    out_dir: Path
    files: list[str]


def redact_for_bundle(name: str, source: Path, target: Path) -> None:
    """Copy one results file into a bundle, keeping only what the app shows (never raw text or names).

    Parquet tables lose any raw ``text`` column of segments, any speaker name and personal
    participant columns; passages keep their ``text``, which is cut from the redacted text.

    Example:
        >>> import pandas as pd, tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> pd.DataFrame({"participant_id": ["P01"], "name": ["Ana Ruiz"], "segment": ["family"]}).to_parquet(folder / "p.parquet")
        >>> redact_for_bundle("participants.parquet", folder / "p.parquet", folder / "out.parquet")
        >>> pd.read_parquet(folder / "out.parquet").columns.tolist()
        ['participant_id', 'segment']
    """
    import pandas as pd

    if name in PRIVATE_RESULT_FILES:
        raise ServeError(f"{name} holds personal data or raw text and is never published")
    if name == "manifest.json":
        manifest = json.loads(source.read_text(encoding="utf-8"))
        manifest.pop("platform", None)
        manifest["published"] = True
        target.write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
        return
    table = pd.read_parquet(source)
    drop = [c for c in table.columns if c.lower() in PERSONAL_COLUMNS or c in ("speaker", "author")]
    if name == "segments.parquet" or "text_redacted" in table.columns:
        drop.append("text")  # the unredacted words; text_redacted is what may be shown
    table.drop(columns=[c for c in drop if c in table.columns]).to_parquet(target, index=False)


def _requirement_lines(names: tuple[str, ...]) -> list[str]:
    """``name>=x`` lines for ``names``: the bounds of cx-workbench's own requirements, else the installed version."""
    import re
    from importlib.metadata import PackageNotFoundError, requires, version

    declared: dict[str, str] = {}
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    specs: list[str] = []
    if pyproject.is_file():
        import tomllib

        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        specs = list(project.get("dependencies", []))
        for extra in project.get("optional-dependencies", {}).values():
            specs += list(extra)
    else:
        try:
            specs = [r.split(";")[0] for r in requires("cx-workbench") or []]
        except PackageNotFoundError:
            specs = []
    for spec in specs:
        name = re.split(r"[<>=!~\[ ;]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")
        declared.setdefault(name, spec.strip())
    lines = []
    for name in names:
        if name in declared:
            lines.append(declared[name])
            continue
        try:
            major_minor = ".".join(version(name).split(".")[:2])
            lines.append(f"{name}>={major_minor}")
        except PackageNotFoundError:
            lines.append(name)
    return lines


def _bundle_notebook(source: Path, session: str | None) -> dict[str, Any]:
    """The app notebook with a first cell that points it at the bundle's own results folder."""
    notebook = json.loads(source.read_text(encoding="utf-8"))
    lines = [
        "# Published bundle: the results sit next to this notebook (kernels start in its folder).\n",
        "import os\n",
        "from pathlib import Path\n",
        f"_ = os.environ.setdefault({ENV_RESULTS!r}, str(Path({BUNDLE_RESULTS_DIR!r}).resolve()))",
    ]  # (assigned: a bare last expression would print the server's path on the page)
    if session:
        lines[-1] += "\n"
        lines.append(f"_ = os.environ.setdefault({ENV_SESSION!r}, {session!r})")
    setup = {"cell_type": "code", "execution_count": None, "id": "bundle-setup",
             "metadata": {"tags": ["bundle-setup"]}, "outputs": [], "source": lines}
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None  # nothing from the author's machine
    notebook["cells"] = [setup, *notebook.get("cells", [])]
    return notebook


BUNDLE_README = """# {title}: workshop app

A self-contained copy of the CX Workbench workshop app with the study's results ({n_painpoints} pain points,
{n_personas} personas). Results are redacted: no transcripts, no names, no pseudonym map.

Serve it (Python 3.11+):

```bash
python -m venv .venv && .venv/bin/pip install -r requirements.txt
.venv/bin/voila workshop.ipynb          # run from this folder: voila.json is read from here
```

Voila listens on 127.0.0.1:8866. To let others join, run it behind your usual HTTPS proxy or add
`--Voila.ip=0.0.0.0 --token=SOME-LONG-SECRET` and share `http://HOST:8866/?token=SOME-LONG-SECRET`.

- `workshop.ipynb`: the app; its first cell points it at `results/`.
- `results/`: the tables the app shows. Votes go to `results/store.sqlite` (created on first
  use; the folder must be writable) or to `WORKBENCH_STORE` (any SQLAlchemy URL) when set.
- `workbench/`, `widgets/`: the CX Workbench {version} sources the app imports (found because kernels
  start in this folder), so the host needs only the light packages in `requirements.txt`.
- `voila.json`: no tracebacks, no file serving, sources stripped.

Facilitation: until a facilitator token is set, everyone sees the Facilitator tab (hide votes,
timer, exports). To keep it to yourself, set one (the store keeps only its hash) and open
`http://HOST:8866/?facilitator=ANOTHER-LONG-SECRET`:

```bash
python -c "from workbench.store import Store; Store('sqlite:///results/store.sqlite').set_facilitator_token('{session}', 'ANOTHER-LONG-SECRET')"
```
"""


def publish_bundle(
    results_dir: Path | str,
    out_dir: Path | str,
    session: str | None = None,
    notebook: Path | None = None,
) -> PublishedBundle:
    """Write a folder that plain ``voila workshop.ipynb`` serves on another machine.

    The bundle holds the app notebook, the redacted results it reads (never ``pseudonyms.json``,
    never segments' raw text), the ``workbench`` and ``widgets`` sources (vendored: the full
    package would pull in PyTorch and BERTopic, which the app never imports), ``requirements.txt``
    with the light packages the app does import, ``voila.json`` and a README. An existing
    bundle at ``out_dir`` is replaced; any other non-empty folder is refused.

    Example:
        >>> bundle = publish_bundle("interview_data/.workbench", "/tmp/skylark-app")  # doctest: +SKIP
        >>> "results/painpoints.parquet" in bundle.files  # doctest: +SKIP
        True
    """
    results_dir, out_dir = Path(results_dir), Path(out_dir)
    notebook = Path(notebook) if notebook else app_notebook()
    missing = [name for name in APP_RESULT_FILES if not (results_dir / name).is_file()]
    if missing:
        raise ServeError(f"{results_dir} lacks {', '.join(missing)}; run `workbench analyze` on the study first")
    if out_dir.exists() and (not out_dir.is_dir() or (any(out_dir.iterdir()) and not (out_dir / "voila.json").is_file())):
        raise ServeError(f"{out_dir} exists and is not a bundle; pass a new or empty folder to --out")
    if out_dir.resolve() == results_dir.resolve() or results_dir.resolve() in out_dir.resolve().parents:
        raise ServeError(f"--out {out_dir} is inside the results folder; pass a folder outside it")

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        (staging / BUNDLE_RESULTS_DIR).mkdir()
        for name in APP_RESULT_FILES:
            redact_for_bundle(name, results_dir / name, staging / BUNDLE_RESULTS_DIR / name)
        (staging / APP_NOTEBOOK).write_text(json.dumps(_bundle_notebook(notebook, session), indent=1), encoding="utf-8")
        package_root = Path(__file__).resolve().parent.parent
        for package in ("workbench", "widgets"):
            shutil.copytree(package_root / package, staging / package,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))
        (staging / "requirements.txt").write_text(
            "# What the workshop app imports; the CX Workbench sources are in this folder.\n"
            + "\n".join(_requirement_lines(APP_REQUIREMENTS)) + "\n",
            encoding="utf-8",
        )
        config = voila_config()
        config["Voila"]["ip"] = DEFAULT_HOST
        (staging / "voila.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
        manifest = json.loads((results_dir / "manifest.json").read_text(encoding="utf-8"))
        from workbench import __version__

        (staging / "README.md").write_text(
            BUNDLE_README.format(
                title=manifest.get("study", "Study"),
                n_painpoints=manifest.get("counts", {}).get("painpoints", "?"),
                n_personas=manifest.get("counts", {}).get("personas", "?"),
                version=__version__,
                session=session or "workshop",
            ),
            encoding="utf-8",
        )
        for path in staging.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)  # results files are owner-only; a host user must read them
        staging.chmod(0o755)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        staging.rename(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = sorted(p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if p.is_file())
    return PublishedBundle(out_dir, files)
