"""The Welsh message catalogue is complete and safe to use: every message translated, none
fuzzy, Welsh plural forms, and each translation keeps its message's placeholders and HTML."""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE = Path(__file__).resolve().parent.parent / "builder" / "theme" / "locale"
WELSH = LOCALE / "cy" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%|\{\w+\}")
TAG = re.compile(r"<[^>]+>")


def _catalogue():
    with WELSH.open("rb") as handle:
        return read_po(handle, locale="cy")


def _messages():
    return [m for m in _catalogue() if m.id]


def test_welsh_uses_the_six_cldr_plural_forms():
    catalogue = _catalogue()
    assert catalogue.num_plurals == 6
    plural = gettext.c2py(catalogue.plural_expr)
    # zero, one, two, few (3), many (6), other
    assert [plural(n) for n in range(8)] == [0, 1, 2, 3, 5, 5, 4, 5]


def test_every_message_is_translated_and_none_is_fuzzy():
    messages = _messages()
    assert messages
    assert [m.id for m in messages if m.fuzzy] == []
    untranslated = [m.id for m in messages
                    if not all((m.string if isinstance(m.string, tuple) else (m.string,)))]
    assert untranslated == []
    assert [m.id for m in messages if isinstance(m.id, tuple) and len(m.string) != 6] == []


@pytest.mark.parametrize("message", _messages(), ids=lambda m: str(m.id)[:40])
def test_each_translation_keeps_placeholders_and_html(message):
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    for text in strings:
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(ids[-1]))
        assert sorted(TAG.findall(text)) == sorted(TAG.findall(ids[0]))
        assert text.strip() == text and text.count("“") == text.count("”")


def test_babel_finds_no_format_errors_and_the_catalogue_compiles():
    catalogue = _catalogue()
    assert [(m.id, errors) for m, errors in catalogue.check()] == []
    forms = Translations(_compiled(catalogue), domain="messages")
    assert forms.gettext("Skip to main content") == "Neidio i'r prif gynnwys"
    assert forms.gettext("Accessibility statement") == "Datganiad hygyrchedd"
    assert forms.gettext("Display settings") == "Gosodiadau arddangos"
    assert forms.gettext("Search") == "Chwilio"


def test_the_catalogue_has_every_message_of_the_template():
    template = LOCALE / "messages.pot"
    if not template.is_file():
        pytest.skip("messages.pot is not in this tree")
    with template.open("rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    assert sorted(map(str, wanted - {m.id for m in _messages()})) == []


def _compiled(catalogue) -> io.BytesIO:
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return compiled
