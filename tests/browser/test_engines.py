"""Two more accessibility engines on every built page, light and dark: HTML_CodeSniffer
(WCAG 2 AA, errors) and IBM Equal Access (accessibility-checker-engine, WCAG 2.2 A and AA,
violations). Automated engines disagree at the edges, and each finds barriers the others
miss, so a page passes only when all three (with axe, tests/browser/test_axe.py) agree.

Each engine is given a canary page with a known barrier first: a run that finds nothing on
it would prove nothing. Results are gathered once per site and each test asserts on its own
slice, as test_axe.py does."""

from __future__ import annotations

import pytest

from .conftest import NODE_MODULES, NPM_HINT, ROOT, opened, require

pytestmark = pytest.mark.browser

HTMLCS_JS = NODE_MODULES / "html_codesniffer" / "build" / "HTMLCS.js"
ACE_JS = NODE_MODULES / "accessibility-checker-engine" / "ace.js"
SCHEMES = ["light", "dark"]
CANARY = ('<!DOCTYPE html><html lang="en"><head><title>t</title></head>'
          '<body><main><img src="x.png"></main></body></html>')

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

ENGINES = {"htmlcs": (HTMLCS_JS, RUN_HTMLCS), "ace": (ACE_JS, RUN_ACE)}


def _load(page, engine: str) -> None:
    path, _ = ENGINES[engine]
    page.add_script_tag(path=str(path))


def _canary(page, engine: str) -> None:
    page.set_content(CANARY)
    _load(page, engine)
    found = [v["id"] for v in page.evaluate(ENGINES[engine][1])]
    assert found, f"{engine} found nothing on a page with an image without alt text"


@pytest.fixture(scope="session")
def engine_results(_shared_page, built_site, site_url) -> dict[tuple[str, str], dict[str, list]]:
    """{(engine, scheme): {url path: [violations]}} for every page of the site."""
    for path, _ in ENGINES.values():
        require(path.is_file(), f"{path.relative_to(ROOT)} is missing: {NPM_HINT}")
    page = _shared_page
    page.set_viewport_size({"width": 1280, "height": 800})
    results: dict[tuple[str, str], dict[str, list]] = {(e, s): {} for e in ENGINES for s in SCHEMES}
    try:
        for engine in ENGINES:
            _canary(page, engine)
        for url in built_site.page_urls:
            with opened(page, site_url, url, built_site) as response:
                assert response is not None and response.ok, f"{url}: HTTP {response.status if response else '-'}"
                for engine, (_, script) in ENGINES.items():
                    _load(page, engine)
                    for scheme in SCHEMES:
                        page.emulate_media(color_scheme=scheme)
                        results[engine, scheme][url] = page.evaluate(script)
                page.emulate_media(color_scheme="light")
    finally:
        page.emulate_media(color_scheme="light")
        page.goto("about:blank")
    return results


def describe(site: str, engine: str, scheme: str, found: dict[str, list]) -> str:
    lines = [f"{site} site, {engine}, {scheme}: {sum(map(len, found.values()))} problem(s) on {len(found)} page(s):"]
    for url, problems in found.items():
        for problem in problems[:20]:
            lines.append(f"- {url} {problem['id']}: {problem['help'][:200]}\n    at {problem['where']}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("engine", list(ENGINES))
def test_every_page_passes_engine(engine_results, built_site, engine, scheme):
    results = engine_results[engine, scheme]
    assert len(results) >= len(built_site.pages)
    found = {url: problems for url, problems in results.items() if problems}
    assert not found, describe(built_site.name, engine, scheme, found)
