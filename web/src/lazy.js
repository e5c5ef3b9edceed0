// Modules the page loads after its first render.
//
// Loads the Stress view's module the first time its tab opens, and mounts
// it into `root` with the scenario's text; resolves to the view's handle
// (its setScenario(text) hands it later texts). The module sits beside
// the page (Trunk builds it, with an unhashed name); import() keeps it out
// of the first load.
export async function mountStressView(root, text) {
  const js = new URL('errseq-stress-view.js', document.baseURI);
  const module = await import(js.href);
  await module.default({ module_or_path: new URL('errseq-stress-view_bg.wasm', document.baseURI) });
  return module.mount(root, text);
}

// The deferred module (web/deferred): imported once, right after the
// page's first render; resolves to the module, its exports ready to call.
let deferred = null;
let attempts = 0;
export function loadDeferred() {
  if (!deferred) {
    // A browser keeps a failed import's failure for the page's life, so a
    // second attempt asks under another URL.
    const again = attempts++ > 0 ? `?attempt=${attempts}` : '';
    deferred = (async () => {
      const js = new URL(`errseq-web-deferred.js${again}`, document.baseURI);
      const module = await import(js.href);
      await module.default({ module_or_path: new URL('errseq-web-deferred_bg.wasm', document.baseURI) });
      return module;
    })();
    // A failed load (the network) is tried again by the next caller.
    deferred.catch(() => { deferred = null; });
  }
  return deferred;
}
