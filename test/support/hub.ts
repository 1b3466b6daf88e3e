import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHub, type Clock, type Hub, type HubOptions } from '@signoff/desktop/hub';
import { silentLogger } from '@signoff/shared';
import { pairDevice, type PairedDevice } from '@signoff/shared/approver';
import { io, type Socket } from 'socket.io-client';

export interface TestHub {
  hub: Hub;
  url: string;
  port: number;
  dataDir: string;
  agentToken: string;
  /** Pairs a new approver through the real `POST /pair` flow and returns its token. */
  pairApprover(name?: string): Promise<string>;
  /** Pairs a new key device through the real `POST /pair` flow, as the project's own clients do. */
  pairDevice(name?: string, options?: { ephemeral?: boolean }): Promise<PairedDevice>;
  /** Stops the hub; the data dir stays so a test can restart on it. */
  stop(): Promise<void>;
  /** Stops the hub and deletes its data dir. */
  dispose(): Promise<void>;
}

/** A real hub on port 0 over real SQLite in a temp dir. */
export async function startTestHub(options: Partial<HubOptions> & { dataDir?: string } = {}): Promise<TestHub> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'signoff-test-'));
  const hub = createHub({ port: 0, logger: silentLogger, ...options, dataDir });
  const { url, port } = await hub.start();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await hub.stop();
  };
  return {
    hub,
    url,
    port,
    dataDir,
    agentToken: hub.agentToken,
    async pairApprover(name = 'test approver') {
      const { code } = hub.createPairingCode();
      const res = await fetch(`${url}/api/v1/pair`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code, name }),
      });
      if (res.status !== 201) throw new Error(`pairing failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    },
    pairDevice(name = 'test device', pairOptions = {}) {
      return pairDevice({ hubUrl: url, code: hub.createPairingCode().code, name, ...pairOptions });
    },
    stop,
    async dispose() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Connects a real socket.io-client to a namespace and waits for the handshake. */
export async function connectSocket(url: string, namespace: '/agent' | '/approver', token: string): Promise<Socket> {
  const socket = io(`${url}${namespace}`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  return socket;
}

/** A clock the test moves by hand; timers fire when `advance` passes their time. */
export class FakeClock implements Clock {
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  constructor(public current = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.current;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.current + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.fn();
    }
    this.current = target;
  }
}
