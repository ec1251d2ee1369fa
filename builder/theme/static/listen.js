/* "Listen to this page": reads the page's main text aloud with the browser's own speech
   (the Web Speech API). No other site is contacted and nothing is sent anywhere.
   The control is in every page but hidden; this script shows it only where the browser can
   speak, so without JavaScript or speech there is no button that does nothing.
   It speaks only with a voice for the page's language (<html lang>): a Welsh page on a
   device without a Welsh voice says so rather than being read by an English voice. */
(function () {
  "use strict";
  var synth = window.speechSynthesis;
  var box = document.querySelector("[data-listen]");
  if (!box || !synth || typeof window.SpeechSynthesisUtterance !== "function") return;
  var play = box.querySelector("[data-listen-play]");
  var label = box.querySelector("[data-listen-label]");
  var stop = box.querySelector("[data-listen-stop]");
  var status = box.querySelector("[data-listen-status]");
  var noVoice = box.querySelector("[data-listen-no-voice]");
  var lang = (document.documentElement.getAttribute("lang") || "en").toLowerCase().replace("_", "-");
  var state = "idle"; // idle, playing or paused
  var run = 0; // numbers each reading, so a stopped one's late "end" event is ignored
  // Text in these is not read: the page's own controls, and what is not shown (the answers
  // of questions not opened are read once the reader opens them and presses Listen again).
  var SKIP = "script, style, template, svg, noscript, [hidden], [aria-hidden='true'], [data-listen-skip], " +
    ".skip-link, details:not([open]) > :not(summary)";
  var BLOCK = /^(P|H[1-6]|LI|DT|DD|TD|TH|CAPTION|FIGCAPTION|BLOCKQUOTE|SUMMARY|PRE|DIV|SECTION|ARTICLE|TABLE|TR|UL|OL|DL|FIGURE|DETAILS|MAIN)$/;

  function text(key) { return box.getAttribute("data-" + key) || ""; }

  function normal(value) { return String(value || "").toLowerCase().replace("_", "-"); }

  function voiceFor(voices) {
    var primary = lang.split("-")[0];
    var same = voices.filter(function (v) { return normal(v.lang).split("-")[0] === primary; });
    var exact = same.filter(function (v) { return normal(v.lang) === lang; });
    return exact[0] || same[0] || null;
  }

  /* Voices often arrive a moment after the page loads ("voiceschanged"); wait for them a little. */
  function withVoices(then) {
    var voices = synth.getVoices();
    if (voices.length) { then(voices); return; }
    var done = false;
    function finish() {
      if (done) return;
      done = true;
      synth.removeEventListener("voiceschanged", finish);
      then(synth.getVoices());
    }
    synth.addEventListener("voiceschanged", finish);
    setTimeout(finish, 1500);
  }

  function showNoVoice() {
    noVoice.hidden = false;
    play.hidden = true;
    stop.hidden = true;
  }

  /* The main text, one piece per paragraph, heading or list item, in reading order. */
  function pieces() {
    var main = document.querySelector("main") || document.body;
    var found = [];
    var current = null;
    var words = "";
    var walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var parent = node.parentElement;
        return parent && !parent.closest(SKIP) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
      }
    });
    while (walker.nextNode()) {
      var node = walker.currentNode;
      var block = node.parentElement;
      while (block !== main && !BLOCK.test(block.tagName)) block = block.parentElement;
      if (block !== current) {
        if (words.trim()) found.push(words.replace(/\s+/g, " ").trim());
        words = "";
        current = block;
      }
      words += node.nodeValue;
    }
    if (words.trim()) found.push(words.replace(/\s+/g, " ").trim());
    return found;
  }

  function show(next, message) {
    state = next;
    label.textContent = text(next === "playing" ? "label-pause" : next === "paused" ? "label-resume" : "label-listen");
    stop.hidden = next === "idle";
    status.textContent = message || "";
  }

  function start() {
    withVoices(function (voices) {
      var voice = voiceFor(voices);
      if (!voice) { showNoVoice(); return; }
      synth.cancel();
      run += 1;
      var mine = run;
      var parts = pieces();
      parts.forEach(function (part, n) {
        var utterance = new window.SpeechSynthesisUtterance(part);
        utterance.lang = document.documentElement.getAttribute("lang") || lang;
        utterance.voice = voice;
        if (n === parts.length - 1) {
          utterance.onend = function () { if (mine === run && state !== "idle") show("idle", text("status-finished")); };
        }
        synth.speak(utterance);
      });
      show("playing", text("status-playing"));
    });
  }

  play.addEventListener("click", function () {
    if (state === "idle") start();
    else if (state === "playing") { synth.pause(); show("paused", text("status-paused")); }
    else { synth.resume(); show("playing", text("status-playing")); }
  });
  stop.addEventListener("click", function () {
    run += 1;
    synth.cancel();
    show("idle", text("status-stopped"));
    play.focus(); // the Stop button is hidden now: keep the keyboard's place
  });
  // Speech would go on after the reader leaves the page.
  window.addEventListener("pagehide", function () { if (state !== "idle") synth.cancel(); });

  box.hidden = false;
  // Say at once when the device has voices but none for this language.
  var known = synth.getVoices();
  if (known.length && !voiceFor(known)) showNoVoice();
  else if (!known.length) synth.addEventListener("voiceschanged", function () {
    var voices = synth.getVoices();
    if (voices.length && !voiceFor(voices) && state === "idle") showNoVoice();
  });
})();
