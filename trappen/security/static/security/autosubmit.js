// Submits a form when a control marked data-autosubmit changes: the CSP forbids inline
// onchange handlers, so templates mark the control and this file does the work.
document.addEventListener("change", (event) => {
  const control = event.target.closest("[data-autosubmit]");
  if (control && control.form) control.form.requestSubmit();
});
