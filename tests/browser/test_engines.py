"""Two more accessibility engines on every built page, light and dark: HTML_CodeSniffer
(WCAG 2 AA, errors) and IBM Equal Access (accessibility-checker-engine, WCAG 2.2 A and AA,
violations). Automated engines disagree at the edges, and each finds barriers the others
miss, so a page passes only when all three (with axe, tests/browser/test_axe.py) agree.

The engines run in the same load of each page as axe (tests/browser/page_checks.py), after
each has found the barrier on a canary page: a run that finds nothing there would prove
nothing. Results are gathered once per site and each test asserts on its own slice."""

from __future__ import annotations

import pytest

from .page_checks import SCHEMES

pytestmark = pytest.mark.browser

ENGINES = ["htmlcs", "ace"]


def describe(site: str, engine: str, scheme: str, found: dict[str, list]) -> str:
    lines = [f"{site} site, {engine}, {scheme}: {sum(map(len, found.values()))} problem(s) on {len(found)} page(s):"]
    for url, problems in found.items():
        for problem in problems[:20]:
            lines.append(f"- {url} {problem['id']}: {problem['help'][:200]}\n    at {problem['where']}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("engine", ENGINES)
def test_every_page_passes_engine(page_checks, built_site, engine, scheme):
    results = page_checks[engine, scheme]
    assert len(results) >= len(built_site.pages)
    found = {url: problems for url, problems in results.items() if problems}
    assert not found, describe(built_site.name, engine, scheme, found)
