"""One build of a site at a time.

Two builds of one site (a second terminal, `serve` running, a CI job) would share the
cache and the staging folder. Like Hugo's .hugo_build.lock, a build takes an exclusive
lock on a file in the site's cache; a second build waits for the first, saying so, and
then runs on what the first left. The operating system drops the lock when a process
ends, however it ends, so a killed build never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

LOCK_NAME = "build.lock"


@contextmanager
def build_lock(cache_dir: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    cache_dir.mkdir(parents=True, exist_ok=True)
    handle = os.open(cache_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait:
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock
