import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  SETTINGS_FILE,
  SettingsStore,
  loadSettings,
  resolveDataDir,
  resolvePort,
  resolvePublicUrl,
  saveSettings,
  settingsPath,
  type TraySettings,
} from './settings.js';

let dir: string;
let warnings: string[];
const logger = { warn: (message: string) => void warnings.push(message) };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signoff-settings-'));
  warnings = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const writeRaw = (text: string) => writeFileSync(join(dir, SETTINGS_FILE), text);

describe('loadSettings', () => {
  it('gives the defaults, silently, when there is no file yet', () => {
    expect(loadSettings(dir, logger)).toEqual({
      version: 1,
      notifications: { high: true },
      doNotDisturbUntil: null,
      ntfy: null,
      startAtLogin: false,
      port: null,
      publicUrl: null,
    });
    expect(warnings).toEqual([]);
  });

  it('reads back what saveSettings wrote', () => {
    const settings: TraySettings = {
      version: 1,
      notifications: { high: false },
      doNotDisturbUntil: 1_700_000_000_000,
      ntfy: { url: 'https://ntfy.example.com', topic: 'signoff-x1', tokenEnv: 'NTFY_TOKEN' },
      startAtLogin: true,
      port: 8123,
      publicUrl: 'https://signoff.example.ts.net',
    };
    saveSettings(dir, settings);
    expect(loadSettings(dir, logger)).toEqual(settings);
    expect(warnings).toEqual([]);
  });

  it('fills fields missing from an older or hand-written file with their defaults', () => {
    writeRaw(JSON.stringify({ startAtLogin: true }));
    expect(loadSettings(dir, logger)).toEqual({ ...DEFAULT_SETTINGS, startAtLogin: true });
    expect(warnings).toEqual([]);
  });

  it('falls back to the defaults with a warning when the file is not JSON', () => {
    writeRaw('{"port": 80');
    expect(loadSettings(dir, logger)).toEqual(DEFAULT_SETTINGS);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('not valid JSON');
  });

  it('falls back to the defaults with a warning when the JSON is not an object', () => {
    writeRaw('[1, 2]');
    expect(loadSettings(dir, logger)).toEqual(DEFAULT_SETTINGS);
    expect(warnings[0]).toContain('does not hold a JSON object');
  });

  it('replaces only the invalid fields, naming them in the warning', () => {
    writeRaw(JSON.stringify({ port: 99999, notifications: { high: 'yes' }, startAtLogin: true, doNotDisturbUntil: -5 }));
    expect(loadSettings(dir, logger)).toEqual({ ...DEFAULT_SETTINGS, startAtLogin: true });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('port');
    expect(warnings[0]).toContain('notifications.high');
    expect(warnings[0]).toContain('doNotDisturbUntil');
    expect(warnings[0]).not.toContain('startAtLogin');
  });

  it('drops unknown keys instead of refusing the file', () => {
    writeRaw(JSON.stringify({ port: 9000, theme: 'dark' }));
    const loaded = loadSettings(dir, logger);
    expect(loaded).toEqual({ ...DEFAULT_SETTINGS, port: 9000 });
    expect(loaded).not.toHaveProperty('theme');
  });

  it('hands out copies: changing one result does not change the defaults', () => {
    const first = loadSettings(dir, logger);
    first.notifications.high = false;
    expect(loadSettings(dir, logger).notifications.high).toBe(true);
  });
});

describe('saveSettings', () => {
  it('writes pretty JSON with mode 0600 and leaves no temporary file', () => {
    saveSettings(dir, { ...DEFAULT_SETTINGS, port: 7000 });
    expect(JSON.parse(readFileSync(settingsPath(dir), 'utf8'))).toMatchObject({ port: 7000 });
    expect(statSync(settingsPath(dir)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE]);
  });

  it('creates the data dir when it does not exist yet', () => {
    const nested = join(dir, 'a', 'b');
    saveSettings(nested, DEFAULT_SETTINGS);
    expect(loadSettings(nested, logger)).toEqual(DEFAULT_SETTINGS);
  });

  it('refuses invalid settings before touching the file', () => {
    saveSettings(dir, { ...DEFAULT_SETTINGS, port: 7000 });
    expect(() => saveSettings(dir, { ...DEFAULT_SETTINGS, port: 0 })).toThrow();
    expect(loadSettings(dir, logger).port).toBe(7000);
  });

  it('removes its temporary file and throws when the final rename fails', () => {
    // A directory where the file should be: the rename over it fails.
    mkdirSync(settingsPath(dir));
    writeFileSync(join(settingsPath(dir), 'keep'), 'x');
    expect(() => saveSettings(dir, DEFAULT_SETTINGS)).toThrow();
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE]);
    expect(readdirSync(settingsPath(dir))).toEqual(['keep']);
  });
});

