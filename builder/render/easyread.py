"""Easy Read outputs: the /easy-read/ list of a language's Easy Read pages, and the links
between each page and its Easy Read version (builder.site.easyread).

Pure: the site index in, Outputs out. `link_versions` adds to each page's output the other
version of it ("easy_read" on a standard page, "standard" on an Easy Read one); the build
cache sees that page in the output's context, so a renamed or removed version renders the
link again.
"""

from __future__ import annotations

import dataclasses

from builder.render.plan.common import Output, Plan
from builder.site.easyread import counterparts, standard_of


def plan_easy_read(index, plan: Plan) -> list[Output]:
    """The list of Easy Read pages, by title, each with the page it is a version of."""
    if not index.kind("easyread"):
        return []
    _ = plan.gettext
    base = index.config.base_path
    pages = {page.source: page for page in index.pages}
    items = sorted(index.kind("easyread"), key=lambda page: page.title.lower())
    pairs = [(page, pages.get(standard_of(page.source))) for page in items]
    heading = _("Easy Read")
    intro = _("These pages are in Easy Read: short sentences and pictures that help explain the words.")
    return [Output("easy-read/index.html", "easy-read.html", {
        "section": "easy-read", "page_title": heading, "heading": heading, "intro": intro, "description": intro,
        "pairs": pairs, "breadcrumbs": [{"url": base, "label": _("Home")}]})]


def link_versions(outputs: list, pages) -> list:
    """Each page's output with the other version of the page in its context and key."""
    others = counterparts(pages)
    if not others:
        return outputs
    found = []
    for output in outputs:
        page = output.context.get("page")
        other = others.get(page.url) if page is not None and output.template != "redirect.html" else None
        if other is None:
            found.append(output)
            continue
        name = "standard" if page.kind == "easyread" else "easy_read"
        found.append(dataclasses.replace(output, context={**output.context, name: other}))
    return found
