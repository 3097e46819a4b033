// The baseline: a JavaScript Worker that answers every request with a
// small JSON body. No WebAssembly, no Go.
export default {
  async fetch() {
    return new Response('{"ok":true}\n', {
      headers: { "content-type": "application/json" },
    });
  },
};