describe('SettingsStore', () => {
  it('writes every change through to the file', () => {
    const store = new SettingsStore(dir, logger);
    const next = store.update((s) => ({ ...s, startAtLogin: true, doNotDisturbUntil: 123 }));
    expect(next.startAtLogin).toBe(true);
    expect(store.get()).toEqual(next);
    expect(new SettingsStore(dir, logger).get()).toEqual(next);
  });

  it('keeps the settings it had when a change is invalid', () => {
    const store = new SettingsStore(dir, logger);
    expect(() => store.update((s) => ({ ...s, port: -1 }))).toThrow();
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
  });
});

describe('resolveDataDir and resolvePort', () => {
  it('uses SIGNOFF_HOME, else ~/.signoff', () => {
    expect(resolveDataDir({ SIGNOFF_HOME: '/data/so' }, '/home/ada')).toBe('/data/so');
    expect(resolveDataDir({}, '/home/ada')).toBe(join('/home/ada', '.signoff'));
  });

  it('prefers SIGNOFF_PORT, then the settings, then 7475', () => {
    expect(resolvePort({ SIGNOFF_PORT: '8100' }, { port: 9000 }, logger)).toBe(8100);
    expect(resolvePort({}, { port: 9000 }, logger)).toBe(9000);
    expect(resolvePort({}, { port: null }, logger)).toBe(7475);
    expect(warnings).toEqual([]);
  });

  it('ignores a malformed SIGNOFF_PORT with a warning', () => {
    expect(resolvePort({ SIGNOFF_PORT: '0x1f90' }, { port: null }, logger)).toBe(7475);
    expect(resolvePort({ SIGNOFF_PORT: '70000' }, { port: 9000 }, logger)).toBe(9000);
    expect(warnings).toHaveLength(2);
  });
});

describe('resolvePort with a bad SIGNOFF_PORT', () => {
  it('warns with the message the CLI and the SDK give, and the port it uses instead', () => {
    expect(resolvePort({ SIGNOFF_PORT: '80.5' }, { port: 9000 }, logger)).toBe(9000);
    expect(resolvePort({ SIGNOFF_PORT: '0' }, { port: null }, logger)).toBe(7475);
    expect(warnings).toEqual(['SIGNOFF_PORT: port must be 1-65535, not "80.5"; using port 9000', 'SIGNOFF_PORT: port must be 1-65535, not "0"; using port 7475']);
  });
});

describe('resolvePublicUrl', () => {
  it('prefers SIGNOFF_PUBLIC_URL, then the settings, then none', () => {
    expect(resolvePublicUrl({ SIGNOFF_PUBLIC_URL: 'https://env.example/' }, { publicUrl: 'https://set.example' }, logger)).toBe('https://env.example');
    expect(resolvePublicUrl({}, { publicUrl: 'https://set.example' }, logger)).toBe('https://set.example');
    expect(resolvePublicUrl({}, { publicUrl: null }, logger)).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('ignores a malformed SIGNOFF_PUBLIC_URL with a warning, and a bad setting costs that field only', () => {
    expect(resolvePublicUrl({ SIGNOFF_PUBLIC_URL: 'http://box.lan' }, { publicUrl: null }, logger)).toBeUndefined();
    expect(warnings).toEqual(['SIGNOFF_PUBLIC_URL: must be https:// (plain http:// only for localhost, for testing): the proxy must terminate TLS, not "http://box.lan"; no public URL']);
    writeRaw(JSON.stringify({ publicUrl: 'http://box.lan', port: 9000 }));
    expect(loadSettings(dir, logger)).toEqual({ ...DEFAULT_SETTINGS, port: 9000 });
  });
});
