/*
 * The student's assignment page (templates/progress/assignment.html): while the recorder
 * (static/js/recorder.js, shared with the lessons' pronunciation page) is saving a recording,
 * the answer form's buttons are disabled, so that Submit can't hand in the previous recording
 * while the new one is still on its way.
 *
 * recorder.js marks its state on its root (<article data-recorder data-form="<form id>"
 * data-state="idle|recording|recorded|saving">); this only watches that attribute.
 */
(function () {
  "use strict";

  function watch(root) {
    var form = document.getElementById(root.getAttribute("data-form"));
    if (!form || !window.MutationObserver) {
      return;
    }
    var buttons = form.querySelectorAll('button[type="submit"], input[type="submit"]');

    function update() {
      var saving = root.getAttribute("data-state") === "saving";
      Array.prototype.forEach.call(buttons, function (button) {
        button.disabled = saving;
      });
    }

    new MutationObserver(update).observe(root, { attributes: true, attributeFilter: ["data-state"] });
    update();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-recorder][data-form]"), watch);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
