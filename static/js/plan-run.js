// A planning run's page: without JavaScript it reloads itself every two seconds (a
// <meta http-equiv="refresh"> inside <noscript>). With JavaScript, this script fetches the
// same page instead and swaps in the run's section, so the page does not flash, focus
// stays where it is and screen readers hear only a change of state, not every second.
(function () {
  "use strict";
  var EVERY_MS = 2000;

  function stateOf(section) {
    var heading = section.querySelector("h2");
    return heading ? heading.textContent.trim() : "";
  }

  function start(section) {
    var announce = document.getElementById("run-announce");
    var source = section.getAttribute("data-source");
    var next = section.getAttribute("data-next");
    function poll() {
      fetch(source, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.text();
        })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html")
            .querySelector("[data-run-status]");
          if (!fresh) { return; }
          if (fresh.getAttribute("data-run-status") === "done") {
            window.location.assign(next);
            return;
          }
          var before = stateOf(section);
          section.innerHTML = fresh.innerHTML;
          section.setAttribute("data-run-status", fresh.getAttribute("data-run-status"));
          if (announce && stateOf(section) !== before) { announce.textContent = stateOf(section); }
          if (fresh.getAttribute("data-run-active") === "true") { window.setTimeout(poll, EVERY_MS); }
        })
        .catch(function () { window.setTimeout(poll, EVERY_MS * 2); });
    }
    window.setTimeout(poll, EVERY_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var section = document.querySelector("[data-run-status][data-run-active='true'][data-auto='true']");
    if (section && window.fetch && window.DOMParser) { start(section); }
  });
})();
