// The Worker's entry point in workerd (wrangler.toml's main, as
// build/worker/worker.mjs): app.wasm, the Go program of site/cmd/worker,
// comes in as a WebAssembly.Module (compiled once per isolate, by the
// platform), and edge.mjs serves every request with one instance of it.
import module from "./app.wasm";
import { createEdge } from "./edge.mjs";

const edge = createEdge(module);

export default {
  fetch: edge.fetch,
};
