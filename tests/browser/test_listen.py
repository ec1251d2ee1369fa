""""Listen to this page" (builder/theme/static/listen.js) in Chromium, on the bilingual fixture
site. The browser's speech is observed, not heard: an init script puts a recording
speechSynthesis (and SpeechSynthesisUtterance, whose voice must be one of its voices) in place
before the page's scripts run, with the voices a device might have. The tests then read what
was spoken, in which language and with which voice, and which of the API's calls were made."""

from __future__ import annotations

import functools
import http.server
import json
import threading

import pytest

from .conftest import _Handler

pytestmark = pytest.mark.browser

ENGLISH_LETTER = "/letters/2024-05-update/"
WELSH_LETTER = "/cy/letters/2024-05-update/"
EASY_READ = "/letters/2024-11-21-after-the-monitoring-visit/easy-read/"
ENGLISH_VOICES = [{"name": "English (UK)", "lang": "en-GB"}, {"name": "English (US)", "lang": "en-US"}]
WELSH_VOICE = {"name": "Cymraeg", "lang": "cy-GB"}

# Records every call; finishSpeech() plays the end of everything queued, as the browser would.
RECORDER = """(() => {
  const voices = %s.map(v => Object.freeze({...v, voiceURI: v.name, default: false, localService: true}));
  const log = window.__speech = {spoken: [], calls: []};
  class Utterance extends EventTarget {
    constructor(text) { super(); this.text = text || ""; this.lang = ""; this.voice = null; this.onend = null; }
  }
  const synth = new EventTarget();
  let queue = [];
  synth.getVoices = () => voices.slice();
  synth.speak = (u) => {
    log.calls.push("speak");
    log.spoken.push({text: u.text, lang: u.lang, voice: u.voice ? u.voice.lang : null,
                     known: voices.includes(u.voice)});
    queue.push(u);
  };
  synth.pause = () => log.calls.push("pause");
  synth.resume = () => log.calls.push("resume");
  synth.cancel = () => { log.calls.push("cancel"); queue = []; };
  window.__finishSpeech = () => {
    const done = queue; queue = [];
    for (const u of done) { const end = new Event("end"); if (u.onend) u.onend(end); u.dispatchEvent(end); }
  };
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
  Object.defineProperty(window, "SpeechSynthesisUtterance", {value: Utterance, configurable: true, writable: true});
})();"""
NO_SPEECH = "delete Window.prototype.speechSynthesis; delete window.speechSynthesis;"


@pytest.fixture(scope="module")
def welsh_url(built_sites):
    """The bilingual fixture site, served (the shared site_url serves each site in turn)."""
    handler = functools.partial(_Handler, directory=str(built_sites["welsh"].output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def open_page(browser, welsh_url):
    contexts = []

    def open_(path: str, voices=ENGLISH_VOICES, script: str | None = None, javascript: bool = True):
        context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1000, "height": 800})
        contexts.append(context)
        context.add_init_script(script if script is not None else RECORDER % json.dumps(voices))
        page = context.new_page()
        page.goto(welsh_url + path, wait_until="load")
        return page

    yield open_
    for context in contexts:
        context.close()


def _speech(page) -> dict:
    return page.evaluate("window.__speech")


def _main_pieces(page) -> list[str]:
    """The main content's paragraphs, headings and list items as a reader sees them, without
    the page's own tools and hidden text."""
    return page.evaluate("""() => [...document.querySelectorAll(
        'main :is(h1, h2, h3, p, li):not([data-listen-skip] *)')]
        .filter(el => el.checkVisibility() && !el.querySelector('p, li'))
        .map(el => el.innerText.replace(/\\s+/g, ' ').trim()).filter(Boolean)""")


def test_listen_reads_the_main_text_in_the_pages_language_and_nothing_else(open_page):
    page = open_page(ENGLISH_LETTER)
    button = page.get_by_role("button", name="Listen to this page")
    assert button.is_visible()
    button.click()
    spoken = _speech(page)["spoken"]
    texts = [item["text"] for item in spoken]
    assert texts[0] == page.locator("h1").inner_text()
    # As shown, less the capitals CSS adds and the dots that are only decoration (aria-hidden).
    assert [t.lower() for t in texts] == [t.lower().replace(" · ", " ") for t in _main_pieces(page)]
    joined = " ".join(texts)
    for outside in ("Skip to main content", "Listen to this page", "Help and information", "Cymraeg"):
        assert outside not in joined
    assert {(item["lang"], item["voice"], item["known"]) for item in spoken} == {("en-GB", "en-GB", True)}


def test_it_reads_questions_but_only_the_answers_opened(open_page):
    # As on a questions-and-answers page (questions: true): each answer is in a <details>.
    page = open_page(ENGLISH_LETTER)
    page.evaluate("""() => document.querySelector('main article').insertAdjacentHTML('beforeend',
        '<details><summary><h2>Closed question?</h2></summary><p>Closed answer.</p></details>' +
        '<details open><summary><h2>Open question?</h2></summary><p>Open answer.</p></details>')""")
    page.locator("[data-listen-play]").click()
    texts = [item["text"] for item in _speech(page)["spoken"]]
    start = texts.index("Closed question?")
    assert texts[start:start + 3] == ["Closed question?", "Open question?", "Open answer."]
    assert "Closed answer." not in texts


