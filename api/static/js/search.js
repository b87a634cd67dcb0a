/* Kracht in Kaart, residents' pages. Progressive enhancement only: every page works without it.
   - "Use my location": asks the browser for the position, rounds it to about 100 m, puts it in
     the search form's lat/lon fields and submits the form to our own server. Nothing else is sent
     anywhere and nothing is stored.
   - "Print": shows the print button and prints the page. */
(function () {
  "use strict";

  function field(form, name) {
    var input = form.querySelector('input[type="hidden"][name="' + name + '"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.appendChild(input);
    }
    return input;
  }

  function setUpLocation(button) {
    var form = button.form || document.getElementById("search-form");
    var message = form && form.querySelector(".location-message");
    var hint = form && form.querySelector(".use-location-hint");
    if (!form || !("geolocation" in navigator) || !window.isSecureContext) {
      return;
    }
    button.hidden = false;
    if (hint) { hint.hidden = false; }
    button.addEventListener("click", function () {
      button.disabled = true;
      if (message) { message.textContent = button.getAttribute("data-locating"); }
      navigator.geolocation.getCurrentPosition(function (position) {
        var q = form.querySelector("#q");
        if (q) { q.value = ""; }  // the place text would win over the position
        field(form, "lat").value = position.coords.latitude.toFixed(3);
        field(form, "lon").value = position.coords.longitude.toFixed(3);
        form.submit();
      }, function () {
        button.disabled = false;
        if (message) { message.textContent = button.getAttribute("data-failed"); }
        var q = form.querySelector("#q");
        if (q) { q.focus(); }
      }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 });
    });
  }

  function setUpPrint(button) {
    if (typeof window.print !== "function") { return; }
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".use-location"), setUpLocation);
  Array.prototype.forEach.call(document.querySelectorAll(".print-button"), setUpPrint);
})();
