import { DEFAULT_PORT } from '../protocol/constants.js';
import { ErrorCode, SignoffError } from '../protocol/errors.js';

/**
 * The one place the `SIGNOFF_*` variables are read and checked: the SDK, the CLI and
 * the tray all resolve the data dir, port, hub URL and agent token here, so a bad
 * value gets the same error everywhere.
 *
 * Imports only the zod-free protocol modules, so the CLI's fast paths (the Claude
 * Code hook) can use it. Node's fs/os/path are reached through
 * `process.getBuiltinModule` instead of imports, so `shared/` stays importable from
 * any runtime (the extension bundles it).
 */

/** The variables read here. */
export const SignoffVariable = {
  /** The data dir (`signoff.db`, `agent.token`, keys). */
  home: 'SIGNOFF_HOME',
  /** The hub's port on 127.0.0.1. */
  port: 'SIGNOFF_PORT',
  /** The hub's full URL; wins over `SIGNOFF_PORT` for clients. */
  url: 'SIGNOFF_URL',
  /** The agent token; wins over the data dir's `agent.token`. */
  token: 'SIGNOFF_TOKEN',
  /** The hub's public URL (the reverse proxy's `https://…`); `signoff hub --public-url` wins over it. */
  publicUrl: 'SIGNOFF_PUBLIC_URL',
} as const;
export type SignoffVariable = (typeof SignoffVariable)[keyof typeof SignoffVariable];

/** Environment variables by name, like `process.env`. */
export type Environment = Readonly<Record<string, string | undefined>>;

interface NodeProcess {
  env: Environment;
  getBuiltinModule?(id: string): unknown;
}

const nodeProcess = (globalThis as { process?: NodeProcess }).process;

function processEnv(): Environment {
  return nodeProcess?.env ?? {};
}

/** A variable's value; unset and empty are the same (`SIGNOFF_URL= cmd` clears it). */
export function readVariable(name: string, env: Environment = processEnv()): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** Largest TCP port. */
const MAX_PORT = 65535;

/**
 * Parses a port given as text: plain digits only, since `Number()` reads `' '` as 0
 * (a random port) and `'0x1f90'` as 8080.
 *
 * @param source what the text came from, named in the error: `SIGNOFF_PORT`, `--port`
 * @param allowAnyPort accept 0 ("any free port"), which only makes sense for a port to listen on. @default false
 * @throws SignoffError `invalid_request`: `<source>: port must be <min>-65535, not "<raw>"`
 */
export function parsePort(raw: string, source: string, allowAnyPort = false): number {
  const min = allowAnyPort ? 0 : 1;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < min || port > MAX_PORT) {
    throw new SignoffError(ErrorCode.invalid, `${source}: port must be ${min}-${MAX_PORT}, not ${JSON.stringify(raw)}`, { source });
  }
  return port;
}

export interface PortOptions {
  /** The command line's `--port`, when given; wins over `SIGNOFF_PORT`. */
  flag?: string | undefined;
  /** @default process.env */
  env?: Environment;
  /**
   * Accept `--port 0` (any free port): for the hub, which listens. `SIGNOFF_PORT=0` is
   * refused even then, since every client reads the same variable to find the hub.
   * @default false
   */
  allowAnyPort?: boolean;
}

/**
 * `--port`, else `SIGNOFF_PORT`, else {@link DEFAULT_PORT} (7475). An empty value
 * counts as unset.
 * @throws SignoffError `invalid_request` for a malformed port (see {@link parsePort})
 */
export function resolvePort({ flag, env = processEnv(), allowAnyPort = false }: PortOptions = {}): number {
  if (flag !== undefined && flag !== '') return parsePort(flag, '--port', allowAnyPort);
  const fromEnv = readVariable(SignoffVariable.port, env);
  return fromEnv === undefined ? DEFAULT_PORT : parsePort(fromEnv, SignoffVariable.port);
}

export interface HubUrlOptions {
  /** The command line's `--port`, when given; wins over `SIGNOFF_URL` and `SIGNOFF_PORT`. */
  portFlag?: string | undefined;
  /** @default process.env */
  env?: Environment;
}

/**
 * Checks `SIGNOFF_URL` and gives its origin. Only an origin: the hub answers at the root
 * of its name (a public URL has no path either), and a path would silently become part
 * of the Socket.IO namespace (`https://host/signoff` → namespace `/signoff/agent`). No
 * credentials: the token goes in `SIGNOFF_TOKEN`, never into a URL that gets logged.
 * @throws SignoffError `invalid_request` naming SIGNOFF_URL and what is wrong
 */
