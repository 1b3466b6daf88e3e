import { mkdtempSync, rmSync } from 'node:fs';
import { SqliteStore } from '../hub/sqlite-store.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { newNonce, silentLogger, type DeviceProof, type HubChallenge, type Logger } from '@signoff/shared';
import { io } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { RestClient } from '../../../test/support/rest-client.js';
import { IpcChannel } from './electron-mapping.js';
import { probeHub } from './single-hub.js';
import { TRAY_KEY_FILE } from './tray-device.js';

/**
 * `electron` mocked at the boundary: each fake records what main.ts asked of it, so
 * the test checks the wiring (lock, tray, notifications, window) against a real hub.
 */
const fake = vi.hoisted(() => {
  type Handler = (...args: unknown[]) => unknown;
  const on = (handlers: Map<string, Handler[]>) => (event: string, handler: Handler) => {
    handlers.set(event, [...(handlers.get(event) ?? []), handler]);
  };
  const emit = (handlers: Map<string, Handler[]>, event: string, ...args: unknown[]) => handlers.get(event)?.forEach((h) => h(...args));

  const state = {
    lock: true,
    appHandlers: new Map<string, Handler[]>(),
    trays: [] as FakeTray[],
    notifications: [] as FakeNotification[],
    windows: [] as FakeWindow[],
    ipc: new Map<string, Handler>(),
    errorBoxes: [] as string[][],
    messageBoxes: [] as { message: string; buttons: string[] }[],
    copied: [] as string[],
    exitCode: null as number | null,
    /** What safeStorage offers: a real OS store, Linux's fixed-password fallback, or nothing. */
    storage: 'gnome_libsecret' as 'gnome_libsecret' | 'basic_text' | 'none',
  };

  class FakeTray {
    image: unknown;
    tooltip = '';
    title = '';
    menu: { template: unknown[] } | null = null;
    destroyed = false;
    constructor(image: unknown) {
      this.image = image;
      state.trays.push(this);
    }
    setImage(image: unknown) {
      this.image = image;
    }
    setToolTip(text: string) {
      this.tooltip = text;
    }
    setTitle(text: string) {
      this.title = text;
    }
    setContextMenu(menu: { template: unknown[] }) {
      this.menu = menu;
    }
    on() {}
    destroy() {
      this.destroyed = true;
    }
  }

  class FakeNotification {
    static isSupported = () => true;
    handlers = new Map<string, Handler[]>();
    shown = false;
    closed = false;
    constructor(readonly options: Record<string, unknown>) {
      state.notifications.push(this);
    }
    on = on(this.handlers);
    show() {
      this.shown = true;
    }
    close() {
      this.closed = true;
      emit(this.handlers, 'close');
    }
    emit(event: string, ...args: unknown[]) {
      emit(this.handlers, event, ...args);
    }
  }

  class FakeWindow {
    handlers = new Map<string, Handler[]>();
    contentsHandlers = new Map<string, Handler[]>();
    url = '';
    sent: unknown[][] = [];
    shown = false;
    windowOpenHandler: Handler | null = null;
    permissionHandler: Handler | null = null;
    webContents = {
      on: on(this.contentsHandlers),
      send: (...args: unknown[]) => void this.sent.push(args),
      setWindowOpenHandler: (handler: Handler) => void (this.windowOpenHandler = handler),
      session: { setPermissionRequestHandler: (handler: Handler) => void (this.permissionHandler = handler) },
    };
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      state.windows.push(this);
    }
    on = on(this.handlers);
    once = on(this.handlers);
    loadURL(url: string) {
      this.url = url;
      emit(this.handlers, 'ready-to-show');
      return Promise.resolve();
    }
    isDestroyed = () => false;
    isMinimized = () => false;
    restore() {}
    show() {
      this.shown = true;
    }
    focus() {}
  }

  const app = {
    setName: () => {},
    setPath: (name: string, path: string) => void ((app as { paths: Record<string, string> }).paths[name] = path),
    paths: {} as Record<string, string>,
    requestSingleInstanceLock: () => state.lock,
    quit: () => emit(state.appHandlers, 'before-quit', { preventDefault: () => {} }),
    exit: (code: number) => void (state.exitCode = code),
    dock: { hidden: false, hide: () => void (app.dock.hidden = true) },
    setAppUserModelId: () => {},
    on: on(state.appHandlers),
    whenReady: () => Promise.resolve(),
    isPackaged: false,
    focus: () => {},
    setLoginItemSettings: () => {},
  };

  return {
    state,
    /** Empties every record in place (the fakes hold on to these very objects). */
    reset() {
      state.lock = true;
      state.appHandlers.clear();
      state.ipc.clear();
      for (const list of [state.trays, state.notifications, state.windows, state.errorBoxes, state.messageBoxes, state.copied] as unknown[][]) list.length = 0;
      state.exitCode = null;
      state.storage = 'gnome_libsecret';
      app.dock.hidden = false;
    },
    emitApp: (event: string, ...args: unknown[]) => emit(state.appHandlers, event, ...args),
    module: {
      app,
      Tray: FakeTray,
      Menu: { buildFromTemplate: (template: unknown[]) => ({ template }) },
      Notification: FakeNotification,
      BrowserWindow: FakeWindow,
      nativeImage: { createFromPath: (path: string) => ({ path }) },
      ipcMain: { handle: (channel: string, handler: Handler) => void state.ipc.set(channel, handler) },
      shell: { openExternal: () => Promise.resolve() },
      dialog: {
        showErrorBox: (...args: string[]) => void state.errorBoxes.push(args),
        // The person presses the first button ("Copy code").
        showMessageBox: (options: { message: string; buttons: string[] }) => {
          state.messageBoxes.push(options);
          return Promise.resolve({ response: 0 });
        },
      },
      clipboard: { writeText: (text: string) => Promise.resolve(void state.copied.push(text)) },
      powerMonitor: { on: () => {} },
      // A stand-in that seals reversibly, so a test can tell a sealed file from a plain one.
      safeStorage: {
        isAsyncEncryptionAvailable: () => Promise.resolve(state.storage !== 'none'),
        getSelectedStorageBackend: () => (state.storage === 'none' ? 'unknown' : state.storage),
        encryptStringAsync: (plain: string) => Promise.resolve(Buffer.from(`sealed:${Buffer.from(plain).toString('hex')}`)),
        decryptStringAsync: (data: Buffer) =>
          Promise.resolve({ result: Buffer.from(data.toString().replace(/^sealed:/, ''), 'hex').toString(), shouldReEncrypt: false }),
      },
    },
  };
});

