/* Small enhancements; every page works without them. */
(function () {
  "use strict";

  var current = null;

  /* Play buttons: links to an audio file play in place instead of opening the file. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-play]") : null;
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    if (current) {
      current.pause();
    }
    current = new Audio(link.href);
    link.classList.add("is-playing");
    current.addEventListener("ended", function () { link.classList.remove("is-playing"); });
    current.addEventListener("error", function () { link.classList.remove("is-playing"); });
    current.play().catch(function () { link.classList.remove("is-playing"); });
  });

  /* Read-only fields (join links) select their whole text on focus, ready to copy. */
  document.addEventListener("focusin", function (event) {
    var field = event.target;
    if (field.matches && field.matches("input[readonly]")) {
      field.select();
    }
  });

  /* A box that scrolls sideways (a wide table on a phone) takes the keyboard focus, so that it
     can be scrolled with the arrow keys; boxes whose page set a tabindex are left alone. */
  function focusableScrollers() {
    document.querySelectorAll(".overflow-auto, .lesson-notes table").forEach(function (box) {
      if (box.hasAttribute("tabindex") && !box.hasAttribute("data-scroll-focus")) {
        return;
      }
      if (box.scrollWidth > box.clientWidth) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroll-focus", "");
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-scroll-focus");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", focusableScrollers);
  window.addEventListener("resize", focusableScrollers);

  /* Copy buttons (hidden without JavaScript, where the read-only field is selected on focus):
     copy the field's text and say so on the button for a moment. */
  function copyButtons() {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      if (!navigator.clipboard) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        var field = document.querySelector(button.getAttribute("data-copy"));
        if (!field) {
          return;
        }
        var label = button.textContent;
        navigator.clipboard.writeText(field.value).then(function () {
          button.textContent = button.getAttribute("data-copied") || label;
          window.setTimeout(function () { button.textContent = label; }, 2000);
        }, function () {
          field.select();
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", copyButtons);

  /* An htmx request that could not be sent (no network): say so, rather than nothing happening
     on the tap; the next request that goes through takes the message away. */
  function networkError(show) {
    var note = document.querySelector("[data-network-error]");
    if (note) {
      note.hidden = !show;
    }
  }
  document.addEventListener("htmx:sendError", function () { networkError(true); });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail && event.detail.successful) {
      networkError(false);
    }
  });
})();
