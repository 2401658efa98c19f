"""A throw-away PostgreSQL server for the tests: ``initdb`` into a temp folder, ``pg_ctl start`` on
127.0.0.1 and a free port, ``pg_ctl stop -m fast`` and the folder removed at the end.

PostgreSQL refuses to run as root; as root the server runs as an unprivileged user (Debian's
``postgres`` if it exists, else a ``workbench-pg`` user made for it) through ``runuser``.
Nothing here is a fake: the store tests talk to this server over TCP with psycopg.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

#: the user the server runs as when the tests run as root
UNPRIVILEGED_USER_CANDIDATES = ("postgres", "workbench-pg")
SUPERUSER = "workbench"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server can be started here (not installed, or it would not start); the message says why."""


def find_postgres_bin() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``: on PATH first, then Debian's /usr/lib/postgresql/*/bin
    (newest version first); None when PostgreSQL is not installed.

    Example:
        >>> found = find_postgres_bin()
        >>> found is None or (found / "pg_ctl").exists()
        True
    """
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(os.path.realpath(on_path)).parent
    def version(folder: str) -> tuple[int, ...]:
        name = Path(folder).parent.name
        return tuple(int(part) for part in name.split(".") if part.isdigit())
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _unprivileged_user() -> str:
    """A user PostgreSQL accepts to run as (we are root): ``postgres`` if it exists, else ``workbench-pg``, made now."""
    for name in UNPRIVILEGED_USER_CANDIDATES:
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    name = UNPRIVILEGED_USER_CANDIDATES[-1]
    if shutil.which("useradd") is None:
        raise PostgresUnavailable(f"running as root and no unprivileged user to run PostgreSQL as: create {name!r}")
    subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
                   check=True, capture_output=True)
    return name


@dataclass
class PostgresServer:
    """One running test server; :meth:`stop` shuts it down and removes its folder.

    Attributes:
        bin_dir: folder of ``initdb``/``pg_ctl``/``psql``.
        base_dir: temp folder holding the data folder, the socket and the log.
        port: the TCP port on 127.0.0.1.
        run_as: the OS user the server runs as (None: the current user).
    """

    bin_dir: Path
    base_dir: Path
    port: int
    run_as: str | None
    databases: list[str] = field(default_factory=list)

    @property
    def data_dir(self) -> Path:
        return self.base_dir / "data"

    @property
    def log_file(self) -> Path:
        return self.base_dir / "server.log"

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of ``database`` on this server (psycopg 3 driver, trust auth on 127.0.0.1)."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _command(self, *args: str) -> list[str]:
        return (["runuser", "-u", self.run_as, "--"] if self.run_as else []) + list(args)

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        result = subprocess.run(self._command(*args), capture_output=True, text=True, timeout=timeout, cwd=self.base_dir)
        if result.returncode != 0:
            log = self.log_file.read_text(errors="replace")[-2000:] if self.log_file.exists() else ""
            raise PostgresUnavailable(
                f"{' '.join(args[:2])} failed (exit {result.returncode}): {result.stderr.strip() or result.stdout.strip()}"
                + (f"\nserver log:\n{log}" if log else "")
            )
        return result

    def sql(self, statement: str, database: str = "postgres") -> str:
        """Run one SQL statement as the superuser with ``psql`` (outside any transaction); return its output."""
        return self._run(str(self.bin_dir / "psql"), "-X", "-q", "-t", "-A", "-h", "127.0.0.1", "-p", str(self.port),
                         "-U", SUPERUSER, "-d", database, "-v", "ON_ERROR_STOP=1", "-c", statement).stdout

    def create_database(self, name: str) -> str:
        """Create an empty database; return its SQLAlchemy URL."""
        self.sql(f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, closing the connections still open to it (pools of the test's engines)."""
        self.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self.databases:
            self.databases.remove(name)

    def schema_url(self, database: str, schema: str) -> str:
        """The URL of ``database`` whose connections work in ``schema`` (search_path) and carry the
        schema's name as application name (so :meth:`drop_schema` can close them)."""
        return f"{self.url(database)}?options=-csearch_path%3D{schema}&application_name={schema}"

    def create_schema(self, database: str, schema: str) -> str:
        """Create an empty schema in ``database`` (much faster than a database); return its URL."""
        self._admin(database).execute(f'CREATE SCHEMA "{schema}"')
        return self.schema_url(database, schema)

    def drop_schema(self, database: str, schema: str) -> None:
        """Close the connections still open in a schema (pools of the test's engines) and drop it."""
        admin = self._admin(database)
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s "
                      "AND pid <> pg_backend_pid()", (schema,))
        admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    def _admin(self, database: str):  # noqa: ANN202 - a psycopg connection, imported lazily
        """A superuser connection to ``database`` in autocommit mode, kept open for the server's life."""
        import psycopg

        connections = self.__dict__.setdefault("_admin_connections", {})
        if database not in connections or connections[database].closed:
            connections[database] = psycopg.connect(
                host="127.0.0.1", port=self.port, user=SUPERUSER, dbname=database, autocommit=True)
        return connections[database]

    def stop(self) -> None:
        """``pg_ctl stop -m fast`` and remove the folder (also after a failed start)."""
        for connection in self.__dict__.pop("_admin_connections", {}).values():
            connection.close()
        try:
            if (self.data_dir / "postmaster.pid").exists():
                subprocess.run(self._command(str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast",
                                             "-w", "-t", "60", "stop"), capture_output=True, timeout=90, cwd=self.base_dir)
        finally:
            shutil.rmtree(self.base_dir, ignore_errors=True)


