/* exsweep HTML report: the findings table, drawn from the JSON block #exs-data (embedded in
 * the page by lib/report/html.c). Every string of the evidence goes on the page as text
 * (textContent, option.text), never as markup; nothing is fetched. */
(function () {
  "use strict";
  var PAGE = 200; /* rows drawn at a time */
  var VN = ["", "probe", "attempt", "suspicious", "exploitation"];
  var doc = document;
  var data = JSON.parse(doc.getElementById("exs-data").textContent);
  var rules = data.rules, all = data.findings;
  var view = all.map(function (f, i) { return i; }), page = 0, sortKey = "", sortDir = 1, open = {};
  var tbody = doc.querySelector("#exs-findings tbody");
  var q = doc.getElementById("exs-q"), fv = doc.getElementById("exs-v");
  var fr = doc.getElementById("exs-r"), pageLabel = doc.getElementById("exs-page");

  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function request(f) {
    if (!f.m && !f.p) return "";
    return (f.m || "-") + " " + (f.p || "") + (f.st ? " " + f.st : "");
  }
  function key(f, k) {
    switch (k) {
      case "t": return f.t || "\uffff"; /* no time: last */
      case "v": return f.v * 10 + f.s;
      case "r": return rules[f.r].id;
      case "c": return f.c || "";
      case "p": return request(f);
      default: return f[k] || "";
    }
  }
  var hay = null; /* lower-case text of each finding, made at the first search */
  function haystack(i) {
    var f = all[i], r = rules[f.r], s = [f.t, VN[f.v], r.id, r.name, r.family, f.c, request(f), f.w, f.at, f.e];
    for (var k = 0; k < f.d.length; k++) s.push(f.d[k][1]);
    return s.join("\n").toLowerCase();
  }
  function apply() {
    var text = q.value.trim().toLowerCase(), v = +fv.value, rule = fr.value;
    if (text && !hay) { hay = new Array(all.length); for (var i = 0; i < all.length; i++) hay[i] = haystack(i); }
    view = [];
    for (var j = 0; j < all.length; j++) {
      var f = all[j];
      if (v === 1 ? f.v !== 1 : v && f.v < v) continue;
      if (rule !== "" && f.r !== +rule) continue;
      if (text && hay[j].indexOf(text) < 0) continue;
      view.push(j);
    }
    if (sortKey) {
      var k = sortKey, d = sortDir;
      view.sort(function (a, b) {
        var x = key(all[a], k), y = key(all[b], k);
        return x < y ? -d : x > y ? d : a - b;
      });
    }
    page = 0;
    draw();
  }
  function detail(f) {
    var r = rules[f.r], td = el("td"), dl = el("dl", "ev");
    td.colSpan = 7;
    function add(label, value) {
      if (value === undefined || value === null || value === "") return;
      dl.appendChild(el("dt", null, label));
      dl.appendChild(el("dd", null, value));
    }
    add("rule", r.id + ": " + r.name);
    add("family", r.family);
    add("CVE", r.cves);
    add("ATT&CK", r.techniques);
    add("verdict", VN[f.v]);
    add("where", f.at);
    for (var k = 0; k < f.d.length; k++) add(f.d[k][0], f.d[k][1]);
    td.appendChild(dl);
    if (r.description) td.appendChild(el("p", "dim", r.description));
    if (f.e) { td.appendChild(el("div", "dim", "evidence")); td.appendChild(el("pre", "evidence", f.e)); }
    var tr = el("tr", "detail");
    tr.appendChild(td);
    return tr;
  }
  function row(i) {
    var f = all[i], tr = el("tr", "row");
    tr.appendChild(el("td", null, f.t || "-"));
    tr.appendChild(el("td", "v-" + VN[f.v], VN[f.v]));
    var rc = el("td");
    rc.appendChild(el("code", null, rules[f.r].id));
    rc.title = rules[f.r].name;
    tr.appendChild(rc);
    tr.appendChild(el("td", "where", f.c || "-"));
    tr.appendChild(el("td", "where", request(f) || "-"));
    tr.appendChild(el("td", null, f.w));
    tr.appendChild(el("td", "where", f.at));
    tr.addEventListener("click", function () {
      if (open[i]) { delete open[i]; } else { open[i] = true; }
      draw();
    });
    return tr;
  }
  function draw() {
    var pages = Math.max(1, Math.ceil(view.length / PAGE));
    if (page >= pages) page = pages - 1;
    var frag = doc.createDocumentFragment(), end = Math.min(view.length, (page + 1) * PAGE);
    for (var n = page * PAGE; n < end; n++) {
      var i = view[n], tr = row(i);
      frag.appendChild(tr);
      if (open[i]) { tr.className += " open"; frag.appendChild(detail(all[i])); }
    }
    tbody.textContent = "";
    tbody.appendChild(frag);
    pageLabel.textContent = view.length ? "rows " + (page * PAGE + 1) + "\u2013" + end + " of " + view.length +
      (view.length < all.length ? " matching (" + all.length + " in this file)" : "") : "no finding matches";
    doc.getElementById("exs-prev").disabled = page === 0;
    doc.getElementById("exs-next").disabled = page + 1 >= pages;
  }
  for (var k = 0; k < rules.length; k++) {
    var o = doc.createElement("option");
    o.value = String(k);
    o.text = rules[k].id + " (" + rules[k].family + ")";
    fr.appendChild(o);
  }
  var timer = 0;
  q.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(apply, 150); });
  fv.addEventListener("change", apply);
  fr.addEventListener("change", apply);
  doc.getElementById("exs-prev").addEventListener("click", function () { page--; draw(); });
  doc.getElementById("exs-next").addEventListener("click", function () { page++; draw(); });
  var heads = doc.querySelectorAll("#exs-findings th");
  Array.prototype.forEach.call(heads, function (th) {
    th.addEventListener("click", function () {
      var k = th.getAttribute("data-k");
      sortDir = sortKey === k ? -sortDir : (k === "v" ? -1 : 1);
      sortKey = k;
      Array.prototype.forEach.call(heads, function (h) { h.classList.remove("asc", "desc"); });
      th.classList.add(sortDir > 0 ? "asc" : "desc");
      apply();
    });
  });
  /* the static tables: a click on a heading sorts the rows by that column (numbers as numbers) */
  Array.prototype.forEach.call(doc.querySelectorAll("table.sortable"), function (t) {
    var ths = t.querySelectorAll("th");
    Array.prototype.forEach.call(ths, function (th, col) {
      var dir = 1;
      th.addEventListener("click", function () {
        var body = t.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        var num = th.classList.contains("num");
        rows.sort(function (a, b) {
          var ca = a.cells[col], cb = b.cells[col];
          var x = ca.getAttribute("data-v") || ca.textContent, y = cb.getAttribute("data-v") || cb.textContent;
          if (num || ca.hasAttribute("data-v")) { x = parseFloat(x) || 0; y = parseFloat(y) || 0; }
          return x < y ? -dir : x > y ? dir : 0;
        });
        Array.prototype.forEach.call(ths, function (h) { h.classList.remove("asc", "desc"); });
        th.classList.add(dir > 0 ? "asc" : "desc");
        dir = -dir;
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  /* a link into the report: #q=TEXT filters the findings, &open=N opens the first N rows */
  var want = 0;
  location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
    var at = kv.indexOf("="), k = kv.slice(0, at), v = at < 0 ? "" : kv.slice(at + 1);
    try { v = decodeURIComponent(v.replace(/\+/g, " ")); } catch (e) { return; }
    if (k === "q") q.value = v;
    if (k === "open") want = Math.min(PAGE, parseInt(v, 10) || 0);
  });
  if (q.value) apply();
  for (var w = 0; w < want && w < view.length; w++) open[view[w]] = true;
  draw();
  /* for tests and bench/html: the script ran to its end, so many ms after navigation began */
  doc.documentElement.setAttribute("data-exs-ready", String(all.length));
  doc.documentElement.setAttribute("data-exs-ms", String(Math.round(performance.now())));
})();
