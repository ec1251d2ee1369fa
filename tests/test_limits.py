"""Hostile or broken content (builder/content/limits.py): each case must fail as a content error
naming the file (and the line where there is one), never as a traceback, "unexpected problem"
or a build that succeeds with broken output, and must leave the published output/ as it was.

Builds run in this process through the command line's own wrapper (tests.hostile), which is
what makes the fuzz test (tests/test_fuzz.py) fast enough to run hundreds of cases.
"""

from __future__ import annotations

import os
import time
import xml.dom.minidom

import pytest

from builder.content import limits
from builder.content.dates import DateProblem, parse_date
from tests.conftest import png_bytes, tree_bytes
from tests.hostile import build_in_process, fresh_copy

L = "content/letters/2022-01-10-january.md"
NEW = "content/updates/2022-03-01-new.md"


def update(body: str = "Hello.\n", **fields: str) -> str:
    front = {"title": "New update", "date": "2022-03-01", **fields}
    return "---\n" + "".join(f"{k}: {v}\n" for k, v in front.items()) + "---\n" + body


@pytest.fixture
def site(tmp_path_factory, tmp_path):
    return fresh_copy(tmp_path_factory, tmp_path)


def fails_cleanly(site, path: str, phrase: str, line: int | None = None) -> str:
    """Build; assert a content error naming path (and line) and an untouched output/."""
    before = tree_bytes(site / "output")
    code, text = build_in_process(site)
    assert code == 1, text  # 0: built broken output; 2: a builder bug ("unexpected problem")
    assert "Traceback" not in text and "unexpected problem" not in text, text
    where = f"{path}:{line}:" if line else f"{path}"
    assert where in text, f"expected {where!r} in:\n{text}"
    assert phrase.lower() in text.lower(), f"expected {phrase!r} in:\n{text}"
    assert tree_bytes(site / "output") == before, "a failed build changed output/"
    return text


def write(site, rel: str, data: str | bytes) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


# --- control characters ------------------------------------------------------------------

@pytest.mark.parametrize("char", ["\x0c", "\x1b", "\x00", "\x7f"], ids=["form-feed", "escape", "nul", "delete"])
def test_control_character_in_body_is_an_error_with_its_line(site, char):
    write(site, NEW, update(f"First line.\n\nSecond{char}line.\n"))
    fails_cleanly(site, NEW, "contains", line=7)


@pytest.mark.parametrize("escape", ["\\f", "\\e", "\\0", "\\x07"])
def test_control_character_in_a_title_escape_is_an_error_with_its_line(site, escape):
    write(site, NEW, update(title=f'"Title {escape} here"'))
    fails_cleanly(site, NEW, '"title" contains', line=2)


def test_control_character_typed_into_the_title_is_an_error(site):
    write(site, NEW, update(title="Title \x0c here"))
    fails_cleanly(site, NEW, "form feed", line=2)


def test_control_character_in_a_glossary_meaning_is_an_error(site):
    write(site, "content/glossary.yml", 'SEND: "Special educational \\f needs"\n')
    fails_cleanly(site, "content/glossary.yml", '"SEND" contains a form feed', line=1)


def test_control_character_in_site_settings_is_an_error(site):
    config = (site / "site.toml").read_text(encoding="utf-8").replace('title = "Test site"', 'title = "Test\\u000csite"')
    write(site, "site.toml", config)
    fails_cleanly(site, "site.toml", '"title" contains a form feed', line=1)


def test_feeds_stay_parseable_xml_when_the_content_is_fine(site):
    """The reason for the rule: every published feed must parse as XML."""
    write(site, NEW, update("Tabs\tand newlines are fine.\n", title='"Tabs\\tare fine"'))
    code, text = build_in_process(site)
    assert code == 0, text
    for feed in (site / "output").rglob("*.xml"):
        xml.dom.minidom.parse(str(feed))


# --- dates ---------------------------------------------------------------------------------

def test_explicit_timestamp_tag_with_an_impossible_date(site):
    write(site, NEW, update(date="!!timestamp 2023-02-30"))
    fails_cleanly(site, NEW, "does not exist", line=3)


@pytest.mark.parametrize("rel, text, line", [
    ("content/timeline/9999-12-31-far.md", "---\ntitle: Far\ndate: 9999-12-31\nevent: review\n---\n", 3),
    ("content/timeline/9999-12-far.md", "---\ntitle: Far\ndate: 9999-12\nevent: review\n---\n", 3),
    (NEW, update(date="1899-12-31"), 3),
    ("content/letters/2022-05-01-next.md",
     "---\ntitle: L\ndate: 2022-05-01\nauthor: Jane\nnext_update: 9999-12\n---\nHi\n", 5),
    ("content/letters/2022-05-01-next.md",
     "---\ntitle: L\ndate: 2022-05-01\nauthor: Jane\nnext_update: 0000-01\n---\nHi\n", 5),
], ids=["event-9999-12-31", "event-9999-12", "1899", "next-update-9999-12", "next-update-0000-01"])
def test_dates_outside_the_documented_years(site, rel, text, line):
    write(site, rel, text)
    fails_cleanly(site, rel, f"outside the years {limits.FIRST_YEAR} to {limits.LAST_YEAR}", line=line)


def test_the_years_at_the_edges_are_accepted():
    assert parse_date(f"{limits.FIRST_YEAR}-01-01").year == limits.FIRST_YEAR
    assert parse_date(f"{limits.LAST_YEAR}-12", allow_month=True).last_day.day == 31
    with pytest.raises(DateProblem):
        parse_date(f"{limits.LAST_YEAR + 1}-01-01")


