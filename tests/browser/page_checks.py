"""The three accessibility engines on every built page, in ONE load of each page.

axe-core (WCAG 2.2 AA and best practice), HTML_CodeSniffer (WCAG 2 AA errors) and IBM Equal
Access (accessibility-checker-engine, WCAG 2.2 violations) are injected together into the loaded
page; then, for each colour scheme in turn (the device preference, through page.emulate_media),
each engine is run and its results kept apart. One load (and one injection of the engines'
scripts) for all three engines instead of one per engine saves time without checking less:
every page, both schemes, every engine.

Each engine is first given a canary page with a known barrier, with all three engines injected as
on a real page: a run that finds nothing there would prove nothing.

The results of the whole site are gathered once per session (one dict, keyed by engine and
mode) and tests/browser/test_axe.py and test_engines.py each assert on their own slice, so a
failure names its site, engine, scheme, page, rule and element."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from .conftest import AXE_JS, NODE_MODULES, NPM_HINT, ROOT, opened, require

HTMLCS_JS = NODE_MODULES / "html_codesniffer" / "build" / "HTMLCS.js"
ACE_JS = NODE_MODULES / "accessibility-checker-engine" / "ace.js"

SCHEMES = ["light", "dark"]                 # device preference, emulated
SAVED_THEMES = ["contrast", "cream"]        # <html data-theme="...">, as settings.js applies them
SEARCH_URL = "/search/?q=inspection"

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS + ["best-practice"]}, "resultTypes": ["violations"]}
# A saved theme changes colours only (the DOM is the same), so the colour rules are the ones to rerun.
COLOUR_OPTIONS = {"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
                  "resultTypes": ["violations"]}

RUN_AXE = """async (options) => {
  const results = await axe.run(document, options);
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.map(String).join(' '), html: n.html,
                              summary: (n.failureSummary || '').replace(/\\s+/g, ' ').trim()})),
  }));
}"""

# HTMLCS reports through a callback; its messages of type 1 are errors (2 warnings, 3 notices,
# which ask a person to check something and are not failures).
RUN_HTMLCS = """() => new Promise((resolve) => {
  HTMLCS.process('WCAG2AA', document, () => {
    resolve(HTMLCS.getMessages().filter(m => m.type === 1).map(m => ({
      id: m.code, help: m.msg,
      where: (m.element && m.element.outerHTML ? m.element.outerHTML : String(m.element)).slice(0, 200)})));
  }, () => resolve([{id: 'htmlcs-failed', help: 'HTML_CodeSniffer did not finish', where: ''}]), 'en');
})"""

# Only a definite failure of a requirement counts (value VIOLATION, FAIL); "POTENTIAL" and
# "MANUAL" results ask for a person's judgement, and RECOMMENDATION is not a requirement.
RUN_ACE = """async () => {
  const report = await new ace.Checker().check(document, ['WCAG_2_2']);
  return report.results.filter(r => r.value[0] === 'VIOLATION' && r.value[1] === 'FAIL').map(r => ({
    id: r.ruleId, help: r.message, where: (r.snippet || '').slice(0, 200) + ' ' + r.path.dom}));
}"""

# engine -> (script file, how to run it on the loaded page, its argument)
ENGINES = {"axe": (AXE_JS, RUN_AXE, AXE_OPTIONS), "htmlcs": (HTMLCS_JS, RUN_HTMLCS, None),
           "ace": (ACE_JS, RUN_ACE, None)}

CANARY = ('<!DOCTYPE html><html lang="en"><head><title>t</title></head>'
          '<body><main><img src="x.png"></main></body></html>')
# What each engine must report on the canary page: an image without alt text.
CANARY_RULES = {"axe": "image-alt", "htmlcs": "H37", "ace": "img_alt_valid"}


def _inject(page, scripts_url: str) -> None:
    for path, _, _ in ENGINES.values():
        page.add_script_tag(url=f"{scripts_url}/{path.relative_to(NODE_MODULES).as_posix()}")


def _run(page, engine: str) -> list:
    _, script, argument = ENGINES[engine]
    return page.evaluate(script, argument)


def check_canary(page, site_url: str, scripts_url: str) -> None:
    """Every engine reports the known barrier on the canary page, all three injected together.
    The canary replaces a page of the site, so it has the site's origin: on about:blank, after
    the page had shown a site, Chromium refused to load the scripts from the local server."""
    page.goto(site_url + "/", wait_until="load")
    page.set_content(CANARY)
    _inject(page, scripts_url)
    for engine, rule in CANARY_RULES.items():
        found = [problem["id"] for problem in _run(page, engine)]
        assert any(rule in rule_id for rule_id in found), \
            f"{engine} did not report an image without alt text ({rule}) on the canary page: {found}"


def check_loaded_page(page, scripts_url: str, url: str, results: dict) -> None:
    """All three engines, light and dark, then axe's colour rules in each saved display theme."""
    _inject(page, scripts_url)
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        assert page.evaluate(f"matchMedia('(prefers-color-scheme: {scheme})').matches")
        for engine in ENGINES:
            results[engine, scheme][url] = _run(page, engine)
    page.emulate_media(color_scheme="light")
    for theme in SAVED_THEMES:
        page.evaluate("(t) => document.documentElement.setAttribute('data-theme', t)", theme)
        results["axe", theme][url] = page.evaluate(RUN_AXE, COLOUR_OPTIONS)
    page.evaluate("() => document.documentElement.removeAttribute('data-theme')")


