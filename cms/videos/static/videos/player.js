/* Explainer video player: progressive enhancement of the native <video>.
 * Without JavaScript the native controls, captions and MP4 sources work as they are. With it,
 * a labelled position slider shows thumbnails from the sprite's WebVTT track while scrubbing
 * (keyboard: arrow keys, Page Up/Down, Home/End). No autoplay, no third-party code. */
(function () {
  "use strict";

  function parseTime(text) {
    var parts = text.trim().split(":").map(parseFloat);
    return parts.reduce(function (total, part) { return total * 60 + part; }, 0);
  }

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function parseThumbnails(text, baseUrl) {
    var cues = [];
    text.split(/\r?\n\r?\n/).forEach(function (block) {
      var lines = block.trim().split(/\r?\n/);
      var timing = lines.findIndex(function (line) { return line.indexOf("-->") !== -1; });
      if (timing === -1 || !lines[timing + 1]) { return; }
      var times = lines[timing].split("-->");
      var target = lines[timing + 1].trim();
      var hash = target.split("#xywh=");
      if (hash.length !== 2) { return; }
      var box = hash[1].split(",").map(Number);
      cues.push({
        start: parseTime(times[0]), end: parseTime(times[1].trim().split(/\s+/)[0]),
        url: new URL(hash[0], baseUrl).href, x: box[0], y: box[1], w: box[2], h: box[3]
      });
    });
    return cues;
  }

  function enhance(video) {
    var url = video.getAttribute("data-thumbnails");
    if (!url || !window.fetch) { return; }
    fetch(url).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.text();
    }).then(function (text) {
      var cues = parseThumbnails(text, new URL(url, document.baseURI).href);
      if (cues.length) { addScrubber(video, cues); }
    }).catch(function () { /* the native controls remain */ });
  }

  function addScrubber(video, cues) {
    var lang = document.documentElement.lang || "de";
    var german = lang.indexOf("de") === 0;
    var wrapper = document.createElement("div");
    wrapper.className = "video-scrubber";
    var id = "scrub-" + Math.random().toString(36).slice(2);
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = german ? "Position mit Vorschau" : "Position with preview";
    var range = document.createElement("input");
    range.type = "range";
    range.id = id;
    range.min = "0";
    range.step = "1";
    range.value = "0";
    var preview = document.createElement("div");
    preview.className = "video-scrubber__preview";
    preview.hidden = true;
    preview.setAttribute("aria-hidden", "true");
    wrapper.append(label, range, preview);
    video.closest("[data-video-player]").after(wrapper);

    function setMax() { range.max = String(Math.floor(video.duration || cues[cues.length - 1].end)); }
    setMax();
    video.addEventListener("loadedmetadata", setMax);

    function show(time) {
      var cue = cues.find(function (c) { return time >= c.start && time < c.end; }) || cues[cues.length - 1];
      preview.style.width = cue.w + "px";
      preview.style.height = cue.h + "px";
      preview.style.backgroundImage = "url(\"" + cue.url + "\")";
      preview.style.backgroundPosition = (-cue.x) + "px " + (-cue.y) + "px";
      var share = range.max > 0 ? time / range.max : 0;
      preview.style.left = "calc(" + (share * 100) + "% - " + (cue.w / 2) + "px)";
      preview.hidden = false;
      range.setAttribute("aria-valuetext", clock(time));
    }

    range.addEventListener("input", function () {
      show(Number(range.value));
      video.currentTime = Number(range.value);
    });
    range.addEventListener("pointermove", function (event) {
      var rect = range.getBoundingClientRect();
      show(Math.max(0, Math.min(1, (event.clientX - rect.left) / rect.width)) * range.max);
    });
    ["pointerleave", "blur"].forEach(function (name) {
      range.addEventListener(name, function () { preview.hidden = true; });
    });
    video.addEventListener("timeupdate", function () {
      if (document.activeElement !== range) {
        range.value = String(Math.floor(video.currentTime));
        range.setAttribute("aria-valuetext", clock(video.currentTime));
      }
    });
  }

  /* Reach: one beacon when a play starts and one at 25/50/75/100 %, through
   * navigator.sendBeacon to our own server. No cookie is set, nothing is stored in the
   * browser; inside an embed, the embedding site's host name (not its address) is sent. */
  function embeddingSite() {
    if (window.self === window.top || !document.referrer) { return ""; }
    try { return new URL(document.referrer).hostname; } catch (error) { return ""; }
  }

  function countPlays(video) {
    var figure = video.closest("[data-reach-beacon]");
    if (!figure || !navigator.sendBeacon) { return; }
    var url = figure.getAttribute("data-reach-beacon");
    var id = Number(figure.getAttribute("data-reach-video"));
    var site = embeddingSite();
    var sent = {};
    function send(milestone) {
      if (sent[milestone]) { return; }
      sent[milestone] = true;
      var body = JSON.stringify({ video: id, milestone: milestone, site: site });
      navigator.sendBeacon(url, new Blob([body], { type: "text/plain" }));
    }
    video.addEventListener("play", function () { send(0); });
    video.addEventListener("timeupdate", function () {
      if (!video.duration) { return; }
      var share = video.currentTime / video.duration * 100;
      [25, 50, 75].forEach(function (mark) { if (share >= mark) { send(mark); } });
    });
    video.addEventListener("ended", function () { send(100); });
  }

  // A link "?t=754" (shared, or a search result's minute) starts the video at 12:34 — it
  // does not play by itself (browsers forbid autoplay with sound); the native controls or
  // the keyboard start it there.
  function startAtSharedTime(video) {
    var match = /[?&]t=(\d+)/.exec(window.location.search);
    if (!match) { return; }
    var seconds = parseInt(match[1], 10);
    function seek() { if (seconds < video.duration) { video.currentTime = seconds; } }
    if (video.readyState >= 1) { seek(); } else { video.addEventListener("loadedmetadata", seek, { once: true }); }
  }

  document.querySelectorAll("video[data-video]").forEach(function (video) {
    startAtSharedTime(video);
    enhance(video);
    countPlays(video);
  });
})();
