/*
 * The daily review without a network (templates/quizzes/review.html; storage and sending in
 * static/js/offline-store.js; the page and the audio kept by the service worker).
 *
 * Online, the page keeps the due cards on the device (the server's pack: each question signed,
 * with what the device needs to show it and to pre-judge it) and their audio, and sends any
 * answers waiting. Offline, the start button of the online review is hidden and the student
 * reviews the kept cards here: each answer is kept with its own id and when it was given, and
 * sent when the network is back (the online event, the next visit, or Background Sync). The
 * device's verdict is only shown at once: a choice is right or wrong for certain, a typed
 * answer that matches an accepted one is correct, anything else is judged by the server when
 * it arrives, which is what counts. Without JavaScript none of this runs: the page is as before.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-offline-review]");
  var store = window.SabakOffline;
  if (!root || !store || !window.indexedDB) {
    return;
  }
  var user = root.getAttribute("data-user");
  var online = document.querySelector("[data-review-online]");
  var banner = root.querySelector("[data-offline-banner]");
  var keptLine = root.querySelector("[data-offline-kept]");
  var waitingLine = root.querySelector("[data-offline-waiting]");
  var startButton = root.querySelector("[data-offline-start]");
  var quizBox = root.querySelector("[data-offline-quiz]");
  var inputTemplate = root.querySelector("template[data-offline-input]");
  var round = null; // the cards of the review under way
  var sending = false;
  var seq = 0;
  // what this page has sent so far, by the page or the service worker
  var totals = { sent: 0, recorded: 0, correct: 0, almost: 0, wrong: 0, dropped: 0, resultsUrls: [], signedOut: false };

  function add(summary) {
    ["sent", "recorded", "correct", "almost", "wrong", "dropped"].forEach(function (name) {
      totals[name] += summary[name] || 0;
    });
    totals.resultsUrls = totals.resultsUrls.concat(summary.resultsUrls || []);
    totals.signedOut = Boolean(summary.signedOut);
    return totals;
  }

  function text(name, values) {
    var s = root.getAttribute("data-s-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      s = s.split("{" + key + "}").join(String(values[key]));
    });
    return s;
  }

  function counted(name, count) {
    return text(name + (count === 1 ? "-one" : "-other"), { count: count });
  }

  function el(tag, attributes, content) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (content !== undefined) {
      node.textContent = content;
    }
    return node;
  }

  /* The comparison form, close to app.kyrgyz.answers.answer_key: case, spaces, punctuation. */
  function key(value) {
    return value.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}\s'-]/gu, " ")
      .replace(/\s+/g, " ").trim();
  }

  /* --- what the page says ------------------------------------------------------------------ */

  function remaining(pack, waitingAnswers) {
    if (!pack) {
      return [];
    }
    var answered = {};
    pack.done.forEach(function (item) { answered[item] = true; });
    waitingAnswers.forEach(function (a) { answered[a.item] = true; });
    return pack.cards.filter(function (card) { return !answered[card.item]; });
  }

  function refresh(summary) {
    return Promise.all([store.getPack(user), store.waiting(user)]).then(function (found) {
      var pack = found[0];
      var waitingAnswers = found[1];
      var left = remaining(pack, waitingAnswers);
      keptLine.textContent = left.length ? counted("kept", left.length) : text("kept-none");
      var offline = !navigator.onLine;
      banner.hidden = !offline;
      if (online) {
        online.hidden = offline;
      }
      startButton.hidden = !offline || !left.length || round !== null;
      waitingLine.textContent = "";
      if (waitingAnswers.length) {
        waitingLine.textContent = counted("waiting", waitingAnswers.length);
      } else if (summary && summary.sent) {
        waitingLine.textContent = text("sent", {
          count: summary.recorded, correct: summary.correct, almost: summary.almost, wrong: summary.wrong
        });
        if (summary.dropped) {
          waitingLine.textContent += " " + text("dropped", { count: summary.dropped });
        }
        summary.resultsUrls.forEach(function (url) {
          waitingLine.appendChild(document.createTextNode(" "));
          waitingLine.appendChild(el("a", { href: url, "data-offline-results": "" }, text("results")));
        });
      }
      if (summary && summary.signedOut) {
        waitingLine.textContent += " " + text("signed-out");
      }
      root.hidden = false;
      root.setAttribute("data-waiting", String(waitingAnswers.length));
      root.setAttribute("data-kept", String(left.length));
    });
  }

  /* --- online: send what waits, then keep the due cards and their audio -------------------- */

  function keepAudio(cards) {
    if (!window.caches) {
      return Promise.resolve();
    }
    return caches.open("sabak-audio").then(function (cache) {
      return Promise.all(cards.map(function (card) {
        return cache.match(card.audio, { ignoreVary: true }).then(function (kept) {
          return kept || cache.add(card.audio).catch(function () { /* audio is a nicety offline */ });
        });
      }));
    });
  }

  function fetchPack() {
    return fetch(root.getAttribute("data-pack-url"), {
      credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("pack " + response.status);
      }
      return response.json();
    }).then(function (pack) {
      if (String(pack.user) !== user) {
        return null;
      }
      root.setAttribute("data-csrf", pack.csrf_token);
      return store.putPack(pack).then(function () { return keepAudio(pack.cards); });
    });
  }

  function sync() {
    if (sending || !navigator.onLine) {
      return Promise.resolve();
    }
    sending = true;
    root.setAttribute("data-syncing", "");
    return store.send({
      user: user,
      csrf: root.getAttribute("data-csrf"),
      packUrl: root.getAttribute("data-pack-url"),
      syncUrl: root.getAttribute("data-sync-url")
    }).then(function (summary) {
      // a new pack while a review is under way would change its cards: only between reviews
      var next = round === null && !summary.signedOut ? fetchPack() : Promise.resolve();
      return next.then(function () {
        return Promise.all([refresh(add(summary)), redrawCounts(summary)]);
      });
    }).catch(function () {
      return refresh(); // the network went again: the answers wait for the next chance
    }).then(function () {
      sending = false;
      root.removeAttribute("data-syncing");
      root.setAttribute("data-synced", String(Date.now()));
    });
  }

  /* Answers just recorded change what is due: the page's due count and the navigation's badge
     are drawn again from the server (the page as it is now), as a new visit would show them. */
  function redrawCounts(summary) {
    if (!summary || !summary.recorded || !online || round !== null) {
      return Promise.resolve();
    }
    return fetch(window.location.pathname, {
      credentials: "same-origin", headers: { Accept: "text/html" }
    }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (!html || round !== null) {
        return;
      }
      var fresh = new DOMParser().parseFromString(html, "text/html");
      var status = fresh.querySelector("[data-review-online]");
      if (status) {
        online.innerHTML = status.innerHTML;
      }
      var entry = fresh.getElementById("nav-quizzes-index");
      var current = document.getElementById("nav-quizzes-index");
      if (entry && current) {
        current.innerHTML = entry.innerHTML;
      }
    }).catch(function () { /* the counts follow on the next visit */ });
  }

  function askForBackgroundSync() {
    if (!("serviceWorker" in navigator)) {
      return;
    }
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) {
        return registration.sync.register("sabak-answers");
      }
    }).catch(function () { /* no Background Sync: the page sends when it is next online */ });
  }

  /* --- offline: the review itself ---------------------------------------------------------- */

  function playButton(card, large) {
    return el("a", {
      href: card.audio, "data-play": "", class: "play-button" + (large ? " play-large" : ""),
      "aria-label": text("play")
    }, "▶");
  }

  function showCard() {
    quizBox.textContent = "";
    if (!round.queue.length) {
      quizBox.appendChild(el("p", { class: "offline-done", "data-offline-done": "" }, text("done")));
      round = null;
      refresh();
      return;
    }
    var card = round.queue[0];
    round.shown = Date.now();
    round.position += 1;
    var article = el("article", { class: "quiz-card quiz-" + card.kind, "data-offline-card": card.kind });
    article.appendChild(el("p", { class: "quiz-progress" }, text("progress", { n: round.position, total: round.total })));
    article.appendChild(el("h2", { class: "quiz-instruction" }, card.instruction));
    var prompt = el("p", { class: "quiz-prompt" });
    if (card.kind === "recognise") {
      prompt.appendChild(el("span", { lang: "ky", class: "quiz-word" }, card.ky));
      prompt.appendChild(playButton(card, false));
    } else if (card.kind === "listen") {
      prompt.appendChild(playButton(card, true));
    } else if (card.kind === "suffix") {
      prompt.appendChild(el("span", { class: "quiz-gloss" }, card.ja_prompt || card.gloss));
    } else {
      prompt.appendChild(el("span", { class: "quiz-gloss" }, card.gloss));
    }
    article.appendChild(prompt);
    var form = el("form", { class: "quiz-form", novalidate: "" });
    if (card.kind === "recognise") {
      var fieldset = el("fieldset", { class: "quiz-choices" });
      fieldset.appendChild(el("legend", { class: "visually-hidden" }, text("choose")));
      card.choices.forEach(function (choice, index) {
        var id = "offline-choice-" + index;
        var label = el("label", { for: id, class: "quiz-choice" });
        label.appendChild(el("input", { type: "radio", name: "answer", id: id, value: String(choice.id), "data-key": String(index + 1) }));
        label.appendChild(document.createTextNode(" " + choice.label));
        fieldset.appendChild(label);
      });
      form.appendChild(fieldset);
    } else {
      form.appendChild(inputTemplate.content.cloneNode(true));
    }
    var row = el("div", { class: "button-row" });
    row.appendChild(el("button", { type: "submit" }, text("check")));
    form.appendChild(row);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      answer(card, form, article);
    });
    article.appendChild(form);
    quizBox.appendChild(article);
    var field = form.querySelector("input[type=text]");
    if (field) {
      document.dispatchEvent(new CustomEvent("htmx:load", { detail: { elt: form } }));
      field.focus();
    } else {
      form.querySelector("input").focus();
    }
  }

  function answer(card, form, article) {
    var given;
    var status;
    if (card.kind === "recognise") {
      var chosen = form.querySelector("input[type=radio]:checked");
      given = chosen ? chosen.value : "";
      status = given === String(card.item) ? "correct" : "wrong";
    } else {
      given = form.querySelector("input[type=text]").value.slice(0, 500);
      status = card.keys.indexOf(key(given)) >= 0 ? "correct" : "unsure";
    }
    var now = Date.now();
    var kept = {
      id: store.newId(), user: user, item: card.item, token: card.token, given: given,
      answered_at: now, duration_ms: Math.max(0, now - round.shown), seq: seq++
    };
    form.querySelector("button[type=submit]").disabled = true;
    store.addAnswer(kept).then(function () {
      round.queue.shift();
      if (status !== "correct" && !card.again) {
        round.queue.push(Object.assign({}, card, { again: true }));
        round.total += 1;
      }
      form.remove();
      var verdict = el("div", {
        class: "verdict verdict-" + (status === "correct" ? "correct" : status === "wrong" ? "wrong" : "almost"),
        role: "status", "data-offline-verdict": status
      });
      verdict.appendChild(el("p", {}, status === "correct" ? text("correct") : status === "wrong" ? text("wrong") : text("saved")));
      if (status !== "correct") {
        var shown = el("p", { class: "quiz-answer" }, text("answer"));
        shown.appendChild(el("span", { lang: card.kind === "recognise" ? root.ownerDocument.documentElement.lang : "ky", class: "quiz-word" }, card.expected));
        if (card.kind !== "recognise") {
          shown.appendChild(document.createTextNode(" — " + card.gloss));
        }
        verdict.appendChild(shown);
      }
      article.appendChild(verdict);
      var next = el("button", { type: "button", "data-offline-next": "" }, text("next"));
      next.addEventListener("click", showCard);
      var row = el("p", { class: "button-row" });
      row.appendChild(next);
      article.appendChild(row);
      next.focus();
      if (navigator.onLine) {
        sync();
      } else {
        askForBackgroundSync();
        refresh(totals);
      }
    });
  }

  function start() {
    Promise.all([store.getPack(user), store.waiting(user)]).then(function (found) {
      var cards = remaining(found[0], found[1]);
      round = { queue: cards.slice(), total: cards.length, position: 0, shown: 0 };
      startButton.hidden = true;
      showCard();
    });
  }

  startButton.addEventListener("click", start);
  window.addEventListener("online", function () { sync(); });
  window.addEventListener("offline", function () { refresh(); });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "sent") {
        refresh(add(event.data.summary));
        redrawCounts(event.data.summary);
      }
    });
  }
  store.open().then(function () {
    return navigator.onLine ? sync() : refresh();
  }).then(function () {
    root.setAttribute("data-offline-ready", "");
  }).catch(function () { /* no IndexedDB (a private window): the online review is there */ });
})();
