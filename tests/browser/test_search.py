"""Search: the Pagefind index is built with the site and answers queries in a real browser."""

import pytest


pytestmark = pytest.mark.browser

QUERIES = {"example": ("EHCP", "Education, Health and Care"), "full": ("revisit", "Revisit"),
           "welsh": ("Estyn", "monitoring visit")}


def test_search_page_finds_pages_with_title_date_and_kind(browser_page, site_url, built_site):
    term, expected = QUERIES[built_site.name]
    page = browser_page
    page.goto(f"{site_url}/search/?q={term}")
    page.wait_for_selector(".search-result", timeout=15_000)
    results = page.locator(".search-result")
    assert results.count() >= 1
    status = page.locator("#search-status").inner_text()
    assert "result" in status and term in status
    first = results.nth(0)
    assert first.locator("h2 a").get_attribute("href").startswith("/")
    meta = first.locator(".meta").inner_text()
    assert any(kind in meta for kind in ("Letter", "Update", "News", "Event", "Page", "Commitment"))
    assert expected.lower() in page.locator("#search-results").inner_text().lower()


def test_header_search_box_leads_to_results(browser_page, site_url, built_site):
    term, _ = QUERIES[built_site.name]
    page = browser_page
    page.goto(site_url + "/")
    page.fill("#header-search-q", term)
    page.press("#header-search-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    page.wait_for_selector(".search-result", timeout=15_000)


def test_each_language_searches_its_own_pages(browser_page, site_url, built_site):
    """A bilingual site has a search index per language: Welsh words find Welsh pages."""
    if "languages" not in (built_site.source / "site.toml").read_text(encoding="utf-8"):
        # A site in one language has one search index, at the site's root only.
        assert not list(built_site.output.glob("*/pagefind")) and (built_site.output / "pagefind").is_dir()
        return
    page = browser_page
    page.goto(f"{site_url}/cy/search/?q=Estyn")
    page.wait_for_selector(".search-result", timeout=15_000)
    links = [page.locator(".search-result h2 a").nth(n).get_attribute("href")
             for n in range(page.locator(".search-result").count())]
    assert links and all(link.startswith("/cy/") for link in links), links
    meta = page.locator(".search-result .meta").first.inner_text()
    assert any(kind in meta for kind in ("Llythyr", "Diweddariad", "Newyddion", "Digwyddiad", "Tudalen", "Ymrwymiad")), meta
    assert "ymweliad monitro" in page.locator("#search-results").inner_text().lower()


def test_search_without_javascript_explains_how_to_browse(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "/search/?q=EHCP")
        text = page.locator("main").inner_text()
        assert "Search needs JavaScript" in text
        assert page.locator("main a[href='/timeline/']").count() == 1
    finally:
        context.close()


def test_no_results_is_said_in_words(browser_page, site_url):
    page = browser_page
    page.goto(site_url + "/search/?q=zzzxqv")
    page.wait_for_function("document.getElementById('search-status') && "
                           "document.getElementById('search-status').textContent.includes('No results')")


def test_search_finds_pages_in_every_shard_of_a_large_site(browser, tmp_path):
    """Over 250 pages the index is split into shards; every shard must answer in the browser."""
    import functools
    import http.server
    import threading

    from builder.build import build
    from builder.render.search import shard_count
    from tests.conftest import write_site

    files = {f"content/updates/2020-01-01-u{n}.md":
             f"---\ntitle: Update {n}\ndate: 2020-01-01\nsummary: Number {n}.\n---\nThe word marker{n}x is here.\n"
             for n in range(600)}
    site = write_site(tmp_path / "big", files)
    out = tmp_path / "out"
    build(site, out, jobs=2)
    assert shard_count(600) == 4 and (out / "pagefind/3/pagefind.js").exists()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()
    try:
        page = context.new_page()
        for n in (0, 150, 299, 450, 599):  # spread over the shards
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/?q=marker{n}x")
            page.wait_for_selector(".search-result", timeout=15_000)
            assert page.locator(".search-result h2 a").first.inner_text() == f"Update {n}"
    finally:
        context.close()
        server.shutdown()
