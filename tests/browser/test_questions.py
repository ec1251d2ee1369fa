"""Questions and answers pages in a browser: an address to a question opens its answer, with
the script and (where the browser styles a <details>' content) without it, and "Show all
answers" opens and closes every answer."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

QUESTION = {"example": "how-do-i-complain", "full": "how-do-i-complain"}  # the sites with a questions page
SITES = pytest.mark.parametrize("built_site", list(QUESTION), indirect=True)
OPEN = "id => document.getElementById(id).closest('details').open"
SHOWN = "id => document.getElementById(id).closest('details').querySelector('summary + *').checkVisibility()"


@SITES
def test_an_address_to_a_question_opens_its_answer(browser_page, site_url, built_site):
    question = QUESTION[built_site.name]
    page = browser_page
    page.goto(f"{site_url}/faq/#{question}")
    page.wait_for_function(f"document.getElementById('{question}').closest('details').open")
    # A link within the page (the address changes, the page does not load again).
    page.goto(f"{site_url}/faq/")
    page.evaluate("location.hash = '#what-is-send'" if built_site.name == "full" else "location.hash = '#what-does-send-mean'")
    page.wait_for_function("document.getElementById(location.hash.slice(1)).closest('details').open")


@SITES
def test_show_all_answers_opens_and_closes_every_answer(browser_page, site_url, built_site):
    page = browser_page
    page.goto(f"{site_url}/faq/")
    button = page.locator("#show-all-answers button")
    assert button.inner_text() == "Show all answers"
    button.click()
    assert page.evaluate("[...document.querySelectorAll('.prose details')].every(d => d.open)")
    assert button.inner_text() == "Hide all answers"
    button.click()
    assert page.evaluate("[...document.querySelectorAll('.prose details')].every(d => !d.open)")


@SITES
def test_without_javascript_the_answer_of_the_address_shows(browser, site_url, built_site):
    question = QUESTION[built_site.name]
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site_url}/faq/#{question}")
        assert page.evaluate(SHOWN, question)
        page.goto(f"{site_url}/faq/")  # and the others stay closed until opened
        assert not page.evaluate(SHOWN, question)
        assert page.locator("#show-all-answers button").count() == 0
    finally:
        context.close()
