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
    # What the template sees. The build cache keeps, beside the output, what rendering it read
    # (this, and what the template looked up: builder.incremental.keys), not a key made here.
    context: dict = field(default_factory=dict, hash=False, compare=False)


class LazyHtml:
    """A page's HTML, read from the build cache only if a template actually shows it."""

    def __init__(self, store, source: str):
        self._store, self._source = store, source

    def __html__(self) -> str:
        return self._store[self._source]

    def html_sha(self) -> str:
        """What stands in for the HTML in the build cache's keys, without reading it."""
        sha = getattr(self._store, "sha", None)
        return sha(self._source) if sha else digest(str(self).encode())

    __str__ = __html__


@dataclass(frozen=True)
class Plan:
    """What every planner is given besides the index: the site's glossary, the gettext of
    its language and the page HTML store."""

    glossary: dict
    gettext: object
    page_html: object

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
