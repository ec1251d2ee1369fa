"""Display settings: chosen on the settings page, remembered, applied before first paint;
and letters print without navigation, with link addresses shown."""

import pytest

pytestmark = pytest.mark.browser


def clear_storage(page, origin: str) -> None:
    """Forget display settings saved by an earlier test (same origin, same context)."""
    page.goto(origin + "/robots.txt")
    page.evaluate("() => { try { localStorage.clear(); } catch (e) {} }")


def status_after_save(page) -> str:
    page.click("button.settings__save")
    page.wait_for_function("() => document.getElementById('settings-status').textContent !== ''")
    return page.locator("#settings-status").inner_text()


def test_settings_are_remembered_and_applied_on_every_page(browser_page, site_url):
    page = browser_page
    clear_storage(page, site_url)
    page.goto(site_url + "/settings/")
    assert page.locator("#display-settings").is_visible()  # shown only when JavaScript runs
    page.check("#theme-dark")
    page.check("#size-larger")
    # Choosing changes nothing (WCAG 3.2.2 On Input): only "Save settings" does.
    assert page.evaluate("document.documentElement.dataset.theme") is None
    assert page.evaluate("localStorage.getItem('localoffer-theme')") is None
    assert page.locator("#settings-status").inner_text() == ""
    assert status_after_save(page).startswith("Saved: larger text, dark colours.")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    # settings.js runs in <head>, so the attributes are there before the body is parsed.
    page.goto(site_url + "/timeline/", wait_until="commit")
    page.wait_for_selector("html[data-theme]", state="attached")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert page.evaluate("document.documentElement.dataset.textSize") == "larger"
    size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert size == pytest.approx(24)  # 150% of 16 px: rem-based, so everything scales
    page.goto(site_url + "/settings/")
    assert page.is_checked("#theme-dark") and page.is_checked("#size-larger")  # the form shows what is saved
    assert status_after_save(page) == "Nothing changed: these are already your settings."
    page.check("#theme-auto")
    page.check("#size-standard")
    assert status_after_save(page).startswith("Saved: standard text, colours that follow your device.")
    page.goto(site_url + "/")
    assert page.evaluate("document.documentElement.dataset.theme") is None
    clear_storage(page, site_url)


def test_settings_work_with_the_keyboard_alone(browser_page, site_url):
    page = browser_page
    clear_storage(page, site_url)
    page.goto(site_url + "/settings/")
    status = page.locator("#settings-status")
    assert status.get_attribute("role") == "status"  # a polite live region, there before it speaks
    page.focus("#size-standard")
    page.keyboard.press("ArrowDown")  # moves the choice within the radio group
    assert page.is_checked("#size-large")
    page.keyboard.press("Tab")  # to the colours group
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # auto -> light -> dark
    assert page.is_checked("#theme-dark")
    assert page.evaluate("document.documentElement.dataset.theme") is None  # still nothing applied
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className").startswith("button settings__save")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('settings-status').textContent !== ''")
    assert status.inner_text().startswith("Saved: large text, dark colours.")
    assert page.evaluate("document.documentElement.dataset.textSize") == "large"
    assert page.evaluate("document.activeElement.className").startswith("button settings__save")  # focus stays
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
