// Tests of edge.mjs, run in Node by edge_test.go (TestEdgeShim):
//
//   node edge_test.mjs DIR SCENARIOS
//
// DIR holds edge.mjs, wasm_exec.js, app.wasm (the Worker) and faulty.wasm
// (testdata/faulty); SCENARIOS is engine/session/testdata/scenarios. Node
// has the Fetch API's Request, Response and Headers, as workerd has.
// Prints "ok NAME" or "FAIL NAME: why" per test; exits 1 if any failed.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const [dir, scenarioDir] = process.argv.slice(2);
const { createEdge } = await import(join(dir, "edge.mjs"));
const app = new WebAssembly.Module(readFileSync(join(dir, "app.wasm")));
const faulty = new WebAssembly.Module(readFileSync(join(dir, "faulty.wasm")));

// the scenarios the API takes (at most 64 KiB), by name
const scenarios = readdirSync(scenarioDir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => ({ name: f, body: readFileSync(join(scenarioDir, f)) }))
  .filter((s) => s.body.length <= 64 << 10);

// slowBody is a request body that arrives in chunks of n bytes, each after
// a turn of the event loop, so requests reading such bodies interleave.
function slowBody(bytes, n = 512) {
  let at = 0;
  return new ReadableStream({
    async pull(controller) {
      await sleep(0);
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, at + n));
      at += n;
    },
  });
}

// post is a POST of body: whole, with its Content-Length (as workerd's
// Request for a request that had one), or slow and chunked.
function post(path, body, slow = false) {
  return new Request("http://edge.test" + path, {
    method: "POST",
    headers: slow ? {} : { "content-length": String(body.length) },
    body: slow ? slowBody(body) : body,
    duplex: "half",
  });
}

async function text(res) {
  return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
}

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

// What each request answers from an instance of its own: the reference the
// reused instance is held to.
const fresh = new Map();
async function freshAnswer(path, s) {
  const key = path + " " + s.name;
  if (!fresh.has(key)) fresh.set(key, await text(await createEdge(app).fetch(post(path, s.body), {})));
  return fresh.get(key);
}
const paths = ["/api/run", "/api/run?events=1", "/api/run?text=1"];

test("one instance serves every request", async () => {
  const edge = createEdge(app);
  for (let i = 0; i < 20; i++) {
    const res = await edge.fetch(post("/api/run", scenarios[0].body), {});
    assert.equal(res.status, 200);
    await res.text();
  }
  assert.deepEqual([edge.stats().started, edge.stats().requests], [1, 20]);
});

test("consecutive requests on one instance answer as on a fresh one", async () => {
  const edge = createEdge(app);
  // every scenario twice, in two orders, each path
  const order = [...scenarios, ...scenarios.slice().reverse()];
  for (const path of paths) {
    for (const s of order) {
      const got = await text(await edge.fetch(post(path, s.body), {}));
      assert.deepEqual(got, await freshAnswer(path, s), `${path} ${s.name}`);
    }
  }
  assert.equal(edge.stats().started, 1);
});

test("interleaved requests on one instance answer as on a fresh one", async () => {
  const edge = createEdge(app);
  // every scenario at once, bodies arriving in chunks, with bad requests
  // among them
  const bad = { name: "bad", body: Buffer.from('{"version": 1, "handler": "nope"}') };
  const all = [...scenarios, bad, ...scenarios.slice(0, 10), bad];
  const got = await Promise.all(all.map(async (s, i) => text(await edge.fetch(post(paths[i % 3], s.body, true), {}))));
  for (const [i, s] of all.entries()) {
    assert.deepEqual(got[i], await freshAnswer(paths[i % 3], s), `${paths[i % 3]} ${s.name}`);
  }
  assert.equal(got[scenarios.length].status, 400);
  assert.equal(edge.stats().started, 1);
});

// the faulty program's requests
const get = (edge, path, env = {}) => edge.fetch(new Request("http://edge.test" + path), env).then(text);

test("an instance keeps its state between requests (faulty /count)", async () => {
  const edge = createEdge(faulty);
  assert.equal((await get(edge, "/count")).body, "1");
  assert.equal((await get(edge, "/count")).body, "2");
  assert.equal(edge.stats().started, 1);
});

for (const [path, what] of [
  ["/panic", "a panic"],
  ["/exit", "os.Exit"],
  ["/fatal", "a fatal error"],
]) {
  test(`${what} answers a JSON 500 and the next request gets a new instance`, async () => {
    const edge = createEdge(faulty);
    assert.equal((await get(edge, "/count")).body, "1");
    const res = await edge.fetch(new Request("http://edge.test" + path), {});
    assert.equal(res.status, 500);
    assert.equal(res.headers.get("x-faulty"), "1");
    assert.equal(res.headers.get("content-type"), "application/json");
    const e = JSON.parse(await res.text());
    assert.equal(e.error.code, "internal");
    assert.match(e.error.message, /^internal error: /);
    assert.equal((await get(edge, "/count")).body, "1", "the state of the instance that failed is gone");
    assert.equal((await get(edge, "/count")).body, "2");
    assert.equal(edge.stats().started, 2);
  });
}

