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

// Lists entered as rows of fields (a Django formset): add a row from the template, remove one by emptying it
// (the server skips empty rows, so the form numbering never has to change).
document.querySelectorAll("[data-rows]").forEach(function (set) {
  var list = set.querySelector("[data-rows-list]");
  var template = set.querySelector("template[data-row-template]");
  var total = set.querySelector("input[name$='-TOTAL_FORMS']");
  set.addEventListener("click", function (event) {
    if (event.target.closest("[data-row-add]")) {
      var index = parseInt(total.value, 10);
      list.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
      total.value = index + 1;
      var first = list.lastElementChild.querySelector("input, select, textarea");
      if (first) first.focus();
      return;
    }
    var remove = event.target.closest("[data-row-remove]");
    if (remove) {
      var row = remove.closest("[data-row]");
      row.querySelectorAll("input, select, textarea").forEach(function (input) { input.value = ""; });
      row.hidden = true;
      var add = set.querySelector("[data-row-add]");
      if (add) add.focus();
    }
  });
});
