"""The record on disk: a small header file naming the parts that hold the entries.

Each step's entries are split into BUCKETS parts by a hash of their names, so a build that
changed one page rewrites the few parts holding what changed (a few hundred kilobytes),
not the whole record (megabytes at 5,000 pages, a tenth of a one-page rebuild).

A part is never changed once written: a changed one is written under a new name, then the
header is replaced in one rename, then parts no header names are deleted. A build killed
at any moment leaves either the old record or the new one, never a mix of the two.
"""

from __future__ import annotations

import itertools
import os
import pickle
import zlib
from pathlib import Path

RECORD = "record.pickle"
PARTS = "record"  # folder of the parts, beside the header
BUCKETS = 16
_PROTOCOL = pickle.HIGHEST_PROTOCOL


def bucket(name: str) -> int:
    return zlib.crc32(name.encode()) % BUCKETS


def read(root: Path) -> tuple[tuple, dict[str, dict], dict[tuple[str, int], str]]:
    """(header, {step: {name: entry}}, {(step, bucket): part file}); raises if damaged."""
    with open(root / RECORD, "rb") as handle:
        header = pickle.load(handle)
        parts = pickle.load(handle)
    steps: dict[str, dict] = {}
    for (step, _), name in parts.items():
        with open(root / PARTS / name, "rb") as handle:
            steps.setdefault(step, {}).update(pickle.load(handle))
    return header, steps, parts


def read_header(root: Path) -> tuple:
    with open(root / RECORD, "rb") as handle:
        return pickle.load(handle)


def write(root: Path, header: tuple, steps: dict[str, dict], dirty: set[tuple[str, int]],
          parts: dict[tuple[str, int], str]) -> dict[tuple[str, int], str]:
    """Write the parts in `dirty` (and any not on disk yet), then the header; return the
    parts the record now has."""
    folder = root / PARTS
    folder.mkdir(parents=True, exist_ok=True)
    touched = {step for step, _ in dirty} | (set(steps) - {step for step, _ in parts})
    kept = {part: name for part, name in parts.items() if part[0] in steps and part[0] not in touched}
    wanted: dict[tuple[str, int], dict] = {}
    for step in touched & set(steps):  # only steps with a change are split into buckets again
        for name, entry in steps[step].items():
            wanted.setdefault((step, bucket(name)), {})[name] = entry
    unique = itertools.count()
    stamp = f"{os.getpid()}-{os.urandom(4).hex()}"  # parts of different saves never share a name
    for part, entries in wanted.items():
        if part in parts and part not in dirty:
            kept[part] = parts[part]
            continue
        name = f"{part[0]}.{part[1]}.{stamp}.{next(unique)}.pickle"
        with open(folder / name, "wb") as handle:
            pickle.dump(entries, handle, protocol=_PROTOCOL)
        kept[part] = name
    temporary = root / (RECORD + ".tmp")
    with open(temporary, "wb") as handle:  # the header first, so read_header() can read it alone
        pickle.dump(header, handle, protocol=_PROTOCOL)
        pickle.dump(kept, handle, protocol=_PROTOCOL)
    os.replace(temporary, root / RECORD)
    named = set(kept.values())
    for leftover in os.listdir(folder):
        if leftover not in named:
            try:
                os.unlink(folder / leftover)
            except OSError:
                pass
    return kept


def stamp(root: Path) -> tuple | None:
    """The header's time, size and inode: it changes whenever any build saves a record."""
    try:
        info = os.stat(root / RECORD)
        return info.st_mtime_ns, info.st_size, info.st_ino
    except (OSError, TypeError):
        return None


def remove(root: Path) -> None:
    (root / RECORD).unlink(missing_ok=True)  # the parts go with the next save