vi.mock('electron', () => fake.module);

const { startTray } = await import('./main.js');

/** Retries an assertion until it holds; the long guard only stops a hung test (a busy CI machine is slow, not wrong). */
const eventually = <T>(assertion: () => T | Promise<T>) => vi.waitFor(assertion, { timeout: 15_000, interval: 20 });

let dataDir: string;
let hub: TestHub | null = null;
let stopTray: (() => Promise<void>) | null = null;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'signoff-main-'));
  fake.reset();
});
afterEach(async () => {
  await stopTray?.();
  stopTray = null;
  await hub?.stop();
  hub = null;
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the tray; `quit()` runs Electron's quit path (before-quit) and waits for the hub to go. */
async function start(port: number, platform: NodeJS.Platform = 'linux', logger: Logger = silentLogger) {
  const tray = await startTray({ env: { SIGNOFF_HOME: dataDir, SIGNOFF_PORT: String(port) }, logger, platform });
  if (tray) {
    stopTray = async () => {
      fake.module.app.quit();
      await eventually(async () => expect((await probeHub(tray.connection.url, dataDir)).kind === 'signoff' && tray.connection.mode === 'own').toBe(false));
    };
  }
  return tray;
}

/** Quits the running tray (as the person would) so that a test can start it again. */
async function quit(): Promise<void> {
  await stopTray?.();
  stopTray = null;
  fake.reset();
}

/** A recording logger: what the tray said, for its log lines. */
function recording(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  return { lines, info: keep, warn: keep, error: keep };
}

describe('main.ts wiring', () => {
  it('a second instance quits at once and leaves the first to show its window', async () => {
    fake.state.lock = false;
    expect(await start(0)).toBeNull();
    expect(fake.state.trays).toHaveLength(0);
    expect(fake.module.app.paths.userData).toBe(join(dataDir, 'tray-profile'));
  });

  it('hides the Dock icon, keeps running without windows, and creates the tray with the model’s tooltip', async () => {
    const tray = await start(0);
    expect(tray?.connection.mode).toBe('own');
    expect(fake.module.app.dock.hidden).toBe(true);
    expect(fake.state.appHandlers.has('window-all-closed')).toBe(true);
    const [icon] = fake.state.trays;
    expect(icon?.tooltip).toBe('Signoff: no pending requests');
    expect((icon?.image as { path: string }).path).toMatch(/build[/\\]tray[/\\]idle-linux\.png$/);
    expect(JSON.stringify(icon?.menu?.template)).toContain(`Hub running on port ${tray!.connection.port}`);
  });

  it('attached to a running hub: a critical request raises a notification that opens the window at it', async () => {
    hub = await startTestHub({ dataDir, logger: silentLogger });
    const tray = await start(hub.port);
    expect(tray?.connection.mode).toBe('attached');
    const [icon] = fake.state.trays;
    expect(JSON.stringify(icon?.menu?.template)).toContain(`Attached to the hub on port ${hub.port}`);
    await eventually(() => expect(tray!.link.state().connection).toBe('connected'));

    const created = await new RestClient(hub.url, hub.agentToken).post('/requests', {
      kind: 'approval',
      title: 'Drop the staging database',
      severity: 'critical',
      agentId: 'deploy-bot',
      context: { password: 'hunter2' },
    });
    const id = (created.body as { id: string }).id;
    await eventually(() => expect(fake.state.notifications).toHaveLength(1));
    const [notification] = fake.state.notifications;
    expect(notification!.shown).toBe(true);
    expect(notification!.options).toMatchObject({ title: 'Critical: deploy-bot asks', urgency: 'critical', timeoutType: 'never', actions: [] });
    expect(String(notification!.options.body)).toContain('Drop the staging database');
    expect(JSON.stringify(notification!.options)).not.toContain('hunter2');
    await eventually(() => expect(icon?.tooltip).toBe('Signoff: 1 pending (1 critical)'));
    expect((icon?.image as { path: string }).path).toMatch(/critical-linux\.png$/);

    // Click: the window opens on the hub's page at that request, locked down.
    notification!.emit('click');
    expect(fake.state.windows).toHaveLength(1);
    const [window] = fake.state.windows;
    expect(window!.url).toBe(`${hub.url}/?surface=tray&request=${id}`);
    expect(window!.shown).toBe(true);
    expect(window!.options.webPreferences).toMatchObject({ contextIsolation: true, nodeIntegration: false, sandbox: true });
    expect(String(window!.options.webPreferences.preload)).toMatch(/preload\.cjs$/);
    expect(window!.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });

    // Clicking another request reuses the window and tells the page which one.
    tray!.openWindow('other-id');
    expect(fake.state.windows).toHaveLength(1);
    expect(window!.sent).toEqual([[IpcChannel.openRequest, 'other-id']]);

    // Decided elsewhere: the notification goes away with the request.
    await new RestClient(hub.url, await hub.pairApprover('browser')).post(`/requests/${id}/respond`, { approved: false });
    await eventually(() => expect(notification!.closed).toBe(true));
    await eventually(() => expect(icon?.tooltip).toBe('Signoff: no pending requests'));
  });

  it('macOS: "Approve" on a reversible high-severity notification answers the request', async () => {
    const running = await startTestHub({ dataDir, logger: silentLogger });
    hub = running;
    const tray = await start(running.port, 'darwin');
    expect((fake.state.trays[0]!.image as { path: string }).path).toMatch(/idleTemplate\.png$/);
    await eventually(() => expect(tray!.link.state().connection).toBe('connected'));
    const agent = new RestClient(running.url, running.agentToken);
    const created = await agent.post('/requests', { kind: 'approval', title: 'Restart the worker', severity: 'high', reversible: true, agentId: 'ops' });
    const id = (created.body as { id: string }).id;
    await eventually(() => expect(fake.state.notifications).toHaveLength(1));
    const [notification] = fake.state.notifications;
    expect(notification!.options.actions).toEqual([
      { type: 'button', text: 'Approve' },
      { type: 'button', text: 'Open' },
    ]);
    notification!.emit('action', { actionIndex: 0 });
    await eventually(async () => expect((await agent.get(`/requests/${id}`)).body).toMatchObject({ status: 'resolved', decision: { response: { approved: true } } }));
    await eventually(() => expect(notification!.closed).toBe(true));
    expect(fake.state.windows).toHaveLength(0);
  });

  it('answers the window’s hub challenge with the tray’s device, only for the hub address the tray knows', async () => {
    const running = await startTestHub({ dataDir, logger: silentLogger });
    hub = running;
    const tray = await start(running.port);
    await eventually(() => expect(tray!.link.state().connection).toBe('connected'));
    tray!.openWindow(null);
    const [window] = fake.state.windows;
    const handler = fake.state.ipc.get(IpcChannel.answerChallenge)!;
    const fromWindow = { sender: window!.webContents, senderFrame: { url: `${running.url}/?surface=tray` } };
    const trayDevice = JSON.parse(readFileSync(join(dataDir, TRAY_KEY_FILE), 'utf8')) as { deviceId: string };

    // The page dials the hub as the tray does; its (wrong) word for the host is ignored.
    const asTray = await challengeAt(running.url);
    const proof = (await handler(fromWindow, asTray.challenge, { clientNonce: asTray.nonce, dialedHost: 'evil.example:80' })) as DeviceProof;
    expect(proof.deviceId).toBe(trayDevice.deviceId);
    expect(await asTray.prove(proof)).toMatchObject({ ok: true, data: { device: { id: trayDevice.deviceId } } });

    // A challenge the hub signed for another host (here: reached as localhost) gets no
    // signature, even when the page claims it dialed that host.
    const elsewhere = await challengeAt(`http://localhost:${running.port}`);
    expect(elsewhere.challenge.host).toBe(`localhost:${running.port}`);
    await expect(handler(fromWindow, elsewhere.challenge, { clientNonce: elsewhere.nonce, dialedHost: `localhost:${running.port}` })).rejects.toThrow(/signed for/);
    // Nor does a challenge not signed by the pinned hub key, or one without the page's nonce.
    await expect(handler(fromWindow, { ...asTray.challenge, signature: proof.signature }, { clientNonce: asTray.nonce })).rejects.toThrow();
    await expect(handler(fromWindow, asTray.challenge, {})).rejects.toThrow('no valid client nonce');
    // Only this window, showing the hub's own page, may ask.
    await expect(handler({ sender: {}, senderFrame: { url: `${running.url}/` } }, asTray.challenge, { clientNonce: asTray.nonce })).rejects.toThrow('not allowed');
    await expect(handler({ sender: window!.webContents, senderFrame: { url: 'https://evil.example/' } }, asTray.challenge, { clientNonce: asTray.nonce })).rejects.toThrow('not allowed');
    asTray.close();
    elsewhere.close();
  });

  it('"Pair a browser…" shows a fresh code that pairs, and copies it', async () => {
    const tray = await start(0);
    await eventually(() => expect(tray!.link.state().connection).toBe('connected'));
    const pair = (fake.state.trays[0]!.menu!.template as { id?: string; click?: () => void; enabled?: boolean }[]).find((item) => item.id === 'pair');
    expect(pair?.enabled).toBe(true);
    pair!.click!();
    await eventually(() => expect(fake.state.copied).toHaveLength(1));
    const [box] = fake.state.messageBoxes;
    expect(box!.message).toBe(fake.state.copied[0]);
    expect(box!.buttons).toEqual(['Copy code', 'Close']);
    const res = await fetch(`${tray!.connection.url}/api/v1/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: box!.message, name: 'browser' }),
    });
    expect(res.status).toBe(201);
  });

  it('a second instance’s launch opens the first one’s window', async () => {
    await start(0);
    fake.emitApp('second-instance');
    expect(fake.state.windows).toHaveLength(1);
  });

  it('Quit stops the hub it started', async () => {
    const tray = await start(0);
    const url = tray!.connection.url;
    const quit = (fake.state.trays[0]!.menu!.template as { id?: string; click?: () => void }[]).find((item) => item.id === 'quit');
    quit!.click!();
    await eventually(async () => expect((await probeHub(url, dataDir)).kind).toBe('none'));
    expect(fake.state.trays[0]!.destroyed).toBe(true);
    stopTray = null;
  });

  it('says why in an error box, and exits, when the port belongs to another program', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => res.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      expect(await start(port)).toBeNull();
      expect(fake.state.errorBoxes[0]?.[1]).toContain(`Something else is answering on 127.0.0.1:${port} — not your Signoff hub`);
      expect(fake.state.exitCode).toBe(1);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('refuses a Signoff hub of another data dir on the port: no attaching, no pairing, no code', async () => {
    const mine = await startTestHub({ dataDir, logger: silentLogger });
    await mine.stop(); // this data dir has its hub key; its hub is down
    const impostor = await startTestHub({ logger: silentLogger });
    try {
      expect(await start(impostor.port)).toBeNull();
      expect(fake.state.errorBoxes[0]?.[1]).toContain(`Something else is answering on 127.0.0.1:${impostor.port} — not your Signoff hub`);
      expect(impostor.hub.store.devices.list()).toEqual([]);
      expect(() => readFileSync(join(dataDir, TRAY_KEY_FILE))).toThrow();
    } finally {
      await impostor.dispose();
    }
  });

  it('keeps one device across restarts (sealed by safeStorage), and pairs once more when it was revoked meanwhile', async () => {
    const running = await startTestHub({ dataDir, logger: silentLogger });
    hub = running;
    const first = await start(running.port);
    await eventually(() => expect(first!.link.state().connection).toBe('connected'));
    const saved = readFileSync(join(dataDir, TRAY_KEY_FILE), 'utf8');
    expect(JSON.parse(saved)).toMatchObject({ privateKey: { sealed: expect.any(String), by: 'safeStorage (gnome_libsecret)' } });
    const [device] = running.hub.store.devices.list();
    expect(device).toMatchObject({ name: 'Signoff tray', credential: 'key' });

    await quit();
    const second = await start(running.port);
    await eventually(() => expect(second!.link.state().connection).toBe('connected'));
    expect(running.hub.store.devices.list()).toEqual([expect.objectContaining({ id: device!.id })]);

    // Revoked while the tray is not running (`signoff devices revoke`): the next start pairs again, once.
    await quit();
    const other = new SqliteStore(join(dataDir, 'signoff.db'));
    other.devices.revoke(device!.id, Date.now());
    other.close();
    const third = await start(running.port);
    await eventually(() => expect(third!.link.state().connection).toBe('connected'));
    const devices = running.hub.store.devices.list();
    expect(devices).toHaveLength(1);
    expect(devices[0]!.id).not.toBe(device!.id);
  });

  it('says so in its log, and keeps a plain 0600 JWK, where safeStorage has no real store (Linux basic_text)', async () => {
    fake.state.storage = 'basic_text';
    const log = recording();
    const tray = await start(0, 'linux', log);
    await eventually(() => expect(tray!.link.state().connection).toBe('connected'));
    expect(JSON.parse(readFileSync(join(dataDir, TRAY_KEY_FILE), 'utf8'))).toMatchObject({ privateKey: { jwk: { kty: 'EC', d: expect.any(String) } } });
    expect(log.lines.some((line) => line.includes('plain JWK in tray.key') && line.includes('0600'))).toBe(true);
  });
});

/** Dials the hub's `/approver` as a page would (its own nonce), and hands back the hub's challenge. */
async function challengeAt(url: string) {
  const nonce = newNonce();
  const socket = io(`${url}/approver`, { auth: { nonce, surface: 'tray' }, transports: ['websocket'], reconnection: false, forceNew: true });
  const challenge = await new Promise<HubChallenge>((resolve, reject) => {
    socket.once('auth:challenge', resolve);
    socket.once('connect_error', reject);
  });
  return {
    nonce,
    challenge,
    prove: (proof: DeviceProof) => socket.timeout(5000).emitWithAck('auth:prove', proof) as Promise<unknown>,
    close: () => socket.close(),
  };
}
