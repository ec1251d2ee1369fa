/* Progressive enhancement for the settings page: show the form and remember choices. */
(function () {
  var form = document.getElementById("display-settings");
  if (!form) return;
  var root = document.documentElement;
  var status = form.querySelector(".settings__status");
  function current(key, fallback) {
    try { return localStorage.getItem(key) || fallback; } catch (e) { return fallback; }
  }
  function apply(name, value) {
    var attr = name === "theme" ? "data-theme" : "data-text-size";
    var key = name === "theme" ? "localoffer-theme" : "localoffer-text-size";
    var neutral = name === "theme" ? "auto" : "standard";
    if (value === neutral) root.removeAttribute(attr); else root.setAttribute(attr, value);
    try { localStorage.setItem(key, value); } catch (e) { /* not saved, still applied */ }
    status.textContent = "Saved. Your choice applies to every page of this site in this browser.";
  }
  form.querySelector('input[name="theme"][value="' + current("localoffer-theme", "auto") + '"]').checked = true;
  form.querySelector('input[name="text-size"][value="' + current("localoffer-text-size", "standard") + '"]').checked = true;
  form.addEventListener("change", function (event) { apply(event.target.name, event.target.value); });
  form.hidden = false;
})();
