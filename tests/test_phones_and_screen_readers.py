"""What phones and screen readers meet, checked as parsed HTML and in the stylesheet: tables
that stack into labelled rows, no words split mid-word, labels and separators that are not
read out oddly, and named landmarks."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from bs4 import BeautifulSoup

from builder.build import build
from tests.conftest import FIXTURES, ROOT

TODAY = dt.date(2025, 6, 1)
STYLE = (ROOT / "builder" / "theme" / "static" / "style.css").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    found = {}
    for name in ("full", "welsh"):
        folder = tmp_path_factory.mktemp(name) / "out"
        build(FIXTURES / name, folder, use_cache=False, jobs=1, today=TODAY)
        found[name] = folder
    return found


def page(folder, rel):
    return BeautifulSoup((folder / rel).read_text(encoding="utf-8"), "html.parser")


def pages(folder):
    return [p.relative_to(folder).as_posix() for p in sorted(folder.rglob("*.html")) if "pagefind" not in p.parts]


def _rules(selector_part: str) -> list[str]:
    """The declarations of every rule whose selector mentions selector_part."""
    return [body for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", STYLE) if selector_part in selectors]


def test_commitments_table_stacks_into_labelled_rows_without_a_focusable_wrapper(sites):
    for folder, rel in ((sites["full"], "commitments/index.html"), (sites["welsh"], "cy/commitments/index.html")):
        doc = page(folder, rel)
        table = doc.find("table")
        assert "stack" in table["class"]
        headings = [th.get_text(strip=True) for th in table.thead.find_all("th")]
        for row in table.tbody.find_all("tr"):
            assert [td["data-label"] for td in row.find_all("td")] == headings[1:], rel
        assert doc.find(attrs={"role": "region"}) is None and doc.main.find(attrs={"tabindex": "0"}) is None
    assert any("attr(data-label)" in body for body in _rules(".stack td"))


def test_no_word_is_split_anywhere_and_labels_are_not_capitalised_by_css():
    assert "overflow-wrap: anywhere" not in STYLE and "word-break: break-all" not in STYLE
    assert "text-transform: uppercase" not in STYLE  # Chromium passes CSS capitals to screen readers


def test_separators_are_hidden_from_screen_readers(sites):
    for name, folder in sites.items():
        for rel in pages(folder):
            doc = page(folder, rel)
            for text in doc.body.find_all(string=re.compile("·")):
                assert text.parent.get("aria-hidden") == "true", (name, rel, text.parent)


def test_the_language_switch_is_a_labelled_navigation(sites):
    for rel in ("index.html", "cy/index.html", "cy/commitments/index.html"):
        doc = page(sites["welsh"], rel)
        switch = doc.find(class_="language-switch")
        assert switch.name == "nav" and switch["aria-label"].strip() and switch.find("a", hreflang=True)


def test_landmarks_of_each_kind_have_unique_names(sites):
    for name, folder in sites.items():
        for rel in pages(folder):
            doc = page(folder, rel)
            if doc.find("meta", attrs={"http-equiv": "refresh"}):
                continue
            for selector in ("nav", "[role=search]", "aside"):
                found = doc.select(selector)
                names = [el.get("aria-label") or (el.get("aria-labelledby") and
                         doc.find(id=el["aria-labelledby"]).get_text(" ", strip=True)) for el in found]
                if len(found) > 1:
                    assert all(names) and len(set(names)) == len(names), (rel, selector, names)