function parseHubUrl(raw: string): string {
  const bad = (why: string) => new SignoffError(ErrorCode.invalid, `${SignoffVariable.url}: ${why}, not ${JSON.stringify(raw)}`, { source: SignoffVariable.url });
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw bad('must be a URL such as https://box.example.ts.net or http://127.0.0.1:7475');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw bad('must start with https:// or http://');
  if (url.username || url.password) throw bad('must not carry credentials (the token goes in SIGNOFF_TOKEN)');
  if (url.pathname.replace(/\/+$/, '') !== '' || url.search || url.hash) throw bad('must be the hub\'s origin only (scheme, name and port), without a path');
  return url.origin;
}

/**
 * The hub a client talks to: `--port` on 127.0.0.1 if given, else `SIGNOFF_URL`
 * (its origin: without a trailing slash), else 127.0.0.1 at `SIGNOFF_PORT` or 7475.
 * `SIGNOFF_PORT` is not read (nor checked) when `SIGNOFF_URL` is set.
 * @throws SignoffError `invalid_request` for a malformed port or `SIGNOFF_URL`
 */
export function resolveHubUrl({ portFlag, env = processEnv() }: HubUrlOptions = {}): string {
  const url = readVariable(SignoffVariable.url, env);
  if (url !== undefined && portFlag === undefined) return parseHubUrl(url);
  return `http://127.0.0.1:${resolvePort({ flag: portFlag, env })}`;
}

export interface DataDirOptions {
  /** The command line's `--data-dir`, when given. */
  flag?: string | undefined;
  /** @default process.env */
  env?: Environment;
  /** The person's home directory. @default os.homedir() under Node */
  homedir?: string;
}

interface NodeOs {
  homedir(): string;
}
interface NodePath {
  join(...parts: string[]): string;
}

/**
 * `--data-dir`, else `SIGNOFF_HOME`, else `<home>/.signoff`.
 * @throws SignoffError `unauthorized` when there is no home directory to fall back on (not Node)
 */
export function resolveDataDir({ flag, env = processEnv(), homedir }: DataDirOptions = {}): string {
  const chosen = flag ?? readVariable(SignoffVariable.home, env);
  if (chosen !== undefined) return chosen;
  const home = homedir ?? (nodeProcess?.getBuiltinModule?.('node:os') as NodeOs | undefined)?.homedir();
  if (home === undefined) throw new SignoffError(ErrorCode.unauthorized, 'no data dir: pass a token, or set SIGNOFF_TOKEN or SIGNOFF_HOME');
  const path = nodeProcess?.getBuiltinModule?.('node:path') as NodePath | undefined;
  return path ? path.join(home, '.signoff') : `${home}/.signoff`;
}

export interface AgentTokenOptions {
  /** Where `agent.token` is. @default resolveDataDir({ env }) */
  dataDir?: string;
  /** @default process.env */
  env?: Environment;
}

/**
 * `SIGNOFF_TOKEN`, else the data dir's `agent.token` (written by the hub on first start).
 * @throws SignoffError `unauthorized` saying how to get a token when there is none
 */
export function resolveAgentToken({ env = processEnv(), dataDir }: AgentTokenOptions = {}): string {
  const fromEnv = readVariable(SignoffVariable.token, env);
  if (fromEnv) return fromEnv;
  const file = `${dataDir ?? resolveDataDir({ env })}/agent.token`;
  const fs = nodeProcess?.getBuiltinModule?.('node:fs') as { readFileSync(path: string, enc: 'utf8'): string } | undefined;
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

/** The SDK's default hub URL: `SIGNOFF_URL`, else `http://127.0.0.1:${SIGNOFF_PORT ?? 7475}`. */
export function defaultHubUrl(): string {
  return resolveHubUrl();
}

/** The SDK's default data dir: `SIGNOFF_HOME`, else `~/.signoff`. */
export function defaultDataDir(): string {
  return resolveDataDir();
}

/** The SDK's default agent token: `SIGNOFF_TOKEN`, else the data dir's `agent.token`. */
export function defaultAgentToken(dataDir?: string): string {
  return resolveAgentToken(dataDir === undefined ? {} : { dataDir });
}
