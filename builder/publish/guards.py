"""What surrounds every build: output/ left as it was when a build fails, a full disk or a
folder the build may not change said in plain words, and the cycle collector paused while
the build's objects pile up."""

from __future__ import annotations

import errno
import gc
import shutil
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from builder.errors import BuildFailed, ContentError
from builder.publish import output as publishing
from builder.publish import problems


@contextmanager
def without_collector_pauses(process_ends: bool = False):
    """A build makes hundreds of thousands of objects that live until it ends and form almost
    no reference cycles; Python's cycle collector would still scan them hundreds of times
    (a seventh of a 5,000-page rebuild). Memory is the same without it (measured: 114 MB).

    Turned back on, the collector scans every object made meanwhile, once (a tenth of a
    second at 5,000 pages). process_ends: the command line's build, after which the process
    exits: its objects are set aside for good instead (gc.freeze), as nothing will need them
    collected. A long-lived process (serve, tests) pays the scan, so no cycle is kept forever."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if process_ends:
                gc.freeze()
            gc.enable()


@contextmanager
def tidy_on_failure(output: Path, cache_dir: Path):
    """A failed build leaves output/ as it was and removes its half-made staging folder
    (unless a publish journal needs it). A full disk is a problem the officer can fix."""
    try:
        yield
    except BaseException as problem:
        staging = publishing.staging_dir(output, cache_dir)
        if not any((cache_dir / name).exists() for name in (publishing.JOURNAL, publishing.SWAP_JOURNAL)):
            shutil.rmtree(staging, ignore_errors=True)
        if _disk_full(problem):
            raise BuildFailed([ContentError(
                str(output), "the disk is full, so the site was not built; the published site was not changed",
                None, "free some space on the disk (or ask your IT team to), then build again")]) from None
        if isinstance(problem, OSError) and (kind := problems.kind_of(problem)):
            # A folder the build writes to (its cache, staging or output/) that it could not change.
            folder = problems.folder_of(problem, output)
            if any(place == folder or place in folder.parents for place in (cache_dir, staging, output)):
                raise problems.refusal(folder, kind) from None
        raise


def _disk_full(problem: BaseException) -> bool:
    if isinstance(problem, OSError) and problem.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return isinstance(problem, sqlite3.Error) and ("full" in str(problem) or "disk I/O" in str(problem))
