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


def _absolute(index: SiteIndex, path: str) -> str:
    """Site paths already carry base_url's path; join them to its scheme and host."""
    parts = urlsplit(index.config.base_url)
    return f"{parts.scheme}://{parts.netloc}{path}"


def _stamp(date: PartialDate) -> str:
    return f"{date.first_day.isoformat()}T00:00:00Z"


def atom_feed(index: SiteIndex, kinds: tuple[str, ...], title: str, path: str,
              page_html: dict[str, str], gettext=lambda text: text) -> str:
    ET.register_namespace("", ATOM)
    entries = feed_entries(index, kinds)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": index.config.language})
    _text(feed, "title", title)
    _text(feed, "id", _absolute(index, index.config.base_path + path))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml",
                  href=_absolute(index, index.config.base_path + path))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=index.config.base_url)
    newest = max((_updated(p) for p in entries), default=PartialDate(2000, 1, 1), key=lambda d: d.sort_key())
    _text(feed, "updated", _stamp(newest))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", index.config.organisation or index.config.title)
    for page in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "title", page.title)
        _text(entry, "id", _absolute(index, page.url))
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=_absolute(index, page.url))
        _text(entry, "published", _stamp(page.date))
        _text(entry, "updated", _stamp(_updated(page)))
        if page.author:
            _text(ET.SubElement(entry, f"{{{ATOM}}}author"), "name", page.author)
        ET.SubElement(entry, f"{{{ATOM}}}category", term=page.kind, label=gettext(KIND_LABELS[page.kind]))
        if page.summary:
            _text(entry, "summary", page.summary)
        content = _text(entry, "content", entry_html(page, gettext, index.config.language) + page_html.get(page.source, ""))
        content.set("type", "html")
        content.set("{http://www.w3.org/XML/1998/namespace}base", _absolute(index, page.url))
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


def calendar(index: SiteIndex, gettext=lambda text: text) -> str:
    """Upcoming events and expected letters, for families' phones and calendars."""
    from icalendar import Calendar, Event, vText

    host = urlsplit(index.config.base_url).netloc or "localhost"
    cal = Calendar()
    cal.add("prodid", f"-//{index.config.organisation or index.config.title}//localoffer//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", index.config.title)
    published = [p.updated or p.date for p in index.pages if p.date and (p.updated or p.date).first_day <= index.today]
    stamp = max((d.first_day for d in published), default=dt.date(2000, 1, 1))
    for expected in index.expected:
        event = Event()
        page = next((p for p in index.pages if p.url == expected.url), None)
        event.add("summary", calendar_summary(expected, gettext, index.config.language))
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
        event.add("url", _absolute(index, expected.url))
        if page and page.summary:
            event.add("description", vText(page.summary))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")


def sitemap(index: SiteIndex, html_paths: list[str]) -> str:
    ET.register_namespace("", "http://www.sitemaps.org/schemas/sitemap/0.9")
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    root = ET.Element(f"{ns}urlset")
    dated = {p.output_path.removeprefix(index.config.base_path.lstrip("/")): p for p in index.pages}
    for path in sorted(html_paths):
        if path == "404.html":
            continue
        url = ET.SubElement(root, f"{ns}url")
        ET.SubElement(url, f"{ns}loc").text = _absolute(index, index.config.base_path + path.removesuffix("index.html"))
        page = dated.get(path)
        if page and (page.updated or page.date):
            ET.SubElement(url, f"{ns}lastmod").text = (page.updated or page.date).first_day.isoformat()
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def robots(index: SiteIndex) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {_absolute(index, index.config.base_path + 'sitemap.xml')}\n"


def feed_entries(index: SiteIndex, kinds: tuple[str, ...]) -> list[Page]:
    # The same as sorted(…, reverse=True)[:FEED_LIMIT] (ties too), without sorting every page.
    return heapq.nlargest(FEED_LIMIT, (p for k in kinds for p in index.kind(k)), key=lambda p: p.sort_key)


def machine_outputs(index: SiteIndex, page_html, html_paths: list[str],
                    translations=None) -> list[tuple[str, tuple, object]]:
    """(path, key, make) for each machine-readable file. The key holds everything the file
    shows, so the build makes it again only when the key changes. translations: the gettext
    catalogue for titles and labels; site.toml's language by default."""
    _ = (translations or load_translations(index.config.language)).gettext
    found = []
    for path, kinds, title in FEEDS:
        name = _(title) % {"site": index.config.title}
        entries = feed_entries(index, kinds)
        labels = tuple(_(KIND_LABELS[k]) for k in kinds)
        key = ("feed", name, labels, tuple((repr(p), page_html.sha(p.source)) for p in entries))
        found.append((path, key, lambda kinds=kinds, name=name, path=path: atom_feed(index, kinds, name, path,
                                                                                     page_html, _)))
    # The words of the summaries, not the summaries: formatting a date can load Babel's data.
    words = (index.config.language, _("%(title)s (expected in %(month)s, date to be confirmed)"),
             _("Next letter to families expected"), _("Next letter to families expected in %(month)s (date to be confirmed)"))
    # Pages by their card token (address, title, summary, date…: already a digest) and update
    # date: the keys of the calendar and sitemap hold every page, and are made on every build.
    found.append(("calendar.ics", ("calendar", index.expected, words, [(p.card_token, p.updated) for p in index.pages
                                                                if p.date and p.date.first_day <= index.today]),
                  lambda: calendar(index, _)))
    moved = redirects(index.pages, index.config.base_path)
    # Redirect pages are not pages of their own: search engines should list only the new address.
    moved_paths = {r.path for r in moved}
    listed = [path for path in html_paths if path not in moved_paths]
    found.append(("sitemap.xml", ("sitemap", listed, [(p.card_token, p.updated) for p in index.pages]),
                  lambda: sitemap(index, listed)))
    found.append(("robots.txt", ("robots",), lambda: robots(index)))
    if moved:
        found.append(("_redirects", ("redirects", [(r.alias, r.page.url) for r in moved]),
                      lambda: redirects_file(moved)))
    return found
