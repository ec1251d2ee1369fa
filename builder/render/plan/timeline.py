"""The timeline: every event with what was published after it, and one page per filter
(events only, with letters, …), so the filter works without JavaScript."""

from __future__ import annotations

from builder.i18n import N_
from builder.render.plan.common import Output, Plan
from builder.site.index import SiteIndex

# (key, label, title of its page, kinds shown)
TIMELINE_FILTERS = (
    ("all", N_("Everything"), N_("Timeline"), ("letter", "update", "news", "feedback")),
    ("events", N_("Events only"), N_("Timeline: events only"), ()),
    ("letters", N_("Events and letters"), N_("Timeline: events and letters"), ("letter",)),
    ("updates", N_("Events and updates"), N_("Timeline: events and updates"), ("update",)),
    ("news", N_("Events and news"), N_("Timeline: events and news"), ("news",)),
    ("feedback", N_("Events and you said, we did"), N_("Timeline: events and you said, we did"), ("feedback",)),
)


def plan_timeline(index: SiteIndex, plan: Plan) -> list[Output]:
    _ = plan.gettext
    base = index.config.base_path
    filters = [{"key": name, "label": _(label),
                "url": f"{base}timeline/" if name == "all" else f"{base}timeline/show/{name}/"}
               for name, label, _title, _kinds in TIMELINE_FILTERS]
    return [Output("timeline/index.html" if name == "all" else f"timeline/show/{name}/index.html", "timeline.html", {
        "section": "timeline", "page_title": _(title),
        "description": _("Every inspection, review and meeting about SEND services, with the letters, "
                         "updates and news published after each one."),
        "filters": filters, "current_filter": name, "show_kinds": kinds,
        "breadcrumbs": [plan.home_crumb(base)]})
        for name, _label, title, kinds in TIMELINE_FILTERS]
