"""What a rendering reads of the site (builder/incremental/reads.py), recorded as it reads it."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from builder.content.model import Page
from builder.incremental.reads import Reads, Recorder, RecordingIndex, answer
from types import SimpleNamespace
from builder.site.index import build_index


def _page(slug: str, kind: str = "page", **fields) -> Page:
    return Page(source=f"content/pages/{slug}.md", kind=kind, slug=slug, url=f"/{slug}/", title=slug.title(),
                body="", **fields)


def _index(*pages):
    config = SimpleNamespace(timeline_order="oldest")  # all the index reads of site.toml
    return build_index(list(pages), config, dt.date(2025, 6, 1), {}, [])[0]


def test_lookups_are_recorded_as_questions_the_new_index_can_answer():
    index = _index(_page("about"), _page("help"))
    recorder = Recorder()
    recording = RecordingIndex(index, recorder)
    recorder.reads = Reads()
    assert [p.slug for p in recording.kind("page")] == ["about", "help"]
    assert recording.reports.get("nothing", ()) == ()
    queries, shown = recorder.reads.frozen()
    assert queries == (("call", "kind", ("page",)), ("item", "reports", "nothing"))
    changed = _index(_page("about"))
    assert [p.slug for p in answer(changed, queries[0])] == ["about"]


def test_only_fields_beyond_the_card_count_as_showing_the_page():
    page = _page("about", author="Jo")
    recorder = Recorder()
    recorder.page_field(page, "title")  # nothing recording yet: ignored
    recorder.reads = Reads()
    recorder.page_field(page, "title")
    assert recorder.reads.shown == set()
    recorder.page_field(page, "author")
    assert recorder.reads.shown == {"content/pages/about.md"}
