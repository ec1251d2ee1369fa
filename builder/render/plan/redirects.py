"""Old addresses from `aliases:` (builder.site.redirects): a tiny page each that sends the
reader on to the page's address now, with no site chrome."""

from __future__ import annotations

from builder.render.plan.common import Output, Plan
from builder.site.index import SiteIndex
from builder.site.redirects import redirects


def plan_redirects(index: SiteIndex, plan: Plan) -> list[Output]:
    _ = plan.gettext
    base = index.config.base_path
    host = index.config.base_url[: len(index.config.base_url) - len(base)]
    return [Output(redirect.path, "redirect.html", {
        "target": redirect.page, "target_url": redirect.page.url, "canonical": host + redirect.page.url,
        "page_title": _("This page has moved to %(title)s") % {"title": redirect.page.title}})
        for redirect in redirects(index.pages, base)]