# --- nesting and time ----------------------------------------------------------------------

def test_list_nested_a_thousand_deep_is_refused_quickly(site):
    body = "Intro.\n\n" + "".join("    " * level + "- item\n" for level in range(1000))
    write(site, NEW, update(body))
    started = time.process_time()
    fails_cleanly(site, NEW, f"more than {limits.MAX_NESTING} levels", line=7 + limits.MAX_NESTING + 1)
    assert time.process_time() - started < 20  # without the check: RecursionError after 30-40 s


def test_quotes_nested_too_deep_are_refused(site):
    write(site, NEW, update("> " * 50 + "deep\n"))
    fails_cleanly(site, NEW, "nested", line=5)


def test_twenty_thousand_nested_brackets_are_refused(site):
    write(site, NEW, update("[" * 20_000 + "x" + "]" * 20_000 + "\n"))
    fails_cleanly(site, NEW, "square brackets", line=5)


def test_nesting_at_the_limit_builds(site):
    body = "".join("    " * level + "- item\n" for level in range(limits.MAX_NESTING)) + "\n[[[a]]] and [b](https://example.org/)\n"
    write(site, NEW, update(body))
    code, text = build_in_process(site)
    assert code == 0, text


@pytest.mark.timeout(120)
def test_a_page_that_takes_too_long_is_stopped(site, monkeypatch):
    """No nesting, so no shape check catches it: "[a](" repeated makes Python-Markdown look for
    each link's end again, quadratic in the count (about 20 s here unbounded). The limit,
    lowered to keep the test short, stops it."""
    monkeypatch.setattr(limits, "PAGE_SECONDS", 1)
    write(site, NEW, update("[a](" * 8000 + "\n"))
    fails_cleanly(site, NEW, "took more than 1 seconds")


# --- names and links between files --------------------------------------------------------

def test_image_name_too_long_for_its_published_sizes(site):
    name = "a" * 246 + ".png"
    write(site, f"content/updates/{name}", png_bytes(1200, 80))
    write(site, NEW, update(f"![A chart]({name})\n"))
    fails_cleanly(site, f"content/updates/{name}", "too long")


def test_name_limit_counts_bytes():
    assert limits.name_problems("content/updates/" + "a" * (limits.MAX_NAME_BYTES - 3) + ".md", 2) == []
    accented = "content/updates/" + "é" * (limits.MAX_NAME_BYTES // 2) + ".md"  # 2 bytes each
    assert "which take 203 bytes" in limits.name_problems(accented, 2)[0].message


def test_folders_nested_too_deep(site):
    folder = "content/pages/" + "/".join(["f"] * limits.MAX_FOLDER_DEPTH)
    write(site, folder + "/deep.md", "---\ntitle: Deep\n---\nHi\n")
    fails_cleanly(site, folder, f"more than {limits.MAX_FOLDER_DEPTH} folders")


def test_symlink_loop_in_templates_does_not_crash_the_up_to_date_check(site):
    (site / "templates").mkdir()
    os.symlink(".", site / "templates/self")
    code, text = build_in_process(site)
    assert code == 0 and "Built" in text, text


def test_symlink_loop_inside_content(site):
    os.symlink(".", site / "content/pages/self")
    text = fails_cleanly(site, "content/pages/self", "loop")
    assert "content/pages/self/self" not in text


def test_symlink_to_itself(site):
    os.symlink("self", site / "content/pages/self")
    fails_cleanly(site, "content/pages/self", "round in a circle")


def test_symlink_loop_without_the_cache(site):
    os.symlink(".", site / "content/pages/self")
    before = tree_bytes(site / "output")
    code, text = build_in_process(site, use_cache=False)
    assert code == 1 and "content/pages/self" in text and "loop" in text, text
    assert tree_bytes(site / "output") == before


def test_symlinked_folder_out_of_content_is_refused_without_walking_it(site, tmp_path):
    """A link to a huge tree (here one that is also a loop through itself: walked, it would never end)."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    os.symlink(outside, outside / "again")
    os.symlink(outside, site / "content/pages/elsewhere")
    fails_cleanly(site, "content/pages/elsewhere", "outside the content folder")


# --- front matter and links ----------------------------------------------------------------

def test_duplicate_field_names_the_second_line(site):
    write(site, NEW, "---\ntitle: T\ndate: 2022-03-01\ndraft: true\nsummary: S\ndraft: false\n---\nHi\n")
    fails_cleanly(site, NEW, 'the field "draft" is written twice', line=6)


def test_duplicate_field_inside_a_list_item(site):
    write(site, NEW, update(attachments="[{title: A, file: files/plan.txt, title: B}]"))
    fails_cleanly(site, NEW, '"title" is written twice', line=4)


@pytest.mark.parametrize("link, line", [
    ("[x](javascript:alert(1))", 7), ('<a href="JaVaScRiPt:alert(1)">x</a>', 7),
    ("[x][ref]\n\n[ref]: vbscript:msgbox", 9), ("[x](java&#09;script:alert(1))", 7),
], ids=["markdown", "raw-html", "reference", "entity"])
def test_javascript_link_is_an_error_with_its_line(site, link, line):
    write(site, NEW, update("Intro.\n\nSee " + link + "\n"))
    fails_cleanly(site, NEW, "which the site does not allow", line=line)


def test_ordinary_links_build(site):
    write(site, NEW, update("[a](https://example.org/) [b](mailto:a@example.org) [c](tel:+441234) "
                            "[d](../letters/2022-01-10-january.md) and text: with colons.\n"))
    code, text = build_in_process(site)
    assert code == 0, text
