// The site's service worker: makes the page cross-origin isolated where
// its server sets no headers (GitHub Pages, a documentation host,
// `python3 -m http.server`).
//
// A page gets SharedArrayBuffer, which the Stress view's workers share,
// only when its response carries Cross-Origin-Opener-Policy: same-origin
// and Cross-Origin-Embedder-Policy: require-corp (`trunk serve` sends
// them, Trunk.toml). A service worker may answer the page's requests with
// responses of its own making, so this one fetches each request of the
// site's own origin as the browser would and hands the response back with
// those headers added, and Cross-Origin-Resource-Policy: same-origin (what
// require-corp asks of every resource; the site loads only its own).
// Requests to any other origin are left to the browser: the site makes
// none (its Content-Security-Policy allows only 'self').
//
// It caches nothing, so the site is always what the server has. The page
// registers it and reloads once (isolation.js).
'use strict';

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

// Take over at once, and take the open pages (they reload to use it).
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (new URL(request.url).origin !== self.location.origin) return;
  // A request the browser may only answer from its cache cannot be fetched again.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(fetch(request).then(isolated));
});

/// The response with the isolation headers it lacks. Redirects a page
/// follows itself (opaque) pass as they are.
function isolated(response) {
  if (response.type === 'opaqueredirect' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION)) {
    if (!headers.has(name)) headers.set(name, value);
  }
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
