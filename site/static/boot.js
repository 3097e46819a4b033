// Start fetching and compiling the engine at once, while the page loads:
// index.html runs this first thing in its head, and the loader
// (connlab.js, at the end of the page) instantiates the module when the
// page is ready. A separate file rather than an inline script, so the
// site's Content-Security-Policy (script-src 'self') allows it.
"use strict";
// ?theme=light|dark overrides the system's colour scheme (for embeds in
// pages with their own theme); set before the first paint.
(function () {
  var m = /[?&]theme=(light|dark)(&|$)/.exec(location.search);
  if (m) document.documentElement.setAttribute("data-theme", m[1]);
})();
window.connlabWasm = (function () {
  var s = document.currentScript;
  var url = s && s.getAttribute("data-wasm");
  if (!url || !window.WebAssembly) return null;
  function plain() {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.arrayBuffer();
    }).then(function (b) { return WebAssembly.compile(b); });
  }
  var p = WebAssembly.compileStreaming ? WebAssembly.compileStreaming(fetch(url)).catch(plain) : plain();
  p.catch(function () {}); // the loader reports failures
  return p;
})();
