/*
 * Offline shell for the attendee's phone. Navigations: network first, the cached shell when offline (every SPA
 * route is the same index.html). /assets/*: cache first — their names are content hashes, so a cached file is
 * never stale. Nothing else is touched: /api, /socket.io and /yjs always go to the network.
 */
const CACHE = 'dialogue-board-shell-v1';
const SHELL = '/__shell';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'cache' || !Array.isArray(data.urls)) return;
  event.waitUntil(
    caches.open(CACHE).then(async (cache) => {
      const [page, ...assets] = data.urls.filter((u) => typeof u === 'string' && u.startsWith('/'));
      if (page) {
        const response = await fetch(page, { cache: 'no-cache' }).catch(() => undefined);
        if (response && response.ok) await cache.put(SHELL, response);
      }
      await Promise.all(
        assets.map(async (url) => {
          if (await cache.match(url)) return;
          const response = await fetch(url).catch(() => undefined);
          if (response && response.ok) await cache.put(url, response);
        }),
      );
      // Files of older builds are never requested again: keep the cache to the current page's files (chunks
      // loaded later are cached again as they are fetched).
      const keep = new Set(assets.map((u) => new URL(u, self.location.origin).href));
      for (const request of await cache.keys()) {
        const url = new URL(request.url);
        if (url.pathname.startsWith('/assets/') && !keep.has(url.href)) await cache.delete(request);
      }
    }),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.mode === 'navigate') {
    if (/^\/(api|socket\.io|yjs|healthz)(\/|$)/.test(url.pathname)) return;
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(SHELL, copy));
          }
          return response;
        })
        .catch(() =>
          caches
            .open(CACHE)
            .then((cache) => cache.match(SHELL))
            .then((r) => r || Response.error()),
        ),
    );
    return;
  }

  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(
      caches.open(CACHE).then(async (cache) => {
        const hit = await cache.match(request);
        if (hit) return hit;
        const response = await fetch(request);
        if (response.ok) cache.put(request, response.clone());
        return response;
      }),
    );
  }
});
