"""`localoffer check`: plain-English warnings, and a link check of the built pages.

Failures (exit non-zero): link text that says nothing ("click here"), images without alt
text, and links in the built site that go nowhere. Warnings: acronyms missing from the
glossary, sentences over 30 words (15 in Easy Read), pictures in Easy Read whose text
alternative says nothing, pages without a summary, and addresses the last build published that
no page has now (with the aliases: line to add). The example text of `localoffer new` left in a
file: a warning in a draft, a failure otherwise (placeholders.py).
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from builder.commands.placeholders import placeholder_problems
from builder.content.discover import discover
from builder.errors import ContentError
from builder.content.glossary import load_glossary
from builder.content.read import decode, parse_source
from builder.site.easyread import is_easy_read

VAGUE_LINK_TEXT = {"click here", "here", "read more", "more", "this link", "link", "click", "this page", "find out more"}
LONG_SENTENCE = 30
EASY_READ_SENTENCE = 15  # Easy Read guidance: one idea per sentence, 15 words at most
# Text alternatives that describe nothing: a picture in Easy Read carries part of the meaning.
_EMPTY_ALT = {"image", "picture", "photo", "icon", "graphic", "img", "llun", "delwedd"}
_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)[^)]*\)")
_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)")
_ACRONYM = re.compile(r"\b([A-Z][A-Z0-9]{1,}s?)\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“])")
_COMMON_CAPITALS = {"I", "OK", "UK", "A", "AM", "PM", "TV", "FAQ", "FAQS", "PDF", "URL", "UTF"}


def lint_source(rel: str, text: str, glossary: dict[str, str]) -> tuple[list[ContentError], list[ContentError]]:
    """(warnings, failures) for one Markdown file's text. Pure, for easy testing."""
    warnings: list[ContentError] = []
    failures: list[ContentError] = []
    raw = parse_source(rel, text)
    if not str(raw.meta.get("summary") or "").strip() and not rel.startswith("content/commitments/"):
        warnings.append(ContentError(rel, "has no summary", raw.line_of("title"),
                                     "add summary: with one plain sentence; it is shown in lists and search results"))
    easy_read = is_easy_read(rel)
    longest = EASY_READ_SENTENCE if easy_read else LONG_SENTENCE
    known = {term.upper() for term in glossary} | _COMMON_CAPITALS
    reported: set[str] = set()
    in_code = False
    for offset, line in enumerate(raw.body.split("\n")):
        number = raw.body_line + offset
        if line.strip().startswith("```"):
            in_code = not in_code
        if in_code:
            continue
        for text_, target in _LINK.findall(line):
            if text_.strip().lower().strip(".!") in VAGUE_LINK_TEXT:
                failures.append(ContentError(rel, f'the link text "{text_}" does not say where the link goes', number,
                                             "use words that describe the page, like [the July 2022 letter](…)"))
        for alt, src in _IMAGE.findall(line):
            if not alt.strip():
                failures.append(ContentError(rel, f'the image "{src}" has no text alternative', number,
                                             "describe the image between the square brackets"))
            elif easy_read and _says_nothing(alt, src):
                warnings.append(ContentError(rel, f'the picture "{src}" has the text alternative "{alt}", which does not '
                                             "say what it shows", number, "describe the picture in a few words between "
                                             "the square brackets, like ![A parent talking to a teacher](" + src + ")"))
        prose = re.sub(r"\([^)]*\)|`[^`]*`|<[^>]+>", " ", line)
        for word in _ACRONYM.findall(prose):
            base = word[:-1] if word.endswith("s") and word[:-1].isupper() else word
            if base.upper() not in known and base not in reported and not base.isdigit() and not re.search(r"\d", base):
                reported.add(base)
                warnings.append(ContentError(rel, f'"{base}" looks like a short form that is not in the glossary', number,
                                             f'add it to content/glossary.yml, like {base}: "what it stands for"'))
        for sentence in _SENTENCE_END.split(re.sub(r"^\s*([-*+]|\d+\.|#+|>)\s*", "", prose)):
            words = len(sentence.split())
            if words > longest:
                warnings.append(ContentError(rel, f"has a sentence of {words} words (over {longest})", number,
                                             "Easy Read says one thing per sentence: split it into sentences of 15 words "
                                             "or fewer" if easy_read else
                                             "split it into shorter sentences; families read on phones, often tired"))
    return warnings, failures


