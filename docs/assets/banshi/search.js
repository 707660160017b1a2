/* banshi search: citizens' phrasings in, the right item first.

   Pagefind (1.4) takes a Chinese query as one term and ANDs the terms it is given, so
   "开饭店" matches pages on 开 alone and "老人 去世" matches nothing. This file asks Pagefind
   one word at a time and ranks the pages itself:

   1. normalise the query; split it into words: the editors' words (search.yml: synonyms,
      ignored filler, weak verbs) first, longest match, then Intl.Segmenter('zh') for the rest;
   2. drop filler (我想, 怎么, 办理 ...); each remaining word is a slot; a word of a synonym
      group (饭店, 餐馆, 餐饮 ...) is searched as the group's key, which the build put on every
      page that says one of the group's words (search_words.py: one index chunk for all keys
      instead of one per synonym); weak verbs (办, 开, 领 ...) are not searched and count little
      in step 4; and a search loads at most CHUNK_BUDGET index chunks no earlier search loaded
      (pagefind/chunks.json says which chunk holds which words): keys first, then longer words;
   3. score = idf-weighted share of slots a page matches (OR, not AND);
   4. the best candidates are re-ranked by how well the query covers their title or one of
      their aliases (given to Pagefind as metadata), so exact title/alias matches come first.

   The header box and the search page use the same engine; window.banshiSearch exposes it for
   the tests and the benchmark. Everything is loaded on first use. */
