"""The record on disk (builder/incremental/record_file.py): parts rewritten only where they
changed, and a save cut short leaves the record as it was."""

import os

import pytest

from builder.incremental import record_file
from builder.incremental.record_file import PARTS, bucket

HEADER = ("format", "fingerprint", "/out")


def steps(n=200, edited=None):
    pages = {f"content/p{i}.md": (f"key{i}", f"page {i}") for i in range(n)}
    if edited:
        pages[edited] = ("new key", "edited")
    return {"page": pages, "render": {f"p{i}/index.html": (i, f"sha{i}") for i in range(n)}}


def test_what_is_written_is_read_back(tmp_path):
    parts = record_file.write(tmp_path, HEADER, steps(), set(), {})
    header, read, known = record_file.read(tmp_path)
    assert (header, read, known) == (HEADER, steps(), parts)
    assert record_file.read_header(tmp_path) == HEADER


def test_one_changed_entry_rewrites_one_part(tmp_path):
    first = record_file.write(tmp_path, HEADER, steps(), set(), {})
    second = record_file.write(tmp_path, HEADER, steps(edited="content/p7.md"),
                               {("page", bucket("content/p7.md"))}, first)
    assert {part for part in first if first[part] != second[part]} == {("page", bucket("content/p7.md"))}
    assert record_file.read(tmp_path)[1] == steps(edited="content/p7.md")
    assert sorted(os.listdir(tmp_path / PARTS)) == sorted(second.values())  # the replaced part is gone


def test_a_save_cut_short_leaves_the_last_record(tmp_path, monkeypatch):
    first = record_file.write(tmp_path, HEADER, steps(), set(), {})

    def killed(*args):
        raise KeyboardInterrupt
    monkeypatch.setattr(record_file.os, "replace", killed)  # the moment before the header is swapped
    with pytest.raises(KeyboardInterrupt):
        record_file.write(tmp_path, HEADER, steps(edited="content/p7.md"), {("page", bucket("content/p7.md"))}, first)
    monkeypatch.undo()
    assert record_file.read(tmp_path)[1] == steps()


def test_a_step_no_longer_made_drops_out(tmp_path):
    first = record_file.write(tmp_path, HEADER, steps(), set(), {})
    only_pages = {"page": steps()["page"]}
    record_file.write(tmp_path, HEADER, only_pages, set(), first)
    assert record_file.read(tmp_path)[1] == only_pages
