"""Plan every output file of the site: the site index in, a list of Outputs out.

`plan_outputs` is pure: each Output names its path, its template, the values the template
sees, and a key holding everything it shows, so the build can render outputs in any order,
in parallel, or not at all when nothing in the key changed. builder.render.templates turns
one Output into text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from builder.content.model import ARTICLE_KINDS, SECTIONS, Page
from builder.render.feedback_outputs import HOME_FEEDBACK, plan_feedback
from builder.hashing import digest
from builder.i18n import N_, load_translations
from builder.render.easyread import link_versions, plan_easy_read
from builder.render.measures import plan_measures
from builder.render.search import shard_count
from builder.site.index import SiteIndex
from builder.site.redirects import redirects
from builder.site.topics import topic_html, topic_label

KIND_TEMPLATES = {"letter": "letter.html", "update": "article.html", "news": "article.html",
                  "event": "event.html", "page": "page.html", "commitment": "commitment.html",
                  "feedback": "feedback.html", "easyread": "easyread.html", "measure": "measure.html"}
# English message ids, translated by plan_outputs into the site's language.
LIST_TEXT = {
    "update": (N_("Progress updates"), N_("What we have done since each inspection and review, and what comes next.")),
    "letter": (N_("Letters to families"), N_("Open letters to parents and carers about SEND services.")),
    "news": (N_("News"), N_("Press releases about SEND services.")),
}
# (key, label, title of its page, kinds shown)
TIMELINE_FILTERS = (
    ("all", N_("Everything"), N_("Timeline"), ("letter", "update", "news", "feedback")),
    ("events", N_("Events only"), N_("Timeline: events only"), ()),
    ("letters", N_("Events and letters"), N_("Timeline: events and letters"), ("letter",)),
    ("updates", N_("Events and updates"), N_("Timeline: events and updates"), ("update",)),
    ("news", N_("Events and news"), N_("Timeline: events and news"), ("news",)),
    ("feedback", N_("Events and you said, we did"), N_("Timeline: events and you said, we did"), ("feedback",)),
)


@dataclass(frozen=True)
class Output:
    path: str  # relative to the output folder
    template: str
    context: dict = field(default_factory=dict, hash=False, compare=False)
    # Everything the page shows that can change without its template changing; the build
    # cache compares it to skip rendering unchanged pages.
    key: tuple = ()


class _Tokens:
    """A short digest per page, made once per build, so the keys of thousands of outputs
    are cheap to build and compare."""

    def __init__(self, known: dict[str, str] | None = None):
        self._full: dict[int, str] = {}
        self._known = known or {}  # source -> token made when the page was read

    @staticmethod
    def summary(pages) -> tuple:
        """What a card or link shows of each page: enough to know when a list must change."""
        return tuple(p.card_token for p in pages)

    def full(self, page) -> str:
        token = self._known.get(page.source) or self._full.get(id(page))
        if token is None:
            token = self._full[id(page)] = digest(repr(page).encode())
        return token


class LazyHtml:
    """A page's HTML, read from the build cache only if a template actually shows it."""

    def __init__(self, store, source: str):
        self._store, self._source = store, source

    def __html__(self) -> str:
        return self._store[self._source]

    __str__ = __html__