def _says_nothing(alt: str, src: str) -> bool:
    """"image", "people.svg", "IMG_2041": a text alternative that names no thing shown."""
    text = alt.strip().lower().rstrip(".")
    name = src.rsplit("/", 1)[-1].lower()
    return text in _EMPTY_ALT or text == name or text == name.rsplit(".", 1)[0] or bool(re.fullmatch(r"(img|dsc)[_-]?\d+", text))


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, int]] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        for name in ("href", "src"):
            if values.get(name) and not (tag == "link" and values.get("rel") in ("canonical", "alternate")):
                self.links.append((values[name], self.getpos()[0]))
        for candidate in (values.get("srcset") or "").split(","):  # the sizes of an image: "/a-480.webp 480w, …"
            if candidate.strip():
                self.links.append((candidate.split()[0], self.getpos()[0]))


def check_output(folder: Path, base_path: str = "/") -> list[ContentError]:
    """Every internal href/src of the built site must reach a file, and every #fragment an id."""
    parsed: dict[str, _Links] = {}
    for page in sorted(folder.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        parsed[page.relative_to(folder).as_posix()] = parser
    errors = []
    for rel, parser in parsed.items():
        for value, line in parser.links:
            parts = urlsplit(value)
            if parts.scheme or parts.netloc or value.startswith(("mailto:", "tel:")):
                continue
            if not parts.path:
                target_rel = rel
            else:
                path = unquote(parts.path)
                if not path.startswith("/"):
                    path = "/" + str(Path(rel).parent / path)
                if not path.startswith(base_path):
                    errors.append(ContentError(f"output/{rel}", f'the link "{value}" is outside the site', line, "fix the template"))
                    continue
                target_rel = path[len(base_path):]
                if target_rel == "" or target_rel.endswith("/"):
                    target_rel += "index.html"
                if not (folder / target_rel).is_file():
                    errors.append(ContentError(f"output/{rel}", f'the link "{value}" goes to a page that does not exist',
                                               line, "fix the link in the template or content that makes this page"))
                    continue
            if parts.fragment and target_rel in parsed and parts.fragment not in parsed[target_rel].ids and parts.fragment != "top":
                errors.append(ContentError(f"output/{rel}", f'the link "{value}" goes to a part of the page that does not exist',
                                           line, "use the id of a heading on that page"))
    return errors


def run_check(site_dir: Path, drafts: bool = False, published: str | None = None,
              live: bool = False) -> tuple[list[ContentError], list[ContentError]]:
    """Build into the site's cache (never into output/): content errors stop here as in a
    build; then the built pages' links are checked, addresses the last build published are
    looked for (see moved.py), and every source is linted.

    published: the last build's folder, its sitemap.xml or an address (default: output/);
    live: compare with the sitemap.xml at base_url instead."""
    from builder.build import CACHE_FOLDER, build
    from builder.commands.moved import moved_warnings, read_published
    from builder.site.config import load_config

    config = load_config(site_dir)
    # Read before building: the record may be in output/, which a build could replace.
    record = read_published(site_dir, config.base_url + "sitemap.xml" if live else published, config)
    scratch = site_dir / CACHE_FOLDER / "check"
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        build(site_dir, scratch, drafts=drafts, use_cache=False)
        failures = check_output(scratch, config.base_path)
        warnings: list[ContentError] = moved_warnings(site_dir, scratch, record, config)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    from builder.site.languages import language_of, site_languages, untranslated

    sources, _ = discover(site_dir)
    # Their problems stopped the build above. Each language's pages use its own glossary.
    glossaries = {language: load_glossary(site_dir, sources, config, language)[0] for language in site_languages(config)}
    warnings += untranslated([source.rel for source in sources if source.kind not in ("static", "glossary", "stray-markdown", "measure-data")],
                             config)
    from builder.commands.family_gaps import family_warnings

    warnings += family_warnings(site_dir, config, sources, drafts=drafts)  # gaps families would meet
    from builder.content.file_metadata import pdf_author_warnings

    warnings += pdf_author_warnings(site_dir, [source.rel for source in sources if source.kind == "static"],
                                    (config.title, config.organisation))
    for source in sources:
        if source.kind in ("static", "glossary", "measure-data"):
            continue
        text = decode(source.rel, (site_dir / source.rel).read_bytes())
        found_warnings, found_failures = lint_source(source.rel, text, glossaries[language_of(source.rel, config)])
        left_warnings, left_failures = placeholder_problems(source.rel, text)  # `new`'s example text, left in
        warnings += found_warnings + left_warnings
        failures += found_failures + left_failures
    return warnings, failures
