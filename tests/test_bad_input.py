"""Broken content, one case per row: the build must fail with a clear, located message and
leave the previously published output folder exactly as it was.

Every case starts from the same valid site that has already been built once into output/
(built a single time per module, then copied, to keep the suite fast), breaks one thing and
runs the real CLI.
"""

from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import LETTER, png_bytes, run_cli, tree_bytes, write_site

# --- the valid site every case starts from -----------------------------------------------

EVENT = """---
title: The revisit
date: 2019-01
event: revisit
by: [Ofsted, CQC]
---
## What happened

Inspectors came back.
"""

COMMITMENT = """---
title: Plans on time
source: 2019-01-revisit
status:
  - {date: 2022-01, status: in progress, note: "Started."}
---
We will finish plans on time.
"""

UPDATE = """---
title: February update
date: 2022-02-01
summary: What we did.
commitments: [plans-on-time]
---
See [the revisit](../timeline/2019-01-revisit.md#what-happened).
"""

PAGE = """---
title: Questions
summary: Answers.
---
Some answers.
"""

VALID_FILES: dict[str, str | bytes] = {
    "content/letters/2022-01-10-january.md": LETTER.format(title="January letter", date="2022-01-10"),
    "content/timeline/2019-01-revisit.md": EVENT,
    "content/commitments/plans-on-time.md": COMMITMENT,
    "content/updates/2022-02-01-february.md": UPDATE,
    "content/updates/files/plan.txt": "The plan.\n",
    "content/pages/questions.md": PAGE,
    "content/glossary.yml": 'EHCP: "Education, Health and Care Plan"\n',
}


def letter(**fields: str) -> str:
    """A letter whose front matter is exactly the given fields (in order), then a body."""
    base = {"title": "A letter", "date": "2022-03-01", "author": "Jane Example"}
    base.update(fields)
    lines = [f"{k}: {v}" for k, v in base.items() if v is not None]
    return "---\n" + "\n".join(lines) + "\n---\nHello.\n"


@dataclass
class Case:
    id: str
    files: dict[str, str | bytes | None]  # path -> new text/bytes, or None to delete
    path: str  # the file the message must name, relative to the site
    phrase: str | tuple[str, ...]  # must appear in stderr, case-insensitive
    line: int | None = None  # when given, stderr must contain f"{path}:{line}:"
    config: str | None = None  # replacement site.toml
    also: tuple[str, ...] = ()  # other texts that must appear in stderr (e.g. the other file)
    bug: str = ""  # when set: a known builder bug, the case is xfail(strict=True) with this reason
    marks: list = field(default_factory=list)


