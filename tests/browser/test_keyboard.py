"""Keyboard use of the home page, a letter and the timeline: the skip link comes first and moves
focus to the main content, and every element reached with Tab shows a visible focus indicator."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

KEY_PAGES = ["home", "letter", "timeline"]
MAX_TABS = 400

# Record every element's unfocused outline and box-shadow before anything has focus.
RECORD_UNFOCUSED = """() => {
  window.__unfocused = new Map();
  for (const el of document.querySelectorAll('*')) {
    const s = getComputedStyle(el);
    window.__unfocused.set(el, {outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth,
                               outlineColor: s.outlineColor, boxShadow: s.boxShadow});
  }
  const candidates = document.querySelectorAll(
    'a[href], area[href], button, input, select, textarea, summary, iframe, [tabindex], [contenteditable]');
  return candidates.length;
}"""

DESCRIBE_ACTIVE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  if (!el.__kbId) el.__kbId = (window.__kbNext = (window.__kbNext || 0) + 1);
  const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  const tag = el.tagName.toLowerCase();
  const label = (el.getAttribute('aria-label') || el.textContent || el.value || '').replace(/\\s+/g, ' ').trim();
  let path = tag + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string'
             ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  if (el.getAttribute('href')) path += `[href="${el.getAttribute('href')}"]`;
  return {
    id: el.__kbId, describe: `${path} "${label.slice(0, 60)}"`, tag,
    href: el.getAttribute('href'),
    focused: {outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth, outlineColor: s.outlineColor,
              boxShadow: s.boxShadow},
    unfocused: (window.__unfocused && window.__unfocused.get(el)) || null,
    rect: {x: r.x, y: r.y, width: r.width, height: r.height},
    viewport: {width: innerWidth, height: innerHeight},
    inMain: !!el.closest('main'),
  };
}"""


def _transparent(colour: str) -> bool:
    colour = colour.replace(" ", "")
    return colour == "transparent" or colour.startswith("rgba(") and colour.endswith(",0)")


def _outline_visible(style: dict) -> bool:
    return (style["outlineStyle"] != "none" and float(style["outlineWidth"].removesuffix("px") or 0) > 0
            and not _transparent(style["outlineColor"]))


def focus_indicator_problem(info: dict) -> str | None:
    """None when the focused element shows a visible indicator that differs from its unfocused look."""
    focused, unfocused = info["focused"], info["unfocused"]
    rect = info["rect"]
    if rect["width"] <= 1 or rect["height"] <= 1:
        return f"is not visible while focused (size {rect['width']:.0f}x{rect['height']:.0f})"
    outline = _outline_visible(focused) and (
        unfocused is None or not _outline_visible(unfocused)
        or any(focused[k] != unfocused[k] for k in ("outlineStyle", "outlineWidth", "outlineColor")))
    shadow = focused["boxShadow"] != "none" and (unfocused is None or focused["boxShadow"] != unfocused["boxShadow"])
    if outline or shadow:
        return None
    return (f"shows no focus indicator (focused: outline {focused['outlineStyle']} {focused['outlineWidth']} "
            f"{focused['outlineColor']}, box-shadow {focused['boxShadow']}; unfocused: {unfocused})")


@pytest.fixture
def key_page(built_site, request):
    pages = built_site.key_pages()
    name = request.param
    assert name in pages, f"the {built_site.name} site has no {name} page to test (pages: {sorted(pages)})"
    return name, pages[name]


@pytest.mark.parametrize("key_page", KEY_PAGES, indirect=True)
def test_skip_link_comes_first_and_moves_focus_to_main(browser_page, site_url, key_page):
    name, path = key_page
    page = browser_page
    page.goto(site_url + path, wait_until="load")
    page.keyboard.press("Tab")
    first = page.evaluate(DESCRIBE_ACTIVE)
    assert first is not None, f"{path}: the first Tab focused nothing"
    assert first["tag"] == "a" and (first["href"] or "").startswith("#") and len(first["href"]) > 1, \
        f"{path}: the first Tab should reach a skip link (<a href=\"#main\">), reached {first['describe']}"
    target = first["href"][1:]
    assert page.evaluate(
        "(id) => { const t = document.getElementById(id); const m = document.querySelector('main');"
        " return !!t && !!m && (t === m || m.contains(t) || t.contains(m)); }", target), \
        f"{path}: the skip link's target #{target} is not the main element (or inside it)"
    rect, viewport = first["rect"], first["viewport"]
    assert rect["width"] > 1 and rect["height"] > 1 and rect["x"] >= 0 and rect["y"] >= 0 \
        and rect["x"] + rect["width"] <= viewport["width"] + 1, \
        f"{path}: the focused skip link is not visible on screen: {rect}"
    problem = focus_indicator_problem(first)
    assert problem is None, f"{path}: skip link {first['describe']} {problem}"

    page.keyboard.press("Enter")
    page.wait_for_function("(h) => location.hash === h", arg=first["href"], timeout=5_000)
    assert page.evaluate("() => !!document.activeElement && !!document.activeElement.closest('main')"), \
        (f"{path}: after Enter on the skip link focus is on "
         f"{page.evaluate('() => document.activeElement && document.activeElement.outerHTML.slice(0, 120)')}, "
         "not the main element (give <main> tabindex=\"-1\")")

    # The next Tab continues from the main content, not from the header.
    page.keyboard.press("Tab")
    assert page.evaluate(
        "() => { const el = document.activeElement, m = document.querySelector('main');"
        " if (!el || el === document.body) return true;"
        " return m.contains(el) || !!(m.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING); }"), \
        f"{path}: after the skip link, Tab went back before the main content"


@pytest.mark.parametrize("key_page", KEY_PAGES, indirect=True)
def test_every_focusable_element_shows_focus(browser_page, site_url, key_page):
    name, path = key_page
    page = browser_page
    page.goto(site_url + path, wait_until="load")
    candidates = page.evaluate(RECORD_UNFOCUSED)
    limit = min(MAX_TABS, candidates + 20)
    seen: set[int] = set()
    visited, problems = [], []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(DESCRIBE_ACTIVE)
        if info is None or info["id"] in seen:  # left the page, or wrapped round to the start
            break
        seen.add(info["id"])
        visited.append(info["describe"])
        problem = focus_indicator_problem(info)
        if problem:
            problems.append(f"{info['describe']} {problem}")
    else:
        pytest.fail(f"{path}: Tab did not leave the page after {limit} presses (a keyboard trap?); "
                    f"last elements: {visited[-5:]}")
    assert len(visited) >= 2, f"{path}: Tab reached only {visited}"
    assert not problems, f"{path}: {len(problems)} of {len(visited)} focused elements:\n" + "\n".join(problems)
