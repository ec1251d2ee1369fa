"""Machine-readable outputs: Atom feeds, the iCalendar file, sitemap.xml, robots.txt and
the `_redirects` file of old addresses (see builder.site.redirects).

Built with real XML and iCalendar libraries, never by string concatenation, and with no
build-time clock in them, so two builds of the same content are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import heapq
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from builder.content.dates import PartialDate
from builder.content.model import DATED_KINDS, KIND_LABELS, Page
from builder.i18n import N_, format_date, load_translations
from builder.render.feedback_outputs import entry_html
from builder.render.plan.common import LazyHtml
from builder.site.index import SiteIndex
from builder.site.redirects import redirects, redirects_file

ATOM = "http://www.w3.org/2005/Atom"
FEED_LIMIT = 50
# (path, kinds, title): titles are English message ids with the site's title as a placeholder.
FEEDS = (
    # TRANSLATORS: %(site)s is the site's title, from site.toml.
    ("feed.xml", DATED_KINDS, N_("%(site)s: everything new")),
    ("letters/feed.xml", ("letter",), N_("%(site)s: letters to families")),
    ("updates/feed.xml", ("update",), N_("%(site)s: progress updates")),
    ("news/feed.xml", ("news",), N_("%(site)s: news")),
    ("you-said-we-did/feed.xml", ("feedback",), N_("%(site)s: you said, we did")),
)


def _absolute(config, path: str) -> str:
    """Site paths already carry base_url's path; join them to its scheme and host."""
    parts = urlsplit(config.base_url)
    return f"{parts.scheme}://{parts.netloc}{path}"


def _stamp(date: PartialDate) -> str:
    return f"{date.first_day.isoformat()}T00:00:00Z"


