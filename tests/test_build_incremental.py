"""Incremental builds must give exactly the site a clean full build gives, after every kind of change."""

import shutil

import pytest

from builder.build import build
from tests.conftest import FIXTURES, png_bytes, tree_bytes


@pytest.fixture
def site(tmp_path):
    target = tmp_path / "site"
    shutil.copytree(FIXTURES / "full", target)
    return target


def clean_build(site, tmp_path, name):
    out = tmp_path / name
    build(site, out, use_cache=False, jobs=1)
    return tree_bytes(out)


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


CHANGES = {
    "edit a letter body": lambda s: edit(s / "content/letters/2019-05-10-spring-letter.md", "more staff", "many more staff"),
    "edit a letter title": lambda s: edit(s / "content/letters/2019-05-10-spring-letter.md", "title: Spring letter", "title: Spring term letter"),
    "edit an event outcome": lambda s: edit(s / "content/timeline/2019-01-revisit.md", "one area out of four", "1 of 4 areas"),
    "edit a commitment status": lambda s: edit(s / "content/commitments/plans-on-time.md", "status: in progress", "status: done"),
    "rename a heading others link to": lambda s: (
        edit(s / "content/timeline/2016-12-inspection.md", "## What they found", "## Findings"),
        edit(s / "content/timeline/2019-01-revisit.md", "#what-they-found", "#findings")),
    "add a page": lambda s: (s / "content/news/2019-04-01-new.md").write_text(
        "---\ntitle: New item\ndate: 2019-04-01\nsummary: New.\ntags: [inspection]\n---\nNew.\n", encoding="utf-8"),
    "delete a page": lambda s: (s / "content/news/2019-03-15-revisit-published.md").unlink(),
    "rename a page": lambda s: (s / "content/updates/2019-06-01-june-update.md").rename(
        s / "content/updates/2019-06-02-june-update.md"),
    "edit the glossary": lambda s: edit(s / "content/glossary.yml", "CQC: Care Quality Commission", "CQC: the Care Quality Commission"),
    "edit site.toml": lambda s: edit(s / "site.toml", 'title = "Example SEND progress"', 'title = "Example progress"'),
    "override the base template": lambda s: (
        (s / "templates").mkdir(),
        shutil.copy(__import__("builder.render.templates", fromlist=["x"]).THEME_TEMPLATES / "base.html", s / "templates/base.html"),
        edit(s / "templates/base.html", "<body", "<!-- local --><body")),
    "replace an attachment": lambda s: (s / "content/updates/files/plan.pdf").write_bytes(
        (s / "content/updates/files/plan.pdf").read_bytes() + b"\n% padding\n"),
    "replace an image a page shows": lambda s: (s / "content/updates/files/plans-on-time-chart.png").write_bytes(
        png_bytes(1000, 400, (29, 112, 184))),
}


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_incremental_equals_clean_build(site, tmp_path, change):
    out = tmp_path / "out"
    build(site, out, jobs=1)
    CHANGES[change](site)
    build(site, out, jobs=1)
    assert tree_bytes(out) == clean_build(site, tmp_path, "clean")


def test_second_build_builds_nothing(site, tmp_path):
    out = tmp_path / "out"
    build(site, out, jobs=1)
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    report = build(site, out, jobs=1)
    assert report.rendered == 0 and report.written == 0
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == mtimes


def test_one_edit_rerenders_only_what_shows_it(site, tmp_path):
    out = tmp_path / "out"
    first = build(site, out, jobs=1)
    edit(site / "content/pages/faq.md", "Write to us.", "Write to us, or phone.")
    report = build(site, out, jobs=1)
    assert report.rendered == 1  # only the FAQ page itself: its title, the footer link, is unchanged
    assert first.rendered > 20


def test_template_edit_rerenders_from_cached_markdown(site, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(site, out, jobs=1)
    from builder.content import markdown_render

    def refuse(*args, **kwargs):
        raise AssertionError("Markdown was parsed again")

    monkeypatch.setattr(markdown_render.MarkdownRenderer, "render", refuse)
    (site / "templates").mkdir()
    (site / "templates/letter.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>{{ page.title }}</h1>{{ html | safe }}{% endblock %}')
    report = build(site, out, jobs=1)
    assert 0 < report.rendered <= 3  # the two published letters (and nothing that does not use the template)


def test_corrupt_cache_falls_back_to_full_build(site, tmp_path):
    out = tmp_path / "out"
    build(site, out, jobs=1)
    (site / ".cache/localoffer/record.pickle").write_bytes(b"not a pickle")
    report = build(site, out, jobs=1)
    assert report.rendered > 20
    assert tree_bytes(out) == clean_build(site, tmp_path, "clean")


def test_parallel_build_equals_one_job_build(tmp_path):
    files = {}
    for n in range(150):
        files[f"content/updates/2020-01-{n % 28 + 1:02d}-u{n}.md"] = (
            f"---\ntitle: Update {n}\ndate: 2020-01-{n % 28 + 1:02d}\nsummary: Number {n}.\ntags: [t{n % 3}]\n---\n"
            f"## Part\n\nText for {n}. See [the next](2020-01-{(n + 1) % 150 % 28 + 1:02d}-u{(n + 1) % 150}.md).\n")
    from tests.conftest import write_site

    site = write_site(tmp_path / "big", files)
    build(site, tmp_path / "one", jobs=1, use_cache=False)
    build(site, tmp_path / "two", jobs=2, use_cache=False)
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "two")


def test_missing_cached_html_falls_back_to_full_build(site, tmp_path):
    out = tmp_path / "out"
    build(site, out, jobs=1)
    (site / ".cache/localoffer/blobs.sqlite").unlink()
    edit(site / "content/letters/2019-05-10-spring-letter.md", "title: Spring letter", "title: Spring term letter")
    build(site, out, jobs=1)
    assert tree_bytes(out) == clean_build(site, tmp_path, "clean")


def test_output_file_deleted_by_hand_is_restored(site, tmp_path):
    out = tmp_path / "out"
    build(site, out, jobs=1)
    (out / "faq/index.html").unlink()
    build(site, out, jobs=1)
    assert tree_bytes(out) == clean_build(site, tmp_path, "clean")


def test_publish_interrupted_after_its_journal_is_finished_by_the_next_build(site, tmp_path, monkeypatch):
    from builder.publish import output as files

    out = tmp_path / "out"
    build(site, out, jobs=1)
    edit(site / "content/pages/faq.md", "Write to us.", "Write to us, or phone.")
    real_apply = files.apply_journal
    monkeypatch.setattr(files, "apply_journal", lambda journal: None)  # "killed" right after the journal
    build(site, out, jobs=1)
    assert "or phone" not in (out / "faq/index.html").read_text()  # nothing moved yet: old page intact
    monkeypatch.setattr(files, "apply_journal", real_apply)
    build(site, out, jobs=1)
    assert tree_bytes(out) == clean_build(site, tmp_path, "clean")
