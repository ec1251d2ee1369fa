/* The settings page: show the form, and apply and save the choices when the reader presses
   "Save settings". Nothing changes while they choose (WCAG 3.2.2 On Input); after saving, the
   status line (a polite live region) says what changed. The words come from the template, in
   the site's language. */
(function () {
  var form = document.getElementById("display-settings");
  if (!form) return;
  var root = document.documentElement;
  var status = form.querySelector(".settings__status");
  var settings = [
    { name: "text-size", key: "localoffer-text-size", attr: "data-text-size", neutral: "standard" },
    { name: "theme", key: "localoffer-theme", attr: "data-theme", neutral: "auto" }
  ];
  function stored(setting) {
    try { return localStorage.getItem(setting.key) || setting.neutral; } catch (e) { return setting.neutral; }
  }
  function chosen(setting) {
    var input = form.querySelector('input[name="' + setting.name + '"]:checked');
    return input ? input.value : setting.neutral;
  }
  function applied(setting) {
    return root.getAttribute(setting.attr) || setting.neutral;
  }
  settings.forEach(function (setting) {
    var input = form.querySelector('input[name="' + setting.name + '"][value="' + stored(setting) + '"]');
    if (input) input.checked = true;
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var changes = [];
    var saved = true;
    settings.forEach(function (setting) {
      var value = chosen(setting);
      if (value !== applied(setting) || value !== stored(setting)) {
        changes.push(form.querySelector('input[name="' + setting.name + '"][value="' + value + '"]').getAttribute("data-announce"));
      }
      if (value === setting.neutral) root.removeAttribute(setting.attr); else root.setAttribute(setting.attr, value);
      try { localStorage.setItem(setting.key, value); } catch (e) { saved = false; }
    });
    var message = changes.length === 0 ? form.getAttribute("data-unchanged")
      : form.getAttribute(saved ? "data-saved" : "data-saved-here").split("%(changes)s").join(changes.join(", "));
    // Clear first, so saving the same message twice is announced twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  });
  form.hidden = false;
})();
