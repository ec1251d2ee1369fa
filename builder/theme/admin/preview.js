// Show the editor's preview pane in the site's own stylesheet. It is a file rather than an
// inline script so that /admin/ works under a Content-Security-Policy without 'unsafe-inline'.
// The stylesheet is found from this script's own address, so a site published under a
// sub-folder (https://www.example.gov.uk/send/admin/) finds /send/assets/style.css.
(function () {
  var here = document.currentScript ? document.currentScript.src : window.location.href;
  window.CMS.registerPreviewStyle(new URL("../assets/style.css", here).href);
})();
