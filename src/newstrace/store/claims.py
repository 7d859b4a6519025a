"""Claims on raw documents: which ingest process is turning which stored bytes into an article.

A claim is (owner, time). It stays good while its owner is alive and its lease has not run out;
an expired or orphaned claim (its process was killed) may be taken over by the next run, so bytes
stored by an interrupted run still get their article. Each backend decides liveness as best it can:
SQLite by process id on this host, PostgreSQL by a session advisory lock the owner holds.
"""
from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from contextlib import contextmanager
from typing import Iterator, Literal

# What `Store.claim_raw` answers: new bytes, now ours / stored bytes whose claim was abandoned, now ours /
# fully processed before / another live process is processing them right now / already ours earlier in this run.
ClaimState = Literal["claimed", "taken", "done", "busy", "mine"]

DEFAULT_LEASE_SECONDS = 600.0

# Ingest runs under way in this process. A claim names its run ("<owner>#<run>"), so a long-lived process
# (`watch`, the web server) tells an earlier run of its own that died on an error from a run still going.
_active_runs: set[str] = set()
_runs_lock = threading.Lock()


@contextmanager
def run() -> Iterator[str]:
    """One ingest run's id, registered as live while the block runs."""
    rid = uuid.uuid4().hex[:12]
    with _runs_lock:
        _active_runs.add(rid)
    try:
        yield rid
    finally:
        with _runs_lock:
            _active_runs.discard(rid)


def run_alive(rid: str) -> bool:
    """Is this run of this process still going?"""
    with _runs_lock:
        return rid in _active_runs


def split(owner: str) -> tuple[str, str | None]:
    """A claim owner as (process owner, run id or None)."""
    base, _, rid = owner.partition("#")
    return base, rid or None


def lease_seconds() -> float:
    """How long a claim holds without its owner finishing ($NEWSTRACE_CLAIM_LEASE seconds, default 600)."""
    try:
        return max(0.0, float(os.environ.get("NEWSTRACE_CLAIM_LEASE", DEFAULT_LEASE_SECONDS)))
    except ValueError:
        return DEFAULT_LEASE_SECONDS


def now() -> float:
    """Claim clock: seconds since the epoch."""
    return time.time()


def _start_ticks(pid: int) -> str | None:
    """The start time of a process in clock ticks since boot (tells a live pid from a reused one); None if unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read().decode("ascii", "replace")
    except OSError:
        return None
    # the command name (field 2) may hold spaces and parentheses: count fields after its closing ')'
    return stat.rsplit(")", 1)[-1].split()[19]


_owners: dict[int, str] = {}


def local_owner() -> str:
    """This process as a claim owner: host, pid and start time (cached per pid, so a forked child gets its own)."""
    pid = os.getpid()
    if pid not in _owners:
        _owners[pid] = f"{socket.gethostname()}:{pid}:{_start_ticks(pid) or ''}"
    return _owners[pid]


def local_owner_alive(owner: str) -> bool | None:
    """True/False when `owner` (from `local_owner`) is a process on this host that is alive/gone; None when it can't be told."""
    try:
        host, pid_s, ticks = owner.rsplit(":", 2)
        pid = int(pid_s)
    except ValueError:
        return None
    if host != socket.gethostname():
        return None  # another machine sharing the file: only the lease can tell
    if ticks and os.path.exists("/proc/self/stat"):
        return _start_ticks(pid) == ticks
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stale(owner: str | None, claimed_at: float | None, alive: bool | None, at: float | None = None) -> bool:
    """May a claim be taken over? Unowned, owner known dead, or lease run out."""
    if owner is None or claimed_at is None:
        return True
    if alive is False:
        return True
    return (at if at is not None else now()) - claimed_at > lease_seconds()
