/* Minimal-pair listening: the word plays as soon as a question opens after a tap (the tap on
   "Next" or "Start"), a big button plays it again, keys 1 and 2 choose and R replays. Without
   JavaScript the page has the browser's audio controls and two plain submit buttons. */
(function () {
  "use strict";

  function play(audio) {
    audio.currentTime = 0;
    var playing = audio.play();
    if (playing && playing.catch) {
      // autoplay refused (no tap yet): the play button is there
      playing.catch(function () {});
    }
  }

  function setUp(root, autoplay) {
    var audio = root.querySelector("[data-sound-audio]");
    var button = root.querySelector("[data-sound-play]");
    if (!audio || !button) {
      return;
    }
    audio.controls = false;
    button.hidden = false;
    button.addEventListener("click", function () { play(audio); });
    audio.addEventListener("playing", function () {
      button.classList.add("is-playing");
      root.setAttribute("data-played", "true");
    });
    audio.addEventListener("ended", function () { button.classList.remove("is-playing"); });
    audio.addEventListener("pause", function () { button.classList.remove("is-playing"); });
    var activated = navigator.userActivation ? navigator.userActivation.hasBeenActive : autoplay;
    if (audio.hasAttribute("data-autoplay") && (autoplay || activated)) {
      play(audio);
    }
    var focus = root.querySelector("[data-autofocus]");
    if (focus) {
      focus.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-sounds]");
    if (root) {
      root.setAttribute("data-ready", "true");
      setUp(root, false);
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    var root = document.querySelector("[data-sounds]");
    if (root && !root.hasAttribute("data-ready")) {
      root.setAttribute("data-ready", "true");
      setUp(root, true);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var root = document.querySelector("[data-sounds]");
    var target = event.target;
    if (!root || (target.matches && target.matches("input, textarea, select"))) {
      return;
    }
    if (event.key === "1" || event.key === "2") {
      var choice = root.querySelector("button[data-key='" + event.key + "']");
      if (choice && !choice.disabled) {
        event.preventDefault();
        choice.click();
      }
    } else if (event.key === "r" || event.key === "R") {
      var audio = root.querySelector("[data-sound-audio]");
      if (audio) {
        event.preventDefault();
        play(audio);
      }
    }
  });
})();
