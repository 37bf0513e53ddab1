/* Quizzes from the keyboard: 1–4 pick a choice, Enter checks; focus follows the questions. */
(function () {
  "use strict";

  function quizForm() {
    return document.querySelector("[data-quiz] form.quiz-form");
  }

  function submit(form) {
    if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var form = quizForm();
    if (!form) {
      return;
    }
    var target = event.target;
    var typing = target.matches && target.matches("input[type=text], input:not([type]), textarea");
    if (!typing && /^[1-4]$/.test(event.key)) {
      var choice = form.querySelector("input[type=radio][data-key='" + event.key + "']");
      if (choice) {
        event.preventDefault();
        choice.checked = true;
        choice.focus();
      }
    } else if (event.key === "Enter" && target.matches && target.matches("input[type=radio], select") &&
               form.contains(target)) {
      event.preventDefault();
      submit(form);
    }
  });

  /* After htmx swaps in feedback or the next question, put the focus where the keyboard needs it. */
  function focusIn(root) {
    var next = root.querySelector("[data-autofocus], [autofocus], input[type=radio], select");
    if (next) {
      next.focus();
    }
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var quiz = document.querySelector("[data-quiz]");
    if (quiz && (event.target === quiz || quiz.contains(event.target) || event.target.contains(quiz))) {
      focusIn(quiz);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var quiz = document.querySelector("[data-quiz]");
    if (quiz && !document.activeElement.matches("input, select, textarea")) {
      focusIn(quiz);
    }
  });
})();
