"""What every planner shares: the Output they return, the page HTML a template may show,
pagination and breadcrumbs."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from builder.content.model import SECTIONS, Page
from builder.hashing import digest
from builder.i18n import N_

# English message ids, translated by the planners into the site's language.
LIST_TEXT = {
    "update": (N_("Progress updates"), N_("What we have done since each inspection and review, and what comes next.")),
    "letter": (N_("Letters to families"), N_("Open letters to parents and carers about SEND services.")),
    "news": (N_("News"), N_("Press releases about SEND services.")),
}
SECTION_LABELS = {"timeline": N_("Timeline"), "commitments": N_("Commitments"), "measures": N_("Measures"),
                  "you-said-we-did": N_("You said, we did"), "easy-read": N_("Easy Read")}


@dataclass(frozen=True)
class Output:
    path: str  # relative to the output folder
    template: str
    context: dict = field(default_factory=dict, hash=False, compare=False)
    # Everything the page shows that can change without its template changing; the build
    # cache compares it to skip rendering unchanged pages.
    key: tuple = ()


class Tokens:
    """A short digest per page, made once per build, so the keys of thousands of outputs
    are cheap to build and compare."""

    def __init__(self, known: dict[str, str] | None = None):
        self._full: dict[int, str] = {}
        self._known = known or {}  # source -> token made when the page was read

    @staticmethod
    def summary(pages) -> tuple:
        """What a card or link shows of each page: enough to know when a list must change."""
        return tuple(p.card_token for p in pages)

    def full(self, page) -> str:
        token = self._known.get(page.source) or self._full.get(id(page))
        if token is None:
            token = self._full[id(page)] = digest(repr(page).encode())
        return token


class LazyHtml:
    """A page's HTML, read from the build cache only if a template actually shows it."""

    def __init__(self, store, source: str):
        self._store, self._source = store, source

    def __html__(self) -> str:
        return self._store[self._source]

    __str__ = __html__


@dataclass(frozen=True)
class Plan:
    """What every planner is given besides the index: the site's glossary, the gettext of
    its language, the page HTML store and the page tokens."""

    glossary: dict
    gettext: object
    page_html: object
    tokens: Tokens
    site_key: tuple

    def home_crumb(self, base: str) -> dict:
        return {"url": base, "label": self.gettext("Home")}


def crumbs(base: str, page: Page, _) -> list[dict]:
    found = [{"url": base, "label": _("Home")}]
    section = SECTIONS[page.kind][0]
    if section:
        label = SECTION_LABELS.get(section) or LIST_TEXT[page.kind][0]
        found.append({"url": f"{base}{section}/", "label": _(label)})
    return found


def paginate(items, per_page: int, first_url: str):
    """(number, the items on that page, its pager) for each page of a list."""
    count = max(1, math.ceil(len(items) / per_page))
    for number in range(1, count + 1):
        url = lambda n: first_url if n == 1 else f"{first_url}page/{n}/"
        pager = {"number": number, "count": count,
                 "previous": url(number - 1) if number > 1 else None,
                 "next": url(number + 1) if number < count else None}
        yield number, tuple(items[(number - 1) * per_page: number * per_page]), pager


def paged_path(folder: str, number: int) -> str:
    """folder/index.html for the first page of a list, folder/page/N/index.html after."""
    return f"{folder}index.html" if number == 1 else f"{folder}page/{number}/index.html"