test("an instance that outgrew maxMemory is replaced after its request", async () => {
  const edge = createEdge(faulty, { maxMemory: 48 << 20 });
  assert.equal((await get(edge, "/grow?mb=1")).status, 200);
  assert.equal((await get(edge, "/count")).body, "2", "1 MiB more: kept");
  const big = await get(edge, "/grow?mb=64");
  assert.equal(big.status, 200, "the request that grew it is answered");
  assert.equal((await get(edge, "/count")).body, "1", "then it is replaced");
  assert.equal(edge.stats().started, 2);
});

test("a request waiting for its body when its instance stops runs on the next", async () => {
  const edge = createEdge(faulty);
  assert.equal((await get(edge, "/count")).body, "1");
  const waiting = edge.fetch(post("/count", Buffer.alloc(4096), true), {}).then(text);
  const exit = await get(edge, "/exit");
  assert.equal(exit.status, 500);
  const ran = await waiting;
  assert.deepEqual([ran.status, ran.body], [200, "1"]);
  assert.equal(edge.stats().started, 2);
});

test("bodies: read whole, cut at the handler's read limit", async () => {
  const edge = createEdge(faulty); // BodyLimit 1000
  const small = Buffer.from("x".repeat(300));
  let res = await edge.fetch(post("/echo", small), {});
  assert.equal(res.headers.get("x-content-length"), "300");
  assert.equal(await res.text(), small.toString());
  const large = Buffer.from("y".repeat(5000));
  res = await edge.fetch(post("/echo", large, true), {});
  assert.equal(res.headers.get("x-content-length"), "-1", "chunked: no Content-Length");
  assert.equal((await res.text()).length, 1024, "read to the first chunk at or past the limit");
  res = await edge.fetch(new Request("http://edge.test/echo"), {});
  assert.deepEqual([res.headers.get("x-content-length"), await res.text()], ["0", ""]);
});

test("a body whose reading fails: the handler reads what came, then the error", async () => {
  const failing = (first) =>
    new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(first));
      },
      pull(controller) {
        controller.error(new Error("the client went away"));
      },
    });
  const req = (path, first, length) =>
    new Request("http://edge.test" + path, {
      method: "POST",
      headers: length ? { "content-length": String(length) } : {},
      body: failing(first),
      duplex: "half",
    });
  let res = await createEdge(faulty).fetch(req("/echo", "abc"), {});
  assert.deepEqual([res.status, await res.text()], [200, "abc"]);
  const edge = createEdge(app);
  res = await edge.fetch(req("/api/run", "{"), {});
  assert.equal(res.status, 400);
  const e = JSON.parse(await res.text());
  assert.equal(e.error.code, "body_read");
  assert.match(e.error.message, /^reading the request body: JavaScript error on read: .*the client went away/);
  // with a Content-Length the body is read in one call: the same answer
  res = await edge.fetch(req("/api/run", "{", 100), {});
  const e2 = JSON.parse(await res.text());
  assert.deepEqual([res.status, e2.error.code], [400, "body_read"]);
  assert.match(e2.error.message, /^reading the request body: JavaScript error on read: .*the client went away/);
  assert.equal(edge.stats().started, 1, "the instance is kept");
});

test("CONNLAB_EDGE_FRESH=1 starts an instance per request", async () => {
  const edge = createEdge(faulty);
  const env = { CONNLAB_EDGE_FRESH: "1" };
  assert.equal((await get(edge, "/count", env)).body, "1");
  assert.equal((await get(edge, "/count", env)).body, "1");
  assert.equal(edge.stats().started, 2);
});

test("the Worker's CONNLAB_* vars are the Go program's environment", async () => {
  const edge = createEdge(app);
  const res = await edge.fetch(post("/api/run", scenarios[0].body), { CONNLAB_SERVER_TIMING: "1", OTHER: "x" });
  await res.text();
  assert.match(res.headers.get("server-timing"), /^body;dur=[0-9.]+, instantiate;dur=[0-9.]+, gostart;dur=[0-9.]+, instance;desc="1 1", go;dur=[0-9.]+, read;dur=[0-9.]+, parse;dur=[0-9.]+, engine;dur=[0-9.]+, json;dur=[0-9.]+, total;dur=[0-9.]+$/);
  const plain = await createEdge(app).fetch(post("/api/run", scenarios[0].body), {});
  assert.equal(plain.headers.get("server-timing"), null);
});

let failed = 0;
for (const { name, fn } of tests) {
  try {
    await fn();
    console.log(`ok ${name}`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${name}: ${err.stack ?? err}`);
  }
}
process.exit(failed ? 1 : 0);
