/*
 * The approval window's service worker, served at /sw.js with scope /. The build
 * (`serviceWorkerPlugin` in desktop/window.vite.config.ts) fills in the shell's files and
 * a version from their names; this file is never loaded as it stands.
 *
 * - Precaches the app shell (index.html and Vite's hashed files), so with the hub down the
 *   installed app still opens and says "Hub unreachable — retrying".
 * - Navigations go to the network first and fall back to the cached shell when nothing
 *   answers or the proxy answers 5xx (the hub behind it is down).
 * - Never touches /api/ or /socket.io/: requests, decisions and credentials are never cached.
 * - Web Push: a payload `{title, body, url, tag}` (no request content, ever) becomes a
 *   notification; a click focuses the app or opens `url` on this origin.
 */
const SHELL = /* SHELL */ [];
const VERSION = '/* VERSION */';
const CACHE = `signoff-shell-${VERSION}`;
const NEVER = ['/api/', '/socket.io/'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('signoff-shell-') && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || NEVER.some((prefix) => url.pathname.startsWith(prefix))) return;
  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request)
        .then((response) => (response.status >= 500 ? cachedShell().then((shell) => shell ?? response) : response))
        .catch(() => cachedShell().then((shell) => shell ?? Response.error())),
    );
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.open(CACHE).then((cache) => cache.match(url.pathname)).then((hit) => hit ?? fetch(request)));
  }
});

/** The precached index.html (with the CSP it was served with). */
function cachedShell() {
  return caches.open(CACHE).then((cache) => cache.match('/'));
}

/** A path on this origin from a push payload's `url`, or `/`: a notification never opens anything else. */
function ownUrl(value) {
  try {
    const url = new URL(typeof value === 'string' ? value : '/', self.location.origin);
    return url.origin === self.location.origin ? url.href : new URL('/', self.location.origin).href;
  } catch {
    return new URL('/', self.location.origin).href;
  }
}

const text = (value, max) => (typeof value === 'string' ? value.slice(0, max) : '');

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = {};
  }
  if (typeof data !== 'object' || data === null) data = {};
  const tag = text(data.tag, 64);
  event.waitUntil(
    self.registration.showNotification(text(data.title, 120) || 'Signoff', {
      body: text(data.body, 240),
      icon: '/icon-192.png',
      data: { url: ownUrl(data.url) },
      ...(tag ? { tag } : {}),
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = ownUrl(event.notification.data && event.notification.data.url);
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((clients) => {
      const open = clients.find((client) => new URL(client.url).origin === self.location.origin);
      if (!open) return self.clients.openWindow(url);
      return open.focus().then((client) => (client.url === url || !('navigate' in client) ? client : client.navigate(url)));
    }),
  );
});
