"""The theme's words come from message catalogues, and dates follow the page's language."""

import datetime as dt
import json

from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from builder.content.dates import PartialDate
from builder.i18n import LOCALE_DIR, catalogue_digest, format_date, load_translations
from builder.render.outputs import plan_outputs
from builder.render.templates import TemplateRenderer
from builder.site.config import load_config
from builder.site.index import build_index
from tests.conftest import write_site

# A tiny Welsh catalogue: one message from a template, one built in Python (a page title in
# builder/render/outputs.py), one from the page model and a plural with Welsh's five forms.
FAKE_CY = r'''
msgid ""
msgstr ""
"Language: cy\n"
"Plural-Forms: nplurals=5; plural=(n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 0);\n"
"Content-Type: text/plain; charset=utf-8\n"

msgid "Skip to main content"
msgstr "Neidio i'r prif gynnwys"

msgid "Timeline of inspections and reviews"
msgstr "Llinell amser arolygiadau ac adolygiadau"

msgid "Timeline"
msgstr "Llinell amser"

msgid "Inspection"
msgstr "Arolygiad"

msgid "%(num)d result for “%(query)s”"
msgid_plural "%(num)d results for “%(query)s”"
msgstr[0] "%(num)d canlyniad (0) ar gyfer “%(query)s”"
msgstr[1] "%(num)d canlyniad (1) ar gyfer “%(query)s”"
msgstr[2] "%(num)d ganlyniad (2) ar gyfer “%(query)s”"
msgstr[3] "%(num)d chanlyniad (3) ar gyfer “%(query)s”"
msgstr[4] "%(num)d chanlyniad (6) ar gyfer “%(query)s”"
'''

EVENT = """---
title: "Ofsted and CQC inspect SEND services"
date: 2024-11-21
event: inspection
summary: "Inspectors looked at SEND services."
---
Text.
"""


def _renderer(tmp_path, language=None):
    locale = tmp_path / "locale"
    (locale / "cy" / "LC_MESSAGES").mkdir(parents=True)
    (locale / "cy" / "LC_MESSAGES" / "messages.po").write_text(FAKE_CY, encoding="utf-8")
    site = write_site(tmp_path / "site", {})
    config = load_config(site)
    index, errors = build_index([], config, dt.date(2025, 6, 1), {}, [])
    assert not errors
    return TemplateRenderer(site, index, {}, language=language, locale_dir=locale), index


def _render(renderer, index, path):
    outputs = {o.path: o for o in plan_outputs(index, {}, {}, translations=renderer.translations)}
    return BeautifulSoup(renderer.render(outputs[path]), "html.parser")


def test_a_fake_catalogue_translates_template_and_python_strings(tmp_path):
    renderer, index = _renderer(tmp_path, language="cy")
    doc = _render(renderer, index, "timeline/index.html")
    assert doc.html["lang"] == "cy"
    assert doc.find("a", class_="skip-link").text == "Neidio i'r prif gynnwys"  # template
    assert doc.h1.text == "Llinell amser arolygiadau ac adolygiadau"  # template
    assert doc.title.text.startswith("Llinell amser – ")  # page title made in Python
    # Untranslated messages fall back to the English they were written in.
    assert doc.find("h2", id="filters-heading").text == "Show on the timeline"
    assert renderer.env.globals["event_label"]("inspection") == "Arolygiad"  # builder/content/model.py


def test_plurals_follow_the_languages_own_rules(tmp_path):
    renderer, index = _renderer(tmp_path, language="cy")
    plural = json.loads(_render(renderer, index, "search/index.html").find(id="search")["data-results"])

    def counts(n):  # as search.js picks the form: numbers over 199 as 100 + n % 100
        form = plural["table"][n if n < len(plural["table"]) else 100 + n % 100]
        return plural["forms"][int(form)].replace("%(num)d", str(n))

    assert counts(1) == "1 canlyniad (1) ar gyfer “%(query)s”"
    assert counts(2) == "2 ganlyniad (2) ar gyfer “%(query)s”"
    assert counts(3) == "3 chanlyniad (3) ar gyfer “%(query)s”"
    assert counts(6) == "6 chanlyniad (6) ar gyfer “%(query)s”"
    assert counts(7) == "7 canlyniad (0) ar gyfer “%(query)s”"
    # Beyond the first 30 (search once stopped counting there), and beyond the table.
    assert counts(36) == "36 canlyniad (0) ar gyfer “%(query)s”"
    assert counts(5006) == "5006 canlyniad (0) ar gyfer “%(query)s”"  # like 7: Welsh's "6" form is for 6 alone


