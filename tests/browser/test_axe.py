"""axe-core on every built page: zero WCAG 2.2 AA and best-practice violations in the light and the dark colour
scheme (the device preference, through page.emulate_media), and zero colour violations in the
display themes a reader can save on the settings page (high contrast, cream).

Speed: each page is loaded and given axe once; the schemes are then switched in place (the
stylesheet has no transitions, so the switch is immediate) and axe is run again. The results of
the whole site are gathered once per session and each test asserts on its own slice."""

from __future__ import annotations

import pytest

from .conftest import opened

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS + ["best-practice"]}, "resultTypes": ["violations"]}
# A saved theme changes colours only (the DOM is the same), so the colour rules are the ones to rerun.
COLOUR_OPTIONS = {"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
                  "resultTypes": ["violations"]}

SCHEMES = ["light", "dark"]                 # device preference, emulated
SAVED_THEMES = ["contrast", "cream"]        # <html data-theme="...">, as settings.js applies them
SEARCH_URL = "/search/?q=inspection"

RUN_AXE = """async (options) => {
  const results = await axe.run(document, options);
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.map(String).join(' '), html: n.html,
                              summary: (n.failureSummary || '').replace(/\\s+/g, ' ').trim()})),
  }));
}"""


def _check_loaded_page(page, axe_path, url: str, results: dict) -> None:
    page.add_script_tag(path=str(axe_path))
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        assert page.evaluate(f"matchMedia('(prefers-color-scheme: {scheme})').matches")
        results[scheme][url] = page.evaluate(RUN_AXE, AXE_OPTIONS)
    page.emulate_media(color_scheme="light")
    for theme in SAVED_THEMES:
        page.evaluate("(t) => document.documentElement.setAttribute('data-theme', t)", theme)
        results[theme][url] = page.evaluate(RUN_AXE, COLOUR_OPTIONS)
    page.evaluate("() => document.documentElement.removeAttribute('data-theme')")


@pytest.fixture(scope="session")
def axe_results(_shared_page, built_site, site_url, axe_source) -> dict[str, dict[str, list]]:
    """{mode: {url path: [violations]}} for every page of the site, in every mode."""
    page = _shared_page
    page.set_viewport_size({"width": 1280, "height": 800})
    results: dict[str, dict[str, list]] = {mode: {} for mode in SCHEMES + SAVED_THEMES}
    try:
        # Canary: axe must find a known violation, or a passing run proves nothing.
        page.set_content('<!DOCTYPE html><html lang="en"><title>t</title><main><img src="x.png"></main></html>')
        page.add_script_tag(path=str(axe_source))
        canary = [v["id"] for v in page.evaluate(RUN_AXE, AXE_OPTIONS)]
        assert "image-alt" in canary, f"axe did not report an image without alt text: {canary}"
        for path in built_site.page_urls:
            with opened(page, site_url, path, built_site) as response:
                assert response is not None and response.ok, f"{path}: HTTP {response.status if response else '-'}"
                _check_loaded_page(page, axe_source, path, results)
        if "search/index.html" in built_site.pages:
            page.goto(site_url + SEARCH_URL, wait_until="load")
            page.wait_for_function(
                "() => { const s = document.getElementById('search-status');"
                " return s && s.textContent && !s.textContent.includes('Searching'); }")
            status = page.inner_text("#search-status")
            assert "result" in status, f"the search for 'inspection' showed no results: {status!r}"
            _check_loaded_page(page, axe_source, SEARCH_URL, results)
    finally:
        page.emulate_media(color_scheme="light")
        page.goto("about:blank")
    return results


def describe(site: str, mode: str, found: dict[str, list]) -> str:
    count = sum(len(v) for v in found.values())
    lines = [f"{site} site, {mode}: {count} axe violation(s) on {len(found)} page(s):"]
    for url, violations in found.items():
        for violation in violations:
            lines.append(f"- {url} {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"][:10]:
                lines.append(f"    at {node['target']}: {node['summary'][:300]}")
            if len(violation["nodes"]) > 10:
                lines.append(f"    ... and {len(violation['nodes']) - 10} more elements")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_page_has_no_axe_violations(axe_results, built_site, scheme):
    found = {url: v for url, v in axe_results[scheme].items() if v and url != SEARCH_URL}
    assert len(axe_results[scheme]) >= len(built_site.pages)
    assert not found, describe(built_site.name, f"prefers-color-scheme: {scheme}", found)


@pytest.mark.parametrize("theme", SAVED_THEMES)
def test_saved_display_themes_have_enough_contrast(axe_results, built_site, theme):
    found = {url: v for url, v in axe_results[theme].items() if v}
    assert not found, describe(built_site.name, f"saved theme {theme}", found)


def test_search_results_have_no_axe_violations(axe_results, built_site):
    if "search/index.html" not in built_site.pages:
        pytest.skip(f"the {built_site.name} site has no search page")
    found = {f"{SEARCH_URL} ({mode})": results[SEARCH_URL] for mode, results in axe_results.items()
             if results.get(SEARCH_URL)}
    assert not found, describe(built_site.name, "search results", found)
