(function () {
  "use strict";
  // Progressive enhancement only: the form posts without JavaScript too.
  var form = document.getElementById("analyze");
  if (!form) return;
  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    if (button) {
      button.disabled = true;
      button.textContent = "Analyzing…";
    }
  });
  // The browser's back button restores a disabled button from its cache.
  window.addEventListener("pageshow", function () {
    var button = form.querySelector("button[type=submit]");
    if (button) {
      button.disabled = false;
      button.textContent = "Analyze";
    }
  });
})();
