/*
 * The grading page (templates/progress/grade.html): the rubric total as levels are chosen, and a
 * spoken comment recorded in the browser.
 *
 * Rubric: <div data-rubric data-rubric-max data-max-points> holds radio buttons with data-points
 * and a [data-rubric-total] line whose data-label-complete / data-label-partial carry the
 * translated sentence with {total} {max} {points} {max_points} {left} placeholders. The server
 * computes the same total when the form is saved; this only shows it early.
 *
 * Spoken comment: <div data-feedback-recorder data-input="<id of the file input>"> with
 * [data-action=record|stop], <audio data-playback> and [data-status]. The recording is put
 * into the form's file input, so it is saved (or refused, on a stale save) with the grade in one
 * request. Without MediaRecorder or DataTransfer the recorder stays hidden; the file input,
 * which works without JavaScript, is all there is.
 *
 * Sent once: a <form data-submit-once> disables its buttons as it is sent, so a double click on
 * Save doesn't send the grade twice (the second would meet the first as "changed by someone
 * else"). A disabled button's name and value are not sent, so the clicked one's travel in a
 * hidden input. Back in the browser's history (bfcache), the form works again.
 */
(function () {
  "use strict";

  var TYPES = ["audio/webm;codecs=opus", "audio/webm", "audio/mp4", "audio/ogg;codecs=opus", "audio/ogg"];
  var EXTENSIONS = { "audio/webm": "webm", "audio/mp4": "m4a", "audio/ogg": "ogg", "audio/wav": "wav" };

  function formatPoints(value) {
    return String(Math.round(value * 100) / 100);
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : match;
    });
  }

  function setUpRubric(root) {
    var output = root.querySelector("[data-rubric-total]");
    var rubricMax = parseFloat(root.getAttribute("data-rubric-max")) || 0;
    var maxPoints = parseFloat(root.getAttribute("data-max-points")) || 0;
    var criteria = root.querySelectorAll("fieldset");
    if (!output) {
      return;
    }

    function update() {
      var total = 0;
      var left = 0;
      Array.prototype.forEach.call(criteria, function (criterion) {
        var chosen = criterion.querySelector("input[type=radio]:checked");
        if (chosen) {
          total += parseFloat(chosen.getAttribute("data-points")) || 0;
        } else {
          left += 1;
        }
      });
      var values = {
        total: String(total),
        max: String(rubricMax),
        points: formatPoints(rubricMax > 0 ? total / rubricMax * maxPoints : 0),
        max_points: String(maxPoints),
        left: String(left)
      };
      var template = output.getAttribute(left ? "data-label-partial" : "data-label-complete");
      output.textContent = fill(template || "", values);
    }

    root.addEventListener("change", update);
    update();
  }

  function recorderSupported() {
    if (!(window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.File)) {
      return false;
    }
    try {
      return Boolean(new DataTransfer().items);
    } catch (error) {
      return false;
    }
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

  function setUpRecorder(root) {
    var input = document.getElementById(root.getAttribute("data-input"));
    if (!input) {
      return;
    }
    var maxBytes = parseInt(root.getAttribute("data-max-bytes"), 10) || 10 * 1024 * 1024;
    var maxSeconds = parseInt(root.getAttribute("data-max-seconds"), 10) || 180;
    var recordButton = root.querySelector('[data-action="record"]');
    var stopButton = root.querySelector('[data-action="stop"]');
    var playback = root.querySelector("[data-playback]");
    var status = root.querySelector("[data-status]");
    var recorder = null;
    var stream = null;
    var chunks = [];
    var playbackUrl = null;
    var timer = null;

    function say(name, isError) {
      status.textContent = root.getAttribute("data-label-" + name) || "";
      status.classList.toggle("is-error", Boolean(isError));
    }

    function releaseMicrophone() {
      if (stream) {
        stream.getTracks().forEach(function (track) { track.stop(); });
      }
      stream = null;
    }

    function finished() {
      releaseMicrophone();
      recordButton.disabled = false;
      stopButton.disabled = true;
      var type = recorder.mimeType || (chunks[0] && chunks[0].type) || "audio/webm";
      var blob = new Blob(chunks, { type: type });
      if (playbackUrl) {
        URL.revokeObjectURL(playbackUrl);
      }
      playbackUrl = URL.createObjectURL(blob);
      playback.src = playbackUrl;
      playback.hidden = false;
      if (blob.size > maxBytes) {
        input.value = "";
        say("too-large", true);
        return;
      }
      var extension = EXTENSIONS[type.split(";")[0]] || "webm";
      var transfer = new DataTransfer();
      transfer.items.add(new File([blob], "spoken-comment." + extension, { type: type.split(";")[0] }));
      input.files = transfer.files;
      say("recorded", false);
    }

    function stop() {
      window.clearTimeout(timer);
      if (recorder && recorder.state !== "inactive") {
        recorder.stop();
      }
    }

    function start() {
      recordButton.disabled = true;
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
        stopButton.disabled = false;
        say("recording", false);
        timer = window.setTimeout(stop, maxSeconds * 1000);
      }).catch(function () {
        releaseMicrophone();
        recordButton.disabled = false;
        say("denied", true);
      });
    }

    recordButton.addEventListener("click", start);
    stopButton.addEventListener("click", stop);
    root.hidden = false;
  }

  function submitButtons(form) {
    return form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]');
  }

  function setUpSubmitOnce(form) {
    var clicked = null;
    var sending = false;
    var carried = null;
    form.addEventListener("click", function (event) {
      var target = event.target;
      var button = target && target.closest ? target.closest('button, input[type="submit"]') : null;
      if (button && button.form === form && button.type === "submit") {
        clicked = button;
      }
    });
    form.addEventListener("submit", function (event) {
      if (sending) {
        event.preventDefault();
        return;
      }
      sending = true;
      var button = event.submitter || clicked;
      if (button && button.name) {
        carried = document.createElement("input");
        carried.type = "hidden";
        carried.name = button.name;
        carried.value = button.value;
        form.appendChild(carried);
      }
      Array.prototype.forEach.call(submitButtons(form), function (each) {
        each.disabled = true;
      });
    });
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) {
        return;
      }
      sending = false;
      if (carried && carried.parentNode) {
        carried.parentNode.removeChild(carried);
      }
      carried = null;
      Array.prototype.forEach.call(submitButtons(form), function (each) {
        each.disabled = false;
      });
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-submit-once]"), setUpSubmitOnce);
    Array.prototype.forEach.call(document.querySelectorAll("[data-rubric]"), setUpRubric);
    if (recorderSupported()) {
      Array.prototype.forEach.call(document.querySelectorAll("[data-feedback-recorder]"), setUpRecorder);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
