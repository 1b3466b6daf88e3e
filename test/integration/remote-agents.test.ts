import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnyResponse, SignoffRequest } from '@signoff/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApproverBot, type ApproverBot } from '../support/approver-bot.js';
import { caddyAvailable, proxyClientEnv, startCaddy, type TestProxy } from '../support/caddy.js';
import { runCli } from '../support/cli.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { startMcpSession } from '../support/mcp-client.js';
import { runProcess, runSdkAgent } from '../support/agent-process.js';
import { waitUntil } from '../support/wait-until.js';

/**
 * Agents on another machine (issue 13): every agent client Signoff ships — the TS SDK,
 * `signoff ask`, `signoff mcp`, the Claude Code hook, the Python examples — reaches a
 * hub behind real Caddy (TLS with its own root CA, a name only the test maps) with
 * nothing but `SIGNOFF_URL=https://…` and a machine token, and waits across dropped
 * connections. The approver stays on the hub's machine. Each client runs as its own
 * process, given the CA the way a person would give it (NODE_EXTRA_CA_CERTS, SSL_CERT_FILE).
 */

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const PYTHON_NAME_MAP = fileURLToPath(new URL('../support/python-test-name', import.meta.url));
const example = (file: string) => fileURLToPath(new URL(`../../examples/python/${file}`, import.meta.url));

/**
 * A plain TCP forward, which is all an SSH tunnel is to the two ends: each connection is
 * piped to `target`. `cut()` ends every piped connection mid-flight (a dropped Wi-Fi, a
 * proxy restart); `target` can move (a hub restarted on another port).
 */
class TcpForward {
  private readonly server: Server;
  private readonly live = new Set<Socket>();
  port = 0;
  constructor(
    public target: { host: string; port: number },
    private readonly address = '127.0.0.1',
  ) {
    this.server = createServer((client) => {
      const upstream = tcpConnect(this.target.port, this.target.host);
      for (const [a, b] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        this.live.add(a);
        a.pipe(b);
        a.on('error', () => b.destroy());
        a.on('close', () => {
          this.live.delete(a);
          b.destroy();
        });
      }
    });
  }
  async listen(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, this.address, () => resolve());
    });
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }
  cut(): number {
    const count = this.live.size;
    for (const socket of this.live) socket.destroy();
    return count;
  }
  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** What the SDK agent asks for. */
const deployRequest = (title: string) => ({ title, severity: 'high', action: { name: 'deploy', args: { build: 4821 } } });

/** A Claude Code PreToolUse payload, as the hook reads it on stdin. */
let toolUses = 0;
const hookPayload = (command: string) => ({
  session_id: '7d1c2b9e-3a4f-4e5d-8c6b-1a2b3c4d5e6f',
  transcript_path: '/home/ci/.claude/projects/-srv-build/7d1c2b9e-3a4f-4e5d-8c6b-1a2b3c4d5e6f.jsonl',
  cwd: '/srv/build',
  permission_mode: 'default',
  hook_event_name: 'PreToolUse',
  tool_name: 'Bash',
  tool_input: { command, description: 'Deploy' },
  tool_use_id: `toolu_01Remote${++toolUses}`,
});

