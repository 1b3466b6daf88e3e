import { describe, expect, it } from 'vitest';
import { PushSubscribeSchema, refusedPushHost } from './push.js';
import { validate } from './validate.js';

const P256DH = `B${'x'.repeat(86)}`;
const AUTH = 'a'.repeat(22);
const subscription = (changes: Record<string, unknown> = {}) => ({
  subscription: { endpoint: 'https://fcm.googleapis.com/fcm/send/abc:def', expirationTime: null, keys: { p256dh: P256DH, auth: AUTH }, ...changes },
});

describe('push subscriptions on the wire', () => {
  it('take what browsers give for the real push services, padded or not, dropping extra fields', () => {
    for (const endpoint of ['https://fcm.googleapis.com/fcm/send/x', 'https://updates.push.services.mozilla.com/wpush/v2/x', 'https://web.push.apple.com/Qx', 'https://wns2-by3p.notify.windows.com/w/?token=x']) {
      expect(validate(PushSubscribeSchema, subscription({ endpoint })).ok, endpoint).toBe(true);
    }
    const padded = validate(PushSubscribeSchema, subscription({ keys: { p256dh: `${P256DH}=`, auth: `${AUTH}==` }, extra: 1 }));
    expect(padded).toMatchObject({ ok: true, data: { subscription: { keys: { p256dh: P256DH, auth: AUTH } } } });
    expect(padded.ok && 'extra' in padded.data.subscription).toBe(false);
  });

  it('refuse hosts that are not a public push service by name', () => {
    expect(refusedPushHost('fcm.googleapis.com')).toBeNull();
    for (const host of ['127.0.0.1', '10.0.0.8', '[::1]', '[fd00::1]', 'localhost', 'foo.localhost', 'printer.local', 'nas.lan', 'svc.internal', 'router.home.arpa', 'intranet', 'LOCALHOST.']) {
      expect(refusedPushHost(host), host).not.toBeNull();
    }
  });

  it('name the field and the problem', () => {
    const problem = (input: unknown) => {
      const result = validate(PushSubscribeSchema, input);
      return result.ok ? '' : result.error.message;
    };
    expect(problem(subscription({ endpoint: 'http://fcm.googleapis.com/x' }))).toMatch(/subscription\.endpoint.*https/);
    expect(problem(subscription({ endpoint: 'https://user:pw@fcm.googleapis.com/x' }))).toMatch(/subscription\.endpoint.*user name/);
    expect(problem(subscription({ keys: { p256dh: `A${'x'.repeat(86)}`, auth: AUTH } }))).toMatch(/subscription\.keys\.p256dh.*uncompressed/);
    expect(problem(subscription({ keys: { p256dh: P256DH, auth: 'a'.repeat(21) } }))).toMatch(/subscription\.keys\.auth.*16 bytes/);
    expect(problem({ ...subscription(), more: true })).toMatch(/more/);
  });
});
