// Easy Read versions (NAME.easyread.md) belong to their own collections ("Easy Read: Letters"),
// not to the ordinary ones ("Letters"). Decap lists in a folder collection every file whose
// name ends with the collection's extension, and "letter.easyread.md" ends with ".md" too; its
// `filter` option compares a front-matter field with one value and cannot look at file names.
// So this wraps the saving backend (GitHub, GitLab or `localoffer serve`'s proxy) as Decap
// creates it: whatever the backend lists for an ".md" collection, the ".easyread.md" files are
// left out. The Easy Read collections ask for ".easyread.md" and are not changed.
// Loaded after Decap's script and before Decap reads config.yml, so before any backend exists.
(function () {
  var CMS = window.CMS;
  var EASY_READ = ".easyread.md";

  function ordinary(extension) {
    return String(extension || "").replace(/^\./, "") === "md";
  }

  function pathOf(entry) {
    return (entry && entry.file && entry.file.path) || (entry && entry.path) || "";
  }

  // The list without Easy Read files; Decap keeps the list's cursor on the array itself (a
  // symbol-named property), so that is carried over.
  function keep(list, extension) {
    if (!ordinary(extension) || !Array.isArray(list)) return list;
    var kept = list.filter(function (entry) { return pathOf(entry).slice(-EASY_READ.length) !== EASY_READ; });
    Object.getOwnPropertySymbols(list).forEach(function (symbol) { kept[symbol] = list[symbol]; });
    return kept;
  }

  function wrap(implementation) {
    ["entriesByFolder", "allEntriesByFolder"].forEach(function (name) {
      var original = implementation[name];
      if (typeof original !== "function") return;
      implementation[name] = function (folder, extension) {
        return Promise.resolve(original.apply(implementation, arguments)).then(function (list) {
          return keep(list, extension);
        });
      };
    });
    var traverse = implementation.traverseCursor;
    if (typeof traverse === "function") {
      implementation.traverseCursor = function (cursor) {
        var meta = cursor && cursor.meta;
        var extension = meta && typeof meta.get === "function" ? meta.get("extension") : undefined;
        return Promise.resolve(traverse.apply(implementation, arguments)).then(function (result) {
          if (!result || !ordinary(extension)) return result;
          return Object.assign({}, result, { entries: keep(result.entries, extension) });
        });
      };
    }
    return implementation;
  }

  ["proxy", "github", "gitlab", "git-gateway", "bitbucket", "gitea", "azure"].forEach(function (name) {
    var backend = CMS.getBackend(name);
    if (!backend || backend.localofferWrapped) return;
    var init = backend.init;
    backend.init = function () { return wrap(init.apply(this, arguments)); };
    backend.localofferWrapped = true;
  });
})();
