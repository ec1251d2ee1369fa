"""Full-page screenshots of the home page, a letter and the timeline at 320 and 1280 CSS px
(light, plus dark for a look at the dark scheme), written to test-artifacts/screenshots/
for people to look at; CI keeps them as artifacts."""

from __future__ import annotations

import pytest

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "screenshots"
WIDTHS = [320, 1280]
SCHEMES = ["light", "dark"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_screenshots_of_key_pages(browser_page, built_site, site_url):
    page = browser_page
    SHOTS.mkdir(parents=True, exist_ok=True)
    written = []
    for name, path in built_site.key_pages().items():
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                page.goto(site_url + path, wait_until="load")
                suffix = "" if scheme == "light" else "-dark"
                target = SHOTS / f"{built_site.name}-{name}-{width}{suffix}.png"
                target.unlink(missing_ok=True)
                page.screenshot(path=str(target), full_page=True, animations="disabled")
                written.append(target)
    for shot in written:
        assert shot.is_file(), f"{shot} was not written"
        data = shot.read_bytes()
        assert len(data) > 1000 and data.startswith(PNG_SIGNATURE), f"{shot} is not a PNG screenshot"
    assert {p.stem.split("-")[1] for p in written} >= {"home"}
