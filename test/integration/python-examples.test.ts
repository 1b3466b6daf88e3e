import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AnyResponse, SignoffRequest } from '@signoff/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { runProcess, type Run } from '../support/agent-process.js';
import { startApproverBot, type ApproverBot } from '../support/approver-bot.js';
import { FakeClock, startTestHub, type TestHub } from '../support/hub.js';
import { waitUntil } from '../support/wait-until.js';

/**
 * Debian's python3-socketio is installed for the system Python. A pyenv or virtualenv
 * `python3` earlier on PATH would not see it, so the system one is used when present.
 */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const example = (file: string) => fileURLToPath(new URL(`../../examples/python/${file}`, import.meta.url));

function runPython(file: string, args: string[], env: Record<string, string>): { done: Promise<Run> } {
  return runProcess(PYTHON, [example(file), ...args], env);
}

describe(`Python example agents (${PYTHON}) against a real hub`, () => {
  let t: TestHub | undefined;
  let bot: ApproverBot | undefined;

  afterEach(async () => {
    bot?.close();
    bot = undefined;
    await t?.dispose();
    t = undefined;
  });

  /** Token from the data dir, as a local agent finds it. */
  const fromDataDir = (hub: TestHub) => ({ SIGNOFF_URL: hub.url, SIGNOFF_HOME: hub.dataDir });
  /** Token from SIGNOFF_TOKEN. */
  const fromEnv = (hub: TestHub) => ({ SIGNOFF_URL: hub.url, SIGNOFF_TOKEN: hub.agentToken });
  const withBot = async (hub: TestHub, decide: (r: SignoffRequest) => AnyResponse | undefined) => {
    bot = await startApproverBot(hub.url, await hub.pairApprover('Ada'), decide);
  };
  const byTitle = (r: SignoffRequest): AnyResponse =>
    r.title.startsWith('Reject') ? { approved: false, reason: 'not during the sale' } : { approved: true, reason: 'go ahead' };

  it('python-socketio agent: request:create on /agent, then request:decided; exit 0 approved, 1 rejected', async () => {
    t = await startTestHub();
    await withBot(t, byTitle);
    const approved = await runPython('socketio_agent.py', ['Deploy build 4821 to staging?', 'high'], fromDataDir(t)).done;
    expect(approved.stderr).toBe('');
    expect(approved.code).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({ status: 'resolved', respondedBy: 'Ada', response: { approved: true, reason: 'go ahead' } });
    expect(bot!.seen[0]).toMatchObject({
      kind: 'approval',
      title: 'Deploy build 4821 to staging?',
      severity: 'high',
      agentId: 'python-socketio-example',
      action: { name: 'deploy', args: { build: 4821, target: 'staging' } },
    });

    const rejected = await runPython('socketio_agent.py', ['Reject: deploy to production?'], fromEnv(t)).done;
    expect(rejected.code).toBe(1);
    expect(JSON.parse(rejected.stdout).response).toEqual({ approved: false, reason: 'not during the sale' });
  });

  it('standard-library REST agent: POST then the ?wait= long-poll; exit 0 approved, 1 rejected', async () => {
    t = await startTestHub();
    await withBot(t, byTitle);
    const approved = await runPython('rest_agent.py', ['Rotate the production API keys?', 'critical'], fromEnv(t)).done;
    expect(approved.stderr).toBe('');
    expect(approved.code).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({ status: 'resolved', respondedBy: 'Ada', response: { approved: true } });
    expect(bot!.seen[0]).toMatchObject({ title: 'Rotate the production API keys?', severity: 'critical', agentId: 'python-rest-example' });

    const rejected = await runPython('rest_agent.py', ['Reject: rotate them now?'], fromDataDir(t)).done;
    expect(rejected.code).toBe(1);
    expect(JSON.parse(rejected.stdout)).toMatchObject({ status: 'resolved', response: { approved: false, reason: 'not during the sale' } });
  });

  it('both agents exit 3 when nobody answers before the deadline', async () => {
    const clock = new FakeClock();
    t = await startTestHub({ clock });
    await withBot(t, () => undefined);
    const socketRun = runPython('socketio_agent.py', ['Nobody home?', 'critical'], fromEnv(t));
    const restRun = runPython('rest_agent.py', ['Anybody home?', 'critical'], fromEnv(t));
    await waitUntil(() => bot!.seen.length === 2, 'both requests to reach the approver');
    clock.advance(15 * 60_000); // the critical default deadline
    for (const run of [socketRun, restRun]) {
      const { code, stdout } = await run.done;
      expect(code).toBe(3);
      expect(JSON.parse(stdout)).toMatchObject({ status: 'expired', response: null, reason: expect.stringContaining('Do not proceed') });
    }
  });

  it('both agents exit 2 and say how to start the hub when none runs', async () => {
    t = await startTestHub();
    await t.stop();
    for (const file of ['socketio_agent.py', 'rest_agent.py']) {
      const { code, stdout, stderr } = await runPython(file, ['Anyone?'], fromEnv(t)).done;
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain(`no Signoff hub at ${t.url}`);
      expect(stderr).toContain('npx signoff hub');
    }
  });

  it("the README's ten-line REST snippet works as printed", async () => {
    t = await startTestHub();
    await withBot(t, () => ({ approved: true }));
    const { code, stdout } = await runPython('rest_in_ten_lines.py', [], fromEnv(t)).done;
    expect(code).toBe(0);
    expect(stdout).toBe('resolved {"approved": true}\n');
    expect(bot!.seen[0]).toMatchObject({ title: 'Rotate the API keys', severity: 'high' });
  });
});
