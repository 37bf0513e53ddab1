/* The phone menu: the navigation folds behind one button (static/css/sabak.css).
   Loaded without `defer` so that the `js` class is there before the page is drawn; without
   JavaScript the class is missing and every entry shows. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  function toggles() {
    return document.querySelectorAll(".nav-toggle[aria-controls]");
  }

  function setOpen(button, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    var menu = document.getElementById(button.getAttribute("aria-controls"));
    if (menu) {
      menu.classList.toggle("is-open", open);
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".nav-toggle[aria-controls]") : null;
    if (button) {
      setOpen(button, button.getAttribute("aria-expanded") !== "true");
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    toggles().forEach(function (button) {
      if (button.getAttribute("aria-expanded") === "true") {
        setOpen(button, false);
        button.focus();
      }
    });
  });
})();
