/* The folding menu: when the navigation's entries do not fit on one line beside the brand, they
   fold behind one button (html.nav-folds, static/css/sabak.css). Whether they fit is measured,
   not guessed from the width: a student's bar in Kyrgyz fits a laptop's screen, a teacher's needs
   about 1,530 px, and every bar folds on a phone.
   Loaded without `defer` so that the first guess is there before the page is drawn; the
   measurement follows before each frame while the page arrives, once it is whole, and again when
   the window's width or the fonts change. Without JavaScript nothing folds and every entry shows.
   Being the page's one script that runs before it is drawn, it also says what the recorder and
   the door's scanner will be able to do (html.can-record, html.can-scan), so that their room is
   kept from the first drawing instead of the forms under them moving down when their deferred
   scripts arrive (static/css/sabak.css). */
(function () {
  "use strict";

  var root = document.documentElement;
  var FOLDS = "nav-folds";
  root.classList.add("js");

  var media = navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
  if (media && window.MediaRecorder && window.fetch && window.FormData && window.DOMParser) {
    root.classList.add("can-record");  // static/js/recorder.js
  }
  if (media) {
    root.classList.add("can-scan");  // static/js/checkin.js
  }

  // The first guess, before the header exists: every bar folds on a phone, a Kyrgyz one on
  // anything narrower than its longest bar.
  var guess = root.classList.contains("long-words") ? "(max-width: 1535px)" : "(max-width: 576px)";
  if (window.matchMedia && window.matchMedia(guess).matches) {
    root.classList.add(FOLDS);
  }

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

  // Whether the bar's entries, drawn unfolded, take more than one line.
  function wraps(nav) {
    var middles = [];
    nav.querySelectorAll(".site-header nav > ul > li").forEach(function (item) {
      var box = item.getBoundingClientRect();
      if (box.height) {
        middles.push(box.top + box.height / 2);
      }
    });
    if (middles.length < 2) {
      return false;
    }
    return Math.max.apply(null, middles) - Math.min.apply(null, middles) > 12;
  }

  var width = null;

  function fit() {
    var nav = document.querySelector(".site-header nav");
    if (!nav) {
      return;
    }
    width = window.innerWidth;
    // measured unfolded, in one go: the browser draws only the outcome
    root.classList.remove(FOLDS);
    if (wraps(nav)) {
      root.classList.add(FOLDS);
    } else {
      toggles().forEach(function (button) {
        setOpen(button, false);
      });
    }
  }

  // Measured before each frame while the page is still arriving (the header comes first), so the
  // first frame drawn with the header already has it right; then once the page is whole.
  function whileLoading() {
    if (document.readyState === "loading") {
      fit();
      window.requestAnimationFrame(whileLoading);
    }
  }
  if (window.requestAnimationFrame) {
    window.requestAnimationFrame(whileLoading);
  }
  document.addEventListener("DOMContentLoaded", fit);
  // (the browser sends at most one resize a frame, before drawing it)
  window.addEventListener("resize", function () {
    if (window.innerWidth !== width) {  // a phone's address bar changes the height only
      fit();
    }
  });
  if (document.fonts && document.fonts.ready) {
    document.fonts.ready.then(fit);
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
