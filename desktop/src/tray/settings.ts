import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PORT, type Logger } from '@signoff/shared';
import * as environment from '@signoff/shared/agent/environment';
import { z } from 'zod';
import { parsePublicUrl } from '../hub/public-url.js';
import { NotifySettingsShape, settingsPath } from '../notify/notify-settings.js';

export { SETTINGS_FILE, settingsPath } from '../notify/notify-settings.js';

const Port = z.number().int().min(1).max(65535);
const PublicUrl = z.string().superRefine((raw, ctx) => {
  try {
    parsePublicUrl(raw, 'publicUrl');
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

/**
 * What the tray remembers between runs. Every field has a default, so a missing
 * or partly broken file still gives usable settings.
 */
export const TraySettingsSchema = z.object({
  version: z.literal(1).default(1),
  /** Shared with the hub's Web Push and ntfy (`notify-settings.ts`). */
  ...NotifySettingsShape,
  /** Start the tray when the person logs in. @default false */
  startAtLogin: z.boolean().default(false),
  /** Hub port; `null` uses `SIGNOFF_PORT` or 7475. @default null */
  port: Port.nullable().default(null),
  /** The hub's public URL (a reverse proxy's `https://…`, see `signoff hub --public-url`); `null` uses `SIGNOFF_PUBLIC_URL` or none. @default null */
  publicUrl: PublicUrl.nullable().default(null),
});

export type TraySettings = z.output<typeof TraySettingsSchema>;

export const DEFAULT_SETTINGS: TraySettings = Object.freeze(TraySettingsSchema.parse({}));

/**
 * Field by field fallback: a bad value costs that field only, not the whole file.
 * Built from the strict schema so the two cannot drift apart.
 */
const LenientSettingsSchema = z.object({
  version: TraySettingsSchema.shape.version.catch(1),
  notifications: z
    .object({ high: z.boolean().catch(DEFAULT_SETTINGS.notifications.high) })
    .catch({ ...DEFAULT_SETTINGS.notifications }),
  doNotDisturbUntil: TraySettingsSchema.shape.doNotDisturbUntil.catch(DEFAULT_SETTINGS.doNotDisturbUntil),
  ntfy: TraySettingsSchema.shape.ntfy.catch(DEFAULT_SETTINGS.ntfy),
  startAtLogin: TraySettingsSchema.shape.startAtLogin.catch(DEFAULT_SETTINGS.startAtLogin),
  port: TraySettingsSchema.shape.port.catch(DEFAULT_SETTINGS.port),
  publicUrl: TraySettingsSchema.shape.publicUrl.catch(DEFAULT_SETTINGS.publicUrl),
});

/**
 * Reads the settings. A missing file gives the defaults; an unreadable, non-JSON or
 * invalid one gives the defaults for what is wrong and a warning, never a crash:
 * the tray must start even when someone edited the file by hand.
 */
export function loadSettings(dataDir: string, logger: Pick<Logger, 'warn'>): TraySettings {
  const file = settingsPath(dataDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn(`cannot read ${file} (${(error as Error).message}); using default settings`);
    return cloneSettings(DEFAULT_SETTINGS);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    logger.warn(`${file} is not valid JSON; using default settings`);
    return cloneSettings(DEFAULT_SETTINGS);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    logger.warn(`${file} does not hold a JSON object; using default settings`);
    return cloneSettings(DEFAULT_SETTINGS);
  }
  const strict = TraySettingsSchema.safeParse(raw);
  if (strict.success) return strict.data;
  const fields = [...new Set(strict.error.issues.map((issue) => issue.path.join('.') || '(root)'))];
  logger.warn(`${file}: invalid ${fields.join(', ')}; using the default for ${fields.length === 1 ? 'it' : 'them'}`);
  return LenientSettingsSchema.parse(raw);
}

/**
 * Writes the settings atomically: a temporary file in the same directory, flushed,
 * then renamed over the old one, so a crash leaves either the old or the new file.
 */
export function saveSettings(dataDir: string, settings: TraySettings): void {
  const valid = TraySettingsSchema.parse(settings);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileAtomic(settingsPath(dataDir), `${JSON.stringify(valid, null, 2)}\n`, 0o600);
}

/** Temp file + fsync + rename; the temp file is removed if anything fails. */
export function writeFileAtomic(file: string, content: string, mode: number): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = openSync(tmp, 'wx', mode);
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

function cloneSettings(settings: TraySettings): TraySettings {
  return { ...settings, notifications: { ...settings.notifications } };
}

/** Settings held in memory and written through on every change. */
export class SettingsStore {
  private current: TraySettings;

  constructor(
    private readonly dataDir: string,
    logger: Pick<Logger, 'warn'>,
  ) {
    this.current = loadSettings(dataDir, logger);
  }

  get(): TraySettings {
    return this.current;
  }

  /** Applies a change, saves it, and returns the new settings. */
  update(change: (settings: TraySettings) => TraySettings): TraySettings {
    const next = TraySettingsSchema.parse(change(cloneSettings(this.current)));
    saveSettings(this.dataDir, next);
    this.current = next;
    return next;
  }
}

/** The data dir shared with `signoff hub`: `SIGNOFF_HOME`, else `~/.signoff`. */
export function resolveDataDir(env: environment.Environment, home: string): string {
  return environment.resolveDataDir({ env, homedir: home });
}

/**
 * The hub port: `SIGNOFF_PORT` (set by `npm start -- --port N`), else the settings'
 * `port`, else 7475. A malformed `SIGNOFF_PORT` is ignored with a warning carrying the
 * same message the CLI and the SDK give: started from a login item, the tray has no
 * terminal to show an error in, and the port it falls back to is one it can report.
 */
export function resolvePort(env: environment.Environment, settings: Pick<TraySettings, 'port'>, logger: Pick<Logger, 'warn'>): number {
  const fallback = settings.port ?? DEFAULT_PORT;
  const raw = environment.readVariable(environment.SignoffVariable.port, env);
  if (raw === undefined) return fallback;
  try {
    return environment.parsePort(raw, environment.SignoffVariable.port);
  } catch (error) {
    logger.warn(`${(error as Error).message}; using port ${fallback}`);
    return fallback;
  }
}

/**
 * The hub's public URL: `SIGNOFF_PUBLIC_URL`, else the settings' `publicUrl`, else none.
 * A malformed variable is ignored with a warning, like a malformed `SIGNOFF_PORT`.
 */
export function resolvePublicUrl(env: environment.Environment, settings: Pick<TraySettings, 'publicUrl'>, logger: Pick<Logger, 'warn'>): string | undefined {
  const fallback = settings.publicUrl ?? undefined;
  const raw = environment.readVariable(environment.SignoffVariable.publicUrl, env);
  if (raw === undefined) return fallback;
  try {
    return parsePublicUrl(raw, environment.SignoffVariable.publicUrl).origin;
  } catch (error) {
    logger.warn(`${(error as Error).message}; ${fallback ? `using ${fallback}` : 'no public URL'}`);
    return fallback;
  }
}
