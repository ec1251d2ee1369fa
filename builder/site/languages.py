"""Bilingual sites: which language each source is in, where each language's pages live, which
pages are translations of which, and the problems a translation can have.

site.toml's `languages` lists the site's languages, the main one first. A translation sits
beside its original with the language before ".md" (content/letters/x.cy.md is the Welsh of
content/letters/x.md); it is published under the language's folder with the same path
(/cy/letters/x/). Everything here is pure: config and pages in, answers out.
"""

from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

from builder.content.discover import EASY_READ_SUFFIX
from builder.errors import ContentError

# Fields a translation must share with its original: they place the page in time, on the
# timeline and at its address, which are the same in every language.
MUST_AGREE = ("date", "event", "slug")


def site_languages(config) -> tuple[str, ...]:
    """Every language of the site, the main one first (just `language` for most sites)."""
    return config.languages or (config.language,)


def is_multilingual(config) -> bool:
    return len(site_languages(config)) > 1


def prefix(config, language: str) -> str:
    """The folder a language's pages live in, under base_url: "" for the main one, "cy/"."""
    return "" if language == site_languages(config)[0] else language.lower() + "/"


def language_config(config, language: str):
    """The site as one language sees it: its base_url carries the language's folder, so every
    address the index, templates and feeds make lands in that language's part of the site."""
    if language == config.language and not prefix(config, language):
        return config
    title, organisation, non_accessible = {name: rest for name, *rest in config.translated}.get(language, ("", "", ()))
    return dataclasses.replace(config, language=language, base_url=config.base_url + prefix(config, language),
                               title=title or config.title, organisation=organisation or config.organisation,
                               accessibility=dataclasses.replace(config.accessibility, non_accessible=non_accessible)
                               if non_accessible else config.accessibility)


def language_of(rel: str, config) -> str:
    """The language a source file is written in: content/x.cy.md is Welsh on a site with "cy"."""
    languages = site_languages(config)
    if rel.endswith(EASY_READ_SUFFIX):  # content/x.cy.easyread.md: Easy Read in Welsh
        rel = rel.removesuffix(EASY_READ_SUFFIX) + ".md"
    for language in languages[1:]:
        if rel.endswith(f".{language}.md"):
            return language
    return languages[0]


def original_of(rel: str, language: str) -> str:
    """content/letters/x.cy.md -> content/letters/x.md; x.cy.easyread.md -> x.easyread.md."""
    if rel.endswith(EASY_READ_SUFFIX):
        return rel.removesuffix(f".{language}{EASY_READ_SUFFIX}") + EASY_READ_SUFFIX
    return rel.removesuffix(f".{language}.md") + ".md"


def translation_name(rel: str, language: str) -> str:
    """Where a file's translation is saved: x.md -> x.cy.md; x.easyread.md -> x.cy.easyread.md."""
    if rel.endswith(EASY_READ_SUFFIX):
        return rel.removesuffix(EASY_READ_SUFFIX) + f".{language}{EASY_READ_SUFFIX}"
    return rel.removesuffix(".md") + f".{language}.md"


def translation_problems(page_rels: list[str], pages: list, config) -> list[ContentError]:
    """A translation with no original, one whose fields that must agree do not, or one with
    aliases (old addresses are kept on the original). pages: every page that was read."""
    if not is_multilingual(config):
        return []
    errors = []
    known = set(page_rels)
    by_source = {page.source: page for page in pages}
    folders = {config.base_path + prefix(config, language) for language in site_languages(config)[1:]}
    for page in pages:
        if page.url in folders:
            errors.append(ContentError(page.source, f"its web address {page.url} is the folder of the site's pages in another language",
                                       None, "rename the file or add a different slug: field"))
    for rel in sorted(known):
        language = language_of(rel, config)
        if language == config.language or rel.endswith(EASY_READ_SUFFIX):
            continue  # an Easy Read page needs only its standard version (builder.site.easyread)
        original = original_of(rel, language)
        if original not in known:
            errors.append(ContentError(rel, f"is a translation of {original}, which does not exist", None,
                                       f"check the file name: a translation is named like its original with .{language} "
                                       f"before .md; rename it, or add {original} in {config.language}"))
            continue
        page, first = by_source.get(rel), by_source.get(original)
        if page is None or first is None:
            continue  # one of them has errors of its own
        for name in MUST_AGREE:
            mine, theirs = getattr(page, name), getattr(first, name)
            if mine != theirs:
                shown = lambda value: getattr(value, "display", None) or value or "(not set)"
                errors.append(ContentError(
                    rel, f'its {name} ({shown(mine)}) is not the same as in {original} ({shown(theirs)})',
                    page.line_of(name), f"a translation shares {', '.join(MUST_AGREE)} with its original: "
                    f"make {name} the same in both files"))
        if page.aliases:
            errors.append(ContentError(rel, "has aliases, but old addresses are kept on the original only", page.line_of("aliases"),
                                       f"move the aliases to {original}"))
    return errors


def translation_map(pages: list, config) -> dict[str, dict[str, str]]:
    """Page address -> {language: address} of every published version of that page,
    the page's own included."""
    versions: dict[str, dict[str, str]] = {}
    for page in pages:
        language = language_of(page.source, config)
        versions.setdefault(original_of(page.source, language) if language != config.language else page.source,
                            {})[language] = page.url
    found = {}
    for page in pages:
        language = language_of(page.source, config)
        found[page.url] = versions[original_of(page.source, language) if language != config.language else page.source]
    return found


def untranslated(page_rels: list[str], config) -> list[ContentError]:
    """A warning per page in the main language per language it has no translation in (`check`)."""
    if not is_multilingual(config):
        return []
    known = set(page_rels)
    warnings = []
    for rel in sorted(known):
        if language_of(rel, config) != config.language:
            continue
        for language in site_languages(config)[1:]:
            translation = translation_name(rel, language)
            if translation not in known:
                warnings.append(ContentError(
                    rel, f'has no translation in "{language}", so its language switch goes to the /{prefix(config, language)} home page',
                    None, f"when the translation is ready, save it beside this file as {translation}"))
    return warnings


def host(config) -> str:
    """https://example.org of base_url, to make a site path absolute."""
    parts = urlsplit(config.base_url)
    return f"{parts.scheme}://{parts.netloc}"
