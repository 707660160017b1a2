/* banshi: progressive enhancement for the guide. Everything works without it, just less narrowly. */
(function () {
  "use strict";

  // Search (header box and search page) lives in search.js.

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

})();
