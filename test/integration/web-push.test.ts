import { execFileSync } from 'node:child_process';
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify, type ECDH } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@signoff/shared';
import { keyCredential } from '@signoff/shared/approver';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HubConnection } from '../../desktop/src/window/hub-connection.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { RestClient } from '../support/rest-client.js';
import { waitUntil } from '../support/wait-until.js';

/*
 * Web Push against a stand-in push service: an HTTPS server with its own certificate for a
 * name only this test resolves (the hub reaches it through `pushAgent`; its endpoint check is
 * the production one). It verifies the VAPID JWT with node:crypto and decrypts the
 * aes128gcm body (RFC 8291) itself, as a browser would.
 */

const PUSH_NAME = 'push.signoff.test';
const PUBLIC_URL = 'https://signoff.test';
/** In every request's title, body and arguments; must never reach a push. */
const SECRET = 'hunter2-DB-PASSWORD-7f3a';

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A browser's side of one subscription: its ECDH key pair and auth secret. */
interface Browser {
  path: string;
  ecdh: ECDH;
  auth: Buffer;
  subscription: { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } };
}

let certDir: string;
let service: Server;
let servicePort: number;
let agent: Agent;
const received: Received[] = [];
/** Status the stand-in answers per path (201 otherwise). */
const statusFor = new Map<string, number>();
/** Paths whose pushes the stand-in holds unanswered until the test releases them (a slow push service). */
const holding = new Set<string>();
const held: (() => void)[] = [];

