"""A source's stamp (builder/incremental/keys.py) after a fresh checkout, which gives every
file a new time: the same bytes are not read and converted again; other bytes always are."""

import os
import pickle
import shutil

import pytest

from builder.build import build
from builder.incremental.keys import source_stamp
from tests.conftest import FIXTURES, tree_bytes


@pytest.fixture
def site(tmp_path):
    target = tmp_path / "site"
    shutil.copytree(FIXTURES / "full", target)
    return target


def checkout(site, later_ns=10**12):
    """Every file gets a new time, as `git clone` or actions/checkout give it."""
    for path in site.rglob("*"):
        if path.is_file():
            stamp = path.stat().st_mtime_ns + later_ns
            os.utime(path, ns=(stamp, stamp))


def test_a_fresh_checkout_of_the_same_files_reads_no_page_again(site, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(site, out, jobs=1)
    checkout(site)
    from builder.content import markdown_render

    def refuse(*args, **kwargs):
        raise AssertionError("Markdown was converted again")

    monkeypatch.setattr(markdown_render.MarkdownRenderer, "render", refuse)
    report = build(site, out, jobs=1)
    assert report.rendered == 0


def test_a_fresh_checkout_with_an_edit_of_the_same_size_builds_the_edit(site, tmp_path):
    out = tmp_path / "out"
    build(site, out, jobs=1)
    letter = site / "content/letters/2019-05-10-spring-letter.md"
    text = letter.read_text(encoding="utf-8")
    assert "more staff" in text
    letter.write_text(text.replace("more staff", "mere staff"), encoding="utf-8")  # same size, other bytes
    checkout(site)
    build(site, out, jobs=1)
    clean = tmp_path / "clean"
    build(site, clean, use_cache=False, jobs=1)
    assert tree_bytes(out) == tree_bytes(clean)
    assert b"mere staff" in (out / "letters/2019-05-10-spring-letter/index.html").read_bytes()


def test_a_stamp_never_takes_the_bytes_of_a_later_change(tmp_path):
    page = tmp_path / "a.md"
    page.write_text("one", encoding="utf-8")
    before = source_stamp(tmp_path, "a.md")
    page.write_text("two", encoding="utf-8")  # same size, written after the stamp was taken
    later = page.stat().st_mtime_ns + 10**9
    os.utime(page, ns=(later, later))
    saved = pickle.loads(pickle.dumps(before))  # as the record keeps it
    assert saved.content() is None and saved != source_stamp(tmp_path, "a.md")
    page.write_text("one", encoding="utf-8")
    again = source_stamp(tmp_path, "a.md")
    assert pickle.loads(pickle.dumps(again)) == source_stamp(tmp_path, "a.md")
    checkout(tmp_path)
    assert pickle.loads(pickle.dumps(again)) == source_stamp(tmp_path, "a.md"), "same bytes at another time"
