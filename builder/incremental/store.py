"""Page HTML kept between builds, by digest, in one SQLite file.

Thousands of small files cost more to write than the pages themselves, so blobs go into
one table. New blobs are held in memory and written in one transaction (flush) before the
record that refers to them is saved. The store is only ever a shortcut: anything missing
means the build starts again without it.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

RAW, HTML = "raw", "html"  # Markdown HTML before links are resolved; page HTML after
NAMES = ("blobs.sqlite", "blobs.sqlite-wal", "blobs.sqlite-shm")


class CacheDamaged(Exception):
    """Something the record promised is missing: build again without it."""


class BlobStore:
    def __init__(self, root: Path | None):
        self.root = root  # None: remember in memory only (--no-cache, check's scratch build)
        self._db: sqlite3.Connection | None = None
        self._pid = os.getpid()
        self._new: dict[tuple[str, str], str] = {}

    def _connect(self) -> sqlite3.Connection:
        if self._pid != os.getpid():  # a forked worker: never share the parent's connection
            self._db, self._pid = None, os.getpid()
        if self._db is None:
            self.root.mkdir(parents=True, exist_ok=True)
            # check_same_thread: serve builds in its watcher thread, one build at a time.
            self._db = sqlite3.connect(self.root / NAMES[0], isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS blobs (kind TEXT, sha TEXT, text TEXT, PRIMARY KEY (kind, sha))")
        return self._db

    def put(self, kind: str, sha: str, text: str) -> None:
        self._new[(kind, sha)] = text

    def get(self, kind: str, sha: str) -> str | None:
        text = self._new.get((kind, sha))
        if text is not None or self.root is None or not (self.root / NAMES[0]).exists():
            return text
        try:
            row = self._connect().execute("SELECT text FROM blobs WHERE kind = ? AND sha = ?", (kind, sha)).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row else None

    def flush(self) -> None:
        """Write new blobs in one transaction (and forget them: the parent keeps less in
        memory while the render workers run)."""
        if self.root is None or not self._new:
            return
        db = self._connect()
        with db:
            db.execute("BEGIN")
            db.executemany("INSERT OR IGNORE INTO blobs VALUES (?, ?, ?)",
                           [(kind, sha, text) for (kind, sha), text in self._new.items()])
        self._new.clear()

    def prune(self, kind: str, keep: set[str]) -> None:
        """Drop blobs nothing refers to any more, so the store does not grow without end."""
        if self.root is None or not (self.root / NAMES[0]).exists():
            return
        db = self._connect()
        stale = {row[0] for row in db.execute("SELECT sha FROM blobs WHERE kind = ?", (kind,))} - keep
        if stale:
            with db:
                db.executemany("DELETE FROM blobs WHERE kind = ? AND sha = ?", [(kind, sha) for sha in stale])

    def clear(self) -> None:
        self.close()
        self._new.clear()
        for name in NAMES if self.root else ():
            (self.root / name).unlink(missing_ok=True)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


class PageHtml:
    """Page HTML by source path, read from the store only for the pages a template shows."""

    def __init__(self, store: BlobStore, shas: dict[str, str]):
        self.store, self.shas = store, shas
        self._read: dict[str, str] = {}

    def __getitem__(self, source: str) -> str:
        sha = self.shas[source]
        text = self._read.get(sha) or self.store.get(HTML, sha)
        if text is None:
            raise CacheDamaged(source)
        self._read[sha] = text
        return text

    def get(self, source: str, default: str = "") -> str:
        return self[source] if source in self.shas else default

    def sha(self, source: str) -> str:
        return self.shas[source]
