"""axe-core on every built page: zero WCAG 2.2 AA and best-practice violations in the light and the dark colour
scheme (the device preference, through page.emulate_media), and zero colour violations in the
display themes a reader can save on the settings page (high contrast, cream).

Speed: each page is loaded once and given all three engines (tests/browser/page_checks.py); the
schemes are then switched in place (the stylesheet has no transitions, so the switch is
immediate). The results of the whole site are gathered once per session and each test asserts on
its own slice."""

from __future__ import annotations

import pytest

from .page_checks import AXE_OPTIONS, SAVED_THEMES, SCHEMES, SEARCH_URL

pytestmark = pytest.mark.browser

__all__ = ["AXE_OPTIONS"]  # tests/browser/test_editor.py runs axe with the same rules


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
def test_every_page_has_no_axe_violations(page_checks, built_site, scheme):
    found = {url: v for url, v in page_checks["axe", scheme].items() if v and url != SEARCH_URL}
    assert len(page_checks["axe", scheme]) >= len(built_site.pages)
    assert not found, describe(built_site.name, f"prefers-color-scheme: {scheme}", found)


@pytest.mark.parametrize("theme", SAVED_THEMES)
def test_saved_display_themes_have_enough_contrast(page_checks, built_site, theme):
    found = {url: v for url, v in page_checks["axe", theme].items() if v}
    assert not found, describe(built_site.name, f"saved theme {theme}", found)


def test_search_results_have_no_axe_violations(page_checks, built_site):
    if "search/index.html" not in built_site.pages:
        pytest.skip(f"the {built_site.name} site has no search page")
    found = {f"{SEARCH_URL} ({mode})": results[SEARCH_URL] for (engine, mode), results in page_checks.items()
             if engine == "axe" and results.get(SEARCH_URL)}
    assert not found, describe(built_site.name, "search results", found)
