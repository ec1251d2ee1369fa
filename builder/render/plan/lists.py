"""The lists of articles (/updates/, /letters/, /news/) and of topics (/tags/, /tags/TAG/),
newest first, a page of config.per_page items at a time."""

from __future__ import annotations

from markupsafe import Markup, escape

from builder.content.model import ARTICLE_KINDS, SECTIONS
from builder.render.plan.common import LIST_TEXT, Output, Plan, paged_path, paginate
from builder.site.index import SiteIndex
from builder.site.topics import topic_html, topic_label


def plan_lists(index: SiteIndex, plan: Plan) -> list[Output]:
    _ = plan.gettext
    base = index.config.base_path
    outputs = []
    for kind in ARTICLE_KINDS:
        section = SECTIONS[kind][0]
        heading, intro = (_(text) for text in LIST_TEXT[kind])
        for number, chunk, pager in paginate(index.kind(kind), index.config.per_page, f"{base}{section}/"):
            outputs.append(Output(paged_path(f"{section}/", number), "list.html", {
                "section": section, "page_title": heading, "heading": heading, "intro": intro,
                "items": chunk, "pager": pager, "description": intro,
                "breadcrumbs": [plan.home_crumb(base)]}))
    return outputs


def plan_tags(index: SiteIndex, plan: Plan) -> list[Output]:
    _ = plan.gettext
    config, glossary = index.config, plan.glossary
    base = config.base_path
    outputs = [Output("tags/index.html", "tags.html", {
        "section": "tags", "page_title": _("Topics"),
        "description": _("Everything we have published, grouped by what it is about.")})]
    crumbs = [plan.home_crumb(base), {"url": f"{base}tags/", "label": _("Topics")}]
    for tag, items in index.tags.items():
        topic = topic_label(tag, config, config.language, glossary)[0]
        heading = _("Topic: %(topic)s") % {"topic": topic}
        shown = Markup(escape(_("Topic: %(topic)s"))) % {"topic": topic_html(tag, config, config.language, glossary)}
        for number, chunk, pager in paginate(items, config.per_page, f"{base}tags/{tag}/"):
            outputs.append(Output(paged_path(f"tags/{tag}/", number), "tag.html", {
                "section": "tags", "page_title": heading, "items": chunk, "pager": pager, "heading": shown,
                "description": _("Everything we have published about %(topic)s, newest first.") % {"topic": topic},
                "breadcrumbs": crumbs}))
    return outputs
