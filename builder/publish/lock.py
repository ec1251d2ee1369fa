"""One build of a site at a time.

Two builds of one site (a second terminal, `serve` running, a CI job) would share the
cache and the staging folder. Like Hugo's .hugo_build.lock, a build takes an exclusive
lock on a file in the site's cache; a second build waits for the first, saying so, and
then runs on what the first left.

The lock is the operating system's (the `filelock` package: flock on Linux and macOS,
LockFileEx on Windows), so it is dropped when the process holding it ends, however it ends.
Only the build's own process holds it: filelock closes its copy in forked workers, and the
workers end with the build anyway (builder/parallel.py).

Beside the lock, a small record names the process holding it. A build that finds a record
left behind knows the last build was killed, and says so. A build that finds the lock held
while the process the record names is no longer running (a worker of a killed build that
failed to end, say) waits a few seconds, then takes the lock over, saying so.
"""

from __future__ import annotations

import json
import os
import socket
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from filelock import FileLock, Timeout

from builder.publish import problems

LOCK_NAME = "build.lock"
HOLDER_NAME = "build.lock.holder"
BREAK_NAME = "build.lock.break"  # held only while a stale lock is being replaced
WAITING = "Another build of this site is running: waiting for it to finish."
POLL_SECONDS = 0.5
# How long a lock may stay held after the process that took it has gone before it is taken
# over: a killed build's workers end within a fraction of a second (builder/parallel.py).
STALE_AFTER_SECONDS = 5.0


@contextmanager
def build_lock(cache_dir: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the site's build lock. on_wait(line) is told, in a line to show, when this build
    has to wait for another, or takes over from a build that was killed."""
    say = on_wait or (lambda line: None)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        lock = _acquire(cache_dir, say)
    except OSError as problem:
        if not (kind := problems.kind_of(problem)):
            raise
        raise problems.refusal(cache_dir, kind) from None  # a read-only disk, say: in plain words
    try:
        yield
    finally:
        try:
            (cache_dir / HOLDER_NAME).unlink(missing_ok=True)
        finally:
            lock.release()


def _acquire(cache_dir: Path, say: Callable[[str], None]) -> FileLock:
    path = cache_dir / LOCK_NAME
    waited = False
    stale_since = None
    while True:
        lock = FileLock(path)
        try:
            lock.acquire(timeout=POLL_SECONDS if waited else 0)
            break
        except Timeout:
            pass
        holder = _holder(cache_dir)
        if holder is None or _running(holder):
            stale_since = None
        elif stale_since is None:
            stale_since = time.monotonic()
        elif time.monotonic() - stale_since > STALE_AFTER_SECONDS and os.name == "posix":
            if _break(cache_dir, holder):
                say(f"The build that held this site's lock (process {holder.get('pid')}) is no longer running, "
                    "but its lock was still held: taking it over.")
                stale_since = None
                continue
        if not waited:
            say(WAITING)
            waited = True
    left = _holder(cache_dir)
    if left is not None:  # its holder ended without removing it: killed, or the power went
        say(f"The last build of this site (process {left.get('pid')}) stopped before it finished; "
            "this build takes over its lock and tidies up after it.")
    record = cache_dir / HOLDER_NAME
    try:
        record.write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname()}), encoding="utf-8")
    except OSError:
        record.unlink(missing_ok=True)  # the record only helps a later build explain itself
    return lock


def _holder(cache_dir: Path) -> dict | None:
    try:
        holder = json.loads((cache_dir / HOLDER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return holder if isinstance(holder, dict) and isinstance(holder.get("pid"), int) else None


def _running(holder: dict) -> bool:
    """Whether the holder may still be running (True when this machine cannot tell)."""
    if holder.get("host") != socket.gethostname() or os.name != "posix":
        return True  # another machine sharing the folder; Windows frees the lock itself
    try:
        os.kill(holder["pid"], 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # running, as another user
    return True


def _break(cache_dir: Path, holder: dict) -> bool:
    """Replace the lock file, whose holder has gone, with a new one nobody holds. Under its
    own lock, so two waiting builds cannot both replace it (and each take a different lock)."""
    with FileLock(cache_dir / BREAK_NAME):
        if _holder(cache_dir) != holder:
            return False  # another build took the lock over first
        (cache_dir / LOCK_NAME).unlink(missing_ok=True)
        (cache_dir / HOLDER_NAME).unlink(missing_ok=True)
        return True
