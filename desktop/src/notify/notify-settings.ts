import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@signoff/shared';
import { z } from 'zod';

/**
 * The one settings file for notifications, in the data dir beside `signoff.db`. The tray
 * writes it (its menu); the hub reads its notification part for Web Push and ntfy, so the
 * phone follows the same choices as the desktop. A headless hub's person edits it by hand.
 */
export const SETTINGS_FILE = 'tray-settings.json';

/** An environment variable's name: what `ntfy.tokenEnv` holds instead of the token itself. */
const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'must be an environment variable name (letters, digits, _)');

/**
 * Where the hub publishes content-free notifications through ntfy (ntfy.sh or a server of
 * one's own): `POST <url>/<topic>`. Off when `null`.
 */
export const NtfySettingsSchema = z.strictObject({
  /** The ntfy server, `https://ntfy.sh` or one's own (plain `http:` is allowed for a server on the LAN). */
  url: z
    .string()
    .max(500)
    .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }))
    .transform((text) => text.replace(/\/+$/, '')),
  /** The topic; on a public server anyone who knows it can read it, so make it unguessable. */
  topic: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, - or _'),
  /** Names the environment variable holding an access token, sent as `Authorization: Bearer`; never the token itself. */
  tokenEnv: EnvName.optional(),
});
export type NtfySettings = z.output<typeof NtfySettingsSchema>;

/** The notification settings the tray and the hub share. Every field has a default. */
export const NotifySettingsShape = {
  notifications: z
    .object({
      /**
       * Notifications for high-severity requests. Critical ones always notify (even in
       * Do Not Disturb); medium and low only update the count.
       * @default true
       */
      high: z.boolean().default(true),
    })
    .default({ high: true }),
  /** Do Not Disturb until this time (epoch ms); `null` when off. @default null */
  doNotDisturbUntil: z.number().int().nonnegative().nullable().default(null),
  /** Publish to ntfy too. @default null (off) */
  ntfy: NtfySettingsSchema.nullable().default(null),
};

export const NotifySettingsSchema = z.object(NotifySettingsShape);
export type NotifySettings = z.output<typeof NotifySettingsSchema>;

export const DEFAULT_NOTIFY_SETTINGS: NotifySettings = Object.freeze(NotifySettingsSchema.parse({}));

export function settingsPath(dataDir: string): string {
  return join(dataDir, SETTINGS_FILE);
}

/**
 * The notification part of {@link SETTINGS_FILE} as the hub follows it: read again when
 * the file changes (checked by size and modification time each time a notification is
 * decided, which is rare), so no watcher is needed. A missing file gives the defaults; a
 * file that is not JSON or whose notification part is invalid keeps the last good
 * settings, with one warning per broken version of the file.
 */
export class NotifySettingsSource {
  private current: NotifySettings = DEFAULT_NOTIFY_SETTINGS;
  /** Size, mtime and inode of the file last read. */
  private seen: string | null = null;
  private warned: string | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  get(): NotifySettings {
    const file = settingsPath(this.dataDir);
    let version: string;
    try {
      const stat = statSync(file);
      version = `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.seen = null;
        this.current = DEFAULT_NOTIFY_SETTINGS;
      } else {
        this.warnOnce(`stat:${(error as NodeJS.ErrnoException).code}`, `cannot read ${file} (${(error as Error).message}); keeping the last good notification settings`);
      }
      return this.current;
    }
    if (version === this.seen) return this.current;
    this.seen = version;
    const parsed = parseNotifySettings(readText(file));
    if (parsed.ok) this.current = parsed.settings;
    else this.logger.warn(`${file}: ${parsed.problem}; keeping the last good notification settings`);
    return this.current;
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned === key) return;
    this.warned = key;
    this.logger.warn(message);
  }
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The notification part of the settings file's text, or what is wrong with it (naming the fields). */
export function parseNotifySettings(text: string | null): { ok: true; settings: NotifySettings } | { ok: false; problem: string } {
  if (text === null) return { ok: false, problem: 'cannot be read' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'is not valid JSON' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, problem: 'does not hold a JSON object' };
  const parsed = NotifySettingsSchema.safeParse(raw);
  if (parsed.success) return { ok: true, settings: parsed.data };
  const fields = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`);
  return { ok: false, problem: `invalid ${[...new Set(fields)].join('; ')}` };
}