class _CachedScripts(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("Cache-Control", "max-age=3600")
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002 - keep test output quiet
        pass


@pytest.fixture(scope="session")
def scripts_url():
    """The engines' scripts (node_modules), served over HTTP with a cache header. Given to the
    page by address rather than as text (add_script_tag(path=...) sends all 1.7 MB through the
    driver into every page, which took longer than running an engine); by address, Chromium
    fetches them from its cache and can keep their compiled code."""
    for path, _, _ in ENGINES.values():
        require(path.is_file(), f"{path.relative_to(ROOT)} is missing: {NPM_HINT}")
    handler = functools.partial(_CachedScripts, directory=str(NODE_MODULES))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="http-engines", daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _wait_for_search_results(page) -> None:
    page.wait_for_function(
        "() => { const s = document.getElementById('search-status');"
        " return s && s.textContent && !s.textContent.includes('Searching'); }")
    status = page.inner_text("#search-status")
    assert "result" in status, f"the search for 'inspection' showed no results: {status!r}"


@pytest.fixture(scope="session")
def page_checks(_shared_page, built_site, site_url, scripts_url) -> dict[tuple[str, str], dict[str, list]]:
    """{(engine, mode): {url path: [problems]}} for every page of the site; mode is a colour
    scheme (every engine) or a saved display theme (axe's colour rules). The search page is also
    checked with results showing, under SEARCH_URL."""
    page = _shared_page
    page.set_viewport_size({"width": 1280, "height": 800})
    results: dict[tuple[str, str], dict[str, list]] = {(engine, scheme): {} for engine in ENGINES
                                                        for scheme in SCHEMES}
    results.update({("axe", theme): {} for theme in SAVED_THEMES})
    try:
        check_canary(page, site_url, scripts_url)
        for url in built_site.page_urls:
            with opened(page, site_url, url, built_site) as response:
                assert response is not None and response.ok, f"{url}: HTTP {response.status if response else '-'}"
                check_loaded_page(page, scripts_url, url, results)
        if "search/index.html" in built_site.pages:
            page.goto(site_url + SEARCH_URL, wait_until="load")
            _wait_for_search_results(page)
            check_loaded_page(page, scripts_url, SEARCH_URL, results)
    finally:
        page.emulate_media(color_scheme="light")
        page.goto("about:blank")
    return results
