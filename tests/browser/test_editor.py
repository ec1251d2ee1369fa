"""The browser editor, end to end: `localoffer serve` on a copy of the fixture site, a letter
written through the /admin/ form in headless Chromium, saved by the local backend, passing
`localoffer check`, and shown on the rebuilt site. Then axe on the editor's screens.

Nothing may be fetched from anywhere but the local server: the editor must work offline."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest
import yaml
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, ROOT
from tests.conftest import serving
from tests.browser.test_axe import AXE_OPTIONS

pytestmark = pytest.mark.browser

FIXTURE = ROOT / "tests" / "fixtures" / "sites" / "full"
TITLE = "Our progress in May 2024"
BODY = "We issued more plans within 20 weeks this month."
LETTER = "content/letters/2024-05-30-our-progress-in-may-2024.md"

# axe findings inside Decap CMS's own interface, which our configuration cannot change. Each is
# (axe rule, CSS selector of the Decap element, why). They are reported upstream in
# decaporg/decap-cms#1333; docs/comms-officers.md lists them for the people who use the editor.
DECAP_OWN = [
    ("color-contrast", '[class*="AppHeader"]', "Decap's grey-on-white header links and buttons"),
    ("color-contrast", '[class*="SidebarNavLink"]', "Decap's collection list in the sidebar"),
    ("color-contrast", '[class*="PublishButton"]', "Decap's white-on-teal Publish button"),
    ("color-contrast", '[class*="ButtonText"]', "Decap's 'Go back to site' link on the login screen"),
    # Shown because the config offers sorting by date and a Drafts filter; their grey is Decap's.
    ("color-contrast", '[class*="ControlButton"]', "Decap's grey 'Sort by' and 'Filter by' buttons"),
    ("aria-input-field-name", "[data-slate-editor]", "Decap's rich-text editor has no accessible name"),
    ("aria-required-attr", '[class*="ToolbarToggle"]', "Decap's Markdown/rich-text switch has no aria-checked"),
    ("button-name", '[class*="ToolbarToggle"]', "Decap's Markdown/rich-text switch has no text"),
    ("frame-title", "#preview-pane", "Decap's preview frame has no title"),
    ("nested-interactive", '[class*="ToolbarDropdownWrapper"]', "Decap's heading menus nest a button in a button"),
]

OUR_AXE = """async ({options, known}) => {
  const results = await axe.run(document, options);
  const ours = [];
  for (const v of results.violations) {
    if (!['serious', 'critical'].includes(v.impact)) continue;
    for (const n of v.nodes) {
      const el = n.target.length === 1 ? document.querySelector(n.target[0]) : null;
      if (el && known.some(([rule, selector]) => rule === v.id && el.closest(selector))) continue;
      ours.push(`${v.id} (${v.impact}) at ${n.target.join(' ')}: ${n.html.slice(0, 200)}`);
    }
  }
  return ours;
}"""


def _until(predicate, seconds=40.0, pause=0.3):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            found = predicate()
            if found:
                return found
        except OSError:
            pass
        time.sleep(pause)
    return None


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`localoffer serve` on a fresh copy of the fixture site; yields (site folder, base URL)."""
    site = tmp_path_factory.mktemp("editor") / "site"
    shutil.copytree(FIXTURE, site)
    with serving(site, "/admin/config.yml", 120) as (base, _):
        yield site, base


