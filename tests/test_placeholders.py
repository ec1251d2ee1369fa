"""`localoffer new`'s example text left in a file: a warning in check while it is a draft,
a failure once it is not (builder/commands/placeholders.py)."""

import datetime as dt

import pytest

from builder.commands.new import TEMPLATES, create
from builder.commands.placeholders import placeholder_problems
from tests.conftest import run_cli

TODAY = dt.date(2026, 5, 4)


def _new(site, kind, draft=True):
    path = create(site, kind, "Our progress in May", TODAY)
    if not draft:
        path.write_text(path.read_text(encoding="utf-8").replace("draft: true", "draft: false"), encoding="utf-8")
    return path.relative_to(site).as_posix(), path.read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_every_kind_fresh_from_new_has_its_example_text_found(tmp_path, kind):
    rel, text = _new(tmp_path, kind)
    warnings, failures = placeholder_problems(rel, text)
    assert failures == [] and warnings, "a draft only warns"
    assert any("example line" in w.message for w in warnings)  # the instruction where the text goes
    assert all(w.path == rel and w.line for w in warnings)


def test_a_letter_names_each_placeholder_with_its_line(tmp_path):
    rel, text = _new(tmp_path, "letter")
    lines = text.split("\n")
    warnings, _ = placeholder_problems(rel, text)
    found = {w.message: w.line for w in warnings}
    assert found['author: still has the example text "Your Name"'] == lines.index('author: "Your Name"') + 1
    assert found['role: still has the example text "Your job title"'] == lines.index('role: "Your job title"') + 1
    assert found['the heading "What we have done" has nothing under it'] == lines.index("## What we have done") + 1
    assert 'the heading "What happens next" has nothing under it' in found


def test_not_a_draft_makes_them_failures_that_say_it_would_be_published(tmp_path):
    rel, text = _new(tmp_path, "letter", draft=False)
    warnings, failures = placeholder_problems(rel, text)
    assert warnings == [] and len(failures) == 6
    assert all("would be published" in f.hint for f in failures)


def test_a_filled_in_letter_has_none(tmp_path):
    rel, text = _new(tmp_path, "letter", draft=False)
    text = (text.replace("Your Name", "Sam Patel").replace("Your job title", "Director of Education")
            .replace("One sentence saying what this is about, in plain words.", "What changed in May.")
            .replace("Write the letter here, in short paragraphs. The greeting and signature are added for you.",
                     "We have made progress.")
            .replace("## What we have done\n", "## What we have done\n\nWe hired two caseworkers.\n")
            .replace("## What happens next\n", "## What happens next\n\n### In June\n\nA review.\n"))
    assert placeholder_problems(rel, text) == ([], [])


def test_headings_in_code_and_headings_with_subheadings_are_not_empty():
    text = "---\ntitle: T\n---\n## Part\n\n### Sub\n\nText.\n\n```\n## not a heading\n```\n"
    assert placeholder_problems("content/pages/t.md", text) == ([], [])
    warnings, _ = placeholder_problems("content/pages/t.md", "---\ntitle: T\ndraft: true\n---\nText.\n\n## Last\n")
    assert [(w.message, w.line) for w in warnings] == [('the heading "Last" has nothing under it', 7)]


def test_check_warns_for_a_draft_and_fails_for_a_published_page_with_one_warning_worded_singly(make_site):
    site = make_site({})
    # The council's own help links, so that the only warnings are the example text's.
    with (site / "site.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[help]\ncomplaints = "https://www.example.org/complaints/"\n'
                   'sendiass = "https://www.example.org/sendiass/"\n')
    create(site, "news", "Our progress in May", TODAY)
    done = run_cli("check", site)
    assert done.returncode == 0, done.stderr
    assert "No problems found (2 warnings)." in done.stdout  # summary and example line
    assert 'still has the example line "Write the news here."' in done.stderr

    news = site / "content/news/2026-05-04-our-progress-in-may.md"
    news.write_text(news.read_text().replace("Write the news here.", "We opened a new centre.")
                    .replace('"One sentence saying what this is about, in plain words."', '"A new centre."'))
    (site / "content/news/2026-05-05-second.md").write_text(
        "---\ntitle: Second\ndate: 2026-05-05\nsummary: S.\ndraft: true\n---\nText.\n\n## Empty\n")
    done = run_cli("check", site)
    assert done.returncode == 0 and "No problems found (1 warning)." in done.stdout, (done.stdout, done.stderr)

    news.write_text(news.read_text().replace("draft: true", "draft: false").replace("We opened a new centre.", "Write the news here."))
    done = run_cli("check", site)
    assert done.returncode == 1
    assert "content/news/2026-05-04-our-progress-in-may.md" in done.stderr and "would be published" in done.stderr
