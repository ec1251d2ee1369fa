"""Reflow (WCAG 1.4.10) and text resize (1.4.4) on every built page.

At 320 CSS pixels wide (1280 px at 400% zoom) nothing may make the page scroll sideways: wide
tables must sit in their own scrollable wrapper, which does not widen the document. At 1280 px
with the root font size doubled, text must grow, the page must not scroll sideways, and no
element holding text may clip it (overflow hidden with more content than room)."""

from __future__ import annotations

import pytest

from .conftest import opened

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 800}

# Elements sticking out past the right edge, deepest first, ignoring anything inside a scroller.
WIDE_ELEMENTS = """(limit) => {
  const out = [];
  const scrolls = (el) => { for (let a = el.parentElement; a; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX; if (o === 'auto' || o === 'scroll') return true; } return false; };
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right <= limit + 1 || r.width === 0 || scrolls(el)) continue;
    const wideChild = [...el.children].some(c => c.getBoundingClientRect().right > limit + 1);
    if (wideChild) continue;
    out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}` +
             `${typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : ''}` +
             ` (right edge ${Math.round(r.right)}px): ${el.outerHTML.slice(0, 100)}`);
  }
  return out.slice(0, 8);
}"""

CLIPPED_TEXT = """() => {
  const out = [];
  const all = [document.documentElement, document.body, ...document.body.querySelectorAll('*')];
  for (const el of all) {
    const s = getComputedStyle(el);
    const hidesX = s.overflowX === 'hidden' || s.overflowX === 'clip';
    const hidesY = s.overflowY === 'hidden' || s.overflowY === 'clip';
    if (!hidesX && !hidesY) continue;
    if (!el.textContent.trim()) continue;
    // Visually hidden text for screen readers is clipped on purpose.
    if (el.clientWidth <= 1 || el.clientHeight <= 1 || s.clip !== 'auto' || s.clipPath !== 'none') continue;
    const cutX = hidesX && el.scrollWidth > el.clientWidth + 1;
    const cutY = hidesY && el.scrollHeight > el.clientHeight + 1;
    if (!cutX && !cutY) continue;
    out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}` +
             `${typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : ''}` +
             ` clips its text (scroll ${el.scrollWidth}x${el.scrollHeight}, shown ${el.clientWidth}x${el.clientHeight}):` +
             ` "${el.textContent.replace(/\\s+/g, ' ').trim().slice(0, 60)}"`);
  }
  return out.slice(0, 8);
}"""

ROOT_FONT_SIZE = "() => parseFloat(getComputedStyle(document.querySelector('main') || document.body).fontSize)"


def _overflow(page, path: str, limit: int, when: str) -> list[str]:
    """Horizontal scrolling and clipped text on the loaded page, described for a person."""
    problems = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > limit:
        culprits = page.evaluate(WIDE_ELEMENTS, limit)
        problems.append(f"- {path}: page is {width}px wide {when}; sticking out:\n      "
                        + "\n      ".join(culprits or ["(no single element found)"]))
    for clipped in page.evaluate(CLIPPED_TEXT):
        problems.append(f"- {path} {when}: {clipped}")
    return problems


def test_every_page_reflows_at_320_px(browser_page, built_site, site_url):
    page = browser_page
    page.set_viewport_size(NARROW)
    problems = []
    for path in built_site.page_urls:
        with opened(page, site_url, path, built_site):
            problems += _overflow(page, path, NARROW["width"], "at 320px")
    assert not problems, f"{built_site.name} site, reflow at 320 CSS px:\n" + "\n".join(problems)


def test_every_page_survives_200_percent_text(browser_page, built_site, site_url):
    page = browser_page
    page.set_viewport_size(WIDE)
    problems = []
    for path in built_site.page_urls:
        with opened(page, site_url, path, built_site):
            before = page.evaluate(ROOT_FONT_SIZE)
            page.evaluate("document.documentElement.style.fontSize = '200%'")
            after = page.evaluate(ROOT_FONT_SIZE)
            if after < before * 1.9:
                problems.append(f"- {path}: text did not grow with the root font size ({before}px -> {after}px); "
                                "use rem/em, not px, for font sizes")
            problems += _overflow(page, path, WIDE["width"], "at 200% text")
    assert not problems, f"{built_site.name} site, 200% text at 1280 px:\n" + "\n".join(problems)


# The header at its tightest: a 320 px phone with text at 200% (browser or phone text size),
# where the whole page must reflow (WCAG 1.4.10 with 1.4.4), and at 300% (200% with the site's
# own "Larger" display setting on top), beyond what WCAG asks, where at least the header and its
# menu must fit. The search box and its button must sit wholly inside the screen, uncovered.
HEADER_SEARCH = """() => {
  const vw = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('.site-header *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && (r.left < -0.5 || r.right > vw + 0.5))
      out.push(`header: ${el.tagName.toLowerCase()}.${el.className} spans ${Math.round(r.left)}-${Math.round(r.right)}px of ${vw}px`);
  }
  for (const sel of ['.header-search__input', '.header-search__button', '.header-search__label']) {
    const el = document.querySelector(sel);
    if (!el) { out.push(`${sel} is missing`); continue; }
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) out.push(`${sel} has no size`);
    // Not cut off by an ancestor that hides overflow.
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a), b = a.getBoundingClientRect();
      if ((s.overflowX !== 'visible' || s.overflowY !== 'visible') &&
          (r.left < b.left - 0.5 || r.right > b.right + 0.5 || r.top < b.top - 0.5 || r.bottom > b.bottom + 0.5))
        out.push(`${sel} is cut off by ${a.tagName.toLowerCase()}.${a.className}`);
    }
    // Not drawn over by anything else (scrolled into view first, so the point is on screen).
    el.scrollIntoView({block: 'center', inline: 'nearest'});
    const q = el.getBoundingClientRect();
    const hit = document.elementFromPoint(q.left + q.width / 2, q.top + q.height / 2);
    if (hit !== el && !el.contains(hit))
      out.push(`${sel} is covered by ${hit ? hit.tagName.toLowerCase() + '.' + hit.className : 'nothing'}`);
  }
  window.scrollTo(0, 0);
  return out;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("text", ["200%", "300%"])
def test_header_search_fits_at_320_px_with_large_text(browser_page, built_site, site_url, scheme, text):
    page = browser_page
    page.set_viewport_size(NARROW)
    page.emulate_media(color_scheme=scheme)
    problems = []
    for path in built_site.key_pages().values():
        with opened(page, site_url, path, built_site):
            page.evaluate("(size) => { document.documentElement.style.fontSize = size; }", text)
            if text == "200%":
                problems += _overflow(page, path, NARROW["width"], f"at 320px with {text} text ({scheme})")
            problems += [f"- {path} ({text}, {scheme}): {p}" for p in page.evaluate(HEADER_SEARCH)]
    assert not problems, f"{built_site.name} site, header at 320 px:\n" + "\n".join(problems)
