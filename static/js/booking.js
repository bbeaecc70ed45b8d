/* Request form, progressive enhancement only: without this file every question is
   shown, each saying when it applies. With it, a part that concerns another mode
   (the street address for a home visit, the drop-in sites, the partner's name) is
   hidden until it applies, and the error summary takes the focus. */
(function () {
  "use strict";

  var form = document.querySelector("[data-booking-form]");
  if (!form) {
    return;
  }

  function currentValues(name) {
    var values = [];
    var inputs = form.querySelectorAll("input[name='" + name + "']");
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].checked) {
        values.push(inputs[i].value);
      }
    }
    return values;
  }

  function update() {
    var parts = form.querySelectorAll("[data-show-for]");
    for (var i = 0; i < parts.length; i++) {
      var rule = parts[i].getAttribute("data-show-for").split(":");
      var shown = currentValues(rule[0]).indexOf(rule[1]) !== -1;
      // A part with an error stays visible, so the message is never hidden.
      if (parts[i].classList.contains("field--error") || parts[i].querySelector(".field--error")) {
        shown = true;
      }
      parts[i].hidden = !shown;
    }
  }

  form.addEventListener("change", update);
  update();

  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
