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
    assert links and all(link.startswith("/cy/") and not link.startswith("/cy/cy/") for link in links), links
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


def _update(n: int, word: str) -> str:
    return f"---\ntitle: Update {n}\ndate: 2020-01-01\nsummary: Number {n}.\n---\nThe word {word} is here.\n"


def test_recent_changes_replace_their_settled_results(browser, tmp_path):
    """After an edit, a deletion and a new page, the index is a settled one plus a small recent
    one; search finds the new words, never the old or deleted page, and counts each page once."""
    import functools
    import http.server
    import json
    import threading

    from builder.build import build
    from tests.conftest import write_site

    site = write_site(tmp_path / "big", {f"content/updates/2020-01-01-u{n}.md": _update(n, f"marker{n}x")
                                         for n in range(300)})
    out = tmp_path / "out"
    build(site, out, jobs=2)
    (site / "content/updates/2020-01-01-u150.md").write_text(_update(150, "fresh150y"), encoding="utf-8")
    (site / "content/updates/2020-01-01-u299.md").unlink()
    (site / "content/updates/2020-01-01-u300.md").write_text(_update(300, "marker300x"), encoding="utf-8")
    build(site, out, jobs=2)
    layout = json.loads((out / "pagefind/search.json").read_text())
    assert layout["merge"] == ["1/"] and len(layout["superseded"]) == 2, layout  # the old 150 and the deleted 299
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()
    site_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        page = context.new_page()
        for term, found in (("marker0x", "Update 0"), ("fresh150y", "Update 150"), ("marker300x", "Update 300"),
                            ("marker150x", None), ("marker299x", None),
                            # Each index alone has one of these words (and leaves out the word it lacks):
                            # one index of the site has both, on no page.
                            ("fresh150y marker0x", None), ("marker300x zebra", "Update 300")):
            links = _results(page, f"/search/?q={term}", site_url)
            status = page.locator("#search-status").inner_text()
            if found:
                assert len(links) == 1 and page.locator(".search-result h2 a").inner_text() == found, term
                assert status.startswith("1 result") or "zebra" in term, status  # no page has "zebra": a near match
            else:  # the settled index still has these pages' old words: they must not be shown
                assert not links and status.startswith("No results"), (term, status)
        _results(page, "/search/?q=word", site_url)
        assert page.locator("#search-status").inner_text().startswith("300 results")  # 300 - 1 deleted + 1 new
    finally:
        context.close()
        server.shutdown()


def _results(page, term: str, site_url: str) -> list[str]:
    """Every result's address for term, pressing "Show more results" until all are shown."""
    page.goto(f"{site_url}{term}")
    page.wait_for_function("document.getElementById('search-status').textContent && "
                           "!document.getElementById('search-status').textContent.includes('…')", timeout=15_000)
    while page.locator("#search-more").is_visible():
        before = page.locator(".search-result").count()
        page.click("#search-more")
        page.wait_for_function(f"document.querySelectorAll('.search-result').length > {before}")
    return page.locator(".search-result h2 a").evaluate_all("links => links.map(a => a.href)")


def test_every_result_link_opens_a_page(browser_page, site_url, built_site):
    """Each result, in every language, is followed in the browser and must answer 200
    (a Welsh result once went to /cy/cy/timeline/…, which starts with /cy/ but is a 404)."""
    term, _ = QUERIES[built_site.name]
    paths = ["/search/?q=" + term]
    if "languages" in (built_site.source / "site.toml").read_text(encoding="utf-8"):
        paths.append("/cy/search/?q=Estyn")
    for path in paths:
        links = _results(browser_page, path, site_url)
        assert links, path
        for link in links:
            response = browser_page.goto(link)
            assert response.status == 200, (path, link)


@pytest.mark.parametrize("built_site", ["example"], indirect=True)  # the example site has over 30 pages with "the"
def test_count_is_every_match_and_every_match_can_be_reached(browser_page, site_url, built_site):
    """"the" is on every page: the count is the number of pages in the index, not the first 30,
    and "Show more results" reaches each one."""
    page = browser_page
    links = _results(page, "/search/?q=the", site_url)
    status = page.locator("#search-status").inner_text()
    number = int(status.split()[0])
    assert number > 30 and number == len(links) == len(set(links)), (status, len(links))
    assert "the" in page.title() and "Search results" in page.title()


@pytest.mark.parametrize("built_site", ["example"], indirect=True)  # the example site's words
def test_near_matches_are_said_to_be_near(browser_page, site_url, built_site):
    """A word found nowhere ("sendiass") brings pages with a shorter one ("send"): the status
    says so before them, not "30 results"."""
    page = browser_page
    links = _results(page, "/search/?q=sendiasszz", site_url)
    status = page.locator("#search-status").inner_text()
    assert status.startswith("No page has the words"), status
    assert links and str(len(links)) in status


@pytest.mark.parametrize("built_site", ["example"], indirect=True)  # one site is enough
def test_search_page_does_not_jump(browser_page, site_url, built_site):
    """Layout shifts while the results arrive, measured by the browser (CLS: good is under 0.1)."""
    page = browser_page
    page.add_init_script("""window.__shift = 0; new PerformanceObserver(list => { for (const e of list.getEntries())
        if (!e.hadRecentInput) window.__shift += e.value; }).observe({type: 'layout-shift', buffered: true});""")
    page.set_viewport_size({"width": 375, "height": 700})
    _results(page, "/search/?q=EHCP", site_url)
    page.wait_for_timeout(500)
    assert page.evaluate("window.__shift") < 0.1


def test_search_landmarks_are_named_and_unique(browser_page, site_url, built_site):
    page = browser_page
    page.goto(f"{site_url}/search/")
    names = page.locator("[role=search]").evaluate_all(
        "forms => forms.map(f => f.getAttribute('aria-label') || "
        "(document.getElementById(f.getAttribute('aria-labelledby')) || {}).textContent || '')")
    assert len(names) == 2 and all(n.strip() for n in names) and len(set(names)) == 2, names
