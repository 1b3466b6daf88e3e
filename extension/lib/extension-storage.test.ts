import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

// `wxt/browser` picks the global extension API when its module loads: the fake goes in first.
vi.stubGlobal('browser', fakeBrowser);
const { discardLegacyPairing, rememberRequestToOpen, takeRequestToOpen } = await import('./extension-storage.js');

describe('extension storage', () => {
  beforeEach(() => fakeBrowser.reset());

  it('discards an earlier version’s pairing (its bearer token) and says it found one', async () => {
    await fakeBrowser.storage.local.set({ pairing: { hubUrl: 'http://127.0.0.1:7475', token: 'secret' }, other: 1 });
    expect(await discardLegacyPairing()).toBe(true);
    expect(await fakeBrowser.storage.local.get(null)).toEqual({ other: 1 });
    expect(await discardLegacyPairing()).toBe(false);
  });

  it('finds no old pairing in empty storage', async () => {
    expect(await discardLegacyPairing()).toBe(false);
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
  });

  it('hands the clicked request to the next popup once, in session storage', async () => {
    expect(await takeRequestToOpen()).toBeNull();
    await rememberRequestToOpen('req-1');
    expect(await fakeBrowser.storage.session.get(null)).toEqual({ openRequestId: 'req-1' });
    expect(await takeRequestToOpen()).toBe('req-1');
    expect(await takeRequestToOpen()).toBeNull();
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
  });
});
