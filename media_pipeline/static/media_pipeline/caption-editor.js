/*
 * The caption editor (progressive enhancement of caption_editor.html).
 *
 * Without this script the page is a form with the captions as WebVTT text, and it stays
 * one. This script shows the cues as a list instead (start, end and text of each editable),
 * lets the player play the cue being edited, splits, merges, shifts, finds and replaces,
 * and highlights the words the model was unsure of. On submit it writes the cues as JSON
 * into the form's hidden "cues" field and leaves the WebVTT text out; the server checks the
 * cues again and shows its messages at the cues (data "errors").
 *
 * Keyboard: Alt+↓/↑ next/previous cue, Alt+R replay the cue, Alt+K play/pause, Alt+S split
 * at the cursor, Alt+M merge with the next cue. Always with Alt, so typing is never taken.
 * Words come translated in the page's JSON data ("strings"). No inline script or handler:
 * the admin's Content-Security-Policy is meant to lose 'unsafe-inline'.
 */
(function () {
  "use strict";

  const section = document.querySelector("[data-caption-editor]");
  const form = document.querySelector("[data-caption-editor-form]");
  const dataElement = document.getElementById("caption-editor-data");
  if (!section || !form || !dataElement) {
    return;
  }
  const data = JSON.parse(dataElement.textContent);
  if (data.text_only) {
    return; // the text could not be read as cues: it is corrected in the WebVTT field
  }
  const strings = data.strings;
  const list = section.querySelector("[data-caption-cues]");
  const status = section.querySelector("[data-caption-status]");
  const player = document.querySelector("[data-caption-editor-player]");
  const fallback = form.querySelector("[data-caption-editor-fallback]");
  const input = form.querySelector("[data-caption-editor-input]");
  const TIME = /^(?:(\d{1,4}):)?([0-5]?\d):([0-5]\d)(?:[.,](\d{1,3}))?$/;

  let cues = data.cues.map((cue) => ({
    start: cue.start,
    end: cue.end,
    text: cue.text,
    unsure: cue.unsure || [],
    errors: [],
  }));
  (data.errors || []).forEach((error) => {
    if (cues[error.index]) {
      cues[error.index].errors.push(error);
    }
  });
  let current = 0;
  let stopAt = null;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, (match, name) =>
      name in values ? String(values[name]) : match,
    );
  }

  function parseTime(value) {
    const match = TIME.exec(String(value).trim());
    if (!match) {
      return null;
    }
    const millis = parseInt((match[4] || "0").padEnd(3, "0"), 10);
    const hours = parseInt(match[1] || "0", 10);
    return ((hours * 60 + parseInt(match[2], 10)) * 60 + parseInt(match[3], 10)) * 1000 + millis;
  }

  function formatTime(millis) {
    millis = Math.max(0, Math.round(millis));
    const pad = (number, width) => String(number).padStart(width, "0");
    const hours = Math.floor(millis / 3600000);
    const minutes = Math.floor((millis % 3600000) / 60000);
    const seconds = Math.floor((millis % 60000) / 1000);
    return `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(millis % 1000, 3)}`;
  }

  function announce(message) {
    // Emptied first, so the same words twice are announced twice.
    status.textContent = "";
    window.setTimeout(() => {
      status.textContent = message;
    }, 50);
  }

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function timeField(index, name, cue) {
    const id = `cue-${index + 1}-${name}`;
    const wrapper = element("div", { class: "caption-cue__time" });
    wrapper.append(element("label", { for: id }, strings[name]));
    const field = element("input", {
      type: "text",
      id,
      value: cue[name],
      inputmode: "decimal",
      autocomplete: "off",
      spellcheck: "false",
      "data-field": name,
    });
    wrapper.append(field);
    return wrapper;
  }

  function renderUnsure(item, cue) {
    const note = item.querySelector("[data-unsure]");
    const present = cue.unsure.filter((word) => cue.text.includes(word));
    note.replaceChildren();
    note.hidden = present.length === 0;
    if (present.length) {
      note.append(strings.unsure, " ");
      present.forEach((word, position) => {
        if (position) {
          note.append(", ");
        }
        note.append(element("mark", {}, word));
      });
    }
  }

  function renderCue(cue, index) {
    const number = index + 1;
    const item = element("li", { class: "caption-cue", "data-index": String(index) });
    const group = element("fieldset");
    group.append(element("legend", {}, format(strings.cue, { number })));
    const times = element("div", { class: "caption-cue__times" });
    times.append(timeField(index, "start", cue), timeField(index, "end", cue));
    group.append(times);
    const textId = `cue-${number}-text`;
    group.append(element("label", { for: textId, class: "caption-cue__label" }, strings.text));
    const text = element("textarea", { id: textId, rows: "2", "data-field": "text" });
    text.value = cue.text;
    group.append(text);
    const unsure = element("p", { class: "caption-cue__unsure", id: `cue-${number}-unsure`, "data-unsure": "" });
    group.append(unsure);
    const described = { start: [], end: [], text: [unsure.id] };
    cue.errors.forEach((error, position) => {
      const id = `cue-${number}-error-${position}`;
      group.append(element("p", { class: "error-message", id }, error.message));
      (described[error.field] || described.text).push(id);
      group.querySelector(`[data-field="${error.field || "text"}"]`).setAttribute("aria-invalid", "true");
    });
    Object.entries(described).forEach(([name, ids]) => {
      if (ids.length) {
        group.querySelector(`[data-field="${name}"]`).setAttribute("aria-describedby", ids.join(" "));
      }
    });
    const actions = element("div", { class: "caption-cue__actions" });
    [
      ["play", strings.play],
      ["split", strings.split],
      ["merge", strings.merge],
      ["delete", strings.delete],
    ].forEach(([action, label]) => {
      actions.append(
        element("button", { type: "button", class: "button button-small button-secondary", "data-cue-action": action }, label),
      );
    });
    group.append(actions);
    item.append(group);
    renderUnsure(item, cue);
    return item;
  }

  function render(focusIndex, focusField, caret) {
    list.replaceChildren(...cues.map(renderCue));
    if (!cues.length) {
      list.append(element("li", { class: "caption-cue caption-cue--empty" }, strings.no_cues));
    }
    current = Math.min(current, Math.max(cues.length - 1, 0));
    markCurrent();
    if (focusIndex !== undefined && cues[focusIndex]) {
      const field = itemAt(focusIndex).querySelector(`[data-field="${focusField || "text"}"]`);
      field.focus();
      if (caret !== undefined && field.setSelectionRange) {
        field.setSelectionRange(caret, caret);
      }
    }
  }

  function itemAt(index) {
    return list.querySelector(`[data-index="${index}"]`);
  }

  function markCurrent() {
    list.querySelectorAll("[aria-current]").forEach((node) => node.removeAttribute("aria-current"));
    const item = itemAt(current);
    if (item) {
      item.setAttribute("aria-current", "true");
    }
  }

  function describe(index) {
    const cue = cues[index];
    return format(strings.position, {
      number: index + 1,
      count: cues.length,
      start: cue.start,
      end: cue.end,
      text: cue.text.replace(/\s+/g, " "),
    });
  }

  function seek(index) {
    const start = parseTime(cues[index].start);
    if (player && start !== null) {
      player.currentTime = start / 1000;
    }
  }

  function moveTo(index) {
    if (!cues.length) {
      return;
    }
    index = Math.max(0, Math.min(cues.length - 1, index));
    const active = document.activeElement;
    const field = active && active.dataset && active.dataset.field ? active.dataset.field : "text";
    current = index;
    markCurrent();
    itemAt(index).querySelector(`[data-field="${field}"]`).focus();
    stopAt = null;
    seek(index);
    announce(describe(index));
  }

  function playCue(index) {
    if (!player || !cues[index]) {
      return;
    }
    const end = parseTime(cues[index].end);
    seek(index);
    stopAt = end === null ? null : end / 1000;
    const playing = player.play();
    if (playing && playing.catch) {
      playing.catch(() => {});
    }
  }

  function togglePlay() {
    if (!player) {
      return;
    }
    if (player.paused) {
      stopAt = null;
      const playing = player.play();
      if (playing && playing.catch) {
        playing.catch(() => {});
      }
    } else {
      player.pause();
    }
  }

  function middleOf(text) {
    // The space nearest the middle: a cue split without a cursor in it splits between words.
    const middle = Math.floor(text.length / 2);
    for (let distance = 0; distance <= middle; distance += 1) {
      for (const position of [middle - distance, middle + distance]) {
        if (/\s/.test(text.charAt(position))) {
          return position;
        }
      }
    }
    return middle;
  }

  function caretOf(index) {
    const text = itemAt(index).querySelector('[data-field="text"]');
    const caret = text.selectionStart;
    return caret > 0 && caret < text.value.length ? caret : middleOf(text.value);
  }

  function split(index, caret) {
    const cue = cues[index];
    const start = parseTime(cue.start);
    const end = parseTime(cue.end);
    const before = cue.text.slice(0, caret).trim();
    const after = cue.text.slice(caret).trim();
    if (!before || !after || start === null || end === null) {
      return;
    }
    // The time is divided as the text is: a fair guess for speech at an even pace.
    const middle = Math.round(start + ((end - start) * before.length) / (before.length + after.length));
    const second = { start: formatTime(middle), end: cue.end, text: after, unsure: cue.unsure, errors: [] };
    cues.splice(index, 1, { ...cue, end: formatTime(middle), text: before, errors: [] }, second);
    current = index + 1;
    render(index + 1, "text", 0);
    announce(format(strings.split_done, { number: index + 1, next: index + 2 }));
  }

  function merge(index) {
    if (index >= cues.length - 1) {
      announce(strings.merge_last);
      return;
    }
    const cue = cues[index];
    const next = cues[index + 1];
    const caret = cue.text.length;
    cues.splice(index, 2, {
      start: cue.start,
      end: next.end,
      text: `${cue.text} ${next.text}`.trim(),
      unsure: [...cue.unsure, ...next.unsure],
      errors: [],
    });
    current = index;
    render(index, "text", caret);
    announce(format(strings.merge_done, { number: index + 1 }));
  }

  function shift(indexes, millis) {
    indexes.forEach((index) => {
      const cue = cues[index];
      ["start", "end"].forEach((name) => {
        const value = parseTime(cue[name]);
        if (value !== null) {
          cue[name] = formatTime(value + millis);
        }
      });
    });
    render();
  }

  function replaceAll(find, replacement) {
    let count = 0;
    if (find) {
      cues.forEach((cue) => {
        const parts = cue.text.split(find);
        count += parts.length - 1;
        cue.text = parts.join(replacement);
      });
      render();
    }
    announce(format(strings.replaced, { count }));
  }

  function checkTime(field) {
    const valid = parseTime(field.value) !== null;
    field.setAttribute("aria-invalid", valid ? "false" : "true");
    field.title = valid ? "" : strings.bad_time;
  }

  // --- events ------------------------------------------------------------------------------
  list.addEventListener("input", (event) => {
    const item = event.target.closest("[data-index]");
    const name = event.target.dataset.field;
    if (!item || !name) {
      return;
    }
    const cue = cues[Number(item.dataset.index)];
    cue[name] = event.target.value;
    if (name === "text") {
      renderUnsure(item, cue);
    }
  });

  list.addEventListener("change", (event) => {
    if (event.target.dataset.field === "start" || event.target.dataset.field === "end") {
      checkTime(event.target);
    }
  });

  list.addEventListener("focusin", (event) => {
    const item = event.target.closest("[data-index]");
    if (item && Number(item.dataset.index) !== current) {
      current = Number(item.dataset.index);
      markCurrent();
      if (player && player.paused) {
        seek(current);
      }
    }
  });

  list.addEventListener("click", (event) => {
    const button = event.target.closest("[data-cue-action]");
    if (!button) {
      return;
    }
    const index = Number(button.closest("[data-index]").dataset.index);
    current = index;
    const action = button.dataset.cueAction;
    if (action === "play") {
      playCue(index);
    } else if (action === "split") {
      split(index, caretOf(index));
    } else if (action === "merge") {
      merge(index);
    } else if (action === "delete") {
      cues.splice(index, 1);
      render(Math.min(index, cues.length - 1));
      announce(format(strings.deleted, { number: index + 1 }));
    }
  });

  section.addEventListener("click", (event) => {
    const button = event.target.closest("[data-caption-action]");
    if (!button) {
      return;
    }
    const action = button.dataset.captionAction;
    const millis = parseInt(section.querySelector("[data-caption-shift]").value, 10) || 0;
    if (action === "shift-one" && cues[current]) {
      shift([current], millis);
      announce(format(strings.shifted_one, { number: current + 1, ms: millis }));
    } else if (action === "shift-all") {
      shift(cues.map((_cue, index) => index), millis);
      announce(format(strings.shifted_all, { ms: millis }));
    } else if (action === "replace") {
      replaceAll(
        section.querySelector("[data-caption-find]").value,
        section.querySelector("[data-caption-replace]").value,
      );
    } else if (action === "add") {
      const last = cues.length ? parseTime(cues[cues.length - 1].end) || 0 : 0;
      cues.push({ start: formatTime(last), end: formatTime(last + 2000), text: "", unsure: [], errors: [] });
      current = cues.length - 1;
      render(current);
      announce(format(strings.added, { number: cues.length }));
    }
  });

  document.addEventListener("keydown", (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    const inCue = list.contains(document.activeElement);
    const actions = {
      ArrowDown: () => moveTo(current + 1),
      ArrowUp: () => moveTo(current - 1),
      KeyR: () => playCue(current),
      KeyK: togglePlay,
      KeyS: () => cues[current] && split(current, inCue ? caretOf(current) : middleOf(cues[current].text)),
      KeyM: () => cues[current] && merge(current),
    };
    const action = actions[event.code];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  if (player) {
    player.addEventListener("timeupdate", () => {
      if (stopAt !== null && player.currentTime >= stopAt) {
        player.pause();
        stopAt = null;
      }
    });
  }

  // Also sent with "import": a file that cannot be read leaves the cues as they were.
  form.addEventListener("submit", () => {
    input.value = JSON.stringify(
      cues.map((cue) => ({ start: cue.start, end: cue.end, text: cue.text, unsure: cue.unsure })),
    );
  });

  // The WebVTT text is the way without this script; with it, the cues are.
  fallback.hidden = true;
  fallback.querySelector("textarea").disabled = true;
  section.hidden = false;
  render();
})();
