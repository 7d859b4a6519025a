"""A throwaway PostgreSQL cluster for tests: reuse $NEWSTRACE_TEST_PG if reachable, else start one on loopback."""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass

import psycopg


@dataclass
class Cluster:
    """A running server and how to reach it; `stop()` ends it if we started it."""

    host: str
    port: int
    user: str
    datadir: str | None = None     # set when this process started the server
    run_as: str | None = None

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{dbname}"

    def create_database(self) -> str:
        """A fresh empty database; returns its URL."""
        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.url(), autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if not self.datadir:
            return
        _run([_bin("pg_ctl"), "-D", os.path.join(self.datadir, "data"), "-m", "immediate", "-w", "stop"], self.run_as)
        shutil.rmtree(self.datadir, ignore_errors=True)
        self.datadir = None


def _bin(name: str) -> str:
    """A PostgreSQL server program: on PATH, else Debian's newest /usr/lib/postgresql/N/bin."""
    found = shutil.which(name)
    if found:
        return found
    cands = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if not cands:
        raise RuntimeError(f"PostgreSQL's {name} not found (install Debian's postgresql package)")
    return cands[-1]


def _run(cmd: list[str], user: str | None) -> subprocess.CompletedProcess:
    if user:
        cmd = ["runuser", "-u", user, "--", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _reachable(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def start_cluster() -> Cluster:
    """Reuse $NEWSTRACE_TEST_PG when it answers, else initdb + pg_ctl a private server; raises when impossible."""
    env = os.environ.get("NEWSTRACE_TEST_PG")
    if env:
        if not _reachable(env):
            raise RuntimeError(f"NEWSTRACE_TEST_PG={env} does not answer")
        from psycopg.conninfo import conninfo_to_dict
        d = conninfo_to_dict(env)
        return Cluster(host=d.get("host", "127.0.0.1"), port=int(d.get("port", 5432)), user=d.get("user", "postgres"))
    # initdb refuses to run as root: run the server programs as the `postgres` system user then.
    run_as = "postgres" if os.geteuid() == 0 else None
    if run_as:
        try:
            pw = pwd.getpwnam(run_as)
        except KeyError:
            raise RuntimeError("running as root but there is no 'postgres' user to run the server as") from None
    base = tempfile.mkdtemp(prefix="newstrace-pg-")
    os.chmod(base, 0o755)
    if run_as:
        os.chown(base, pw.pw_uid, pw.pw_gid)
    user = "postgres"
    r = _run([_bin("initdb"), "-D", os.path.join(base, "data"), "-A", "trust", "-U", user, "--no-sync", "-E", "UTF8"], run_as)
    if r.returncode:
        shutil.rmtree(base, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {r.stderr or r.stdout}")
    port = _free_port()
    opts = f"-k {base} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
    r = _run([_bin("pg_ctl"), "-D", os.path.join(base, "data"), "-l", os.path.join(base, "log"), "-w", "-o", opts, "start"], run_as)
    if r.returncode:
        log = open(os.path.join(base, "log")).read() if os.path.exists(os.path.join(base, "log")) else ""
        shutil.rmtree(base, ignore_errors=True)
        raise RuntimeError(f"pg_ctl start failed: {r.stderr or r.stdout}\n{log[-2000:]}")
    return Cluster(host="127.0.0.1", port=port, user=user, datadir=base, run_as=run_as)
