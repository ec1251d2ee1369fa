/* Search page: Pagefind's index, with plain accessible HTML results (title, kind, date).
   The form, the status line and the empty list are in the page (search.html), so nothing
   moves when results arrive; without JavaScript the page shows how to browse instead.

   Loaded in the page's <head>: before the first paint it marks the page as showing results
   (the browsing help is then never drawn, so it cannot jump away); the rest waits for the page. */
(function () {
  var query = (new URLSearchParams(window.location.search).get("q") || "").trim();
  if (query) document.documentElement.className += " search-has-query";
  var BATCH = 10;  // results shown at first, and added by each "Show more results"

  function ready() {
    var box = document.getElementById("search");
    if (!box) return;
    var words = box.dataset;  // the page's words, in its language (see search.html)
    var input = document.getElementById("search-q");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var shown = document.getElementById("search-shown");
    var more = document.getElementById("search-more");
    input.value = query;
    if (!query) return;

    function say(message, number) {
      return message.split("%(query)s").join(query).split("%(num)d").join(String(number));
    }
    // The sentence for a number, in the language's plural form (search_words.py).
    function counted(name, number) {
      var plural = JSON.parse(words[name]);
      var form = plural.table.charAt(number < plural.table.length ? number : 100 + number % 100);
      return say(plural.forms[Number(form)], number);
    }
    function text(tag, className, value) {
      var el = document.createElement(tag);
      if (className) el.className = className;
      el.textContent = value;
      return el;
    }
    // Pagefind may answer a word it does not know with pages holding a shorter one ("send"
    // for "sendiass"): a page matches exactly when its text has every word searched for
    // (allowing an ending: "inspections" finds "inspection").
    function exact(result) {
      var content = (result.meta.title + " " + result.content).toLowerCase();
      return query.toLowerCase().split(/\s+/).every(function (word) {
        var stem = word.replace(/^["“”']+|["“”'.,;:!?]+$/g, "");
        stem = stem.slice(0, Math.max(4, stem.length - 3));
        return !stem || content.indexOf(stem) !== -1;
      });
    }
    function item(r) {
      var li = document.createElement("li");
      li.className = "search-result";
      var heading = document.createElement("h2");
      heading.className = "card__title";
      var link = text("a", "", r.meta.title || r.url);
      link.href = r.url;
      heading.appendChild(link);
      li.appendChild(heading);
      var parts = [r.meta.kind, r.meta.date].filter(Boolean);
      if (parts.length) {
        var meta = document.createElement("p");
        meta.className = "meta";
        parts.forEach(function (part, n) {
          if (n) {  // the dot is for the eye only: a screen reader would read it out
            meta.appendChild(document.createTextNode(" "));
            var dot = text("span", "meta__sep", "\u00b7");
            dot.setAttribute("aria-hidden", "true");
            meta.appendChild(dot);
            meta.appendChild(document.createTextNode(" "));
          }
          meta.appendChild(document.createTextNode(part));
        });
        li.appendChild(meta);
      }
      // Pagefind's excerpt is escaped text with <mark> around the matched words.
      var excerpt = document.createElement("p");
      excerpt.innerHTML = r.excerpt;
      li.appendChild(excerpt);
      return li;
    }

    // The results that are true now: the settled index's results for pages since changed or
    // deleted are dropped. A recent page whose id is also a dropped one ("shared", rare: ids
    // are short hashes) is told from its stale twin by its address, read from its fragment.
    function current(results, layout) {
      var superseded = {};
      layout.superseded.forEach(function (id) { superseded[id] = true; });
      var twins = results.filter(function (r) { return layout.shared[r.id]; });
      return Promise.all(twins.map(function (r) { return r.data(); })).then(function (data) {
        var keep = [];
        twins.forEach(function (r, n) {
          if (data[n].raw_url === layout.shared[r.id] && !keep.some(function (k) { return k.id === r.id; })) keep.push(r);
        });
        return results.filter(function (r) {
          return layout.shared[r.id] ? keep.indexOf(r) !== -1 : !superseded[r.id];
        });
      });
    }

    // Pagefind leaves out a word its index does not have, so a small recent index answers
    // "speech therapy" with every page that says "speech" when no recent page says "therapy".
    // One index of the whole site would want both words wherever both are in the site: so
    // each word is looked up alone, and a result is kept only if it has every word that
    // some page has (a word no page has is left out, as one index would).
    function everyWord(pagefind, results, layout) {
      var words = query.split(/\s+/).filter(Boolean);
      if (!layout.merge.length || words.length < 2 || /^\s*".+"\s*$/.test(query)) return current(results, layout);
      return Promise.all([current(results, layout)].concat(words.map(function (word) {
        return pagefind.search(word).then(function (search) { return current(search.results, layout); });
      }))).then(function (found) {
        var kept = found[0];
        found.slice(1).forEach(function (pages) {
          if (!pages.length) return;
          var has = {};
          pages.forEach(function (r) { has[r.id] = true; });
          kept = kept.filter(function (r) { return has[r.id]; });
        });
        return kept;
      });
    }

    var all = [];
    function showMore(first) {
      var start = list.children.length;
      var batch = all.slice(start, start + BATCH);
      return Promise.all(batch.map(function (r) { return r.data(); })).then(function (results) {
        results.forEach(function (r) { list.appendChild(item(r)); });
        shown.textContent = list.children.length < all.length
          ? words.shown.split("%(shown)s").join(String(list.children.length)).split("%(total)s").join(String(all.length)) : "";
        more.hidden = list.children.length >= all.length;
        if (first) return results;
        // Keyboard and screen reader users carry on from the first result just added.
        var link = list.children[start] && list.children[start].querySelector("a");
        if (link) link.focus();
        return results;
      });
    }
    more.addEventListener("click", function () { showMore(false); });

    status.textContent = words.searching;
    // search.json says how the index is laid out (builder/render/search_log.py): a settled
    // index, a small recent one to merge, and the settled results that the recent one replaces.
    var layout = fetch(words.bundle + "search.json").then(function (r) {
      if (!r.ok) throw new Error("no search index");
      return r.json();
    });
    Promise.all([import(words.bundle + "0/pagefind.js"), layout]).then(function (loaded) {
      var pagefind = loaded[0];
      // Every address in the index is a whole site path (/cy/timeline/…): without this,
      // Pagefind puts the folder above its bundle (/cy/) in front of it a second time.
      var options = { baseUrl: "/" };
      return pagefind.options(options).then(function () {
        return Promise.all(loaded[1].merge.map(function (folder) {
          return pagefind.mergeIndex(words.bundle + folder, options);
        }));
      }).then(function () { return pagefind.search(query); })
        .then(function (search) { return everyWord(pagefind, search.results, loaded[1]); });
    }).then(function (results) {
      all = results;
      document.title = say(words.title, all.length);
      if (!all.length) {
        status.textContent = say(words.noResults, 0);
        return;
      }
      return showMore(true).then(function (results) {
        status.textContent = exact(results[0]) ? counted("results", all.length)
          : say(words.noExact, 0) + " " + counted("near", all.length);
      });
    }).catch(function () {
      status.textContent = words.unavailable;
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
