/* Immersion: on a page in Kyrgyz, every navigation entry, button, summary and heading whose
   text the catalogues know shows its Japanese: as a tooltip on hover (`title`) and, on a
   phone, in a small popover after a 500 ms press. The map Kyrgyz → Japanese comes from the
   catalogues (app/core/immersion.py), at the versioned URL in this script's data-map.
   Elements the server already marked (data-ja) keep their title. Without JavaScript the
   navigation still has its titles. */
(function () {
  "use strict";

  var script = document.currentScript;
  var mapUrl = script && script.getAttribute("data-map");
  var SELECTOR = "nav a, button, summary, h1, h2, h3, [role=button], input[type=submit]";
  var PRESS_MS = 500;
  var SKIP = ".badge, .visually-hidden, [aria-hidden=true]";

  function shownText(element) {
    if (element.tagName === "INPUT") {
      return element.value || "";
    }
    var parts = [];
    element.childNodes.forEach(function (node) {
      if (node.nodeType === Node.TEXT_NODE) {
        parts.push(node.nodeValue);
      } else if (node.nodeType === Node.ELEMENT_NODE && !node.matches(SKIP)) {
        parts.push(node.textContent);
      }
    });
    return parts.join(" ").replace(/\s+/g, " ").trim();
  }

  function japaneseFor(map, text) {
    if (Object.prototype.hasOwnProperty.call(map, text)) {
      return map[text];
    }
    // "Курс:" is drawn from "%(label)s: " around a label the map knows.
    var bare = text.replace(/\s*[:：]$/, "");
    return bare !== text && Object.prototype.hasOwnProperty.call(map, bare) ? map[bare] : "";
  }

  function annotate(map, root) {
    root.querySelectorAll(SELECTOR).forEach(function (element) {
      if (element.hasAttribute("data-ja")) {
        return;
      }
      var japanese = japaneseFor(map, shownText(element));
      if (!japanese) {
        return;
      }
      element.setAttribute("data-ja", japanese);
      if (!element.hasAttribute("title")) {
        element.setAttribute("title", japanese);
      }
    });
  }

  var popover = null;
  var timer = null;
  var pressed = null;
  var shownByPress = false;

  function hide() {
    if (popover) {
      popover.hidden = true;
    }
  }

  function show(element) {
    if (!popover) {
      popover = document.createElement("div");
      popover.className = "immersion-popover";
      popover.setAttribute("role", "tooltip");
      popover.setAttribute("lang", "ja");
      document.body.appendChild(popover);
    }
    popover.textContent = element.getAttribute("data-ja");
    popover.hidden = false;
    var box = element.getBoundingClientRect();
    var width = popover.offsetWidth;
    var left = Math.min(Math.max(8, box.left), document.documentElement.clientWidth - width - 8);
    popover.style.left = Math.max(8, left) + window.scrollX + "px";
    popover.style.top = box.bottom + window.scrollY + 6 + "px";
  }

  document.addEventListener(
    "touchstart",
    function (event) {
      shownByPress = false;
      var element = event.target.closest ? event.target.closest("[data-ja]") : null;
      if (!popover || event.target !== popover) {
        hide();
      }
      if (!element) {
        return;
      }
      pressed = element;
      clearTimeout(timer);
      timer = setTimeout(function () {
        shownByPress = true;
        show(element);
      }, PRESS_MS);
    },
    { passive: true }
  );

  function cancel() {
    clearTimeout(timer);
    pressed = null;
  }

  document.addEventListener("touchmove", cancel, { passive: true });
  document.addEventListener("touchcancel", cancel, { passive: true });
  document.addEventListener("touchend", function (event) {
    clearTimeout(timer);
    // A long press reads the Japanese; it does not also follow the link or press the button.
    if (shownByPress && pressed) {
      event.preventDefault();
    }
    pressed = null;
  });
  document.addEventListener("contextmenu", function (event) {
    if (shownByPress || (pressed && event.target.closest && event.target.closest("[data-ja]"))) {
      event.preventDefault();
    }
  });
  window.addEventListener("scroll", hide, { passive: true });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      hide();
    }
  });

  if (!mapUrl || !window.fetch) {
    return;
  }
  fetch(mapUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then(function (response) {
      return response.ok ? response.json() : {};
    })
    .then(function (map) {
      annotate(map, document);
      // Fragments htmx swaps in get their Japanese too.
      document.body.addEventListener("htmx:afterSwap", function (event) {
        annotate(map, event.target);
      });
    })
    .catch(function () {});
})();
