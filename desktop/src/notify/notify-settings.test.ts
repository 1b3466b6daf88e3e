import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_NOTIFY_SETTINGS, NotifySettingsSource, SETTINGS_FILE, parseNotifySettings } from './notify-settings.js';

let dir: string;
let warnings: string[];
const logger = { warn: (message: string) => void warnings.push(message) };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signoff-notify-settings-'));
  warnings = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the file and moves its mtime on, so a change within one clock tick is seen too. */
let tick = 1_700_000_000;
function write(text: string): void {
  const file = join(dir, SETTINGS_FILE);
  writeFileSync(file, text);
  tick += 10;
  utimesSync(file, tick, tick);
}

describe('parseNotifySettings', () => {
  it('reads the notification part of the tray settings, ignoring the tray-only fields', () => {
    const text = JSON.stringify({
      version: 1,
      notifications: { high: false },
      doNotDisturbUntil: 5,
      startAtLogin: true,
      port: 7000,
      ntfy: { url: 'https://ntfy.example.com/', topic: 'signoff-Q7x', tokenEnv: 'NTFY_TOKEN' },
    });
    expect(parseNotifySettings(text)).toEqual({
      ok: true,
      settings: { notifications: { high: false }, doNotDisturbUntil: 5, ntfy: { url: 'https://ntfy.example.com', topic: 'signoff-Q7x', tokenEnv: 'NTFY_TOKEN' } },
    });
  });

  it('defaults every field: high on, no Do Not Disturb, ntfy off', () => {
    expect(parseNotifySettings('{}')).toEqual({ ok: true, settings: DEFAULT_NOTIFY_SETTINGS });
    expect(DEFAULT_NOTIFY_SETTINGS).toEqual({ notifications: { high: true }, doNotDisturbUntil: null, ntfy: null });
  });

  it('names the field and the problem', () => {
    const bad = (ntfy: unknown) => parseNotifySettings(JSON.stringify({ ntfy }));
    expect(bad({ url: 'ftp://x.example', topic: 't' })).toMatchObject({ ok: false, problem: expect.stringContaining('ntfy.url') });
    expect(bad({ url: 'https://ntfy.sh', topic: 'a/b' })).toMatchObject({ ok: false, problem: expect.stringContaining('ntfy.topic') });
    // The token itself does not belong in a file: only the name of the variable holding it.
    expect(bad({ url: 'https://ntfy.sh', topic: 't', tokenEnv: 'tk_abc-123' })).toMatchObject({ ok: false, problem: expect.stringContaining('ntfy.tokenEnv') });
    expect(bad({ url: 'https://ntfy.sh', topic: 't', token: 'tk_abc' })).toMatchObject({ ok: false, problem: expect.stringContaining('ntfy') });
    expect(parseNotifySettings('{"notifications":{"high":"yes"}}')).toMatchObject({ ok: false, problem: expect.stringContaining('notifications.high') });
    expect(parseNotifySettings('nope')).toEqual({ ok: false, problem: 'is not valid JSON' });
    expect(parseNotifySettings('[]')).toEqual({ ok: false, problem: 'does not hold a JSON object' });
  });
});

describe('NotifySettingsSource', () => {
  it('gives the defaults without a file, follows changes, and keeps the last good settings over a bad file', () => {
    const source = new NotifySettingsSource(dir, logger);
    expect(source.get()).toEqual(DEFAULT_NOTIFY_SETTINGS);

    write(JSON.stringify({ notifications: { high: false }, doNotDisturbUntil: 99 }));
    expect(source.get()).toMatchObject({ notifications: { high: false }, doNotDisturbUntil: 99 });

    write('{ broken');
    expect(source.get()).toMatchObject({ notifications: { high: false }, doNotDisturbUntil: 99 });
    expect(source.get()).toMatchObject({ notifications: { high: false } });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('keeping the last good notification settings');

    write(JSON.stringify({ ntfy: { url: 'http://192.168.1.5:8080', topic: 'alerts' } }));
    expect(source.get()).toEqual({ notifications: { high: true }, doNotDisturbUntil: null, ntfy: { url: 'http://192.168.1.5:8080', topic: 'alerts' } });

    rmSync(join(dir, SETTINGS_FILE));
    expect(source.get()).toEqual(DEFAULT_NOTIFY_SETTINGS);
  });
});