L = "content/letters/bad.md"
CASES = [
    # --- front matter that cannot be read ---
    Case("yaml-unclosed-quote", {L: '---\ntitle: "unclosed\ndate: 2022-03-01\nauthor: Jane\n---\nHello.\n'},
         L, "front matter cannot be read", line=2),
    Case("yaml-bad-indentation", {L: "---\ntitle: Hi\ndate: 2022-03-01\nauthor: Jane\n  role: Head\n---\nHello.\n"},
         L, "front matter cannot be read", line=5),
    Case("yaml-bad-list-indentation", {L: "---\ntitle: Hi\ndate: 2022-03-01\nauthor: Jane\ntags:\n  - a\n - b\n---\n"},
         L, "front matter cannot be read", line=7),
    Case("front-matter-is-a-list", {L: "---\n- title: Hi\n- date: 2022-03-01\n---\nHello.\n"},
         L, ("set of fields", "not a list"), line=2),
    Case("empty-file", {L: ""}, L, "empty"),
    Case("whitespace-only-file", {L: "\n\n   \n"}, L, "empty"),
    Case("no-front-matter", {L: "# A letter\n\nHello.\n"}, L, "does not start with front matter", line=1),
    Case("front-matter-not-closed", {L: "---\ntitle: Hi\ndate: 2022-03-01\nauthor: Jane\nHello.\n"},
         L, "not closed"),
    Case("not-utf8", {L: "---\ntitle: Café\ndate: 2022-03-01\nauthor: Jane\n---\nHello.\n".encode("latin-1")},
         L, "utf-8", line=2),
    # --- title ---
    Case("missing-title", {L: letter(title=None)}, L, 'required field "title" is missing'),
    Case("empty-title", {L: letter(title='""')}, L, "title", line=2),
    Case("blank-title", {L: letter(title="")}, L, "title", line=2),
    Case("title-is-a-list", {L: letter(title="[a, b]")}, L, ("must be text", "a list"), line=2),
    Case("title-is-a-number", {L: letter(title="2022")}, L, ("must be text", "number 2022"), line=2),
    # --- dates ---
    Case("letter-missing-date", {L: letter(date=None)}, L, 'required field "date" is missing'),
    Case("date-day-first", {L: letter(date="31/02/2022")}, L, ("is not a date", "2022-02-28"), line=3),
    Case("impossible-date", {L: letter(date="2022-02-30")}, L, ("does not exist", "2022-02-28"), line=3),
    Case("month-only-on-letter", {L: letter(date="2022-03")}, L, "needs a day", line=3),
    Case("month-13", {L: letter(date="2022-13-01")}, L, "no month 13", line=3),
    Case("event-month-13", {"content/timeline/2019-13-bad.md": "---\ntitle: Bad\ndate: 2019-13\nevent: review\n---\n"},
         "content/timeline/2019-13-bad.md", "no month 13", line=3),
    # --- schema ---
    Case("unknown-event-type", {"content/timeline/2020-01-bad.md": "---\ntitle: Bad\ndate: 2020-01\nevent: inspecton\n---\n"},
         "content/timeline/2020-01-bad.md", 'did you mean "inspection"', line=4),
    Case("unknown-field", {L: "---\ntitel: Hi\ntitle: Hi\ndate: 2022-03-01\nauthor: Jane\n---\nHello.\n"},
         L, ('unknown field "titel"', 'did you mean "title"'), line=2),
    Case("draft-maybe", {L: letter(draft="maybe")}, L, ("draft", "true or false"), line=5),
    Case("letter-missing-author", {L: letter(author=None)}, L, 'required field "author" is missing'),
    Case("invalid-status", {"content/commitments/plans-on-time.md": COMMITMENT.replace("in progress", "finished")},
         "content/commitments/plans-on-time.md", ('cannot be "finished"', "in progress"), line=4),
    Case("unknown-template", {L: letter(template="lettr.html")}, L, ('no template called "lettr.html"', 'did you mean "letter.html"'),
         line=5),
    # --- references between pages ---
    Case("commitment-unknown-source", {"content/commitments/plans-on-time.md": COMMITMENT.replace("2019-01-revisit", "2019-01-revisti")},
         "content/commitments/plans-on-time.md", ('"2019-01-revisti"', "not a timeline event", 'did you mean "2019-01-revisit"'),
         line=3),
    Case("unknown-commitment", {"content/updates/2022-02-01-february.md": UPDATE.replace("[plans-on-time]", "[plans-on-tim]")},
         "content/updates/2022-02-01-february.md", ('"plans-on-tim"', "not a commitment", 'did you mean "plans-on-time"'),
         line=5),
    Case("duplicate-urls", {"content/updates/2022-03-01-one.md": "---\ntitle: One\ndate: 2022-03-01\nslug: same\n---\n",
                            "content/updates/2022-04-01-two.md": "---\ntitle: Two\ndate: 2022-04-01\nslug: same\n---\n"},
         "content/updates/2022-04-01-two.md", "same web address", also=("content/updates/2022-03-01-one.md", "/updates/same/")),
    Case("page-slug-clashes-with-section", {"content/pages/timeline.md": "---\ntitle: Timeline page\n---\nHi\n"},
         "content/pages/timeline.md", ("/timeline/", "used by a page the site makes itself")),
    Case("page-slug-field-clashes-with-section", {"content/pages/about.md": "---\ntitle: About\nslug: search\n---\nHi\n"},
         "content/pages/about.md", ("/search/", "used by a page the site makes itself")),
    Case("unsafe-slug", {L: letter(slug="../../evil")}, L, ("slug", "../../evil"), line=5),
    # --- links and attachments ---
    Case("broken-internal-link", {L: letter() + "\nSee [x](../timeline/missing.md) for more.\n"},
         L, ("../timeline/missing.md", "does not exist"), line=8),
    Case("link-to-missing-heading", {L: letter() + "\n\nSee [x](../timeline/2019-01-revisit.md#nope).\n"},
         L, ("#nope", "does not have", "what-happened"), line=9),
    Case("link-outside-content", {L: letter() + "Read [settings](../../site.toml).\n"},
         L, ("../../site.toml", "outside the content folder"), line=7),
    Case("link-to-missing-file", {L: letter() + "Get [the plan](../updates/files/nothere.pdf).\n"},
         L, ("nothere.pdf", "does not exist"), line=7),
    Case("missing-attachment", {L: letter(attachments="[{title: Plan, file: files/nothere.pdf}]")},
         L, ("files/nothere.pdf", "not found"), line=5),
    Case("attachment-escapes-site", {L: letter(attachments="[{title: Secrets, file: ../../../etc/passwd}]")},
         L, ("../../../etc/passwd", "outside the content folder"), line=5),
    Case("image-without-alt", {"content/updates/chart.png": png_bytes(),
                               L: letter() + "\nIntro.\n\n![](../updates/chart.png)\n"},
         L, ("no text alternative", "chart.png"), line=10),
    # --- site-wide files ---
    Case("site-toml-syntax-error", {}, "site.toml", "cannot be read", line=2,
         config='base_url = "https://example.org/"\ntitle = "unclosed\norganisation = "X"\n'),
    Case("site-toml-unknown-key", {}, "site.toml", ('unknown field "titel"', 'did you mean "title"'), line=2,
         config='base_url = "https://example.org/"\ntitel = "Test site"\n'),
    Case("site-toml-bad-base-url", {}, "site.toml", ("base_url", "https://"), line=2,
         config='title = "Test site"\nbase_url = "example.org"\n'),
    Case("site-toml-not-utf8", {}, "site.toml", "utf-8",
         config='title = "Caf\xe9"\nbase_url = "https://example.org/"\n'),
    Case("glossary-is-a-list", {"content/glossary.yml": "- EHCP\n- SEND\n"}, "content/glossary.yml", "TERM: meaning"),
    Case("glossary-term-without-meaning", {"content/glossary.yml": 'EHCP: "Plan"\nSEND:\n'}, "content/glossary.yml",
         '"SEND" needs a meaning', line=2),
    Case("glossary-bad-yaml", {"content/glossary.yml": 'EHCP: "Plan\nSEND: x\n'}, "content/glossary.yml", "cannot be read",
         line=1),
    # --- odd file names and hostile YAML ---
    Case("file-name-without-latin-letters", {"content/letters/日本語.md": letter()}, "content/letters/日本語.md",
         "cannot make a web address"),
    Case("yaml-alias-bomb", {L: "---\ntitle: Hi\ndate: 2022-03-01\nauthor: Jane\n"
                                "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                                + "".join(f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefg", "bcdefgh"))
                                + "summary: *h\n---\nHello.\n"},
         L, ('unknown field "a"', '"summary" must be text'), line=5),
]