(function () {
  "use strict";

  var form = document.querySelector("[data-banshi-search]");
  var root = form ? form.action.replace(/search\/?(\?.*)?$/, "") : "/";
  var rootPath = new URL(root, location.href).pathname; // Pagefind result URLs start here

  var CANDIDATES = 8; // re-ranked with their titles and aliases (one ~2 KB fragment each)
  var RELATED = 3; // entries offered when nothing is found
  var RELATED_CHARS = 2; // characters searched for them when no near miss is at hand
  var SYNONYM = 0.85; // a synonym's match counts this much of the word's own
  var WEAK = 0.25; // weight of a weak verb against an ordinary word
  var FILLER = 0.1; // cost of filler in a title or alias the query did not repeat (退休手续 vs 退休)
  var BUNDLE_SUFFIX = "一件事"; // bundle names are "<life event>一件事": matched without it
  var STRIPPED = 0.95; // ... but a little below a literal title or alias
  var KEYS = /\s*(<mark>)?00syn[0-9a-f]{6}(<\/mark>)?/g; // synonym keys: indexed, never shown
  var CHUNK_BUDGET = 2; // index chunks (~25 KB gzip each) a search may load that no earlier search did

  /* ---------- the engine ---------- */

  var loading = null;
  function engine() {
    if (!loading) {
      loading = Promise.all([
        import(root + "pagefind/pagefind.js"),
        fetch(root + "search/words.json").then(function (r) {
          if (!r.ok) throw new Error("words.json: HTTP " + r.status);
          return r.json();
        }),
        // Which index chunk holds which words (written with the index); without it, no budget.
        fetch(root + "pagefind/chunks.json").then(function (r) { return r.ok ? r.json() : null; })
          .catch(function () { return null; })
      ]).then(function (loaded) {
        var pagefind = loaded[0];
        return pagefind.options({ baseUrl: rootPath }).then(function () {
          return new Engine(pagefind, loaded[1], loaded[2]);
        });
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  function normalise(text) {
    return (text || "").normalize("NFKC").toLowerCase().replace(/\u200b/g, "") // Pagefind's word breaks
      .replace(/[\s\p{P}\p{S}]+/gu, " ").trim();
  }

  function Engine(pagefind, words, chunks) {
    this.pagefind = pagefind;
    this.chunks = chunks;
    this.loadedChunks = new Set();
    this.words = words;
    this.pages = words.pages || 1;
    this.ignore = new Set(words.ignore);
    this.weak = new Set(words.weak);
    this.groups = new Map(); // word → its synonyms
    this.keys = new Map(); // word → the keys of its groups that some page has
    var dict = new Set(words.ignore.concat(words.weak));
    var self = this;
    words.synonyms.forEach(function (group, g) {
      var key = (words.keys || [])[g];
      group.forEach(function (w) {
        dict.add(w);
        var alts = self.groups.get(w) || [];
        group.forEach(function (o) { if (o !== w && alts.indexOf(o) < 0) alts.push(o); });
        self.groups.set(w, alts);
        if (key) self.keys.set(w, (self.keys.get(w) || []).concat([key]));
      });
    });
    (words.words || []).forEach(function (w) { dict.add(w); });
    this.dict = dict;
    this.longest = 1;
    dict.forEach(function (w) { self.longest = Math.max(self.longest, w.length); });
    this.segmenter = typeof Intl !== "undefined" && Intl.Segmenter
      ? new Intl.Segmenter("zh", { granularity: "word" }) : null;
    this.cache = new Map();
  }

  /* Words of a text: editors' words first (longest match), Intl.Segmenter for the rest. */
  Engine.prototype.split = function (text) {
    var out = [];
    var self = this;
    normalise(text).split(" ").forEach(function (chunk) {
      if (!chunk) return;
      var ends = new Set([chunk.length]);
      if (self.segmenter) {
        var at = 0;
        Array.from(self.segmenter.segment(chunk)).forEach(function (s) { at = s.index + s.segment.length; ends.add(at); });
      }
      var i = 0;
      while (i < chunk.length) {
        var found = "";
        for (var n = Math.min(self.longest, chunk.length - i); n >= 2; n--) {
          var w = chunk.substr(i, n);
          if (self.dict.has(w)) { found = w; break; }
        }
        if (!found) {
          var j = i + 1;
          if (self.segmenter) { while (j < chunk.length && !ends.has(j)) j++; }
          else if (/[0-9a-z]/.test(chunk[i])) { while (j < chunk.length && /[0-9a-z]/.test(chunk[j])) j++; }
          found = chunk.slice(i, j);
        }
        out.push(found);
        i += found.length;
      }
    });
    return out;
  };

  /* The query as slots: {word, alts, terms, weak}; filler dropped (unless nothing else is left).
     alts: the word and its synonyms (compared with titles and aliases); terms: what Pagefind
     is asked (the word's synonym keys, or the word itself). */
  Engine.prototype.slots = function (query) {
    var self = this;
    // Runs of single characters the segmenter left (丧 葬 费, 无 房) are searched as one word:
    // Pagefind's index has them as words (丧葬费), and each character would cost an index chunk.
    var runs = [];
    this.split(query).forEach(function (t) {
      var single = t.length === 1 && /\p{Script=Han}/u.test(t) && !self.ignore.has(t) &&
        !self.weak.has(t) && !self.keys.has(t);
      var last = runs[runs.length - 1];
      if (single && last && last.single) last.text += t;
      else runs.push({ text: t, single: single });
    });
    var tokens = runs.map(function (r) { return r.text; });
    var kept = tokens.filter(function (t) { return !self.ignore.has(t); });
    if (!kept.length) kept = tokens;
    var seen = new Set();
    return kept.filter(function (t) { if (seen.has(t)) return false; seen.add(t); return true; })
      .map(function (t) {
        return {
          word: t, alts: [t].concat(self.groups.get(t) || []),
          terms: self.keys.get(t) || [t], weak: self.weak.has(t)
        };
      });
  };

  /* The index chunk Pagefind loads to search a word (its request_indexes: the first chunk whose
     from..to range holds the word, else the first whose range holds its prefix); -1 if none. */
  Engine.prototype.chunkOf = function (word) {
    var chunks = this.chunks || [];
    for (var i = 0; i < chunks.length; i++) {
      if (word >= chunks[i].from && word <= chunks[i].to) return i;
    }
    for (i = 0; i < chunks.length; i++) {
      var c = chunks[i];
      var f = Math.min(word.length, c.from.length), t = Math.min(word.length, c.to.length);
      if (word.slice(0, f) >= c.from.slice(0, f) && word.slice(0, t) <= c.to.slice(0, t)) return i;
    }
    return -1;
  };

  /* The slots to search within CHUNK_BUDGET: every word searched costs the index chunk that
     holds it unless an earlier search loaded that chunk. Synonym keys come first (they share
     the first chunk), then longer words, then the query's order; a slot that would need one
     chunk too many is not searched but still counts when titles and aliases are compared.
     budget: chunks allowed (default CHUNK_BUDGET); without it the first slot is always kept. */
  Engine.prototype.affordable = function (slots, budget) {
    if (!this.chunks) return slots;
    var limit = budget === undefined ? CHUNK_BUDGET : budget;
    var self = this;
    var order = slots.map(function (slot, i) {
      return { slot: slot, i: i, key: self.keys.has(slot.word) ? 1 : 0 };
    }).sort(function (a, b) { return (b.key - a.key) || (b.slot.word.length - a.slot.word.length) || (a.i - b.i); });
    var fresh = new Set();
    var kept = new Set();
    order.forEach(function (o) {
      var need = new Set(o.slot.terms.map(function (t) { return self.chunkOf(t); })
        .filter(function (c) { return c >= 0 && !self.loadedChunks.has(c) && !fresh.has(c); }));
      if ((kept.size || budget !== undefined) && fresh.size + need.size > limit) return;
      need.forEach(function (c) { fresh.add(c); });
      kept.add(o.slot);
    });
    this.spent = fresh.size; // what the last search loaded, so that its related entries stay within the budget
    return slots.filter(function (s) { return kept.has(s); });
  };

  /* One Pagefind search of one word: Map page id → {score 0..1, result}. */
  Engine.prototype.term = function (word, filters) {
    var key = word + "\u0000" + JSON.stringify(filters || {});
    if (this.chunks) this.loadedChunks.add(this.chunkOf(word));
    if (!this.cache.has(key)) {
      this.cache.set(key, this.pagefind.search(word, { filters: filters || {} }).then(function (found) {
        var hits = new Map();
        var top = found.results.length ? found.results[0].score : 0;
        found.results.forEach(function (r) { hits.set(r.id, { score: top > 0 ? r.score / top : 1, result: r }); });
        return hits;
      }));
    }
    return this.cache.get(key);
  };

  /* Share of the name's characters and of the query's slots that cover each other, 0..1. */
  Engine.prototype.cover = function (slots, name, bundle) {
    var self = this;
    var text = normalise(name).replace(/ /g, "");
    var stripped = 1;
    if (bundle && text.length > BUNDLE_SUFFIX.length && text.slice(-BUNDLE_SUFFIX.length) === BUNDLE_SUFFIX) {
      text = text.slice(0, -BUNDLE_SUFFIX.length);
      stripped = STRIPPED; // "退休" is nearly, not exactly, "退休一件事"
    }
    var covered = new Array(text.length).fill(false);
    var want = 0, got = 0;
    slots.forEach(function (slot) {
      var weight = slot.word.length * (slot.weak ? WEAK : 1);
      want += weight;
      var best = 0;
      slot.alts.forEach(function (alt, index) {
        var at = text.indexOf(alt);
        if (at < 0) return;
        for (var k = at; k < at + alt.length; k++) covered[k] = true;
        best = Math.max(best, index === 0 ? 1 : SYNONYM);
      });
      got += weight * best;
    });
    // Characters of the name the query did not ask for: filler and weak verbs cost little.
    var missing = 0, total = 0;
    var at = 0;
    this.split(text).forEach(function (t) {
      var cost = self.ignore.has(t) ? FILLER : self.weak.has(t) ? WEAK : 1;
      for (var k = at; k < at + t.length && k < covered.length; k++) {
        total += cost;
        if (!covered[k]) missing += cost;
      }
      at += t.length;
    });
    var nameShare = total ? (total - missing) / total : 0;
    return want ? (got / want) * nameShare * stripped : 0;
  };

  /* Ranked results for a query: [{id, score, exact, result}], best first. */
  Engine.prototype.search = function (query, filters) {
    var self = this;
    var slots = this.slots(query);
    if (!slots.length) return Promise.resolve({ slots: slots, results: [] });
    // Weak verbs are not searched (each word may cost another index chunk); they still count
    // when titles and aliases are compared below. A query of weak verbs only is searched as is.
    var searched = slots.filter(function (s) { return !s.weak; });
    if (!searched.length) searched = slots;
    searched = this.affordable(searched);
    var words = [];
    searched.forEach(function (s) { s.terms.forEach(function (a) { if (words.indexOf(a) < 0) words.push(a); }); });
    return Promise.all(words.map(function (w) { return self.term(w, filters); })).then(function (found) {
      var byWord = new Map();
      words.forEach(function (w, i) { byWord.set(w, found[i]); });
      var pages = new Map(); // id → {score, result, best}
      var weights = 0;
      searched.forEach(function (slot) {
        var matched = new Map(); // id → [score, result]
        slot.terms.forEach(function (term) {
          byWord.get(term).forEach(function (hit, id) {
            var s = hit.score;
            var had = matched.get(id);
            if (!had || had[0] < s) matched.set(id, [s, hit.result]);
          });
        });
        if (!matched.size) return; // a word no page has: ignored rather than ANDed
        var weight = Math.log(1 + self.pages / matched.size) * (slot.weak ? WEAK : 1);
        weights += weight;
        matched.forEach(function (m, id) {
          var page = pages.get(id) || { id: id, score: 0, result: m[1], best: 0 };
          page.score += weight * m[0];
          if (weight * m[0] > page.best) { page.best = weight * m[0]; page.result = m[1]; }
          pages.set(id, page);
        });
      });
      var ranked = Array.from(pages.values());
      ranked.forEach(function (p) { p.score = weights ? p.score / weights : 0; });
      ranked.sort(function (a, b) { return b.score - a.score; });
      var head = ranked.slice(0, CANDIDATES);
      return Promise.all(head.map(function (p) { return p.result.data(); })).then(function (data) {
        var strong = slots.filter(function (s) { return !s.weak; });
        if (!strong.length) strong = slots;
        head.forEach(function (p, i) {
          var d = data[i];
          p.data = d;
          // Pagefind also answers words it does not have with near misses (xqzv → X 射线):
          // keep a candidate only if its text has one of the query's words or their synonyms.
          var text = normalise(d.meta.title + " " + (d.meta.aliases || "") + " " + d.content).replace(/ /g, "");
          p.verified = strong.some(function (s) {
            return s.alts.concat(s.terms).some(function (a) { return text.indexOf(a) >= 0; });
          });
          var bundle = /\/bundles\//.test(d.url);
          var names = [d.meta.title || ""].concat((d.meta.aliases || "").split("、").filter(Boolean));
          p.match = Math.max.apply(null, names.map(function (n) { return self.cover(slots, n, bundle); }));
          p.exact = p.match > 0.999;
          p.base = p.score;
          p.score += p.match + (p.exact ? 1 : 0);
        });
        // Near misses are no results, but their fragments are loaded: offered when nothing is found.
        var near = head.filter(function (p) { return !p.verified; }).slice(0, RELATED);
        head = head.filter(function (p) { return p.verified; });
        head.sort(function (a, b) { return b.score - a.score; });
        return {
          slots: slots, near: near.map(function (p) { return p.data; }),
          results: head.length ? head.concat(ranked.slice(CANDIDATES)) : []
        };
      });
    });
  };

  /* Entries to offer when a search finds nothing: Pagefind's near misses for the query's words
     (already loaded), else pages matching the first characters of the query's words (each
     character searched may cost another index chunk). */
  Engine.prototype.related = function (query, near) {
    if (near && near.length) return Promise.resolve(near);
    var self = this;
    var chars = Array.from(new Set(this.slots(query).map(function (s) { return s.word; }).join("").split("")))
      .slice(0, RELATED_CHARS).map(function (c) { return { word: c, terms: [c] }; });
    chars = this.affordable(chars, CHUNK_BUDGET - (this.spent || 0)).map(function (s) { return s.word; });
    return Promise.all(chars.map(function (c) { return self.term(c); })).then(function (found) {
      var score = new Map();
      found.forEach(function (hits) {
        hits.forEach(function (hit, id) {
          var had = score.get(id) || { score: 0, result: hit.result };
          had.score += hit.score;
          score.set(id, had);
        });
      });
      var best = Array.from(score.values()).sort(function (a, b) { return b.score - a.score; }).slice(0, RELATED);
      return Promise.all(best.map(function (b) { return b.result.data(); }));
    });
  };

  /* For tests and the benchmark: URLs and titles in rank order. */
  window.banshiSearch = {
    ready: function () { return engine().then(function () { return true; }); },
    engine: engine,
    search: function (query, filters) {
      return engine().then(function (e) { return e.search(query, filters); }).then(function (found) {
        return Promise.all(found.results.slice(0, 10).map(function (p) {
          return (p.data ? Promise.resolve(p.data) : p.result.data()).then(function (d) {
            return { url: d.url, title: d.meta.title, score: p.score, base: p.base, match: p.match, exact: !!p.exact };
          });
        })).then(function (top) {
          return { total: found.results.length, slots: found.slots.map(function (s) { return s.word; }), top: top };
        });
      });
    }
  };

  /* ---------- shared rendering ---------- */

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "class") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    if (text != null) node.textContent = text;
    return node;
  }

  function dataOf(page) { return page.data ? Promise.resolve(page.data) : page.result.data(); }

  /* What to try when nothing is found: other words, related entries, popular entries, phones. */
  function noResults(container, query, e, near) {
    var words = e.words;
    var box = el("div", { class: "banshi-search-empty" });
    box.appendChild(el("p", { class: "banshi-search-empty__title" }, "没有找到与“" + query.trim() + "”相关的事项。"));
    box.appendChild(el("p", {}, "可以试试：少输几个字，只写要办的事，例如“身份证”“营业执照”“退休”；或者换一个说法。"));
    var related = el("div");
    box.appendChild(related);
    if (words.popular && words.popular.length) {
      box.appendChild(el("p", { class: "banshi-search-empty__head" }, "大家常办的事："));
      var list = el("ul", { class: "banshi-search-empty__list" });
      words.popular.forEach(function (p) {
        var li = el("li");
        li.appendChild(el("a", { href: root + p.url.replace(/^\//, "") }, p.title));
        list.appendChild(li);
      });
      box.appendChild(list);
    }
    if (words.phones && words.phones.length) {
      var call = el("p", {}, "也可以打电话问：");
      words.phones.forEach(function (h, i) {
        if (i) call.appendChild(document.createTextNode("；"));
        call.appendChild(document.createTextNode(h.name + " "));
        call.appendChild(el("a", { href: "tel:" + h.phone.replace(/-/g, "") }, h.phone));
      });
      call.appendChild(document.createTextNode("。"));
      box.appendChild(call);
    }
    container.appendChild(box);
    e.related(query, near).then(function (found) {
      if (!found.length || !box.isConnected) return;
      related.appendChild(el("p", { class: "banshi-search-empty__head" }, "您是不是要找："));
      var list = el("ul", { class: "banshi-search-empty__list" });
      found.forEach(function (d) {
        var li = el("li");
        li.appendChild(el("a", { href: d.url }, d.meta.title));
        list.appendChild(li);
      });
      related.appendChild(list);
    });
  }

  function kindOf(d) { return /\/bundles\//.test(d.url) ? "一件事一次办" : (d.meta["部门"] || "办事事项"); }

  /* ---------- the header box: live results, arrow keys, Enter ---------- */

  function headerBox() {
    var input = form.querySelector("input[type=search]");
    var box = form.querySelector(".banshi-header-search__results");
    var status = form.querySelector(".banshi-header-search__status");
    var options = [];
    var active = -1;
    var asked = 0;

    function place() {
      // Below the header, inside the viewport at any width.
      var header = form.closest(".md-header") || form;
      var bottom = header.getBoundingClientRect().bottom;
      box.style.top = Math.max(0, Math.round(bottom)) + "px";
    }
    function open(on) {
      box.hidden = !on;
      input.setAttribute("aria-expanded", on ? "true" : "false");
      if (on) place();
    }
    function highlight(index) {
      options.forEach(function (o, i) { o.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else input.removeAttribute("aria-activedescendant");
    }
    function run() {
      var query = input.value;
      var ticket = ++asked;
      if (!query.trim()) { open(false); status.textContent = ""; return; }
      engine().then(function (e) {
        return e.search(query).then(function (found) {
          var top = found.results.slice(0, 6);
          return Promise.all(top.map(dataOf)).then(function (data) {
            if (ticket !== asked) return;
            box.textContent = "";
            options = [];
            highlight(-1);
            if (!data.length) {
              status.textContent = "没有找到结果。";
              noResults(box, query, e, found.near);
              open(true);
              return;
            }
            var list = el("div", { role: "listbox", id: "banshi-header-listbox", "aria-label": "搜索结果" });
            data.forEach(function (d, i) {
              var a = el("a", { href: d.url, role: "option", id: "banshi-header-option-" + i, "aria-selected": "false", class: "banshi-header-search__option" });
              a.appendChild(el("span", { class: "banshi-header-search__title" }, d.meta.title));
              a.appendChild(el("span", { class: "banshi-header-search__kind" }, kindOf(d)));
              list.appendChild(a);
              options.push(a);
            });
            box.appendChild(list);
            var more = el("a", { class: "banshi-header-search__more", href: form.action + "?q=" + encodeURIComponent(query.trim()) },
              found.results.length > data.length ? "查看全部 " + found.results.length + " 个结果" : "在搜索页筛选结果");
            box.appendChild(more);
            status.textContent = "找到 " + found.results.length + " 个结果，按上下方向键选择，回车打开。";
            open(true);
          });
        });
      }).catch(function () {
        status.textContent = "搜索暂时不能使用，请按回车在搜索页查找。";
      });
    }

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", box.id);
    input.addEventListener("focus", function () { engine(); if (input.value.trim() && box.childNodes.length) open(true); });
    input.addEventListener("input", run);
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        if (box.hidden && input.value.trim()) { open(true); }
        if (!options.length) return;
        ev.preventDefault();
        var step = ev.key === "ArrowDown" ? 1 : -1;
        highlight(active < 0 ? (step > 0 ? 0 : options.length - 1) : (active + step + options.length) % options.length);
      } else if (ev.key === "Enter") {
        if (active >= 0 && !box.hidden) { ev.preventDefault(); location.href = options[active].href; }
        else if (!input.value.trim()) { ev.preventDefault(); }
      } else if (ev.key === "Escape") {
        if (!box.hidden) { ev.preventDefault(); open(false); highlight(-1); }
      }
    });
    window.addEventListener("resize", function () { if (!box.hidden) place(); });
    document.addEventListener("click", function (ev) { if (!form.contains(ev.target)) open(false); });
  }

  /* ---------- the search page: ?q=, filters, results ---------- */

  var FILTERS = ["栏目", "部门", "服务对象", "主题", "事项类别", "事项类型", "网办深度"];

  function searchPage(page) {
    var input = page.querySelector("input[type=search]");
    var pageForm = page.querySelector("form");
    var status = page.querySelector(".banshi-search__status");
    var list = page.querySelector(".banshi-search__results");
    var filterBox = page.querySelector(".banshi-search__filters");
    var grid = filterBox.querySelector(".banshi-search__grid");
    var shown = 10;
    var asked = 0;
    var current = [];
    var near = [];

    function chosen() {
      var f = {};
      filterBox.querySelectorAll("select").forEach(function (s) { if (s.value) f[s.name] = s.value; });
      return f;
    }
    function draw(e, query) {
      var top = current.slice(0, shown);
      return Promise.all(top.map(dataOf)).then(function (data) {
        list.textContent = "";
        data.forEach(function (d) {
          var li = el("li", { class: "banshi-search__result" });
          var a = el("a", { href: d.url, class: "banshi-search__link" }, d.meta.title);
          li.appendChild(a);
          li.appendChild(el("span", { class: "banshi-search__kind" }, kindOf(d)));
          var excerpt = el("p", { class: "banshi-search__excerpt" });
          excerpt.innerHTML = d.excerpt.replace(KEYS, ""); // Pagefind's escaped page text with <mark>
          li.appendChild(excerpt);
          list.appendChild(li);
        });
        var more = page.querySelector(".banshi-search__more");
        more.hidden = current.length <= shown;
        more.textContent = "再显示 " + Math.min(10, current.length - shown) + " 个结果";
        if (!current.length && query.trim()) noResults(list, query, e, near);
      });
    }
    function run() {
      var query = input.value;
      var ticket = ++asked;
      var url = new URL(location.href);
      if (query.trim()) url.searchParams.set("q", query.trim()); else url.searchParams.delete("q");
      history.replaceState(null, "", url);
      if (!query.trim()) { list.textContent = ""; status.textContent = "请输入要办的事，例如“办居住证”“开饭店”。"; return; }
      status.textContent = "正在搜索……";
      engine().then(function (e) {
        return e.search(query, chosen()).then(function (found) {
          if (ticket !== asked) return;
          current = found.results;
          near = found.near;
          shown = 10;
          status.textContent = current.length
            ? "找到 " + current.length + " 个与“" + query.trim() + "”相关的结果。"
            : "没有找到结果。";
          return draw(e, query);
        });
      }).catch(function () { status.textContent = "搜索暂时不能使用，请稍后再试，或按主题、按部门查找。"; });
    }
    function buildFilters(e) {
      return e.pagefind.filters().then(function (all) {
        FILTERS.forEach(function (name) {
          var values = all[name];
          if (!values || !Object.keys(values).length) return;
          var id = "banshi-filter-" + FILTERS.indexOf(name);
          var wrap = el("div", { class: "banshi-search__filter" });
          wrap.appendChild(el("label", { for: id }, name));
          var select = el("select", { id: id, name: name });
          select.appendChild(el("option", { value: "" }, "全部"));
          Object.keys(values).sort(function (a, b) { return values[b] - values[a]; }).forEach(function (v) {
            select.appendChild(el("option", { value: v }, v + "（" + values[v] + "）"));
          });
          select.addEventListener("change", run);
          wrap.appendChild(select);
          grid.appendChild(wrap);
        });
        // Open on wide screens; on phones the results come first and the filters fold away.
        filterBox.open = window.matchMedia("(min-width: 60em)").matches;
        filterBox.hidden = false;
      });
    }

    page.querySelector(".banshi-search__more").addEventListener("click", function () {
      shown += 10;
      engine().then(function (e) { draw(e, input.value); });
    });
    pageForm.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
    var timer = null;
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 150); });
    input.value = new URLSearchParams(location.search).get("q") || "";
    engine().then(buildFilters).then(run, function () {
      status.textContent = "搜索暂时不能使用，请稍后再试，或按主题、按部门查找。";
    });
  }

  var page = document.getElementById("banshi-search");
  if (page) searchPage(page);
  else if (form) headerBox();
})();
