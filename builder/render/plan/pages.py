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
        key = (plan.site_key, plan.tokens.full(page), plan.page_html.sha(page.source),
               plan.tokens.summary(_related(index, page, context["neighbours"])), context["upcoming"])
        outputs.append(Output(page.output_path.removeprefix(base.lstrip("/")), template_for(page), context, key))
    return outputs


def _related(index: SiteIndex, page: Page, neighbours) -> list[Page]:
    related = [n for n in neighbours or () if n]
    related += [c for slug in page.commitments if (c := index.commitment(slug))]
    if page.kind == "event":
        related += list(index.raised.get(page.slug, ()))
    if page.kind == "commitment":
        related += list(index.reports.get(page.slug, ()))
        related += [e for e in index.kind("event") if e.slug == page.raised_by]
        related += [m for m in index.kind("measure") if m.slug in page.measures]
    if page.kind == "measure":  # it lists the commitments it shows
        related += [c for c in index.kind("commitment") if page.slug in c.measures]
    return related
