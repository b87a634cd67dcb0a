/* Kracht in Kaart, inside the /embed iframe: tell the host page how tall our content is, so
   that embed-host.js (on the partner's page) can size the iframe and no scroll bar appears.

   The message is {type: "kik:resize", height: <number>}, sent to window.parent with
   targetOrigin "*". We cannot name the partner's origin (any site may embed us, see the CSP
   frame-ancestors setting), and "*" is safe here because the message carries nothing but a
   height in pixels: it goes to the page that frames us, which can see our size anyway. Never
   put anything else (a search text, a place) in this message. */
(function () {
  "use strict";
  if (window.parent === window) { return; }  // not in a frame: nobody to tell
  var root = document.documentElement;
  var last = -1;

  function report() {
    // The <html> box is as tall as the content (no height: 100% in embed.css), so this
    // also shrinks when the content does — scrollHeight would never go below the frame.
    var height = Math.ceil(root.getBoundingClientRect().height);
    if (height !== last && height > 0) {
      last = height;
      window.parent.postMessage({ type: "kik:resize", height: height }, "*");
    }
  }

  if (typeof ResizeObserver === "function") {
    new ResizeObserver(report).observe(root);
  } else {
    window.addEventListener("resize", report);
    document.addEventListener("toggle", report, true);  // <details> opened or closed
  }
  // The host script may load after our first report (it is async on the partner's page):
  // it then asks with {type: "kik:hello"}, and we report again. Only the parent may ask.
  window.addEventListener("message", function (event) {
    if (event.source === window.parent && event.data && event.data.type === "kik:hello") {
      last = -1;
      report();
    }
  });
  window.addEventListener("load", report);
  report();
})();