def test_pause_resume_and_stop_call_the_speech_api_and_say_so(open_page):
    page = open_page(ENGLISH_LETTER)
    play = page.locator("[data-listen-play]")
    status = page.get_by_role("status").filter(has_text="")
    play.click()
    assert play.inner_text() == "Pause" and page.locator("[data-listen-status]").inner_text() == "Reading the page aloud."
    play.click()
    assert _speech(page)["calls"][-1] == "pause"
    assert play.inner_text() == "Resume" and page.locator("[data-listen-status]").inner_text() == "Paused."
    play.click()
    assert _speech(page)["calls"][-1] == "resume" and play.inner_text() == "Pause"
    page.get_by_role("button", name="Stop").click()
    assert _speech(page)["calls"][-1] == "cancel"
    assert play.inner_text() == "Listen to this page" and not page.locator("[data-listen-stop]").is_visible()
    assert page.locator("[data-listen-status]").inner_text() == "Stopped."
    assert page.evaluate("document.activeElement.hasAttribute('data-listen-play')")  # focus kept its place
    assert status.count() >= 1


def test_when_the_reading_ends_the_control_is_ready_to_start_again(open_page):
    page = open_page(EASY_READ)
    page.locator("[data-listen-play]").click()
    texts = [item["text"] for item in _speech(page)["spoken"]]
    assert "In October, inspectors from Estyn visited us for 3 days." in texts and "Standard version" not in " ".join(texts)
    page.evaluate("window.__finishSpeech()")
    assert page.locator("[data-listen-play]").inner_text() == "Listen to this page"
    assert page.locator("[data-listen-status]").inner_text() == "Finished reading the page."


def test_the_keyboard_starts_pauses_and_stops_it(open_page):
    page = open_page(ENGLISH_LETTER)
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.hasAttribute('data-listen-play')"):
            break
    else:
        pytest.fail("Tab never reached the Listen button")
    page.keyboard.press("Enter")
    assert _speech(page)["calls"][-1] == "speak"
    page.keyboard.press("Space")
    assert _speech(page)["calls"][-1] == "pause"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.hasAttribute('data-listen-stop')")
    page.keyboard.press("Enter")
    assert _speech(page)["calls"][-1] == "cancel"


def test_a_welsh_page_is_read_with_a_welsh_voice(open_page):
    page = open_page(WELSH_LETTER, voices=ENGLISH_VOICES + [WELSH_VOICE])
    page.get_by_role("button", name="Gwrando ar y dudalen hon").click()
    spoken = _speech(page)["spoken"]
    assert spoken and {(item["lang"], item["voice"]) for item in spoken} == {("cy", "cy-GB")}
    assert spoken[0]["text"] == page.locator("h1").inner_text()


def test_a_welsh_page_without_a_welsh_voice_says_so_and_reads_nothing(open_page):
    page = open_page(WELSH_LETTER)
    message = page.locator("[data-listen-no-voice]")
    assert message.is_visible()
    assert message.inner_text() == "Nid oes llais Cymraeg ar y ddyfais hon, felly ni all ddarllen y dudalen yn uchel."
    assert page.get_by_role("button", name="Gwrando ar y dudalen hon").count() == 0
    assert _speech(page)["spoken"] == []


def test_voices_that_arrive_late_are_waited_for(open_page):
    # Chromium often has no voices until "voiceschanged": a press before then waits for them.
    late = RECORDER.replace("synth.getVoices = () => voices.slice();", """
      let ready = false;
      synth.getVoices = () => ready ? voices.slice() : [];
      window.__voicesArrive = () => { ready = true; synth.dispatchEvent(new Event("voiceschanged")); };""")
    page = open_page(WELSH_LETTER, script=late % json.dumps(ENGLISH_VOICES + [WELSH_VOICE]))
    before = page.evaluate("""() => { document.querySelector('[data-listen-play]').click();
        return {spoken: window.__speech.spoken.length, message: !document.querySelector('[data-listen-no-voice]').hidden}; }""")
    assert before == {"spoken": 0, "message": False}
    page.evaluate("window.__voicesArrive()")
    page.wait_for_function("window.__speech.spoken.length > 0")
    assert {(item["lang"], item["voice"]) for item in _speech(page)["spoken"]} == {("cy", "cy-GB")}


@pytest.mark.parametrize("how", ["no speech", "no JavaScript"])
def test_there_is_no_control_without_speech_or_javascript(open_page, how):
    page = open_page(ENGLISH_LETTER, script=NO_SPEECH, javascript=how != "no JavaScript")
    assert page.locator("[data-listen]").count() == 1
    assert not page.locator("[data-listen]").is_visible()
    assert page.get_by_role("button", name="Listen to this page").count() == 0