def _params():
    for case in CASES:
        marks = list(case.marks)
        if case.bug:
            marks.append(pytest.mark.xfail(strict=True, reason=case.bug))
        yield pytest.param(case, id=case.id, marks=marks)


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    """The valid site, built once into output/ (copied by each case)."""
    site = write_site(tmp_path_factory.mktemp("valid") / "site", VALID_FILES)
    result = run_cli("build", site, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture
def fresh_site(built_site, tmp_path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(built_site, site, symlinks=True)
    return site


def _apply(site: Path, files: dict[str, str | bytes | None], config: str | None) -> None:
    if config is not None:
        data = config.encode("latin-1") if "\xe9" in config else config.encode("utf-8")
        (site / "site.toml").write_bytes(data)
    for rel, text in files.items():
        path = site / rel
        if text is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


def assert_clean_failure(result, before: dict, site: Path) -> str:
    """Exit non-zero as a content error, no traceback, a hint, the output untouched."""
    everything = result.stdout + result.stderr
    assert result.returncode != 0, f"build should have failed:\n{everything}"
    assert "Traceback" not in everything, everything
    assert "unexpected problem" not in everything, everything  # the CLI's wrapper for builder bugs
    assert result.returncode == 1, everything  # 2 means a builder bug, not a content error
    assert str(site) not in result.stderr, "paths should be given relative to the site"
    assert "How to fix" in result.stderr, result.stderr
    assert tree_bytes(site / "output") == before, "the previous output/ was changed by a failed build"
    return result.stderr


@pytest.mark.parametrize("case", list(_params()))
def test_broken_content_fails_clearly_and_keeps_output(case: Case, fresh_site: Path):
    site = fresh_site
    before = tree_bytes(site / "output")
    assert before, "the valid site should have been built"
    _apply(site, case.files, case.config)

    result = run_cli("build", site, "--jobs", "1")

    stderr = assert_clean_failure(result, before, site)
    assert case.path in stderr, f"the message should name {case.path}:\n{stderr}"
    if case.line is not None:
        assert f"{case.path}:{case.line}:" in stderr, f"expected line {case.line}:\n{stderr}"
    phrases = (case.phrase,) if isinstance(case.phrase, str) else case.phrase
    for phrase in (*phrases, *case.also):
        assert phrase.lower() in stderr.lower(), f"expected {phrase!r} in:\n{stderr}"
    # Every numbered problem carries its own hint.
    problems = re.findall(r"^\d+\. ", stderr, flags=re.M)
    assert problems and len(re.findall(r"^    How to fix: \S", stderr, flags=re.M)) >= len(problems), stderr


def test_one_broken_file_is_one_problem(fresh_site: Path):
    """A mistake in the event must not be blamed on the pages that link to it or name it."""
    site = fresh_site
    before = tree_bytes(site / "output")
    _apply(site, {"content/timeline/2019-01-revisit.md": EVENT.replace("event: revisit", "event: revisti")}, None)
    result = run_cli("build", site, "--jobs", "1")
    stderr = assert_clean_failure(result, before, site)
    assert "content/timeline/2019-01-revisit.md:4:" in stderr and 'did you mean "revisit"' in stderr.lower()
    assert "1 problem to fix" in stderr, stderr


def test_check_command_reports_the_same_problem(fresh_site: Path):
    site = fresh_site
    before = tree_bytes(site / "output")
    _apply(site, {L: letter(date="31/02/2022")}, None)
    result = run_cli("check", site)
    stderr = assert_clean_failure(result, before, site)
    assert f"{L}:3:" in stderr and "2022-02-28" in stderr


def test_several_errors_in_different_files_are_reported_together(fresh_site: Path):
    site = fresh_site
    before = tree_bytes(site / "output")
    _apply(site, {
        "content/letters/a-bad.md": letter(date="2022-02-30"),
        "content/timeline/2020-01-bad.md": "---\ntitle: Bad\ndate: 2020-01\nevent: inspecton\n---\n",
        "content/updates/2022-05-01-bad-link.md": "---\ntitle: U\ndate: 2022-05-01\n---\nSee [x](missing.md).\n",
    }, None)
    result = run_cli("build", site, "--jobs", "1")
    stderr = assert_clean_failure(result, before, site)
    assert "3 problems" in stderr, stderr
    numbered = re.findall(r"^(\d+)\. (\S+?):", stderr, flags=re.M)
    assert [n for n, _ in numbered] == ["1", "2", "3"], stderr
    named = {path for _, path in numbered}
    assert named == {"content/letters/a-bad.md", "content/timeline/2020-01-bad.md",
                     "content/updates/2022-05-01-bad-link.md"}, stderr
    assert stderr.count("How to fix") == 3, stderr


def test_several_errors_in_one_file_are_all_reported(fresh_site: Path):
    site = fresh_site
    before = tree_bytes(site / "output")
    _apply(site, {L: "---\ntitel: Hi\ndate: 2022-02-30\n---\nHello.\n"}, None)
    result = run_cli("build", site, "--jobs", "1")
    stderr = assert_clean_failure(result, before, site)
    for phrase in ('unknown field "titel"', 'required field "title"', "does not exist", 'required field "author"'):
        assert phrase in stderr, stderr
    assert "1. " in stderr and "2. " in stderr


def test_errors_found_in_parallel_are_the_same_as_in_one_process(fresh_site: Path):
    """With enough files the pool is used; the report must not depend on --jobs."""
    site = fresh_site
    for number in range(70):
        _apply(site, {f"content/updates/2021-01-{number:03d}.md":
                      f"---\ntitle: U{number}\ndate: 2021-01-01\n---\nText.\n"}, None)
    _apply(site, {L: letter(date="2022-02-30"),
                  "content/updates/2021-01-050.md": "---\ntitle: U\ndate: 2021-01-01\nevent: x\n---\n"}, None)
    before = tree_bytes(site / "output")
    one = run_cli("build", site, "--jobs", "1", "--no-cache")
    many = run_cli("build", site, "--jobs", "4", "--no-cache")
    assert_clean_failure(one, before, site)
    assert_clean_failure(many, before, site)
    assert one.stderr == many.stderr


# --- input that looks odd but is fine ------------------------------------------------------

def _build_ok(site: Path, *extra: str):
    result = run_cli("build", site, "--jobs", "1", *extra)
    everything = result.stdout + result.stderr
    assert result.returncode == 0, everything
    assert "Traceback" not in everything
    return result


def test_utf8_bom_builds(fresh_site: Path):
    _apply(fresh_site, {L: b"\xef\xbb\xbf" + letter(title="With a BOM").encode()}, None)
    _build_ok(fresh_site)
    html = (fresh_site / "output/letters/bad/index.html").read_text(encoding="utf-8")
    assert "With a BOM" in html and "\ufeff" not in html


def test_crlf_line_endings_build(fresh_site: Path):
    text = letter(title="Windows file") + "\nA paragraph.\n\n## A heading\n\nMore.\n"
    _apply(fresh_site, {L: text.replace("\n", "\r\n").encode()}, None)
    _build_ok(fresh_site)
    html = (fresh_site / "output/letters/bad/index.html").read_text(encoding="utf-8")
    assert "Windows file" in html and "\r" not in html.split("<main", 1)[-1]
    assert 'id="a-heading"' in html


def test_crlf_errors_still_have_the_right_line(fresh_site: Path):
    before = tree_bytes(fresh_site / "output")
    _apply(fresh_site, {L: letter(date="2022-02-30").replace("\n", "\r\n").encode()}, None)
    result = run_cli("build", fresh_site, "--jobs", "1")
    assert f"{L}:3:" in assert_clean_failure(result, before, fresh_site)


def test_very_large_file_builds_in_reasonable_time(fresh_site: Path):
    paragraph = "The council has worked with families on plans and reviews. " * 10 + "\n\n"
    body = "".join(f"## Part {n}\n\n" + paragraph * 5 for n in range(700))
    text = letter(title="A long report") + body
    assert len(text.encode()) > 2_000_000
    _apply(fresh_site, {L: text}, None)
    started = time.monotonic()
    _build_ok(fresh_site)
    assert time.monotonic() - started < 60
    assert (fresh_site / "output/letters/bad/index.html").stat().st_size > 2_000_000


def test_unicode_file_name_gets_an_ascii_slug(fresh_site: Path):
    _apply(fresh_site, {"content/updates/café-update.md": "---\ntitle: Café news\ndate: 2022-03-01\n---\nHi\n"}, None)
    _build_ok(fresh_site)
    assert (fresh_site / "output/updates/cafe-update/index.html").is_file()


def test_single_tag_as_text_builds(fresh_site: Path):
    _apply(fresh_site, {L: letter(tags="Review")}, None)
    _build_ok(fresh_site)
    assert (fresh_site / "output/tags/review/index.html").is_file()


@pytest.mark.parametrize("written", ["2022-03-04", '"2022-03-04"', "'2022-03-04'"], ids=["unquoted", "double", "single"])
def test_dates_quoted_or_not(fresh_site: Path, written: str):
    _apply(fresh_site, {L: letter(date=written)}, None)
    _build_ok(fresh_site)
    html = (fresh_site / "output/letters/bad/index.html").read_text(encoding="utf-8")
    assert "4 March 2022" in html and 'datetime="2022-03-04"' in html


def test_future_letter_is_scheduled_not_published(fresh_site: Path):
    _apply(fresh_site, {L: letter(title="From the future", date="2099-01-01")}, None)
    result = _build_ok(fresh_site)
    assert not (fresh_site / "output/letters/bad").exists()
    assert "next scheduled publication: 1 January 2099" in result.stdout
    assert "From the future" not in (fresh_site / "output/letters/index.html").read_text(encoding="utf-8")
    assert "From the future" not in (fresh_site / "output/letters/feed.xml").read_text(encoding="utf-8")


def test_draft_is_left_out_unless_drafts(fresh_site: Path, tmp_path: Path):
    _apply(fresh_site, {L: letter(title="Work in progress", draft="true")}, None)
    _build_ok(fresh_site)
    assert not (fresh_site / "output/letters/bad").exists()
    assert "Work in progress" not in (fresh_site / "output/letters/index.html").read_text(encoding="utf-8")
    _build_ok(fresh_site, "--drafts", "--output", str(tmp_path / "with-drafts"))
    assert (tmp_path / "with-drafts/letters/bad/index.html").is_file()


def test_link_to_draft_is_refused_with_reason(fresh_site: Path):
    before = tree_bytes(fresh_site / "output")
    _apply(fresh_site, {"content/letters/draft.md": letter(draft="true"),
                        L: letter() + "See [the draft](draft.md).\n"}, None)
    result = run_cli("build", fresh_site, "--jobs", "1")
    stderr = assert_clean_failure(result, before, fresh_site)
    assert f"{L}:7:" in stderr and "a draft" in stderr
