import { describe, expect, it, vi } from 'vitest';
import { CHANGED, createMessageListener, isChangedBroadcast, isFailure, type ConnectionStatus, type Handlers, type MessageListener } from './messages.js';

const status: ConnectionStatus = { state: 'connected', hubUrl: 'http://127.0.0.1:7475', detail: 'Connected', surfaces: {}, device: null };

const handlers = (overrides: Partial<Handlers> = {}): Handlers => ({
  'connection:status': () => Promise.resolve(status),
  'decision:submit': ({ id }) => Promise.resolve(id === 'gone' ? { ok: false, message: 'Already decided' } : { ok: true, queued: false }),
  'pairing:pair': () => Promise.resolve({ ok: true }),
  'pairing:unpair': () => Promise.resolve({ ok: true, revoked: true, message: 'Unpaired' }),
  'notice:dismiss': () => Promise.resolve({ ok: true }),
  'grants:list': () => Promise.resolve({ ok: true, grants: [] }),
  'grants:revoke': ({ id }) => Promise.resolve(id === 'g1' ? { ok: true, revoked: true } : { ok: false, message: 'The hub is not reachable.' }),
  ...overrides,
});

/** Delivers `message` the way `runtime.onMessage` does; resolves with what the listener returned and the reply it sent. */
function deliver(listener: MessageListener, message: unknown): Promise<{ async: boolean; reply: unknown }> {
  return new Promise((resolve) => {
    let async: boolean | undefined;
    const reply = (value: unknown) => queueMicrotask(() => resolve({ async: async!, reply: value }));
    async = listener(message, { id: 'signoff' }, reply);
  });
}

describe('the worker’s message listener', () => {
  it('answers the Allowed list’s messages with their handlers’ replies', async () => {
    const listener = createMessageListener(handlers(), () => {});
    expect(await deliver(listener, { type: 'grants:list', payload: {} })).toEqual({ async: true, reply: { ok: true, grants: [] } });
    expect(await deliver(listener, { type: 'grants:revoke', payload: { id: 'g1' } })).toEqual({ async: true, reply: { ok: true, revoked: true } });
    expect(await deliver(listener, { type: 'grants:revoke', payload: { id: 'g2' } })).toEqual({ async: true, reply: { ok: false, message: 'The hub is not reachable.' } });
  });

  it('answers a known message with its handler’s reply, asynchronously', async () => {
    const listener = createMessageListener(handlers(), () => {});
    expect(await deliver(listener, { type: 'connection:status', payload: {} })).toEqual({ async: true, reply: status });
    expect(await deliver(listener, { type: 'decision:submit', payload: { id: 'gone', response: { approved: true } } })).toEqual({
      async: true,
      reply: { ok: false, message: 'Already decided' },
    });
  });

  it('answers an unknown type with a failure that names it, without throwing or calling a handler', async () => {
    const dismiss = vi.fn(() => Promise.resolve({ ok: true as const }));
    const listener = createMessageListener(handlers({ 'notice:dismiss': dismiss }), () => {});
    expect(await deliver(listener, { type: 'request:delete', payload: { id: 'x' } })).toEqual({
      async: false,
      reply: { ok: false, message: 'The extension’s background worker cannot handle a message of type "request:delete".' },
    });
    // Names an object has without defining them are not message types either.
    for (const type of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      expect((await deliver(listener, { type, payload: {} })).reply).toEqual({
        ok: false,
        message: `The extension’s background worker cannot handle a message of type "${type}".`,
      });
    }
    expect(dismiss).not.toHaveBeenCalled();
  });

  it('answers what is not a message at all with a failure', async () => {
    const listener = createMessageListener(handlers(), () => {});
    const withoutType = { ok: false, message: 'The extension’s background worker cannot handle a message without a type.' };
    for (const message of [null, undefined, 'connection:status', 42, {}, { type: 7, payload: {} }]) {
      expect(await deliver(listener, message)).toEqual({ async: false, reply: withoutType });
    }
    // A known type without a payload object is not that message.
    for (const message of [{ type: 'notice:dismiss' }, { type: 'notice:dismiss', payload: null }, { type: 'notice:dismiss', payload: 'n1' }]) {
      expect((await deliver(listener, message)).reply).toEqual({
        ok: false,
        message: 'The extension’s background worker cannot handle a message of type "notice:dismiss".',
      });
    }
  });

  it('answers a failing handler with a fixed sentence and reports the error, whether it rejects or throws at once', async () => {
    const failed = vi.fn<(type: string, error: unknown) => void>();
    const rejection = new Error('IndexedDB is gone');
    const listener = createMessageListener(
      handlers({
        'notice:dismiss': () => Promise.reject(rejection),
        'pairing:unpair': () => {
          throw new TypeError('link is null');
        },
      }),
      failed,
    );
    const internal = { ok: false, message: 'The extension hit an internal error; see its service worker log.' };
    expect(await deliver(listener, { type: 'notice:dismiss', payload: { id: 'n1' } })).toEqual({ async: true, reply: internal });
    expect(await deliver(listener, { type: 'pairing:unpair', payload: {} })).toEqual({ async: true, reply: internal });
    expect(failed.mock.calls).toEqual([
      ['notice:dismiss', rejection],
      ['pairing:unpair', new TypeError('link is null')],
    ]);
  });
});

describe('message helpers', () => {
  it('recognises only the worker’s change broadcast', () => {
    expect(isChangedBroadcast({ type: CHANGED })).toBe(true);
    for (const message of [null, CHANGED, { type: 'connection:status' }, {}]) expect(isChangedBroadcast(message)).toBe(false);
  });

  it('tells a failure from a reply', () => {
    expect(isFailure({ ok: false, message: 'no' })).toBe(true);
    expect(isFailure<ConnectionStatus>(status)).toBe(false);
    expect(isFailure({ ok: true, revoked: false, message: 'Unpaired here only' })).toBe(false);
  });
});
