// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  var formats = {
    date: { year: "numeric", month: "short", day: "numeric" },
    datetime: { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" }
  };
  document.querySelectorAll("time[datetime]").forEach(function (node) {
    var given = node.getAttribute("datetime");
    var when = new Date(given);
    if (isNaN(when.getTime())) { return; }
    var style = formats[node.getAttribute("data-style")] || formats.date;
    // A bare date (no time was given) is that calendar day everywhere, not UTC midnight
    // moved into the reader's zone (the day before, west of Greenwich).
    if (given.indexOf("T") < 0) { style = { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" }; }
    node.textContent = new Intl.DateTimeFormat(undefined, style).format(when);
  });
  // The sector menu scrolls sideways on a phone, and the browser brings only a wholly hidden
  // link into view on focus: a half-hidden one kept half its focus ring off the screen.
  var menu = document.querySelector(".sector-nav ul");
  if (menu) {
    menu.addEventListener("focusin", function (event) {
      event.target.scrollIntoView({ block: "nearest", inline: "nearest" });
    });
  }
})();
