"""The Welsh fixture site's content is sound before the builder learns to build it: every Welsh
translation has its original with the same date, event and slug, one English page is left
untranslated on purpose, and each language's pages pass the plain-language lint against that
language's glossary."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from builder.commands.check import lint_source
from builder.content.glossary import default_glossary, merge_glossaries, parse_glossary
from builder.content.read import parse_source
from builder.site.languages import original_of, translation_name
from tests.conftest import FIXTURES

SITE = FIXTURES / "welsh"
CONTENT = SITE / "content"
MUST_AGREE = ("date", "event", "slug")


def _meta(path: Path) -> dict:
    return parse_source(path.relative_to(SITE).as_posix(), path.read_text(encoding="utf-8")).meta


def _welsh() -> list[Path]:
    return sorted(CONTENT.rglob("*.cy.md")) + sorted(CONTENT.rglob("*.cy.easyread.md"))


def _english() -> list[Path]:
    return sorted(p for p in CONTENT.rglob("*.md") if not p.name.endswith((".cy.md", ".cy.easyread.md")))


def _translation(path: Path) -> Path:
    """x.md -> x.cy.md; an Easy Read version's: x.easyread.md -> x.cy.easyread.md."""
    return path.with_name(translation_name(path.name, "cy"))


def test_the_site_lists_english_first_then_welsh():
    config = tomllib.loads((SITE / "site.toml").read_text(encoding="utf-8"))
    assert config["languages"] == ["en-GB", "cy"]


@pytest.mark.parametrize("welsh", _welsh(), ids=lambda p: p.relative_to(CONTENT).as_posix())
def test_each_translation_sits_beside_its_original_and_agrees_with_it(welsh):
    original = welsh.with_name(original_of(welsh.name, "cy"))
    assert original.is_file()
    english, cymraeg = _meta(original), _meta(welsh)
    assert {k: english.get(k) for k in MUST_AGREE} == {k: cymraeg.get(k) for k in MUST_AGREE}
    assert english["title"] != cymraeg["title"]


def test_every_kind_is_translated_and_one_english_page_is_not():
    translated = {p.relative_to(CONTENT).parts[0] for p in _welsh()}
    assert translated == {"letters", "updates", "news", "timeline", "pages", "commitments", "feedback", "measures"}
    untranslated = [p.relative_to(CONTENT).as_posix() for p in _english()
                    if not _translation(p).exists()]
    assert untranslated == ["pages/school-transport.md"]
    assert any(_meta(p).get("slug") for p in _welsh())
    events = [_meta(p) for p in CONTENT.glob("timeline/*.cy.md")]
    assert any(str(e["date"]) > "2090" for e in events)  # an upcoming event


@pytest.mark.parametrize("language, files, glossary_file", [
    ("en", _english, "glossary.yml"),
    ("cy", _welsh, "glossary.cy.yml"),
])
def test_each_language_passes_the_lint_with_its_own_glossary(language, files, glossary_file):
    own = parse_glossary(glossary_file, (CONTENT / glossary_file).read_bytes())
    glossary = merge_glossaries(default_glossary(language), own)
    problems = []
    for path in files():
        warnings, failures = lint_source(path.relative_to(SITE).as_posix(), path.read_text(encoding="utf-8"), glossary)
        problems += [str(p) for p in warnings + failures]
    assert problems == []
