// Check-in: scan QR tickets with the phone's camera (jsQR), then post the check-in form.
// Without a camera (or JavaScript) the scanner is not shown (html.can-scan, static/js/nav.js)
// and the search form does the job.
(function () {
  "use strict";
  var root = document.querySelector("[data-scanner]");
  if (!root) {
    return;
  }
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || typeof window.jsQR !== "function") {
    root.hidden = true;  // the reader did not load
    return;
  }
  var startButton = root.querySelector("[data-scan-start]");
  var stopButton = root.querySelector("[data-scan-stop]");
  var view = root.querySelector("[data-scan-view]");
  var video = root.querySelector("[data-scan-video]");
  var status = root.querySelector("[data-scan-status]");
  var error = root.querySelector("[data-scan-error]");
  var form = root.querySelector("[data-scan-form]");
  var ticketPath = root.getAttribute("data-ticket-path");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;
  var notTicket = status.textContent;

  function secretFrom(text) {
    var at = text.indexOf(ticketPath);
    if (at < 0) { return null; }
    var secret = text.slice(at + ticketPath.length).split(/[/?#]/)[0];
    return /^[A-Za-z0-9_-]{16,64}$/.test(secret) ? secret : null;
  }

  function stop() {
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    view.hidden = true;
    startButton.hidden = false;
  }

  function tick() {
    if (!stream) { return; }
    if (video.readyState === video.HAVE_ENOUGH_DATA && video.videoWidth) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      if (code && code.data) {
        var secret = secretFrom(code.data);
        if (secret) {
          stop();
          form.action = ticketPath + secret + "/arrive";
          form.submit();
          return;
        }
        status.textContent = root.getAttribute("data-not-ticket") || notTicket;
      }
    }
    window.requestAnimationFrame(tick);
  }

  startButton.disabled = false;  // drawn disabled: it works from now on
  startButton.addEventListener("click", function () {
    error.hidden = true;
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        startButton.hidden = true;
        view.hidden = false;
        return video.play();
      })
      .then(function () { window.requestAnimationFrame(tick); })
      .catch(function () { stop(); error.hidden = false; });
  });
  stopButton.addEventListener("click", stop);
})();
