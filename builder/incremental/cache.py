"""The build cache in <site>/.cache/localoffer: what the last build read, rendered and wrote.

It records, per source, the validated page and the Markdown HTML; per output, a digest of
everything it was rendered from and a digest of its bytes. A build compares against it to
skip work. The cache is only ever a shortcut: a version or config change, or any damage,
means it is thrown away and the build starts from nothing.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from builder import __version__

FORMAT = 5


@dataclass
class SourceEntry:
    stamp: tuple  # (mtime_ns, size) of the source, and of each attachment
    page: object  # the validated Page, body removed (re-read when needed)
    raw_sha: str  # Markdown HTML before link resolution, in raw/<sha>
    links: tuple[str, ...]  # local link values in the HTML
    images_without_alt: tuple[str, ...] = ()
    token: str = ""  # digest of the page's repr, made once, used in output keys


@dataclass
class State:
    fingerprint: str = ""
    sources: dict[str, SourceEntry] = field(default_factory=dict)
    resolved: dict[str, tuple] = field(default_factory=dict)  # source -> (raw_sha, link urls, html_sha)
    outputs: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (key digest, content digest)
    templates: tuple = ("", {})  # (digest of every template's text, template -> templates it uses)


class Cache:
    """State in one pickle; page HTML in one SQLite file (thousands of small files cost
    more to write than the pages themselves)."""

    RAW, HTML = "raw", "html"

    def __init__(self, root: Path, enabled: bool = True):
        self.root = root
        self.enabled = enabled
        self._db: sqlite3.Connection | None = None
        self._pid = os.getpid()
        self._memory: dict[tuple[str, str], str] = {}

    def _connect(self) -> sqlite3.Connection:
        if self._pid != os.getpid():  # a forked pool worker: never share the parent's connection
            self._db, self._pid = None, os.getpid()
        if self._db is None:
            self.root.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.root / "blobs.sqlite", isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS blobs (kind TEXT, sha TEXT, text TEXT, PRIMARY KEY (kind, sha))")
        return self._db

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
        self.close()
        for name in ("blobs.sqlite", "blobs.sqlite-wal", "blobs.sqlite-shm", "state.pickle"):
            try:
                (self.root / name).unlink()
            except OSError:
                pass

    def save(self, state: State) -> None:
        if not self.enabled:
            return
        self.flush()
        self.root.mkdir(parents=True, exist_ok=True)
        temporary = self.root / "state.pickle.tmp"
        with open(temporary, "wb") as handle:
            pickle.dump(((FORMAT, __version__), state), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.root / "state.pickle")

    def put_text(self, kind: str, sha: str, text: str) -> None:
        if self.enabled:
            self._memory[(kind, sha)] = text

    def flush(self) -> None:
        """Write new blobs in one transaction, before the state that refers to them."""
        if not self._memory:
            return
        db = self._connect()
        with db:
            db.execute("BEGIN")
            db.executemany("INSERT OR IGNORE INTO blobs VALUES (?, ?, ?)",
                           [(kind, sha, text) for (kind, sha), text in self._memory.items()])
        self._memory.clear()

    def get_text(self, kind: str, sha: str) -> str | None:
        if (kind, sha) in self._memory:
            return self._memory[(kind, sha)]
        if not self.enabled or not (self.root / "blobs.sqlite").exists():
            return None
        try:
            row = self._connect().execute("SELECT text FROM blobs WHERE kind = ? AND sha = ?", (kind, sha)).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row else None

    def prune(self, kind: str, keep: set[str]) -> None:
        """Drop HTML no source uses any more, so the cache does not grow without end."""
        if not self.enabled or not (self.root / "blobs.sqlite").exists():
            return
        db = self._connect()
        known = {row[0] for row in db.execute("SELECT sha FROM blobs WHERE kind = ?", (kind,))}
        stale = known - keep
        if stale:
            with db:
                db.executemany("DELETE FROM blobs WHERE kind = ? AND sha = ?", [(kind, sha) for sha in stale])

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
