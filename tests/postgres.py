"""A throwaway PostgreSQL server for the tests: Debian's binaries, a cluster in a temporary folder.

:func:`start` finds ``initdb`` and ``pg_ctl`` (the newest ``/usr/lib/postgresql/*/bin``,
else ``PATH``), creates a cluster with ``--encoding=UTF8 --locale=C.UTF-8``
and starts it listening only on a Unix socket in that folder
(``listen_addresses=''``), with durability off (fsync, synchronous commit): it is
thrown away. PostgreSQL refuses to run as root, so as root the server runs as
Debian's ``postgres`` user, the folder handed to it. The superuser is
``postgres``, trusted on the socket. Where there is no server to be had,
:func:`start` raises :class:`Unavailable` with the reason.
"""
from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile

import psycopg

SUPERUSER = "postgres"


class Unavailable(Exception):
    """No PostgreSQL server can be started here; the message says why."""


def binaries() -> str:
    """The folder holding ``initdb`` and ``pg_ctl``."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda path: int(path.split("/")[4]) if path.split("/")[4].isdigit() else 0)
    if found:
        return os.path.dirname(found[-1])
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return os.path.dirname(os.path.realpath(on_path))
    raise Unavailable("no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin or on "
                      "PATH: install Debian's postgresql package")


class Server:
    """A running throwaway cluster; :meth:`stop` ends it and removes its folder."""

    def __init__(self, root: str, bindir: str, account: pwd.struct_passwd | None):
        self.root, self.bindir, self.account = root, bindir, account
        self.data, self.socket_dir = os.path.join(root, "data"), os.path.join(root, "socket")
        self._names = (f"tm_test_{n}" for n in itertools.count(1))

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        ids = {"user": self.account.pw_uid, "group": self.account.pw_gid, "extra_groups": []} if self.account else {}
        return subprocess.run([os.path.join(self.bindir, args[0]), *args[1:]], cwd=self.root, capture_output=True,
                              text=True, timeout=120, **ids)

    def _start(self) -> None:
        os.mkdir(self.socket_dir)
        if self.account:
            for path in (self.root, self.socket_dir):
                os.chown(path, self.account.pw_uid, self.account.pw_gid)
        done = self._run("initdb", "-D", self.data, "--encoding=UTF8", "--locale=C.UTF-8", "-U", SUPERUSER,
                         "-A", "trust", "--no-sync")
        if done.returncode:
            raise Unavailable(f"initdb failed: {_last_line(done)}")
        settings = (f"-c listen_addresses='' -k {self.socket_dir} -c fsync=off -c synchronous_commit=off "
                    "-c full_page_writes=off -c max_connections=200")
        done = self._run("pg_ctl", "start", "-D", self.data, "-w", "-t", "60", "-l",
                         os.path.join(self.root, "server.log"), "-o", settings)
        if done.returncode:
            raise Unavailable(f"the server did not start: {_last_line(done)} (see {self.root}/server.log)")
        with self.admin() as admin:
            if not admin.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'").fetchone():
                raise Unavailable("the pg_trgm extension is not installed (Debian: postgresql-contrib)")

    def stop(self) -> None:
        self._run("pg_ctl", "stop", "-D", self.data, "-m", "immediate", "-w")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        """The ``postgresql://`` URL of a database on this server (socket, superuser)."""
        return f"postgresql:///{database}?host={self.socket_dir}&user={SUPERUSER}"

    def admin(self) -> psycopg.Connection:
        """An autocommit connection to the ``postgres`` database, as superuser."""
        return psycopg.connect(self.url("postgres"), autocommit=True)

    def create_database(self, encoding: str = "UTF8", ctype: str = "C.UTF-8") -> str:
        """A new, empty database (from template0) with this encoding and LC_CTYPE; returns its name."""
        name = next(self._names)
        with self.admin() as admin:
            admin.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING '{encoding}' "
                          f"LC_CTYPE '{ctype}' LC_COLLATE '{ctype}'")
        return name

    def drop_database(self, name: str) -> None:
        with self.admin() as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def start() -> Server:
    """Create and start a cluster in a new temporary folder; :class:`Unavailable` if it cannot be done."""
    bindir = binaries()
    account = None
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            raise Unavailable("running as root, and there is no 'postgres' user to run the server as") from None
    root = tempfile.mkdtemp(prefix="tm-pg-", dir="/tmp" if account else None)
    server = Server(root, bindir, account)
    try:
        server._start()
    except BaseException:
        server.stop()
        raise
    return server


def empty(memory) -> None:
    """Remove every unit of an open :class:`tm.pgstore.PostgresMemory` (ids start again at 1)."""
    memory.conn.execute("TRUNCATE tu RESTART IDENTITY")


def _last_line(done: subprocess.CompletedProcess) -> str:
    lines = (done.stderr or done.stdout or "").strip().splitlines()
    return lines[-1] if lines else f"exit status {done.returncode}"
