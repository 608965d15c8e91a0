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

// Filters that apply themselves: a select with data-autosubmit submits its form when changed; data-clears names
// a field of the same form to empty first (a new prefecture drops the county chosen under the old one).
document.addEventListener("change", function (event) {
  var field = event.target.closest("[data-autosubmit]");
  if (!field || !field.form) return;
  var cleared = field.dataset.clears && field.form.elements[field.dataset.clears];
  if (cleared) cleared.value = "";
  field.form.submit();
});

// A button with data-print prints the page (certificates).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});

// Sign-in reached from a link with ?username=: fill the name in and put the cursor on the password.
(function () {
  var form = document.querySelector("form[data-prefill-username]");
  if (!form) return;
  var username = new URLSearchParams(window.location.search).get("username");
  var field = document.getElementById("id_username");
  if (username && field && !field.value) {
    field.value = username;
    var password = document.getElementById("id_password");
    if (password) password.focus();
  }
})();
