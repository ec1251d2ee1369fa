from builder.site.links import LinkTargets, resolve
from builder.content.model import Heading, Page


def page(source, url, body="", headings=()):
    return Page(source=source, kind="update", slug=url.strip("/").split("/")[-1], url=url, title="T",
                body=body, body_line=5, headings=headings)


TARGET = page("content/timeline/2019-01-revisit.md", "/timeline/2019-01-revisit/",
              headings=(Heading(2, "findings", "Findings"),))
TARGETS = LinkTargets({TARGET.source: TARGET}, {"content/letters/draft.md": "a draft"},
                      frozenset({"content/updates/files/plan.pdf"}), "/")


def test_md_links_become_page_urls_and_files_become_paths():
    src = page("content/updates/a.md", "/updates/a/")
    html, errors = resolve(src, '<a href="../timeline/2019-01-revisit.md#findings">r</a> <a href="files/plan.pdf">p</a>', TARGETS)
    assert errors == []
    assert 'href="/timeline/2019-01-revisit/#findings"' in html
    assert 'href="/updates/files/plan.pdf"' in html


def test_broken_link_names_file_line_and_target():
    src = page("content/updates/a.md", "/updates/a/", body="Intro\n\nSee [x](../timeline/missing.md).\n")
    _, errors = resolve(src, '<a href="../timeline/missing.md">x</a>', TARGETS)
    assert len(errors) == 1
    assert errors[0].line == 7 and "content/timeline/missing.md" in errors[0].message


def test_missing_section_and_draft_and_escape():
    src = page("content/updates/a.md", "/updates/a/")
    _, errors = resolve(src, '<a href="../timeline/2019-01-revisit.md#nope">a</a><a href="../letters/draft.md">b</a>'
                             '<a href="../../site.toml">c</a>', TARGETS)
    messages = [e.message for e in errors]
    assert any('"#nope"' in m for m in messages)
    assert any("a draft" in m for m in messages)
    assert any("outside the content folder" in m for m in messages)
