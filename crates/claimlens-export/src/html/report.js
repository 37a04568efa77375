(function () {
  "use strict";
  var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  function flash(list) {
    for (var i = 0; i !== list.length; i++) {
      var el = list[i];
      el.classList.remove("flash");
      void el.offsetWidth;
      el.classList.add("flash");
    }
  }
  document.addEventListener("change", function (ev) {
    var t = ev.target;
    if (!t || !t.matches || !t.matches("input[data-hide]")) return;
    var doc = t.closest(".doc");
    if (doc) doc.classList.toggle(t.getAttribute("data-hide"), !t.checked);
  });
  document.addEventListener("click", function (ev) {
    if (!ev.target || !ev.target.closest) return;
    var b = ev.target.closest("[data-target]");
    if (b) {
      var id = b.getAttribute("data-target");
      var el = document.getElementById(id);
      if (!el) return;
      ev.preventDefault();
      el.scrollIntoView({ behavior: reduce ? "auto" : "smooth", block: "center" });
      flash(document.querySelectorAll('[data-a="' + id + '"]'));
      return;
    }
    var m = ev.target.closest("mark[data-a]");
    if (!m || (window.getSelection && String(window.getSelection()) !== "")) return;
    var item = document.getElementById(m.getAttribute("data-a").replace(/^(d[0-9]+)-/, "$1-i-"));
    if (!item) return;
    var panel = item.closest(".panel");
    var det = item.closest("details");
    if (det) det.open = true;
    if (panel && getComputedStyle(panel).position === "sticky") {
      item.scrollIntoView({ behavior: reduce ? "auto" : "smooth", block: "nearest" });
    }
    flash([item]);
  });
  var was = [];
  window.addEventListener("beforeprint", function () {
    was = Array.prototype.slice.call(document.querySelectorAll("details:not([open])"));
    was.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    was.forEach(function (d) { d.open = false; });
    was = [];
  });
})();
