// A docs page's inline sandboxes (site/cmd/docsgen/inline.go): each is
// the app's #app at its step, rendered at build time into a declarative
// shadow root, so it is shown as the page is parsed. This script sets
// what markup cannot (scroll positions), and on the first thing a reader
// does in a sandbox (a click on a control, a key it answers, a field, the
// event log scrolled) puts the sandbox's pre-rendered frame
// (/embed/docs/PAGE-N) in its place and hands it that action: the frame's
// sandbox.js brings the engine in at the same step and repeats it. From
// then on the sandbox is the live engine, in its frame.
"use strict";
(function () {
  var me = document.currentScript;
  var hosts = document.querySelectorAll(".sandbox-inline");
  var wasm = me && me.getAttribute("data-wasm");
  var engineKey = wasm ? "connlabEngine " + new URL(wasm, document.baseURI).href : "";

  // An element's place under #app, as child indices: the frame holds the
  // same DOM (the same page, the same render), so the place names the
  // same control there.
  function pathOf(root, el) {
    var path = [];
    for (; el && el !== root; el = el.parentElement) {
      if (!el.parentElement) return null;
      path.unshift(Array.prototype.indexOf.call(el.parentElement.children, el));
    }
    return el === root ? path : null;
  }
  function textField(t) {
    var tag = t.tagName;
    return tag === "TEXTAREA" || (tag === "INPUT" && " checkbox radio range button ".indexOf(" " + t.type + " ") < 0);
  }
  // the keys the sandbox acts on (as sandbox.js's keyAnswered)
  function keyAnswered(e, t) {
    var k = e.key;
    if (textField(t)) return k === "Escape" || (k === "Enter" && (e.ctrlKey || e.metaKey || t.hasAttribute("data-input") || t.hasAttribute("data-enter")));
    if (e.altKey || e.ctrlKey || e.metaKey) return false;
    if (k === "ArrowDown" || k === "ArrowUp") {
      return !!(t.classList && (t.getAttribute("data-scroll") === "log" || t.classList.contains("wire-body") || t.classList.contains("inputs")));
    }
    return ["ArrowRight", "ArrowLeft", "r", ".", "Home", "End", "?", "Escape"].indexOf(k) >= 0;
  }

  // warm starts compiling the engine, once for the page, where the
  // frames' sandbox.js looks for it (the parent's "connlabEngine URL").
  function warm() {
    if (!engineKey || window[engineKey] || !window.WebAssembly) return;
    var url = engineKey.slice("connlabEngine ".length);
    var p = WebAssembly.compileStreaming ? WebAssembly.compileStreaming(fetch(url)) : fetch(url).then(function (r) { return r.arrayBuffer(); }).then(WebAssembly.compile);
    window[engineKey] = p;
    p.catch(function () { if (window[engineKey] === p) delete window[engineKey]; });
  }

  var shown = 0;
  Array.prototype.forEach.call(hosts, function (host, n) {
    var sr = host.shadowRoot, root = sr && sr.getElementById("app");
    // the sandbox's height, and the styles its render set (the site's
    // CSP ignores style attributes; the element's style is not markup)
    host.style.height = Number(host.getAttribute("data-height")) + "px";
    if (root) {
      var styled = root.querySelectorAll("[data-style]");
      for (var i = 0; i < styled.length; i++) styled[i].style.cssText = styled[i].getAttribute("data-style");
      if (root.hasAttribute("data-style")) root.style.cssText = root.getAttribute("data-style");
    }
    var why = host.parentNode.querySelector("[data-why]");
    var state = "inline", queue = [], frame = null;

    function say(text) {
      if (!why) return;
      why.textContent = text;
      why.hidden = false;
    }

    // live puts the frame in the sandbox's place and hands it the
    // reader's actions (acts) and where the focus was (focus, a path).
    function live(acts, focus) {
      if (state !== "inline") {
        if (state === "loading") queue = queue.concat(acts);
        return;
      }
      state = "loading";
      queue = acts;
      warm();
      host.setAttribute("aria-busy", "true");
      host.style.cursor = "progress";
      frame = document.createElement("iframe");
      frame.title = host.getAttribute("data-title");
      frame.className = "sandbox-frame";
      frame.style.height = host.style.height;
      frame.addEventListener("load", function () {
        var w = frame.contentWindow;
        if (!w || typeof w.connlabDo !== "function") {
          // not the sandbox's page (gone, or an error page): the inline
          // sandbox stays, and says why it cannot step
          frame.remove();
          state = "failed";
          host.removeAttribute("aria-busy");
          host.style.cursor = "";
          host.setAttribute("data-engine", "failed");
          say("This sandbox shows the engine's state at its step, but it cannot step: its live page (" + host.getAttribute("data-sandbox") + ") did not load. Reload the page to try again.");
          return;
        }
        state = "live";
        // (the frame stays where it is: moving a frame in the DOM would
        // load it again)
        frame.classList.add("live");
        host.remove();
        var q = queue;
        queue = [];
        if (focus) frame.focus();
        w.connlabDo(q, focus);
        window.connlabSwappedAt = performance.now();
      }, { once: true });
      frame.src = host.getAttribute("data-sandbox");
      host.after(frame);
    }

    host.addEventListener("connlab-live", function (e) { live(e.detail, null); });
    if (!root) {
      // no declarative shadow root (an older browser): the frame shows
      // the sandbox instead
      live([], null);
      return;
    }
    function control(t) {
      return t.closest && t.closest("[data-action], [data-click], .overlay");
    }
    function hold(e, act) {
      e.preventDefault();
      e.stopImmediatePropagation();
      var f = sr.activeElement;
      live([act], f ? pathOf(root, f) : null);
    }
    sr.addEventListener("click", function (e) {
      var c = control(e.target);
      if (!c || !root.contains(c)) return;
      hold(e, { type: "click", path: pathOf(root, c) });
    }, true);
    sr.addEventListener("keydown", function (e) {
      var t = e.target;
      if (!root.contains(t) || !keyAnswered(e, t)) return;
      hold(e, { type: "keydown", path: pathOf(root, t), init: {
        key: e.key, code: e.code, shiftKey: e.shiftKey, ctrlKey: e.ctrlKey, altKey: e.altKey, metaKey: e.metaKey, bubbles: true, cancelable: true
      } });
    }, true);
    ["input", "change"].forEach(function (type) {
      sr.addEventListener(type, function (e) {
        var t = e.target;
        if (!root.contains(t)) return;
        e.stopImmediatePropagation();
        live([{ type: type, path: pathOf(root, t), value: t.value, checked: t.checked }], pathOf(root, t));
      }, true);
    });
    host.addEventListener("pointerover", warm, { once: true, passive: true });
    host.addEventListener("focusin", warm, { once: true });

    // the scroll positions and the highlighted bytes in view, in the
    // first frame (setting one forces a layout; the frame's serves)
    var logBox = root.querySelector('[data-scroll="log"]'), logTop = -1;
    sr.addEventListener("scroll", function (e) {
      var t = e.target;
      if (t !== logBox || logTop < 0 || t.scrollTop === logTop) return;
      live([{ type: "scroll", path: pathOf(root, t), top: t.scrollTop }], null);
    }, true);
    requestAnimationFrame(function () {
      if (state !== "inline") return;
      var els = root.querySelectorAll("[data-scroll-top]");
      for (var i = 0; i < els.length; i++) els[i].scrollTop = Number(els[i].getAttribute("data-scroll-top"));
      var boxes = root.querySelectorAll("[data-reveal]");
      for (i = 0; i < boxes.length; i++) {
        var box = boxes[i], h = box.querySelector(".h");
        if (!h) continue;
        var b = box.getBoundingClientRect(), r = h.getBoundingClientRect();
        if (r.top < b.top || r.bottom > b.bottom) box.scrollTop += r.top - b.top - b.height / 3;
      }
      if (logBox) logTop = logBox.scrollTop;
      // the pre-render holds the rows its log's window holds: a taller
      // window would show blank rows, which the engine fills
      var rows = Number(root.getAttribute("data-log-rows"));
      var need = logBox && logBox.clientHeight ? Math.ceil(logBox.clientHeight / 20) + 2 : 0;
      if (need > rows) {
        console.error("connlab: inline sandbox " + (n + 1) + ": its event log has " + rows + " rows, its window needs " + need + "; loading the engine");
        live([], null);
        return;
      }
      host.setAttribute("data-engine", "inline-shown");
      if (++shown === hosts.length) window.connlabInlineShownAt = performance.now();
    });
  });
  // the tests' and the bench's handle: sandbox k (0-based) goes live now
  window.connlabInline = function (k, acts) {
    var host = hosts[k];
    if (host) host.dispatchEvent(new CustomEvent("connlab-live", { detail: acts || [] }));
  };
})();
