"""Bilingual sites: place each language's planned outputs in its folder and tell every page
where its other versions are (<link rel="alternate" hreflang> and the header's language switch).

plan_outputs plans one language's site as if it were the whole site (paths relative to that
language's base path); `localise` puts the language's folder ("cy/") in front of each path and
adds, per page, the address of the same page in each other language, or that language's home
page with a note saying there is no translation. Pure: plans in, plans out.
"""

from __future__ import annotations

import dataclasses

from builder.i18n import N_, locale_name
from builder.render.feeds import robots
from builder.site.languages import host, language_config, prefix, site_languages

# Written in the language the reader is switching to, on a page that has no version in it.
# TRANSLATORS: say that this page has no version in your language, naming it: "There is no
# English version of this page", "Nid oes fersiwn Gymraeg o'r dudalen hon".
NO_VERSION = N_("There is no version of this page in this language.")


def language_name(language: str) -> str:
    """A language's name in that language, as its readers look for it: "Cymraeg", "English"."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(locale_name(language)).get_language_name() or language
    except (UnknownLocaleError, ValueError):
        return language
    return name[:1].upper() + name[1:]


def localise(plans: dict[str, list], versions: dict[str, dict[str, str]], config, translations: dict) -> dict[str, list]:
    """plans: language -> its planned outputs. versions: page address -> {language: address}
    (builder.site.languages.translation_map). translations: language -> its catalogue."""
    languages = site_languages(config)
    bases = {language: language_config(config, language).base_path for language in languages}
    planned = {language: {output.path for output in plans[language]} for language in languages}
    site = host(config)
    names = {language: language_name(language) for language in languages}
    notes = {language: translations[language].gettext(NO_VERSION) for language in languages}
    found = {}
    for language in languages:
        folder = prefix(config, language)
        mine = []
        for output in plans[language]:
            if output.template == "redirect.html":  # no page of its own: it only sends readers on
                mine.append(dataclasses.replace(output, path=folder + output.path))
                continue
            page = output.context.get("page")
            if page is not None:
                urls = versions.get(page.url, {language: page.url})
            else:
                urls = {other: bases[other] + output.path.removesuffix("index.html")
                        for other in languages if output.path in planned[other]}
            alternates = [(other, site + urls[other]) for other in languages if other in urls]
            if len(alternates) > 1 and languages[0] in urls:
                alternates.append(("x-default", site + urls[languages[0]]))
            switch = [{"language": other, "name": names[other], "url": urls.get(other, bases[other]),
                       "missing": "" if other in urls else notes[other]}
                      for other in languages if other != language]
            context = {**output.context, "path": "/" + output.path.removesuffix("index.html"),
                       "alternates": alternates if len(alternates) > 1 else [], "language_switch": switch}
            mine.append(dataclasses.replace(output, path=folder + output.path, context=context))
        found[language] = mine
    return found


def localise_machine(machine: list, language: str, config) -> list:
    """A language's feeds, calendar and sitemap, in its folder. robots.txt (made once, by the
    main language) lists every language's sitemap; old addresses are the main language's."""
    if len(site_languages(config)) < 2:
        return machine
    folder = prefix(config, language)
    if folder:
        return [(folder + path, make, arguments) for path, make, arguments in machine
                if path not in ("robots.txt", "_redirects")]
    sitemaps = tuple(host(config) + language_config(config, other).base_path + "sitemap.xml"
                     for other in site_languages(config))
    return [(path, make, arguments) if path != "robots.txt" else (path, robots, (sitemaps,))
            for path, make, arguments in machine]
