/*
 * Drag-and-drop upload for the Medien admin (progressive enhancement of upload.html).
 *
 * Without this script the page is a plain multipart form, and it stays one: choosing files
 * in the file field and pressing "Upload" still posts the form. This script turns the box
 * around the file field (data-media-dropzone) into a drop zone. Every dropped file goes up
 * in its own XMLHttpRequest to the form's action, marked so the view answers JSON; its list
 * item (in the aria-live list data-media-upload-list) shows a <progress> while the bytes
 * travel and then the view's outcome: accepted or duplicate with a link, or refused with
 * the translated reason. One request per file keeps a refused or huge file from costing
 * the others, and shows each file's progress.
 *
 * Words come translated from the form's data attributes; the outcome's markup (icon, name,
 * link, reason) comes from the server, the same as the results list without JavaScript.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-media-upload-form]");
  if (!form || !window.FormData || !window.XMLHttpRequest) {
    return;
  }
  var zone = form.querySelector("[data-media-dropzone]");
  var list = document.querySelector("[data-media-upload-list]");
  var heading = document.querySelector("[data-media-upload-heading]");
  var hint = form.querySelector("[data-media-dropzone-hint]");
  if (!zone || !list) {
    return;
  }
  var counter = 0;
  // A few at a time, the rest wait their turn: twenty dropped videos must not open twenty
  // uploads at once against a small server (each one spools to its own temporary file).
  var MAX_PARALLEL = 2;
  var waiting = [];
  var running = 0;

  function field(name) {
    return form.querySelector('[name="' + name + '"]');
  }

  function hasFiles(event) {
    var types = event.dataTransfer ? event.dataTransfer.types : [];
    return Array.prototype.indexOf.call(types, "Files") !== -1;
  }

  function addItem(file) {
    counter += 1;
    var item = document.createElement("li");
    var name = document.createElement("strong");
    var state = document.createElement("span");
    var bar = document.createElement("progress");
    item.className = "media-upload-results__item media-upload-results__item--uploading";
    item.dataset.status = "waiting";
    name.id = "media-upload-name-" + counter;
    name.textContent = file.name;
    state.id = "media-upload-state-" + counter;
    state.textContent = form.dataset.waitingText;
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-labelledby", name.id + " " + state.id);
    item.appendChild(name);
    item.appendChild(document.createTextNode(": "));
    item.appendChild(state);
    item.appendChild(document.createTextNode(" "));
    item.appendChild(bar);
    list.appendChild(item);
    if (heading) {
      heading.hidden = false;
    }
    return { item: item, bar: bar, state: state };
  }

  function finish(entry, status, html, text) {
    var item = entry.item;
    item.className = "media-upload-results__item media-upload-results__item--" + status;
    item.dataset.status = status;
    // Name, state and bar are replaced in one go, so the live region announces the outcome once.
    var outcome = document.createElement("span");
    outcome.className = "media-upload-results__outcome";
    if (html) {
      outcome.innerHTML = html; // the view's own rendering (escaped there)
    } else {
      outcome.textContent = item.querySelector("strong").textContent + ": " + text;
    }
    item.textContent = "";
    item.appendChild(outcome);
  }

  function next() {
    while (running < MAX_PARALLEL && waiting.length) {
      running += 1;
      send(waiting.shift());
    }
  }

  function done(entry, status, html, text) {
    finish(entry, status, html, text);
    running -= 1;
    next();
  }

  function send(job) {
    var file = job.file;
    var title = job.title;
    var entry = job.entry;
    entry.item.dataset.status = "uploading";
    entry.state.textContent = form.dataset.uploadingText;
    var data = new FormData();
    data.append("csrfmiddlewaretoken", field("csrfmiddlewaretoken").value);
    data.append("files", file, file.name);
    if (title) {
      data.append("title", title);
    }
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    request.setRequestHeader("Accept", "application/json");
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        entry.bar.value = Math.round((event.loaded / event.total) * 100);
      }
    });
    request.addEventListener("load", function () {
      var result = null;
      try {
        result = JSON.parse(request.responseText).results[0];
      } catch (error) {
        result = null;
      }
      if (result) {
        done(entry, result.status, result.html);
      } else {
        // Not the view's JSON: login page after an expired session, CSRF refusal, proxy error.
        done(entry, "refused", null, form.dataset.failedText);
      }
    });
    request.addEventListener("error", function () {
      done(entry, "refused", null, form.dataset.failedText);
    });
    request.send(data);
  }

  function upload(file, title) {
    waiting.push({ file: file, title: title, entry: addItem(file) });
    next();
  }

  function uploadAll(files) {
    var titleField = field("title");
    // As in the form: the title is only used when exactly one file is sent.
    var title = files.length === 1 && titleField ? titleField.value : "";
    Array.prototype.forEach.call(files, function (file) {
      upload(file, title);
    });
    if (title) {
      titleField.value = "";
    }
  }

  function activate(event) {
    if (!hasFiles(event)) {
      return;
    }
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    zone.classList.add("media-upload-dropzone--active");
  }

  function deactivate(event) {
    // dragleave also fires when the pointer moves onto a child of the zone.
    if (!event.relatedTarget || !zone.contains(event.relatedTarget)) {
      zone.classList.remove("media-upload-dropzone--active");
    }
  }

  // Files dropped just beside the zone would otherwise replace the page with the file.
  ["dragover", "drop"].forEach(function (type) {
    window.addEventListener(type, function (event) {
      if (hasFiles(event) && !zone.contains(event.target)) {
        event.preventDefault();
        if (type === "dragover") {
          event.dataTransfer.dropEffect = "none";
        }
      }
    });
  });

  zone.classList.add("media-upload-dropzone--enabled");
  if (hint) {
    hint.hidden = false;
  }
  zone.addEventListener("dragenter", activate);
  zone.addEventListener("dragover", activate);
  zone.addEventListener("dragleave", deactivate);
  zone.addEventListener("drop", function (event) {
    zone.classList.remove("media-upload-dropzone--active");
    if (!hasFiles(event)) {
      return;
    }
    event.preventDefault();
    uploadAll(event.dataTransfer.files);
  });
})();
