// Show the editor's preview pane as the site shows the page: the site's own stylesheet, and the
// same layout (the page's wrap, its article, the summary as its lead, a letter's greeting and
// signature), so a comms officer sees what families will see. It is a file rather than an
// inline script so that /admin/ works under a Content-Security-Policy without 'unsafe-inline'.
// The stylesheet is found from this script's own address, so a site published under a
// sub-folder (https://www.example.gov.uk/send/admin/) finds /send/assets/style.css.
(function () {
  var here = document.currentScript ? document.currentScript.src : window.location.href;
  var CMS = window.CMS;
  CMS.registerPreviewStyle(new URL("../assets/style.css", here).href);

  // Decap's Markdown toolbar draws its "+▾" (add an image or a code block) and heading menus as
  // role="button" wrappers with no name: a screen reader says only "button". Name them, as they
  // are drawn (Decap redraws the toolbar whenever the form changes).
  var NAMES = { "Add Component": "Add an image or a code block", "Headings": "Headings" };
  function nameMenus() {
    Object.keys(NAMES).forEach(function (title) {
      document.querySelectorAll('[role="button"] > button[title="' + title + '"]').forEach(function (inner) {
        var outer = inner.parentElement;
        if (outer.getAttribute("aria-label") !== NAMES[title]) outer.setAttribute("aria-label", NAMES[title]);
      });
    });
  }
  new MutationObserver(nameMenus).observe(document.documentElement, { childList: true, subtree: true });

  var h = window.h;  // Decap's React.createElement
  if (!h || !CMS.registerPreviewTemplate) return;  // the stylesheet alone still applies

  function value(entry, name) {
    var found = entry.getIn(["data", name]);
    return found === undefined || found === null ? "" : String(found);
  }

  // The markup of builder/theme/templates/letter.html and article.html, in brief.
  function letterBody(entry, body) {
    var role = value(entry, "role");
    return h("div", { className: "letter__body prose" },
      h("p", { className: "letter__salutation" }, (value(entry, "salutation") || "Dear parents and carers") + ","),
      body,
      h("div", { className: "letter__signature" },
        h("p", null, "Yours sincerely,"),
        h("p", { className: "letter__author" }, value(entry, "author")),
        role ? h("p", { className: "letter__role" }, role) : null));
  }

  function Page(props) {
    var entry = props.entry;
    var letter = props.collection.get("name") === "letters";
    var summary = value(entry, "summary");
    var body = props.widgetFor("body");
    var article = letter
      ? h("article", { className: "article letter" }, h("h1", null, value(entry, "title")), letterBody(entry, body))
      : h("article", { className: "article" }, h("h1", null, value(entry, "title")),
          summary ? h("p", { className: "lead" }, summary) : null,
          h("div", { className: "prose" }, body));
    return h("div", { className: "wrap" }, h("main", { className: "main" }, article));
  }

  ["letters", "updates", "news", "timeline", "pages", "commitments"].forEach(function (name) {
    CMS.registerPreviewTemplate(name, Page);
  });
})();
