"""Markdown body -> safe HTML fragment, its headings, and the local links it makes.

The result depends only on the body text, the glossary and the raw-HTML switch, so it can
be cached by content hash and reused when only templates or other pages change. Links are
left as written here and resolved later (builder.site.links), because their targets' URLs are
a property of the whole site, not of this file.
"""

from __future__ import annotations

import bisect
import functools
import html as html_lib
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify as toc_slugify
from markdown.treeprocessors import Treeprocessor

from builder.site.links import LINK_ATTR, is_local
from builder.content import images as image_sizes
from builder.content import limits
from builder.content.model import Heading, PageImage

# Ids the page templates use themselves; a heading may not take them.
RESERVED_IDS = {"main", "top", "contents", "content", "skip", "search", "site-search", "page-title",
                "on-this-page", "footer", "header", "nav", "filters", "timeline"}

EASY_READ_CLASSES = ("easy-row", "easy-picture", "easy-text")
_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "dfn",
    "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "picture", "pre", "q", "s", "small", "source", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
_ALLOWED_ATTRIBUTES = {
    "*": {"lang", "title"},
    "a": {"href", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height", "srcset"},
    "source": {"srcset"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start", "reversed"},
    "details": {"open"},
    **{f"h{level}": {"id"} for level in range(2, 7)},
}
# The attributes of the resized images (builder.content.images), and only the values it writes.
_ALLOWED_VALUES = {
    "img": {"loading": {"lazy"}, "decoding": {"async"}, "sizes": {image_sizes.SIZES}},
    "source": {"type": {"image/webp"}, "sizes": {image_sizes.SIZES}},
}
# A srcset as images.picture_html writes it: site addresses (no scheme, no spaces) with widths.
# nh3 does not check srcset addresses, so anything else is removed after cleaning.
_SRCSET = re.compile(r'\ssrcset="(?!/[^\s,:"]* \d+w(?:, /[^\s,:"]* \d+w)*")[^"]*"')
_CLEANER = nh3.Cleaner(
    tags=_ALLOWED_TAGS,
    clean_content_tags={"script", "style", "iframe", "object", "embed", "template"},
    attributes=_ALLOWED_ATTRIBUTES,
    tag_attribute_values=_ALLOWED_VALUES,
    url_schemes={"http", "https", "mailto", "tel"},
    link_rel=None,
    allowed_classes={"div": set(EASY_READ_CLASSES)},  # the rows of Easy Read pages (_EasyReadRows)
)
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_TABLE = re.compile("<table>")
# Elements whose text is never marked as a glossary term (nor the h1, which is not in the body).
_SKIP_TAG = re.compile(r"<(/?)(?:a|abbr|code|pre|h[2-6]|kbd)(?![a-zA-Z0-9])[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class Rendered:
    html: str
    headings: tuple[Heading, ...]
    images_without_alt: tuple[str, ...]
    images: tuple[PageImage, ...] = ()
    unsafe_links: tuple[str, ...] = ()  # javascript: and the like, which cleaning would drop unseen


class _Headings(Treeprocessor):
    """Keep heading levels accessible by construction, and give each heading a linkable id.

    The page title is the only h1, so the body starts at h2, and a level is never skipped
    (an author's "###" straight after the title becomes h2). Ids are made here rather than
    by the toc extension, which costs a sixth of the conversion time for the same result.
    """

    def run(self, root: etree.Element) -> None:
        headings = [el for el in root.iter() if el.tag in _HEADING_TAGS]
        self.md.heading_list = []
        if not headings:
            return
        shift = min(int(el.tag[1]) for el in headings) - 2
        previous = 1
        used: set[str] = set()
        for element in headings:
            level = max(2, min(int(element.tag[1]) - shift, previous + 1, 6))
            element.tag = f"h{level}"
            previous = level
            text = "".join(element.itertext()).strip()
            anchor = element.get("id") or _heading_slug(text, "-")
            unique, number = anchor, 1
            while unique in used:
                unique, number = f"{anchor}-{number}", number + 1
            used.add(unique)
            element.set("id", unique)
            self.md.heading_list.append(Heading(level, unique, text))


class _Questions(Treeprocessor):
    """A questions-and-answers page (`questions: true`): each h2 and everything under it, up to
    the next h2, becomes <details><summary><h2>question</h2></summary>answer</details>.

    The heading stays inside the summary, so the page's outline, heading navigation in screen
    readers and links to #question-ids keep working; <details> opens without JavaScript."""

    def run(self, root: etree.Element) -> None:
        if not self.md.questions:
            return
        kept, current = [], None
        for child in list(root):
            root.remove(child)
            if child.tag == "h2":
                current = etree.Element("details")
                current.text = "\n"
                etree.SubElement(current, "summary").append(child)
                current.tail = "\n"
                kept.append(current)
            elif current is not None:
                current.append(child)
            else:
                kept.append(child)
        root.extend(kept)


class _Images(Treeprocessor):
    """Note images without alt text; turn each image stored in content/ into a <picture> of
    the sizes builder.content.images publishes (when the page's file and site are known)."""

    def run(self, root: etree.Element) -> None:
        images = list(root.iter("img"))
        self.md.images_without_alt = [img.get("src", "") for img in images if not (img.get("alt") or "").strip()]
        self.md.page_images = []
        site_dir, source = getattr(self.md, "site_dir", None), getattr(self.md, "page_source", None)
        if site_dir is None or source is None or not any(is_local(img.get("src", "")) for img in images):
            return  # most pages show no image of their own: no need to walk every element again
        number = 0
        for block_index, block in enumerate(list(root)):
            for parent in list(block.iter()):
                for position, img in enumerate(list(parent)):
                    if img.tag != "img" or not is_local(img.get("src", "")):
                        continue
                    image = image_sizes.describe(site_dir, source, img.get("src", ""))
                    if image is None:
                        continue  # not a file in content/: links.resolve reports it
                    self.md.page_images.append(image)
                    if image.problem:
                        continue
                    if image.width:
                        img.set("width", str(image.width))
                        img.set("height", str(image.height))
                    if image.kind in ("photo", "graphic"):
                        parent[position] = self._picture(img, image)
                        img = parent[position].find("img")
                    img.set("decoding", "async")
                    if not image_sizes.loads_eagerly(block_index, number):
                        img.set("loading", "lazy")
                    number += 1

    def _picture(self, img: etree.Element, image: PageImage) -> etree.Element:
        source_attributes, img_attributes = image_sizes.picture_html(image, self.md.base_path)
        picture = etree.Element("picture")
        picture.tail, img.tail = img.tail, None
        etree.SubElement(picture, "source", source_attributes)
        for name, value in img_attributes.items():
            img.set(name, value)
        picture.append(img)
        return picture


class _EasyReadRows(Treeprocessor):
    """An Easy Read page (builder.site.easyread) says one idea per row, its picture beside it.
    A paragraph that is only a picture starts a row; the paragraphs and lists after it, up to
    the next picture or anything else, are the row's text:
    <div class="easy-row"><div class="easy-picture">picture</div><div class="easy-text">…</div></div>.
    The picture comes first in reading order too, as it does in printed Easy Read."""

    def run(self, root: etree.Element) -> None:
        if not self.md.easy_read:
            return
        kept, text = [], None
        for child in list(root):
            root.remove(child)
            if _only_picture(child):
                row = etree.Element("div", {"class": "easy-row"})
                row.text, row.tail = "\n", "\n"
                picture = etree.SubElement(row, "div", {"class": "easy-picture"})
                picture.extend(list(child))
                text = etree.SubElement(row, "div", {"class": "easy-text"})
                text.tail = "\n"
                kept.append(row)
            elif text is not None and child.tag in ("p", "ul", "ol", "dl", "blockquote"):
                text.append(child)
            else:
                text = None
                kept.append(child)
        root.extend(kept)


def _only_picture(element: etree.Element) -> bool:
    """<p><img></p> or <p><picture>…</picture></p>, with no words beside the picture."""
    return (element.tag == "p" and len(element) == 1 and element[0].tag in ("img", "picture")
            and not (element.text or "").strip() and not (element[0].tail or "").strip())


class _Accessible(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_Headings(md), "localoffer-headings", 6)
        md.treeprocessors.register(_Questions(md), "localoffer-questions", 5)  # after heading levels
        md.treeprocessors.register(_Images(md), "localoffer-images", 4)
        md.treeprocessors.register(_EasyReadRows(md), "localoffer-easy-read", 3)  # after pictures are made


def _terms_pattern(terms) -> re.Pattern:
    r"""What \b(EHC plan|EHCP|EHC|...)\b finds (longest first, so "EHC plan" wins over "EHC"),
    with each leading \b written as a look-behind after the term's first character, as in
    "E(?<!\wE)HCP". Every branch then starts with a plain character, which the regex engine
    skips straight to (a leading \b or look-ahead stops that): a 2.5 times faster scan."""
    def branch(term: str) -> str:
        first = re.escape(term[0])
        before = rf"(?<!\w{first})" if re.match(r"\w", term[0]) else rf"(?<=\w{first})"
        return first + before + re.escape(term[1:])

    return re.compile("(" + "|".join(branch(t) for t in sorted(terms, key=len, reverse=True)) + r")\b")


@functools.lru_cache(maxsize=4096)  # pages share headings; slugify normalises and runs two regexes
def _heading_slug(value: str, separator: str) -> str:
    slug = toc_slugify(value, separator) or "section"
    return f"{slug}-section" if slug in RESERVED_IDS else slug


class MarkdownRenderer:
    """One configured Markdown instance, reused for every page (construction is costly)."""

    def __init__(self, glossary: dict[str, str], allow_raw_html: bool = False, site_dir=None, base_path: str = "/"):
        """site_dir: where to find the images a page shows, so they can be published in sizes
        (without it, images are left as written). base_path: the site's path, for their addresses."""
        self.glossary = glossary
        self.allow_raw_html = allow_raw_html
        self._terms = _terms_pattern(glossary) if glossary else None
        self._md = markdown.Markdown(
            extensions=["tables", "fenced_code", "sane_lists", "attr_list", "def_list", _Accessible()],
            output_format="html",
        )
        self._md.site_dir, self._md.base_path = site_dir, base_path

    def render(self, body: str, source: str | None = None, questions: bool = False,
               easy_read: bool = False) -> Rendered:
        """source: the page's site-relative path, which the images' paths are written from.
        questions: make each ## section a question that opens to show its answer.
        easy_read: lay an Easy Read page out in rows of a picture and its text."""
        md = self._md.reset()
        md.images_without_alt, md.heading_list, md.page_images, md.page_source = [], [], [], source
        md.questions, md.easy_read = questions, easy_read
        html = md.convert(body)
        headings = tuple(md.heading_list)
        unsafe = limits.unsafe_links(html) if ":" in html else ()
        if not self.allow_raw_html:
            html = _CLEANER.clean(html)
            if "srcset=" in html:
                html = _SRCSET.sub("", html)
        html = _wrap_tables(html)
        if self._terms:
            html = self._mark_terms(html)
        return Rendered(html, headings, tuple(md.images_without_alt), tuple(md.page_images), unsafe)

    def _mark_terms(self, html: str) -> str:
        """Mark the first use of each glossary term on the page with <abbr title>.

        Text inside tags, links, code, headings and existing abbreviations is skipped. The
        terms are found by one regular expression (longest first, as written); only the few
        tags that start or end a skipped stretch are looked at, so the page's other tags and
        text never pass through Python code."""
        seen: set[str] = set()
        chosen: list[tuple[int, int, str]] = []
        skip_at, depths = self._skipped_stretches(html)
        for match in self._terms.finditer(html):
            term = match.group(1)
            if term in seen:
                continue
            start = match.start()
            if html.rfind("<", 0, start) > html.rfind(">", 0, start):
                continue  # inside a tag's attributes
            place = bisect.bisect_right(skip_at, start) - 1
            if place >= 0 and depths[place]:
                continue
            seen.add(term)
            chosen.append((start, match.end(), term))
        if not chosen:
            return html
        parts, last = [], 0
        for start, end, term in chosen:
            title = self.glossary[term].replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            parts += [html[last:start], f'<abbr title="{title}">{term}</abbr>']
            last = end
        parts.append(html[last:])
        return "".join(parts)

    @staticmethod
    def _skipped_stretches(html: str) -> tuple[list[int], list[int]]:
        """Where each skipped element's tag is, and how deep in skipped elements the text after it is."""
        positions, depths, depth = [], [], 0
        for tag in _SKIP_TAG.finditer(html):
            if tag.group(1):
                depth = max(0, depth - 1)
            elif tag.group(0).endswith("/>"):
                continue
            else:
                depth += 1
            positions.append(tag.start())
            depths.append(depth)
        return positions, depths


def _wrap_tables(html: str) -> str:
    """Each data cell is labelled with its column's heading (data-label), so on a narrow screen
    the stylesheet shows each row as a stacked list of "heading: value" lines instead of a
    table wider than the phone (a scrolling wrapper hid columns, and focusable wrappers
    confuse some screen readers)."""
    if "table>" not in html:  # in both "<table>" and "</table>"
        return html  # most pages have no table: neither pass over the text is needed
    return _WHOLE_TABLE.sub(_label_cells, html)


_WHOLE_TABLE = re.compile(r"<table>(.*?)</table>", re.S)
_HEAD_CELL = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
_ROW = re.compile(r"<tr\b[^>]*>.*?</tr>", re.S)
_DATA_CELL = re.compile(r"<td\b")
_ANY_TAG = re.compile(r"<[^>]+>")


def _label_cells(match: re.Match) -> str:
    inner = match.group(1)
    head, _, body = inner.partition("</thead>")
    if not body:
        return '<table class="stack">' + inner + "</table>"
    labels = [html_lib.escape(html_lib.unescape(_ANY_TAG.sub("", cell)).strip(), quote=True)
              for cell in _HEAD_CELL.findall(head)]

    def row(found: re.Match) -> str:
        cells = iter(labels)
        return _DATA_CELL.sub(lambda _: f'<td data-label="{next(cells, "")}"', found.group(0))

    return '<table class="stack">' + head + "</thead>" + _ROW.sub(row, body) + "</table>"


def local_links(html: str) -> list[str]:
    """Every href/src that points inside the site (not http:, mailto:, #fragment-only…)."""
    return [value for _, value in LINK_ATTR.findall(html) if is_local(value)]
