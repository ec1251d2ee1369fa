"""Display settings: chosen on the settings page, remembered, applied before first paint;
and letters print without navigation, with link addresses shown."""

import pytest

pytestmark = pytest.mark.browser


def clear_storage(page, origin: str) -> None:
    """Forget display settings saved by an earlier test (same origin, same context)."""
    page.goto(origin + "/robots.txt")
    page.evaluate("() => { try { localStorage.clear(); } catch (e) {} }")


def test_settings_are_remembered_and_applied_on_every_page(browser_page, site_url):
    page = browser_page
    clear_storage(page, site_url)
    page.goto(site_url + "/settings/")
    assert page.locator("#display-settings").is_visible()  # shown only when JavaScript runs
    page.check("#theme-dark")
    page.check("#size-larger")
    assert "Saved" in page.locator(".settings__status").inner_text()
    # settings.js runs in <head>, so the attributes are there before the body is parsed.
    page.goto(site_url + "/timeline/", wait_until="commit")
    page.wait_for_selector("html[data-theme]", state="attached")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert page.evaluate("document.documentElement.dataset.textSize") == "larger"
    size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert size == pytest.approx(24)  # 150% of 16 px: rem-based, so everything scales
    page.goto(site_url + "/settings/")
    page.check("#theme-auto")
    page.check("#size-standard")
    page.goto(site_url + "/")
    assert page.evaluate("document.documentElement.dataset.theme") is None
    clear_storage(page, site_url)


def test_settings_page_without_javascript_explains_browser_settings(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "/settings/")
        assert not page.locator("#display-settings").is_visible()
        assert "Ctrl and +" in page.locator(".settings-help").inner_text()
    finally:
        context.close()


def test_dark_scheme_follows_the_device(browser_page, site_url):
    page = browser_page
    clear_storage(page, site_url)
    page.emulate_media(color_scheme="dark")
    page.goto(site_url + "/")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(15, 20, 25)"


def test_letters_print_without_navigation_and_show_link_addresses(browser_page, site_url, built_site):
    page = browser_page
    letter = built_site.key_pages().get("letter")
    if letter is None:
        pytest.skip(f"the {built_site.name} site has no letters")
    page.goto(site_url + letter)
    page.emulate_media(media="print")
    for selector in (".site-header", ".site-footer", ".prev-next", ".breadcrumbs"):
        if page.locator(selector).count():
            assert not page.locator(selector).first.is_visible(), selector
    link = page.locator(".prose a[href]").first
    if link.count():
        after = link.evaluate("a => getComputedStyle(a, '::after').content")
        assert link.get_attribute("href") in after
    page.emulate_media(media="screen")
