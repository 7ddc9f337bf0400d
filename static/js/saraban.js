// Behaviour shared by every page, as data attributes instead of inline handlers (the
// Content-Security-Policy refuses onclick="…" and onsubmit="…"). Listeners sit on the
// document, so they also serve pages that Turbo swaps in; the script loads in the <head>
// without defer, so they are in place before any button can be clicked.
//   data-confirm="question" on a button or a form: asks before the form is sent.
//   data-submit-once on a form: its buttons are disabled once it is sent (no double click).
(function () {
  "use strict";
  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("button[data-confirm]") : null;
    if (!button) return;
    if (!window.confirm(button.dataset.confirm)) event.preventDefault();
  });

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.dataset.confirm !== undefined && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    if (form.dataset.submitOnce !== undefined) {
      // After the browser has taken the form's data (a disabled button's name would be left out).
      setTimeout(() => form.querySelectorAll("button").forEach((b) => { b.disabled = true; }), 0);
    }
  });
})();
