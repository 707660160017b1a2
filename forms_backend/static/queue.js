/* Live queue pages: one EventSource per page on the hall's stream; polling only when
   Server-Sent Events are blocked (no EventSource, or the stream never opens). */
(function () {
  "use strict";
  var root = document.querySelector("[data-live-hall]");
  var slip = document.querySelector("[data-autoprint]");
  if (slip && /[?&]print=1/.test(location.search)) window.print();
  if (!root) return;
  var hall = root.getAttribute("data-live-hall");
  var stream = "/queue/" + encodeURIComponent(hall) + "/events";
  var pollSeconds = parseInt(root.getAttribute("data-poll") || "5", 10);
  var handlers = [];
  var polling = null;

  function on(handler) { handlers.push(handler); }
  function dispatch(message) { handlers.forEach(function (h) { h(message); }); }

  function poll(url, apply) {
    if (polling) return;
    polling = setInterval(function () {
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) apply(data); })
        .catch(function () {});
    }, pollSeconds * 1000);
  }

  function connect(onFallback) {
    if (!window.EventSource) { onFallback(); return; }
    var source = new EventSource(stream);
    var opened = false, failures = 0;
    source.onopen = function () {
      // open again after a break: what was published meanwhile is lost, so read the state
      if (opened) dispatch({ type: "resync" });
      opened = true; failures = 0; status(true);
    };
    source.onerror = function () {
      status(false);
      failures += 1;
      if (!opened && failures >= 3) { source.close(); onFallback(); }
    };
    source.onmessage = function (event) {
      try { dispatch(JSON.parse(event.data)); } catch (e) { /* ignore a broken line */ }
    };
    window.__queueSource = source;
  }

  function status(online) {
    var line = document.querySelector("[data-connection]");
    if (!line) return;
    line.textContent = online ? "叫号实时更新" : "正在重新连接……";
    line.classList.toggle("offline", !online);
    root.setAttribute("data-online", online ? "yes" : "no");
  }

  // ---- call display --------------------------------------------------------------------
  if (root.hasAttribute("data-display")) {
    var voiceOn = false;
    var voiceButton = document.querySelector("[data-voice]");
    if (voiceButton && "speechSynthesis" in window) {
      voiceButton.addEventListener("click", function () {
        voiceOn = !voiceOn;
        voiceButton.setAttribute("aria-pressed", String(voiceOn));
        voiceButton.textContent = voiceOn ? "语音播报已开启" : "开启语音播报";
        if (voiceOn) speak("语音播报已开启");
      });
    } else if (voiceButton) {
      voiceButton.hidden = true;
    }
    var speak = function (text) {
      if (!voiceOn) return;
      var u = new SpeechSynthesisUtterance(text);
      u.lang = "zh-CN";
      u.rate = 0.9;
      window.speechSynthesis.speak(u);
    };
    var now = document.querySelector("[data-now]");
    var recent = document.querySelector("[data-recent]");
    var showCall = function (ticket, counter) {
      now.innerHTML = "";
      now.append("请 ");
      var b1 = document.createElement("b"); b1.textContent = ticket; now.append(b1);
      now.append(" 号到 ");
      var b2 = document.createElement("b"); b2.textContent = String(counter); now.append(b2);
      now.append(" 号窗口办理");
      var box = now.parentElement;
      box.classList.remove("flash"); void box.offsetWidth; box.classList.add("flash");
    };
    var addRecent = function (ticket, counter) {
      Array.prototype.slice.call(recent.rows).forEach(function (row) {
        if (row.cells[0].textContent === ticket) row.remove();
      });
      var row = recent.insertRow(0);
      row.insertCell().textContent = ticket;
      row.insertCell().textContent = counter + " 号";
      while (recent.rows.length > 8) recent.deleteRow(-1);
    };
    var setWaiting = function (window_, waiting, count) {
      var li = document.querySelector('.queues li[data-window="' + window_ + '"]');
      if (!li) return;
      li.querySelector("[data-count]").textContent = String(count === undefined ? waiting.length : count);
      li.querySelector("[data-next]").textContent = waiting.length ? "下一位 " + waiting[0] : "";
    };
    var applyState = function (state) {
      state.windows.forEach(function (w) { setWaiting(w.id, w.waiting); });
      recent.innerHTML = "";
      state.calls.slice().reverse().forEach(function (c) { addRecent(c.ticket, c.counter); });
      if (state.calls.length) showCall(state.calls[0].ticket, state.calls[0].counter);
    };
    var stateUrl = root.getAttribute("data-state-url");
    on(function (m) {
      if (m.type === "call") {
        showCall(m.ticket, m.counter);
        addRecent(m.ticket, m.counter);
        setWaiting(m.window, m.waiting, m.waiting_count);
        speak(m.text);
        root.setAttribute("data-last-call", m.ticket + "@" + m.counter);
      } else if (m.type === "change" && m.waiting) {  // a finish or skip sends no list
        setWaiting(m.window, m.waiting, m.waiting_count);
      } else if (m.type === "resync") {
        fetch(stateUrl).then(function (r) { return r.json(); }).then(applyState);
      }
    });
    connect(function () { status(false); poll(stateUrl, applyState); });
  }

  // ---- my ticket -------------------------------------------------------------------------
  if (root.hasAttribute("data-my-ticket") && !root.hasAttribute("data-expired")) {
    var mine = root.getAttribute("data-my-ticket");
    var myWindow = root.getAttribute("data-window");
    var each = parseFloat(root.getAttribute("data-minutes-each") || "0");
    var ahead = document.querySelector('[data-live="ahead"]');
    var minutes = document.querySelector('[data-live="minutes"]');
    var stateUrl2 = root.getAttribute("data-state-url");
    var refreshing = null;
    var myStatus = root.getAttribute("data-status");
    on(function (m) {
      if (m.type === "resync") {
        fetch(stateUrl2).then(function (r) { return r.json(); }).then(function (t) {
          if (t.status !== myStatus) { location.reload(); return; }
          if (ahead) ahead.textContent = String(t.people_ahead);
          if (minutes) minutes.textContent = String(t.estimated_minutes);
        }).catch(function () {});
        return;
      }
      if (m.ticket === mine && (m.type === "call" || m.kind === "finish" || m.kind === "skip" || m.kind === "transfer")) {
        if (m.type === "call" && navigator.vibrate) navigator.vibrate([300, 100, 300]);
        location.reload();
        return;
      }
      if (m.window === myWindow && m.waiting && ahead) {
        var position = m.waiting.indexOf(mine);
        if (position >= 0) {
          ahead.textContent = String(position);
          if (minutes && each) minutes.textContent = String(Math.ceil(position * each));
        } else if (m.waiting_count > m.waiting.length && !refreshing) {
          // beyond the listed numbers: read this ticket once, a little later (spreads the load)
          refreshing = setTimeout(function () {
            refreshing = null;
            fetch(stateUrl2).then(function (r) { return r.json(); }).then(function (t) {
              ahead.textContent = String(t.people_ahead);
              if (minutes) minutes.textContent = String(t.estimated_minutes);
            }).catch(function () {});
          }, Math.random() * 3000);
        }
      }
    });
    connect(function () {
      var last = null;
      poll(stateUrl2, function (t) {
        if (last && last !== t.status) location.reload();
        last = t.status;
        if (ahead) ahead.textContent = String(t.people_ahead);
        if (minutes) minutes.textContent = String(t.estimated_minutes);
      });
    });
  }

  // ---- evaluation device ---------------------------------------------------------------------
  if (root.hasAttribute("data-device")) {
    var counterId = parseInt(root.getAttribute("data-device"), 10);
    var rating = root.hasAttribute("data-rating");
    var rated = root.getAttribute("data-ticket");
    on(function (m) {  // a newer ticket finished here: show its evaluation instead
      if (m.kind === "finish" && m.counter_id === counterId && m.ticket !== rated) location.replace(location.pathname);
    });
    if (!rating) {
      connect(function () { setInterval(function () { location.replace(location.pathname); }, pollSeconds * 1000); });
      if (/[?&]thanks=1/.test(location.search)) setTimeout(function () { location.replace(location.pathname); }, 8000);
    }
  }
})();
