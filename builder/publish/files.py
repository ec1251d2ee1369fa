"""Publish the built site without ever leaving a half-written output folder.

Everything is written into a staging folder first; a build that fails or is killed while
staging leaves the output as it was. Then, either:

- many files changed: the staging folder holds the complete new site (unchanged files are
  hard-linked, not rewritten) and is swapped in with one atomic rename; or
- a few files changed: the staging folder holds just those, and a journal listing them is
  written before any is moved into place. Moving is a handful of renames; if the process
  dies among them, the next build (or `serve`) finishes the journal before doing anything
  else. Re-linking a 5,000-page tree for one edited letter would cost more than the edit.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
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


def put_file(staging: Path, rel: str, source) -> None:
    """Copy a file into staging. The search index's files, which live in the build cache and
    are replaced (never edited) there, are hard-linked instead: thousands of them per site."""
    target = staging / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    if rel.startswith("pagefind/"):
        try:
            os.link(source, target)
            return
        except OSError:
            pass
    shutil.copyfile(source, target)


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


JOURNAL = "publish-journal.json"


def files_under(folder: Path) -> list[str]:
    found = []
    stack = [(folder, "")]
    while stack:
        current, prefix = stack.pop()
        with os.scandir(current) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((Path(entry.path), rel + "/"))
                else:
                    found.append(rel)
    return found


def write_journal(cache_root: Path, staging: Path, output: Path, put: list[str], delete: list[str]) -> Path:
    path = cache_root / JOURNAL
    temporary = path.with_suffix(".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump({"staging": str(staging), "output": str(output), "put": put, "delete": delete}, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)  # the journal exists whole, or not at all
    return path


def apply_journal(journal: Path) -> None:
    """Move staged files into the output and delete stale ones. Safe to run twice."""
    plan = json.loads(journal.read_text(encoding="utf-8"))
    staging, output = Path(plan["staging"]), Path(plan["output"])
    for rel in plan["put"]:
        source = staging / rel
        if source.exists():  # already moved by an earlier, interrupted run
            target = output / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
    for rel in plan["delete"]:
        target = output / rel
        target.unlink(missing_ok=True)
        folder = target.parent
        while folder != output and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    journal.unlink()
    shutil.rmtree(staging, ignore_errors=True)


def finish_interrupted(cache_root: Path) -> None:
    """Complete a publish that a killed build had started (its staging was complete)."""
    journal = cache_root / JOURNAL
    if journal.exists():
        try:
            apply_journal(journal)
        except (OSError, ValueError, KeyError):
            journal.unlink(missing_ok=True)  # unreadable: the next build rewrites what differs
