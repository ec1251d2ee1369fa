"""The Easy Read layout in Chromium (builder/theme/static/style.css, "Easy Read pages"): each
picture beside its text on a wide screen; on a 320 px phone with text twice the size, the text
goes under its picture rather than being squeezed until words break, and nothing scrolls
sideways; in dark mode the pictures keep their light ground; in print the page's tools go."""

from __future__ import annotations

import pytest

from .test_listen import welsh_url  # noqa: F401 - the served bilingual site, a fixture

pytestmark = pytest.mark.browser

EASY_READ = "/cy/letters/2024-11-21-after-the-monitoring-visit/easy-read/"
ROWS = """() => [...document.querySelectorAll('.easy-row')].map(row => {
  const picture = row.querySelector('.easy-picture').getBoundingClientRect();
  const text = row.querySelector('.easy-text').getBoundingClientRect();
  const words = [...row.querySelectorAll('.easy-text p')].flatMap(p => p.textContent.split(/\\s+/));
  const widest = Math.max(...words.map(word => {
    const span = document.createElement('span');
    span.textContent = word; span.style.whiteSpace = 'nowrap';
    row.querySelector('.easy-text p').append(span);
    const width = span.getBoundingClientRect().width; span.remove(); return width;
  }));
  return {pictureRight: picture.right, pictureBottom: picture.bottom, pictureWidth: picture.width,
          textLeft: text.left, textTop: text.top, pictureTop: picture.top, textWidth: text.width, widest,
          overflow: row.scrollWidth > row.clientWidth + 1};
})"""


@pytest.fixture
def page(browser, welsh_url):  # noqa: F811 - the fixture imported above
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    tab = context.new_page()
    tab.goto(welsh_url + EASY_READ, wait_until="load")
    yield tab
    context.close()


def test_on_a_wide_screen_each_picture_is_beside_its_text(page):
    rows = page.evaluate(ROWS)
    assert len(rows) == 3
    for row in rows:
        assert row["pictureRight"] <= row["textLeft"] and abs(row["pictureTop"] - row["textTop"]) < 2
        assert row["textWidth"] <= 30 * 0.6 * 2 * 16 * 1.3  # short lines: at most about 30 characters


def test_on_a_phone_with_large_text_the_text_goes_under_its_picture_whole(page):
    page.set_viewport_size({"width": 320, "height": 800})
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    rows = page.evaluate(ROWS)
    for row in rows:
        assert row["textTop"] >= row["pictureBottom"] - 1  # under its picture, not squeezed beside it
        assert row["textWidth"] >= row["widest"] and not row["overflow"]  # no word is broken or cut
    # At ordinary text size a phone still shows the picture beside its text.
    page.evaluate("document.documentElement.style.fontSize = ''")
    assert all(row["pictureRight"] <= row["textLeft"] for row in page.evaluate(ROWS))


def test_pictures_keep_a_light_ground_in_dark_mode(page):
    page.emulate_media(color_scheme="dark")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
    grounds = page.evaluate("[...document.querySelectorAll('.easy-picture img')].map(i => getComputedStyle(i).backgroundColor)")
    assert grounds == ["rgb(255, 255, 255)"] * 3


def test_print_keeps_the_rows_and_drops_the_page_tools(page):
    page.emulate_media(media="print")
    assert not page.locator(".version-link").is_visible() and not page.locator("[data-listen]").is_visible()
    assert page.locator(".easy-row").first.is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('.easy-row')).breakInside") == "avoid"
