/*
 * Sabak's service worker (served at /sw.js by app/core/pwa.py, which puts VERSION and SETTINGS
 * above this text).
 *
 * - Pages come from the network whenever there is one. Without it, the daily review shows its
 *   last copy (kept at each visit) and works on with the cards kept on the device; any other
 *   page, or a form sent, is the offline page, in the language the student last read Sabak
 *   in. Never the browser's error page.
 * - Stylesheets and scripts: from the network, else the copies kept at install (this version).
 * - Word audio: from the device once kept (its URLs carry the recording's version).
 * - Background Sync: answers given offline are sent when the network is back, even if the
 *   page was closed.
 */

importScripts(SETTINGS.storeScript);

var STATIC = "sabak-static-" + VERSION;
var PAGES = "sabak-pages";
var AUDIO = "sabak-audio";
var STATE = "/__sabak/state";

self.addEventListener("install", function (event) {
  var urls = SETTINGS.precache.concat(Object.keys(SETTINGS.offlinePages).map(function (lang) {
    return SETTINGS.offlinePages[lang];
  }));
  event.waitUntil(
    caches.open(STATIC).then(function (cache) { return cache.addAll(urls); }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("sabak-static-") === 0 && name !== STATIC;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function readState() {
  return caches.open(PAGES).then(function (cache) {
    return cache.match(STATE);
  }).then(function (response) {
    return response ? response.json() : {};
  }).catch(function () { return {}; });
}

/* The page says which language it is in and who is signed in. Someone else (or nobody) signed
 * in: the review page kept for the last student is dropped. */
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "state") {
    return;
  }
  event.waitUntil(readState().then(function (state) {
    return caches.open(PAGES).then(function (cache) {
      var work = [cache.put(STATE, new Response(JSON.stringify({ lang: data.lang, user: data.user }), {
        headers: { "Content-Type": "application/json" }
      }))];
      if (state.user !== undefined && state.user !== data.user) {
        work.push(cache.delete(SETTINGS.reviewPage));
      }
      return Promise.all(work);
    });
  }));
});

function offlinePage() {
  return readState().then(function (state) {
    var url = SETTINGS.offlinePages[state.lang] || SETTINGS.offlinePages[SETTINGS.defaultLanguage];
    return caches.match(url, { cacheName: STATIC });
  }).then(function (response) {
    return response || new Response("Sabak: offline", {
      status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" }
    });
  });
}

function navigate(event, url) {
  var review = event.request.method === "GET" && url.pathname === SETTINGS.reviewPage;
  return fetch(event.request).then(function (response) {
    if (review && response.ok && response.type === "basic") {
      var copy = response.clone();
      event.waitUntil(caches.open(PAGES).then(function (cache) {
        return cache.put(SETTINGS.reviewPage, copy);
      }));
    }
    return response;
  }).catch(function () {
    var kept = review
      ? caches.match(SETTINGS.reviewPage, { cacheName: PAGES, ignoreVary: true, ignoreSearch: true })
      : Promise.resolve(undefined);
    return kept.then(function (response) { return response || offlinePage(); });
  });
}

function fromNetworkElseKept(request) {
  return fetch(request).catch(function () {
    return caches.match(request, { cacheName: STATIC, ignoreVary: true }).then(function (response) {
      return response || Response.error();
    });
  });
}

function audio(request) {
  return caches.match(request.url, { ignoreVary: true }).then(function (kept) {
    if (kept) {
      return kept;
    }
    return fetch(request).then(function (response) {
      if (response.status === 200 && response.type === "basic") {
        var copy = response.clone();
        caches.open(AUDIO).then(function (cache) { return cache.put(request.url, copy); });
      }
      return response;
    });
  });
}

function isAudio(url) {
  return url.pathname === SETTINGS.audioPrefixes[0] || url.pathname.indexOf(SETTINGS.audioPrefixes[1]) === 0;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    // a form sent (POST) with no network gets the offline page too, not the browser's error
    event.respondWith(navigate(event, url));
  } else if (request.method !== "GET") {
    return;
  } else if (isAudio(url)) {
    event.respondWith(audio(request));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(fromNetworkElseKept(request));
  }
});

/* The network is back and the page may be closed: send the answers of whoever is signed in. */
function sendWaiting() {
  return fetch(SETTINGS.packUrl, { credentials: "same-origin" }).then(function (response) {
    if (!response.ok) {
      return null;
    }
    return response.json();
  }).then(function (pack) {
    if (!pack) {
      return null;
    }
    return self.SabakOffline.send({
      user: String(pack.user), csrf: pack.csrf_token, packUrl: SETTINGS.packUrl, syncUrl: SETTINGS.syncUrl
    }).then(function (summary) {
      return self.clients.matchAll({ type: "window" }).then(function (windows) {
        windows.forEach(function (client) { client.postMessage({ type: "sent", summary: summary }); });
      });
    });
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag === "sabak-answers") {
    event.waitUntil(sendWaiting());
  }
});
