import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Agents as their own processes, as people run them: the Python examples, and the real
 * SDK on another "machine" — the only way to give it a proxy's CA and a test-only name
 * (NODE_EXTRA_CA_CERTS and the resolver preload in `proxyClientEnv`), which no
 * in-process client can take.
 */

const REPO = fileURLToPath(new URL('../..', import.meta.url));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command` from the repository with `env` over a clean Signoff environment (no SIGNOFF_* inherited). */
export function runProcess(command: string, args: string[], env: Record<string, string>): { done: Promise<Run> } {
  const child = spawn(command, args, {
    cwd: REPO,
    env: { ...process.env, SIGNOFF_URL: '', SIGNOFF_TOKEN: '', SIGNOFF_PORT: '', SIGNOFF_HOME: '', PYTHONDONTWRITEBYTECODE: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr }))) };
}

/**
 * An agent program on the SDK, as someone would write one: `connect()` reads SIGNOFF_URL
 * and SIGNOFF_TOKEN; it asks for ASK_REQUEST (JSON) and prints the decision as JSON.
 */
const SDK_AGENT = `
import { connect } from '@signoff/shared/agent';
const client = await connect({ agentId: process.env.ASK_AGENT_ID });
try {
  const decision = await client.requestApproval(JSON.parse(process.env.ASK_REQUEST));
  console.log(JSON.stringify(decision));
} finally {
  client.close();
}
`;

/** Runs the SDK agent above with `env` (SIGNOFF_URL, SIGNOFF_TOKEN, proxy env) asking for `request`. */
export function runSdkAgent(env: Record<string, string>, request: Record<string, unknown>, agentId = 'build-bot'): { done: Promise<Run> } {
  return runProcess(process.execPath, ['--input-type=module', '-e', SDK_AGENT], { ...env, ASK_AGENT_ID: agentId, ASK_REQUEST: JSON.stringify(request) });
}
