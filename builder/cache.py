"""The build cache in <site>/.cache/localoffer: what the last build read, rendered and wrote.

It records, per source, the validated page and the Markdown HTML; per output, a digest of
everything it was rendered from and a digest of its bytes. A build compares against it to
skip work. The cache is only ever a shortcut: a version or config change, or any damage,
means it is thrown away and the build starts from nothing.
"""

from __future__ import annotations

import os
import pickle
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from builder import __version__

FORMAT = 3


@dataclass
class SourceEntry:
    stamp: tuple  # (mtime_ns, size) of the source, and of each attachment
    page: object  # the validated Page, body removed (re-read when needed)
    raw_sha: str  # Markdown HTML before link resolution, in raw/<sha>
    links: tuple[str, ...]  # local link values in the HTML
    images_without_alt: tuple[str, ...] = ()


@dataclass
class State:
    fingerprint: str = ""
    sources: dict[str, SourceEntry] = field(default_factory=dict)
    resolved: dict[str, tuple] = field(default_factory=dict)  # source -> (raw_sha, link urls, html_sha)
    outputs: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (key digest, content digest)


class Cache:
    def __init__(self, root: Path, enabled: bool = True):
        self.root = root
        self.enabled = enabled
        self.raw_dir = root / "raw"
        self.html_dir = root / "html"

    def load(self, fingerprint: str) -> State:
        if not self.enabled:
            return State(fingerprint)
        try:
            with open(self.root / "state.pickle", "rb") as handle:
                version, state = pickle.load(handle)
            if version == (FORMAT, __version__) and state.fingerprint == fingerprint:
                return state
        except Exception:  # missing or damaged cache: a full build is always correct
            pass
        self.clear()
        return State(fingerprint)

    def clear(self) -> None:
        for folder in (self.raw_dir, self.html_dir):
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)

    def save(self, state: State) -> None:
        if not self.enabled:
            return
        self.root.mkdir(parents=True, exist_ok=True)
        temporary = self.root / "state.pickle.tmp"
        with open(temporary, "wb") as handle:
            pickle.dump(((FORMAT, __version__), state), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.root / "state.pickle")

    def put_text(self, folder: Path, sha: str, text: str) -> None:
        if not self.enabled:
            return
        path = folder / sha[:2] / sha
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)

    def get_text(self, folder: Path, sha: str) -> str | None:
        try:
            return (folder / sha[:2] / sha).read_text(encoding="utf-8")
        except OSError:
            return None

    def prune(self, folder: Path, keep: set[str]) -> None:
        """Remove HTML no source uses any more, so the cache does not grow without end."""
        if not folder.exists():
            return
        for sub in folder.iterdir():
            for item in sub.iterdir():
                if item.name not in keep:
                    item.unlink(missing_ok=True)
