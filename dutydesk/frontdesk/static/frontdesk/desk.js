/* The front-desk screen: the clicked tab is marked active; a loaded tab focuses its first field. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var tab = event.target.closest(".desk-tabs a");
    if (!tab) { return; }
    document.querySelectorAll(".desk-tabs a").forEach(function (a) { a.classList.toggle("active", a === tab); });
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id !== "panel") { return; }
    var first = event.detail.target.querySelector("[autofocus]");
    if (first) { first.focus(); }
  });
}());
