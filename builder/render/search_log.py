"""The search index as a log-structured store: a large *settled* index of every page as of
the last merge, and a small *recent* index of the pages added or changed since.

A reader's browser loads the settled index and merges the recent one (Pagefind's
mergeIndex), so a query costs about what one index of the whole site would: a handful of
small files more, not one set of files per shard. A build re-indexes only the recent pages;
when they pass RECENT_SHARE of the site (or RECENT_MIN pages), every page is indexed again
into a new settled index and the recent one is emptied.

The settled index still holds the old version of each recent page, and pages since deleted.
search.json lists their Pagefind ids ("superseded"), and search.js drops those results
before counting. An id names the page's fragment file, which Pagefind names by a hash of
its content: the rare recent page whose id is also a superseded one is listed under
"shared" with its address, so search.js can keep that one and drop its stale twin.

Each index is written beside the old one and swapped in whole, with its record (address ->
[what its document showed, its Pagefind id]), so an interrupted build leaves a state the
next build reads and corrects; search.json is written last, from the records.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote

from builder.render.pagefind_service import index_shards

SETTLED, RECENT = "settled", "recent"
BUNDLES = {SETTLED: "0", RECENT: "1"}  # their folders under pagefind/ (search.js loads 0/ and merges 1/)
MANIFEST = "search.json"
RECORD = ".pages.json"
LISTING = ".files"  # in each index: its files, so they need not be walked
RECENT_SHARE = 0.01  # a larger recent index spans more of its 20 kB word chunks: more files per search
RECENT_MIN = 25


def recent_limit(pages: int) -> int:
    return max(RECENT_MIN, int(pages * RECENT_SHARE))


def plan(entries: dict, settled: dict | None) -> tuple[bool, set]:
    """(merge everything into a new settled index?, the addresses the recent index holds).
    entries: address -> digest of its document now; settled: the settled index's record."""
    if settled is None:
        return True, set()
    changed = {url for url, key in entries.items() if url not in settled or settled[url][0] != key}
    gone = settled.keys() - entries.keys()
    if len(changed) + len(gone) > recent_limit(len(entries)):
        return True, set()
    if any(url in settled and settled[url][1] is None for url in changed | gone):
        return True, set()  # its old result could not be dropped: index everything again instead
    return False, changed


def manifest(entries: dict, settled: dict, recent: dict) -> dict:
    """What search.js needs to know: whether to merge the recent index, and which of the
    settled index's results to drop."""
    superseded = sorted({id_ for url, (key, id_) in settled.items() if entries.get(url) != key})
    stale = set(superseded)
    shared = {id_: url for url, (_, id_) in recent.items() if id_ in stale}
    return {"merge": [BUNDLES[RECENT] + "/"] if recent else [], "superseded": superseded, "shared": shared}


def _record(folder: Path) -> dict | None:
    try:
        return json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


class SearchJob:
    """Brings the index in work_dir up to date in the background; files() waits for it.

    documents(addresses) makes the search documents of those pages; it is called here, on the
    thread that owns the HTML store, and only Pagefind's work is in the background."""

    def __init__(self, work_dir: Path, entries: dict, needed: bool, documents, lang: str, folder: str):
        self.root = Path(work_dir) / "shard-0" / "result"  # the folder the build checks for
        self.folder = folder
        self.lang = lang
        self._pool = self._future = None
        if not entries:  # Pagefind refuses an empty site; the search page then says so
            shutil.rmtree(work_dir, ignore_errors=True)
            self.root = None
            return
        for old in Path(work_dir).glob("shard-*"):  # shards of the design before this one
            if old.name != "shard-0":
                shutil.rmtree(old, ignore_errors=True)
        if not needed:
            return
        merge, recent = plan(entries, _record(self.root / SETTLED))
        if merge:
            work = (True, documents(set(entries)))
        else:
            kept = _record(self.root / RECENT) or {}
            same = {url: key for url, (key, _) in kept.items()} == {url: entries[url] for url in recent}
            work = (False, None if same else documents(recent))  # [] empties it
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._future = self._pool.submit(self._update, entries, *work)

    def _update(self, entries: dict, merge: bool, documents: list | None) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if merge:
            for leftover in self.root.iterdir():  # an older layout's files, and the old indexes
                if leftover.name not in (SETTLED, MANIFEST):
                    shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
            self._index(SETTLED, documents, entries)
            shutil.rmtree(self.root / RECENT, ignore_errors=True)
        elif documents == []:
            shutil.rmtree(self.root / RECENT, ignore_errors=True)
        elif documents is not None:
            self._index(RECENT, documents, entries)
        settled = _record(self.root / SETTLED) or {}
        recent = _record(self.root / RECENT) or {}
        new = self.root / (MANIFEST + ".new")
        new.write_text(json.dumps(manifest(entries, settled, recent), separators=(",", ":")), encoding="utf-8")
        os.replace(new, self.root / MANIFEST)

    def _index(self, name: str, documents: list, entries: dict) -> None:
        """Index documents into root/name, made beside the old index and swapped in whole."""
        new = self.root / (name + ".new")
        shutil.rmtree(new, ignore_errors=True)
        [listing] = index_shards([(new, documents)], self.lang)
        ids = {}
        for rel in listing:  # each fragment file names a page's id, and holds its address
            if rel.startswith("fragment/"):
                data = gzip.decompress((new / rel).read_bytes()).removeprefix(b"pagefind_dcd")
                ids[unquote(json.loads(data)["url"])] = rel.split("/")[1].removesuffix(".pf_fragment")
        # An address Pagefind wrote otherwise has no id: plan() then merges rather than leave it stale.
        record = {url: [entries[url], ids.get(unquote(url))] for url, _ in documents}
        (new / RECORD).write_text(json.dumps(record), encoding="utf-8")
        (new / LISTING).write_text("\n".join(listing), encoding="utf-8")
        shutil.rmtree(self.root / name, ignore_errors=True)
        os.replace(new, self.root / name)

    def files(self) -> dict[str, Path]:
        """Wait for Pagefind; return output-relative path -> file for every index file."""
        try:
            if self._future is not None:
                self._future.result()
        finally:
            self._shutdown()
        if self.root is None:
            return {}
        found = {}
        for name, bundle in BUNDLES.items():
            index = self.root / name
            try:  # read, not walked: an index of thousands of pages is thousands of files
                listed = (index / LISTING).read_text(encoding="utf-8").splitlines()
            except OSError:
                continue
            found |= {f"{self.folder}/{bundle}/{rel}": index / rel for rel in listed}
        if (self.root / MANIFEST).is_file():
            found[f"{self.folder}/{MANIFEST}"] = self.root / MANIFEST
        return found

    def cancel(self) -> None:
        if self._future is not None:
            self._future.cancel()
        self._shutdown()

    def _shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