def test_the_site_language_is_the_default(tmp_path):
    renderer, index = _renderer(tmp_path)
    doc = _render(renderer, index, "timeline/index.html")
    assert renderer.language == "en-GB" and doc.html["lang"] == "en-GB"
    assert doc.find("a", class_="skip-link").text == "Skip to main content"
    assert doc.title.text.startswith("Timeline – ")


def test_dates_in_english_and_welsh():
    assert format_date(PartialDate(2024, 11, 21), "en-GB") == "21 November 2024"
    assert format_date(PartialDate(2025, 5), "en-GB") == "May 2025"
    assert format_date(PartialDate(2024, 11, 21), "cy") == "21 Tachwedd 2024"
    assert format_date(PartialDate(2025, 5), "cy") == "Mai 2025"
    assert format_date(dt.date(2025, 2, 3), "cy") == "3 Chwefror 2025"
    # A language Babel does not know still gets a readable date.
    assert format_date(PartialDate(2025, 5), "xx-YY") == "May 2025"


def test_english_dates_are_what_babel_writes_for_every_month():
    """format_date skips Babel for English (it is slow to load): prove the words are the same."""
    from babel.dates import format_date as babel_format

    from builder.i18n import FULL_DATE, MONTH_DATE

    for language in ("en-GB", "en"):
        for month in range(1, 13):
            day, whole_month = PartialDate(2024, month, 9), PartialDate(2024, month)
            assert format_date(day, language) == babel_format(day.first_day, FULL_DATE, locale="en_GB")
            assert format_date(whole_month, language) == babel_format(whole_month.first_day, MONTH_DATE, locale="en_GB")
            assert format_date(whole_month, language) == whole_month.display


def test_welsh_month_names_from_babel():
    months = [format_date(PartialDate(2024, m), "cy").split()[0] for m in range(1, 13)]
    assert months == ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf",
                      "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"]


def test_compiled_catalogue_is_kept_in_the_cache_by_digest(tmp_path):
    folder = tmp_path / "locale" / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(FAKE_CY, encoding="utf-8")
    cache = tmp_path / "cache"
    assert load_translations("cy", tmp_path / "locale", cache).gettext("Inspection") == "Arolygiad"
    kept = list(cache.iterdir())
    assert len(kept) == 1 and kept[0].suffix == ".mo"
    # Loaded from the cache next time: prove it by changing the kept file.
    kept[0].write_bytes(kept[0].read_bytes().replace("Arolygiad".encode(), "Arolygiax".encode()))
    assert load_translations("cy", tmp_path / "locale", cache).gettext("Inspection") == "Arolygiax"
    # A changed catalogue has a new digest, so it is compiled again.
    (folder / "messages.po").write_text(FAKE_CY.replace("Arolygiad", "Arolwg"), encoding="utf-8")
    translations = load_translations("cy", tmp_path / "locale", cache)
    assert translations.gettext("Inspection") == "Arolwg" and len(list(cache.iterdir())) == 2
    assert translations.ngettext("%(num)d result for “%(query)s”", "%(num)d results for “%(query)s”", 2) \
        == "%(num)d ganlyniad (2) ar gyfer “%(query)s”"


def test_catalogue_digest_changes_with_the_catalogue(tmp_path):
    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(FAKE_CY, encoding="utf-8")
    before = catalogue_digest("cy", tmp_path)
    (folder / "messages.po").write_text(FAKE_CY.replace("Arolygiad", "Arolwg"), encoding="utf-8")
    assert catalogue_digest("cy", tmp_path) != before
    assert load_translations("cy", tmp_path).gettext("Inspection") == "Arolwg"
    # en-GB falls back to en, then to no catalogue at all: the English message ids.
    assert load_translations("en-GB", tmp_path).gettext("Inspection") == "Inspection"


def test_shipped_catalogues_hold_every_extracted_message():
    """`make messages` keeps each language's catalogue in step with the templates and code."""
    with (LOCALE_DIR / "messages.pot").open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    assert len(template) > 150
    for language in ("en_GB", "cy"):
        with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            catalogue = read_po(handle)
        assert {m.id for m in catalogue if m.id} == template, language
        assert catalogue.locale.language == language.split("_")[0]


def test_messages_pot_is_up_to_date_with_the_code(tmp_path):
    """Fails when a message was added or changed without running `make messages`."""
    from babel.messages.frontend import CommandLineInterface

    from tests.conftest import ROOT

    fresh = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "--mapping-file", str(ROOT / "babel.cfg"),
                                "--keywords", "N_", "--keywords", "plural_words:1,2",  # as `make messages`
                                "--output-file", str(fresh), str(ROOT / "builder")])
    with fresh.open("rb") as handle:
        extracted = {m.id for m in read_po(handle) if m.id}
    with (LOCALE_DIR / "messages.pot").open("rb") as handle:
        committed = {m.id for m in read_po(handle) if m.id}
    assert extracted == committed, "run `make messages`"
