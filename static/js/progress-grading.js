/*
 * The grading page (templates/progress/grade.html): the rubric total as levels are chosen, and
 * a form sent once. (The spoken comment is recorded by static/js/recorder.js, into the form's
 * file input, so it is saved with the grade.)
 *
 * Rubric: <div data-rubric data-rubric-max data-max-points> holds radio buttons with data-points
 * and a [data-rubric-total] line whose data-label-complete / data-label-partial carry the
 * translated sentence with {total} {max} {points} {max_points} {left} placeholders. The server
 * computes the same total when the form is saved; this only shows it early.
 *
 * Sent once: a <form data-submit-once> disables its buttons as it is sent, so a double click on
 * Save doesn't send the grade twice (the second would meet the first as "changed by someone
 * else"). A disabled button's name and value are not sent, so the clicked one's travel in a
 * hidden input. Back in the browser's history (bfcache), the form works again.
 */
(function () {
  "use strict";

  function formatPoints(value) {
    return String(Math.round(value * 100) / 100);
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : match;
    });
  }

  function setUpRubric(root) {
    var output = root.querySelector("[data-rubric-total]");
    var rubricMax = parseFloat(root.getAttribute("data-rubric-max")) || 0;
    var maxPoints = parseFloat(root.getAttribute("data-max-points")) || 0;
    var criteria = root.querySelectorAll("fieldset");
    if (!output) {
      return;
    }

    function update() {
      var total = 0;
      var left = 0;
      Array.prototype.forEach.call(criteria, function (criterion) {
        var chosen = criterion.querySelector("input[type=radio]:checked");
        if (chosen) {
          total += parseFloat(chosen.getAttribute("data-points")) || 0;
        } else {
          left += 1;
        }
      });
      var values = {
        total: String(total),
        max: String(rubricMax),
        points: formatPoints(rubricMax > 0 ? total / rubricMax * maxPoints : 0),
        max_points: String(maxPoints),
        left: String(left)
      };
      var template = output.getAttribute(left ? "data-label-partial" : "data-label-complete");
      output.textContent = fill(template || "", values);
    }

    root.addEventListener("change", update);
    update();
  }

  function submitButtons(form) {
    return form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]');
  }

  function setUpSubmitOnce(form) {
    var clicked = null;
    var sending = false;
    var carried = null;
    form.addEventListener("click", function (event) {
      var target = event.target;
      var button = target && target.closest ? target.closest('button, input[type="submit"]') : null;
      if (button && button.form === form && button.type === "submit") {
        clicked = button;
      }
    });
    form.addEventListener("submit", function (event) {
      if (sending) {
        event.preventDefault();
        return;
      }
      sending = true;
      var button = event.submitter || clicked;
      if (button && button.name) {
        carried = document.createElement("input");
        carried.type = "hidden";
        carried.name = button.name;
        carried.value = button.value;
        form.appendChild(carried);
      }
      Array.prototype.forEach.call(submitButtons(form), function (each) {
        each.disabled = true;
      });
    });
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) {
        return;
      }
      sending = false;
      if (carried && carried.parentNode) {
        carried.parentNode.removeChild(carried);
      }
      carried = null;
      Array.prototype.forEach.call(submitButtons(form), function (each) {
        each.disabled = false;
      });
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-submit-once]"), setUpSubmitOnce);
    Array.prototype.forEach.call(document.querySelectorAll("[data-rubric]"), setUpRubric);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
