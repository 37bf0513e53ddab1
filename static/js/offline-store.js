/*
 * The offline review's storage on the device (IndexedDB) and the sending of answers, shared by
 * the review page (static/js/offline-review.js) and the service worker (Background Sync).
 *
 * Two stores in the database "sabak-offline":
 *   packs    one per student (key: user id): the due cards as the server packed them, when, and
 *            the words already answered from it;
 *   answers  one per answer given (key: the answer's own UUID): the student, the signed question,
 *            the text, when it was answered. An answer leaves only when the server has said what
 *            became of it (recorded, already recorded, refused, too old).
 */
(function (scope) {
  "use strict";

  var DB_NAME = "sabak-offline";
  var BATCH = 50;
  var opening = null;

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function done(tx) {
    return new Promise(function (resolve, reject) {
      tx.oncomplete = function () { resolve(); };
      tx.onerror = function () { reject(tx.error); };
      tx.onabort = function () { reject(tx.error); };
    });
  }

  function open() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var req = scope.indexedDB.open(DB_NAME, 1);
        req.onupgradeneeded = function () {
          var db = req.result;
          db.createObjectStore("packs", { keyPath: "user" });
          db.createObjectStore("answers", { keyPath: "id" });
        };
        req.onsuccess = function () { resolve(req.result); };
        req.onerror = function () { opening = null; reject(req.error); };
      });
    }
    return opening;
  }

  function newId() {
    if (scope.crypto && scope.crypto.randomUUID) {
      return scope.crypto.randomUUID();
    }
    var bytes = scope.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function getPack(user) {
    return open().then(function (db) {
      return request(db.transaction("packs").objectStore("packs").get(String(user)));
    });
  }

  function putPack(pack) {
    return open().then(function (db) {
      var tx = db.transaction("packs", "readwrite");
      tx.objectStore("packs").put({
        user: String(pack.user), fetched_at: pack.fetched_at, cards: pack.cards, done: []
      });
      return done(tx);
    });
  }

  /* Keep one answer; its word counts as done in the pack, in the same transaction. */
  function addAnswer(answer) {
    return open().then(function (db) {
      var tx = db.transaction(["answers", "packs"], "readwrite");
      tx.objectStore("answers").put(answer);
      var packs = tx.objectStore("packs");
      var req = packs.get(answer.user);
      req.onsuccess = function () {
        var pack = req.result;
        if (pack && pack.done.indexOf(answer.item) < 0) {
          pack.done.push(answer.item);
          packs.put(pack);
        }
      };
      return done(tx);
    });
  }

  /* The student's answers not yet sent, in the order they were given. */
  function waiting(user) {
    return open().then(function (db) {
      return request(db.transaction("answers").objectStore("answers").getAll());
    }).then(function (all) {
      return all.filter(function (a) { return a.user === String(user); }).sort(function (a, b) {
        return a.answered_at - b.answered_at || a.seq - b.seq;
      });
    });
  }

  function remove(ids) {
    return open().then(function (db) {
      var tx = db.transaction("answers", "readwrite");
      ids.forEach(function (id) { tx.objectStore("answers").delete(id); });
      return done(tx);
    });
  }

  function freshToken(packUrl) {
    return scope.fetch(packUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401) {
          var error = new Error("signed out");
          error.signedOut = true;
          throw error;
        }
        if (!response.ok) {
          throw new Error("pack " + response.status);
        }
        return response.json();
      });
  }

  function post(options, token, batch) {
    return scope.fetch(options.syncUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token, Accept: "application/json" },
      body: JSON.stringify({
        sent_at: Date.now(),
        answers: batch.map(function (a) {
          return { id: a.id, token: a.token, given: a.given, answered_at: a.answered_at, duration_ms: a.duration_ms };
        })
      })
    });
  }

  /*
   * Send the student's waiting answers, oldest first, BATCH at a time. Resolves with a summary:
   * { sent, recorded, correct, almost, wrong, dropped, resultsUrls, signedOut, pack }.
   * A CSRF token refused (the page kept for hours) is replaced by a fresh one, once.
   */
  function sendNow(options) {
    var summary = { sent: 0, recorded: 0, correct: 0, almost: 0, wrong: 0, dropped: 0, resultsUrls: [], signedOut: false, pack: null };
    var token = options.csrf;
    var retried = false;

    function fetchToken() {
      return freshToken(options.packUrl).then(function (pack) {
        if (String(pack.user) !== String(options.user)) {
          var error = new Error("another student");
          error.signedOut = true;
          throw error;
        }
        summary.pack = pack;
        token = pack.csrf_token;
      });
    }

    function next(list) {
      if (!list.length) {
        return Promise.resolve(summary);
      }
      var batch = list.slice(0, BATCH);
      return post(options, token, batch).then(function (response) {
        if (response.status === 401) {
          summary.signedOut = true;
          return summary;
        }
        if (response.status === 400 && !retried) {
          retried = true;
          return fetchToken().then(function () { return next(list); });
        }
        if (!response.ok) {
          throw new Error("sync " + response.status);
        }
        return response.json().then(function (body) {
          var ids = [];
          body.answers.forEach(function (outcome) {
            ids.push(outcome.id);
            summary.sent += 1;
            if (outcome.status === "recorded" || outcome.status === "duplicate") {
              summary.recorded += 1;
              if (outcome.verdict && summary[outcome.verdict] !== undefined) {
                summary[outcome.verdict] += 1;
              }
            } else {
              summary.dropped += 1;
            }
          });
          if (body.results_url) {
            summary.resultsUrls.push(body.results_url);
          }
          return remove(ids).then(function () { return next(list.slice(BATCH)); });
        });
      });
    }

    return waiting(options.user).then(function (list) {
      if (!list.length) {
        return summary;
      }
      var start = token ? Promise.resolve() : fetchToken();
      return start.then(function () { return next(list); });
    }).catch(function (error) {
      if (error && error.signedOut) {
        summary.signedOut = true;
        return summary;
      }
      throw error;
    });
  }

  /* One sender at a time across the page's tabs and the service worker. */
  function send(options) {
    if (scope.navigator && scope.navigator.locks) {
      return scope.navigator.locks.request("sabak-offline-send", function () { return sendNow(options); });
    }
    return sendNow(options);
  }

  scope.SabakOffline = {
    open: open,
    newId: newId,
    getPack: getPack,
    putPack: putPack,
    addAnswer: addAnswer,
    waiting: waiting,
    send: send
  };
})(self);
