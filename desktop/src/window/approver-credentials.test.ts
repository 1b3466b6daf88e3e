import { describe, expect, it } from 'vitest';
import { loadCredentials, localTokenStore, TOKEN_KEY, type TokenStore } from './approver-credentials.js';
import { desktopBridge } from './desktop-bridge.js';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
    removeItem: (key: string) => void data.delete(key),
  };
}

const throwing = {
  getItem: () => {
    throw new Error('denied');
  },
  setItem: () => {
    throw new Error('denied');
  },
  removeItem: () => {
    throw new Error('denied');
  },
};

describe('localTokenStore', () => {
  it('keeps the token under its key, and forgets it', () => {
    const storage = memoryStorage();
    const store = localTokenStore(storage);
    expect(store.get()).toBeNull();
    store.set('tok-1');
    expect(storage.data.get(TOKEN_KEY)).toBe('tok-1');
    expect(store.get()).toBe('tok-1');
    store.clear();
    expect(store.get()).toBeNull();
  });

  it('treats refused storage and blank values as no token', () => {
    const store = localTokenStore(throwing);
    expect(() => store.set('x')).not.toThrow();
    expect(store.get()).toBeNull();
    expect(() => store.clear()).not.toThrow();
    expect(localTokenStore(memoryStorage({ [TOKEN_KEY]: '  ' })).get()).toBeNull();
  });
});

describe('loadCredentials', () => {
  const stored = (token: string | null): TokenStore => ({ get: () => token, set: () => {}, clear: () => {} });

  it('uses a token paired in this browser, as the window surface', async () => {
    expect(await loadCredentials(null, stored('tok'))).toEqual({ credentials: { token: 'tok', surface: 'window', source: 'storage' } });
    expect(await loadCredentials(null, stored(null))).toEqual({ credentials: null, problem: null });
  });

  it('asks the tray’s bridge first, as the tray surface', async () => {
    const bridge = { getApproverToken: () => Promise.resolve('tray-tok') };
    expect(await loadCredentials(bridge, stored('old'))).toEqual({ credentials: { token: 'tray-tok', surface: 'tray', source: 'bridge' } });
  });

  it('falls back to a stored token, or to pairing with the reason, when the bridge fails', async () => {
    const failing = { getApproverToken: () => Promise.reject(new Error('hub not running')) };
    expect(await loadCredentials(failing, stored('old'))).toEqual({ credentials: { token: 'old', surface: 'tray', source: 'storage' } });
    expect(await loadCredentials(failing, stored(null))).toEqual({ credentials: null, problem: 'The tray app could not pair this window: hub not running' });
    const empty = { getApproverToken: () => Promise.resolve('') };
    expect(await loadCredentials(empty, stored(null))).toEqual({ credentials: null, problem: 'The tray app gave this window no token.' });
  });
});

describe('desktopBridge', () => {
  it('finds the preload’s bridge only when it has getApproverToken', () => {
    const bridge = { getApproverToken: () => Promise.resolve('t') };
    expect(desktopBridge({ signoffDesktop: bridge })).toBe(bridge);
    expect(desktopBridge({})).toBeNull();
    expect(desktopBridge({ signoffDesktop: { getApproverToken: 'nope' } })).toBeNull();
  });
});