def atom_feed(config, entries: list[Page], title: str, path: str, page_html: dict, gettext=lambda text: text) -> str:
    """entries: the pages, newest first; page_html: source -> the HTML of each of them."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": config.language})
    _text(feed, "title", title)
    _text(feed, "id", _absolute(config, config.base_path + path))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml",
                  href=_absolute(config, config.base_path + path))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=config.base_url)
    newest = max((_updated(p) for p in entries), default=PartialDate(2000, 1, 1), key=lambda d: d.sort_key())
    _text(feed, "updated", _stamp(newest))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", config.organisation or config.title)
    for page in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "title", page.title)
        _text(entry, "id", _absolute(config, page.url))
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=_absolute(config, page.url))
        _text(entry, "published", _stamp(page.date))
        _text(entry, "updated", _stamp(_updated(page)))
        if page.author:
            _text(ET.SubElement(entry, f"{{{ATOM}}}author"), "name", page.author)
        ET.SubElement(entry, f"{{{ATOM}}}category", term=page.kind, label=gettext(KIND_LABELS[page.kind]))
        if page.summary:
            _text(entry, "summary", page.summary)
        content = _text(entry, "content", entry_html(page, gettext, config.language) + str(page_html.get(page.source, "")))
        content.set("type", "html")
        content.set("{http://www.w3.org/XML/1998/namespace}base", _absolute(config, page.url))
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _updated(page: Page) -> PartialDate:
    return page.updated if page.updated and page.updated.sort_key() > page.date.sort_key() else page.date


def _text(parent: ET.Element, name: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{name}")
    element.text = value
    return element


def calendar_summary(expected, gettext=lambda text: text, language: str = "en-GB") -> str:
    """What a calendar shows for an expected event or letter: whole sentences, so each language
    can order its words; "expected in" only when the day is not known yet."""
    _ = gettext
    month = format_date(expected.date, language)
    if expected.kind == "event":
        if expected.date.day:
            return expected.title
        return _("%(title)s (expected in %(month)s, date to be confirmed)") % {"title": expected.title, "month": month}
    if expected.date.day:
        return _("Next letter to families expected")
    return _("Next letter to families expected in %(month)s (date to be confirmed)") % {"month": month}


def calendar(config, expected_items, pages, today: dt.date, gettext=lambda text: text) -> str:
    """Upcoming events and expected letters (index.expected), for families' phones and
    calendars. pages: every published page (the newest date among them stamps each event)."""
    from icalendar import Calendar, Event, vText

    host = urlsplit(config.base_url).netloc or "localhost"
    cal = Calendar()
    cal.add("prodid", f"-//{config.organisation or config.title}//localoffer//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", config.title)
    published = [p.updated or p.date for p in pages if p.date and (p.updated or p.date).first_day <= today]
    stamp = max((d.first_day for d in published), default=dt.date(2000, 1, 1))
    for expected in expected_items:
        event = Event()
        page = next((p for p in pages if p.url == expected.url), None)
        event.add("summary", calendar_summary(expected, gettext, config.language))
        event.add("dtstart", expected.date.first_day)
        event.add("dtend", expected.date.last_day + dt.timedelta(days=1))
        if not expected.date.day:
            # Known only to the month: not a firm day. Shown across the month (a calendar
            # cannot say "some day in May"), marked tentative, and the summary says so.
            event.add("status", "TENTATIVE")
        # When this information was last published: derived from content, not the clock, so
        # repeated builds are identical, and never in the future.
        event.add("dtstamp", dt.datetime.combine(stamp, dt.time(0, 0), tzinfo=dt.timezone.utc))
        uid_path = expected.url.strip("/").replace("/", "-") or "home"
        event.add("uid", f"{expected.kind}-{uid_path}-{expected.date.iso}@{host}")
        event.add("url", _absolute(config, expected.url))
        if page and page.summary:
            event.add("description", vText(page.summary))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")


def sitemap(config, pages, html_paths: list[str]) -> str:
    ET.register_namespace("", "http://www.sitemaps.org/schemas/sitemap/0.9")
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    root = ET.Element(f"{ns}urlset")
    dated = {p.output_path.removeprefix(config.base_path.lstrip("/")): p for p in pages}
    for path in sorted(html_paths):
        if path == "404.html":
            continue
        url = ET.SubElement(root, f"{ns}url")
        ET.SubElement(url, f"{ns}loc").text = _absolute(config, config.base_path + path.removesuffix("index.html"))
        page = dated.get(path)
        if page and (page.updated or page.date):
            ET.SubElement(url, f"{ns}lastmod").text = (page.updated or page.date).first_day.isoformat()
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def robots(sitemaps: tuple[str, ...]) -> str:
    """Every crawler welcome, and told where the sitemaps are (one per language)."""
    return "User-agent: *\nAllow: /\n\n" + "".join(f"Sitemap: {url}\n" for url in sitemaps)


def feed_entries(index: SiteIndex, kinds: tuple[str, ...]) -> list[Page]:
    # The same as sorted(…, reverse=True)[:FEED_LIMIT] (ties too), without sorting every page.
    return heapq.nlargest(FEED_LIMIT, (p for k in kinds for p in index.kind(k)), key=lambda p: p.sort_key)


def machine_outputs(index: SiteIndex, page_html, html_paths: list[str],
                    translations=None) -> list[tuple[str, object, tuple]]:
    """(path, make, arguments) for each machine-readable file: make(*arguments) is its text,
    and depends on nothing else (the build cache keeps the arguments: see
    builder.incremental.keys.machine_key). translations: the gettext catalogue for titles and
    labels; site.toml's language by default."""
    _ = (translations or load_translations(index.config.language)).gettext
    config = index.config
    found = []
    for path, kinds, title in FEEDS:
        entries = feed_entries(index, kinds)
        html = {p.source: LazyHtml(page_html, p.source) for p in entries}
        found.append((path, atom_feed, (config, entries, _(title) % {"site": config.title}, path, html, _)))
    found.append(("calendar.ics", calendar, (config, index.expected, index.pages, index.today, _)))
    moved = redirects(index.pages, config.base_path)
    # Redirect pages are not pages of their own: search engines should list only the new address.
    moved_paths = {r.path for r in moved}
    listed = [path for path in html_paths if path not in moved_paths]
    found.append(("sitemap.xml", sitemap, (config, index.pages, listed)))
    found.append(("robots.txt", robots, ((_absolute(config, config.base_path + "sitemap.xml"),),)))
    if moved:
        found.append(("_redirects", redirects_file, (moved,)))
    return found
