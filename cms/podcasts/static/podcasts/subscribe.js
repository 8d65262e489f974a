/* Copy buttons of the subscribe box and the share link. Without this script (or without the
   Clipboard API) the buttons stay hidden and the read-only fields can be selected and copied
   by hand. The outcome is announced in the group's role="status" paragraph. */
(function () {
  "use strict";

  function announce(status, text) {
    if (!status) return;
    // Emptied first, so the same message is announced again after a second copy.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function init(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field || !navigator.clipboard || !window.isSecureContext) return;
    var group = button.closest("[data-copy-group]");
    var status = group && group.querySelector("[data-copy-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () { announce(status, status.getAttribute("data-copied")); },
        function () {
          field.focus();
          field.select();
          announce(status, status.getAttribute("data-failed"));
        }
      );
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), init);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
