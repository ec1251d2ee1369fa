"""Links copied from an address bar: the preview's own address, and site addresses that go
nowhere, are build errors naming the content file and line (builder/site/site_links.py)."""

import pytest

from builder.build import build
from builder.errors import BuildFailed
from tests.conftest import LETTER

UPDATE = """---
title: Our progress
date: 2024-05-01
summary: What we did.
---
Intro.

{line}
"""


def _site(make_site, line, config=None):
    files = {"content/letters/2024-01-01-a.md": LETTER.format(title="A", date="2024-01-01"),
             "content/updates/2024-05-01-progress.md": UPDATE.format(line=line),
             "content/updates/files/plan.pdf": b"%PDF-1.4\n"}
    return make_site(files, **({"config": config} if config else {}))


def _errors(site, tmp_path):
    with pytest.raises(BuildFailed) as failure:
        build(site, tmp_path / "out", use_cache=False, jobs=1)
    assert not (tmp_path / "out").exists(), "a failed build publishes nothing"
    return failure.value.errors


@pytest.mark.parametrize("address", [
    "http://127.0.0.1:8000/letters/2024-01-01-a/",
    "http://localhost:8000/letters/2024-01-01-a/",
    "https://localhost/",
    "http://127.0.0.1:8001",
])
def test_a_link_to_the_preview_on_this_computer_is_an_error(make_site, tmp_path, address):
    site = _site(make_site, f"See [the letter]({address}).")
    errors = _errors(site, tmp_path)
    assert len(errors) == 1
    error = errors[0]
    assert (error.path, error.line) == ("content/updates/2024-05-01-progress.md", 8)
    assert "preview on your own computer" in error.message and address in error.message


@pytest.mark.parametrize("address", ["/updates/no-such-update/", "/letters/2024-01-01-b/", "/updates/files/nope.pdf"])
def test_a_site_address_that_no_page_has_is_an_error_naming_the_content_file(make_site, tmp_path, address):
    site = _site(make_site, f"Read [the update]({address}) again.")
    errors = _errors(site, tmp_path)
    assert [(e.path, e.line) for e in errors] == [("content/updates/2024-05-01-progress.md", 8)]
    assert address in errors[0].message and "does not have" in errors[0].message


def test_site_addresses_that_exist_build(make_site, tmp_path):
    # a page, a page without its last /, a list page, a topic-free section, a file, a feed
    line = ("[a](/letters/2024-01-01-a/) [b](/letters/2024-01-01-a) [c](/letters/) [d](/updates/files/plan.pdf) "
            "[e](/feed.xml) [f](/) [g](/search/) [h](https://www.example.org/updates/nothing/)")
    build(_site(make_site, line), tmp_path / "out", use_cache=False, jobs=1)
    assert (tmp_path / "out/updates/2024-05-01-progress/index.html").is_file()


def test_a_sub_folder_site_checks_addresses_under_its_folder(make_site, tmp_path):
    config = 'title = "T"\nbase_url = "https://council.example/send/"\norganisation = "C"\n'
    build(_site(make_site, "[a](/send/letters/2024-01-01-a/)", config), tmp_path / "good", use_cache=False, jobs=1)
    site = _site(make_site, "[a](/send/letters/missing/)", config)
    site.rename(tmp_path / "bad")
    assert "/send/letters/missing/" in _errors(tmp_path / "bad", tmp_path)[0].message


def test_a_fixed_link_builds_again_with_the_cache(make_site, tmp_path):
    """The record keeps each page's site addresses; the check still runs against every build."""
    site = _site(make_site, "[a](/letters/2024-01-01-a/)")
    build(site, tmp_path / "out", jobs=1)
    (site / "content/letters/2024-01-01-a.md").rename(site / "content/letters/2024-01-01-renamed.md")
    with pytest.raises(BuildFailed) as failure:  # the update did not change, the page it names went
        build(site, tmp_path / "out", jobs=1)
    assert failure.value.errors[0].path == "content/updates/2024-05-01-progress.md"
    (site / "content/letters/2024-01-01-renamed.md").rename(site / "content/letters/2024-01-01-a.md")
    build(site, tmp_path / "out", jobs=1)
