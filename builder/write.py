"""Publish the built site: stage a complete new output folder, then swap it in at once.

A failed or killed build never leaves a half-written output folder: everything is written
into a staging folder first. Files whose content did not change are hard-linked from the
previous output rather than rewritten, so an unchanged site costs no writes.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def staging_dir(output: Path, cache_dir: Path) -> Path:
    """Stage in the site's cache when it is on the same disk as the output (so the swap is
    a rename); otherwise beside the output, the only place a rename can reach."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    output.parent.mkdir(parents=True, exist_ok=True)
    if os.stat(cache_dir).st_dev == os.stat(output.parent).st_dev:
        return cache_dir / "staging"
    return output.parent / f".{output.name}.staging"


def prepare(staging: Path) -> None:
    if staging.exists():
        shutil.rmtree(staging)  # left by a build that was killed
    staging.mkdir(parents=True)


def put(staging: Path, rel: str, data: bytes) -> None:
    target = staging / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as handle:
        handle.write(data)


def carry_over(staging: Path, output: Path, rel: str) -> bool:
    """Reuse an unchanged file of the previous output by hard link (no data written)."""
    source = output / rel
    target = staging / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        try:
            shutil.copy2(source, target)
        except OSError:
            return False
    return True


def swap(staging: Path, output: Path) -> None:
    """Make staging the output. Atomic on Linux (renameat2 RENAME_EXCHANGE), else two renames."""
    if output.exists() and _exchange(staging, output):
        shutil.rmtree(staging)  # staging now holds the previous output
        return
    old = staging.with_name(staging.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if output.exists():
        os.rename(output, old)
    os.rename(staging, output)
    if old.exists():
        shutil.rmtree(old)


def _exchange(a: Path, b: Path) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0
