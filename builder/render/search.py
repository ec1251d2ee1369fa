"""Search: a Pagefind index of the site's pages, so search works from any static host.

Pagefind is fed small documents made straight from the page model (title, kind, date and
the page's HTML) rather than the finished pages, which halves its work. They go to it over a
pipe (builder/render/pagefind_service.py), not through files, and it works in the background
while the templates render.

The index is split into shards of about 250 pages, by a hash of each page's address, and
the search page merges them in the browser (Pagefind's mergeIndex). Editing one letter then
re-indexes one shard, not the whole archive. Each shard is kept in the build cache and
reused while nothing searchable in it changed.
"""

from __future__ import annotations

import html as html_lib
import math
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from builder.content.model import KIND_LABELS
from builder.hashing import digest
from builder.i18n import catalogue_digest, format_date, load_translations
from builder.publish.output import files_under
from builder.render.feedback_outputs import entry_html
from builder.render.pagefind_service import index_shards

FOLDER = "pagefind"
SHARD_SIZE = 250
LISTING = ".files"  # in each shard's result: the index files, so they need not be walked


def shard_count(pages: int) -> int:
    """A power of two, so shards are reshuffled only when the site doubles in size."""
    wanted = max(1, math.ceil(pages / SHARD_SIZE))
    return 1 << (wanted - 1).bit_length()


def _shard_of(url: str, count: int) -> int:
    return int(digest(url.encode())[:8], 16) % count


@dataclass(frozen=True)
class Shard:
    number: int
    pages: tuple
    key: tuple  # everything searchable in it: its index is made again when this changes


def plan_shards(pages, html, language: str) -> list[Shard]:
    """Split the site's pages into shards by a hash of each address (pure)."""
    count = shard_count(len(pages))
    words = catalogue_digest(language)  # kind labels and dates are written in the site's language
    members: list[list] = [[] for _ in range(count)]
    for page in pages:
        members[_shard_of(page.url, count)].append(page)
    shards = []
    for number, group in enumerate(members):
        # What a search document shows: the card (address, title, kind, date, summary) and the HTML.
        entries = tuple(sorted((p.url, p.card_token, html.sha(p.source)) for p in group))
        shards.append(Shard(number, tuple(group), (entries, language, words, count)))
    return shards


def search_documents(pages, html, language: str) -> list[tuple[str, str]]:
    """(address, document) per page: what Pagefind reads of it (title, kind, date, summary
    and body), in the language's words."""
    _ = load_translations(language).gettext
    lang = language.split("-")[0].lower()
    documents = []
    for page in pages:
        kind = html_lib.escape(_(KIND_LABELS[page.kind]))
        date = f'<p data-pagefind-meta="date">{format_date(page.date, language)}</p>' if page.date else ""
        documents.append((page.url,
            f'<!DOCTYPE html><html lang="{lang}"><head><title>{html_lib.escape(page.title)}</title></head>'
            f'<body><main data-pagefind-body><h1>{html_lib.escape(page.title)}</h1>'
            f'<p data-pagefind-meta="kind">{kind}</p>{date}'
            f'<p>{html_lib.escape(page.summary)}</p>{entry_html(page, _, language)}{html[page.source]}</main></body></html>'))
    return documents


class SearchJob:
    """Pagefind indexes the given shards in the background (while the templates render);
    files() waits for it and lists every shard's index files."""

    def __init__(self, work_dir: Path, shards: list[Shard], to_index: list[Shard], html, language: str, jobs: int = 1):
        self.work_dir = work_dir
        self.count = len(shards)
        self.lang = language.split("-")[0].lower()
        self._futures = []
        self._pool = None
        if not any(shard.pages for shard in shards):  # Pagefind refuses an empty site; the search page then says so
            shutil.rmtree(work_dir, ignore_errors=True)
            self.count = 0
            return
        for stale in work_dir.glob("shard-*"):
            if int(stale.name.split("-")[1]) >= self.count:
                shutil.rmtree(stale, ignore_errors=True)
        if to_index:
            # Made here, on the thread that owns the HTML store; only Pagefind's work is in the background.
            work = [(work_dir / f"shard-{shard.number}", search_documents(shard.pages, html, language))
                    for shard in to_index]
            # Pagefind indexes a shard on one core: with more shards than that, one at a time per core.
            threads = max(1, min(jobs, 2, len(work)))
            self._pool = ThreadPoolExecutor(max_workers=threads)
            self._futures = [self._pool.submit(self._index, work[n::threads]) for n in range(threads)]

    def _index(self, work: list[tuple[Path, list]]) -> None:
        """Each shard's index is made beside its old one and swapped in only when complete,
        so an interrupted build never leaves a half-written index that looks finished."""
        for folder, _ in work:
            shutil.rmtree(folder / "result.new", ignore_errors=True)
            folder.mkdir(parents=True, exist_ok=True)
        listings = index_shards([(folder / "result.new", documents) for folder, documents in work], self.lang)
        for (folder, _), listing in zip(work, listings):
            # Its list of files goes inside it, so the list and the index are swapped in together.
            (folder / "result.new" / LISTING).write_text("\n".join(listing), encoding="utf-8")
            shutil.rmtree(folder / "result", ignore_errors=True)
            shutil.rmtree(folder / "source", ignore_errors=True)  # left by builds before Pagefind's service mode
            os.replace(folder / "result.new", folder / "result")

    def files(self) -> dict[str, Path]:
        """Wait for Pagefind; return output-relative path -> file for every index file."""
        try:
            for future in self._futures:
                future.result()
        finally:
            self._shutdown()
        found = {}
        for number in range(self.count):
            result = self.work_dir / f"shard-{number}" / "result"
            try:  # read, not walked: 30 shards are thousands of files
                listed = (result / LISTING).read_text(encoding="utf-8").splitlines()
            except OSError:
                listed = [rel for rel in files_under(result) if rel != LISTING] if result.is_dir() else []
            for rel in listed:
                found[f"{FOLDER}/{number}/{rel}"] = f"{result}/{rel}"
        return found

    def cancel(self) -> None:
        for future in self._futures:
            future.cancel()
        self._shutdown()

    def _shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
