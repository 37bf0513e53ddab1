/* Sentence building: tap a word to move it between the word bank and your sentence, or drag it
   (pointer events; a word dragged within the sentence changes place). Without this script every
   word is a submit button and the server moves it; with it the same hidden "order" field is kept
   here, and Check posts it. */
(function () {
  "use strict";

  var DRAG_DISTANCE = 8;

  function setup(form) {
    var line = form.querySelector("[data-line]");
    var bank = form.querySelector("[data-bank]");
    var order = form.querySelector("[data-order]");
    var live = form.querySelector("[data-live]");
    var ending = line.querySelector("[data-ending]");
    var drag = null;
    var suppressClick = false;

    function lineTiles() {
      return Array.prototype.slice.call(line.querySelectorAll("[data-tile]"));
    }

    function sync() {
      order.value = lineTiles().map(function (tile) { return tile.getAttribute("data-tile"); }).join(",");
      line.classList.remove("has-error");
    }

    function say(template, tile) {
      if (live && template) {
        live.textContent = template.replace("{word}", tile.textContent.trim());
      }
    }

    function slotOf(tile) {
      return bank.querySelector("[data-slot='" + tile.getAttribute("data-tile") + "']");
    }

    function toLine(tile, before) {
      var slot = slotOf(tile);
      if (slot && tile.parentNode === slot) {
        var ghost = document.createElement("span");
        ghost.className = "tile tile-ghost";
        ghost.setAttribute("aria-hidden", "true");
        ghost.textContent = tile.textContent;
        slot.appendChild(ghost);
      }
      line.insertBefore(tile, before || ending || null);
      tile.name = "remove";
      sync();
      say(form.getAttribute("data-added"), tile);
    }

    function toBank(tile) {
      var slot = slotOf(tile);
      if (!slot) {
        return;
      }
      slot.textContent = "";
      slot.appendChild(tile);
      tile.name = "add";
      sync();
      say(form.getAttribute("data-removed"), tile);
    }

    form.addEventListener("click", function (event) {
      var tile = event.target.closest ? event.target.closest("[data-tile]") : null;
      if (event.target.closest && event.target.closest("[data-clear]")) {
        event.preventDefault();
        lineTiles().forEach(toBank);
        return;
      }
      if (!tile) {
        return;
      }
      event.preventDefault();
      if (suppressClick) {
        suppressClick = false;
        return;
      }
      if (line.contains(tile)) {
        toBank(tile);
      } else {
        toLine(tile);
      }
      tile.focus();
    });

    // Where in the sentence a word dropped at (x, y) goes: before the first word it is left of.
    function insertionPoint(x, y, dragged) {
      var tiles = lineTiles().filter(function (tile) { return tile !== dragged; });
      for (var i = 0; i < tiles.length; i++) {
        var box = tiles[i].getBoundingClientRect();
        if (y < box.top) {
          return tiles[i];
        }
        if (y <= box.bottom && x < box.left + box.width / 2) {
          return tiles[i];
        }
      }
      return null;
    }

    function overLine(x, y) {
      var box = line.getBoundingClientRect();
      return x >= box.left && x <= box.right && y >= box.top - 16 && y <= box.bottom + 16;
    }

    form.addEventListener("pointerdown", function (event) {
      var tile = event.target.closest ? event.target.closest("[data-tile]") : null;
      if (!tile || event.button !== 0) {
        return;
      }
      drag = { tile: tile, x: event.clientX, y: event.clientY, moving: false, id: event.pointerId };
    });

    form.addEventListener("pointermove", function (event) {
      if (!drag || event.pointerId !== drag.id) {
        return;
      }
      var dx = event.clientX - drag.x;
      var dy = event.clientY - drag.y;
      if (!drag.moving) {
        if (Math.abs(dx) + Math.abs(dy) < DRAG_DISTANCE) {
          return;
        }
        drag.moving = true;
        drag.tile.classList.add("is-dragging");
        if (drag.tile.setPointerCapture) {
          drag.tile.setPointerCapture(event.pointerId);
        }
      }
      event.preventDefault();
      drag.tile.style.transform = "translate(" + dx + "px, " + dy + "px)";
      line.classList.toggle("is-target", overLine(event.clientX, event.clientY));
    });

    function endDrag(event, dropped) {
      if (!drag || event.pointerId !== drag.id) {
        return;
      }
      var tile = drag.tile;
      var moving = drag.moving;
      drag = null;
      line.classList.remove("is-target");
      if (!moving) {
        return;
      }
      tile.classList.remove("is-dragging");
      tile.style.transform = "";
      suppressClick = true;
      window.setTimeout(function () { suppressClick = false; }, 0);
      if (!dropped) {
        return;
      }
      if (overLine(event.clientX, event.clientY)) {
        toLine(tile, insertionPoint(event.clientX, event.clientY, tile));
      } else if (line.contains(tile)) {
        toBank(tile);
      }
      tile.focus();
    }

    form.addEventListener("pointerup", function (event) { endDrag(event, true); });
    form.addEventListener("pointercancel", function (event) { endDrag(event, false); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("form.sentence-form");
    for (var i = 0; i < forms.length; i++) {
      setup(forms[i]);
    }
  });
})();
