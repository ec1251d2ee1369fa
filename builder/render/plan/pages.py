"""Each page's own output: its template (the kind's, or the one its `template:` field names),
its HTML, its neighbours and breadcrumbs."""

from __future__ import annotations

from builder.content.model import SECTIONS, Page
from builder.render.plan.common import LazyHtml, Output, Plan, crumbs
from builder.site.index import SiteIndex

KIND_TEMPLATES = {"letter": "letter.html", "update": "article.html", "news": "article.html",
                  "event": "event.html", "page": "page.html", "commitment": "commitment.html",
                  "feedback": "feedback.html", "easyread": "easyread.html", "measure": "measure.html"}


def template_for(page: Page) -> str:
    return page.template or KIND_TEMPLATES[page.kind]


def plan_pages(index: SiteIndex, plan: Plan) -> list[Output]:
    base = index.config.base_path
    trail: dict[str, list] = {}  # the same for every page of a kind
    outputs = []
    for page in index.pages:
        section = SECTIONS[page.kind][0]
        context = {
            "page": page, "html": LazyHtml(plan.page_html, page.source), "section": section or "pages",
            "page_title": page.title, "description": page.summary, "neighbours": index.neighbours.get(page.url),
            "section_noun": section if section != "timeline" else "events",
            "upcoming": page.kind == "event" and page.date.first_day > index.today,
            "breadcrumbs": trail.get(page.kind) or trail.setdefault(page.kind, crumbs(base, page, plan.gettext)),
        }
        outputs.append(Output(page.output_path.removeprefix(base.lstrip("/")), template_for(page), context))
    return outputs
