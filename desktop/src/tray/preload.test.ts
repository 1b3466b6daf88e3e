import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { describe, expect, it, vi } from 'vitest';
import { IpcChannel } from './electron-mapping.js';
import type { DesktopApi } from './preload.cjs';

/**
 * Runs preload.cts the way Electron runs a sandboxed preload: compiled to CommonJS and
 * wrapped in `(function (require, process, Buffer, global, setImmediate, clearImmediate,
 * exports, module) {…})`, where `require` knows `electron` and nothing of ours. A
 * preload that imported a sibling module would fail here as it would in Electron.
 */
function loadPreload() {
  const source = readFileSync(new URL('./preload.cts', import.meta.url), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  const exposed = new Map<string, unknown>();
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const ipcRenderer = {
    invoke: vi.fn((channel: string, ...args: unknown[]) => Promise.resolve({ channel, args })),
    on: vi.fn((channel: string, listener: (...args: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    }),
    removeListener: vi.fn((channel: string, listener: (...args: unknown[]) => void) => listeners.get(channel)?.delete(listener)),
  };
  const electron = { contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) }, ipcRenderer };
  const required: string[] = [];
  const sandboxRequire = (name: string) => {
    required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`module not found: ${name}`);
  };
  const wrapper = `(function (require, process, Buffer, global, setImmediate, clearImmediate, exports, module) {\n${outputText}\n})`;
  const exports = {};
  (runInNewContext(wrapper, {}) as (...args: unknown[]) => void)(sandboxRequire, {}, undefined, {}, undefined, undefined, exports, { exports });
  const emit = (channel: string, ...args: unknown[]) => listeners.get(channel)?.forEach((listener) => listener({}, ...args));
  return { api: exposed.get('signoffDesktop') as DesktopApi, exposed, ipcRenderer, required, emit, listeners };
}

describe('preload bridge', () => {
  it('exposes exactly window.signoffDesktop, needing only `electron`', () => {
    const { exposed, required, api } = loadPreload();
    expect([...exposed.keys()]).toEqual(['signoffDesktop']);
    expect(required).toEqual(['electron']);
    expect(Object.keys(api).sort()).toEqual(['answerChallenge', 'onOpenRequest']);
  });

  it('answerChallenge asks the main process on its channel, passing the challenge and the page’s nonce, never its host', async () => {
    const { api, ipcRenderer } = loadPreload();
    const challenge = { hubNonce: 'h'.repeat(43), host: '127.0.0.1:7475', signature: 's'.repeat(86), extra: 'dropped' };
    // The page says it dialed another host: that word never reaches the tray, which signs only for the host it knows.
    const answer = await api.answerChallenge(challenge, { clientNonce: 'c'.repeat(43), dialedHost: 'evil.example:80' });
    expect(ipcRenderer.invoke).toHaveBeenCalledTimes(1);
    expect(answer).toEqual({
      channel: IpcChannel.answerChallenge,
      args: [{ hubNonce: 'h'.repeat(43), host: '127.0.0.1:7475', signature: 's'.repeat(86) }, { clientNonce: 'c'.repeat(43) }],
    });
    expect(JSON.stringify(vi.mocked(ipcRenderer.invoke).mock.calls)).not.toContain('evil.example');
  });

  it('onOpenRequest delivers request ids until unsubscribed', () => {
    const { api, emit, listeners } = loadPreload();
    const seen: string[] = [];
    const unsubscribe = api.onOpenRequest((id) => seen.push(id));
    emit(IpcChannel.openRequest, 'r1');
    emit(IpcChannel.openRequest, { not: 'an id' });
    unsubscribe();
    emit(IpcChannel.openRequest, 'r2');
    expect(seen).toEqual(['r1']);
    expect(listeners.get(IpcChannel.openRequest)?.size).toBe(0);
  });

  it('passes the page nothing of Electron: the callback gets the id alone', () => {
    const { api, emit } = loadPreload();
    const calls: unknown[][] = [];
    api.onOpenRequest((...args: unknown[]) => void calls.push(args));
    emit(IpcChannel.openRequest, 'r1');
    expect(calls).toEqual([['r1']]);
  });
});
