"""The preview's fast path (builder/render/preview.py): a saved page rendered on its own is
byte for byte what the full build makes of it, and anything more than a change to its own
text is left to the full build."""

import shutil

import pytest

from builder.build import build
from builder.content.markdown_render import MarkdownRenderer
from builder.render.preview import publish_saved, render_saved
from tests.conftest import FIXTURES

LETTER = "content/letters/2019-05-10-spring-letter.md"


@pytest.fixture
def built(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "full", site)
    report = build(site, tmp_path / "out", jobs=1)
    return site, tmp_path / "out", report.preview


def markdown_for(preview):
    return lambda language, glossary: MarkdownRenderer(glossary, preview.allow_raw_html, preview.site_dir,
                                                       preview.base_path)


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("rel, old, new, alone", [
    (LETTER, "we have hired more staff.", "we have hired more staff.\n\n## Next steps\n\nMore *training*, see the [FAQ](../pages/faq.md).", True),
    ("content/pages/faq.md", "Write to us.", "Write to us, or phone the SEND team.", True),
    # An event's outcome shows on the timeline too: the page is shown first, the timeline follows.
    ("content/timeline/2019-01-revisit.md", "one area out of four", "1 of 4 areas", False),
])
def test_a_page_rendered_alone_is_what_the_full_build_makes(built, rel, old, new, alone):
    site, out, preview = built
    edit(site / rel, old, new)
    made = render_saved(preview, [rel], markdown_for(preview))
    assert made and len(made) == 1
    publish_saved(out, made)
    report = build(site, out, jobs=1)
    for path, data in made.items():
        assert (out / path).read_bytes() == data
        assert new.split("\n")[0][:20] in data.decode()
    # A change to the page's own text leaves the full build only non-HTML files (feeds) to change.
    assert alone == (not {path for path in report.changed if path.endswith(".html")} - set(made))


@pytest.mark.parametrize("change", [
    lambda s: edit(s / LETTER, "title: Spring letter", "title: Spring term letter"),  # lists show titles
    lambda s: edit(s / LETTER, "date: 2019-05-10", "date: 2019-05-11"),  # order and archives
    lambda s: edit(s / LETTER, "summary: Progress since February.", "summary: What changed."),
    lambda s: edit(s / LETTER, "author: Jane Example\n", "author: Jane Example\ndraft: true\n"),
    lambda s: edit(s / LETTER, "date: 2019-05-10", "date: 31/04/2019"),  # an error: the full build reports it
    lambda s: edit(s / LETTER, "(2019-02-01-after-the-revisit.md)", "(no-such-letter.md)"),  # a broken link
])
def test_anything_more_is_left_to_the_full_build(built, change):
    site, out, preview = built
    change(site)
    assert render_saved(preview, [LETTER], markdown_for(preview)) is None


def test_a_file_the_last_build_did_not_publish_is_left_to_the_full_build(built):
    site, out, preview = built
    assert render_saved(preview, ["content/letters/2099-01-01-future-letter.md"], markdown_for(preview)) is None
    assert render_saved(preview, ["content/news/brand-new.md"], markdown_for(preview)) is None
