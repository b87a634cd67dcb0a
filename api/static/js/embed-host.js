/* Kracht in Kaart, on the PARTNER's page (next to our iframe): sizes our iframes to their
   content. Our own small script instead of a general iframe resizer.

   A message is accepted only when
   - its origin is the origin this script was loaded from (our site), and
   - it comes from the window of one of our iframes on this page (event.source), and
   - it is {type: "kik:resize", height: <finite number>}.
   The height is clamped to 200–3000 px, and to at most data-kik-max-height when the iframe has it
   (oEmbed answers set it from maxheight). Nothing else is read, stored or sent. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src || window.kikEmbedHost) { return; }  // one listener per page
  window.kikEmbedHost = true;
  var MIN = 200, MAX = 3000;
  var ours = originOf(script.src);

  function originOf(url) {
    try {
      return new URL(url, document.baseURI).origin;
    } catch (e) {
      return null;  // an iframe without a usable src is not one of ours
    }
  }

  function frameOf(source) {
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === source && originOf(frames[i].src) === ours) {
        return frames[i];
      }
    }
    return null;
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== ours || !data || data.type !== "kik:resize") { return; }
    var height = Number(data.height);
    var frame = isFinite(height) ? frameOf(event.source) : null;
    if (!frame) { return; }
    var limit = Number(frame.getAttribute("data-kik-max-height")) || MAX;
    height = Math.round(Math.min(Math.max(MIN, height), limit, MAX));
    frame.style.height = height + "px";
    frame.setAttribute("height", String(height));
  });

  // Frames that reported before this script arrived: ask them again (only ours, only them).
  function greet() {
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (originOf(frames[i].src) === ours && frames[i].contentWindow) {
        frames[i].contentWindow.postMessage({ type: "kik:hello" }, ours);
      }
    }
  }
  greet();
  if (document.readyState !== "complete") { window.addEventListener("load", greet); }
})();
