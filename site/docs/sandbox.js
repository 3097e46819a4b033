// A pre-rendered docs sandbox (site/cmd/docsgen/prerender.go): the app's
// page with the engine's first render in #prerender's attributes and no
// engine. This script applies that render with the page's own helper
// (connlab.bind and connlab.apply, as the engine does), so the sandbox
// shows its step at once; the first thing the reader does in it (a click
// on a control, a key the sandbox answers, a change to a field, scrolling
// the event log) loads the engine, which takes over the same DOM at the
// same step, and then that action is done again, for the engine. Until
// the engine is there the action waits (the page says it is busy); the
// page never shows a state the engine would not.
"use strict";
(function () {
  var data = document.getElementById("prerender");
  var root = document.getElementById("app");
  var helper = window.connlab;
  if (!data || !root || !helper) return;

  // The render, in two parts: the scroll positions wait for the first
  // frame. Setting one makes the browser lay the page out there and then,
  // while it is still parsing, and a docs page parses five of these on its
  // one main thread; in the frame, the layout it needs anyway serves.
  var later = "", shown = false;
  try {
    var spec = JSON.parse(data.getAttribute("data-spec"));
    var kinds = helper.frames(spec), now = "";
    var f = helper.frames(JSON.parse(data.getAttribute("data-batch")));
    for (var i = 0; i + 1 < f.length; i += 2) {
      var rec = f[i].length + ":" + f[i] + f[i + 1].length + ":" + f[i + 1];
      if (kinds[2 * Number(f[i]) + 1] === "scroll") later += rec;
      else now += rec;
    }
    helper.bind(spec);
    helper.apply(now);
    shown = true;
  } catch (e) {
    // a page that does not hold together: the engine shows the sandbox
    console.error("connlab: the pre-rendered sandbox cannot be shown (" + ((e && e.message) || e) + "); loading the engine");
  }

  var state = "static"; // static, loading, live or failed
  var queue = []; // the reader's actions while the engine loads

  // An element's place under #app, as child indices: the engine renders
  // the same DOM, so the place names the same control after it has
  // rendered (an element itself may have been replaced).
  function pathOf(el) {
    var path = [];
    for (; el && el !== root; el = el.parentElement) {
      if (!el.parentElement) return null;
      path.unshift(Array.prototype.indexOf.call(el.parentElement.children, el));
    }
    return el === root ? path : null;
  }
  function elementAt(path, fallback) {
    if (!path) return fallback;
    var el = root;
    for (var i = 0; i < path.length && el; i++) el = el.children[path[i]];
    return el || null;
  }
  function textField(t) {
    var tag = t.tagName;
    return tag === "TEXTAREA" || (tag === "INPUT" && " checkbox radio range button ".indexOf(" " + t.type + " ") < 0);
  }
  // keyAnswered: the keys the sandbox acts on (wasm/dom.go's onKey and
  // connlab.js's list keys); every other key keeps its default at once.
  function keyAnswered(e) {
    var t = e.target, k = e.key;
    if (t.nodeType === 1 && textField(t)) return k === "Escape" || (k === "Enter" && (e.ctrlKey || e.metaKey || t.hasAttribute("data-input") || t.hasAttribute("data-enter")));
    if (e.altKey || e.ctrlKey || e.metaKey) return false;
    if (k === "ArrowDown" || k === "ArrowUp") {
      return !!(t.classList && (t.getAttribute("data-scroll") === "log" || t.classList.contains("wire-body") || t.classList.contains("inputs")));
    }
    return ["ArrowRight", "ArrowLeft", "r", ".", "Home", "End", "?", "Escape"].indexOf(k) >= 0;
  }

  function hold(e, act) {
    if (state === "live") return;
    e.preventDefault();
    e.stopImmediatePropagation();
    if (state !== "failed") queue.push(act);
    wake();
  }
  // capture on window: before connlab.js's own listeners on document
  window.addEventListener("click", function (e) {
    var t = e.target;
    if (state === "live" || !root.contains(t) || !t.closest) return;
    if (!t.closest("[data-action], [data-click]") && !(t.classList && t.classList.contains("overlay"))) return;
    hold(e, { type: "click", path: pathOf(t) });
  }, true);
  window.addEventListener("keydown", function (e) {
    if (state === "live" || !keyAnswered(e)) return;
    var t = e.target;
    hold(e, { type: "keydown", path: pathOf(t), target: t, init: {
      key: e.key, code: e.code, shiftKey: e.shiftKey, ctrlKey: e.ctrlKey, altKey: e.altKey, metaKey: e.metaKey, bubbles: true, cancelable: true
    } });
  }, true);
  // a field's new value (typed, chosen, ticked): the engine renders its
  // own value first, so the field is set again, then the event repeated
  ["input", "change"].forEach(function (type) {
    window.addEventListener(type, function (e) {
      var t = e.target;
      if (state === "live" || !root.contains(t)) return;
      e.stopImmediatePropagation();
      if (state !== "failed") queue.push({ type: type, path: pathOf(t), value: t.value, checked: t.checked });
      wake();
    }, true);
  });
  // the event log renders only the rows in view: scrolling it needs the
  // engine (until then the rows beyond the pre-render are blank)
  // (the pre-render's own scroll position, set by connlab.apply, fires a
  // scroll event too: that one is not the reader's)
  var logBox = root.querySelector('[data-scroll="log"]'), logTop = -1;
  root.addEventListener("scroll", function (e) {
    var t = e.target;
    if (state === "live" || t !== logBox || logTop < 0 || t.scrollTop === logTop) return;
    if (state !== "failed") queue.push({ type: "scroll", path: pathOf(t), top: t.scrollTop });
    wake();
  }, true);

  // the scroll positions, in the first frame; then the sandbox is shown
  // as the engine would show it, and it answers its controls (the docs'
  // bench reads connlabShownAt)
  var settled = false;
  function settle() {
    if (settled || !shown) return;
    settled = true;
    helper.apply(later);
    if (logBox) logTop = logBox.scrollTop;
  }
  requestAnimationFrame(function () {
    if (state !== "static" || !shown) return; // the engine renders it all
    settle();
    // the pre-render has the rows its log's window holds (prerender.go);
    // a taller window would show blank rows: the engine fills them
    var rows = Number(data.getAttribute("data-log-rows"));
    var need = logBox && logBox.clientHeight ? Math.ceil(logBox.clientHeight / 20) + 2 : 0;
    if (need > rows) {
      console.error("connlab: the pre-rendered event log has " + rows + " rows, its window needs " + need + "; loading the engine");
      wake();
      return;
    }
    root.setAttribute("data-engine", "prerendered");
    window.connlabShownAt = performance.now();
  });
  // load the engine now, with nothing to repeat (the tests compare the
  // pre-render with what the engine renders in its place)
  window.connlabWake = wake;
  // connlabDo(actions, focus) is how a docs page's inline sandbox
  // (inline.js) hands over what its reader did there: the actions are
  // repeated once the engine has taken over, as the reader's own in this
  // page would be, and the focus goes where it was (a path under #app).
  window.connlabDo = function (acts, focus) {
    // (handed over as the frame loads, maybe before its first frame: the
    // engine starts from the pre-render's scroll positions all the same)
    if (state === "static") settle();
    if (focus) {
      var f = elementAt(focus, null);
      if (f && f.focus) f.focus({ preventScroll: true });
    }
    if (state === "live") {
      for (var i = 0; i < acts.length; i++) replay(acts[i]);
      return;
    }
    if (state !== "failed") queue = queue.concat(acts);
    wake();
  };

  function replay(a) {
    var el = elementAt(a.path, a.target);
    if (!el) return;
    switch (a.type) {
      case "click": el.click(); break;
      case "keydown": el.dispatchEvent(new KeyboardEvent("keydown", a.init)); break;
      case "scroll":
        el.scrollTop = a.top;
        el.dispatchEvent(new Event("scroll"));
        break;
      default:
        if (el.type === "checkbox" || el.type === "radio") el.checked = a.checked;
        else el.value = a.value;
        el.dispatchEvent(new Event(a.type, { bubbles: true }));
    }
  }

  // restore puts back what the page does without (site/cmd/docsgen/
  // defer.go: the input column and the overlays, which an embed does not
  // show until asked, read from the one page that holds them for every
  // sandbox): each template stands for one element, which takes its
  // place, so the engine finds the app's whole DOM. (connlabRestored
  // lists them for the test that compares the pre-render with the
  // engine's render.)
  function restore(partsDoc) {
    var ts = root.querySelectorAll("template[data-restore]"), back = [];
    for (var i = 0; i < ts.length; i++) {
      var n = ts[i].getAttribute("data-restore");
      var part = partsDoc.querySelector('template[data-part="' + (/^[0-9]+$/.test(n) ? n : "x") + '"]');
      var el = part && part.content.firstElementChild;
      if (!el) throw new Error("the app's part " + n + " is missing from " + data.getAttribute("data-parts"));
      el = document.importNode(el, true);
      ts[i].replaceWith(el);
      back.push(el);
    }
    window.connlabRestored = back;
  }

  function busy(on) {
    if (on) root.setAttribute("aria-busy", "true");
    else root.removeAttribute("aria-busy");
    document.documentElement.style.cursor = on ? "progress" : "";
  }

  // engine fetches and compiles the engine's wasm (or takes the page's
  // compiled module, below), loads Go's loader
  // (wasm_exec.js, not in the pre-rendered page: only the engine needs
  // it) and reads the app's deferred parts, once: the compiled module and
  // the parts' document, when all three are there.
  var engineP = null;
  function engine() {
    if (engineP) return engineP;
    var url = new URL(data.getAttribute("data-wasm"), document.baseURI).href;
    function plain() {
      return fetch(url).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.arrayBuffer();
      }).then(function (b) { return WebAssembly.compile(b); });
    }
    // One compile for the page: the sandboxes of a docs page (frames of
    // its origin) share the first one's module through their parent; a
    // page of another origin that frames a sandbox cannot be reached and
    // is not asked. A shared compile that failed is not reused.
    var host = null, key = "connlabEngine " + url, compiled;
    try {
      if (window.parent !== window && window.parent.location.origin === location.origin) host = window.parent;
    } catch (e) { host = null; }
    if (host && host[key]) {
      compiled = host[key];
      window.connlabSharedEngine = true;
    } else {
      compiled = WebAssembly.compileStreaming ? WebAssembly.compileStreaming(fetch(url)).catch(plain) : plain();
      if (host) {
        host[key] = compiled;
        compiled.catch(function () { if (host[key] === compiled) delete host[key]; });
      }
    }
    var loader = new Promise(function (ok, fail) {
      var s = document.createElement("script");
      s.src = data.getAttribute("data-wasm-exec");
      s.onload = ok;
      s.onerror = function () { fail(new Error("could not load " + s.src)); };
      document.body.appendChild(s);
    });
    var parts = fetch(new URL(data.getAttribute("data-parts"), document.baseURI).href).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status + " for " + data.getAttribute("data-parts"));
      return r.text();
    }).then(function (t) { return new DOMParser().parseFromString(t, "text/html"); });
    engineP = Promise.all([compiled, loader, parts]).then(function (r) { return { mod: r[0], parts: r[2] }; });
    engineP.catch(function () {}); // wake reports a failure, if it comes to that
    return engineP;
  }
  // A pointer over the sandbox, or the focus in it, is a reader about to
  // use it: the engine starts compiling (it is not run, and costs no Go
  // heap, until the reader does something).
  function warm() {
    if (state === "static" && window.WebAssembly) engine();
  }
  root.addEventListener("pointerover", warm, { once: true, passive: true });
  root.addEventListener("focusin", warm, { once: true });

  // wake loads the engine, once, and hands it the sandbox.
  function wake() {
    if (state !== "static") return;
    state = "loading";
    root.setAttribute("data-engine", "loading");
    busy(true);
    window.connlabWakeAt = performance.now();
    if (!window.WebAssembly) {
      failed(new Error("this browser does not support WebAssembly"));
      return;
    }
    var go, partsDoc;
    engine().then(function (e) {
      go = new Go();
      partsDoc = e.parts;
      return WebAssembly.instantiate(e.mod, go.importObject);
    }).then(function (inst) {
      restore(partsDoc);
      // The engine reads its address: the live embed's, at the same step.
      history.replaceState(history.state, "", new URL(JSON.parse(data.getAttribute("data-live")), document.baseURI).href);
      // Its first render used this many log rows (prerender.go); later
      // calls measure the log as usual.
      var measure = helper.logRows, rows = Number(data.getAttribute("data-log-rows"));
      helper.logRows = function () {
        helper.logRows = measure;
        return rows;
      };
      go.run(inst); // runs main until it waits for events: bound and rendered
      helper.logRows = measure;
      state = "live";
      root.setAttribute("data-engine", "live");
      busy(false);
      window.connlabLiveAt = performance.now();
      var q = queue;
      queue = [];
      for (var i = 0; i < q.length; i++) {
        try {
          replay(q[i]);
        } catch (e) {
          console.error("connlab: repeating the reader's " + q[i].type + " for the engine:", e);
        }
      }
    }).catch(failed);
  }

  if (!shown) wake();

  function failed(err) {
    state = "failed";
    queue = [];
    root.setAttribute("data-engine", "failed");
    busy(false);
    helper.fatal("connlab could not load its engine.", String((err && err.message) || err) + ". Check your connection and reload.");
  }
})();
