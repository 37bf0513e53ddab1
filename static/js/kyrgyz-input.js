/*
 * On-screen keys for ң ө ү and as-you-type Latin → Cyrillic, for every
 * <input data-kyrgyz> and <textarea data-kyrgyz> on the page (and those htmx inserts later).
 *
 * Labels come from attributes on the field, so the page can translate them:
 *   data-kyrgyz-label="Insert {letter}"      (or data-kyrgyz-label-prefix="Insert")
 *   data-kyrgyz-keys-label="Kyrgyz letters"
 *   data-kyrgyz-shift-label="Capital letters"
 *   data-kyrgyz-latin-label="Latin → Cyrillic"
 *   data-kyrgyz-latin="off"                  (no Latin toggle for this field)
 *
 * The Latin scheme is the default reading of app/kyrgyz/latin.py: ö o' → ө, ü u' → ү,
 * ñ ng → ң, j zh → ж, ch → ч, sh → ш, y ı → ы (й after or before a vowel), ya yu yo ye →
 * я ю ё е, e → э at the start of a word or after a vowel, ee → ээ, kh h x → х.
 * The word being typed is kept in Latin and re-converted as a whole on every keystroke, so
 * digraphs and look-ahead rules (sh, ya, y before a vowel) come out as in Python.
 *
 * Markup: <div class="ky-keys" role="group"> with <button class="ky-key"> for each letter,
 * a <button class="ky-key ky-shift" aria-pressed> and a <button class="ky-latin-toggle"
 * aria-pressed>. No styles are set here.
 */
