"""The dependency record: what each step of the last build computed, and from what.

In the spirit of Lektor's build database and Bazel's action cache: the build asks the memo
for a step's result under a key (a digest of every input that step read: see keys.py),
and the memo hands back last build's result when the key is the same, or None. The steps
themselves never see the memo. Only what this build used is carried into the next record,
so entries for deleted pages drop out by themselves.

The record is kept in the site's cache folder in parts (record_file.py), and only the parts
holding what changed are written again. `localoffer serve` keeps the Memo object alive
between builds, so a rebuild there reads nothing from disk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from builder import __version__
from builder.incremental import record_file
from builder.incremental.record_file import bucket
from builder.incremental.store import BlobStore, CacheDamaged  # noqa: F401  (the build catches it from here)

FORMAT = 9  # 9: kept in parts, rewritten only where they changed


class Memo:
    def __init__(self, root: Path | None, save_every_build: bool = True):
        """root: the site's cache folder, or None to remember nothing between builds.
        save_every_build=False (serve): the record is written by save(), when the server is idle."""
        self.root = root
        self.save_every_build = save_every_build
        self.current = False  # the record describes output/ as this process last published it
        self._unsaved = False
        self._disk = None  # size and time of the record file as this process last read or wrote it
        self.blobs = BlobStore(root)
        self._fingerprint = ""
        self._output = ""  # the output folder the record's published files are in
        self._old: dict[str, dict] = {}
        self._new: dict[str, dict] = {}
        self._parts: dict[tuple[str, int], str] = {}  # the record's parts on disk
        self._dirty: set[tuple[str, int]] = set()  # parts that differ from them
        self._changed = False
        self._loaded = False

    # --- one build ------------------------------------------------------------------------

    def begin(self, fingerprint: str, output: Path) -> None:
        """Start a build into output. A different fingerprint (builder version, site.toml,
        glossary, drafts) changes how every page is made, and another output folder holds
        other files: then nothing is reused."""
        if not self._loaded or self._disk != self._disk_stamp():
            # First build, or another process built the site since: its record is the truth.
            self._fingerprint, self._output, self._old = self._load()
            self._loaded, self.current, self._unsaved, self._dirty = True, False, False, set()
        # Otherwise _old is what the last successful build left (serve keeps it in memory);
        # a failed build's partial record is dropped, since nothing of it was published.
        if fingerprint != self._fingerprint or str(output) != self._output:
            self.clear()
            self._fingerprint, self._output = fingerprint, str(output)
        self._new = {}
        self._changed = False

    def get(self, step: str, name: str, key) -> object | None:
        """Last build's result of step for name, if it was computed under the same key."""
        known = self._old.get(step, {}).get(name)
        if known is None or known[0] != key:
            return None
        self._new.setdefault(step, {})[name] = known
        return known[1]

    def put(self, step: str, name: str, key, result):
        """Record result as step's result for name under key; returns result."""
        self._new.setdefault(step, {})[name] = (key, result)
        self._changed = True
        self._dirty.add((step, bucket(name)))
        return result

    def map(self, step: str, items: Iterable[tuple[str, object, object]], compute: Callable[[list], list],
            reuse: Callable[[str], bool] | None = None) -> dict[str, object]:
        """{name: result} for (name, key, item) triples: reused where the key matches (and
        reuse(name) agrees, when given), the rest computed together by compute(list of
        items), so it can spread them over cores."""
        found, todo = {}, []
        for name, key, item in items:
            result = self.get(step, name, key) if reuse is None or reuse(name) else None
            if result is None:
                todo.append((name, key, item))
            else:
                found[name] = result
        for (name, key, _), result in zip(todo, compute([item for _, _, item in todo])):
            if result is not None:  # None: failed (the step reported why); never remembered
                self.put(step, name, key, result)
            found[name] = result
        return found

    def map_recorded(self, step: str, items: Iterable[tuple[str, object, object]], compute: Callable[[list], list],
                     replay: Callable[[tuple], object], reuse: Callable[[str], bool] | None = None) -> dict[str, object]:
        """map() for a step that records what it read as it runs: compute gives (result,
        reads) for each item. A result is reused where its key matches and replay(reads)
        (what those reads give now) matches what they gave when it was computed."""
        found, todo = {}, []
        for name, key, item in items:
            known = self._old.get(step, {}).get(name) if reuse is None or reuse(name) else None
            if known is not None and known[0][0] == key and replay(known[0][1]) == known[0][2]:
                self._new.setdefault(step, {})[name] = known
                found[name] = known[1]
            else:
                todo.append((name, key, item))
        for (name, key, _), done in zip(todo, compute([item for _, _, item in todo])):
            result, reads = done if done is not None else (None, None)
            if result is not None:  # None: failed (the step reported why); never remembered
                self.put(step, name, (key, reads, replay(reads)), result)
            found[name] = result
        return found

    def previous(self, step: str) -> dict[str, object]:
        """Every result the last build recorded for step (publishing compares against it)."""
        return {name: known[1] for name, known in self._old.get(step, {}).items()}

    def published(self) -> set[str]:
        """Every output path the last build published (rendered pages and copied files)."""
        return set(self._old.get("render", {})) | set(self._old.get("file", {}))

    def end(self) -> None:
        """The build succeeded and published: its record becomes the one the next build
        compares against. Saved (new blobs first) only if anything differs from the last."""
        for step, names in self._old.items():
            kept = self._new.get(step, {})
            if len(kept) != len(names):  # entries not used this time drop out
                self._dirty.update((step, bucket(name)) for name in names if name not in kept)
                self._changed = True
        changed = self._changed
        self._old, self.current = self._new, True
        self._unsaved = self._unsaved or changed
        if self.save_every_build:
            self.save()

    def save(self) -> None:
        """Write the record (new blobs first), if it differs from the one on disk."""
        self.blobs.flush()
        if self.root is None or not self._unsaved:
            return
        if self._loaded and self._disk != self._disk_stamp():
            # Another process (a `localoffer build` beside serve) has written a newer record
            # since this one was read: it describes output/ as that build left it, so it stays.
            self._unsaved = False
            return
        self.root.mkdir(parents=True, exist_ok=True)
        self._parts = record_file.write(self.root, ((FORMAT, __version__), self._fingerprint, self._output),
                                        self._old, self._dirty, self._parts)
        self._disk, self._unsaved, self._dirty = self._disk_stamp(), False, set()
        self.blobs.prune("raw", {entry.raw_sha for _, entry in self._old.get("page", {}).values()})
        self.blobs.prune("html", {sha for _, sha in self._old.get("links", {}).values()})

    def clear(self) -> None:
        """Forget everything, on disk too."""
        self._old, self._new, self._parts, self._dirty = {}, {}, {}, set()
        self.current = False
        self.blobs.clear()
        if self.root is not None:
            record_file.remove(self.root)
            self._disk = self._disk_stamp()  # this process removed it: not another's newer record

    def _disk_stamp(self):
        return record_file.stamp(self.root) if self.root is not None else None

    def _load(self) -> tuple[str, str, dict]:
        self._disk = self._disk_stamp()
        if self.root is None:
            return "", "", {}
        try:
            (version, fingerprint, output), steps, parts = record_file.read(self.root)
            if version == (FORMAT, __version__):
                self._parts = parts
                return fingerprint, output, steps
        except Exception:  # missing or damaged: building everything is always correct
            pass
        self._parts = {}
        return "", "", {}


def disown(cache_dir: Path, output: Path) -> None:
    """A build that keeps no record is publishing into output: if the record describes that
    folder, it no longer does, so it goes (the next build then makes every page)."""
    try:
        _, _, recorded = record_file.read_header(cache_dir)
    except Exception:
        return
    if recorded == str(output):
        record_file.remove(cache_dir)
