"""Publish the built site without ever leaving a half-written output folder.

Everything is written into a staging folder first; a build that fails or is killed while
staging leaves the output as it was. Then, either:

- many files changed: the staging folder holds the complete new site (unchanged files are
  hard-linked, not rewritten) and is swapped in with one atomic rename; or
- a few files changed: the staging folder holds just those, and a journal listing them is
  written before any is moved into place. Moving is a handful of renames; if the process
  dies among them, the next build (or `serve`) finishes the journal before doing anything
  else. Re-linking a 5,000-page tree for one edited letter would cost more than the edit.

Either way, every folder about to change is checked first (builder/publish/problems.py), and
a change that still fails half-way is undone, so a failure never leaves output/ half-updated.
The swap is one atomic exchange on Linux; elsewhere (or with LOCALOFFER_PORTABLE=1) it is two
renames, with a journal so that a build killed between them is finished by the next one.
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


class Incomplete(Exception):
    """The last build's record promised a file that the published output does not have."""


def check_output_folder(site_dir: Path, output: Path, cache_dir: Path) -> None:
    """The output folder is replaced whole by every build, so it must never hold sources."""
    problem = None
    if output == cache_dir / "check":  # where `localoffer check` builds
        return
    if output == site_dir or output in site_dir.parents:
        problem = "is the site folder itself, or a folder containing it"
    elif any(folder == output or folder in output.parents
             for folder in (site_dir / "content", site_dir / "templates", site_dir / ".cache")):
        problem = "is inside the site's content, templates or cache folder"
    elif output.is_dir() and ((output / "site.toml").exists() or (output / "content").is_dir()):
        problem = "holds another site (it has a site.toml or content folder)"
    if problem:
        raise BuildFailed([ContentError(
            "--output", f"the output folder {output} {problem}; every build replaces that folder completely",
            None, "choose an empty folder of its own, such as the default output/ inside the site folder")])


def publish(output: Path, staging: Path, cache_dir: Path, new: dict[str, str], previous: dict[str, str],
            staged: set[str], files: dict[str, object], present: set[str]) -> tuple[list[str], list[str]]:
    """Make output hold exactly the files in `new` (path -> content digest); return
    (files written, files removed). `staged` were rendered into staging already; `files`
    maps the rest that come from a file on disk (theme assets, content files, search index)
    to that file; anything else is carried over from the previous output unchanged."""
    changed = [path for path, sha in new.items() if previous.get(path) != sha or path not in present]
    # The output must end up exactly as a full build would leave it, so files put there by hand go too.
    removed = sorted(set(previous) - set(new)) + [rel for rel in present if rel not in new and rel not in previous]
    if not output.exists() or not previous or len(changed) + len(removed) > len(new) // 2:
        # Many changes: stage a complete new site and swap it in at once.
        changed_set = set(changed)
        for path in new:
            if path in staged:
                continue
            if path in files and path in changed_set:
                put_file(staging, path, files[path])
            elif not (output.exists() and carry_over(staging, output, path)):
                if path not in files:
                    raise Incomplete(path)
                put_file(staging, path, files[path])
        problems.check_swap(output, staging)
        swap(staging, output, cache_dir)
    elif changed or removed:
        # A few changes: stage just those, then apply them through a journal.
        changed_set = set(changed)
        for path in staged - changed_set:
            (staging / path).unlink()  # re-rendered to the same bytes
        for path in changed:
            if path in files:
                put_file(staging, path, files[path])
        problems.check_journal(output, staging, changed + removed)
        apply_journal(write_journal(cache_dir, staging, output, changed, removed))
    else:
        shutil.rmtree(staging, ignore_errors=True)
    return changed, removed


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


def _with_folder(target: Path, make) -> None:
    """make(target), making its folder first only if it is missing: most files go into a
    folder that already exists, and a needless mkdir is a slow system call on some disks."""
    try:
        make(target)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        make(target)


def put(staging: Path, rel: str, data: bytes) -> None:
    def write(target: Path) -> None:
        with open(target, "wb") as handle:
            handle.write(data)

    _with_folder(staging / rel, write)


def put_file(staging: Path, rel: str, source) -> None:
    """Copy a file into staging. The search index's files, which live in the build cache and
    are replaced (never edited) there, are hard-linked instead: thousands of them per site."""
    def copy(target: Path) -> None:
        if rel.startswith("pagefind/"):
            try:
                os.link(source, target)
                return
            except FileNotFoundError:
                raise
            except OSError:
                pass
        shutil.copyfile(source, target)

    _with_folder(staging / rel, copy)


def carry_over(staging: Path, output: Path, rel: str) -> bool:
    """Reuse an unchanged file of the previous output by hard link (no data written)."""
    source = output / rel

    def link(target: Path) -> None:
        try:
            os.link(source, target)
        except FileNotFoundError:
            raise  # no folder yet (made, then tried again), or no source (not carried over)
        except OSError:
            shutil.copy2(source, target)

    try:
        _with_folder(staging / rel, link)
    except OSError:
        return False
    return True


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


JOURNAL = "publish-journal.json"
SWAP_JOURNAL = "swap-journal.json"


def files_under(folder: Path | str) -> list[str]:
    """Every file under folder, as "a/b/c.html" paths (plain strings: this walks the whole output)."""
    found = []
    stack = [(os.fspath(folder), "")]
    while stack:
        current, prefix = stack.pop()
        with os.scandir(current) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, rel + "/"))
                else:
                    found.append(rel)
    return found


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
        _with_folder(copy, lambda place: os.link(target, place))
    except OSError:
        shutil.copy2(target, copy)  # a disk without hard links


def _move(source: Path, target: Path) -> None:
    _with_folder(target, lambda place: os.replace(source, place))


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
            _with_folder(output / rel, lambda place, rel=rel: os.replace(undo / rel, place))
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