(function () {
  "use strict";

  var LETTERS = ["ң", "ө", "ү"];
  var STORAGE_KEY = "sabak.kyrgyz.latin";
  var READY = "kyrgyzReady";
  var APOSTROPHES = "'ʼʻ’`‘";
  var LATIN_LETTER = /^[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ]$/;
  var DIGRAPHS = [
    ["shch", "шч"], ["ee", "ээ"], ["sh", "ш"], ["ch", "ч"], ["zh", "ж"], ["kh", "х"],
    ["ng", "ң"], ["ts", "тс"], ["ya", "я"], ["yu", "ю"], ["yo", "ё"], ["ye", "е"]
  ];
  var WITH_APOSTROPHE = { o: "ө", u: "ү", g: "г" };
  var SINGLE = {
    a: "а", b: "б", c: "ц", d: "д", f: "ф", g: "г", h: "х", i: "и", j: "ж", k: "к",
    l: "л", m: "м", n: "н", o: "о", p: "п", q: "к", r: "р", s: "с", t: "т", u: "у",
    v: "в", w: "в", x: "х", z: "з", "ö": "ө", "ü": "ү", "ñ": "ң", "ŋ": "ң", "ı": "ы",
    "ş": "ш", "ç": "ч", "ğ": "г"
  };
  var LATIN_VOWELS = "aeiouöüı";
  var CYRILLIC_VOWELS = "аеёиоөуүыэюя";

  function isLetter(ch) {
    return ch !== "" && ch.toLowerCase() !== ch.toUpperCase();
  }

  function isLatin(ch) {
    return LATIN_LETTER.test(ch);
  }

  function isApostrophe(ch) {
    return ch !== "" && APOSTROPHES.indexOf(ch) !== -1;
  }

  /* ó → o, but ö ü ñ keep their marks, as in latin._base_letter. */
  function baseLetter(ch) {
    var lower = ch.toLowerCase().charAt(0);
    if (SINGLE[lower] || LATIN_VOWELS.indexOf(lower) !== -1 || lower === "y") {
      return lower;
    }
    var decomposed = lower.normalize ? lower.normalize("NFD") : lower;
    var base = decomposed.charAt(0);
    if ((base === "o" || base === "u") && decomposed.indexOf("\u0308") !== -1) {
      return base === "o" ? "ö" : "ü";
    }
    if (base === "n" && decomposed.indexOf("\u0303") !== -1) {
      return "ñ";
    }
    return base;
  }

  /* Convert one Latin word; `previous` is the character before it in the field. */
  function toCyrillic(word, previous) {
    var lower = "";
    for (var k = 0; k < word.length; k++) {
      lower += baseLetter(word.charAt(k));
    }
    var readings = [];
    var uppers = [];
    var last = (previous || " ").toLowerCase();
    var i = 0;
    while (i < lower.length) {
      var ch = lower.charAt(i);
      var next = lower.charAt(i + 1);
      var reading = null;
      var width = 1;
      if (isApostrophe(ch)) {
        reading = isLetter(next) && CYRILLIC_VOWELS.indexOf(last) === -1 ? "ь" : word.charAt(i);
      } else if (isApostrophe(next) && WITH_APOSTROPHE[ch]) {
        reading = WITH_APOSTROPHE[ch];
        width = 2;
      } else {
        for (var d = 0; d < DIGRAPHS.length; d++) {
          if (lower.substr(i, DIGRAPHS[d][0].length) === DIGRAPHS[d][0]) {
            reading = DIGRAPHS[d][1];
            width = DIGRAPHS[d][0].length;
            break;
          }
        }
      }
      if (reading === null) {
        var afterVowel = CYRILLIC_VOWELS.indexOf(last) !== -1;
        if (ch === "y") {
          var beforeVowel = next !== "" && LATIN_VOWELS.indexOf(next) !== -1;
          reading = beforeVowel || afterVowel ? "й" : "ы";
        } else if (ch === "e") {
          reading = !isLetter(last) || afterVowel ? "э" : "е";
        } else {
          reading = SINGLE[ch] || word.charAt(i);
        }
      }
      readings.push(reading);
      uppers.push(word.charAt(i) !== word.charAt(i).toLowerCase());
      last = reading.charAt(reading.length - 1);
      i += width;
    }
    var allUpper = uppers.length > 1 && uppers.every(function (u) { return u; });
    return readings.map(function (r, index) {
      if (allUpper) {
        return r.toUpperCase();
      }
      return uppers[index] ? r.charAt(0).toUpperCase() + r.slice(1) : r;
    }).join("");
  }

  function latinEnabled() {
    try {
      return window.localStorage.getItem(STORAGE_KEY) === "1";
    } catch (error) {
      return false;
    }
  }

  function setLatinEnabled(on) {
    try {
      window.localStorage.setItem(STORAGE_KEY, on ? "1" : "0");
    } catch (error) {
      /* storage may be disabled; the toggle then lasts for this page only */
    }
    var toggles = document.querySelectorAll(".ky-latin-toggle");
    for (var t = 0; t < toggles.length; t++) {
      toggles[t].setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  function keyLabel(field, letter) {
    var template = field.getAttribute("data-kyrgyz-label");
    if (template) {
      return template.split("{letter}").join(letter);
    }
    var prefix = field.getAttribute("data-kyrgyz-label-prefix");
    return (prefix || "Insert") + " " + letter;
  }

  function makeButton(className, text, label) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = className;
    button.textContent = text;
    button.setAttribute("aria-label", label);
    /* Keep the focus (and the caret, and a phone's keyboard) in the field on click. */
    button.addEventListener("mousedown", function (event) { event.preventDefault(); });
    return button;
  }

  function insertAtCaret(field, text) {
    if (field.disabled || field.readOnly) {
      return;
    }
    var start = field.value.length;
    var end = start;
    try {
      if (typeof field.selectionStart === "number") {
        start = field.selectionStart;
        end = field.selectionEnd;
      }
      field.setRangeText(text, start, end, "end");
    } catch (error) {
      field.value = field.value.slice(0, start) + text + field.value.slice(end);
    }
    field.focus();
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  /* The Latin word being typed: its raw keystrokes and where its Cyrillic starts. */
  function LatinRun() {
    this.reset();
  }
  LatinRun.prototype.reset = function () {
    this.raw = "";
    this.start = -1;
    this.shown = "";
  };

  function handleLatinInput(field, run, event) {
    var typed = event.data;
    var caret = field.selectionStart;
    var isInsert = event.inputType === "insertText" && typeof typed === "string";
    if (!latinEnabled() || !isInsert || typed.length !== 1 || caret !== field.selectionEnd) {
      run.reset();
      return;
    }
    var continues = run.start >= 0 && (isLatin(typed) || isApostrophe(typed));
    if (continues) {
      var before = field.value.slice(run.start, caret - 1);
      continues = before === run.shown;
    }
    if (!continues) {
      run.reset();
      if (!isLatin(typed)) {
        return;
      }
      run.start = caret - 1;
    }
    run.raw += typed;
    var previous = run.start > 0 ? field.value.charAt(run.start - 1) : " ";
    var converted = toCyrillic(run.raw, previous);
    field.setRangeText(converted, run.start, caret, "end");
    run.shown = converted;
  }

  function setUp(field) {
    if (field.dataset[READY]) {
      return;
    }
    field.dataset[READY] = "1";

    var toolbar = document.createElement("div");
    toolbar.className = "ky-keys";
    toolbar.setAttribute("role", "group");
    toolbar.setAttribute("aria-label", field.getAttribute("data-kyrgyz-keys-label") || "Kyrgyz letters");

    var shift = makeButton(
      "ky-key ky-shift",
      "⇧",
      field.getAttribute("data-kyrgyz-shift-label") || "Capital letters"
    );
    shift.setAttribute("aria-pressed", "false");

    var keys = LETTERS.map(function (letter) {
      var key = makeButton("ky-key", letter, keyLabel(field, letter));
      key.addEventListener("click", function (event) {
        var capital = event.shiftKey || shift.getAttribute("aria-pressed") === "true";
        insertAtCaret(field, capital ? letter.toUpperCase() : letter);
      });
      toolbar.appendChild(key);
      return key;
    });

    shift.addEventListener("click", function () {
      var on = shift.getAttribute("aria-pressed") !== "true";
      shift.setAttribute("aria-pressed", on ? "true" : "false");
      keys.forEach(function (key, index) {
        var letter = on ? LETTERS[index].toUpperCase() : LETTERS[index];
        key.textContent = letter;
        key.setAttribute("aria-label", keyLabel(field, letter));
      });
    });
    toolbar.appendChild(shift);

    if (field.getAttribute("data-kyrgyz-latin") !== "off") {
      var toggle = makeButton(
        "ky-latin-toggle",
        field.getAttribute("data-kyrgyz-latin-label") || "Latin → Cyrillic",
        field.getAttribute("data-kyrgyz-latin-label") || "Latin → Cyrillic"
      );
      toggle.setAttribute("aria-pressed", latinEnabled() ? "true" : "false");
      toggle.addEventListener("click", function () {
        setLatinEnabled(toggle.getAttribute("aria-pressed") !== "true");
      });
      toolbar.appendChild(toggle);

      var run = new LatinRun();
      field.addEventListener("input", function (event) { handleLatinInput(field, run, event); });
      field.addEventListener("blur", function () { run.reset(); });
    }

    field.insertAdjacentElement("afterend", toolbar);
  }

  function setUpAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var fields = scope.querySelectorAll("input[data-kyrgyz], textarea[data-kyrgyz]");
    for (var f = 0; f < fields.length; f++) {
      setUp(fields[f]);
    }
    if (scope.matches && scope.matches("input[data-kyrgyz], textarea[data-kyrgyz]")) {
      setUp(scope);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setUpAll(document); });
  } else {
    setUpAll(document);
  }
  document.addEventListener("htmx:load", function (event) {
    setUpAll(event.detail && event.detail.elt);
  });

  window.SabakKyrgyz = { toCyrillic: toCyrillic };
})();