def plan_outputs(index: SiteIndex, glossary: dict[str, str], page_html, tokens_by_source=None,
                 translations=None) -> list[Output]:
    """translations: the gettext catalogue for titles and headings; site.toml's language by default."""
    _ = (translations or load_translations(index.config.language)).gettext
    base = index.config.base_path
    home = {"url": base, "label": _("Home")}
    outputs: list[Output] = []
    tokens = _Tokens(tokens_by_source)
    _summary_key = tokens.summary
    # Every footer lists the pages; one digest, as it is part of every output's key.
    site_key = (digest(repr(_summary_key(index.kind("page"))).encode()), bool(index.kind("easyread")))

    latest = index.latest
    if index.config.organisation:
        about = _("How %(organisation)s and its partners are improving support for children and young people "
                  "with special educational needs and disabilities (SEND), and what happens next.") % {
            "organisation": index.config.organisation}
    else:
        about = _("How the council and its partners are improving support for children and young people "
                  "with special educational needs and disabilities (SEND), and what happens next.")
    heard = index.kind("feedback")[:HOME_FEEDBACK]  # the latest "you said, we did"
    outputs.append(Output("index.html", "home.html", {"section": "home", "page_title": "", "description": about,
                                                      "latest_feedback": heard},
                          (site_key, _summary_key([latest] if latest else []), index.expected, _summary_key(heard),
                           _summary_key(index.kind("measure") + index.kind("commitment")))))

    for kind in ARTICLE_KINDS:
        section = SECTIONS[kind][0]
        heading, intro = (_(text) for text in LIST_TEXT[kind])
        items = index.kind(kind)
        for number, chunk, pager in _paginate(items, index.config.per_page, f"{base}{section}/"):
            path = f"{section}/index.html" if number == 1 else f"{section}/page/{number}/index.html"
            outputs.append(Output(path, "list.html", {
                "section": section, "page_title": heading, "heading": heading, "intro": intro,
                "items": chunk, "pager": pager, "description": intro,
                "breadcrumbs": [home]}, (site_key, _summary_key(chunk), pager)))

    crumbs: dict[str, list] = {}  # the same for every page of a kind
    for page in index.pages:
        section = SECTIONS[page.kind][0]
        neighbours = index.neighbours.get(page.url)
        context = {
            "page": page, "html": LazyHtml(page_html, page.source), "section": section or "pages",
            "page_title": page.title, "description": page.summary, "neighbours": neighbours,
            "section_noun": section if section != "timeline" else "events",
            "upcoming": page.kind == "event" and page.date.first_day > index.today,
            "breadcrumbs": crumbs.get(page.kind) or crumbs.setdefault(page.kind, _crumbs(base, page, _)),
        }
        related = []
        if neighbours:
            related += [n for n in neighbours if n]
        related += [c for slug in page.commitments if (c := index.commitment(slug))]
        if page.kind == "event":
            related += list(index.raised.get(page.slug, ()))
        if page.kind == "commitment":
            related += list(index.reports.get(page.slug, ()))
            related += [e for e in index.kind("event") if e.slug == page.raised_by]
            related += [m for m in index.kind("measure") if m.slug in page.measures]
        if page.kind == "measure":  # it lists the commitments it shows
            related += [c for c in index.kind("commitment") if page.slug in c.measures]
        key = (site_key, tokens.full(page), page_html.sha(page.source), _summary_key(related), context["upcoming"])
        outputs.append(Output(page.output_path.removeprefix(base.lstrip("/")), _template_for(page), context, key))

    timeline_key = (site_key, tuple((y.year, tuple((tokens.full(e.event), _summary_key(e.around)) for e in y.entries))
                                    for y in index.timeline), _summary_key(index.upcoming))
    filters = [{"key": key, "label": _(label),
                "url": f"{base}timeline/" if key == "all" else f"{base}timeline/show/{key}/"}
               for key, label, _title, _kinds in TIMELINE_FILTERS]
    for key, _label, title, kinds in TIMELINE_FILTERS:
        path = "timeline/index.html" if key == "all" else f"timeline/show/{key}/index.html"
        outputs.append(Output(path, "timeline.html", {
            "section": "timeline", "page_title": _(title),
            "description": _("Every inspection, review and meeting about SEND services, with the letters, "
                             "updates and news published after each one."),
            "filters": filters, "current_filter": key, "show_kinds": kinds,
            "breadcrumbs": [home]}, timeline_key))

    tag_summary = tuple((t, len(v)) for t, v in index.tags.items())
    outputs.append(Output("tags/index.html", "tags.html", {
        "section": "tags", "page_title": _("Topics"),
        "description": _("Everything we have published, grouped by what it is about.")},
                          (site_key, tag_summary)))
    for tag, items in index.tags.items():
        for number, chunk, pager in _paginate(items, index.config.per_page, f"{base}tags/{tag}/"):
            path = f"tags/{tag}/index.html" if number == 1 else f"tags/{tag}/page/{number}/index.html"
            topic = topic_label(tag, index.config, index.config.language, glossary)[0]
            heading = _("Topic: %(topic)s") % {"topic": topic}
            outputs.append(Output(path, "tag.html", {
                "section": "tags", "page_title": heading, "items": chunk, "pager": pager,
                "heading": Markup(escape(_("Topic: %(topic)s"))) % {"topic": topic_html(tag, index.config, index.config.language, glossary)},
                "description": _("Everything we have published about %(topic)s, newest first.") % {"topic": topic},
                "breadcrumbs": [home, {"url": f"{base}tags/", "label": _("Topics")}]},
                (site_key, _summary_key(chunk), pager)))

    commitments = index.kind("commitment")
    outputs.append(Output("commitments/index.html", "commitments.html",
                          {"section": "commitments", "page_title": _("Commitments"),
                           "description": _("Each thing inspectors and reviewers asked to improve, "
                                            "what was last said about it, and when.")},
                          (site_key, tuple(tokens.full(c) for c in commitments),
                           _summary_key(index.kind("event") + index.kind("measure")))))
    outputs += plan_feedback(index, glossary, _, site_key, _summary_key)
    outputs += plan_measures(index, site_key, _summary_key, _)
    shards = shard_count(len(index.pages))
    simple = [("glossary", "glossary.html", _("Words we use"),
               _("What the short forms and special words on this site mean."), (tuple(glossary.items()),)),
              ("accessibility", "accessibility.html", _("Accessibility statement"),
               _("How accessible this website is, and how to tell us about a problem."), ()),
              ("search", "search.html", _("Search"),
               _("Search every page of this site."), (shards,)),
              ("get-updates", "get-updates.html", _("Get updates"),
               _("Follow new letters, updates and news with a feed, and add upcoming dates to your calendar."),
               (index.expected,)),
              ("complaints-and-advice", "complaints-and-advice.html", _("Complaints and independent advice"),
               _("How to complain, where to get free independent advice, and how to appeal a decision."), ()),
              ("settings", "settings.html", _("Display settings"),
               _("Make the text bigger or change the colours of this site."), ())]
    for slug, template, title, description, extra in simple:
        outputs.append(Output(f"{slug}/index.html", template,
                              {"section": slug, "page_title": title, "description": description,
                               "search_shards": shards}, (site_key, *extra)))
    outputs.append(Output("404.html", "404.html", {
        "section": "", "page_title": _("Page not found"),
        "description": _("There is no page at this address.")}, (site_key,)))
    # Old addresses from aliases: a tiny page each that sends the reader on (no site chrome).
    host = index.config.base_url[: len(index.config.base_url) - len(base)]
    for redirect in redirects(index.pages, base):
        target = redirect.page
        outputs.append(Output(redirect.path, "redirect.html", {
            "target": target, "target_url": target.url, "canonical": host + target.url,
            "page_title": _("This page has moved to %(title)s") % {"title": target.title}},
            ("redirect", target.url, target.title)))
    outputs += plan_easy_read(index, site_key, _) if index.kind("easyread") else []
    return link_versions(outputs, index.pages)


def _template_for(page: Page) -> str:
    return page.template or KIND_TEMPLATES[page.kind]


def _crumbs(base: str, page: Page, _) -> list[dict]:
    crumbs = [{"url": base, "label": _("Home")}]
    section = SECTIONS[page.kind][0]
    if section:
        label = ({"timeline": N_("Timeline"), "commitments": N_("Commitments"), "measures": N_("Measures"),
                  "you-said-we-did": N_("You said, we did"), "easy-read": N_("Easy Read")}.get(section)
                 or LIST_TEXT[page.kind][0])
        crumbs.append({"url": f"{base}{section}/", "label": _(label)})
    return crumbs


def _paginate(items, per_page: int, first_url: str):
    count = max(1, math.ceil(len(items) / per_page))
    for number in range(1, count + 1):
        url = lambda n: first_url if n == 1 else f"{first_url}page/{n}/"
        pager = {"number": number, "count": count,
                 "previous": url(number - 1) if number > 1 else None,
                 "next": url(number + 1) if number < count else None}
        yield number, tuple(items[(number - 1) * per_page: number * per_page]), pager
