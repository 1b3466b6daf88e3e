import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@signoff/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { RestClient } from '../../../test/support/rest-client.js';
import { IpcChannel } from './electron-mapping.js';
import { probeHub, approverTokenWorks } from './single-hub.js';

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
async function start(port: number, platform: NodeJS.Platform = 'linux') {
  const tray = await startTray({ env: { SIGNOFF_HOME: dataDir, SIGNOFF_PORT: String(port) }, logger: silentLogger, platform });
  if (tray) {
    stopTray = async () => {
      fake.module.app.quit();
      await eventually(async () => expect((await probeHub(tray.connection.url)).kind === 'signoff' && tray.connection.mode === 'own').toBe(false));
    };
  }
  return tray;
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

  it('gives the window, and only the window on the hub’s page, an approver token', async () => {
    const running = await startTestHub({ dataDir, logger: silentLogger });
    hub = running;
    const tray = await start(running.port);
    tray!.openWindow(null);
    const [window] = fake.state.windows;
    const handler = fake.state.ipc.get(IpcChannel.approverToken)!;
    const token = (await handler({ sender: window!.webContents, senderFrame: { url: `${hub.url}/?surface=tray` } })) as string;
    expect(await approverTokenWorks(hub.url, token)).toBe(true);
    expect(token).not.toBe(tray!.connection.trayToken);
    // Asked again, the same window gets the same token (no new pairing each time).
    expect(await handler({ sender: window!.webContents, senderFrame: { url: `${hub.url}/` } })).toBe(token);
    expect(() => handler({ sender: {}, senderFrame: { url: `${running.url}/` } })).toThrow('not allowed');
    expect(() => handler({ sender: window!.webContents, senderFrame: { url: 'https://evil.example/' } })).toThrow('not allowed');
  });

  it('"Pair a browser…" shows a fresh code that pairs, and copies it', async () => {
    const tray = await start(0);
    const pair = (fake.state.trays[0]!.menu!.template as { id?: string; click?: () => void }[]).find((item) => item.id === 'pair');
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
    await eventually(async () => expect((await probeHub(url)).kind).toBe('none'));
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
      expect(fake.state.errorBoxes[0]?.[1]).toContain(`Port ${port} is used by another program`);
      expect(fake.state.exitCode).toBe(1);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
