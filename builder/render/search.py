"""Search: a Pagefind index of the site's pages, so search works from any static host.

Pagefind is fed small documents made straight from the page model (title, kind, date and
the page's HTML) rather than the finished pages, which halves its work. They go to it over a
pipe (builder/render/pagefind_service.py), not through files, and it works in the background
while the templates render.

The index is kept as a log-structured store (builder/render/search_log.py): one large
*settled* index of every page as of the last merge, and a small *recent* index of the pages
added or changed since. A one-page edit re-indexes only the recent pages, while a reader's
browser fetches about what one index would cost: the settled index, plus the recent one's
few small files. The search page drops the settled index's results for pages that the recent
index replaces or that are gone (listed in search.json), so counts stay true. When the recent
pages pass a share of the site, everything is merged into a new settled index.
"""

from __future__ import annotations

import html as html_lib
from dataclasses import dataclass

from builder.content.model import KIND_LABELS
from builder.i18n import format_date, load_translations
from builder.render.feedback_outputs import entry_html
from builder.render.search_log import SearchJob as _LogJob

FOLDER = "pagefind"


@dataclass(frozen=True)
class Shard:
    number: int
    pages: tuple
    key: tuple  # everything searchable: the index is brought up to date when this changes
    entries: dict  # address -> digest of what its search document shows


def plan_shards(pages, entry_key) -> list[Shard]:
    """One entry for the whole site (pure): each page's address and the key of its search
    document, entry_key(page), made by the build cache (builder.incremental.keys.search_key)
    from everything search_documents reads of it."""
    entries = {p.url: entry_key(p) for p in pages}
    return [Shard(0, tuple(pages), tuple(sorted(entries.items())), entries)]


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


class SearchJob(_LogJob):
    """Pagefind brings the index up to date in the background (while the templates render);
    files() waits for it and lists the index files, under pagefind/."""

    def __init__(self, work_dir, shards: list[Shard], to_index: list[Shard], html, language: str, jobs: int = 1):
        pages = shards[0].pages if shards else ()
        entries = shards[0].entries if shards else {}
        super().__init__(work_dir, entries, bool(to_index),
                         lambda urls: search_documents([p for p in pages if p.url in urls], html, language),
                         language.split("-")[0].lower(), FOLDER)
