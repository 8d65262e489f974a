/* Progressive enhancement of a learning step: checklist ticks are saved at once through the
   JSON API, and checklists get a print button. Without JavaScript the forms post to the page
   and everything works the same, only with a page reload. */
(function () {
  "use strict";

  function csrfToken(form) {
    var article = form.closest("[data-learning-step]");
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return (article && article.getAttribute("data-csrf-token")) || (input ? input.value : "");
  }

  function initChecklist(article, form) {
    var base = article.getAttribute("data-api-step-url");
    var checklistId = form.getAttribute("data-checklist-id");
    var status = form.querySelector("[data-checklist-status]");
    var save = form.querySelector("[data-checklist-save]");
    var print = form.querySelector("[data-print]");
    if (print) {
      print.hidden = false;
      print.addEventListener("click", function () { window.print(); });
    }
    if (!base || !window.fetch) return;
    if (save) save.hidden = true;
    form.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.matches("input[type=checkbox][data-item-id]")) return;
      var url = base + "checklists/" + checklistId + "/items/" + box.getAttribute("data-item-id");
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(form) },
        body: JSON.stringify({ checked: box.checked })
      }).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        if (status) status.textContent = status.getAttribute("data-saved") || form.getAttribute("data-saved-text") || "✓";
      }).catch(function () {
        if (save) save.hidden = false;
        if (status) status.textContent = form.getAttribute("data-error-text") || "!";
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var article = document.querySelector("[data-learning-step]");
    if (!article) return;
    Array.prototype.forEach.call(article.querySelectorAll("[data-checklist]"), function (form) {
      initChecklist(article, form);
    });
  });
})();
