/* Sabak as an installed app: register the service worker (app/core/pwa.py) and tell it the
 * page's language and who is signed in, for the offline page and the kept daily review. */
(function () {
  "use strict";

  if (!("serviceWorker" in navigator) || !window.isSecureContext) {
    return;
  }
  var root = document.documentElement;
  var url = root.getAttribute("data-service-worker");
  if (!url) {
    return;
  }
  navigator.serviceWorker.register(url, { scope: "/" }).catch(function () {
    /* Private windows and some browsers refuse workers: Sabak works on without one. */
  });
  navigator.serviceWorker.ready.then(function (registration) {
    if (registration.active) {
      registration.active.postMessage({
        type: "state", lang: root.lang, user: root.getAttribute("data-user") || ""
      });
    }
  });
})();
