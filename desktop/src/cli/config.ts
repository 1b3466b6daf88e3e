import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PORT } from '@signoff/shared/protocol/constants';
import { UsageError } from './usage-error.js';

/** `--data-dir`, else `SIGNOFF_HOME`, else `~/.signoff` (shared with the tray app). */
export function resolveDataDir(flag: string | undefined, env = process.env): string {
  return flag ?? (env.SIGNOFF_HOME || join(homedir(), '.signoff'));
}

/** `--port`, else `SIGNOFF_PORT`, else 7475. */
export function resolvePort(flag: string | undefined, env = process.env): number {
  const raw = flag ?? env.SIGNOFF_PORT;
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  const port = Number(raw);
  // Plain digits only: Number() reads ' ' as 0 (a random port) and '0x1f90' as 8080.
  if (!/^\d+$/.test(raw) || port > 65535) throw new UsageError(`port must be 0-65535, not ${JSON.stringify(raw)}`);
  return port;
}

/** The hub an agent command talks to: `SIGNOFF_URL`, else 127.0.0.1 at the resolved port. */
export function resolveHubUrl(portFlag: string | undefined, env = process.env): string {
  if (env.SIGNOFF_URL && portFlag === undefined) return env.SIGNOFF_URL.replace(/\/$/, '');
  return `http://127.0.0.1:${resolvePort(portFlag, env)}`;
}
