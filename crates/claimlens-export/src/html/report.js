(function () {
  "use strict";
  var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  function flash(list) {
    for (var i = 0; i !== list.length; i++) {
      var el = list[i];
      el.classList.remove("flash");
      void el.getBoundingClientRect(); // restarts the animation (SVG elements have no offsetWidth)
      el.classList.add("flash");
    }
  }
  document.addEventListener("change", function (ev) {
    var t = ev.target;
    if (!t || !t.matches || !t.matches("input[data-hide]")) return;
    var doc = t.closest(".doc");
    if (doc) doc.classList.toggle(t.getAttribute("data-hide"), !t.checked);
  });

  // The info card: one per page, filled from the clicked highlight's data attributes (the
  // renderer wrote them; nothing is worked out here), always as text, never as markup.
  var card = null;
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function textOf(id) {
    var frags = document.querySelectorAll('mark[data-a="' + id + '"]');
    var s = "";
    for (var i = 0; i !== frags.length; i++) s += frags[i].textContent;
    s = s.replace(/\s+/g, " ").trim();
    return s.length > 240 ? s.slice(0, 240) + "\u2026" : s;
  }
  function unlink() {
    var list = document.querySelectorAll(".linked");
    for (var i = list.length - 1; i >= 0; i--) list[i].classList.remove("linked");
  }
  function closeCard() {
    unlink();
    if (card) card.hidden = true;
  }
  function row(dl, label, value) {
    dl.appendChild(el("dt", "", label));
    var dd = el("dd");
    if (typeof value === "string") dd.textContent = value;
    else dd.appendChild(value);
    dl.appendChild(dd);
  }
  function openCard(m) {
    var id = m.getAttribute("data-a");
    var first = document.getElementById(id) || m;
    if (!card) {
      card = el("div", "info-card");
      card.setAttribute("role", "dialog");
      card.setAttribute("aria-labelledby", "info-card-title");
      document.body.appendChild(card);
    }
    unlink();
    card.textContent = "";
    card.hidden = false;
    var close = el("button", "close", "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", closeCard);
    card.appendChild(close);
    var h = el("h3", "", first.getAttribute("data-title") || first.getAttribute("data-layer") || "");
    h.id = "info-card-title";
    card.appendChild(h);
    var dl = el("dl");
    row(dl, "Type", first.getAttribute("data-label") || "");
    row(dl, "Text", el("span", "covered", textOf(id)));
    var reason = (first.getAttribute("data-stage") || "") + " \u00b7 " + (first.getAttribute("data-rule") || "");
    var score = first.getAttribute("data-score");
    if (score) reason += " \u00b7 score " + score;
    row(dl, "Reason", el("span", "reason", reason));
    var links = (first.getAttribute("data-links") || "").split(";").filter(Boolean);
    if (links.length) {
      var ul = el("ul", "linked-list");
      links.forEach(function (entry) {
        var bar = entry.indexOf("|");
        var target = bar < 0 ? entry : entry.slice(0, bar);
        var role = bar < 0 ? "" : entry.slice(bar + 1);
        var t = document.getElementById(target);
        if (!t) return;
        var frags = document.querySelectorAll('mark[data-a="' + target + '"]');
        for (var i = 0; i !== frags.length; i++) frags[i].classList.add("linked");
        var li = el("li");
        li.appendChild(el("span", "role", role + " "));
        var b = el("button", "link", (t.getAttribute("data-title") || "") + ": " + textOf(target));
        b.type = "button";
        b.setAttribute("data-target", target);
        li.appendChild(b);
        ul.appendChild(li);
      });
      if (ul.childNodes.length) row(dl, "Links to", ul);
    }
    card.appendChild(dl);
    card.style.setProperty("--c", getComputedStyle(m).getPropertyValue("--c"));
    place(first);
    close.focus({ preventScroll: true });
  }
  // Puts the card under the highlight's last line (above its first when there is no room
  // below), in page coordinates so that it scrolls with the text; it then covers text after
  // the highlight rather than the panel.
  function place(m) {
    var rects = m.getClientRects();
    var firstRect = rects[0] || m.getBoundingClientRect();
    var lastRect = rects[rects.length - 1] || firstRect;
    var w = card.offsetWidth;
    var h = card.offsetHeight;
    var top = lastRect.bottom + 6;
    if (top + h > window.innerHeight - 8 && firstRect.top - h - 6 >= 8) top = firstRect.top - h - 6;
    var left = Math.max(8, Math.min(lastRect.left, document.documentElement.clientWidth - w - 8));
    card.style.left = left + window.scrollX + "px";
    card.style.top = Math.max(8, top) + window.scrollY + "px";
  }
  // The highlight a click means: the innermost mark whose layer is shown, else the innermost.
  function shownMark(target) {
    var m = target.closest("mark[data-a]");
    var innermost = m;
    while (m) {
      var k = /-a([0-9]+)-/.exec(m.getAttribute("data-a"));
      var doc = m.closest(".doc");
      if (!k || !doc || !doc.classList.contains("hide-l" + k[1])) return m;
      m = m.parentElement && m.parentElement.closest("mark[data-a]");
    }
    return innermost;
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && card && !card.hidden) closeCard();
  });

  document.addEventListener("click", function (ev) {
    if (!ev.target || !ev.target.closest) return;
    var b = ev.target.closest("[data-target]");
    if (b) {
      var id = b.getAttribute("data-target");
      var target = document.getElementById(id);
      if (!target) return;
      ev.preventDefault();
      target.scrollIntoView({ behavior: reduce ? "auto" : "smooth", block: "center" });
      flash(document.querySelectorAll('[data-a="' + id + '"]'));
      return;
    }
    if (card && !card.hidden && !ev.target.closest(".info-card") && !ev.target.closest("mark[data-a]")) closeCard();
    var m = ev.target.closest("mark[data-a]");
    if (!m || (window.getSelection && String(window.getSelection()) !== "")) return;
    m = shownMark(ev.target);
    if (/-a[0-9]+-[0-9]+$/.test(m.getAttribute("data-a"))) openCard(m);
    // A place's dot on the map lists every mention of the place in data-dot.
    var dots = document.querySelectorAll('.map [data-dot~="' + m.getAttribute("data-a") + '"]');
    if (dots.length) flash(dots);
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
