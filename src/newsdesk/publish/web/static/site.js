// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  var formats = {
    date: { year: "numeric", month: "short", day: "numeric" },
    datetime: { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" }
  };
  document.querySelectorAll("time[datetime]").forEach(function (node) {
    var when = new Date(node.getAttribute("datetime"));
    if (isNaN(when.getTime())) { return; }
    var style = formats[node.getAttribute("data-style")] || formats.date;
    node.textContent = new Intl.DateTimeFormat(undefined, style).format(when);
  });
})();
