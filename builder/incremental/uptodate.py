"""Is there anything to build? The whole-build short cut, decided before any stage runs.

Like make comparing file times: a build is skipped when every input it read is the same
size and time as when the last successful build started, and output/ still holds exactly
the files that build published. Then its report is given again. Otherwise the normal
incremental build runs (memo.py, keys.py), and `intact` still tells it whether output/
can be trusted to hold the files the record lists, which spares it a walk of 10,000 files.

The inputs are content/, templates/ and site.toml (what `serve` watches), the builder's own
files (its code, theme and words), the day (pages are published on their date) and the
build's settings. Output is checked by the times of its folders: adding, removing or
renaming a file changes its folder's time, so one stat per folder replaces a walk of every
file. Anything unexpected (a missing or damaged stamp) means "build".
"""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

from builder.hashing import digest
from builder.incremental import record_file

STAMP = "up-to-date.pickle"
# A file system's clock ticks coarsely (Linux: a few ms; FAT: 2 s), so a file changed twice
# within one tick keeps its time. As git does for its index ("racy git"), whatever changed
# within this long of a stamp being taken is not trusted by its time alone.
RACY_NS = 2_000_000_000
_BUILDER = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_WATCHED = ("content", "templates")


def inputs_stamp(site_dir: Path, settings: tuple) -> str | None:
    """A digest of the size and time of every file a build of site_dir reads, and settings;
    None if a file changed so lately that a change to come could leave its time the same."""
    stamps, times = [repr(settings)], [0]
    site = os.fspath(site_dir)
    for folder in _WATCHED:
        # Linked folders: content/'s are stamped as one entry, never walked, as discover never
        # enters one (and a link to "." or to / would make the walk endless or huge); the
        # template loader does follow them, so templates/'s are walked, each real folder once.
        _stamp_files(site + "/" + folder, folder, stamps, times, set() if folder == "templates" else None)
    _stamp_file(site + "/site.toml", "site.toml", stamps, times)
    _stamp_files(_BUILDER, "builder:", stamps, times)
    if max(times) >= time.time_ns() - RACY_NS:
        return None
    return digest("\n".join(stamps).encode())


def _stamp_files(folder: str, rel: str, stamps: list, times: list, seen: set | None = None) -> None:
    """seen: the real folders walked so far, when linked folders are followed (None: never)."""
    try:
        listing = os.scandir(folder)
    except OSError:
        stamps.append(f"{rel} -")
        return
    with listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue  # the builder never reads them (discover skips dotfiles)
        if _walks(entry, seen):
            _stamp_files(entry.path, f"{rel}/{entry.name}", stamps, times, seen)
        else:
            _stamp_file(entry.path, f"{rel}/{entry.name}", stamps, times)


def _walks(entry: os.DirEntry, seen: set | None) -> bool:
    try:
        if not entry.is_symlink():
            return entry.is_dir()
        if seen is None or not entry.is_dir():
            return False
    except OSError:  # a link in a loop
        return False
    real = os.path.realpath(entry.path)
    if real in seen:
        return False
    seen.add(real)
    return True


def _stamp_file(path: str, rel: str, stamps: list, times: list) -> None:
    try:
        info = os.stat(path)
        stamps.append(f"{rel} {info.st_mtime_ns} {info.st_size}")
        times.append(info.st_mtime_ns)
    except OSError:
        stamps.append(f"{rel} -")


def _folders(published) -> dict[str, set[str]]:
    """Every folder of the published paths ("" is output/ itself) -> the names in it."""
    folders: dict[str, set[str]] = {"": set()}
    for path in published:
        folder, _, name = path.rpartition("/")
        while True:
            known = folder in folders
            folders.setdefault(folder, set()).add(name)
            if known or not folder:
                break
            folder, _, name = folder.rpartition("/")
    return folders


class UpToDate:
    """What the last successful build left: its inputs' stamp, its report, output's folders."""

    def __init__(self, cache_dir: Path, output: Path):
        self._path = cache_dir / STAMP
        self._output = os.fspath(output)
        try:
            with open(self._path, "rb") as handle:
                self._inputs, self._report, record, times, racy = pickle.load(handle)
        except Exception:  # missing or damaged: build
            self._inputs, self._report, record, times, racy = None, None, None, {}, {}
        # Output is intact when the record (memo.py), which lists its files, is the one the
        # last build left, and every folder has the time it had then; a folder changed within
        # a clock tick of that is listed, since its time alone could hide a change.
        self.intact = bool(times) and record == record_file.stamp(cache_dir) and all(
            self._time(folder) == when for folder, when in times.items()) and all(
            self._names(folder) == names for folder, names in racy.items())

    def unchanged(self, inputs: str | None) -> dict | None:
        """The last build's report, if nothing it read has changed and output/ is as it left it."""
        return self._report if inputs and self.intact and inputs == self._inputs else None

    def remember(self, inputs: str | None, report: dict, published) -> None:
        recent = time.time_ns() - RACY_NS
        folders = _folders(published)
        times = {folder: self._time(folder) for folder in folders}
        racy = {folder: folders[folder] for folder, when in times.items() if when is None or when >= recent}
        temporary = self._path.with_suffix(".tmp")
        with open(temporary, "wb") as handle:
            pickle.dump((inputs, report, record_file.stamp(self._path.parent), times, racy), handle,
                        protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self._path)

    def _time(self, folder: str) -> int | None:
        try:
            return os.stat(f"{self._output}/{folder}" if folder else self._output).st_mtime_ns
        except OSError:
            return None

    def _names(self, folder: str) -> set[str] | None:
        try:
            return set(os.listdir(f"{self._output}/{folder}" if folder else self._output))
        except OSError:
            return None


def forget_stamp(cache_dir: Path) -> None:
    """A build is starting: until it succeeds, output/ may not match any stamp."""
    try:
        os.unlink(cache_dir / STAMP)
    except OSError:
        pass
