"""The build cache renders an output again when anything it read changed, with no key written
by hand: its context (builder.incremental.keys.Values), the pages a template read beyond their
card, and what it looked up in the site index (builder.incremental.reads)."""

from __future__ import annotations

import datetime as dt
import shutil

from builder.build import build
from builder.incremental.memo import Memo
from builder.render import outputs
from builder.render.plan.common import Output
from tests.conftest import tree_bytes

TODAY = dt.date(2025, 6, 1)


def _letter(author: str) -> str:
    return (f"---\ntitle: Spring letter\ndate: 2020-03-01\nsummary: About spring.\nauthor: {author}\n---\n"
            "We wrote to you.\n")


def _same_as_clean(site, out, tmp_path) -> dict[str, bytes]:
    """The incremental build's output, checked against a clean build of the same site."""
    build(site, out, jobs=1, today=TODAY)
    clean = tmp_path / "clean"
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns(".cache", "output"))
    build(clean, tmp_path / "clean-out", jobs=1, today=TODAY, use_cache=False)
    made = tree_bytes(out)
    assert made == tree_bytes(tmp_path / "clean-out")
    return made


def test_a_value_added_to_a_context_is_rendered_again_when_it_changes(make_site, tmp_path, monkeypatch):
    # A planner whose output's context holds a value nothing else names: before, its Output
    # needed a key= listing it, or the page kept showing the old value.
    shown = {"value": "first"}

    def plan_extra(index, plan):
        return [Output("extra/index.html", "extra.html", {"value": shown["value"]})]

    monkeypatch.setattr(outputs, "PLANNERS", (*outputs.PLANNERS, plan_extra))
    site = make_site({"content/letters/2020-03-01-spring.md": _letter("Jo Example"),
                      "templates/extra.html": "<p>{{ value }}</p>\n"})
    out = tmp_path / "out"
    build(site, out, jobs=1, today=TODAY)
    assert (out / "extra/index.html").read_text(encoding="utf-8") == "<p>first</p>\n"
    shown["value"] = "second"
    made = _same_as_clean(site, out, tmp_path)
    assert made["extra/index.html"] == b"<p>second</p>\n"


def test_a_list_that_shows_more_of_a_page_than_its_card_follows_that_field(make_site, tmp_path):
    # The author is not on a page's card: a list's own template that shows it reads it, and
    # that reading is what brings the list up to date.
    site = make_site({"content/letters/2020-03-01-spring.md": _letter("Jo Example"),
                      "templates/list.html": "{% for item in items %}<p>{{ item.title }} by {{ item.author }}</p>"
                                             "{% endfor %}\n"})
    out = tmp_path / "out"
    build(site, out, jobs=1, today=TODAY)
    assert b"by Jo Example" in (out / "letters/index.html").read_bytes()
    (site / "content/letters/2020-03-01-spring.md").write_text(_letter("Sam Example"), encoding="utf-8")
    made = _same_as_clean(site, out, tmp_path)
    assert b"by Sam Example" in made["letters/index.html"]


def test_what_a_rendering_read_answers_the_same_next_time_when_nothing_changed(make_site, tmp_path):
    # The record kept in memory, as `serve` keeps it: every output goes through the render
    # step's check (no whole-site shortcut), and none may be rendered again.
    site = make_site({"content/letters/2020-03-01-spring.md": _letter("Jo Example"),
                      "content/commitments/plans.md": "---\ntitle: Plans on time\nsource: 2019-01-review\n---\nWe promised.\n",
                      "content/timeline/2019-01-review.md": "---\ntitle: Review\ndate: 2019-01\nevent: review\n---\nThey looked.\n"})
    out, memo = tmp_path / "out", Memo(site / ".cache" / "localoffer")
    first = build(site, out, jobs=1, today=TODAY, memo=memo)
    again = build(site, out, jobs=1, today=TODAY, memo=memo)
    assert first.rendered > 0 and again.rendered == 0
