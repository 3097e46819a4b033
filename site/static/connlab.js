// connlab's page bootstrap and the tiny DOM helper the Go side calls.
//
// The Go program (connlab.wasm) builds nothing it does not have to: the
// page's layout is static HTML, and every value the model renders goes
// through window.connlab.apply, one call per update, as a batch of
// length-prefixed frames (wasm/ui/batch.go): each string is its length in
// UTF-16 units, a colon, then the string, so a value can hold any
// character at all and still never start a record of its own. Crossing
// from Go into JS costs microseconds per call, so one call with a batch is
// what keeps a step and its re-render inside a frame (see DESIGN.md, UI).
//
// Nothing here ever turns user bytes into markup: "html" slots receive
// markup the Go side built from escaped text ("wire" and "rows" slots the
// same, or an update of it: classes of runs already shown, rows added and
// removed); every other kind sets text, values or properties.
"use strict";
(function () {
  var root = document.getElementById("app");
  var slots = []; // slot index -> {els, kind}
  var slotIndex = null; // indexSlots() from the idle moment that mounted the panels

  // indexSlots maps each slot name to its elements ([data-s] names them,
  // space-separated): one walk over the [data-s] elements, not a query
  // per slot (there are ~150 slots, and binding is on the start-up path).
  function indexSlots() {
    var byName = Object.create(null);
    var all = root.querySelectorAll("[data-s]");
    for (var j = 0; j < all.length; j++) {
      var names = all[j].getAttribute("data-s").split(" ");
      for (var k = 0; k < names.length; k++) {
        if (names[k] === "") continue;
        (byName[names[k]] || (byName[names[k]] = [])).push(all[j]);
      }
    }
    return byName;
  }
  var waiting = true; // the header's buttons are disabled until ready

  function setSlot(s, v) {
    var els = s.els, k = s.kind;
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      switch (k) {
        case "text": el.textContent = v; break;
        case "html":
          el.innerHTML = v;
          if (el.hasAttribute("data-reveal")) revealSoon(el);
          break;
        case "wire":
          // markup, or "=" and frames of a run's index and its classes:
          // only the runs whose classes changed (wasm/ui wireDelta)
          if (v.charAt(0) === "=") {
            var runs = el.querySelectorAll("[data-o]"), d = frames(v.slice(1));
            if (d.length % 2 !== 0) throw new Error("connlab: a wire update of " + d.length + " frames");
            for (var j = 0; j < d.length; j += 2) {
              var run = runs[+d[j]];
              if (!run) throw new Error("connlab: no run " + d[j]);
              run.className = d[j + 1];
            }
          } else el.innerHTML = v;
          if (el.hasAttribute("data-reveal")) revealSoon(el);
          break;
        case "rows":
          // markup, or "~" and frames of how many rows leave from the
          // front and from the back, and the markup of the rows that
          // come before and after those kept (wasm/ui logDelta)
          if (v.charAt(0) === "~") {
            var r = frames(v.slice(1));
            if (r.length !== 4) throw new Error("connlab: a rows update of " + r.length + " frames");
            for (var n = +r[0]; n > 0 && el.firstElementChild; n--) el.removeChild(el.firstElementChild);
            for (n = +r[1]; n > 0 && el.lastElementChild; n--) el.removeChild(el.lastElementChild);
            if (r[2]) el.insertAdjacentHTML("afterbegin", r[2]);
            if (r[3]) el.insertAdjacentHTML("beforeend", r[3]);
          } else el.innerHTML = v;
          break;
        case "value": if (el.value !== v) el.value = v; break;
        case "checked": el.checked = v === "1"; break;
        case "hidden": el.hidden = v === "1"; break;
        case "disabled": el.disabled = v === "1"; break;
        case "height": el.style.height = v + "px"; break;
        case "top": el.style.transform = "translateY(" + v + "px)"; break;
        case "width": el.style.width = v; break;
        case "scroll": el.scrollTop = Number(v); break;
        case "range": {
          var c = v.indexOf(",");
          el.max = v.slice(0, c);
          el.value = v.slice(c + 1);
          break;
        }
        case "cursor": {
          // mark the k-th child current and the ones after it as still to
          // come; "k-" (the filtered event log hides the cursor's event)
          // marks none current and the k-th on as still to come
          var hid = v.charAt(v.length - 1) === "-";
          var k = parseInt(v, 10), kids = el.children;
          for (var j = 0; j < kids.length; j++) {
            var c = kids[j].classList;
            c.toggle("cur", !hid && j === k);
            c.toggle("fut", hid ? j >= k : j > k);
          }
          break;
        }
        case "title": el.title = v; break;
        case "why": {
          // why the control cannot act now ("" = it can): disabled, the
          // reason as its title; its own title comes back when it can
          if (!("title0" in el.dataset)) el.dataset.title0 = el.getAttribute("title") || "";
          el.disabled = v !== "";
          if (v !== "") el.title = v;
          else if (el.dataset.title0) el.title = el.dataset.title0;
          else el.removeAttribute("title");
          break;
        }
        case "class":
          el.className = v;
          // a banner that is not an error is news, not an alarm
          if (el.hasAttribute("data-role-by-class")) el.setAttribute("role", el.classList.contains("info") ? "status" : "alert");
          break;
        default:
          if (k.slice(0, 5) === "attr:") {
            if (v === "") el.removeAttribute(k.slice(5)); else el.setAttribute(k.slice(5), v);
          } else if (k.slice(0, 4) === "var:") {
            // a CSS variable (a program editor's marked lines)
            el.style.setProperty(k.slice(4), v);
          }
      }
    }
  }

  // reveal scrolls a box so its highlighted run (.h) is in view, without
  // moving the page.
  // after the frame, so a step never waits for a forced layout
  var toReveal = [];
  function revealSoon(box) {
    if (toReveal.indexOf(box) < 0) toReveal.push(box);
    if (toReveal.length === 1) requestAnimationFrame(function () {
      var boxes = toReveal;
      toReveal = [];
      for (var i = 0; i < boxes.length; i++) reveal(boxes[i]);
    });
  }
  function reveal(box) {
    var el = box.querySelector(".h");
    if (!el) return;
    var b = box.getBoundingClientRect(), r = el.getBoundingClientRect();
    if (r.top < b.top || r.bottom > b.bottom) box.scrollTop += r.top - b.top - b.height / 3;
  }

  // frames reads a batch (wasm/ui/batch.go; DecodeFrames is its Go
  // mirror, and a browser test keeps the two in agreement) into its list
  // of strings. A malformed batch is a bug on the Go side: it throws, and
  // the Go side turns that into an error banner, rather than applying a
  // guess.
  function frames(batch) {
    var out = [], i = 0, n = batch.length;
    while (i < n) {
      var len = 0, digits = 0, c;
      while (i < n && (c = batch.charCodeAt(i)) !== 58) { // ':'
        if (c < 48 || c > 57 || digits > 9) throw new Error("connlab: bad frame length at " + i);
        len = len * 10 + (c - 48);
        digits++;
        i++;
      }
      if (i === n || digits === 0) throw new Error("connlab: frame without a length at " + i);
      i++;
      if (len > n - i) throw new Error("connlab: a frame of " + len + " runs past the batch's end");
      out.push(batch.slice(i, i + len));
      i += len;
    }
    return out;
  }

  var api = {
    // bind(frames of name, kind, name, kind, …) finds every slot's
    // elements (indexSlots, or the index the idle mount made).
    bind: function (spec) {
      slots = [];
      var byName = slotIndex || indexSlots();
      slotIndex = null; // once: a later bind sees the page as it is then
      var f = frames(spec);
      var missing = [];
      for (var i = 0; i + 1 < f.length; i += 2) {
        var els = f[i].indexOf("#app") === 0 ? [root] : (byName[f[i]] || []);
        if (els.length === 0) missing.push(f[i]);
        slots.push({ els: els, kind: f[i + 1] });
      }
      window.connlabMissingSlots = missing.join(" ");
      return window.connlabMissingSlots;
    },
    // apply(frames of index, value, index, value, …) sets the slots.
    apply: function (batch) {
      var f = frames(batch);
      if (f.length % 2 !== 0) throw new Error("connlab: a batch of " + f.length + " frames");
      for (var i = 0; i < f.length; i += 2) {
        var s = /^(0|[1-9][0-9]*)$/.test(f[i]) ? slots[+f[i]] : undefined;
        if (!s) throw new Error("connlab: no slot " + JSON.stringify(f[i]));
        setSlot(s, f[i + 1]);
      }
      if (waiting && root.getAttribute("data-ready") === "true") {
        // the engine is ready: the header's buttons can act now
        waiting = false;
        var els = document.querySelectorAll("[data-until-ready]");
        for (var j = 0; j < els.length; j++) els[j].disabled = false;
      }
    },
    // frames is exposed for the browser test that compares it with the Go
    // mirror (wasm/ui.DecodeFrames) on hostile strings.
    frames: frames,
    // download(name, text, type) saves text as a file called name: a Blob
    // behind an a[download] (the Go test Export writes). The text never
    // becomes markup.
    download: function (name, text, type) {
      var url = URL.createObjectURL(new Blob([text], { type: type || "text/plain" }));
      var a = document.createElement("a");
      a.href = url;
      a.download = name;
      a.hidden = true;
      document.body.appendChild(a);
      a.click();
      document.body.removeChild(a);
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    },
    // post(url, body, done): POST body as JSON; done(status, text), with
    // status 0 and the reason when there is no answer (no /api on a
    // static host, offline). The answer is handed to Go as a string.
    post: function (url, body, done) {
      fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: body }).then(function (r) {
        return r.text().then(function (t) { done(r.status, t); });
      }).catch(function (e) { done(0, String(e && e.message || e)); });
    },
    copy: function (text) {
      if (navigator.clipboard && window.isSecureContext) {
        return navigator.clipboard.writeText(text).then(function () { return true; }, function () { return fallbackCopy(text); });
      }
      return Promise.resolve(fallbackCopy(text));
    },
    // logRows is how many 20 px rows fill the event log's window.
    // Before the page is ready the panels are not laid out (the CSS hides
    // them while the engine loads), so the log has no height yet, and
    // asking for it would only force a style pass over the panels just
    // mounted (0.5-8 ms on the start-up path, measured): then connlab.css's
    // heights for .log bound it: 340 px while the app is at most 1380 px
    // wide (it is never wider than the window; 220 px embedded), else the
    // window's height less 150 px, at least 320 (TestLogRowsBeforeLayout).
    // The first frame after ready measures it exactly.
    logRows: function () {
      var el = root.querySelector('[data-s~="log"]');
      if (!el) return 30;
      var h = root.getAttribute("data-ready") === "true" ? el.clientHeight : 0;
      if (!h) h = window.innerWidth <= 1380 ? 340 : Math.max(320, window.innerHeight - 150);
      return Math.max(8, Math.ceil(h / 20) + 2);
    },
    // deflateRaw(bytes, 0, done) and inflateRaw(bytes, limit, done): the
    // permalinks' raw DEFLATE (RFC 1951), by the browser's own
    // CompressionStream and DecompressionStream, so the wasm carries no
    // DEFLATE code (wasm/codec.go). done(out) with a Uint8Array,
    // done(null, message) when the stream fails (data that is not
    // DEFLATE), done(null, "", true) once the output exceeds limit (> 0).
    // done is never called before the call returns (the Go side may be
    // rendering): a browser without these streams fails in a later task.
    deflateRaw: function (bytes, limit, done) {
      pump(function () { return new CompressionStream("deflate-raw"); }, bytes, limit, done);
    },
    inflateRaw: function (bytes, limit, done) {
      pump(function () { return new DecompressionStream("deflate-raw"); }, bytes, limit, done);
    },
    fatal: showFatal
  };

  function pump(newStream, bytes, limit, done) {
    var finished = false;
    function finish(out, msg, tooLarge) {
      if (finished) return;
      finished = true;
      done(out, msg, tooLarge);
    }
    var stream;
    try {
      stream = newStream();
    } catch (e) {
      var msg = "this browser cannot compress links (" + String((e && e.message) || e) + ")";
      Promise.resolve().then(function () { finish(null, msg); });
      return;
    }
    var writer = stream.writable.getWriter();
    writer.write(bytes).catch(function () {});
    writer.close().catch(function () {});
    var reader = stream.readable.getReader();
    var chunks = [], n = 0;
    function next(r) {
      if (r.done) {
        var out = new Uint8Array(n), at = 0;
        for (var i = 0; i < chunks.length; i++) {
          out.set(chunks[i], at);
          at += chunks[i].length;
        }
        finish(out);
        return;
      }
      n += r.value.length;
      if (limit > 0 && n > limit) {
        reader.cancel().catch(function () {});
        finish(null, "", true);
        return;
      }
      chunks.push(r.value);
      return reader.read().then(next);
    }
    reader.read().then(next).catch(function (e) {
      finish(null, String((e && e.message) || e));
    });
  }

  function fallbackCopy(text) {
    var ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.position = "fixed";
    ta.style.opacity = "0";
    document.body.appendChild(ta);
    ta.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(ta);
    return ok;
  }

  // showFatal: the page never goes blank. The header stays, and the boot
  // box says what went wrong and what to do (the panels, hidden until the
  // engine is ready, stay hidden: without the engine they hold nothing).
  function showFatal(title, detail) {
    var box = document.getElementById("boot");
    if (!box) return;
    var fr = root.querySelector(".skeleton");
    if (fr) fr.hidden = true; // no engine is coming: no frames to fill
    box.hidden = false;
    box.className = "boot boot-error";
    box.textContent = "";
    var h = document.createElement("strong");
    h.textContent = title;
    var p = document.createElement("p");
    p.textContent = detail;
    var a = document.createElement("button");
    a.type = "button";
    a.textContent = "Reload";
    a.onclick = function () { location.reload(); };
    box.appendChild(h);
    box.appendChild(p);
    box.appendChild(a);
  }

  window.connlab = api;

  // Dialogs (the overlays; the model opens and closes them through the
  // root's data-overlay, Esc closes them on the Go side): an open dialog
  // takes the focus, keeps it (Tab cycles inside it) and gives it back to
  // where it was when it closes.
  var focusable = "button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";
  var openedFrom = null;
  function openDialog() {
    var o = root.getAttribute("data-overlay");
    return o ? root.querySelector('.overlay[data-for="' + o + '"]') : null;
  }
  function tabbables(d) {
    var all = d.querySelectorAll(focusable), out = [];
    for (var i = 0; i < all.length; i++) if (all[i].getClientRects().length) out.push(all[i]);
    return out;
  }
  function focusInto(d) {
    var first = d.querySelector("[autofocus], input[type=search], input[type=text]") || tabbables(d)[0];
    if (first) first.focus();
  }
  new MutationObserver(function () {
    var d = openDialog();
    if (d) {
      if (!d.contains(document.activeElement)) {
        if (!openedFrom) openedFrom = document.activeElement;
        focusInto(d);
      }
    } else if (openedFrom) {
      var back = openedFrom;
      openedFrom = null;
      if (back.isConnected && back.focus) back.focus();
    }
  }).observe(root, { attributes: true, attributeFilter: ["data-overlay"] });
  // a program editor's line numbers and marked lines scroll with its text
  root.addEventListener("scroll", function (e) {
    var t = e.target;
    if (t.classList && t.classList.contains("ed-ta")) t.parentNode.style.setProperty("--st", -t.scrollTop + "px");
  }, true);

  document.addEventListener("focusin", function (e) {
    var d = openDialog();
    if (d && !d.contains(e.target)) focusInto(d);
  });

  // Lists reachable by keyboard, as Wireshark's panes: in the wire boxes
  // ↓ / ↑ select the bytes the next or previous io event moved (and so
  // that event: a click on a byte selects its event, and the current
  // event's bytes are lit); in the input log they select the next or
  // previous input. (The event log's ↓ / ↑ are the Go side's; → / ←
  // step everywhere but in a text field.)
  document.addEventListener("keydown", function (e) {
    var d = openDialog();
    if (e.key === "Tab" && d) {
      var els = tabbables(d);
      if (!els.length) return;
      var i = els.indexOf(document.activeElement);
      if (e.shiftKey && i <= 0) { e.preventDefault(); els[els.length - 1].focus(); }
      else if (!e.shiftKey && i === els.length - 1) { e.preventDefault(); els[0].focus(); }
      return;
    }
    if ((e.key !== "ArrowDown" && e.key !== "ArrowUp") || e.altKey || e.ctrlKey || e.metaKey) return;
    var t = e.target, down = e.key === "ArrowDown", pick = null;
    if (t.classList && t.classList.contains("wire-body")) {
      e.preventDefault();
      e.stopPropagation(); // not the Go side's shortcuts
      // the runs after (before) the lit ones, nearest first, until one
      // selects another event (a run of the same event, or of bytes no
      // event has moved yet, changes nothing); the click re-renders at once
      var runs = Array.prototype.slice.call(t.querySelectorAll("[data-o]"));
      var lit = t.querySelectorAll(".h[data-o]"), was = lit.length ? lit[0].getAttribute("data-o") : null;
      var i = lit.length ? runs.indexOf(lit[down ? lit.length - 1 : 0]) + (down ? 1 : -1) : (down ? 0 : runs.length - 1);
      for (; i >= 0 && i < runs.length; i += down ? 1 : -1) {
        if (runs[i].classList.contains("h")) continue;
        runs[i].click();
        var now = t.querySelector(".h[data-o]");
        if (now && now.getAttribute("data-o") !== was) break;
        runs = Array.prototype.slice.call(t.querySelectorAll("[data-o]"));
      }
      return;
    } else if (t.classList && t.classList.contains("inputs")) {
      var items = t.children, cur = t.querySelector("li.cur");
      if (!items.length) return;
      pick = cur ? (down ? cur.nextElementSibling : cur.previousElementSibling) : items[down ? 0 : items.length - 1];
    } else return;
    e.preventDefault();
    e.stopPropagation(); // not the Go side's shortcuts
    if (pick) pick.click();
  }, true);

  // mountPanels moves the panels and overlays out of their inert template
  // into the page (index.html keeps them there while the page is parsed,
  // so the parser has no form controls to set up). It runs in the first
  // idle moment while the engine streams in, or at instantiation if none
  // came: moving the nodes (adopting about a thousand of them) is then off
  // the start-up path. Mounted, they stay display: none until the engine
  // is ready (connlab.css), so nothing is styled or laid out meanwhile.
  // The Go program binds its slots to them.
  function mountPanels() {
    var t = document.getElementById("panels");
    if (t && t.content) t.replaceWith(t.content);
  }

  // Boot: load the Go program. index.html sets data-wasm to the hashed
  // file name; wasm_exec.js (from GOROOT) is loaded before this script.
  var url = root.getAttribute("data-wasm");
  if (!url) return; // a test page that boots itself
  if (window.requestIdleCallback) requestIdleCallback(function () {
    if (!document.getElementById("panels")) return; // the engine came first
    mountPanels();
    slotIndex = indexSlots(); // and bind's walk over them, done now too
  });
  if (!window.WebAssembly || typeof Go !== "function") {
    showFatal("This browser cannot run connlab.", "connlab runs hyper's HTTP/1 engine compiled to WebAssembly; this browser does not support WebAssembly (or a script was blocked).");
    return;
  }
  var go = new Go();
  var t0 = performance.now();
  function failed(err) {
    showFatal("connlab could not load its engine.", String(err && err.message || err) + " (" + url + "). Check your connection and reload.");
  }
  // index.html started compiling in its head (window.connlabWasm); a page
  // without that starts here.
  var compiled = window.connlabWasm;
  if (!compiled) {
    compiled = fetch(url).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.arrayBuffer();
    }).then(function (buf) { return WebAssembly.compile(buf); });
  }
  compiled.then(function (mod) {
    return WebAssembly.instantiate(mod, go.importObject);
  }).then(function (inst) {
    window.connlabInstantiatedAt = performance.now();
    mountPanels();
    go.run(inst).then(function () {
      if (root.getAttribute("data-ready") === "true") {
        showFatal("The engine stopped.", "The Go program exited unexpectedly. Reload to start again (a shared link keeps your session).");
      }
    });
  }, failed);
  window.connlabLoadStart = t0;
  setTimeout(function () {
    if (root.getAttribute("data-ready") !== "true" && document.getElementById("boot").className.indexOf("boot-error") < 0) {
      var n = document.getElementById("boot-msg");
      if (n) n.textContent = "still loading… (a slow connection? the engine is about 1 MB)";
    }
  }, 8000);
})();
