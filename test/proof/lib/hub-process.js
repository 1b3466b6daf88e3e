// @ts-check
/**
 * A real hub as the person runs it: `node desktop/bin/signoff.js hub --port N --data-dir DIR`
 * in a child process over real SQLite, killed and restarted on the same data dir and
 * port as a suite wishes. Any exit the suite did not ask for is a crash, reported to the
 * tally with the hub's last log lines.
 *
 * SIGNOFF_PROOF_ROOT=/path/to/another/checkout runs the proof against that checkout's
 * build instead of this one (useful while this working tree is mid-change).
 */
import { execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir, sleep, trackChild } from './processes.js';

/** The repository whose build the proof runs. */
export const ROOT = process.env.SIGNOFF_PROOF_ROOT ?? fileURLToPath(new URL('../../..', import.meta.url));
export const CLI = join(ROOT, 'desktop/bin/signoff.js');

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const LOG_LINES = 300;

/**
 * @typedef {object} CrashSink
 * @property {(what: string, logTail: string[]) => void} crash
 */

/**
 * Runs the `signoff` CLI (not the hub) to completion.
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, timeoutMs?: number }} [options]
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
export function runCli(args, options = {}) {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, ...options.env }, timeout: options.timeoutMs ?? 30_000, maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

export class HubProcess {
  /**
   * @param {{ label: string, dataDir?: string, port?: number, sink: CrashSink }} options
   */
  constructor(options) {
    this.label = options.label;
    this.dataDir = options.dataDir ?? makeTempDir(`signoff-proof-${options.label.replace(/[^\w-]/g, '-')}-`);
    this.port = options.port ?? 0;
    this.sink = options.sink;
    /** @type {import('node:child_process').ChildProcess | null} */
    this.child = null;
    /** @type {string[]} */
    this.log = [];
    this.url = '';
    this.agentToken = '';
    /** Starts, counting restarts. */
    this.starts = 0;
    /** Exits nobody asked for. */
    this.crashes = 0;
    this.expectExit = false;
  }

  /**
   * Starts a hub and waits for its "listening on" line.
   * @param {{ label: string, sink: CrashSink, dataDir?: string, port?: number }} options
   */
  static async start(options) {
    const hub = new HubProcess(options);
    await hub.restart();
    return hub;
  }

  get pid() {
    return this.child?.pid ?? -1;
  }

  alive() {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** (Re)starts the hub on the same data dir and, once known, the same port. */
  async restart() {
    if (this.alive()) throw new Error(`${this.label}: hub already running`);
    this.expectExit = false;
    const child = spawn(process.execPath, [CLI, 'hub', '--port', String(this.port), '--data-dir', this.dataDir], {
      env: { ...process.env, SIGNOFF_HOME: this.dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    trackChild(child);
    this.child = child;
    this.starts += 1;
    /** @type {(url: string) => void} */
    let onListening = () => {};
    const listening = new Promise((resolve) => (onListening = resolve));
    /** @param {NodeJS.ReadableStream | null} stream */
    const read = (stream) => {
      let partial = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          this.log.push(line);
          if (this.log.length > LOG_LINES) this.log.shift();
          const match = /listening on (http:\/\/\S+)/.exec(line);
          if (match) onListening(match[1] ?? '');
        }
      });
    };
    read(child.stdout);
    read(child.stderr);
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    child.once('exit', (code, signal) => {
      if (this.expectExit || this.child !== child) return;
      this.crashes += 1;
      this.sink.crash(`${this.label}: hub exited by itself (${signal ?? `code ${code}`})`, this.log.slice(-40));
    });
    const result = await Promise.race([
      listening.then((url) => ({ url })),
      exited.then((how) => ({ exited: how })),
      sleep(START_TIMEOUT_MS).then(() => ({ timeout: true })),
    ]);
    if (!('url' in result)) {
      if (this.alive()) this.kill();
      throw new Error(`${this.label}: hub did not start (${JSON.stringify(result)}); log:\n${this.log.slice(-20).join('\n')}`);
    }
    this.url = /** @type {string} */ (result.url);
    this.port = Number(new URL(this.url).port);
    this.agentToken = readFileSync(join(this.dataDir, 'agent.token'), 'utf8').trim();
    return this;
  }

  /** SIGKILL, as a crash or a power cut of the process would; resolves once it is gone. */
  async kill() {
    const child = this.child;
    if (!child || !this.alive()) return;
    this.expectExit = true;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
  }

  /** SIGTERM (a clean stop), escalating to SIGKILL. */
  async stop() {
    const child = this.child;
    if (!child || !this.alive()) return;
    this.expectExit = true;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const stopped = await Promise.race([gone.then(() => true), sleep(STOP_TIMEOUT_MS).then(() => false)]);
    if (!stopped) {
      child.kill('SIGKILL');
      await gone;
    }
  }

  /** Open file descriptors of the hub process (Linux /proc). */
  fdCount() {
    return readdirSync(`/proc/${this.pid}/fd`).length;
  }

  /** Resident set size in MB (Linux /proc). */
  rssMb() {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    return Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN) / 1024;
  }

  /** A fresh one-time code, written by the real `signoff pair` into this data dir. */
  async pairingCode() {
    const { code, stdout, stderr } = await runCli(['pair', '--data-dir', this.dataDir, '--port', String(this.port)], { env: { SIGNOFF_HOME: this.dataDir } });
    const last = stdout.trim().split('\n').pop()?.trim() ?? '';
    if (code !== 0 || !/^[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(last)) throw new Error(`signoff pair failed (${code}): ${stdout} ${stderr}`);
    return last;
  }

  /**
   * Pairs an approver the way a person's own script does: `signoff pair` writes a code,
   * `POST /api/v1/pair {code, name}` (no device key) answers a bearer token.
   * @param {string} name
   * @returns {Promise<{ token: string, deviceId: string | null }>}
   */
  async pairApprover(name) {
    const code = await this.pairingCode();
    const res = await fetch(`${this.url}/api/v1/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, name }),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`${this.label}: pairing failed: ${res.status} ${text}`);
    const body = JSON.parse(text);
    if (typeof body.token !== 'string') throw new Error(`${this.label}: pairing answered no bearer token: ${text}`);
    return { token: body.token, deviceId: typeof body.deviceId === 'string' ? body.deviceId : null };
  }

  /** Waits until `/api/v1/health` answers 200 (a hang guard, not a timing measure). */
  async waitHealthy(timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const res = await fetch(`${this.url}/api/v1/health`, { signal: AbortSignal.timeout(5_000) });
        if (res.status === 200) return true;
      } catch {
        // not yet
      }
      if (Date.now() > deadline) return false;
      await sleep(50);
    }
  }

  /** The data dir's SQLite file. */
  get dbPath() {
    return join(this.dataDir, 'signoff.db');
  }
}
