// Cross-origin isolation on hosts that set no headers: registers the
// site's service worker (isolation-sw.js, which adds COOP/COEP to the
// site's responses) and reloads the page once, before the app starts.
//
// The page's loader imports this module first (scripts/finish-page.sh);
// its top-level await holds the app back until the page is isolated, or
// cannot be, or is about to reload: so no keystroke is typed into a page
// that then reloads, and nothing is saved twice.
//
// Nothing happens when the page is isolated already (`trunk serve`, a host
// that sends the headers, or the service worker at work), or when it is
// in a frame (`?embed` in another site's page needs no isolation; only the
// Stress view does). Where there is no service worker (a plain-HTTP
// address other than localhost, some private windows), or it fails, or
// takes over 4 s, the app starts anyway and everything but the Stress view
// works; that view says why it cannot run.
//
// One reload at most per browser tab: a sessionStorage mark, cleared once
// the page is isolated, stops a loop when the worker's headers do not make
// the page isolated (a browser without SharedArrayBuffer, say).

const RELOADED = 'errseq-playground:isolation-reload';
const WAIT_MS = 4000; // for the worker to be registered and take the page

function mark() {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage refused: no mark, so no reload
  }
}

/// What `promise` gives, or `fallback` after `ms`.
function within(ms, promise, fallback) {
  return Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve(fallback), ms))]);
}

/// Resolves to true once a service worker controls this page.
function controlled(container) {
  if (container.controller) return Promise.resolve(true);
  return new Promise((resolve) => container.addEventListener('controllerchange', () => resolve(true), { once: true }));
}

/// What became of isolation: 'isolated', 'framed', 'unavailable', 'failed',
/// or never resolves (the page is reloading).
async function isolate() {
  const storage = mark();
  if (window.crossOriginIsolated) {
    storage?.removeItem(RELOADED);
    return 'isolated';
  }
  if (window.top !== window) return 'framed';
  const container = navigator.serviceWorker;
  if (!container || !storage) return 'unavailable';
  if (storage.getItem(RELOADED)) return 'failed';
  const deadline = Date.now() + WAIT_MS;
  let registration;
  try {
    registration = await within(WAIT_MS, container.register(new URL('isolation-sw.js', document.baseURI)), null);
  } catch (e) {
    console.warn(`errseq playground: the isolation service worker could not be registered: ${e}`);
    return 'failed';
  }
  if (!registration) return 'failed';
  // A worker that is active already (a load that bypassed it, Shift+reload)
  // serves the reload; a new one first takes this page (clients.claim).
  if (!registration.active && !(await within(deadline - Date.now(), controlled(container), false))) return 'failed';
  storage.setItem(RELOADED, '1');
  location.reload();
  return new Promise(() => {});
}

export const isolation = await isolate();