beforeAll(async () => {
  certDir = mkdtempSync(join(tmpdir(), 'signoff-push-cert-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem'), '-days', '1',
    '-subj', `/CN=${PUSH_NAME}`, '-addext', `subjectAltName=DNS:${PUSH_NAME}`,
  ], { stdio: 'ignore' });
  const cert = readFileSync(join(certDir, 'cert.pem'));
  service = createServer({ key: readFileSync(join(certDir, 'key.pem')), cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      const answer = () => res.writeHead(statusFor.get(req.url ?? '') ?? 201).end();
      if (holding.has(req.url ?? '')) held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
  servicePort = (service.address() as AddressInfo).port;
  agent = new Agent({
    ca: cert,
    lookup: (hostname, options, callback) => {
      if (hostname !== PUSH_NAME) return dnsLookup(hostname, options, callback);
      if (options.all) (callback as (error: null, addresses: LookupAddress[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
      else callback(null, '127.0.0.1', 4);
    },
  });
});

afterAll(async () => {
  agent?.destroy();
  await new Promise((resolve) => service?.close(resolve));
  rmSync(certDir, { recursive: true, force: true });
});

let hub: TestHub;
let warnings: string[];
afterEach(async () => {
  await hub?.dispose();
  received.length = 0;
  statusFor.clear();
  holding.clear();
  for (const answer of held.splice(0)) answer();
});

async function start(options: { publicUrl?: string; settings?: object } = {}): Promise<{ approver: RestClient; agentRest: RestClient }> {
  warnings = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'signoff-push-'));
  if (options.settings) writeFileSync(join(dataDir, 'tray-settings.json'), JSON.stringify(options.settings));
  const logger = createLogger('hub', { log: () => {}, warn: (...args: unknown[]) => void warnings.push(args.join(' ')), error: () => {} });
  hub = await startTestHub({ dataDir, pushAgent: agent, logger, ...('publicUrl' in options ? { publicUrl: options.publicUrl } : { publicUrl: PUBLIC_URL }) });
  const rest = new RestClient(hub.url);
  return { approver: rest.as(await hub.pairApprover('phone')), agentRest: rest.as(hub.agentToken) };
}

let browsers = 0;
function browser(): Browser {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  const path = `/wpush/v2/${(browsers += 1)}-${randomBytes(8).toString('hex')}`;
  return {
    path,
    ecdh,
    auth,
    subscription: {
      endpoint: `https://${PUSH_NAME}:${servicePort}${path}`,
      expirationTime: null,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
    },
  };
}

async function subscribe(approver: RestClient, b: Browser): Promise<void> {
  const reply = await approver.post('/push/subscriptions', { subscription: b.subscription });
  expect(reply.status).toBe(201);
}

/** A request whose every agent-written field holds {@link SECRET}. */
async function ask(agentRest: RestClient, severity: 'low' | 'medium' | 'high' | 'critical'): Promise<string> {
  const reply = await agentRest.post('/requests', {
    kind: 'approval',
    title: `Rotate ${SECRET}`,
    body: `The password is ${SECRET}`,
    severity,
    agentId: `agent-${SECRET}`,
    action: { name: 'db.rotate', args: { password: SECRET } },
    context: { secret: SECRET },
  });
  expect(reply.status).toBe(201);
  return (reply.body as { id: string }).id;
}

/** RFC 8292: `vapid t=JWT, k=KEY`, the JWT signed ES256 by KEY, for this endpoint's origin, unexpired, with a contact. */
function checkVapid(authorization: string | undefined, hubKey: string): Record<string, unknown> {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(authorization ?? '');
  expect(match, `Authorization: ${authorization}`).not.toBeNull();
  const [, jwt, k] = match!;
  expect(k).toBe(hubKey);
  const raw = Buffer.from(k!, 'base64url');
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33, 65).toString('base64url') },
    format: 'jwk',
  });
  const [header, claims, signature] = jwt!.split('.') as [string, string, string];
  expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({ alg: 'ES256' });
  expect(verify('sha256', Buffer.from(`${header}.${claims}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'))).toBe(true);
  const payload = JSON.parse(Buffer.from(claims, 'base64url').toString()) as { aud: string; exp: number; sub: string };
  expect(payload.aud).toBe(`https://${PUSH_NAME}:${servicePort}`);
  expect(payload.exp).toBeGreaterThan(Date.now() / 1000);
  expect(payload.sub).toMatch(/^(https:|mailto:)/);
  return payload;
}

/** RFC 8291 aes128gcm, decrypted with the browser's private key and auth secret. */
function decrypt(b: Browser, body: Buffer): unknown {
  const salt = body.subarray(0, 16);
  const idlen = body[20]!;
  const serverKey = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  const secret = b.ecdh.computeSecret(serverKey);
  const info = Buffer.concat([Buffer.from('WebPush: info\0'), b.ecdh.getPublicKey(), serverKey]);
  const ikm = Buffer.from(hkdfSync('sha256', secret, b.auth, info, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  // The last record ends with a 0x02 delimiter, then zero padding.
  const end = padded.lastIndexOf(2);
  return JSON.parse(padded.subarray(0, end).toString('utf8'));
}

function pushesTo(b: Browser): Received[] {
  return received.filter((r) => r.path === b.path);
}

describe('Web Push to a subscribed phone', () => {
  it('sends a critical request as counts, severity and a link, signed with the hub’s VAPID key, with none of the request’s content', async () => {
    const { approver, agentRest } = await start();
    const { body: key } = await approver.get('/push/key');
    expect(key).toEqual({ publicKey: expect.stringMatching(/^B[\w-]{86}$/), sending: true });
    const phone = browser();
    await subscribe(approver, phone);

    const id = await ask(agentRest, 'critical');
    const [push] = await waitUntil(() => (pushesTo(phone).length > 0 ? pushesTo(phone) : null), 'a push');
    checkVapid(push!.headers.authorization as string, key.publicKey as string);
    expect(push!.headers['content-encoding']).toBe('aes128gcm');
    expect(push!.headers.urgency).toBe('high');
    expect(Number(push!.headers.ttl)).toBeGreaterThan(0);
    expect(push!.body.toString('latin1')).not.toContain(SECRET);
    const payload = decrypt(phone, push!.body);
    expect(payload).toEqual({
      title: 'Signoff: a critical request',
      body: '1 waiting in all. Open Signoff to see it.',
      url: `${PUBLIC_URL}/#request=${id}`,
      tag: 'signoff',
      count: 1,
      critical: 1,
      waiting: 1,
      severity: 'critical',
    });
    expect(JSON.stringify(payload)).not.toContain(SECRET);
    expect(JSON.stringify(payload)).not.toContain('db.rotate');
  });

  it('sends nothing for a low request under the default policy (only the critical one after it arrives)', async () => {
    const { approver, agentRest } = await start();
    const phone = browser();
    await subscribe(approver, phone);
    await ask(agentRest, 'low');
    await ask(agentRest, 'medium');
    const critical = await ask(agentRest, 'critical');
    const pushes = await waitUntil(() => (pushesTo(phone).length > 0 ? pushesTo(phone) : null), 'a push');
    expect(pushes).toHaveLength(1);
    expect(decrypt(phone, pushes[0]!.body)).toMatchObject({ url: `${PUBLIC_URL}/#request=${critical}`, count: 1, waiting: 3 });
  });

  it('folds a storm into one summary, which the phone shows under the same tag', async () => {
    const { approver, agentRest } = await start();
    const phone = browser();
    await subscribe(approver, phone);
    for (let i = 0; i < 3; i += 1) await ask(agentRest, i === 1 ? 'high' : 'critical');
    const last = await waitUntil(() => {
      const pushes = pushesTo(phone).map((push) => decrypt(phone, push.body) as { count: number });
      return pushes.find((p) => p.count === 3);
    }, 'the summary');
    expect(last).toEqual({
      title: 'Signoff: 3 new requests',
      body: '2 critical · 3 waiting in all',
      url: `${PUBLIC_URL}/`,
      tag: 'signoff',
      count: 3,
      critical: 2,
      waiting: 3,
      severity: 'critical',
    });
    expect(pushesTo(phone).length).toBeLessThanOrEqual(3);
  });

  it('follows Do Not Disturb from the tray’s settings: high requests wait, critical ones still go', async () => {
    const { approver, agentRest } = await start({ settings: { notifications: { high: true }, doNotDisturbUntil: Date.now() + 3_600_000 } });
    const phone = browser();
    await subscribe(approver, phone);
    await ask(agentRest, 'high');
    const critical = await ask(agentRest, 'critical');
    const pushes = await waitUntil(() => (pushesTo(phone).length > 0 ? pushesTo(phone) : null), 'a push');
    expect(pushes).toHaveLength(1);
    expect(decrypt(phone, pushes[0]!.body)).toMatchObject({ url: `${PUBLIC_URL}/#request=${critical}`, count: 1 });
  });

  it('sends to every subscription, and removes one the push service says is gone (410), keeping one that failed otherwise', async () => {
    const { approver, agentRest } = await start();
    const gone = browser();
    const failing = browser();
    const fine = browser();
    for (const b of [gone, failing, fine]) await subscribe(approver, b);
    statusFor.set(gone.path, 410);
    statusFor.set(failing.path, 500);
    await ask(agentRest, 'critical');
    await waitUntil(() => [gone, failing, fine].every((b) => pushesTo(b).length === 1), 'a push to each');
    await waitUntil(() => hub.hub.store.push.targets().length === 2, 'the 410 subscription removed');
    expect(hub.hub.store.push.targets().map((t) => t.endpoint).sort()).toEqual([failing.subscription.endpoint, fine.subscription.endpoint].sort());
    await waitUntil(() => warnings.some((w) => w.includes('refused or failed (500)')), 'the 500 logged');
    // The log names the push service, never the endpoint's path (the subscription's secret).
    expect(warnings.join('\n')).not.toContain(failing.path);
  });

  it('keeps only the newest message for a push service still busy with the last one', async () => {
    const { approver, agentRest } = await start();
    const phone = browser();
    await subscribe(approver, phone);
    holding.add(phone.path);
    const counts = () => pushesTo(phone).map((push) => (decrypt(phone, push.body) as { count: number; waiting: number }).waiting);
    await ask(agentRest, 'critical');
    await waitUntil(() => counts().length === 1, 'the first push, held');
    // Four more while the first is unanswered: one waits, each newer replacing it.
    for (let i = 0; i < 4; i += 1) await ask(agentRest, 'critical');
    holding.clear();
    held.shift()!();
    await waitUntil(() => counts().length === 2, 'the newest push');
    // Sends to one endpoint go one after another: had anything else been queued, it would come before this one.
    await ask(agentRest, 'critical');
    await waitUntil(() => counts().length === 3, 'the next push');
    expect(counts()).toEqual([1, 5, 6]);
  });

  it('sends nothing without a public URL (no link could open), and says so once', async () => {
    const { approver, agentRest } = await start({ publicUrl: undefined });
    expect((await approver.get('/push/key')).body).toMatchObject({ sending: false });
    const phone = browser();
    await subscribe(approver, phone);
    await ask(agentRest, 'critical');
    await ask(agentRest, 'critical');
    await waitUntil(() => warnings.some((w) => w.includes('no public URL')), 'the warning');
    expect(warnings.filter((w) => w.includes('no public URL'))).toHaveLength(1);
    expect(pushesTo(phone)).toEqual([]);
  });
});

describe('push subscriptions', () => {
  it('belong to approver devices: an agent token is refused, on the key too', async () => {
    const { agentRest } = await start();
    expect((await agentRest.post('/push/subscriptions', { subscription: browser().subscription })).status).toBe(403);
    expect((await agentRest.get('/push/key')).status).toBe(403);
    expect((await agentRest.call('DELETE', `/push/subscriptions?endpoint=${encodeURIComponent(browser().subscription.endpoint)}`)).status).toBe(403);
  });

  it('refuse endpoints that are not https, point at an address or a local name, or keys of the wrong length, naming the field', async () => {
    const { approver } = await start();
    const good = browser().subscription;
    const refused = async (subscription: unknown) => {
      const reply = await approver.post('/push/subscriptions', { subscription });
      expect(reply.status).toBe(400);
      return (reply.body as { error: { message: string } }).error.message;
    };
    expect(await refused({ ...good, endpoint: `http://${PUSH_NAME}/x` })).toContain('subscription.endpoint');
    expect(await refused({ ...good, endpoint: 'https://127.0.0.1:9/x' })).toMatch(/endpoint.*IP address/);
    expect(await refused({ ...good, endpoint: 'https://[::1]/x' })).toMatch(/IP address/);
    expect(await refused({ ...good, endpoint: 'https://localhost/x' })).toContain('endpoint');
    expect(await refused({ ...good, endpoint: 'https://router.lan/x' })).toContain('local name');
    expect(await refused({ ...good, endpoint: `https://${PUSH_NAME}/${'x'.repeat(2100)}` })).toContain('2048');
    expect(await refused({ ...good, keys: { ...good.keys, p256dh: good.keys.p256dh.slice(1) } })).toContain('subscription.keys.p256dh');
    expect(await refused({ ...good, keys: { ...good.keys, auth: `${good.keys.auth}AA` } })).toContain('subscription.keys.auth');
  });

  it('are at most five per device; subscribing again refreshes; a device removes only its own', async () => {
    const { approver } = await start();
    const subs = Array.from({ length: 5 }, () => browser());
    for (const b of subs) await subscribe(approver, b);
    const again = await approver.post('/push/subscriptions', { subscription: subs[0]!.subscription });
    expect(again).toMatchObject({ status: 200, body: { created: false } });
    const sixth = await approver.post('/push/subscriptions', { subscription: browser().subscription });
    expect(sixth.status).toBe(409);
    const other = new RestClient(hub.url, await hub.pairApprover('laptop'));
    const endpoint = encodeURIComponent(subs[1]!.subscription.endpoint);
    expect((await other.delete(`/push/subscriptions?endpoint=${endpoint}`)).body).toEqual({ removed: false });
    expect((await approver.delete(`/push/subscriptions?endpoint=${endpoint}`)).body).toEqual({ removed: true });
    expect(hub.hub.store.push.targets()).toHaveLength(4);
  });

  it('are made over the window’s own connection (a key device, push:* events) and receive pushes', async () => {
    const { agentRest } = await start();
    const link = new HubConnection({ url: hub.url, credential: keyCredential(await hub.pairDevice('Pixel 8 · Chrome')), surface: 'window', ackTimeoutMs: 2000 });
    link.start();
    try {
      await waitUntil(() => link.state.connection === 'connected', 'the window connected');
      const { publicKey } = await link.pushKey();
      const phone = browser();
      expect(await link.pushSubscribe(phone.subscription)).toEqual({ endpoint: phone.subscription.endpoint, created: true });
      const id = await ask(agentRest, 'critical');
      const [push] = await waitUntil(() => (pushesTo(phone).length > 0 ? pushesTo(phone) : null), 'a push');
      checkVapid(push!.headers.authorization as string, publicKey);
      expect(decrypt(phone, push!.body)).toMatchObject({ url: `${PUBLIC_URL}/#request=${id}` });
      expect(await link.pushUnsubscribe(phone.subscription.endpoint)).toEqual({ removed: true });
      await expect(link.pushSubscribe({ ...phone.subscription, endpoint: 'http://push.example/x' })).rejects.toThrow(/subscription\.endpoint/);
    } finally {
      link.close();
    }
  });

  it('go with their device when it is revoked', async () => {
    const { approver } = await start();
    const phone = browser();
    await subscribe(approver, phone);
    const { body: devices } = await approver.get('/devices');
    const self = (devices as { self: string }).self;
    expect(hub.hub.store.push.endpointsOf(self)).toEqual([phone.subscription.endpoint]);
    const laptop = new RestClient(hub.url, await hub.pairApprover('laptop'));
    expect((await laptop.delete(`/devices/${self}`)).body).toEqual({ revoked: true });
    expect(hub.hub.store.push.endpointsOf(self)).toEqual([]);
    expect(hub.hub.store.push.targets()).toEqual([]);
  });
});
