// The "Print this summary" button: shown only when JavaScript runs, since it needs
// window.print(). Without JavaScript the page says how to print with the browser instead.
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-app-print]");
  if (!buttons.length || typeof window.print !== "function") {
    return;
  }
  buttons.forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
  document.querySelectorAll("[data-app-print-hint]").forEach(function (hint) {
    hint.hidden = true;
  });
})();
