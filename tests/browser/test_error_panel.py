"""The preview's error panel after a reload: in view and focused, wherever the page was scrolled."""

from __future__ import annotations

import urllib.request

import pytest

from tests.conftest import serving, wait_for, write_site

pytestmark = pytest.mark.browser

LONG = "---\ntitle: A long letter\ndate: 2024-01-01\nauthor: Jane Example\nsummary: Long.\n---\n" + "\n\n".join(
    f"Paragraph {n} of a letter long enough to scroll through on any screen." for n in range(120)) + "\n"


def test_after_a_reload_the_error_panel_is_in_view_and_focused(browser, tmp_path):
    site = write_site(tmp_path / "site", {"content/letters/2024-01-01-long.md": LONG})
    with serving(site) as (base, _):
        page = browser.new_page(viewport={"width": 1024, "height": 700})
        try:
            page.goto(f"{base}/letters/2024-01-01-long/")
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            assert page.evaluate("window.scrollY") > 1000, "the page must be scrolled down for this test"

            (site / "content/letters/2024-01-02-broken.md").write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
            assert wait_for(lambda: b"localoffer-build-errors" in urllib.request.urlopen(base + "/", timeout=5).read(), 60)
            page.reload()  # as livereload does after each build
            page.wait_for_load_state("load")
            page.wait_for_timeout(300)  # past the browser's own restoring of the scroll position
            box = page.evaluate("(() => { const r = document.getElementById('localoffer-build-errors')"
                                ".getBoundingClientRect(); return [r.top, r.bottom, window.innerHeight]; })()")
            assert 0 <= box[0] < box[2], f"the panel is out of view: {box}"
            assert page.evaluate("document.activeElement.id") == "localoffer-build-errors"
        finally:
            page.close()
