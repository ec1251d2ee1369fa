/* Questions and answers pages (questions: true): each question is a <details> that opens by
   itself, without this script. The script adds two things:
   - an address to a question (/faq/#how-do-i-complain) opens its answer, on arrival and when
     the address changes (links within the page);
   - a "Show all answers" button, for readers who would rather read or search the whole page. */
(function () {
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    var details = target && target.closest("details");
    if (!details) return;
    details.open = true;
    target.scrollIntoView();
  }

  function ready() {
    openTarget();
    var prose = document.querySelector(".prose");
    var all = prose ? prose.querySelectorAll("details") : [];
    var holder = document.getElementById("show-all-answers");
    if (!holder || all.length < 2) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "show-all";
    function label() {
      var closed = Array.prototype.some.call(all, function (d) { return !d.open; });
      button.textContent = closed ? holder.dataset.show : holder.dataset.hide;
      return closed;
    }
    button.addEventListener("click", function () {
      var open = label();
      Array.prototype.forEach.call(all, function (d) { d.open = open; });
      label();
    });
    Array.prototype.forEach.call(all, function (d) { d.addEventListener("toggle", label); });
    label();
    holder.appendChild(button);
  }

  window.addEventListener("hashchange", openTarget);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
