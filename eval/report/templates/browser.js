(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("error-data").textContent);
  var PAGE = 50;
  var page = 0;
  var shown = data;
  var form = document.getElementById("filters");
  var selects = form.querySelectorAll("select");
  var query = document.getElementById("q");
  var list = document.getElementById("errors-list");

  function values(e, key) { return key === "m" ? e.m : [e[key]]; }
  selects.forEach(function (select) {
    var seen = {};
    data.forEach(function (e) { values(e, select.dataset.key).forEach(function (v) { seen[v] = (seen[v] || 0) + 1; }); });
    Object.keys(seen).sort().forEach(function (v) {
      var option = document.createElement("option");
      option.value = v;
      option.textContent = v + " (" + seen[v] + ")";
      select.appendChild(option);
    });
    select.addEventListener("change", function () { page = 0; update(); });
  });
  query.addEventListener("input", function () { page = 0; update(); });
  document.getElementById("prev").addEventListener("click", function () { if (page > 0) { page--; render(); } });
  document.getElementById("next").addEventListener("click", function () {
    if ((page + 1) * PAGE < shown.length) { page++; render(); }
  });

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function sentence(e) {
    var p = el("p", "ctx");
    var text = e.c, base = e.o, cuts = [0, text.length], marks = [];
    var sides = [["g", e.g], ["p", e.p]];
    [e.g, e.p].forEach(function (item) { if (item && item.es) { sides.push(["ev", {s: item.es}]); } });
    sides.forEach(function (side) {
      if (!side[1]) { return; }
      side[1].s.forEach(function (s) {
        var a = Math.max(0, s[0] - base), b = Math.min(text.length, s[1] - base);
        if (b > a) { marks.push([a, b, side[0]]); cuts.push(a, b); }
      });
    });
    cuts = cuts.filter(function (v, i, all) { return all.indexOf(v) === i; }).sort(function (x, y) { return x - y; });
    for (var i = 0; i + 1 < cuts.length; i++) {
      var a = cuts[i], b = cuts[i + 1], cls = [];
      marks.forEach(function (m) { if (m[0] <= a && b <= m[1] && cls.indexOf(m[2]) < 0) { cls.push(m[2]); } });
      p.appendChild(cls.length ? el("span", cls.join(" "), text.slice(a, b)) : document.createTextNode(text.slice(a, b)));
    }
    return p;
  }

  function side(label, item) {
    var div = el("div", "side");
    div.appendChild(el("b", "", label + ": "));
    if (!item) { div.appendChild(document.createTextNode("none")); return div; }
    var words = "\u201c" + (item.t || "") + "\u201d " + (item.y || "");
    if (item.role) { words += " \u00b7 role " + item.role + " of event " + item.ev; }
    div.appendChild(document.createTextNode(words));
    return div;
  }

  function render() {
    list.textContent = "";
    list.start = page * PAGE + 1;
    shown.slice(page * PAGE, (page + 1) * PAGE).forEach(function (e) {
      var li = el("li");
      li.appendChild(el("div", "head", e.d + " \u00b7 " + e.l + " \u00b7 " + e.r + " \u00b7 " + e.y));
      li.appendChild(sentence(e));
      li.appendChild(side("gold", e.g));
      li.appendChild(side("predicted", e.p));
      li.appendChild(el("div", "why", e.x + " \u2014 affects " + e.m.join(", ")));
      list.appendChild(li);
    });
    var pages = Math.max(1, Math.ceil(shown.length / PAGE));
    document.getElementById("page").textContent = "page " + (page + 1) + " of " + pages;
    document.getElementById("status").textContent = shown.length + " of " + data.length + " errors match";
  }

  function update() {
    var wanted = [];
    selects.forEach(function (s) { if (s.value) { wanted.push([s.dataset.key, s.value]); } });
    var words = query.value.toLowerCase();
    shown = data.filter(function (e) {
      return wanted.every(function (w) { return values(e, w[0]).indexOf(w[1]) >= 0; }) &&
        (!words || e.c.toLowerCase().indexOf(words) >= 0);
    });
    render();
  }

  update();
})();
