/* 长辈版 on the service pages: the guide site's switch (same localStorage key, so a citizen who
   chose it there keeps it here on the same origin). Loaded in <head>, so the larger text is set
   before the first paint; without JavaScript the switch stays hidden and nothing changes. */
(function () {
  var root = document.documentElement;
  try { if (localStorage.getItem("banshi-elder") === "1") root.setAttribute("data-elder", ""); } catch (e) { /* private mode */ }
  function show(on) {
    document.querySelectorAll("[data-banshi-elder]").forEach(function (b) {
      b.hidden = false;
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.textContent = on ? "标准版" : "长辈版";
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    show(root.hasAttribute("data-elder"));
    document.querySelectorAll("[data-banshi-elder]").forEach(function (b) {
      b.addEventListener("click", function () {
        var on = !root.hasAttribute("data-elder");
        if (on) root.setAttribute("data-elder", ""); else root.removeAttribute("data-elder");
        try { localStorage.setItem("banshi-elder", on ? "1" : "0"); } catch (e) { /* private mode */ }
        show(on);
      });
    });
  });
})();
