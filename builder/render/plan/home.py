"""The home page: what the site is for, the latest article, what happens next, the latest
"you said, we did" entries and the measures."""

from __future__ import annotations

from builder.render.feedback_outputs import HOME_FEEDBACK
from builder.render.plan.common import Output, Plan
from builder.site.index import SiteIndex


def plan_home(index: SiteIndex, plan: Plan) -> list[Output]:
    _ = plan.gettext
    if index.config.organisation:
        about = _("How %(organisation)s and its partners are improving support for children and young people "
                  "with special educational needs and disabilities (SEND), and what happens next.") % {
            "organisation": index.config.organisation}
    else:
        about = _("How the council and its partners are improving support for children and young people "
                  "with special educational needs and disabilities (SEND), and what happens next.")
    heard = index.kind("feedback")[:HOME_FEEDBACK]  # the latest "you said, we did"
    return [Output("index.html", "home.html", {"section": "home", "page_title": "", "description": about,
                                               "latest_feedback": heard})]
