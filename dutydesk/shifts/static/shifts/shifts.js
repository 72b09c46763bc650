/* The roster grid opens on today (or the chosen day): on a phone the month is wider than the screen. */
(function () {
  "use strict";
  function showDay() {
    document.querySelectorAll(".roster-scroll").forEach(function (box) {
      var cell = box.querySelector("td.chosen") || box.querySelector("th.today");
      var name = box.querySelector("th.person");
      if (cell && cell.offsetLeft + cell.offsetWidth > box.clientWidth) {
        box.scrollLeft = cell.offsetLeft - (name ? name.offsetWidth : 0) - cell.offsetWidth;
      }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", showDay); } else { showDay(); }
}());
