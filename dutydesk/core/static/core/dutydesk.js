/* DutyDesk page behaviour, as a static file (no inline script: the pages run under a strict CSP). */
(function () {
  "use strict";

  // Phone layout: every list table becomes cards under 640 px; each cell shows its column header as a label.
  function labelTables(root) {
    root.querySelectorAll("table.list").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
      if (!heads.length) { return; }
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (!cell.hasAttribute("data-label") && heads[index] && !cell.hasAttribute("colspan")) {
            cell.setAttribute("data-label", heads[index]);
          }
        });
      });
      table.classList.add("labelled");
    });
  }

  function ready() {
    labelTables(document);

    // Delegated handlers: they keep working after htmx swaps the page (hx-boost) or a part of it.
    document.addEventListener("click", function (event) {
      var toggle = event.target.closest("[data-nav-toggle]");
      if (toggle) {
        var open = document.body.classList.toggle("nav-open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        return;
      }
      document.querySelectorAll("details.navgroup[open]").forEach(function (group) {
        if (!group.contains(event.target)) { group.open = false; }  // one open menu group at a time
      });
      var back = event.target.closest("[data-back]");
      if (back && window.history.length > 1) { event.preventDefault(); window.history.back(); return; }
      if (event.target.closest("[data-print]")) { window.print(); }
    });

    // The language menu submits itself.
    document.addEventListener("change", function (event) {
      if (event.target.matches && event.target.matches("select[data-autosubmit]")) { event.target.form.submit(); }
    });

    // A form that asks for confirmation first (data-confirm="message").
    document.addEventListener("submit", function (event) {
      var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
      if (message && !window.confirm(message)) { event.preventDefault(); }
    }, true);
  }

  document.addEventListener("htmx:afterSwap", function (event) { labelTables(event.target); });
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); } else { ready(); }
}());
