/*
 * Record audio in the browser: a word's pronunciation, a spoken answer (templates/macros/
 * recorder.html) and a teacher's spoken comment (templates/progress/grade.html).
 *
 * Two ways to hand the recording over:
 * - data-form: posted at once, as the upload form would post it (see "Saving" below);
 * - data-input="<id of a file input>": put into that input, so it is sent with its form (the
 *   grade and its spoken comment in one request). Needs DataTransfer; only record and stop.
 *
 * Markup: <article data-recorder data-form="<id of the upload form>" data-field="audio"
 * data-max-bytes data-max-seconds data-label-*> with buttons [data-action=record|stop|play|save],
 * an <audio data-playback> and a [data-status] line. The labels come from data-label-* attributes
 * so that the page translates them. Without MediaRecorder (or fetch) the recorder is not shown
 * (html.can-record, set by static/js/nav.js before the page is drawn, so that the recorder's
 * room is there from the start) and the upload form, which works without JavaScript, is all
 * there is.
 *
 * Saving posts the recording like the upload form would (same field, the form's CSRF token) with
 * fetch. The server answers a good recording with a redirect (not followed here, so the page's
 * "saved" message is still waiting for the reload) and a bad one with the page and the error
 * next to the field, which is shown in the status line.
 */
(function () {
  "use strict";

  var TYPES = ["audio/webm;codecs=opus", "audio/webm", "audio/mp4", "audio/ogg;codecs=opus", "audio/ogg"];
  var EXTENSIONS = { "audio/webm": "webm", "audio/mp4": "m4a", "audio/ogg": "ogg", "audio/wav": "wav" };

  function supported() {
    return document.documentElement.classList.contains("can-record");
  }

  function preferredType() {
    if (typeof MediaRecorder.isTypeSupported !== "function") {
      return "";
    }
    for (var i = 0; i < TYPES.length; i += 1) {
      if (MediaRecorder.isTypeSupported(TYPES[i])) {
        return TYPES[i];
      }
    }
    return "";
  }

  function canFillInputs() {
    try {
      return Boolean(window.File && new DataTransfer().items);
    } catch (error) {
      return false;
    }
  }

  function extension(type) {
    return EXTENSIONS[(type || "").split(";")[0]] || "webm";
  }

  function setUp(root) {
    var input = root.hasAttribute("data-input") ? document.getElementById(root.getAttribute("data-input")) : null;
    var form = input ? input.form : document.getElementById(root.getAttribute("data-form"));
    if (!form || (root.hasAttribute("data-input") && !(input && canFillInputs()))) {
      root.hidden = true;
      return;
    }
    var fieldName = root.getAttribute("data-field") || "audio";
    var maxBytes = parseInt(root.getAttribute("data-max-bytes"), 10) || 2 * 1024 * 1024;
    var maxSeconds = parseInt(root.getAttribute("data-max-seconds"), 10) || 30;
    var buttons = {};
    ["record", "stop", "play", "save"].forEach(function (name) {
      buttons[name] = root.querySelector('[data-action="' + name + '"]');
    });
    var playback = root.querySelector("[data-playback]");
    var status = root.querySelector("[data-status]");
    var recorder = null;
    var stream = null;
    var chunks = [];
    var recording = null;
    var playbackUrl = null;
    var timer = null;

    function label(name) {
      return root.getAttribute("data-label-" + name) || "";
    }

    function say(text, isError) {
      status.textContent = text;
      status.classList.toggle("is-error", Boolean(isError));
    }

    function setState(state) {
      root.setAttribute("data-state", state);
      buttons.record.disabled = state === "recording" || state === "saving";
      buttons.stop.disabled = state !== "recording";
      if (buttons.play) {
        buttons.play.disabled = state !== "recorded";
      }
      if (buttons.save) {
        buttons.save.disabled = state !== "recorded" || !recording || recording.size > maxBytes;
      }
    }

    function releaseMicrophone() {
      if (stream) {
        stream.getTracks().forEach(function (track) { track.stop(); });
      }
      stream = null;
    }

    function finished() {
      releaseMicrophone();
      var type = recorder.mimeType || (chunks[0] && chunks[0].type) || "audio/webm";
      recording = new Blob(chunks, { type: type });
      if (playbackUrl) {
        URL.revokeObjectURL(playbackUrl);
      }
      playbackUrl = URL.createObjectURL(recording);
      playback.src = playbackUrl;
      playback.controls = true;
      playback.hidden = false;
      setState("recorded");
      if (recording.size > maxBytes) {
        if (input) {
          input.value = "";
        }
        say(label("too-large"), true);
        return;
      }
      if (input) {
        var plain = type.split(";")[0];
        var transfer = new DataTransfer();
        transfer.items.add(new File([recording], "recording." + extension(type), { type: plain }));
        input.files = transfer.files;
      }
      say(label("recorded"), false);
    }

    function stop() {
      window.clearTimeout(timer);
      if (recorder && recorder.state !== "inactive") {
        recorder.stop();
      }
    }

    function start() {
      buttons.record.disabled = true;
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (microphone) {
        stream = microphone;
        chunks = [];
        var type = preferredType();
        recorder = type ? new MediaRecorder(microphone, { mimeType: type }) : new MediaRecorder(microphone);
        recorder.addEventListener("dataavailable", function (event) {
          if (event.data && event.data.size) {
            chunks.push(event.data);
          }
        });
        recorder.addEventListener("stop", finished);
        recorder.start();
        setState("recording");
        say(label("recording"), false);
        timer = window.setTimeout(stop, maxSeconds * 1000);
      }).catch(function () {
        releaseMicrophone();
        setState(recording ? "recorded" : "idle");
        say(label("denied"), true);
      });
    }

    function fieldError(html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var error = page.querySelector("#" + fieldName + "-error");
      return error ? error.textContent.trim() : "";
    }

    function save() {
      if (!recording) {
        return;
      }
      var data = new FormData();
      var token = form.querySelector('input[name="csrf_token"]');
      if (token) {
        data.append("csrf_token", token.value);
      }
      data.append(fieldName, recording, "recording." + extension(recording.type));
      setState("saving");
      say(label("saving"), false);
      fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        redirect: "manual"
      }).then(function (response) {
        if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
          window.location.reload();
          return null;
        }
        return response.text().then(function (html) {
          setState("recorded");
          say(fieldError(html) || label("failed"), true);
        });
      }).catch(function () {
        setState("recorded");
        say(label("failed"), true);
      });
    }

    buttons.record.addEventListener("click", start);
    buttons.stop.addEventListener("click", stop);
    if (buttons.play) {
      buttons.play.addEventListener("click", function () {
        playback.currentTime = 0;
        var playing = playback.play();
        if (playing && typeof playing.catch === "function") {
          playing.catch(function () { say(label("failed-play"), true); });
        }
      });
    }
    if (buttons.save) {
      buttons.save.addEventListener("click", save);
    }
    setState("idle");
  }

  function init() {
    if (!supported()) {
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-recorder]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
