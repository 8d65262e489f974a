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
