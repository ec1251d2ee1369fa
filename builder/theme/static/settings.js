/* Runs in <head> before first paint: apply the display settings saved on the settings page.
   Without JavaScript, or with nothing saved, the CSS follows the device's own preferences. */
(function () {
  try {
    var root = document.documentElement;
    var theme = localStorage.getItem("localoffer-theme");
    var size = localStorage.getItem("localoffer-text-size");
    if (theme && theme !== "auto") root.setAttribute("data-theme", theme);
    if (size && size !== "standard") root.setAttribute("data-text-size", size);
  } catch (e) { /* storage blocked: keep the defaults */ }
})();
