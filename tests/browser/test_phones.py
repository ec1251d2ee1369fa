"""A phone at 320 CSS pixels with the largest text setting: tables stack into labelled rows
with nothing cut off, and no word of a heading or link is split across lines."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# Words (of 4 letters or more) in headings, links and table cells drawn on more than one line.
SPLIT_WORDS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('main h1, main h2, main a, main td, main th')) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.textContent.matchAll(/[\\p{L}\\p{N}]{4,}/gu)) {
        const range = document.createRange();
        range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) out.push(m[0]);
      }
    }
  }
  return out;
}"""


def test_commitments_stack_into_labelled_rows_at_320_px_with_larger_text(browser, site_url, built_site):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        page.goto(site_url + "/")
        page.evaluate("localStorage.setItem('localoffer-text-size', 'larger')")
        page.goto(site_url + "/commitments/")
        assert page.evaluate("document.documentElement.getAttribute('data-text-size')") == "larger"
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        cells = page.locator("main td")
        assert cells.count() > 0
        for n in range(cells.count()):
            box = cells.nth(n).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 320, cells.nth(n).inner_text()
        # Each cell shows its column's heading before its value.
        label = page.evaluate("getComputedStyle(document.querySelector('main td'), '::before').content")
        assert "Raised by" in label or "Codwyd gan" in label, label
        assert page.evaluate(SPLIT_WORDS) == []
    finally:
        context.close()
