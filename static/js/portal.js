// Confirmation before irreversible actions: any form with data-confirm asks first.
document.addEventListener("submit", function (event) {
  var form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
}, true);

// Uploading a document reloads the step: warn before unsaved typing in the step form is lost.
(function () {
  var stepForm = document.querySelector("form[data-step-form]");
  if (!stepForm) return;
  var dirty = false;
  stepForm.addEventListener("input", function () { dirty = true; });
  document.querySelectorAll("form[data-upload-form]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (dirty && !window.confirm(form.dataset.unsavedMessage)) event.preventDefault();
    });
  });
})();

// A refused form: move focus to its error summary so screen readers announce it and keyboard users start there;
// a link in the summary moves focus to its field (not just scrolls to it).
(function () {
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    field.scrollIntoView({ block: "center" });
    field.focus();
  });
})();
