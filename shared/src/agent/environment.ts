import { DEFAULT_PORT, ErrorCode, SignoffError } from '../protocol/index.js';

/**
 * Defaults taken from the environment when running under Node. The SDK reaches
 * Node's fs/os through `process.getBuiltinModule` instead of importing them, so
 * `shared/` stays importable from any runtime (the extension bundles it).
 */
interface NodeProcess {
  env: Record<string, string | undefined>;
  getBuiltinModule?(id: string): unknown;
}

const nodeProcess = (globalThis as { process?: NodeProcess }).process;

export function env(name: string): string | undefined {
  const value = nodeProcess?.env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** `SIGNOFF_URL`, else `http://127.0.0.1:${SIGNOFF_PORT ?? 7475}`. */
export function defaultHubUrl(): string {
  return env('SIGNOFF_URL') ?? `http://127.0.0.1:${env('SIGNOFF_PORT') ?? DEFAULT_PORT}`;
}

/** `SIGNOFF_HOME`, else `~/.signoff`. */
export function defaultDataDir(): string {
  const home = env('SIGNOFF_HOME');
  if (home) return home;
  const os = nodeProcess?.getBuiltinModule?.('node:os') as { homedir(): string } | undefined;
  if (!os) throw new SignoffError(ErrorCode.unauthorized, 'no data dir: pass a token, or set SIGNOFF_TOKEN or SIGNOFF_HOME');
  return `${os.homedir()}/.signoff`;
}

/** `SIGNOFF_TOKEN`, else the data dir's `agent.token` (written by the hub on first start). */
export function defaultAgentToken(dataDir = defaultDataDir()): string {
  const fromEnv = env('SIGNOFF_TOKEN');
  if (fromEnv) return fromEnv;
  const fs = nodeProcess?.getBuiltinModule?.('node:fs') as { readFileSync(path: string, enc: 'utf8'): string } | undefined;
  const file = `${dataDir}/agent.token`;
  try {
    if (fs) return fs.readFileSync(file, 'utf8').trim();
  } catch {
    // fall through to the explanation below
  }
  throw new SignoffError(
    ErrorCode.unauthorized,
    `no agent token: set SIGNOFF_TOKEN, or start the hub once (npx signoff hub) so it writes ${file}`,
  );
}
