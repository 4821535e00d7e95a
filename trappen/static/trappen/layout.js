// Small layout helpers (no build step; the CSP allows scripts from our own origin only).
// 1. Below the tablet width the navigation folds behind the "Menu" button.
// 2. Tables stack their rows on a phone (app.css); each cell gets its column's name to show.
// 3. A box that scrolls sideways can be reached and scrolled with the keyboard.
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 56rem)");

  function setUpMenu() {
    var button = document.querySelector(".menu-toggle");
    var header = document.querySelector("header.top");
    if (!button || !header) return;
    function apply() {
      button.hidden = !narrow.matches;
      header.classList.toggle("folded", narrow.matches);
      if (!narrow.matches) {
        header.classList.remove("open");
        button.setAttribute("aria-expanded", "false");
      }
    }
    button.addEventListener("click", function () {
      var open = !header.classList.contains("open");
      header.classList.toggle("open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    if (narrow.addEventListener) narrow.addEventListener("change", apply);
    apply();
  }

  function labelCells(root) {
    root.querySelectorAll("table:not(.figures)").forEach(function (table) {
      var heads = table.querySelectorAll("thead tr:last-child th");
      if (!heads.length) return;
      table.querySelectorAll("tbody tr").forEach(function (row) {
        // A cell spanning columns (an empty state, a note) gets no column name.
        if (row.children.length < heads.length && row.children.length === 1) return;
        Array.prototype.forEach.call(row.children, function (cell, i) {
          var label = heads[i] && heads[i].textContent.trim();
          if (label && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", label);
        });
      });
    });
  }

  function nameOf(box) {
    var table = box.querySelector("table");
    var id = table && table.getAttribute("aria-labelledby");
    var labelled = id && document.getElementById(id);
    if (labelled) return labelled.textContent.trim();
    var caption = table && table.querySelector("caption");
    if (caption) return caption.textContent.trim();
    var section = box.closest("section, .card, .table-section");
    var heading = section && section.querySelector("h2, h3");
    return heading ? heading.textContent.trim() : "";
  }

  function reachScrollBoxes(root) {
    root.querySelectorAll(".scroll").forEach(function (box) {
      if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
      if (!box.hasAttribute("role")) box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
        var name = nameOf(box);
        if (name) box.setAttribute("aria-label", name);
      }
    });
  }

  // 4. A price field that a free offer needs not (the measure form): hidden while one is chosen.
  function hideFreePrices(root) {
    root.querySelectorAll("[data-free-with]").forEach(function (input) {
      var select = document.getElementById(input.getAttribute("data-free-with"));
      var field = input.closest(".field") || input;
      if (!select) return;
      var free = (input.getAttribute("data-free-options") || "").split(" ");
      function apply() {
        field.hidden = free.indexOf(select.value) !== -1;
      }
      select.addEventListener("change", apply);
      apply();
    });
  }

  function enhance(root) {
    labelCells(root);
    reachScrollBoxes(root);
    hideFreePrices(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    enhance(document);
  });
  // Content htmx swaps in (filters, panels) gets the same treatment.
  document.addEventListener("htmx:afterSettle", function (event) {
    enhance(event.target);
  });
})();
