// The SIGNOFF_* variables are parsed once, in the SDK's environment module; this file
// only turns its errors into usage errors (exit 2, with the command's help). That
// module's own subpath loads no zod and no socket.io (the hook's start path).
import * as environment from '@signoff/shared/agent/environment';
import { ErrorCode, SignoffError } from '@signoff/shared/protocol/errors';
import { parsePublicUrl } from '../hub/public-url.js';
import { UsageError } from './usage-error.js';

type Env = environment.Environment;

/** Runs a resolver, turning a bad value (`SIGNOFF_PORT=abc`, `--port 0x50`) into a {@link UsageError} with the same message. */
function asUsage<T>(resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    if (error instanceof SignoffError && error.code === ErrorCode.invalid) throw new UsageError(error.message);
    throw error;
  }
}

/** `--data-dir`, else `SIGNOFF_HOME`, else `~/.signoff` (shared with the tray app). */
export function resolveDataDir(flag: string | undefined, env: Env = process.env): string {
  return environment.resolveDataDir({ flag, env });
}

/** The port `signoff hub` listens on: `--port` (0 = any free port), else `SIGNOFF_PORT`, else 7475. */
export function resolvePort(flag: string | undefined, env: Env = process.env): number {
  return asUsage(() => environment.resolvePort({ flag, env, allowAnyPort: true }));
}

/** The hub an agent command talks to: `--port`, else `SIGNOFF_URL`, else 127.0.0.1 at `SIGNOFF_PORT` or 7475. */
export function resolveHubUrl(portFlag: string | undefined, env: Env = process.env): string {
  return asUsage(() => environment.resolveHubUrl({ portFlag, env }));
}

/**
 * The hub's public URL: `--public-url`, else `SIGNOFF_PUBLIC_URL`, else none. Checked
 * here so the error names where the bad value came from.
 */
export function resolvePublicUrl(flag: string | undefined, env: Env = process.env): string | undefined {
  const [raw, source] = flag !== undefined ? [flag, '--public-url'] : [environment.readVariable(environment.SignoffVariable.publicUrl, env), environment.SignoffVariable.publicUrl];
  if (raw === undefined) return undefined;
  return asUsage(() => parsePublicUrl(raw, source).origin);
}
