/* The print button of the invitation and minutes (the CSP allows no inline handlers). */
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { window.print(); }
});
