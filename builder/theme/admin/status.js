// The result of the last publishing run, shown at the foot of the editor on every screen.
// The site's GitHub or GitLab job writes it to /admin/status.json (builder/commands/status.py),
// and `localoffer serve` answers the same address with the preview's last build. Without
// this, the editor said "Published" even when the build then failed. A file, not an inline
// script, so /admin/ works under a Content-Security-Policy; styles are set through the DOM.
(function () {
  var here = document.currentScript ? document.currentScript.src : window.location.href;
  var address = new URL("status.json", here).href;
  var shown = "";

  function text(tag, words) {
    var element = document.createElement(tag);
    element.textContent = words;
    return element;
  }

  function render(status) {
    var panel = document.getElementById("localoffer-status");
    if (!panel) {
      panel = document.createElement("section");
      panel.id = "localoffer-status";
      panel.setAttribute("role", "status");
      panel.setAttribute("aria-labelledby", "localoffer-status-title");
      var s = panel.style;
      s.position = "fixed"; s.left = "0"; s.right = "0"; s.bottom = "0"; s.zIndex = "10000";
      s.maxHeight = "40vh"; s.overflowY = "auto"; s.margin = "0"; s.padding = "0.5rem 1rem";
      s.background = "#ffffff"; s.color = "#0b0c0c"; s.font = "1rem/1.5 system-ui, sans-serif";
      document.body.appendChild(panel);
    }
    var failed = status.result === "problems";
    panel.style.borderTop = failed ? "5px solid #d4351c" : "5px solid #00703c";
    panel.textContent = "";
    var title = text("h2", status.where === "preview"
      ? (failed ? "Preview: your latest changes are not shown" : "Preview: up to date")
      : (failed ? "Last publication: not published" : "Last publication: published"));
    title.id = "localoffer-status-title";
    title.style.margin = "0"; title.style.fontSize = "1.125rem";
    panel.appendChild(title);
    var when = status.time ? new Date(status.time).toLocaleString() : "";
    var about = [status.summary || "", when ? "Checked " + when + "." : "",
                 status.commit ? "Change " + String(status.commit).slice(0, 7) + "." : ""].join(" ");
    panel.appendChild(text("p", about.trim()));
    panel.lastChild.style.margin = "0";
    if (failed && status.problems && status.problems.length) {
      var list = document.createElement("ol");
      list.style.margin = "0.25rem 0 0"; list.style.paddingLeft = "1.5rem";
      status.problems.forEach(function (p) {
        var where = p.file + (p.line ? ", line " + p.line : "");
        list.appendChild(text("li", where + ": " + p.problem + (p.how_to_fix ? ". How to fix: " + p.how_to_fix : "")));
      });
      panel.appendChild(list);
    }
    if (status.run_url && /^https:\/\//.test(status.run_url)) {
      var link = text("a", "The publishing run's full record");
      link.href = status.run_url;
      link.style.color = "#1d70b8";
      panel.appendChild(link);
    }
    document.body.style.paddingBottom = panel.offsetHeight + "px";  // nothing of the editor hidden under it
  }

  function load() {
    fetch(address, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (body) {
        if (!body || body === shown) return;  // unchanged: nothing for a screen reader to announce again
        shown = body;
        render(JSON.parse(body));
      })
      .catch(function () { /* no result published yet: show nothing */ });
  }

  window.addEventListener("DOMContentLoaded", load);
  if (document.readyState !== "loading") load();
  // A publishing run takes a minute or two: look again while the editor is open.
  window.setInterval(function () { if (!document.hidden) load(); }, 20000);
})();
