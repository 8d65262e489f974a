/*
 * Live rendition progress for the Medien admin.
 *
 * Every element with data-rendition-id holds a <progress data-rendition-bar> and a text
 * label (data-rendition-label). While any of them is pending or processing, this asks the
 * JSON endpoint named by the nearest data-media-progress-url every two seconds and updates
 * bar, label and data-status in place. A container marked data-media-reload-when-done
 * (the detail page) reloads once all its renditions have finished, to show players,
 * sizes and loudness.
 */
(function () {
  "use strict";

  var INTERVAL_MS = 2000;
  var ACTIVE = ["pending", "processing"];

  function activeItems() {
    return Array.prototype.filter.call(
      document.querySelectorAll("[data-rendition-id]"),
      function (item) {
        return ACTIVE.indexOf(item.dataset.status) !== -1;
      }
    );
  }

  function progressUrl(items) {
    var container = items[0].closest("[data-media-progress-url]");
    return container ? container.dataset.mediaProgressUrl : null;
  }

  function update(item, rendition) {
    var bar = item.querySelector("[data-rendition-bar]");
    var label = item.querySelector("[data-rendition-label]");
    item.dataset.status = rendition.status;
    if (bar) {
      bar.value = rendition.progress;
      bar.textContent = rendition.progress + " %";
    }
    if (label) {
      label.textContent = rendition.label;
    }
    if (rendition.warning && !item.querySelector(".media-rendition-warning")) {
      // The same words the page shows after a reload (rendition_progress.html).
      var note = document.createElement("p");
      var strong = document.createElement("strong");
      note.className = "help-block help-warning media-rendition-warning";
      strong.textContent = rendition.warning_label;
      note.appendChild(strong);
      note.appendChild(document.createTextNode(" " + rendition.warning));
      item.appendChild(note);
    }
  }

  function reloadIfDone() {
    var container = document.querySelector("[data-media-reload-when-done]");
    if (container && !container.querySelector('[data-status="pending"], [data-status="processing"]')) {
      window.location.reload();
    }
  }

  function poll() {
    var items = activeItems();
    var url = items.length && progressUrl(items);
    if (!url) {
      // Nothing to watch now; keep looking, as search and filters swap the listing in.
      window.setTimeout(poll, INTERVAL_MS);
      return;
    }
    var ids = items.map(function (item) {
      return item.dataset.renditionId;
    });
    fetch(url + "?ids=" + encodeURIComponent(ids.join(",")), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("progress request failed: " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        var finished = false;
        data.renditions.forEach(function (rendition) {
          document
            .querySelectorAll('[data-rendition-id="' + rendition.id + '"]')
            .forEach(function (item) {
              update(item, rendition);
              finished = finished || ACTIVE.indexOf(rendition.status) === -1;
            });
        });
        if (finished) {
          reloadIfDone();
        }
      })
      .catch(function () {
        // A missed update is harmless; the next tick tries again.
      })
      .finally(function () {
        window.setTimeout(poll, INTERVAL_MS);
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", poll);
  } else {
    poll();
  }
})();
