import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntil } from './wait-until.js';

/**
 * Debian's Caddy as the TLS-terminating reverse proxy in front of a test hub: the same
 * engine a person would put on their LAN (`tls internal`), on a high port, for a name
 * that only the test maps to 127.0.0.1. Nothing is installed into any trust store:
 * clients are given `caRoot` (Node's `ca`/`NODE_EXTRA_CA_CERTS`, Python's `cafile`) or
 * told to ignore certificate errors (Chromium).
 */
export interface TestProxy {
  /** `https://NAME:PORT`: what the hub is told with `--public-url`. */
  publicUrl: string;
  /** The name in the certificate and the Host header (`signoff.test`). */
  name: string;
  port: number;
  /** PEM of Caddy's local root CA, which signed the site's certificate. */
  caRoot: string;
  /** Path of that PEM, for `NODE_EXTRA_CA_CERTS` and Python's `ssl`. */
  caRootFile: string;
  /** Chromium flag mapping the name to 127.0.0.1. */
  chromiumResolverRule: string;
  /** `NODE_OPTIONS` value for a child Node process (CLI, hook, MCP server) to reach the name. */
  nodeOptions: string;
  stop(): Promise<void>;
}

export const CADDY_BINARY = process.env.SIGNOFF_TEST_CADDY ?? '/usr/bin/caddy';
/** The name the tests give the hub. `.test` is reserved (RFC 2606): it can never be a real host. */
export const TEST_PUBLIC_NAME = 'signoff.test';

export function caddyAvailable(): boolean {
  return existsSync(CADDY_BINARY);
}

/** A port free on 127.0.0.1 now: for a hub that must know its proxy before it starts. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A preload for child Node processes: resolves TEST_PUBLIC_NAME (and only it) to 127.0.0.1. */
const RESOLVER_PRELOAD = `
const dns = require('node:dns');
const name = process.env.SIGNOFF_TEST_PUBLIC_NAME;
const original = dns.lookup;
dns.lookup = function (host, options, callback) {
  if (typeof options === 'function') { callback = options; options = {}; }
  if (host === name) {
    const all = typeof options === 'object' && options && options.all;
    return process.nextTick(() => all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4));
  }
  return original.call(this, host, options, callback);
};
`;

/**
 * Starts Caddy on a free high port with `tls internal`, forwarding to `hubPort`.
 * Caddy keeps the client's Host header and sets X-Forwarded-For, as in production.
 */
export async function startCaddy(hubPort: number, options: { name?: string } = {}): Promise<TestProxy> {
  const name = options.name ?? TEST_PUBLIC_NAME;
  const dir = mkdtempSync(join(tmpdir(), 'signoff-caddy-'));
  const port = await freePort();
  const caddyfile = join(dir, 'Caddyfile');
  writeFileSync(
    caddyfile,
    `{
  admin off
  skip_install_trust
  storage file_system ${join(dir, 'storage')}
  auto_https disable_redirects
  log {
    level ERROR
  }
}
https://${name}:${port} {
  bind 127.0.0.1
  tls internal
  reverse_proxy 127.0.0.1:${hubPort}
}
`,
  );
  const preload = join(dir, 'resolve-test-name.cjs');
  writeFileSync(preload, RESOLVER_PRELOAD);
  const child: ChildProcess = spawn(CADDY_BINARY, ['run', '--config', caddyfile, '--adapter', 'caddyfile'], {
    env: { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const caRootFile = join(dir, 'storage', 'pki', 'authorities', 'local', 'root.crt');
  try {
    await waitUntil(async () => child.exitCode === null && existsSync(caRootFile) && (await listening(port)), `Caddy on port ${port}`);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`Caddy did not start: ${(error as Error).message}\n${stderr}`);
  }
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    publicUrl: `https://${name}:${port}`,
    name,
    port,
    caRoot: readFileSync(caRootFile, 'utf8'),
    caRootFile,
    chromiumResolverRule: `MAP ${name} 127.0.0.1`,
    nodeOptions: `--require ${preload}`,
    stop,
  };
}

/** Env for a child Node process that must reach the proxy by its name and trust its CA. */
export function proxyClientEnv(proxy: TestProxy): Record<string, string> {
  return {
    NODE_OPTIONS: proxy.nodeOptions,
    NODE_EXTRA_CA_CERTS: proxy.caRootFile,
    SIGNOFF_TEST_PUBLIC_NAME: proxy.name,
  };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}
