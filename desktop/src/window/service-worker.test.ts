import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { serviceWorkerSource } from './service-worker-build.js';

const ORIGIN = 'https://signoff.test:8443';
const SHELL = ['/', '/assets/index-B3xq9kPz.js'];
const source = serviceWorkerSource(readFileSync(new URL('./service-worker.js', import.meta.url), 'utf8'), SHELL, 'v1');

type Listener = (event: Record<string, unknown>) => void;

/** sw.js in a sandbox with stand-ins for what a browser gives a worker: caches, fetch, clients, the registration. */
function loadWorker(network: (url: string) => Promise<Response>) {
  const listeners = new Map<string, Listener>();
  const cached = new Map<string, Response>([['/', new Response('<shell>', { status: 200 })]]);
  const shown: { title: string; options: Record<string, unknown> }[] = [];
  const opened: string[] = [];
  const windows: { url: string; focused: boolean; navigatedTo?: string }[] = [];
  const cache = { match: (path: string) => Promise.resolve(cached.get(path)?.clone()), addAll: () => Promise.resolve() };
  const self = {
    location: new URL(`${ORIGIN}/sw.js`),
    addEventListener: (type: string, listener: Listener) => listeners.set(type, listener),
    skipWaiting: () => Promise.resolve(),
    registration: { showNotification: (title: string, options: Record<string, unknown>) => Promise.resolve(void shown.push({ title, options })) },
    clients: {
      claim: () => Promise.resolve(),
      matchAll: () =>
        Promise.resolve(
          windows.map((w) => ({
            url: w.url,
            focus: () => {
              w.focused = true;
              const navigate = (to: string) => {
                w.navigatedTo = to;
                return Promise.resolve();
              };
              return Promise.resolve({ url: w.url, navigate });
            },
          })),
        ),
      openWindow: (url: string) => Promise.resolve(void opened.push(url)),
    },
  };
  runInNewContext(source, { self, caches: { open: () => Promise.resolve(cache), keys: () => Promise.resolve([]) }, fetch: (r: { url: string }) => network(r.url), URL, Response, Promise });

  /** Dispatches a fetch; resolves with what the worker answered, or null when it let the browser handle it. */
  const fetchEvent = async (path: string, mode = 'cors', method = 'GET'): Promise<Response | null> => {
    let answered: Promise<Response> | null = null;
    listeners.get('fetch')!({ request: { url: `${ORIGIN}${path}`, method, mode }, respondWith: (p: Promise<Response>) => (answered = p) });
    return answered;
  };
  const waitFor = async (type: string, event: Record<string, unknown>) => {
    let done: Promise<unknown> = Promise.resolve();
    listeners.get(type)!({ ...event, waitUntil: (p: Promise<unknown>) => (done = p) });
    await done;
  };
  return { fetchEvent, waitFor, shown, opened, windows };
}

const down = () => Promise.reject(new TypeError('Failed to fetch'));

describe('the service worker', () => {
  it('never answers for the API or the socket, nor for other origins or non-GET requests', async () => {
    const worker = loadWorker(down);
    expect(await worker.fetchEvent('/api/v1/health')).toBeNull();
    expect(await worker.fetchEvent('/socket.io/?EIO=4&transport=websocket')).toBeNull();
    expect(await worker.fetchEvent('/api/v1/pair', 'cors', 'POST')).toBeNull();
    expect(await worker.fetchEvent('/elsewhere.js')).toBeNull();
  });

  it('goes to the network first for a navigation, and falls back to the cached shell when nothing answers or the proxy answers 5xx', async () => {
    const live = loadWorker(() => Promise.resolve(new Response('<live>', { status: 200 })));
    expect(await (await live.fetchEvent('/?request=r1', 'navigate'))!.text()).toBe('<live>');
    const offline = loadWorker(down);
    expect(await (await offline.fetchEvent('/', 'navigate'))!.text()).toBe('<shell>');
    const badGateway = loadWorker(() => Promise.resolve(new Response('Bad Gateway', { status: 502 })));
    expect(await (await badGateway.fetchEvent('/', 'navigate'))!.text()).toBe('<shell>');
    // A 404 is the hub's answer, not an outage: passed on.
    const missing = loadWorker(() => Promise.resolve(new Response('Not found', { status: 404 })));
    expect((await missing.fetchEvent('/', 'navigate'))!.status).toBe(404);
  });

  it('shows a push as a notification with bounded text and a link on its own origin only', async () => {
    const worker = loadWorker(down);
    const push = (data: unknown) => worker.waitFor('push', { data: { json: () => data } });
    await push({ title: 'Signoff: 2 waiting', body: '1 high', url: '/?request=r1', tag: 'queue' });
    await push({ title: 'x'.repeat(500), body: 'y'.repeat(1000), url: 'https://evil.example/phish', tag: 7 });
    await worker.waitFor('push', { data: { json: () => JSON.parse('not json') } });
    expect(worker.shown).toEqual([
      { title: 'Signoff: 2 waiting', options: { body: '1 high', icon: '/icon-192.png', data: { url: `${ORIGIN}/?request=r1` }, tag: 'queue' } },
      { title: 'x'.repeat(120), options: { body: 'y'.repeat(240), icon: '/icon-192.png', data: { url: `${ORIGIN}/` } } },
      { title: 'Signoff', options: { body: '', icon: '/icon-192.png', data: { url: `${ORIGIN}/` } } },
    ]);
  });

  it('opens the app on a click, or focuses an open window and takes it to the link', async () => {
    const closed: string[] = [];
    const click = (url: unknown) => ({ notification: { data: { url }, close: () => void closed.push('closed') } });
    const none = loadWorker(down);
    await none.waitFor('notificationclick', click(`${ORIGIN}/?request=r1`));
    expect(none.opened).toEqual([`${ORIGIN}/?request=r1`]);

    const open = loadWorker(down);
    open.windows.push({ url: `${ORIGIN}/`, focused: false });
    await open.waitFor('notificationclick', click('https://evil.example/'));
    expect(open.windows[0]).toMatchObject({ focused: true });
    expect(open.windows[0]!.navigatedTo).toBeUndefined();
    await open.waitFor('notificationclick', click(`${ORIGIN}/?request=r2`));
    expect(open.windows[0]!.navigatedTo).toBe(`${ORIGIN}/?request=r2`);
    expect(open.opened).toEqual([]);
    expect(closed).toHaveLength(3);
  });
});
