"""What can stop the built site being published, found before output/ is touched and said
in plain words: a folder this account may not change, a read-only disk, a folder that is a
mount point or on another disk, a folder in use.

Publishing checks every folder it is about to change first (check_swap, check_journal), so
such a problem leaves output/ exactly as it was. A problem the checks cannot foresee (a file
opened by another program on Windows, say) is undone by the publish and then said the same
way (plain).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from builder.errors import BuildFailed, ContentError

UNCHANGED = "the published site was not changed"
PERMISSION, READ_ONLY, MOUNT, OTHER_DISK, BUSY = "permission", "read-only", "mount", "other disk", "busy"
_KINDS = {errno.EACCES: PERMISSION, errno.EPERM: PERMISSION, errno.EROFS: READ_ONLY,
          errno.EXDEV: OTHER_DISK, errno.EBUSY: BUSY}


def refusal(folder: Path | str, kind: str) -> BuildFailed:
    """The plain report of a folder that cannot be changed, for the comms officer and IT team."""
    folder = str(folder)
    if kind == PERMISSION:
        message = ("the account running the build may not change this folder (it is read-only, belongs to another user, "
                   f"or a program has a file in it open), so the new site was not published; {UNCHANGED}")
        hint = (f"make the folder writable for the account that runs the build (on Linux or macOS: "
                f"chmod -R u+w '{folder}'; on Windows: clear Read-only in its Properties), close programs using it, "
                "or ask your IT team; then build again")
    elif kind == READ_ONLY:
        message = f"this folder is on a read-only disk or mount, so the new site was not published; {UNCHANGED}"
        hint = ("build into a folder on a writable disk (localoffer build --output FOLDER), "
                "or ask your IT team to make this disk writable; then build again")
    elif kind == MOUNT:
        message = (f"this folder is a mount point (a disk or shared folder of its own), which a build cannot "
                   f"replace as a whole; {UNCHANGED}")
        hint = ("publish into a plain folder: build with --output into a folder inside the mount, "
                "or mount the folder above it instead; then build again")
    elif kind == OTHER_DISK:
        message = (f"this folder is on a different disk from the rest of the output folder, so the new site "
                   f"cannot be put in place at once; {UNCHANGED}")
        hint = "keep the whole output folder on one disk (remove the separate disk or mount inside it), then build again"
    else:
        message = f"this folder is in use by another program, so the new site was not published; {UNCHANGED}"
        hint = ("close programs that have the folder or its files open (a file explorer, an editor, a web server), "
                "then build again")
    return BuildFailed([ContentError(folder, message, None, hint)])


def kind_of(problem: OSError) -> str | None:
    """The kind of a failed change to a folder, or None for any other error."""
    return _KINDS.get(problem.errno) or (PERMISSION if isinstance(problem, PermissionError) else None)


def folder_of(problem: OSError, output: Path) -> Path:
    """The folder to name: inside output/ if the error involves it, else the one it names."""
    paths = [Path(os.fsdecode(name)) for name in (problem.filename2, problem.filename) if name is not None]
    inside = [path for path in paths if path == output or output in path.parents]
    path = (inside or paths or [output])[0]
    return path if path.is_dir() else path.parent


def check_swap(output: Path, staging: Path) -> None:
    """The whole output folder is about to be replaced, and the old copy deleted: the folders
    the two renames change, and each folder of the old copy, must allow it. Every folder is
    visited, as the build's record may not know them all (after a change to site.toml, say);
    a swap comes with most pages rendered again, next to which the walk is small (measured:
    under 0.1 s of CPU for 5,000 folders)."""
    if output.exists() and os.path.ismount(output):
        raise refusal(output, MOUNT)
    for folder in (output.parent, staging.parent):
        _check(folder, None)
    if not output.exists():
        return
    device = os.stat(output).st_dev
    stack = [os.fspath(output)]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            stack.extend(entry.path for entry in entries if entry.is_dir(follow_symlinks=False))
        if not os.access(folder, os.W_OK | os.X_OK) or os.stat(folder).st_dev != device:
            _check(Path(folder), device)  # says which problem it is


def check_journal(output: Path, staging: Path, paths: list[str]) -> None:
    """A few files are about to be moved into output/ or deleted from it: each folder on the
    way from output/ to them must allow it, and be on the staging folder's disk."""
    if os.path.ismount(output):
        raise refusal(output, MOUNT)
    device = os.stat(staging).st_dev
    for folder in _folders(output, paths):
        _check(folder, device)


def _folders(output: Path, paths) -> list[Path]:
    """output and every folder under it that holds one of paths ("a/b/c.html")."""
    found = {""}
    for rel in paths:
        folder = os.path.dirname(rel)
        while folder not in found:
            found.add(folder)
            folder = os.path.dirname(folder)
    return [output / folder if folder else output for folder in sorted(found)]


def _check(folder: Path, device: int | None) -> None:
    """Refuse, in plain words, if folder cannot be changed (or is not on `device`)."""
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        return  # made by the publish, so this account may change it
    if device is not None and info.st_dev != device:
        raise refusal(folder, OTHER_DISK)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise refusal(folder, READ_ONLY if _read_only_disk(folder) else PERMISSION)


def _read_only_disk(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (AttributeError, OSError):  # Windows has no statvfs
        return False
