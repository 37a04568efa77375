// Checks run by tests/browser.rs in headless Chromium. The wrapper page embeds the JSON
// export (#expected), loads the report in an iframe (#report), runs these checks in the
// report's DOM and writes {failures, counts, errors} as JSON into #result, which the test
// reads from the dumped DOM.
(function () {
  "use strict";
  // The JSON export of each document of the report, in report order.
  var expected = JSON.parse(document.getElementById("expected").textContent);
  var result = document.getElementById("result");
  var failures = [];
  var counts = {};
  var errors = [];
  var finished = false;

  function fail(check, message) {
    failures.push(check + ": " + message);
  }
  function count(check) {
    counts[check] = (counts[check] || 0) + 1;
  }
  function show(s) {
    return JSON.stringify(s);
  }
  function finish() {
    if (finished) return;
    finished = true;
    // Escape what the DOM serializer would turn into entities, so the dump holds plain JSON.
    result.textContent = JSON.stringify({ failures: failures, counts: counts, errors: errors })
      .replace(/[<>&\u00a0]/g, function (c) {
        return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
      });
  }

  var frame = document.createElement("iframe");
  frame.id = "report";
  frame.addEventListener("load", function () {
    try {
      run(frame.contentWindow, frame.contentDocument);
    } catch (e) {
      fail("wrapper", String((e && e.stack) || e));
      finish();
    }
  });
  frame.src = document.getElementById("expected").getAttribute("data-report");
  document.body.appendChild(frame);

  function run(win, doc) {
    if (!doc || !doc.querySelector("article.doc")) {
      fail("load", "cannot read the report's DOM (file access?)");
      return finish();
    }
    // Errors thrown by the report's own listeners during the clicks below.
    win.addEventListener("error", function (e) {
      errors.push(e.message + " at " + e.filename + ":" + e.lineno + ":" + e.colno);
    });
    var arts = doc.querySelectorAll("article.doc");
    if (arts.length !== expected.length) fail("documents", arts.length + " in the report, " + expected.length + " exported");
    var known = {};
    var first = null;
    expected.forEach(function (exp, i) {
      var n = i + 1;
      var d = { exp: exp, pre: "d" + n, art: doc.getElementById("doc-" + n) };
      if (!d.art) return fail("documents", "no article doc-" + n);
      var id = d.art.querySelector(".meta dd");
      if (!id || id.textContent !== exp.id) fail("documents", "doc-" + n + " shows id " + show(id && id.textContent) + ", export has " + show(exp.id));
      checkMarks(doc, d, known);
      checkSentences(doc, d);
      checkTargets(doc, d);
      checkJumps(doc, d, "Claims (ranked)", "claims");
      checkJumps(doc, d, "Entities", "entity-groups");
      checkJumps(doc, d, "Who said what", "attributions");
      checkChains(doc, d, known);
      checkMarkClicks(doc, d);
      checkMap(doc, d);
      checkInfoCards(win, doc, d);
      checkToggles(win, d);
      count("documents");
      first = first || d;
    });
    var all = doc.querySelectorAll("mark[data-a]");
    for (var i = 0; i !== all.length; i++) {
      if (!known[all[i].getAttribute("data-a")]) fail("marks", "unexpected mark " + all[i].getAttribute("data-a"));
    }
    if (first) checkScroll(win, doc, first, finish);
    else finish();
  }

  function flashes(el) {
    return el.classList.contains("flash");
  }
  function clearFlash(doc) {
    var list = doc.querySelectorAll(".flash");
    for (var i = 0; i !== list.length; i++) list[i].classList.remove("flash");
  }

  // The code points the report renders: the ranges of its paragraph blocks. The white space
  // between paragraphs is layout, not text, so a highlight spanning paragraphs skips it.
  function renderedRanges(root) {
    var ranges = [];
    var list = root.querySelectorAll("p.para[data-start][data-end]");
    for (var i = 0; i !== list.length; i++) {
      ranges.push([Number(list[i].getAttribute("data-start")), Number(list[i].getAttribute("data-end"))]);
    }
    return ranges;
  }

  // How the report writes one character of the text (see `Esc` in html.rs): a CR before an LF
  // is dropped, a lone CR becomes LF, other controls but tab and LF become U+FFFD.
  // Control characters and bidi overrides and isolates are shown as U+FFFD.
  function rendered(c, next) {
    if (c === "\r") return next === "\n" ? "" : "\n";
    if (c !== "\n" && c !== "\t" && /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(c)) return "\ufffd";
    return c;
  }

  // How the report shows a span's text: the characters in rendered blocks, as `rendered` writes
  // them. Fails when the span would lose anything but white space between blocks.
  function visibleText(a, ranges, what) {
    var chars = Array.from(a.text);
    var out = "";
    for (var i = 0; i !== chars.length; i++) {
      var p = a.start + i;
      var shown = ranges.some(function (r) { return r[0] <= p && p < r[1]; });
      if (shown) out += rendered(chars[i], chars[i + 1]);
      else if (chars[i].trim() !== "") fail("marks", what + ": " + show(chars[i]) + " at " + p + " is in no rendered paragraph");
    }
    return out;
  }

  // (a) Every annotation of every layer: its mark fragments, in document order, spell exactly
  // the annotation's text (less the white space between paragraphs, controls as `rendered`
  // writes them) and carry its layer, label and code-point offsets.
  function checkMarks(doc, d, known) {
    var ranges = renderedRanges(d.art);
    d.exp.layers.forEach(function (layer, k) {
      layer.annotations.forEach(function (a, j) {
        var id = d.pre + "-a" + k + "-" + j;
        known[id] = true;
        var what = id + " (" + layer.name + " " + a.type + " " + a.start + "-" + a.end + " " + show(a.text) + ")";
        var frags = doc.querySelectorAll('mark[data-a="' + id + '"]');
        if (frags.length === 0) return fail("marks", what + " has no mark");
        if (doc.getElementById(id) !== frags[0]) fail("marks", what + ": the id is not on the first fragment");
        var text = "";
        for (var i = 0; i !== frags.length; i++) {
          var f = frags[i];
          text += f.textContent;
          if (f.getAttribute("data-start") !== String(a.start) || f.getAttribute("data-end") !== String(a.end)) {
            fail("marks", what + ": fragment " + i + " has data-start/end " + f.getAttribute("data-start") + "-" + f.getAttribute("data-end"));
          }
          if (f.getAttribute("data-layer") !== layer.name || f.getAttribute("data-label") !== a.type) {
            fail("marks", what + ": fragment " + i + " has layer/label " + f.getAttribute("data-layer") + "/" + f.getAttribute("data-label"));
          }
        }
        var want = visibleText(a, ranges, what);
        if (text !== want) fail("marks", what + ": highlighted text is " + show(text) + ", expected " + show(want));
        count("annotations");
        counts.fragments = (counts.fragments || 0) + frags.length;
      });
    });
  }

  function checkSentences(doc, d) {
    var ranges = renderedRanges(d.art);
    d.exp.sentences.forEach(function (s, i) {
      var id = d.pre + "-s" + i;
      var frags = doc.querySelectorAll('span.sent[data-a="' + id + '"]');
      var text = "";
      for (var f = 0; f !== frags.length; f++) text += frags[f].textContent;
      var want = visibleText(s, ranges, id);
      if (text !== want) fail("sentences", id + " " + show(want) + ": rendered as " + show(text));
      count("sentences");
    });
  }

  // Every panel entry points at an element that exists; every annotation has its entry.
  function checkTargets(doc, d) {
    var list = d.art.querySelectorAll("[data-target]");
    for (var i = 0; i !== list.length; i++) {
      var t = list[i].getAttribute("data-target");
      if (!t || !doc.getElementById(t)) fail("targets", "entry " + show(list[i].textContent.trim()) + " points at missing " + show(t));
      count("targets");
    }
    d.exp.layers.forEach(function (layer, k) {
      layer.annotations.forEach(function (a, j) {
        var item = doc.getElementById(d.pre + "-i-a" + k + "-" + j);
        var button = item && item.querySelector("button.jump");
        if (!button || button.getAttribute("data-target") !== d.pre + "-a" + k + "-" + j) {
          fail("targets", "no panel entry jumping to " + d.pre + "-a" + k + "-" + j);
        }
      });
    });
  }

  function section(root, title) {
    var list = root.querySelectorAll("details.sec");
    for (var i = 0; i !== list.length; i++) {
      var s = list[i].querySelector("summary");
      if (s && s.textContent.trim().indexOf(title) === 0) return list[i];
    }
    return null;
  }

  // (b) A jump button in a digest section flashes every fragment of its target, which is an
  // annotation of `layerName` whose text the entry shows.
  function checkJumps(doc, d, title, layerName) {
    var sec = section(d.art, title);
    if (!sec) return; // no entity or no named speaker; the test asserts the counts it needs
    var k = d.exp.layers.map(function (l) { return l.name; }).indexOf(layerName);
    var buttons = sec.querySelectorAll("button.jump[data-target]");
    if (buttons.length === 0) fail("jumps", show(title) + " has no jump buttons");
    for (var i = 0; i !== buttons.length; i++) {
      var b = buttons[i];
      var id = b.getAttribute("data-target");
      var what = show(title) + " entry " + show(b.textContent.trim()) + " -> " + show(id);
      var m = new RegExp("^" + d.pre + "-a([0-9]+)-([0-9]+)$").exec(id);
      if (!m || Number(m[1]) !== k) {
        fail("jumps", what + ": not an annotation of " + layerName);
        continue;
      }
      var a = d.exp.layers[k].annotations[Number(m[2])];
      // An entity shows its canonical name, a claim its rank, other entries their text.
      var shown = title === "Entities" ? b.querySelector("strong")
        : title === "Claims (ranked)" ? b.querySelector(".rank") : b.querySelector(".rule");
      var want = title === "Entities" ? a.attrs && a.attrs.canonical
        : title === "Claims (ranked)" ? "#" + (a.attrs && a.attrs.rank) : a.text;
      if (!shown || shown.textContent !== want) fail("jumps", what + ": shows " + show(shown && shown.textContent) + ", annotation has " + show(want));
      clearFlash(doc);
      b.click();
      var frags = doc.querySelectorAll('[data-a="' + id + '"]');
      if (frags.length === 0) fail("jumps", what + ": target has no fragments");
      for (var f = 0; f !== frags.length; f++) {
        if (!flashes(frags[f])) fail("jumps", what + ": fragment " + f + " did not flash");
      }
      count("jumps " + title);
    }
  }

  // (b, chains) Every step link of the source chains shows text[start:end] of the export,
  // points at a highlight of exactly that span (an annotation with those offsets — for an
  // outlet step one of the `outlets` layer — or a `mark.x` the report adds for a span no
  // annotation covers) whose characters equal the link's text, and flashes it; clicking a
  // `mark.x` flashes its step.
  function checkChains(doc, d, known) {
    var sec = section(d.art, "Source chains");
    if (!sec) return;
    var inner = sec.querySelectorAll("details");
    for (var i = 0; i !== inner.length; i++) inner[i].open = true;
    var ranges = renderedRanges(d.art);
    var chars = Array.from(d.exp.text);
    var relayed = sec.querySelectorAll(":scope > ol.items > li.chain");
    counts["relayed chains"] = (counts["relayed chains"] || 0) + relayed.length;
    var links = sec.querySelectorAll("button.step-link");
    if (links.length === 0) fail("chains", d.pre + ": a chains section without step links");
    for (i = 0; i !== links.length; i++) {
      var b = links[i];
      var id = b.getAttribute("data-target");
      var q = b.querySelector(".q");
      var shown = q && q.textContent;
      var s = Number(b.getAttribute("data-start"));
      var e = Number(b.getAttribute("data-end"));
      var what = "chain step " + show(shown) + " " + s + "-" + e + " -> " + show(id);
      var slice = chars.slice(s, e);
      // A long span shows a window of itself, with "…" where it was cut.
      var ws = b.hasAttribute("data-shown-start") ? Number(b.getAttribute("data-shown-start")) : s;
      var we = b.hasAttribute("data-shown-end") ? Number(b.getAttribute("data-shown-end")) : e;
      var win = chars.slice(ws, we);
      var want = (ws > s ? "\u2026" : "") + win.map(function (c, k) { return rendered(c, win[k + 1]); }).join("") + (we < e ? "\u2026" : "");
      if (shown !== want) fail("chains", what + ": the export's text there is " + show(want));
      if (ws !== s || we !== e) count("chain steps cut");
      var m = new RegExp("^" + d.pre + "-a([0-9]+)-([0-9]+)$").exec(id);
      if (m) {
        var layer = d.exp.layers[Number(m[1])];
        var a = layer && layer.annotations[Number(m[2])];
        if (!a || a.start !== s || a.end !== e) fail("chains", what + ": the annotation spans " + (a ? a.start + "-" + a.end : "nothing"));
        if (b.closest("li.r-outlet")) {
          if (!layer || layer.name !== "outlets") fail("chains", what + ": an outlet step pointing into " + show(layer && layer.name));
          count("chain outlet steps");
        }
      } else if (new RegExp("^" + d.pre + "-x[0-9]+$").test(id)) {
        known[id] = true;
      } else {
        fail("chains", what + ": not a highlight of this document");
        continue;
      }
      var frags = doc.querySelectorAll('mark[data-a="' + id + '"]');
      if (frags.length === 0) {
        fail("chains", what + ": no highlight");
        continue;
      }
      var text = "";
      for (var f = 0; f !== frags.length; f++) text += frags[f].textContent;
      var highlighted = visibleText({ start: s, end: e, text: slice.join("") }, ranges, what);
      if (text !== highlighted) fail("chains", what + ": the highlight spells " + show(text) + ", expected " + show(highlighted));
      if (frags[0].getAttribute("data-start") !== String(s) || frags[0].getAttribute("data-end") !== String(e)) {
        fail("chains", what + ": the highlight has offsets " + frags[0].getAttribute("data-start") + "-" + frags[0].getAttribute("data-end"));
      }
      clearFlash(doc);
      b.click();
      for (f = 0; f !== frags.length; f++) {
        if (!flashes(frags[f])) fail("chains", what + ": fragment " + f + " did not flash");
      }
      count("chain steps");
    }
    var extras = d.art.querySelectorAll("mark.x[id]");
    for (i = 0; i !== extras.length; i++) {
      var mark = extras[i];
      var item = doc.getElementById(mark.id.replace(/^(d[0-9]+)-/, "$1-i-"));
      clearFlash(doc);
      mark.click();
      if (!item || !flashes(item)) fail("chains", mark.id + ": clicking the step's highlight did not flash its step");
      count("chain extra marks");
    }
  }

  // Shows every layer of the document (returns the checkboxes it ticked, for `restore`), so
  // that a click on any mark reaches that mark: a click on a hidden layer's mark goes to the
  // shown highlight around it.
  function showAll(d) {
    var ticked = [];
    var inputs = d.art.querySelectorAll("input[data-hide]");
    for (var i = 0; i !== inputs.length; i++) {
      if (!inputs[i].checked) {
        inputs[i].click();
        ticked.push(inputs[i]);
      }
    }
    return ticked;
  }
  function restore(ticked) {
    ticked.forEach(function (input) { input.click(); });
  }

  // (c, map) The Places map has a dot per place the export gives coordinates, at x = lon + 180,
  // y = 90 - lat; a dot's data-dot lists every mention of its place (data-target first).
  // Clicking a dot flashes its first mention's highlight; clicking a mention flashes the dot.
  function checkMap(doc, d) {
    var k = d.exp.layers.map(function (l) { return l.name; }).indexOf("places");
    var placed = k < 0 ? [] : d.exp.layers[k].annotations.filter(function (a) {
      return a.type === "PLACE" && a.attrs && typeof a.attrs.lat === "number";
    });
    var dots = d.art.querySelectorAll(".map circle.dot");
    if (placed.length && !dots.length) fail("map", "places have coordinates but the map has no dots");
    if (!placed.length && d.art.querySelector(".map")) fail("map", "a map without places with coordinates");
    if (!dots.length) return;
    var svg = d.art.querySelector(".map svg");
    if (svg.getAttribute("role") !== "img" || !svg.getAttribute("aria-label")) fail("map", "the map is not labelled as an image");
    var ticked = showAll(d);
    var listed = {};
    for (var i = 0; i !== dots.length; i++) {
      var dot = dots[i];
      var id = dot.getAttribute("data-target");
      var mentions = (dot.getAttribute("data-dot") || "").split(" ");
      var what = "dot " + show(dot.textContent) + " -> " + show(id);
      var m = new RegExp("^" + d.pre + "-a" + k + "-([0-9]+)$").exec(id);
      if (!m || mentions[0] !== id) {
        fail("map", what + ": not the first mention of a place");
        continue;
      }
      var a = d.exp.layers[k].annotations[Number(m[1])];
      var lat = a.attrs.lat, lon = a.attrs.lon;
      var cx = Number(dot.getAttribute("cx")), cy = Number(dot.getAttribute("cy"));
      if (Math.abs(cx - (lon + 180)) > 0.01 || Math.abs(cy - (90 - lat)) > 0.01) {
        fail("map", what + ": at " + cx + "," + cy + " for lat " + lat + ", lon " + lon);
      }
      // A place shows its canonical name, a relative location its own words.
      var name = a.type === "RELATIVE" ? a.text : a.attrs.name;
      if (dot.textContent.indexOf(name) !== 0) fail("map", what + ": title does not start with " + show(name));
      clearFlash(doc);
      dot.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
      var frags = doc.querySelectorAll('mark[data-a="' + id + '"]');
      if (!frags.length) fail("map", what + ": no highlight");
      for (var f = 0; f !== frags.length; f++) {
        if (!flashes(frags[f])) fail("map", what + ": highlight fragment " + f + " did not flash");
      }
      mentions.forEach(function (mention) {
        listed[mention] = true;
        var mark = doc.getElementById(mention);
        if (!mark) return fail("map", what + ": mention " + show(mention) + " has no highlight");
        clearFlash(doc);
        mark.click();
        if (!flashes(dot)) fail("map", what + ": clicking mention " + show(mention) + " did not flash the dot");
        count("map mention clicks");
      });
      count("map dots");
    }
    d.exp.layers[k].annotations.forEach(function (a, j) {
      var id = d.pre + "-a" + k + "-" + j;
      if (a.type === "PLACE" && a.attrs && typeof a.attrs.lat === "number" && !listed[id]) {
        fail("map", "place " + show(a.text) + " (" + id + ") has coordinates but no dot lists it");
      }
    });
    restore(ticked);
  }

  // (c) Clicking a highlight opens the details holding its panel entry and flashes the entry.
  function checkMarkClicks(doc, d) {
    var ticked = showAll(d);
    d.exp.layers.forEach(function (layer, k) {
      layer.annotations.forEach(function (a, j) {
        var mark = doc.getElementById(d.pre + "-a" + k + "-" + j);
        var item = doc.getElementById(d.pre + "-i-a" + k + "-" + j);
        if (!mark || !item) return; // reported by checkMarks / checkTargets
        var details = item.closest("details");
        if (details) details.open = false;
        clearFlash(doc);
        mark.click();
        if (!flashes(item)) fail("mark clicks", mark.id + " " + show(a.text) + ": entry did not flash");
        if (details && !details.open) fail("mark clicks", mark.id + ": entry's section did not open");
        count("mark clicks");
      });
    });
    restore(ticked);
  }

  function escape(win, doc) {
    doc.dispatchEvent(new win.KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
  }

  // (e) Clicking a quote (as the page opens: only quotes and speakers shown) opens the info
  // card, a dialog with the layer's title, the quote's text and its reason (stage, rule,
  // score as a percentage), and marks its speaker's highlight `linked`; Escape closes the
  // card and clears the marks. Clicking a speaker marks its quotes. Every link the card lists
  // is a highlight of this document.
  function checkInfoCards(win, doc, d) {
    var k = d.exp.layers.map(function (l) { return l.name; }).indexOf("attribution-parts");
    if (k < 0) return;
    var layer = d.exp.layers[k];
    layer.annotations.forEach(function (a, j) {
      if (a.type !== "CONTENT" && a.type !== "SOURCE") return;
      var id = d.pre + "-a" + k + "-" + j;
      var mark = doc.getElementById(id);
      if (!mark) return;
      var what = id + " (" + a.type + " " + show(a.text) + ")";
      mark.click();
      var card = doc.querySelector(".info-card");
      if (!card || card.hidden || card.getAttribute("role") !== "dialog") return fail("info card", what + ": no open dialog");
      var title = card.querySelector("h3");
      if (!title || title.textContent !== "Quotes and speakers") fail("info card", what + ": titled " + show(title && title.textContent));
      var reason = card.querySelector(".reason");
      var want = a.reason.stage + " \u00b7 " + a.reason.rule;
      if (a.reason.score !== undefined && a.reason.score !== null) want += " \u00b7 score " + Math.round(a.reason.score * 100) + "%";
      if (!reason || reason.textContent !== want) fail("info card", what + ": reason " + show(reason && reason.textContent) + ", expected " + show(want));
      var covered = card.querySelector(".covered");
      var firstWord = a.text.trim().split(/\s+/)[0];
      if (!covered || covered.textContent.indexOf(firstWord) !== 0) fail("info card", what + ": shows " + show(covered && covered.textContent));
      var buttons = card.querySelectorAll("button[data-target]");
      for (var i = 0; i !== buttons.length; i++) {
        var t = buttons[i].getAttribute("data-target");
        var m = doc.getElementById(t);
        if (!m || !m.matches("mark") || !d.art.contains(m)) fail("info card", what + ": links to " + show(t));
        else if (!m.classList.contains("linked")) fail("info card", what + ": linked " + t + " lacks the class linked");
      }
      // The pipeline's own attribution links say who the speaker is and what the quotes are.
      var rel = d.exp.layers[d.exp.layers.map(function (l) { return l.name; }).indexOf("attributions")];
      (rel ? rel.annotations : []).forEach(function (r) {
        var parts = {};
        r.links.forEach(function (l) { if (l.layer === "attribution-parts") (parts[l.role] = parts[l.role] || []).push(l.index); });
        var mine = a.type === "CONTENT" ? (parts.content || []).concat(parts.continuation || []) : parts.source || [];
        var theirs = a.type === "CONTENT" ? parts.source || [] : (parts.content || []).concat(parts.continuation || []);
        if (mine.indexOf(j) < 0) return;
        theirs.forEach(function (p) {
          var other = doc.getElementById(d.pre + "-a" + k + "-" + p);
          if (!other || !other.classList.contains("linked")) {
            fail("info card", what + ": its " + (a.type === "CONTENT" ? "speaker " : "quote ") + d.pre + "-a" + k + "-" + p + " is not marked linked");
          } else count(a.type === "CONTENT" ? "quote → speaker linked" : "speaker → quote linked");
        });
      });
      escape(win, doc);
      if (!card.hidden) fail("info card", what + ": Escape did not close the card");
      if (doc.querySelector(".linked")) fail("info card", what + ": closing left linked highlights");
      count("info cards");
    });
  }

  // (d) Each checkbox toggles its hide class on the document, and hiding a layer really
  // removes its highlight (its fill and its underline).
  function checkToggles(win, d) {
    var inputs = d.art.querySelectorAll("input[data-hide]");
    var clear = "rgba(0, 0, 0, 0)";
    function look(mark) {
      var st = win.getComputedStyle(mark);
      return { bg: st.backgroundColor, line: st.borderBottomColor };
    }
    for (var i = 0; i !== inputs.length; i++) {
      var input = inputs[i];
      var cls = input.getAttribute("data-hide");
      var art = d.art;
      if (input.closest(".doc") !== art) fail("toggles", cls + ": checkbox outside its document");
      if (art.classList.contains(cls) !== !input.checked) fail("toggles", cls + ": initial class disagrees with the checkbox");
      var m = /^hide-l([0-9]+)$/.exec(cls);
      var mark = m && art.querySelector("mark.l" + m[1] + ":not(.empty)");
      // A technique family's toggle hides its spans within the techniques layer, so the
      // layer itself is shown while the family's toggle is checked.
      var f = /^hide-tf([0-9]+)$/.exec(cls);
      var layerBox = null;
      if (f) {
        mark = art.querySelector("mark.tf" + f[1] + ":not(.empty)");
        if (!mark) fail("toggles", cls + ": a family in the legend has no highlight");
        var l = mark && /\bl([0-9]+)\b/.exec(mark.className);
        var box = l && art.querySelector('input[data-hide="hide-l' + l[1] + '"]');
        if (box && !box.checked) {
          box.click();
          layerBox = box;
        }
      }
      var wasChecked = input.checked;
      if (!wasChecked) input.click(); // start from "shown"
      var shown = mark && look(mark);
      if (shown && shown.bg === clear && shown.line === clear) fail("toggles", cls + ": a shown mark has neither fill nor underline");
      input.click(); // uncheck
      if (input.checked || !art.classList.contains(cls)) fail("toggles", cls + ": unchecking did not add the class");
      if (mark) {
        var hidden = look(mark);
        if (hidden.bg !== clear || hidden.line !== clear) fail("toggles", cls + ": hidden mark still has " + show(hidden));
      }
      input.click(); // check again
      if (!input.checked || art.classList.contains(cls)) fail("toggles", cls + ": checking did not remove the class");
      if (!wasChecked) input.click(); // restore
      if (layerBox) layerBox.click();
      if (f) count("family toggles");
      count("toggles");
    }
  }

  // (b, scrolling) From the bottom of the page, a jump to the first entity brings it into
  // view once the smooth scroll has run.
  function checkScroll(win, doc, d, done) {
    var sec = section(d.art, "Entities");
    var b = sec && sec.querySelector("button.jump[data-target]");
    if (!b) return done();
    var target = doc.getElementById(b.getAttribute("data-target"));
    win.scrollTo(0, doc.documentElement.scrollHeight);
    var before = win.scrollY;
    b.click();
    win.setTimeout(function () {
      var r = target.getBoundingClientRect();
      if (r.bottom <= 0 || r.top >= win.innerHeight) {
        fail("scroll", target.id + " is outside the viewport (top " + r.top + ", viewport " + win.innerHeight + ", scrollY " + before + " -> " + win.scrollY + ")");
      }
      counts["scrolled px"] = Math.round(before - win.scrollY);
      done();
    }, 2000);
  }
})();