@pytest.fixture
def editor(browser, served):
    """A fresh browser tab that may reach nothing but the local server."""
    _, base = served
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    context.set_default_timeout(20_000)
    outside: list[str] = []

    def only_local(route):
        if route.request.url.startswith(base + "/"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not outside, f"the editor tried to reach other servers: {outside}"
    assert not errors, f"the editor raised JavaScript errors: {errors}"


def _log_in(page, base: str, hash_: str = "") -> None:
    page.goto(f"{base}/admin/{hash_}")
    page.get_by_role("button", name="Login").click()  # the local backend needs no password


def test_a_letter_written_in_the_editor_is_saved_checked_and_published(served, editor):
    site, base = served
    page = editor
    _log_in(page, base, "#/collections/letters/new")
    page.get_by_label("Title", exact=True).wait_for()
    page.wait_for_timeout(1000)  # let Decap finish drawing the form before typing into it
    fields = {"Title": TITLE, "Date": "2024-05-30", "Author": "Ros Somerville"}
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("Summary (optional)").fill("What we did in May 2024.")
    # Decap's "+▾" menu is named for what it adds (preview.js), as the guide calls it.
    expect(page.get_by_role("button", name="Add an image or a code block")).to_be_visible()
    page.locator("[data-slate-editor]").click()
    page.keyboard.type(BODY)
    for label, value in fields.items():
        expect(page.get_by_label(label, exact=True)).to_have_value(value)
    # The preview pane is drawn with the site's own stylesheet (preview.js).
    preview = page.frame_locator("#preview-pane")
    expect(preview.locator('link[rel="stylesheet"]')).to_have_attribute("href", f"{base}/assets/style.css")
    expect(preview.get_by_text(BODY)).to_be_visible()
    # ... and laid out as the site lays out a letter (preview.js), so it looks as families will see it.
    expect(preview.locator("main.main article.letter h1")).to_have_text(TITLE)
    expect(preview.locator(".letter__body .letter__salutation")).to_have_text("Dear parents and carers,")
    expect(preview.locator(".letter__signature .letter__author")).to_have_text("Ros Somerville")
    # The site's rules apply to that layout (style.css: .wrap is 60rem at most, the author bold).
    assert preview.locator(".wrap").evaluate("e => getComputedStyle(e).maxWidth") == "960px"
    assert preview.locator(".letter__author").evaluate("e => getComputedStyle(e).fontWeight") == "700"
    page.get_by_role("button", name="Publish").first.click()
    page.get_by_text("Publish now", exact=True).click()
    page.wait_for_url("**/collections/letters/entries/**")  # Decap opens the saved entry

    saved = site / LETTER
    if not _until(saved.is_file):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "editor-not-saved.png"))
        pytest.fail(f"the letter was not saved (screenshot in {ARTIFACTS}): "
                    f"{sorted(p.name for p in (site / 'content/letters').iterdir())}")
    front, _, body = saved.read_text(encoding="utf-8").removeprefix("---\n").partition("\n---\n")
    meta = yaml.safe_load(front)
    assert (meta["title"], str(meta["date"]), meta["author"]) == (TITLE, "2024-05-30", "Ros Somerville")
    assert body.strip() == BODY

    check = subprocess.run([sys.executable, "-m", "builder", "check", str(site)], cwd=ROOT, capture_output=True,
                           text=True, timeout=300, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert check.returncode == 0 and "No problems found" in check.stdout, check.stdout + check.stderr

    # serve rebuilds by itself: the letter appears on the site, where "View Live" points once
    # the saved letter is opened again (Decap asks the backend for the link when it opens an entry).
    address = f"{base}/letters/2024-05-30-our-progress-in-may-2024/"
    page.reload()
    login = page.get_by_role("button", name="Login")
    login.or_(page.get_by_label("Title", exact=True)).first.wait_for()
    if login.is_visible():
        login.click()
    expect(page.get_by_role("link", name="View Live")).to_have_attribute("href", address)

    def shown():
        page.goto(address)
        return page.locator("h1").first.inner_text() == TITLE
    assert _until(shown, 60, 1.0), "the saved letter never appeared on the served site"
    assert BODY in page.locator("main").inner_text()
    page.goto(f"{base}/letters/")
    assert page.get_by_role("link", name=TITLE).count() == 1


def test_the_editor_has_no_serious_axe_violations_of_our_making(served, editor, axe_source):
    _, base = served
    page = editor
    known = [[rule, selector] for rule, selector, _ in DECAP_OWN]
    found = {}
    page.goto(f"{base}/admin/")
    page.get_by_role("button", name="Login").wait_for()
    # (screen, how to get there, what shows when it is ready)
    screens = [("login", lambda: None, page.get_by_role("button", name="Login")),
               ("collection list", lambda: page.get_by_role("button", name="Login").click(),
                page.get_by_role("link", name="Letters to families", exact=True)),
               ("new letter form", lambda: page.goto(f"{base}/admin/#/collections/letters/new"),
                page.get_by_label("Author", exact=True)),
               ("commitment form", lambda: page.goto(f"{base}/admin/#/collections/commitments/new"),
                page.get_by_text("The timeline event that asked for this.")),
               ("glossary", lambda: page.goto(f"{base}/admin/#/collections/glossary/entries/glossary"),
                page.get_by_text("Add terms"))]
    for name, go, ready in screens:
        go()
        ready.first.wait_for()
        page.wait_for_timeout(500)  # Decap draws the rest of the screen as its data arrives
        page.add_script_tag(path=str(axe_source))
        found[name] = page.evaluate(OUR_AXE, {"options": AXE_OPTIONS, "known": known})
    assert not any(found.values()), "\n".join(f"{name}: {v}" for name, vs in found.items() for v in vs)


def _status(base: str) -> dict:
    import json
    import urllib.request

    with urllib.request.urlopen(f"{base}/admin/status.json", timeout=5) as response:
        return json.loads(response.read())


def test_the_editor_shows_the_last_builds_result_beside_the_entries(served, editor):
    """/admin/status.json (a publishing job's result, or here the preview's last build) is shown
    on every screen of the editor: "up to date", or the numbered problems with file and line."""
    site, base = served
    page = editor
    _log_in(page, base)
    page.get_by_role("link", name="Letters to families", exact=True).wait_for()
    panel = page.get_by_role("status").filter(has_text="Preview:")
    expect(panel.get_by_role("heading")).to_have_text("Preview: up to date")

    broken = site / "content/letters/2099-01-01-status-shown.md"
    broken.write_text("---\ntitle: Shown\ndate: 2099-02-30\nauthor: A\nsummary: S.\n---\nText.\n", encoding="utf-8")
    try:
        assert _until(lambda: _status(base)["result"] == "problems", 60), "the preview never rebuilt"
        page.reload()  # the panel also looks again every 20 seconds by itself
        page.get_by_role("link", name="Letters to families", exact=True).wait_for()
        expect(panel.get_by_role("heading")).to_have_text("Preview: your latest changes are not shown")
        expect(panel).to_contain_text("1 problem to fix")
        item = panel.get_by_role("listitem")
        expect(item).to_have_count(1)
        expect(item).to_contain_text("content/letters/2099-01-01-status-shown.md, line 3:")
        expect(item).to_contain_text("How to fix:")
        expect(page.get_by_role("link", name="Letters to families", exact=True)).to_be_visible()  # the entries stay in reach
    finally:
        broken.unlink()
        assert _until(lambda: _status(base)["result"] == "published", 60)


def test_easy_read_versions_are_listed_only_in_their_own_collection(served, editor):
    """Decap lists every file ending ".md" in the Letters collection, so the Easy Read version
    (NAME.easyread.md) was listed there as if it were another letter; collections.js leaves it
    to "Easy Read: Letters to families"."""
    _, base = served
    page = editor
    _log_in(page, base, "#/collections/letters")
    page.get_by_text("Spring letter", exact=False).first.wait_for()
    page.wait_for_timeout(1000)  # every entry of the list is drawn
    expect(page.get_by_text("Spring letter in Easy Read")).to_have_count(0)
    page.goto(f"{base}/admin/#/collections/letters-easy-read")
    expect(page.get_by_text("Spring letter in Easy Read")).to_have_count(1)
