"""Plan every output file of the site: the site index in, a list of Outputs out.

`plan_outputs` is pure: it calls one small planner per output family (builder/render/plan/,
and the measures, feedback and Easy Read modules) and joins what they return. Each Output
names its path, its template and the values the template sees, so the build can render
outputs in any order, in parallel, or not at all when nothing it read changed.
builder.render.templates turns one Output into text. A new kind of output arrives as one
planner more in PLANNERS.
"""

from __future__ import annotations

from builder.i18n import load_translations
from builder.render.easyread import link_versions, plan_easy_read
from builder.render.feedback_outputs import plan_feedback
from builder.render.measures import plan_measures
from builder.render.plan.common import Output, Plan
from builder.render.plan.home import plan_home
from builder.render.plan.lists import plan_lists, plan_tags
from builder.render.plan.pages import plan_pages
from builder.render.plan.redirects import plan_redirects
from builder.render.plan.simple import plan_commitments, plan_not_found, plan_simple
from builder.render.plan.timeline import plan_timeline
from builder.site.index import SiteIndex

# In the order their outputs are listed (the order they are rendered and reported in).
PLANNERS = (plan_home, plan_lists, plan_pages, plan_timeline, plan_tags, plan_commitments, plan_feedback,
            plan_measures, plan_simple, plan_not_found, plan_redirects, plan_easy_read)


def plan_outputs(index: SiteIndex, glossary: dict[str, str], page_html, translations=None) -> list[Output]:
    """translations: the gettext catalogue for titles and headings; site.toml's language by default."""
    plan = Plan(glossary, (translations or load_translations(index.config.language)).gettext, page_html)
    return link_versions([output for planner in PLANNERS for output in planner(index, plan)], index.pages)
