"""The hostile SVGs of tests/test_svg.py, opened in headless Chromium as a visitor would open
them (as a document at the site's own address): the originals run their scripts, the published
copies run nothing and fetch nothing from another server."""

from __future__ import annotations

import pytest

from builder.build import build
from tests.conftest import write_site
from tests.test_svg import HOSTILE, PAGE

pytestmark = pytest.mark.browser
SITE = "http://site.test/"


def _open(browser, served: dict[str, bytes], name: str) -> tuple[list[str], list[str]]:
    """(dialogs shown, requests to anywhere else) when the SVG `name` is opened."""
    context = browser.new_context()
    dialogs, elsewhere = [], []
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

        def answer(route):
            url = route.request.url
            if url.startswith(SITE) and url.removeprefix(SITE) in served:
                route.fulfill(body=served[url.removeprefix(SITE)], content_type="image/svg+xml")
            elif url.startswith(SITE):
                route.fulfill(status=404, body=b"")
            else:
                elsewhere.append(url)
                route.abort()

        context.route("**/*", answer)
        page.goto(SITE + name)
        page.mouse.move(2, 2)  # onmouseover
        page.mouse.click(2, 2)  # onclick, and the links
        page.wait_for_timeout(300)
    finally:
        context.close()
    return dialogs, elsewhere


def test_published_svgs_run_nothing_and_fetch_nothing_elsewhere(browser, tmp_path):
    files = {f"content/updates/files/{name}": text for name, text in HOSTILE.items()}
    body = "---\ntitle: Drawings\ndate: 2022-01-01\n---\n" + "".join(f"[{n}](files/{n})\n" for n in HOSTILE)
    site = write_site(tmp_path / "site", {PAGE: body, **files})
    build(site, jobs=1)
    originals = {name: text.encode() for name, text in HOSTILE.items()}
    published = {name: (site / "output/updates/files" / name).read_bytes() for name in HOSTILE}
    # The test can fail: the originals do run or fetch in this browser.
    assert any(_open(browser, originals, "script.svg")), "the hostile SVG did nothing in Chromium"
    assert _open(browser, originals, "external.svg")[1]
    for name in HOSTILE:
        assert _open(browser, published, name) == ([], []), name
