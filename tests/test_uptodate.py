"""The whole-build short cut (builder/incremental/uptodate.py): a build with nothing to do
does nothing, and anything that could change the site makes it build."""

import datetime as dt
import os
import shutil

import pytest

import builder.build
from builder.build import build
from builder.incremental.uptodate import inputs_stamp
from tests.conftest import FIXTURES, tree_bytes

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def site(tmp_path):
    """The full fixture, its files an hour old: one changed within a clock tick or two of a
    build is never trusted by its time (RACY_NS), which would hide the short cut."""
    target = tmp_path / "site"
    shutil.copytree(FIXTURES / "full", target)
    for path in target.rglob("*"):
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns - 3600 * 10**9))
    return target


def clean(site, tmp_path, today=TODAY):
    out = tmp_path / "clean"
    shutil.rmtree(out, ignore_errors=True)
    build(site, out, use_cache=False, jobs=1, today=today)
    return tree_bytes(out)


def test_a_build_with_nothing_changed_runs_no_stage_and_says_what_the_last_said(site, tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = build(site, out, jobs=1, today=TODAY)
    before = tree_bytes(out)

    def refuse(*args, **kwargs):
        raise AssertionError("the pipeline ran")
    monkeypatch.setattr(builder.build, "_build", refuse)
    again = build(site, out, jobs=1, today=TODAY)
    assert (again.pages, again.next_scheduled) == (first.pages, first.next_scheduled)
    assert (again.rendered, again.written, again.removed) == (0, 0, 0)
    assert tree_bytes(out) == before


@pytest.mark.parametrize("change", ["delete", "add", "rename"])
def test_output_changed_by_hand_is_put_right(site, tmp_path, change):
    out = tmp_path / "out"
    build(site, out, jobs=1, today=TODAY)
    page = out / "faq" / "index.html"
    if change == "delete":
        page.unlink()
    elif change == "add":
        (out / "faq" / "notes.txt").write_text("left here by hand")
    else:
        page.rename(out / "faq" / "old.html")
    report = build(site, out, jobs=1, today=TODAY)
    assert report.written + report.removed > 0
    assert tree_bytes(out) == clean(site, tmp_path)


def test_the_next_day_is_built_so_pages_due_today_are_published(site, tmp_path):
    out = tmp_path / "out"
    build(site, out, jobs=1, today=TODAY)
    later = dt.date(2099, 6, 1)  # after the fixture's 2099 letter and review
    report = build(site, out, jobs=1, today=later)
    assert report.rendered > 0
    assert tree_bytes(out) == clean(site, tmp_path, later)


def test_a_build_that_remembers_nothing_makes_the_next_one_look(site, tmp_path):
    out = tmp_path / "out"
    build(site, out, jobs=1, today=TODAY)
    build(site, out, jobs=1, today=TODAY, use_cache=False, drafts=True)  # drafts now in output/
    build(site, out, jobs=1, today=TODAY)
    assert tree_bytes(out) == clean(site, tmp_path)


def test_a_damaged_stamp_means_build(site, tmp_path):
    out = tmp_path / "out"
    build(site, out, jobs=1, today=TODAY)
    (site / ".cache/localoffer/up-to-date.pickle").write_bytes(b"not a pickle")
    (out / "faq/index.html").unlink()
    build(site, out, jobs=1, today=TODAY)
    assert tree_bytes(out) == clean(site, tmp_path)


def test_a_preview_build_behind_on_search_is_not_taken_as_finished(site, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(site, out, jobs=1, today=TODAY, search_now=False)
    ran = []
    real = builder.build._build
    monkeypatch.setattr(builder.build, "_build", lambda *args, **kwargs: ran.append(1) or real(*args, **kwargs))
    build(site, out, jobs=1, today=TODAY)
    assert ran


def _touch(path, text):
    """Write path and give it a time well in the past (so it is not "racy"), but a new one."""
    known = path.stat().st_mtime_ns if path.exists() else 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(1, max(known + 10**9, path.stat().st_mtime_ns - 1800 * 10**9)))


@pytest.mark.parametrize("where", ["content/pages/faq.md", "templates/letter.html", "site.toml",
                                   "content/files/new.pdf", "content/glossary.yml"])
def test_every_input_is_in_the_stamp(site, where):
    before = inputs_stamp(site, ("settings",))
    assert before is not None and inputs_stamp(site, ("settings",)) == before
    assert inputs_stamp(site, ("other settings",)) != before
    path = site / where
    _touch(path, (path.read_text(encoding="utf-8") if path.exists() else "") + "\n")
    assert inputs_stamp(site, ("settings",)) not in (before, None)


def test_files_the_builder_never_reads_are_not_in_the_stamp(site):
    before = inputs_stamp(site, ("settings",))
    assert before is not None
    _touch(site / "content/pages/.faq.md.swp", "an editor's swap file")
    _touch(site / "notes.txt", "beside the site, not in it")
    assert inputs_stamp(site, ("settings",)) == before


def test_a_file_changed_just_now_is_not_trusted_by_its_time(site, tmp_path, monkeypatch):
    path = site / "content/pages/faq.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    assert inputs_stamp(site, ("settings",)) is None
    out = tmp_path / "out"
    build(site, out, jobs=1, today=TODAY)
    ran = []
    real = builder.build._build
    monkeypatch.setattr(builder.build, "_build", lambda *args, **kwargs: ran.append(1) or real(*args, **kwargs))
    build(site, out, jobs=1, today=TODAY)
    assert ran  # the pipeline decides, page by page, what the change means
