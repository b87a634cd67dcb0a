/* Kracht in Kaart, the snippet builder. Progressive enhancement: without this script the form
   reloads the page with the preview and the code. With it, every change fetches that same page
   from our server (which checks the options and writes the code) and swaps in its result part,
   so the preview and the code stay live and the code is built in one place only.
   It also shows the copy button. */
(function () {
  "use strict";
  var form = document.getElementById("builder-form");
  var result = document.getElementById("builder-result");
  if (!form || !result || !window.fetch || !window.DOMParser) { return; }
  var timer = null;
  var asked = 0;

  function query() {
    var pairs = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled) { return; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      pairs.push(encodeURIComponent(el.name) + "=" + encodeURIComponent(el.value));
    });
    return pairs.join("&");
  }

  function refresh() {
    var url = form.getAttribute("action") + "?" + query();
    var mine = ++asked;
    fetch(url, { credentials: "omit" }).then(function (response) {
      return response.text();
    }).then(function (html) {
      if (mine !== asked) { return; }  // a newer change is on its way
      var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("builder-result");
      if (!fresh) { return; }
      result.innerHTML = fresh.innerHTML;
      showCopy();
      if (window.history && history.replaceState) { history.replaceState(null, "", url); }
    }).catch(function () { /* keep the last preview; submitting the form still works */ });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  }

  function showCopy() {
    var button = result.querySelector(".copy-button");
    if (button) { button.hidden = false; }
  }

  function copied(button, ok) {
    var message = result.querySelector(".copy-message");
    if (message) { message.textContent = button.getAttribute(ok ? "data-copied" : "data-failed"); }
  }

  result.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".copy-button");
    var code = result.querySelector(".snippet");
    if (!button || !code) { return; }
    code.focus();
    code.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(code.value).then(function () { copied(button, true); },
        function () { copied(button, document.execCommand("copy")); });
    } else {
      copied(button, document.execCommand("copy"));
    }
  });

  form.addEventListener("input", later);
  form.addEventListener("change", later);
  showCopy();
})();
