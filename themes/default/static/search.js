// Site search in the reader's browser: the other half of src/site/search.rs, which writes the
// index this reads. The tokeniser below must cut text exactly as the index's does (NFKC, lower
// case, pairs of Han characters, whole runs of other letters and digits); a test runs both.
// The page works without this script: its form still reaches this page, which then links to the
// announcement archives.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script.getAttribute("data-index");
  var root = script.getAttribute("data-root");
  var form = document.getElementById("search-form");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var FILTERS = ["c", "t", "k", "y"];
  var SHOWN = 20;
  var CHECKED = 200;
  var HAN = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u{20000}-\u{2FA1F}]/u;
  var WORD = /[\p{Alphabetic}\p{N}]/u;
  var cache = {};

  function load(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (r) {
        if (!r.ok) throw new Error(path);
        return r.json();
      });
    }
    return cache[path];
  }

  function normalise(s) {
    return s.normalize("NFKC").toLowerCase();
  }

  function tokens(text) {
    var out = [], han = [], word = "";
    function flushHan() {
      if (han.length === 1) out.push(han[0]);
      for (var i = 0; i + 1 < han.length; i++) out.push(han[i] + han[i + 1]);
      han = [];
    }
    function flushWord() {
      if (word) out.push(word);
      word = "";
    }
    for (var ch of normalise(text)) {
      if (HAN.test(ch)) {
        flushWord();
        han.push(ch);
      } else if (WORD.test(ch)) {
        flushHan();
        word += ch;
      } else {
        flushHan();
        flushWord();
      }
    }
    flushHan();
    flushWord();
    return out;
  }

  function shardOf(token, shards) {
    var h = 0x811c9dc5;
    var bytes = new TextEncoder().encode(token);
    for (var i = 0; i < bytes.length; i++) {
      h = Math.imul((h ^ bytes[i]) >>> 0, 0x01000193) >>> 0;
    }
    return h % Math.max(shards, 1);
  }

  // A token's pages: page number → whether the token is in its title.
  function postings(encoded) {
    var out = new Map(), doc = 0;
    for (var i = 0; i < encoded.length; i++) {
      doc += Math.floor(encoded[i] / 2);
      out.set(doc, encoded[i] % 2 === 1);
    }
    return out;
  }

  function escape(s) {
    return s.replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  // The normalised text with, for each of its UTF-16 units, where it came from in `text`.
  function normMap(text) {
    var norm = "", map = [], at = 0;
    for (var ch of text) {
      var n = normalise(ch);
      for (var k = 0; k < n.length; k++) map.push(at);
      norm += n;
      at += ch.length;
    }
    map.push(at);
    return { norm: norm, map: map };
  }

  // Where the query's parts occur in `text`, as [start, end) ranges of `text`, in order.
  function matches(text, parts) {
    var m = normMap(text), found = [];
    parts.forEach(function (p) {
      for (var i = m.norm.indexOf(p); i >= 0; i = m.norm.indexOf(p, i + p.length)) {
        found.push([m.map[i], m.map[i + p.length]]);
      }
    });
    found.sort(function (a, b) { return a[0] - b[0]; });
    return found;
  }

  function marked(text, ranges) {
    var out = "", at = 0;
    ranges.forEach(function (r) {
      if (r[0] < at) return;
      out += escape(text.slice(at, r[0])) + "<mark>" + escape(text.slice(r[0], r[1])) + "</mark>";
      at = r[1];
    });
    return out + escape(text.slice(at));
  }

  function excerpt(text, ranges) {
    var start = ranges.length ? Math.max(0, ranges[0][0] - 30) : 0;
    var end = Math.min(text.length, start + 120);
    var inside = ranges
      .filter(function (r) { return r[0] >= start && r[1] <= end; })
      .map(function (r) { return [r[0] - start, r[1] - start]; });
    return (start > 0 ? "…" : "") + marked(text.slice(start, end), inside) + (end < text.length ? "…" : "");
  }

  function show(results) {
    list.innerHTML = results.map(function (r) {
      var d = r.doc, meta = [d[2], d[3], d[4], d[5]].filter(Boolean).map(escape).join(" · ");
      return '<li><a href="' + escape(root + d[0]) + '">' + marked(d[1], matches(d[1], r.parts)) +
        '</a><p class="meta">' + meta + "</p><p>" + excerpt(d[6], matches(d[6], r.parts)) + "</p></li>";
    }).join("");
  }

  // Page `n` of the index, from the fragment of the part (the site's pages, or a consortium's)
  // that holds it.
  async function page(meta, n) {
    var part = meta.parts[0];
    meta.parts.forEach(function (p) { if (p[1] <= n) part = p; });
    var local = n - part[1];
    var fragment = await load("f/" + part[0] + "/" + Math.floor(local / meta.fragment) + ".json");
    return fragment[local % meta.fragment];
  }

  async function search(query, filters) {
    var meta = await load("meta.json");
    var words = Array.from(new Set(tokens(query)));
    var parts = query.split(/\s+/).map(normalise).filter(Boolean);
    if (!words.length) return { parts: parts, results: [], candidates: 0 };
    var facetTokens = FILTERS.filter(function (f) { return filters[f]; }).map(function (f) {
      return "~" + f + ":" + filters[f];
    });
    var all = words.concat(facetTokens);
    var shards = await Promise.all(all.map(function (t) {
      return load("s/" + shardOf(t, meta.shards) + ".json");
    }));
    var lists = all.map(function (t, i) { return postings(shards[i][t] || []); });
    var scored = [];
    lists[0].forEach(function (_, doc) {
      var score = 0;
      for (var i = 0; i < lists.length; i++) {
        if (!lists[i].has(doc)) return;
        if (i < words.length) score += lists[i].get(doc) ? 3 : 1;
      }
      scored.push([doc, score]);
    });
    // Equal weights: a consortium, a member and a programme before announcements, then in order.
    scored.sort(function (a, b) {
      return b[1] - a[1] || meta.kinds.charCodeAt(a[0]) - meta.kinds.charCodeAt(b[0]) || a[0] - b[0];
    });
    var results = [];
    for (var i = 0; i < scored.length && i < CHECKED && results.length < SHOWN; i++) {
      var doc = await page(meta, scored[i][0]);
      var haystack = normalise(doc[1] + " " + doc[6]);
      // The pairs of characters are all there; keep the page if it holds each part as typed (or
      // if its stored text was cut short before the part).
      var holds = parts.every(function (p) { return haystack.indexOf(p) >= 0; });
      if (holds || doc[7]) results.push({ doc: doc, parts: parts });
    }
    return { parts: parts, results: results, candidates: scored.length };
  }

  function filtersOf(params) {
    var out = {};
    FILTERS.forEach(function (f) { out[f] = params.get(f) || ""; });
    return out;
  }

  async function run(params) {
    var query = (params.get("q") || "").trim();
    form.elements.q.value = query;
    FILTERS.forEach(function (f) { form.elements[f].value = params.get(f) || ""; });
    if (!query) {
      status.textContent = "请输入要查找的词，如单位名称、专业、文号。";
      list.innerHTML = "";
      return;
    }
    status.textContent = "正在搜索…";
    try {
      var found = await search(query, filtersOf(params));
      show(found.results);
      status.textContent = found.results.length
        ? "找到 " + found.results.length + (found.results.length >= SHOWN ? " 条以上" : " 条") + "与“" + query + "”有关的内容。"
        : "没有找到与“" + query + "”有关的内容。";
    } catch (e) {
      status.textContent = "搜索索引未能加载，请稍后再试。";
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var params = new URLSearchParams(new FormData(form));
    FILTERS.forEach(function (f) { if (!params.get(f)) params.delete(f); });
    history.replaceState(null, "", "?" + params.toString());
    run(params);
  });
  FILTERS.forEach(function (f) {
    form.elements[f].addEventListener("change", function () { form.requestSubmit(); });
  });
  window.chanjiaoSearch = { tokens: tokens, shardOf: shardOf, search: search };
  run(new URLSearchParams(location.search));
})();
