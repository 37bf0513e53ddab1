/* Small enhancements; every page works without them. */
(function () {
  "use strict";

  var current = null;

  /* Play buttons: links to an audio file play in place instead of opening the file. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-play]") : null;
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    if (current) {
      current.pause();
    }
    current = new Audio(link.href);
    link.classList.add("is-playing");
    current.addEventListener("ended", function () { link.classList.remove("is-playing"); });
    current.addEventListener("error", function () { link.classList.remove("is-playing"); });
    current.play().catch(function () { link.classList.remove("is-playing"); });
  });

  /* Read-only fields (join links) select their whole text on focus, ready to copy. */
  document.addEventListener("focusin", function (event) {
    var field = event.target;
    if (field.matches && field.matches("input[readonly]")) {
      field.select();
    }
  });
})();
