"""Putting the staged site in place, so that a failure or a kill never leaves output/ half-updated.

Two ways (builder/publish/output.py chooses): a swap of the whole folder, atomic on Linux and
two renames elsewhere, or a journal of a few files moved into place one by one. Each is
written down before output/ is touched, so the next build finishes what a killed one began
(finish_interrupted); a journal that fails part-way is undone at once, file by file.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
from pathlib import Path

from builder.errors import BuildFailed, ContentError
from builder.portable import linux_extras
from builder.publish import problems

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100

JOURNAL = "publish-journal.json"
SWAP_JOURNAL = "swap-journal.json"


def with_folder(target: Path, make) -> None:
    """make(target), making its folder first only if it is missing: most files go into a
    folder that already exists, and a needless mkdir is a slow system call on some disks."""
    try:
        make(target)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        make(target)


def swap(staging: Path, output: Path, cache_dir: Path) -> None:
    """Make staging the output: one atomic exchange where Linux offers it, else two renames."""
    if output.exists() and linux_extras() and _exchange(staging, output):
        shutil.rmtree(staging, ignore_errors=True)  # staging now holds the previous output
        return
    old = staging.with_name(staging.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if not output.exists():
        _plainly(output, lambda: os.rename(staging, output))
        return
    # Between the two renames there is no output/: a journal lets the next build (or `serve`)
    # put the new site in place if this one is killed there (finish_interrupted).
    plan = _write_plan(cache_dir / SWAP_JOURNAL, {"staging": str(staging), "output": str(output), "old": str(old)})
    try:
        os.rename(output, old)
    except OSError as problem:
        plan.unlink()
        raise _said(problem, output) from None
    try:
        os.rename(staging, output)
    except OSError as problem:
        os.rename(old, output)  # the previous site back before saying what went wrong (if this
        plan.unlink()           # fails too, the journal stays, and the next build finishes the swap)
        raise _said(problem, output) from None
    plan.unlink()
    shutil.rmtree(old, ignore_errors=True)


def _plainly(output: Path, change) -> None:
    """change(), with a failure that leaves output/ as it was said in plain words."""
    try:
        change()
    except OSError as problem:
        raise _said(problem, output) from None


def _said(problem: OSError, output: Path) -> BaseException:
    kind = problems.kind_of(problem)
    return problems.refusal(problems.folder_of(problem, output), kind) if kind else problem


def _exchange(a: Path, b: Path) -> bool:
    """Swap a and b atomically (Linux's renameat2); False where the system or disk cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # an old kernel, or a disk without the exchange: the two renames will do
    raise _said(OSError(code, os.strerror(code), os.fspath(b), None, os.fspath(a)), b)


def write_journal(cache_root: Path, staging: Path, output: Path, put: list[str], delete: list[str]) -> Path:
    undo = staging.with_name(staging.name + ".undo")  # beside staging, so on its disk
    shutil.rmtree(undo, ignore_errors=True)
    new = [rel for rel in put if not os.path.lexists(output / rel)]  # to remove, should it be undone
    return _write_plan(cache_root / JOURNAL, {"staging": str(staging), "output": str(output), "undo": str(undo),
                                              "put": put, "new": new, "delete": delete})


def _write_plan(path: Path, plan: dict) -> Path:
    temporary = path.with_suffix(".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(plan, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)  # the journal exists whole, or not at all
    return path


def apply_journal(journal: Path) -> None:
    """Move staged files into the output and delete stale ones, keeping each file replaced or
    deleted in an undo folder until all have gone through. Safe to run twice (a killed build's
    journal is finished by the next build). If a change fails, every change made is undone."""
    plan = json.loads(journal.read_text(encoding="utf-8"))
    staging, output, undo = Path(plan["staging"]), Path(plan["output"]), Path(plan["undo"])
    try:
        for rel in plan["put"]:
            source = staging / rel
            if source.exists():  # else already moved by an earlier, interrupted run
                target = output / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                _keep(target, undo / rel)
                os.replace(source, target)
        for rel in plan["delete"]:
            target = output / rel
            if target.exists():
                _move(target, undo / rel)
    except OSError as problem:
        try:
            _undo(plan, staging, output, undo)
        except OSError:
            raise BuildFailed([ContentError(
                str(output), f"publishing stopped part-way ({problem.strerror}), and the files already moved "
                "could not be put back", None,
                "fix the problem with the folder, then build again: the next build finishes the publish first")]) from None
        journal.unlink()
        shutil.rmtree(staging, ignore_errors=True)
        raise _said(problem, output) from None
    for rel in plan["delete"]:
        _remove_empty_folders((output / rel).parent, output)
    journal.unlink()
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(undo, ignore_errors=True)


def _keep(target: Path, copy: Path) -> None:
    """A hard link (no data copied) to the file about to be replaced, if there is one."""
    if copy.exists() or not target.exists():
        return
    try:
        with_folder(copy, lambda place: os.link(target, place))
    except OSError:
        shutil.copy2(target, copy)  # a disk without hard links


def _move(source: Path, target: Path) -> None:
    with_folder(target, lambda place: os.replace(source, place))


def _undo(plan: dict, staging: Path, output: Path, undo: Path) -> None:
    """Put output/ back as it was before the journal was applied: files moved in go back
    (or away, if they were new) and deleted files return."""
    new = set(plan["new"])
    for rel in plan["put"]:
        if (staging / rel).exists():
            continue  # not moved yet
        if (undo / rel).exists():
            os.replace(undo / rel, output / rel)
        elif rel in new:
            (output / rel).unlink(missing_ok=True)
            _remove_empty_folders((output / rel).parent, output)
    for rel in plan["delete"]:
        if (undo / rel).exists():
            with_folder(output / rel, lambda place, rel=rel: os.replace(undo / rel, place))
    shutil.rmtree(undo, ignore_errors=True)


def _remove_empty_folders(folder: Path, output: Path) -> None:
    try:
        while folder != output and output in folder.parents and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    except OSError:
        pass  # an empty folder left behind holds nothing a reader could see


def finish_interrupted(cache_root: Path) -> None:
    """Complete a publish that a killed build had started (its staging was complete)."""
    swapping = cache_root / SWAP_JOURNAL
    if swapping.exists():
        _finish_swap(swapping)
    journal = cache_root / JOURNAL
    if journal.exists():
        try:
            apply_journal(journal)
        except BuildFailed:
            pass  # undone: output/ is as the last finished build left it, and this build says why
        except (OSError, ValueError, KeyError):
            journal.unlink(missing_ok=True)  # unreadable: the next build rewrites what differs


def _finish_swap(journal: Path) -> None:
    """The killed build had renamed output/ aside and maybe not yet put the new one in place."""
    try:
        plan = json.loads(journal.read_text(encoding="utf-8"))
        staging, output, old = Path(plan["staging"]), Path(plan["output"]), Path(plan["old"])
        if not output.exists():
            os.rename(staging if staging.exists() else old, output)
        shutil.rmtree(old, ignore_errors=True)
    except (OSError, ValueError, KeyError):
        pass
    journal.unlink(missing_ok=True)
