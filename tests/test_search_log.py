"""The search index as a settled index plus a recent one (builder/render/search_log.py)."""

import json

from builder.build import build
from builder.render.search_log import manifest, plan, recent_limit
from tests.conftest import write_site


def test_a_few_changes_go_to_the_recent_index_and_many_merge_everything():
    settled = {f"/u{n}/": [f"k{n}", f"en_{n}"] for n in range(100)}
    entries = {url: key for url, (key, _) in settled.items()}
    assert plan(entries, None) == (True, set())  # no settled index yet
    assert plan(entries, settled) == (False, set())
    edited = entries | {"/u3/": "new", "/u200/": "added"}
    assert plan(edited, settled) == (False, {"/u3/", "/u200/"})
    many = entries | {f"/u{n}/": "new" for n in range(recent_limit(100) + 1)}
    assert plan(many, settled) == (True, set())
    fewer = {url: key for url, key in entries.items() if url not in {f"/u{n}/" for n in range(30)}}
    assert plan(fewer, settled) == (True, set())  # deletions count too
    unknown = settled | {"/u3/": ["k3", None]}  # a page whose result could not be named
    assert plan(edited, unknown) == (True, set())


def test_the_manifest_drops_old_and_deleted_pages_and_names_a_shared_id():
    settled = {"/a/": ["ka", "en_1"], "/b/": ["kb", "en_2"], "/c/": ["kc", "en_3"]}
    entries = {"/a/": "ka", "/b/": "kb2", "/d/": "kd"}  # /b/ changed, /c/ deleted, /d/ new
    recent = {"/b/": ["kb2", "en_9"], "/d/": ["kd", "en_3"]}  # /d/'s id happens to be the deleted /c/'s
    assert manifest(entries, settled, recent) == {"merge": ["1/"], "superseded": ["en_2", "en_3"],
                                                  "shared": {"en_3": "/d/"}}
    assert manifest({"/a/": "ka"}, {"/a/": ["ka", "en_1"]}, {}) == {"merge": [], "superseded": [], "shared": {}}


def _page(n: int, words: str) -> str:
    return f"---\ntitle: Update {n}\ndate: 2020-01-01\nsummary: Number {n}.\n---\n{words}\n"


def test_an_edit_reindexes_only_the_recent_pages_until_they_are_merged(tmp_path):
    site = write_site(tmp_path / "site", {f"content/updates/2020-01-01-u{n}.md": _page(n, f"Words {n}.")
                                          for n in range(40)})
    out = tmp_path / "out"
    build(site, out, jobs=1)
    record = next(site.rglob("settled/.pages.json"))
    first = record.stat().st_mtime_ns
    assert len(json.loads(record.read_text())) == 40
    (site / "content/updates/2020-01-01-u5.md").write_text(_page(5, "Edited."), encoding="utf-8")
    build(site, out, jobs=1)
    assert record.stat().st_mtime_ns == first  # the settled index was left alone
    assert list(json.loads(next(site.rglob("recent/.pages.json")).read_text())) == ["/updates/2020-01-01-u5/"]
    layout = json.loads((out / "pagefind/search.json").read_text())
    assert layout["merge"] == ["1/"] and len(layout["superseded"]) == 1
    assert (out / "pagefind/1/pagefind-entry.json").is_file()
    for n in range(recent_limit(40) + 1):  # past the limit: one new settled index, no recent one
        (site / f"content/updates/2020-01-01-u{n}.md").write_text(_page(n, "Edited again."), encoding="utf-8")
    build(site, out, jobs=1)
    assert record.stat().st_mtime_ns != first
    assert json.loads((out / "pagefind/search.json").read_text()) == {"merge": [], "superseded": [], "shared": {}}
    assert not (out / "pagefind/1").exists() and not list(site.rglob("recent/.pages.json"))
