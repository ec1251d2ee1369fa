"""The planner of "you said, we did" (builder.content.feedback): /you-said-we-did/, newest
first, and one list per topic at /you-said-we-did/topic/TOPIC/, linked from a row of filters
as the timeline's are, so the filter works without JavaScript. Each entry's own page is planned
with every other page's (builder.render.plan.pages)."""

from __future__ import annotations

from html import escape

from builder.render.plan.common import Output, Plan, paged_path, paginate
from builder.site.index import SiteIndex
from builder.site.topics import topic_html, topic_label

SECTION = "you-said-we-did"
HOME_FEEDBACK = 2  # how many of the latest entries the home page shows


def topics(index: SiteIndex) -> list[str]:
    """The topics (tags) of the entries, in alphabetical order: one filter page each."""
    return sorted({tag for entry in index.kind("feedback") for tag in entry.tags})


def plan_feedback(index: SiteIndex, plan: Plan) -> list[Output]:
    _, glossary = plan.gettext, plan.glossary
    base = index.config.base_path
    entries = index.kind("feedback")
    first = f"{base}{SECTION}/"
    found = topics(index)
    filters = [{"key": "all", "label": _("Everything"), "url": first}]
    filters += [{"key": tag, "label": topic_html(tag, index.config, index.config.language, glossary), "url": f"{first}topic/{tag}/"} for tag in found]
    heading = _("You said, we did")
    intro = _("What children, young people and families told us about SEND services, and what we did about it.")
    crumbs = [{"url": base, "label": _("Home")}]
    outputs = []
    for key in ["all", *found]:
        items = entries if key == "all" else tuple(e for e in entries if key in e.tags)
        folder = f"{SECTION}/" if key == "all" else f"{SECTION}/topic/{key}/"
        title = heading if key == "all" else _("You said, we did: %(topic)s") % {"topic": topic_label(key, index.config, index.config.language, glossary)[0]}
        for number, chunk, pager in paginate(items, index.config.per_page, base + folder):
            outputs.append(Output(paged_path(folder, number), "feedback_list.html", {
                "section": SECTION, "page_title": title, "heading": title, "description": intro,
                "items": chunk, "pager": pager, "filters": filters, "current_filter": key,
                "breadcrumbs": crumbs if key == "all" else [*crumbs, {"url": first, "label": heading}]}))
    return outputs


def entry_html(page, gettext, language: str) -> str:
    """What an entry says, as HTML, for the places that show a page's text without its template:
    the Atom feed and the search index. Empty for every other kind of page."""
    if page.feedback is None:
        return ""
    from builder.content.feedback import CHANNEL_LABELS, FEEDBACK_STATUS_LABELS, RESPONSE_HEADINGS
    from builder.i18n import format_date

    _ = gettext
    entry = page.feedback
    heard = _("How we heard: %(source)s, %(date)s") % {"source": _(CHANNEL_LABELS[entry.came_from]),
                                                       "date": format_date(entry.heard, language)}
    status = _("Status: %(status)s") % {"status": _(FEEDBACK_STATUS_LABELS[entry.status])}
    return (f"<h2>{escape(_('You said'))}</h2><p>{escape(entry.said)}</p><p>{escape(heard)}</p>"
            f"<h2>{escape(_(RESPONSE_HEADINGS[entry.status]))}</h2><p>{escape(entry.did)}</p><p>{escape(status)}</p>")
