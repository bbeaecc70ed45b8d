// Calendar links: a "Copy" button beside each link. Without JavaScript the links stay
// selectable text fields, so nothing depends on this file.
(function () {
  "use strict";
  function enhance(input) {
    if (!navigator.clipboard) { return; }
    var row = document.createElement("div");
    row.className = "feed-link__row";
    input.parentNode.insertBefore(row, input);
    row.appendChild(input);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--secondary button--small";
    button.textContent = input.getAttribute("data-copy-label");
    row.appendChild(button);
    var status = document.createElement("p");
    status.className = "feed-link__status";
    status.setAttribute("role", "status");
    row.parentNode.insertBefore(status, row.nextSibling);
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        status.textContent = input.getAttribute("data-copied-label");
      });
    });
    input.addEventListener("focus", function () { input.select(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var inputs = document.querySelectorAll("input[data-copy]");
    for (var i = 0; i < inputs.length; i++) { enhance(inputs[i]); }
  });
})();
