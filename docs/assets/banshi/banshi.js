/* banshi: progressive enhancement for the guide. Everything works without it, just less narrowly. */
(function () {
  "use strict";

  // Site root, from the header search form's action (".../search/").
  var form = document.querySelector("[data-banshi-search]");
  var root = form ? form.action.replace(/search\/?(\?.*)?$/, "") : "/";
  var rootPath = new URL(root, location.href).pathname; // Pagefind result URLs start here

  /* 长辈版: larger text, persisted across pages. */
  function setElder(on) {
    if (on) document.documentElement.setAttribute("data-elder", "");
    else document.documentElement.removeAttribute("data-elder");
    try { localStorage.setItem("banshi-elder", on ? "1" : "0"); } catch (e) { /* private mode */ }
    document.querySelectorAll("[data-banshi-elder]").forEach(function (b) {
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.textContent = on ? "标准版" : "长辈版";
    });
  }
  setElder(document.documentElement.hasAttribute("data-elder"));
  document.querySelectorAll("[data-banshi-elder]").forEach(function (b) {
    b.addEventListener("click", function () {
      setElder(!document.documentElement.hasAttribute("data-elder"));
    });
  });

  /* 情形引导: answers narrow the material (and sub-item) rows; unanswered questions hide nothing. */
  function holds(condition, answers) {
    return Object.keys(condition).every(function (sid) {
      return !(sid in answers) || condition[sid].indexOf(answers[sid]) !== -1;
    });
  }
  document.querySelectorAll("[data-banshi-guide]").forEach(function (guide) {
    var scope = guide.closest("article") || document;
    var status = guide.querySelector(".banshi-guide__status");
    function update() {
      var answers = {};
      guide.querySelectorAll("input[type=radio]:checked").forEach(function (r) { answers[r.name] = r.value; });
      scope.querySelectorAll("tr[data-when]").forEach(function (row) {
        var any = JSON.parse(row.getAttribute("data-when"));
        row.hidden = !any.some(function (c) { return holds(c, answers); });
      });
      var rows = scope.querySelectorAll('[data-table="materials"] tbody tr');
      var shown = Array.prototype.filter.call(rows, function (r) { return !r.hidden; }).length;
      status.textContent = Object.keys(answers).length
        ? "按您的回答，需要准备 " + shown + " 项材料（共 " + rows.length + " 项）。"
        : "共 " + rows.length + " 项材料。";
    }
    guide.hidden = false;
    guide.addEventListener("change", update);
    guide.addEventListener("reset", function () { setTimeout(update, 0); });
    update();
  });

  /* 最早可约: ask the backend; show nothing when it is unreachable. */
  document.querySelectorAll("[data-next-slot]").forEach(function (el) {
    if (!window.fetch) return;
    fetch(el.getAttribute("data-next-slot"), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || !data.start) return;
        var when = new Date(data.start);
        if (isNaN(when)) return;
        var text = new Intl.DateTimeFormat("zh-CN", {
          timeZone: "Asia/Shanghai", month: "long", day: "numeric", weekday: "short",
          hour: "2-digit", minute: "2-digit", hour12: false
        }).format(when);
        el.textContent = "最早可约：" + text;
        el.hidden = false;
      })
      .catch(function () { /* backend not reachable: say nothing */ });
  });

  /* 好差评: counts, 好评率 and window stars from the backend; nothing when unreachable. */
  document.querySelectorAll("[data-evaluation-stats]").forEach(function (section) {
    if (!window.fetch) return;
    fetch(section.getAttribute("data-evaluation-stats"), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || typeof data.total !== "number" || !data.total) return;
        var pct = function (rate) { return rate == null ? "—" : (rate * 100).toFixed(1) + "%"; };
        section.querySelector(".banshi-evaluations-summary").textContent =
          "共收到评价 " + data.total.toLocaleString("zh-CN") + " 条，好评率 " + pct(data.positive_rate) +
          "（差评 " + data.negative.toLocaleString("zh-CN") + " 条，均已转责任部门整改）。";
        var table = document.createElement("table");
        var head = table.createTHead().insertRow();
        ["窗口", "评价数", "好评率", "窗口星级"].forEach(function (text) {
          var th = document.createElement("th");
          th.textContent = text;
          head.appendChild(th);
        });
        var body = table.createTBody();
        (data.windows || []).forEach(function (w) {
          var row = body.insertRow();
          row.insertCell().textContent = w.name;
          row.insertCell().textContent = w.total.toLocaleString("zh-CN");
          row.insertCell().textContent = pct(w.positive_rate);
          var cell = row.insertCell();
          var stars = Math.max(0, Math.min(5, w.stars | 0));
          cell.textContent = "★★★★★".slice(0, stars) + "☆☆☆☆☆".slice(0, 5 - stars);
          cell.setAttribute("aria-label", stars + " 星");
        });
        section.querySelector(".banshi-evaluations-windows").appendChild(table);
        section.hidden = false;
      })
      .catch(function () { /* backend not reachable: say nothing */ });
  });

  function load(tag, attrs) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement(tag);
      Object.keys(attrs).forEach(function (k) { el[k] = attrs[k]; });
      el.onload = resolve;
      el.onerror = reject;
      document.head.appendChild(el);
    });
  }

  /* The search page: Pagefind's full UI with filters; ?q= comes from the header or home form. */
  var page = document.getElementById("banshi-search");
  if (page) {
    var bundle = page.getAttribute("data-bundle");
    load("link", { rel: "stylesheet", href: bundle + "pagefind-ui.css" });
    load("script", { src: bundle + "pagefind-ui.js" }).then(function () {
      var ui = new window.PagefindUI({
        element: "#banshi-search", bundlePath: bundle, baseUrl: rootPath, showSubResults: true, showImages: false,
        resetStyles: false, openFilters: ["栏目", "服务对象"],
        translations: { placeholder: "搜索事项、材料、常用说法或事项编码" }
      });
      // Pagefind's input has only a title; give it a real accessible name.
      var box = page.querySelector(".pagefind-ui__search-input");
      if (box) box.setAttribute("aria-label", "搜索办事指南");
      var q = new URLSearchParams(location.search).get("q");
      if (q) ui.triggerSearch(q);
    });
  }

  /* The header box: instant results under the box (Pagefind modular UI), loaded on first use. */
  if (form && !page) {
    var input = form.querySelector("input[type=search]");
    var results = form.querySelector(".banshi-header-search__results");
    var started = false;
    function start() {
      if (started) return;
      started = true;
      var bundlePath = root + "pagefind/";
      load("link", { rel: "stylesheet", href: bundlePath + "pagefind-modular-ui.css" });
      load("script", { src: bundlePath + "pagefind-modular-ui.js" }).then(function () {
        var M = window.PagefindModularUI;
        var instance = new M.Instance({ bundlePath: bundlePath, baseUrl: rootPath });
        instance.add(new M.Input({ inputElement: "#" + input.id }));
        instance.add(new M.ResultList({ containerElement: "#" + results.id }));
        instance.on("results", function () { results.hidden = !input.value.trim(); });
        if (input.value.trim()) instance.triggerSearch(input.value);
      }).catch(function () { started = false; });
    }
    input.addEventListener("focus", start);
    // Enter opens the full search page with filters (the live list only previews results).
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && input.value.trim()) form.submit();
    });
    input.addEventListener("input", function () { if (!input.value.trim()) results.hidden = true; });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") results.hidden = true;
    });
    document.addEventListener("click", function (ev) {
      if (!form.contains(ev.target)) results.hidden = true;
    });
  }
})();