/** POST over https to the proxy, trusting its root (the pairing a phone does when it opens the link). */
function postThroughProxy(proxy: TestProxy, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: proxy.port,
        servername: proxy.name,
        ca: proxy.caRoot,
        method: 'POST',
        path,
        headers: { host: `${proxy.name}:${proxy.port}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
      },
      (res) => {
        let data = '';
        res.on('data', (chunk: Buffer) => (data += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(data) as Record<string, unknown> }));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

describe.runIf(caddyAvailable())('agents on another machine, through Caddy at the hub\'s public URL', () => {
  let forward: TcpForward;
  let proxy: TestProxy;
  let t: TestHub;
  let bot: ApproverBot | undefined;
  let approverToken: string;
  let machineToken: string;
  /** The agent box has no data dir: nothing local to fall back on. */
  let agentHome: string;
  /** What the approver on the hub's machine answers; undefined leaves a request pending. */
  let decide: (r: SignoffRequest) => AnyResponse | undefined = () => ({ approved: true, reason: 'ship it' });

  const startHub = async (dataDir?: string) => {
    t = await startTestHub({ publicUrl: proxy.publicUrl, ...(dataDir ? { dataDir } : {}) });
    forward.target = { host: '127.0.0.1', port: t.port };
  };
  const startBot = async () => {
    bot = await startApproverBot(t.url, approverToken, (r) => decide(r));
  };
  /** The agent box's environment: the public URL, a token, the proxy's root CA, and the test name mapped. */
  const remote = (token = machineToken): Record<string, string> => ({ ...proxyClientEnv(proxy), SIGNOFF_URL: proxy.publicUrl, SIGNOFF_TOKEN: token, SIGNOFF_HOME: agentHome });
  const remotePython = (token = machineToken): Record<string, string> => ({
    PYTHONPATH: PYTHON_NAME_MAP,
    SIGNOFF_TEST_PUBLIC_NAME: proxy.name,
    SSL_CERT_FILE: proxy.caRootFile,
    SIGNOFF_URL: proxy.publicUrl,
    SIGNOFF_TOKEN: token,
    SIGNOFF_HOME: agentHome,
  });
  const seenTitled = (title: string) => waitUntil(() => bot!.seen.find((r) => r.title === title), `"${title}" to reach the approver`);

  beforeAll(async () => {
    agentHome = mkdtempSync(join(tmpdir(), 'signoff-agent-box-'));
    // Caddy → forward → hub: the forward lets the test cut connections and move the hub.
    forward = await new TcpForward({ host: '127.0.0.1', port: 1 }).listen();
    proxy = await startCaddy(forward.port);
    await startHub();
    approverToken = await t.pairApprover('Ada');
    const created = await runCli(['token', 'create', 'build-box', '--data-dir', t.dataDir]).done;
    expect(created.code).toBe(0);
    machineToken = created.stdout.trim().split('\n').at(-1)!;
  });

  afterEach(() => {
    bot?.close();
    bot = undefined;
    decide = () => ({ approved: true, reason: 'ship it' });
  });

  afterAll(async () => {
    await proxy?.stop();
    await forward?.close();
    await t?.dispose();
    rmSync(agentHome, { recursive: true, force: true });
  });

  it('the TS SDK asks with a machine token; the approver on the hub\'s machine sees it from build-box and decides', async () => {
    await startBot();
    const { code, stdout, stderr } = await runSdkAgent(remote(), deployRequest('Deploy build 4821 from the build box?')).done;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'resolved', respondedBy: 'Ada', response: { approved: true, reason: 'ship it' } });
    expect(bot!.seen[0]).toMatchObject({ title: 'Deploy build 4821 from the build box?', agentId: 'build-bot', machine: 'build-box', severity: 'high' });
  });

  it('signoff ask, as a process on the agent box', async () => {
    await startBot();
    const { code, stdout, stderr } = await runCli(['ask', 'Rotate the staging keys?', '--agent-id', 'ci'], remote()).done;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'resolved', respondedBy: 'Ada' });
    expect(bot!.seen[0]).toMatchObject({ title: 'Rotate the staging keys?', agentId: 'ci', machine: 'build-box' });
  });

  it('the Claude Code hook, over REST through the proxy', async () => {
    await startBot();
    const { code, stdout } = await runCli(['hook', 'claude-code'], remote(), JSON.stringify(hookPayload('make deploy'))).done;
    expect(code).toBe(0);
    expect(JSON.parse(stdout).hookSpecificOutput).toMatchObject({ permissionDecision: 'allow', permissionDecisionReason: 'Approved by Ada in Signoff: ship it' });
    expect(bot!.seen[0]).toMatchObject({ title: 'Bash: make deploy', agentId: 'claude-code', machine: 'build-box' });
  });

  it('the MCP server, driven by an MCP client', async () => {
    await startBot();
    const session = await startMcpSession(remote(), 'claude-code');
    try {
      const result = await session.client.callTool({ name: 'request_approval', arguments: { title: 'Merge the release branch?' } });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ status: 'resolved', respondedBy: 'Ada', response: { approved: true } });
      expect(bot!.seen[0]).toMatchObject({ title: 'Merge the release branch?', agentId: 'claude-code', machine: 'build-box' });
    } finally {
      await session.close();
    }
  });

  it('the Python examples: python-socketio over wss and urllib REST, the CA from SSL_CERT_FILE', async () => {
    await startBot();
    for (const file of ['socketio_agent.py', 'rest_agent.py']) {
      const { code, stdout, stderr } = await runProcess(PYTHON, [example(file), `Python ${file} from the build box?`, 'high'], remotePython()).done;
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ status: 'resolved', respondedBy: 'Ada' });
    }
    expect(bot!.seen.map((r) => [r.title, r.machine])).toEqual([
      ['Python socketio_agent.py from the build box?', 'build-box'],
      ['Python rest_agent.py from the build box?', 'build-box'],
    ]);
  });

  it('waits across dropped connections: the SDK and python-socketio (WebSocket), the hook and the Python REST agent (long-poll) get a decision made after the line was cut and the hub restarted', async () => {
    decide = () => undefined;
    await startBot();
    const sdk = runSdkAgent(remote(), deployRequest('Wait across a cut?'));
    const hook = runCli(['hook', 'claude-code'], remote(), JSON.stringify(hookPayload('make release')));
    const pythonSocket = runProcess(PYTHON, [example('socketio_agent.py'), 'Python socket across a cut?'], remotePython());
    const pythonRest = runProcess(PYTHON, [example('rest_agent.py'), 'Python REST across a cut?'], remotePython());
    for (const title of ['Wait across a cut?', 'Bash: make release', 'Python socket across a cut?', 'Python REST across a cut?']) await seenTitled(title);
    // The WebSockets and the long-polls all run through the forward: cut them mid-wait.
    expect(forward.cut()).toBeGreaterThanOrEqual(4);
    // Then the hub goes away and comes back on another port, behind the same proxy and name.
    const pending = bot!.seen.map((r) => r.id);
    bot!.close();
    bot = undefined;
    const dataDir = t.dataDir;
    await t.stop();
    await startHub(dataDir);
    // The person decides on the restarted hub; the agents learn it by asking again through the proxy.
    for (const id of pending) {
      const res = await fetch(`${t.url}/api/v1/requests/${id}/respond`, {
        method: 'POST',
        headers: { authorization: `Bearer ${approverToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ approved: true, reason: 'after the cut' }),
      });
      expect(res.status).toBe(200);
    }
    const [fromSdk, fromHook, ...fromPython] = await Promise.all([sdk.done, hook.done, pythonSocket.done, pythonRest.done]);
    expect(fromSdk.code).toBe(0);
    expect(JSON.parse(fromSdk.stdout)).toMatchObject({ status: 'resolved', response: { approved: true, reason: 'after the cut' } });
    expect(JSON.parse(fromHook.stdout).hookSpecificOutput).toMatchObject({ permissionDecision: 'allow', permissionDecisionReason: 'Approved by Ada in Signoff: after the cut' });
    for (const run of fromPython) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ status: 'resolved', response: { approved: true, reason: 'after the cut' } });
    }
  });

  it('the local agent token is refused through the proxy, and the clients say to use a machine token', async () => {
    await startBot();
    const ask = await runCli(['ask', 'Sneak past with the local token?'], remote(t.agentToken)).done;
    expect(ask.code).toBe(2);
    expect(ask.stderr).toContain('signoff token create');
    const hook = await runCli(['hook', 'claude-code'], remote(t.agentToken), JSON.stringify(hookPayload('make deploy'))).done;
    const answer = JSON.parse(hook.stdout).hookSpecificOutput;
    expect(answer.permissionDecision).toBe('ask');
    expect(answer.permissionDecisionReason).toMatch(/^Signoff refused this agent's token \(.*signoff token create.*\); asking here instead\.$/);
    const python = await runProcess(PYTHON, [example('rest_agent.py'), 'Sneak past?'], remotePython(t.agentToken)).done;
    expect(python.code).toBe(2);
    expect(python.stderr).toContain('signoff token create');
    expect(bot!.seen).toEqual([]);
  });

  it('python-socketio with the local agent token prints the hub\'s refusal and exits', async () => {
    await startBot();
    // python-socketio 5.7 (Debian 12) waits out connect()'s wait_timeout (10 s) after a namespace is refused.
    const python = await runProcess(PYTHON, [example('socketio_agent.py'), 'Sneak past?'], remotePython(t.agentToken)).done;
    expect(python.code).toBe(2);
    expect(python.stderr).toContain('refused the connection: unauthorized');
    expect(python.stderr).toContain('signoff token create');
    expect(bot!.seen).toEqual([]);
  });

  it('says what is wrong when the agent box does not trust the proxy\'s CA', async () => {
    const { code, stderr } = await runCli(['ask', 'Trust me?'], { ...remote(), NODE_EXTRA_CA_CERTS: '' }).done;
    expect(code).toBe(2);
    expect(stderr).toContain(`cannot reach the Signoff hub at ${proxy.publicUrl}: the certificate at ${proxy.name}:${proxy.port} is not trusted`);
    expect(stderr).toContain('NODE_EXTRA_CA_CERTS=');
    const python = await runProcess(PYTHON, [example('rest_agent.py'), 'Trust me?'], { ...remotePython(), SSL_CERT_FILE: '/dev/null' }).done;
    expect(python.code).toBe(2);
    expect(python.stderr).toContain(`the certificate at ${proxy.publicUrl} is not trusted`);
    expect(python.stderr).toContain('SSL_CERT_FILE=');
  });

  it('an SSH-style tunnel of the PROXY\'s port keeps the public route: the machine token works, the local token is refused', async () => {
    await startBot();
    // What `ssh -R 8443:127.0.0.1:8443 build-box` gives the box: its loopback port piped to Caddy's.
    const tunnel = await new TcpForward({ host: '127.0.0.1', port: proxy.port }, '127.0.0.2').listen(proxy.port);
    try {
      const viaTunnel = (token: string) => ({ ...remotePython(token), SIGNOFF_TEST_PUBLIC_ADDRESS: '127.0.0.2' });
      const ok = await runProcess(PYTHON, [example('rest_agent.py'), 'Through the tunnel?'], viaTunnel(machineToken)).done;
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      expect(bot!.seen[0]).toMatchObject({ title: 'Through the tunnel?', machine: 'build-box' });
      const refused = await runProcess(PYTHON, [example('rest_agent.py'), 'Local token through the tunnel?'], viaTunnel(t.agentToken)).done;
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('signoff token create');
    } finally {
      await tunnel.close();
    }
  });

  it('an SSH-style tunnel of the HUB\'s port is the local route: the hub cannot tell the box from this machine', async () => {
    await startBot();
    // What `ssh -R 7475:127.0.0.1:7475 build-box` gives the box: the same port number on its own loopback.
    const tunnel = await new TcpForward({ host: '127.0.0.1', port: t.port }, '127.0.0.2').listen(t.port);
    try {
      const viaTunnel = (token: string) => ({
        PYTHONPATH: PYTHON_NAME_MAP,
        SIGNOFF_TEST_PUBLIC_NAME: 'localhost',
        SIGNOFF_TEST_PUBLIC_ADDRESS: '127.0.0.2',
        SIGNOFF_URL: `http://localhost:${t.port}`,
        SIGNOFF_TOKEN: token,
        SIGNOFF_HOME: agentHome,
      });
      // The local agent token is accepted, and nothing marks the request as another machine's…
      const local = await runProcess(PYTHON, [example('rest_agent.py'), 'Local token through a hub-port tunnel?'], viaTunnel(t.agentToken)).done;
      expect(local.code).toBe(0);
      expect(bot!.seen[0]!.title).toBe('Local token through a hub-port tunnel?');
      expect(bot!.seen[0]!.machine).toBeUndefined();
      // …while a machine token still names the box, and can be revoked on its own.
      const named = await runProcess(PYTHON, [example('rest_agent.py'), 'Machine token through a hub-port tunnel?'], viaTunnel(machineToken)).done;
      expect(named.code).toBe(0);
      expect(bot!.seen[1]).toMatchObject({ title: 'Machine token through a hub-port tunnel?', machine: 'build-box' });
    } finally {
      await tunnel.close();
    }
    // `ssh -R 9000:127.0.0.1:7475`: another port number on the box arrives as a Host the hub refuses.
    const otherPort = await new TcpForward({ host: '127.0.0.1', port: t.port }, '127.0.0.2').listen();
    try {
      const refused = await runProcess(PYTHON, [example('rest_agent.py'), 'Through another port?'], {
        PYTHONPATH: PYTHON_NAME_MAP,
        SIGNOFF_TEST_PUBLIC_NAME: 'localhost',
        SIGNOFF_TEST_PUBLIC_ADDRESS: '127.0.0.2',
        SIGNOFF_URL: `http://localhost:${otherPort.port}`,
        SIGNOFF_TOKEN: t.agentToken,
        SIGNOFF_HOME: agentHome,
      }).done;
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`403 forbidden: Host "localhost:${otherPort.port}" is not this hub`);
    } finally {
      await otherPort.close();
    }
    expect(bot!.seen).toHaveLength(2);
  });

  it('signoff pair --qr prints a QR code and the link, and the link pairs through the proxy', async () => {
    const { code, stdout } = await runCli(['pair', '--qr', '--data-dir', t.dataDir, '--port', String(t.port)]).done;
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    const pairCode = lines.at(-1)!;
    expect(pairCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    const link = `${proxy.publicUrl}/#pair=${pairCode}`;
    expect(stdout).toContain(link);
    // The terminal renderer draws modules with half blocks.
    expect(lines.filter((line) => /[▀▄█]{3}/.test(line)).length).toBeGreaterThan(10);
    const paired = await postThroughProxy(proxy, '/api/v1/pair', { code: new URL(link).hash.slice('#pair='.length), name: 'Phone' });
    expect(paired.status).toBe(201);
    expect(paired.json).toHaveProperty('deviceId');
  });
});

describe('signoff pair --qr without a public URL', () => {
  let t: TestHub | undefined;
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });

  it('says how to give the hub one, draws no QR code, and still prints the plain code last', async () => {
    t = await startTestHub();
    const { code, stdout, stderr } = await runCli(['pair', '--qr', '--data-dir', t.dataDir, '--port', String(t.port)]).done;
    expect(code).toBe(0);
    expect(stderr).toContain('this hub has no public URL, so a phone cannot reach it');
    expect(stderr).toContain('--public-url https://NAME (or SIGNOFF_PUBLIC_URL)');
    expect(stdout).not.toMatch(/[▀▄█]/);
    expect(stdout).not.toContain('#pair=');
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  });

  it('refuses --qr with --save', async () => {
    const { code, stderr } = await runCli(['pair', '--qr', '--save']).done;
    expect(code).toBe(2);
    expect(stderr).toContain('--qr pairs another device (a phone), --save this terminal: use one');
  });
});
