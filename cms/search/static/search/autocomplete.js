/* Header search: suggestions as the WAI-ARIA combobox pattern (editable, list autocomplete).
   Without this script the box is a plain search form that opens the results page.
   Keys: Down/Up move through the suggestions (aria-activedescendant keeps the focus in the
   box), Enter opens the highlighted one, Escape closes the list (a second Escape clears the
   box), Tab leaves. A polite live region says how many suggestions there are. */
(function () {
  "use strict";

  function init(form) {
    var input = form.querySelector("input[type=search]");
    var url = form.getAttribute("data-suggest-url");
    if (!input || !url || !window.fetch) return;
    var listId = input.id + "-listbox";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "site-search__listbox";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.labels && input.labels[0] ? input.labels[0].textContent : "");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    // A polite live region, not role="status": a page's own status message stays the only one.
    status.setAttribute("aria-live", "polite");
    status.setAttribute("aria-atomic", "true");
    status.setAttribute("data-suggest-status", "");
    form.appendChild(list);
    form.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var items = [];
    var active = -1;
    var timer = null;
    var latest = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(index) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (index + options.length) % options.length;
      Array.prototype.forEach.call(options, function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function render(data) {
      items = data.suggestions || [];
      list.textContent = "";
      items.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "site-search__option";
        var title = document.createElement("span");
        title.className = "site-search__option-title";
        title.textContent = item.title;
        var meta = document.createElement("span");
        meta.className = "site-search__option-meta";
        meta.textContent = item.kind + (item.time ? " · " + item.time : "");
        option.appendChild(title);
        option.appendChild(meta);
        if (item.text) {
          var text = document.createElement("span");
          text.className = "site-search__option-text";
          text.textContent = item.text;
          option.appendChild(text);
        }
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { window.location.assign(item.url); });
        list.appendChild(option);
      });
      var count = items.length;
      if (count) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = input.getAttribute("data-suggest-count").replace("{count}", count);
      } else {
        close();
        status.textContent = input.value.trim().length >= 2 ? input.getAttribute("data-suggest-none") : "";
      }
      active = -1;
      input.removeAttribute("aria-activedescendant");
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query.length < 2) { render({ suggestions: [] }); return; }
      var request = ++latest;
      fetch(url + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) { if (request === latest) render(data); })
        .catch(function () { /* the form still submits to the results page */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        if (list.hidden) { if (items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); } else { fetchSuggestions(); } }
        else setActive(active + 1);
        event.preventDefault();
      } else if (event.key === "ArrowUp") {
        if (!list.hidden) setActive(active - 1);
        event.preventDefault();
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0 && items[active]) {
          event.preventDefault();
          window.location.assign(items[active].url);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) { close(); event.preventDefault(); }
        else if (input.value) { input.value = ""; event.preventDefault(); }
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-suggest-url]"), init);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
