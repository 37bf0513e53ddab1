/*
 * Irreversible actions ask first (app/core/confirm.py, templates/macros/confirm.html).
 *
 * A form with data-confirm (or a submit button with data-confirm) posts to its action without
 * the confirmation flag; the server answers with the confirmation and changes nothing. Without
 * JavaScript that answer is a page. Here the same request is sent in the background with the
 * X-Sabak-Confirm: dialog header, and the answer (the same confirmation) is shown in a native
 * <dialog>: its confirming form posts as the page's would; [data-confirm-cancel] and Escape
 * close the dialog and nothing is sent. When the server answers with anything else (say, the
 * form has errors), the form is sent the ordinary way and the page shows the answer.
 */
(function () {
  "use strict";

  var HEADER = "X-Sabak-Confirm";

  function asksFirst(form, submitter) {
    if (submitter && submitter.hasAttribute("data-confirm")) {
      return true;
    }
    return form.hasAttribute("data-confirm") && !(submitter && submitter.hasAttribute("data-no-confirm"));
  }

  /* Not form.action: a control named "action" (the judge's buttons) shadows that property. */
  function actionOf(form, submitter) {
    var own = submitter && submitter.getAttribute("formaction");
    return new URL(own || form.getAttribute("action") || "", window.location.href).href;
  }

  function sendNormally(form, submitter) {
    form.setAttribute("data-confirm-bypass", "");
    if (submitter && form.requestSubmit) {
      form.requestSubmit(submitter);
    } else {
      form.submit();
    }
  }

  function show(html, opener) {
    var dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-title");
    dialog.innerHTML = html;
    document.body.appendChild(dialog);
    dialog.addEventListener("click", function (event) {
      var cancel = event.target.closest ? event.target.closest("[data-confirm-cancel]") : null;
      if (cancel) {
        event.preventDefault();
        dialog.close();
      }
    });
    dialog.addEventListener("submit", function (event) {
      if (dialog.hasAttribute("data-sent")) {
        event.preventDefault();  // a double click sends once
        return;
      }
      dialog.setAttribute("data-sent", "");
    });
    dialog.addEventListener("close", function () {
      dialog.parentNode.removeChild(dialog);
      if (opener && opener.focus) {
        opener.focus();
      }
    });
    dialog.showModal();
  }

  /* Back in the browser's history (bfcache), a confirmation already sent is closed. */
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      Array.prototype.forEach.call(document.querySelectorAll("dialog.confirm-dialog"), function (dialog) {
        dialog.close();
      });
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter || null;
    if (!(form instanceof HTMLFormElement) || form.closest("dialog.confirm-dialog")) {
      return;
    }
    if (form.hasAttribute("data-confirm-bypass")) {
      form.removeAttribute("data-confirm-bypass");
      return;
    }
    if (!asksFirst(form, submitter) || !window.fetch || typeof HTMLDialogElement !== "function") {
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();  // other scripts see the submit only if it is really sent
    var data = new FormData(form);
    if (submitter && submitter.name) {
      data.append(submitter.name, submitter.value);
    }
    var headers = {};
    headers[HEADER] = "dialog";
    fetch(actionOf(form, submitter), { method: "POST", body: data, headers: headers, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok || response.headers.get(HEADER) !== "dialog") {
          throw new Error("not a confirmation");
        }
        return response.text();
      })
      .then(function (html) {
        show(html, submitter || form.querySelector("[type=submit]"));
      })
      .catch(function () {
        sendNormally(form, submitter);
      });
  }, true);
})();
