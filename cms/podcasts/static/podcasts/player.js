/* Episode player: chapters and transcript time stamps seek, playback speed, and the cue
   being spoken is highlighted. The native <audio controls> stays the base: without this
   script everything still plays and every control is a real button or select. */
(function () {
  "use strict";

  function init(root) {
    var audio = root.querySelector("[data-player-audio]");
    if (!audio) return;
    var article = root.closest("article") || document;
    var rate = root.querySelector("[data-player-rate]");
    var status = root.querySelector("[data-player-status]");
    var cues = Array.prototype.slice.call(article.querySelectorAll("[data-transcript] .cue"));
    var chapters = Array.prototype.slice.call(article.querySelectorAll(".chapter-button"));
    var currentCue = null;
    var currentChapter = null;

    if (rate) {
      rate.addEventListener("change", function () {
        audio.playbackRate = parseFloat(rate.value) || 1;
      });
    }

    article.addEventListener("click", function (event) {
      var button = event.target.closest("[data-seek]");
      if (!button || button.disabled) return;
      var seconds = parseFloat(button.getAttribute("data-seek"));
      if (isNaN(seconds)) return;
      audio.currentTime = seconds;
      var playing = audio.play();
      if (playing && playing.catch) playing.catch(function () {});
      if (status) status.textContent = button.textContent.replace(/\s+/g, " ").trim();
    });

    function update() {
      var t = audio.currentTime;
      var cue = null;
      for (var i = 0; i < cues.length; i++) {
        var start = parseFloat(cues[i].getAttribute("data-start"));
        var end = parseFloat(cues[i].getAttribute("data-end"));
        if (t >= start && t < end) { cue = cues[i]; break; }
      }
      if (cue !== currentCue) {
        if (currentCue) currentCue.classList.remove("cue--current");
        if (cue) cue.classList.add("cue--current");
        currentCue = cue;
      }
      var chapter = null;
      for (var j = 0; j < chapters.length; j++) {
        if (parseFloat(chapters[j].getAttribute("data-seek")) <= t + 0.05) chapter = chapters[j];
      }
      if (chapter !== currentChapter) {
        if (currentChapter) currentChapter.removeAttribute("aria-current");
        if (chapter) chapter.setAttribute("aria-current", "true");
        currentChapter = chapter;
      }
    }
    audio.addEventListener("timeupdate", update);
    audio.addEventListener("seeked", update);
    startAtSharedTime(audio);
    followWithShareLink(audio);
  }

  // A shared link "?t=90" opens the episode at 1:30 (without playing: browsers forbid it).
  function startAtSharedTime(audio) {
    var match = /[?&]t=(\d+)/.exec(window.location.search);
    if (!match) return;
    var seconds = parseInt(match[1], 10);
    function seek() { if (seconds < audio.duration) audio.currentTime = seconds; }
    if (audio.readyState >= 1) seek(); else audio.addEventListener("loadedmetadata", seek, { once: true });
  }

  function clock(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
    var mm = (h && m < 10 ? "0" : "") + m, ss = (s < 10 ? "0" : "") + s;
    return (h ? h + ":" : "") + mm + ":" + ss;
  }

  // The share link follows the listener: "…/folge/?t=SECONDS" from the first second on.
  function followWithShareLink(audio) {
    var field = document.querySelector("[data-share-url]");
    if (!field) return;
    var base = field.getAttribute("data-share-url");
    var hint = document.querySelector("[data-share-hint]");
    var shown = null;
    function follow() {
      var seconds = Math.floor(audio.currentTime);
      if (seconds === shown) return;
      shown = seconds;
      field.value = seconds > 0 ? base + (base.indexOf("?") < 0 ? "?" : "&") + "t=" + seconds : base;
      if (hint && seconds > 0) {
        hint.textContent = hint.getAttribute("data-share-hint").replace("{time}", clock(seconds));
      }
    }
    audio.addEventListener("timeupdate", follow);
    audio.addEventListener("seeked", follow);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-player]"), init);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
