"""`localoffer check` warns when an address the last build published has gone, and says
which aliases: line would keep old links working."""

import functools
import http.server
import threading

import pytest

from builder.build import build
from builder.commands.check import run_check
from tests.conftest import run_cli

PAGE = "---\ntitle: {title}\nsummary: S.\n{extra}---\nText.\n"
LETTER = "---\ntitle: {title}\ndate: 2024-01-01\nauthor: A\nsummary: S.\n{extra}---\nText.\n"


def published_site(make_site, files, config=None):
    """A site built into output/ (the last build), ready to be changed."""
    site = make_site(files, config) if config else make_site(files)
    build(site, use_cache=False, jobs=1)
    return site


def moved(site, **options):
    warnings, failures = run_check(site, **options)
    assert failures == []
    return [w for w in warnings if "last build" in w.message or "sitemap" in w.message]


def rename(site, old, new, text=None):
    source = site / old
    (site / new).parent.mkdir(parents=True, exist_ok=True)
    (site / new).write_text(text if text is not None else source.read_text(encoding="utf-8"), encoding="utf-8")
    source.unlink()


def test_renamed_page_is_found_by_its_title(make_site):
    site = published_site(make_site, {"content/letters/2024-01-01-old-name.md": LETTER.format(title="Our May letter", extra="")})
    rename(site, "content/letters/2024-01-01-old-name.md", "content/letters/2024-01-01-something-else.md")
    [warning] = moved(site)
    assert warning.path == "output/sitemap.xml"
    assert warning.message == "/letters/2024-01-01-old-name/ was published by the last build but no page has that address now"
    assert "content/letters/2024-01-01-something-else.md is that page" in warning.hint
    assert "aliases: [/letters/2024-01-01-old-name/]" in warning.hint


def test_renamed_page_with_a_new_title_is_found_by_a_similar_file_name(make_site):
    site = published_site(make_site, {"content/pages/about-us.md": PAGE.format(title="About", extra=""),
                                       "content/pages/contact.md": PAGE.format(title="Contact", extra=""),
                                       "content/pages/help.md": PAGE.format(title="Help", extra="")})
    rename(site, "content/pages/about-us.md", "content/pages/about-our-team.md", PAGE.format(title="Who we are", extra=""))
    (site / "content/pages/privacy.md").write_text(PAGE.format(title="Privacy", extra=""), encoding="utf-8")
    [warning] = moved(site)
    assert "/about-us/ was published" in warning.message
    assert "content/pages/about-our-team.md is that page" in warning.hint


def test_page_that_already_has_aliases_is_told_to_add_to_the_list(make_site):
    site = published_site(make_site, {"content/pages/about.md": PAGE.format(title="About", extra="")})
    rename(site, "content/pages/about.md", "content/pages/about-us.md",
           PAGE.format(title="About", extra="aliases: [/older/]\n"))
    [warning] = moved(site)
    assert "add /about/ to its aliases: list" in warning.hint


def test_no_warning_once_the_alias_is_added(make_site):
    site = published_site(make_site, {"content/pages/about.md": PAGE.format(title="About", extra="")})
    rename(site, "content/pages/about.md", "content/pages/about-us.md",
           PAGE.format(title="About", extra="aliases: [/about/]\n"))
    assert moved(site) == []


def test_removed_page_without_a_likely_successor_still_gets_the_advice(make_site):
    site = published_site(make_site, {"content/pages/about.md": PAGE.format(title="About", extra=""),
                                       "content/pages/contact.md": PAGE.format(title="Contact", extra="")})
    (site / "content/pages/about.md").unlink()
    [warning] = moved(site)
    assert "/about/ was published" in warning.message
    assert "aliases: [/about/]" in warning.hint and "removed on purpose" in warning.hint


def test_page_made_a_draft_is_named_as_such(make_site):
    site = published_site(make_site, {"content/pages/about.md": PAGE.format(title="About", extra="")})
    (site / "content/pages/about.md").write_text(PAGE.format(title="About", extra="draft: true\n"), encoding="utf-8")
    [warning] = moved(site)
    assert warning.path == "content/pages/about.md" and "now a draft" in warning.message


def test_topic_and_list_pages_that_go_are_not_reported(make_site):
    site = published_site(make_site, {"content/pages/about.md": PAGE.format(title="About", extra="tags: [old-topic]\n")})
    (site / "content/pages/about.md").write_text(PAGE.format(title="About", extra=""), encoding="utf-8")
    assert moved(site) == []


def test_nothing_to_compare_without_a_last_build(make_site):
    site = make_site({"content/pages/about.md": PAGE.format(title="About", extra="")})
    assert moved(site) == []


def test_sub_folder_sites_suggest_the_alias_without_the_folder(make_site):
    config = 'title = "T"\nbase_url = "https://example.org/send/"\n'
    site = published_site(make_site, {"content/pages/about.md": PAGE.format(title="About", extra="")}, config)
    rename(site, "content/pages/about.md", "content/pages/about-us.md")
    [warning] = moved(site)
    assert "aliases: [/about/]" in warning.hint


