/* Search page: Pagefind's index, with plain accessible HTML results (title, date, kind).
   Without JavaScript the page shows how to browse instead; this script replaces that. */
(function () {
  var box = document.getElementById("search");
  if (!box) return;
  var bundle = box.getAttribute("data-bundle");
  // The index is split into shards (see builder/search_index.py); shard 0 loads the others.
  var shards = parseInt(box.getAttribute("data-shards") || "1", 10);
  var query = new URLSearchParams(window.location.search).get("q") || "";
  // The page's words, in the site's language, from the template (see search.html).
  var words = box.dataset;
  var counts = JSON.parse(words.results || "{}");
  function say(message) { return message.split("%(query)s").join(query); }
  box.innerHTML =
    '<form class="search__form" role="search" action="" method="get">' +
    '<label for="search-q"></label>' +
    '<div class="header-search"><input type="search" id="search-q" name="q" class="header-search__input">' +
    '<button type="submit"></button></div></form>' +
    '<p id="search-status" role="status" aria-live="polite"></p>' +
    '<ol class="search-results" id="search-results"></ol>';
  box.querySelector("label").textContent = words.label;
  box.querySelector("button").textContent = words.button;
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  input.value = query;

  function text(tag, className, value) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    el.textContent = value;
    return el;
  }

  function show(results) {
    list.textContent = "";
    status.textContent = say(results.length === 0 ? words.noResults : counts[results.length] || counts[30]);
    results.forEach(function (r) {
      var item = document.createElement("li");
      item.className = "search-result";
      var heading = document.createElement("h2");
      heading.className = "card__title";
      var link = text("a", "", r.meta.title || r.url);
      link.href = r.url;
      heading.appendChild(link);
      item.appendChild(heading);
      var meta = [r.meta.kind, r.meta.date].filter(Boolean).join(" \u00b7 ");
      if (meta) item.appendChild(text("p", "meta", meta));
      // Pagefind's excerpt is escaped text with <mark> around the matched words.
      var excerpt = document.createElement("p");
      excerpt.innerHTML = r.excerpt;
      item.appendChild(excerpt);
      list.appendChild(item);
    });
  }

  import(bundle + "0/pagefind.js").then(function (pagefind) {
    if (!query.trim()) return;
    status.textContent = words.searching;
    var merges = [];
    for (var i = 1; i < shards; i++) merges.push(pagefind.mergeIndex(bundle + i + "/"));
    return Promise.all(merges).then(function () { return pagefind.search(query); }).then(function (search) {
      return Promise.all(search.results.slice(0, 30).map(function (r) { return r.data(); }));
    }).then(function (results) { show(results); });
  }).catch(function () {
    status.textContent = words.unavailable;
  });
})();