def start_postgres(bin_dir: Path | None = None, max_connections: int = 200) -> PostgresServer:
    """``initdb`` a new cluster in a temp folder and start it on 127.0.0.1 and a free port.

    Durability settings are off (fsync, synchronous commit): the data lives for one test run.
    Raises :class:`PostgresUnavailable` with the reason when PostgreSQL is missing or won't start.
    """
    bin_dir = bin_dir or find_postgres_bin()
    if bin_dir is None:
        raise PostgresUnavailable(
            "PostgreSQL is not installed (no initdb/pg_ctl on PATH or in /usr/lib/postgresql/*/bin): "
            "run `make postgres` (apt-get install postgresql)"
        )
    run_as = _unprivileged_user() if os.geteuid() == 0 else None
    # Under /tmp (world-traversable) rather than pytest's tmp_path, which is private to root.
    base_dir = Path(tempfile.mkdtemp(prefix="workbench-pg-"))
    if run_as:
        entry = pwd.getpwnam(run_as)
        os.chown(base_dir, entry.pw_uid, entry.pw_gid)
    os.chmod(base_dir, 0o700)
    last_error: PostgresUnavailable | None = None
    for _attempt in range(3):  # the free port may be taken between probing and listening
        server = PostgresServer(bin_dir, base_dir, free_port(), run_as)
        try:
            if not server.data_dir.exists():
                server._run(str(bin_dir / "initdb"), "-D", str(server.data_dir), "-U", SUPERUSER, "--auth=trust",
                            "-E", "UTF8", "--locale=C", "--no-sync")
            options = " ".join([
                f"-p {server.port}", "-c listen_addresses=127.0.0.1", f"-k {base_dir}",
                f"-c max_connections={max_connections}", "-c fsync=off", "-c synchronous_commit=off",
                "-c full_page_writes=off",
            ])
            server._run(str(bin_dir / "pg_ctl"), "-D", str(server.data_dir), "-l", str(server.log_file),
                        "-o", options, "-w", "-t", "60", "start")
            return server
        except (PostgresUnavailable, subprocess.TimeoutExpired, OSError) as error:
            last_error = error if isinstance(error, PostgresUnavailable) else PostgresUnavailable(str(error))
            if (server.data_dir / "postmaster.pid").exists():
                subprocess.run(server._command(str(bin_dir / "pg_ctl"), "-D", str(server.data_dir), "-m", "immediate",
                                               "stop"), capture_output=True, timeout=60)
            time.sleep(0.2)
    shutil.rmtree(base_dir, ignore_errors=True)
    assert last_error is not None
    raise last_error
