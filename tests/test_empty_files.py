"""An empty file (a PDF cut short by a failed copy or upload) is a content error, at the line
of each page that links to it, or naming the file itself when no page does."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.build import build
from builder.errors import BuildFailed
from tests.conftest import write_site

PAGE = "content/updates/2022-01-01-plans.md"
FRONT = "---\ntitle: Plans\ndate: 2022-01-01\n"


def _errors(site: Path) -> list:
    with pytest.raises(BuildFailed) as failed:
        build(site, jobs=1)
    assert not (site / "output").exists()
    return sorted(failed.value.errors, key=lambda error: (error.path, error.line or 0))


@pytest.mark.parametrize("front, body, line", [
    ("attachments:\n  - title: The plan\n    file: files/plan.pdf\n", "Read it.\n", 6),  # block style
    ("attachments: [{title: The plan, file: files/plan.pdf}]\n", "Read it.\n", 4),  # flow style
    ("", "Intro.\n\nRead [the plan](files/plan.pdf).\n", 7),  # a Markdown link
    ("", 'Intro.\n\n<a href="files/plan.pdf">The plan</a>\n', 7),  # raw HTML
])
def test_an_empty_attachment_names_the_page_and_line(tmp_path, front, body, line):
    site = write_site(tmp_path / "site", {PAGE: f"{FRONT}{front}---\n{body}", "content/updates/files/plan.pdf": b""})
    (error,) = _errors(site)
    assert (error.path, error.line) == (PAGE, line), error
    assert 'the file "updates/files/plan.pdf" is empty (0 bytes)' in error.message
    assert "copy the file again" in error.hint


def test_every_page_linking_an_empty_file_is_told(tmp_path):
    other = "content/letters/2022-02-01-hello.md"
    site = write_site(tmp_path / "site", {
        PAGE: f"{FRONT}---\nSee [the plan](files/plan.pdf).\n",
        other: "---\ntitle: Hello\ndate: 2022-02-01\nauthor: Jo\n---\nHello.\n\nThe [plan](../updates/files/plan.pdf).\n",
        "content/updates/files/plan.pdf": b""})
    assert [(e.path, e.line) for e in _errors(site)] == [(other, 8), (PAGE, 5)]


def test_an_empty_file_no_page_links_names_the_file(tmp_path):
    site = write_site(tmp_path / "site", {PAGE: f"{FRONT}---\nHello.\n", "content/files/minutes.docx": b""})
    (error,) = _errors(site)
    assert (error.path, error.line) == ("content/files/minutes.docx", None) and "is empty (0 bytes)" in error.message
    assert "or delete it" in error.hint


@pytest.mark.parametrize("name", ["chart.png", "map.svg"])
def test_an_empty_image_a_page_shows_is_one_error_at_its_line(tmp_path, name):
    site = write_site(tmp_path / "site", {PAGE: f"{FRONT}---\nIntro.\n\n![A chart](files/{name})\n",
                                          f"content/updates/files/{name}": b""})
    (error,) = _errors(site)
    assert (error.path, error.line) == (PAGE, 7) and "is empty (0 bytes)" in error.message


def test_a_file_with_something_in_it_is_published(tmp_path):
    site = write_site(tmp_path / "site", {PAGE: f"{FRONT}---\nRead [the plan](files/plan.pdf).\n",
                                          "content/updates/files/plan.pdf": b"%PDF-1.4\n"})
    build(site, jobs=1)
    assert (site / "output/updates/files/plan.pdf").read_bytes() == b"%PDF-1.4\n"
