"""Pages the site makes with no content file of their own: the commitments table, the
glossary, the accessibility statement, search, get updates, complaints and advice,
display settings, and the 404 page."""

from __future__ import annotations

from builder.i18n import N_
from builder.render.plan.common import Output, Plan
from builder.site.index import SiteIndex

# (slug, template, title, description): English message ids.
SIMPLE = (
    ("glossary", "glossary.html", N_("Words we use"), N_("What the short forms and special words on this site mean.")),
    ("accessibility", "accessibility.html", N_("Accessibility statement"),
     N_("How accessible this website is, and how to tell us about a problem.")),
    ("search", "search.html", N_("Search"), N_("Search every page of this site.")),
    ("get-updates", "get-updates.html", N_("Get updates"),
     N_("Follow new letters, updates and news with a feed, and add upcoming dates to your calendar.")),
    ("complaints-and-advice", "complaints-and-advice.html", N_("Complaints and independent advice"),
     N_("How to complain, where to get free independent advice, and how to appeal a decision.")),
    ("settings", "settings.html", N_("Display settings"), N_("Make the text bigger or change the colours of this site.")),
)


def plan_commitments(index: SiteIndex, plan: Plan) -> list[Output]:
    _ = plan.gettext
    return [Output("commitments/index.html", "commitments.html",
                   {"section": "commitments", "page_title": _("Commitments"),
                    "description": _("Each thing inspectors and reviewers asked to improve, "
                                     "what was last said about it, and when.")})]


def plan_simple(index: SiteIndex, plan: Plan) -> list[Output]:
    _ = plan.gettext
    return [Output(f"{slug}/index.html", template, {"section": slug, "page_title": _(title),
                                                    "description": _(description)})
            for slug, template, title, description in SIMPLE]


def plan_not_found(index: SiteIndex, plan: Plan) -> list[Output]:
    _ = plan.gettext
    return [Output("404.html", "404.html", {
        "section": "", "page_title": _("Page not found"),
        "description": _("There is no page at this address.")})]
