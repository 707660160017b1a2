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

  /* Phone cards the first layout skipped (html.banshi-cards-later, banshi.css): laid out two
     at a time while the loaded page is idle (a few ms each, no long task), so that a later
     scroll or jump to a heading meets their real heights. */
  if (document.documentElement.classList.contains("banshi-cards-later")) {
    var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 50); };
    var later = Array.prototype.slice.call(document.querySelectorAll("[data-table] tbody tr"));
    var layOut = function () {
      later.splice(0, 2).forEach(function (row) { row.style.contentVisibility = "visible"; });
      if (later.length) idle(layOut);
    };
    window.addEventListener("load", function () { idle(layOut); });
  }

  /* 情形引导: one question at a time, in order; a question that an earlier answer makes
     irrelevant (data-needed-when) is skipped and its answer dropped. Answers narrow the
     material (and sub-item) rows; unanswered questions hide nothing. */
  function holds(condition, answers) {
    return Object.keys(condition).every(function (sid) {
      return !(sid in answers) || condition[sid].indexOf(answers[sid]) !== -1;
    });
  }
  document.querySelectorAll("[data-banshi-guide]").forEach(function (guide) {
    var scope = guide.closest("article") || document;
    var status = guide.querySelector(".banshi-guide__status");
    var steps = Array.prototype.slice.call(guide.querySelectorAll("fieldset"));
    function update() {
      var answers = {};
      var asked = 0, answered = 0, current = null;
      steps.forEach(function (step) {
        var needed = step.getAttribute("data-needed-when");
        var relevant = !needed || JSON.parse(needed).some(function (c) { return holds(c, answers); });
        var checked = step.querySelector("input[type=radio]:checked");
        if (!relevant) {
          if (checked) checked.checked = false;
          step.hidden = true;
          return;
        }
        asked += 1;
        step.hidden = current !== null;  // after the first unanswered question: not yet
        if (current !== null) return;
        if (checked) { answers[checked.name] = checked.value; answered += 1; }
        else current = step;
      });
      scope.querySelectorAll("tr[data-when]").forEach(function (row) {
        var any = JSON.parse(row.getAttribute("data-when"));
        row.hidden = !any.some(function (c) { return holds(c, answers); });
      });
      var rows = scope.querySelectorAll('[data-table="materials"] tbody tr');
      var shown = Array.prototype.filter.call(rows, function (r) { return !r.hidden; }).length;
      var progress = current
        ? "第 " + (answered + 1) + " 个问题，已回答 " + answered + " 个。"
        : "已回答全部 " + answered + " 个问题。";
      status.textContent = progress + (answered
        ? "按您的回答，需要准备 " + shown + " 项材料（共 " + rows.length + " 项）。"
        : "共 " + rows.length + " 项材料。");
    }
    guide.addEventListener("change", update);
    guide.addEventListener("reset", function () { setTimeout(update, 0); });
    update();
  });

  /* 今天开放吗: the window's hours against the opening-day map embedded at build time
     ("YYYY-MM-DD:" then w = working day, s = weekend service day, c = closed; u = Monday to
     Friday, v = weekend of a year whose holiday schedule is not recorded yet: neither open nor
     closed is claimed, the usual hours are given with the schedule still to be confirmed). */
  var WEEK = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];
  function chinaNow() {
    /* China has kept UTC+8 all year since 1991: plain arithmetic, no Intl time-zone lookup
       (a DateTimeFormat with timeZone loads ICU zone data: 86 ms of Lighthouse's 4x-throttled
       main thread on the bundle page). */
    var d = new Date(Date.now() + 8 * 3600000);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return {
      day: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()),
      time: two(d.getUTCHours()) + ":" + two(d.getUTCMinutes())
    };
  }
  function dayName(utc) {
    var d = new Date(utc);
    return (d.getUTCMonth() + 1) + "月" + d.getUTCDate() + "日 " + WEEK[d.getUTCDay()];
  }
  document.querySelectorAll("[data-banshi-today]").forEach(function (el) {
    var data = JSON.parse(el.getAttribute("data-banshi-today"));
    var split = data.days.split(":");
    var start = Date.parse(split[0] + "T00:00:00Z");
    var now = chinaNow();
    var index = Math.round((now.day - start) / 86400000);
    var letters = split[1];
    if (isNaN(start) || index < 0 || index >= letters.length) return;  // map too old: say nothing
    function periods(letter) { return letter === "w" ? data.w : letter === "s" ? data.s : []; }
    function hours(list) { return list.join("、").replace(/-/g, "–"); }
    var letter = letters[index];
    var today = periods(letter);
    var text;
    if (letter === "u" || letter === "v") {
      var year = new Date(now.day).getUTCFullYear();
      var usual = letter === "u" ? data.w : data.s;
      text = "今天（" + dayName(now.day) + "）：" + year + " 年的节假日安排尚未公布，今天是否办公待确认。" +
        (letter === "u" ? "平时工作日" : "平时双休日") +
        (usual.length ? "的办公时间是 " + hours(usual) + "。" : "不开放。");
    } else if (today.length) {
      var open = today.some(function (p) { var t = p.split("-"); return now.time >= t[0] && now.time < t[1]; });
      text = "今天（" + dayName(now.day) + "）开放：" + hours(today) +
        (open ? "，现在正在办公。" : "，现在不在办公时间。");
    } else {
      text = "今天（" + dayName(now.day) + "）不开放。";
      for (var i = index + 1; i < letters.length; i++) {
        if (letters[i] === "u" || letters[i] === "v") {
          text += "之后的节假日安排尚未公布，下一个办公日待确认。";
          break;
        }
        var next = periods(letters[i]);
        if (next.length) {
          text += "下一个办公日：" + dayName(start + i * 86400000) + " " + next[0].split("-")[0] + " 起。";
          break;
        }
      }
    }
    el.textContent = text;
    el.hidden = false;
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

  /* 大厅排队: waiting and service times, no-shows, per window type, hour and day. */
  document.querySelectorAll("[data-queue-stats]").forEach(function (section) {
    if (!window.fetch) return;
    fetch(section.getAttribute("data-queue-stats"), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || typeof data.issued !== "number" || !data.issued) return;
        var n = function (value) { return value.toLocaleString("zh-CN"); };
        var minutes = function (value) { return value == null ? "—" : value.toFixed(1) + " 分钟"; };
        section.querySelector(".banshi-queue-summary").textContent =
          "近 30 天大厅取号 " + n(data.issued) + " 张，办结 " + n(data.finished) + " 件，" +
          "日均办件量 " + (data.daily_finished_mean == null ? "—" : data.daily_finished_mean.toFixed(1)) +
          " 件；平均等候 " + minutes(data.wait_minutes_mean) +
          "（90% 的人不超过 " + minutes(data.wait_minutes_p90) + "），平均办理 " +
          minutes(data.service_minutes_mean) + "；过号 " + n(data.no_show) + " 张。";
        var box = section.querySelector(".banshi-queue-tables");
        var table = function (caption, headers, rows) {
          var t = document.createElement("table");
          t.createCaption().textContent = caption;
          var head = t.createTHead().insertRow();
          headers.forEach(function (text) {
            var th = document.createElement("th");
            th.scope = "col";
            th.textContent = text;
            head.appendChild(th);
          });
          var body = t.createTBody();
          rows.forEach(function (cells) {
            var row = body.insertRow();
            cells.forEach(function (text) { row.insertCell().textContent = text; });
          });
          box.appendChild(t);
        };
        var counts = function (g) { return n(g.issued) + " / " + n(g.finished) + " / " + n(g.no_show); };
        var number = function (value) { return value == null ? "—" : value.toFixed(1); };
        table("按窗口类别（时间为平均分钟数）", ["窗口", "取号 / 办结 / 过号", "等候 / 办理"],
          (data.windows || []).map(function (w) {
            return [w.name, counts(w), number(w.wait_minutes_mean) + " / " + number(w.service_minutes_mean)];
          }));
        table("按取号时段（时间为平均分钟数）", ["时段", "取号", "等候"], (data.hours || []).map(function (h) {
          var from = (h.hour < 10 ? "0" : "") + h.hour;
          var to = (h.hour < 9 ? "0" : "") + (h.hour + 1);
          return [from + ":00–" + to + ":00", n(h.issued), number(h.wait_minutes_mean)];
        }));
        table("按日期（时间为平均分钟数）", ["日期", "取号 / 办结 / 过号", "等候"], (data.days || []).map(function (d) {
          var parts = d.day.split("-");
          return [parseInt(parts[1], 10) + " 月 " + parseInt(parts[2], 10) + " 日", counts(d),
            number(d.wait_minutes_mean)];
        }));
        section.hidden = false;
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