def test_published_can_be_a_saved_sitemap_file(make_site, tmp_path):
    site = published_site(make_site, {"content/pages/about.md": PAGE.format(title="About", extra="")})
    saved = tmp_path / "last-sitemap.xml"
    saved.write_bytes((site / "output/sitemap.xml").read_bytes())
    import shutil

    shutil.rmtree(site / "output")
    rename(site, "content/pages/about.md", "content/pages/about-us.md")
    [warning] = moved(site, published=str(saved))
    assert warning.path == str(saved) and "content/pages/about-us.md is that page" in warning.hint


@pytest.fixture
def serve_folder():
    servers = []

    def start(folder):
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
        handler.log_message = lambda *args: None
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_live_compares_with_the_sitemap_at_base_url(make_site, tmp_path, serve_folder):
    live = tmp_path / "live"
    url = serve_folder(live)
    site = make_site({"content/pages/about.md": PAGE.format(title="About", extra="")},
                     f'title = "T"\nbase_url = "{url}"\n')
    build(site, live, use_cache=False, jobs=1)
    rename(site, "content/pages/about.md", "content/pages/about-us.md")
    [warning] = moved(site, live=True)
    assert warning.path == url + "sitemap.xml" and "aliases: [/about/]" in warning.hint


def test_live_site_not_reachable_is_one_warning_not_a_failure(make_site, tmp_path, serve_folder):
    url = serve_folder(tmp_path / "empty")  # serves 404 for sitemap.xml: never published
    (tmp_path / "empty").mkdir()
    site = make_site({"content/pages/about.md": PAGE.format(title="About", extra="")},
                     f'title = "T"\nbase_url = "{url}"\n')
    [warning] = moved(site, live=True)
    assert "could not be read" in warning.message and "never been published" in warning.hint


def test_cli_prints_the_warning_and_still_passes(make_site):
    site = published_site(make_site, {"content/pages/about.md": PAGE.format(title="About", extra="")})
    rename(site, "content/pages/about.md", "content/pages/about-us.md")
    result = run_cli("check", site)
    assert result.returncode == 0, result.stderr
    assert ("warning: output/sitemap.xml: /about/ was published by the last build but no page has that address now"
            in result.stderr)
    assert "aliases: [/about/]" in result.stderr


def welsh_site(tmp_path):
    """The bilingual fixture (English, and Welsh under /cy/), built into output/."""
    import shutil

    from tests.conftest import FIXTURES

    site = tmp_path / "welsh"
    shutil.copytree(FIXTURES / "welsh", site)
    build(site, use_cache=False, jobs=1)
    return site


def test_moved_welsh_page_is_found_at_its_welsh_address_and_its_alias_goes_on_the_original(tmp_path):
    site = welsh_site(tmp_path)
    for suffix in (".md", ".cy.md"):  # a translation shares its original's address, so both move
        rename(site, f"content/letters/2024-05-update{suffix}", f"content/letters/2024-05-our-progress{suffix}")
    found = {w.message.split(" ")[0]: w for w in moved(site)}
    assert set(found) == {"/letters/2024-05-update/", "/cy/letters/2024-05-update/"}
    welsh = found["/cy/letters/2024-05-update/"]
    assert welsh.path == "output/sitemap.xml"
    # The Welsh page is found by its Welsh title; aliases: is kept on the original only, written
    # without /cy/ (builder.site.languages refuses aliases on a translation).
    assert welsh.hint.startswith("if content/letters/2024-05-our-progress.cy.md is that page, add this line to the "
                                 "front matter of its original, content/letters/2024-05-our-progress.md: "
                                 "aliases: [/letters/2024-05-update/]")
    assert "if content/letters/2024-05-our-progress.md is that page" in found["/letters/2024-05-update/"].hint

    # The suggested line keeps both old addresses working: each language's leads to its own page.
    original = site / "content/letters/2024-05-our-progress.md"
    original.write_text(original.read_text(encoding="utf-8").replace("---\n", "---\naliases: [/letters/2024-05-update/]\n", 1),
                        encoding="utf-8")
    assert moved(site) == []
    build(site, use_cache=False, jobs=1)
    redirect = (site / "output/cy/letters/2024-05-update/index.html").read_text(encoding="utf-8")
    assert 'href="/cy/letters/2024-05-our-progress/"' in redirect


def test_welsh_page_made_a_draft_is_named_by_its_own_file(tmp_path):
    site = welsh_site(tmp_path)
    page = site / "content/letters/2024-05-update.cy.md"
    page.write_text(page.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    [warning] = moved(site)
    assert warning.path == "content/letters/2024-05-update.cy.md"
    assert warning.message.startswith("/cy/letters/2024-05-update/ was published by the last build, but this page is now a draft")
