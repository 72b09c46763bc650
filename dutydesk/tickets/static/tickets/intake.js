/* The phone intake, keyboard only: type a phone or a unit, Enter picks the (first) result — also when the results
   are still on their way —, arrows move, Enter in the other fields saves, Ctrl+Enter saves from the details. */
(function () {
  "use strict";
  var form = document.getElementById("intake-form");
  if (!form) { return; }
  var lookup = document.getElementById("lookup"), results = document.getElementById("lookup-results");
  var pickWhenLoaded = false;

  function pick(button) {
    document.getElementById("unit").value = button.dataset.unit;
    document.getElementById("resident").value = button.dataset.resident;
    document.getElementById("picked").textContent = "✓ " + button.dataset.label;
    document.getElementById("picked-input").value = "✓ " + button.dataset.label;
    results.innerHTML = "";
    if (window.htmx && form.dataset.panelUrl) {
      window.htmx.ajax("GET", form.dataset.panelUrl + "?unit=" + encodeURIComponent(button.dataset.unit), "#caller-panel");
    }
    document.getElementById("kind").focus();
  }

  results.addEventListener("click", function (e) { var b = e.target.closest("button.pick"); if (b) { pick(b); } });
  results.addEventListener("keydown", function (e) {
    var buttons = Array.prototype.slice.call(results.querySelectorAll("button.pick"));
    var i = buttons.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && i >= 0) { e.preventDefault(); (buttons[i + 1] || buttons[i]).focus(); }
    if (e.key === "ArrowUp" && i >= 0) { e.preventDefault(); if (i) { buttons[i - 1].focus(); } else { lookup.focus(); } }
  });
  lookup.addEventListener("input", function () {
    document.getElementById("unit").value = "";
    document.getElementById("resident").value = "";
    document.getElementById("picked").textContent = "";
    document.getElementById("caller-panel").innerHTML = "";
  });
  lookup.addEventListener("keydown", function (e) {
    var first = results.querySelector("button.pick");
    if (e.key === "ArrowDown" && first) { e.preventDefault(); first.focus(); }
    if (e.key === "Enter") {
      e.preventDefault();  // Enter in the lookup never saves the form: it picks
      if (document.getElementById("unit").value) { document.getElementById("kind").focus(); return; }
      if (first && !results.classList.contains("htmx-request")) { pick(first); return; }
      pickWhenLoaded = true;  // typed fast: pick as soon as the results arrive
      if (window.htmx) { window.htmx.trigger(lookup, "lookup-now"); }
    }
  });
  document.body.addEventListener("htmx:afterSwap", function (e) {
    if (e.target === results && pickWhenLoaded) {
      pickWhenLoaded = false;
      var first = results.querySelector("button.pick");
      if (first) { pick(first); }
    }
  });
  document.getElementById("description").addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(); }
  });
}());
