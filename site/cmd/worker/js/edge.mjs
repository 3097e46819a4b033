// connlab's Worker shim: one Go instance (site/cmd/worker, js/wasm) serves
// request after request, where github.com/syumai/workers' shim starts a
// new one for every request (about 10 ms in workerd: instantiating the
// module, starting the Go runtime, every package's init).
//
// Safety, which reuse has to keep:
//   - Requests never share a call into Go. A request's body is read here,
//     in JavaScript, before the call; the call (internal/edge's serve) is
//     synchronous and returns the whole response, so requests the isolate
//     interleaves while awaiting their bodies enter Go one at a time. The
//     API keeps no state between requests (each run is a new session).
//   - An instance that panicked (its 500), stopped (os.Exit, a fatal error,
//     a trap: the call throws) or whose memory grew past MAX_MEMORY is
//     retired: the next request starts a fresh one. The request that was
//     in the call when the instance stopped gets the API's JSON 500.
//
// wasm_exec.js (Go's, from $(go env GOROOT)/lib/wasm) defines globalThis.Go.
import "./wasm_exec.js";

// MAX_MEMORY is the linear memory past which an instance is retired after
// its request. Go's heap never gives memory back to WebAssembly, and a
// Worker's isolate has 128 MB; an instance that grew serving a large trace
// would keep that size for every later request.
export const MAX_MEMORY = 64 << 20;

// null-body statuses: a Response with one of these has no body
const NULL_BODY = new Set([101, 204, 205, 304]);

// createEdge returns the Worker ({fetch}) for a compiled Go module.
// options.maxMemory overrides MAX_MEMORY (tests).
//
// env.CONNLAB_EDGE_FRESH = "1" (make bench-worker) starts an instance for
// every request, as syumai/workers' shim does, to measure what reuse saves.
export function createEdge(module, options = {}) {
  const maxMemory = options.maxMemory ?? MAX_MEMORY;
  let current = null; // the live instance, or null
  let started = 0; // instances started, for the tests and the timing

  // start instantiates the module and runs the Go program until it has
  // registered its serve function (synchronously: main runs until it
  // blocks). env's CONNLAB_* strings become the program's environment.
  function start(env) {
    const go = new Go();
    go.env = {};
    for (const [k, v] of Object.entries(env ?? {})) {
      if (k.startsWith("CONNLAB_") && typeof v === "string") go.env[k] = v;
    }
    let registered = null;
    const t0 = performance.now();
    const instance = new WebAssembly.Instance(module, go.importObject);
    const t1 = performance.now();
    globalThis.__connlabEdge = (serve, info) => {
      registered = { serve, info };
    };
    const inst = { go, instance, retired: false, requests: 0, instantiateMS: t1 - t0, startMS: 0 };
    try {
      go.run(instance).then(
        () => retire(inst), // the program exited (os.Exit)
        () => retire(inst),
      );
    } finally {
      delete globalThis.__connlabEdge;
    }
    inst.startMS = performance.now() - t1;
    if (registered === null) {
      throw new Error("the Worker's Go program did not register (it stopped before edge.Serve)");
    }
    inst.serve = registered.serve;
    inst.bodyLimit = registered.info.bodyLimit;
    inst.crash = registered.info.crash;
    inst.serial = ++started;
    return inst;
  }

  function retire(inst) {
    inst.retired = true;
    if (current === inst) current = null;
  }

  function live(env) {
    if (current === null || current.retired || current.go.exited) {
      current = start(env);
      return [current, true];
    }
    return [current, false];
  }

  async function fetch(request, env) {
    const entry = performance.now();
    let [inst, fresh] = live(env);
    const t0 = performance.now();
    const { body, error } = await readBody(request, inst.bodyLimit);
    const t1 = performance.now();
    // another request may have retired the instance while this one waited
    if (inst.retired || inst.go.exited) {
      [inst, fresh] = live(env);
    }
    const lines = [];
    for (const [name, value] of request.headers) lines.push(name, value);
    const headers = lines.join("\n");
    let out;
    try {
      out = inst.serve(request.method, request.url, headers, body, error);
      // os.Exit inside the call returns to here with no result
      if (inst.go.exited || out == null) throw new Error("the Go program exited");
    } catch (err) {
      retire(inst);
      console.error(`connlab worker: the Go instance stopped during ${request.method} ${request.url}: ${err}`);
      return toResponse(inst.crash);
    }
    const t2 = performance.now();
    inst.requests++;
    const perRequest = env?.CONNLAB_EDGE_FRESH === "1";
    if (out.retire || perRequest || inst.instance.exports.mem.buffer.byteLength > maxMemory) {
      retire(inst);
    }
    const res = toResponse(out);
    if (typeof out.timing === "string") {
      const ms = (x) => x.toFixed(3);
      const parts = [
        `body;dur=${ms(t1 - t0)}`,
        `instantiate;dur=${ms(fresh ? inst.instantiateMS : 0)}`,
        `gostart;dur=${ms(fresh ? inst.startMS : 0)}`,
        `instance;desc="${inst.serial} ${inst.requests}"`,
        `go;dur=${ms(t2 - t1)}`,
      ];
      if (out.timing !== "") parts.push(out.timing);
      parts.push(`total;dur=${ms(performance.now() - entry)}`);
      res.headers.set("Server-Timing", parts.join(", "));
    }
    return res;
  }

  return {
    fetch,
    // for the tests: how many instances have started, and the live one's
    // request count and memory
    stats() {
      return {
        started,
        requests: current?.requests ?? 0,
        memory: current?.instance.exports.mem.buffer.byteLength ?? 0,
      };
    },
  };
}

// readBody reads a request's body (a ReadableStream, or null) into one
// Uint8Array, at most limit bytes: past that it cancels the stream. The
// handler reads no more than limit (api.Options.BodyReadLimit), so what it
// sees is the same as reading the stream itself. If reading fails (the
// client went away), error says why and body holds what came before it,
// which is what the handler would have read before the same error.
//
// A body with a Content-Length within the limit is read in one call
// (arrayBuffer, no promise per chunk); if that fails, the handler reads no
// bytes, then the error, and answers as it would have after some.
async function readBody(request, limit) {
  const stream = request.body;
  if (stream === null) return { body: null, error: null };
  const length = request.headers.get("content-length");
  if (length !== null && /^[0-9]{1,15}$/.test(length) && Number(length) <= limit) {
    try {
      return { body: new Uint8Array(await request.arrayBuffer()), error: null };
    } catch (err) {
      return { body: new Uint8Array(0), error: `JavaScript error on read: ${err}` };
    }
  }
  const reader = stream.getReader();
  const chunks = [];
  let n = 0;
  let error = null;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      n += value.byteLength;
      if (n >= limit) {
        await reader.cancel();
        break;
      }
    }
  } catch (err) {
    error = `JavaScript error on read: ${err}`;
  }
  if (chunks.length === 1) return { body: chunks[0], error };
  const body = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return { body, error };
}

// toResponse is serve's result as a Response.
function toResponse(out) {
  const headers = new Headers();
  const lines = out.headers === "" ? [] : out.headers.split("\n");
  for (let i = 0; i + 1 < lines.length; i += 2) headers.append(lines[i], lines[i + 1]);
  const body = NULL_BODY.has(out.status) ? null : out.body;
  return new Response(body, { status: out.status, statusText: out.statusText, headers });
}
