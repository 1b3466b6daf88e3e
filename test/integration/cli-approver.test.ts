import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../support/cli.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { RestClient, type Json } from '../support/rest-client.js';
import { waitUntil } from '../support/wait-until.js';

// Each test spawns up to eight CLI processes one after another, each proving its device to the hub:
// a guard generous enough for a loaded 2-core machine (it measures nothing).
describe('signoff CLI for a person in a terminal (pair --save, list, respond) and for shell agents (ask output)', { timeout: 90_000 }, () => {
  let t: TestHub | undefined;
  let impostor: TestHub | undefined;
  const dirs: string[] = [];
  const runs: CliRun[] = [];

  afterEach(async () => {
    for (const run of runs.splice(0)) run.child.kill();
    await impostor?.dispose();
    impostor = undefined;
    await t?.dispose();
    t = undefined;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  const env = (hub: TestHub, extra: Record<string, string> = {}) => ({ SIGNOFF_URL: hub.url, SIGNOFF_HOME: hub.dataDir, ...extra });
  /** Starts `signoff ask` in the background and waits until its request is pending at the hub. */
  const askInBackground = async (hub: TestHub, args: string[]) => {
    const run = runCli(['ask', ...args], env(hub));
    runs.push(run);
    const approver = new RestClient(hub.url, await hub.pairApprover('observer'));
    const pending = await waitUntil(async () => {
      const { body } = await approver.get('/requests?status=pending');
      return (body.requests as Json[]).find((r) => r.title === args[0]);
    }, `the request "${args[0]}" to be pending`);
    return { run, id: pending.id as string };
  };
  const pairTerminal = async (hub: TestHub) => {
    const paired = await runCli(['pair', '--save'], env(hub)).done;
    expect(paired.code).toBe(0);
    return paired;
  };

  it('pair --save pairs this terminal as a key device pinned to the hub, keeping its key in a 0600 file and printing nothing secret', async () => {
    t = await startTestHub();
    const { stdout, stderr } = await pairTerminal(t);
    const file = join(t.dataDir, 'approver.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { deviceId: string; hubUrl: string; hubPublicKey: string; privateKey: { kty: string; d: string } };
    expect(saved).toMatchObject({ hubUrl: t.url, hubPublicKey: t.hub.identity.publicKey, privateKey: { kty: 'EC', crv: 'P-256' } });
    expect(stdout).toContain(`Paired this terminal with the hub at ${t.url} as "terminal" (device ${saved.deviceId}); its key is in ${file}.`);
    expect(stdout + stderr).not.toContain(saved.privateKey.d);
    expect(t.hub.store.devices.list()).toEqual([expect.objectContaining({ id: saved.deviceId, name: 'terminal', credential: 'key' })]);

    // Pairing again replaces the terminal's device (the old one is revoked) and keeps the file private.
    const again = await runCli(['pair', '--save', '--name', 'laptop terminal'], env(t)).done;
    expect(again.stdout).toContain('as "laptop terminal"');
    expect(again.stdout).toContain("Revoked this terminal's previous device.");
    const replaced = JSON.parse(readFileSync(file, 'utf8')) as { deviceId: string };
    expect(replaced.deviceId).not.toBe(saved.deviceId);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(t.hub.store.devices.list().map((d) => d.name)).toEqual(['laptop terminal']);
  });

  it('pair --save retires the bearer token an older version saved in approver.token', async () => {
    t = await startTestHub();
    const token = await t.pairApprover('terminal');
    writeFileSync(join(t.dataDir, 'approver.token'), `${token}\n`, { mode: 0o600 });
    await pairTerminal(t);
    expect(() => statSync(join(t!.dataDir, 'approver.token'))).toThrow();
    expect((await new RestClient(t.url, token).get('/stats')).status).toBe(401);
    expect(t.hub.store.devices.list()).toEqual([expect.objectContaining({ credential: 'key' })]);
  });

  it('pair --save says how to start the hub when none runs', async () => {
    t = await startTestHub();
    await t.stop();
    const { code, stderr } = await runCli(['pair', '--save'], env(t)).done;
    expect(code).toBe(2);
    expect(stderr).toContain('npx signoff hub');
  });

  it('pair prints no code when no hub runs: codes are only good for the running hub', async () => {
    t = await startTestHub();
    await t.stop();
    for (const args of [['pair'], ['pair', '--save']]) {
      const { code, stdout, stderr } = await runCli(args, env(t)).done;
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim()).toBe(`signoff pair: no Signoff hub at ${t.url}; start it first (codes are only good for the running hub): npx signoff hub`);
    }
    // A data dir no hub ever ran on: the same answer.
    const fresh = mkdtempSync(join(tmpdir(), 'signoff-fresh-'));
    dirs.push(fresh);
    const never = await runCli(['pair', '--data-dir', fresh, '--port', String(t.port)]).done;
    expect(never.code).toBe(2);
    expect(never.stderr).toContain('start it first (codes are only good for the running hub)');
  });

  it('pair, pair --save, list and respond refuse an impostor on the port (a hub of another data dir) and send it nothing', async () => {
    t = await startTestHub();
    await pairTerminal(t);
    await t.stop();
    // Something else takes the port while the person's hub is down: here a real Signoff hub with its own data dir and key.
    impostor = await startTestHub({ port: t.port });
    const sentence = `Something else is answering on 127.0.0.1:${t.port} — not your Signoff hub`;
    for (const args of [['pair'], ['pair', '--save'], ['list'], ['respond', 'abcd', '--approve']]) {
      const { code, stdout, stderr } = await runCli(args, env(t)).done;
      expect({ args, code, stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(stderr).toContain(sentence);
    }
    // No code was written for it, no device paired with it, no proof sent to it.
    expect(impostor.hub.store.devices.list()).toEqual([]);
  });

  it('list shows pending requests with their ids; --json and --status filter; no token says how to get one', async () => {
    t = await startTestHub();
    const noToken = await runCli(['list'], env(t)).done;
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('signoff pair --save');

    await pairTerminal(t);
    const empty = await runCli(['list'], env(t)).done;
    expect(empty.stdout.trim()).toBe('No pending requests.');

    const agent = new RestClient(t.url, t.agentToken);
    const deploy = (await agent.post('/requests', { kind: 'approval', title: 'Deploy to production', severity: 'critical', agentId: 'release-bot' })).body;
    const format = (await agent.post('/requests', { kind: 'clarification', title: 'Which format?', options: [{ id: 'pdf', label: 'PDF' }], agentId: 'report-bot' })).body;

    const listed = await runCli(['list'], env(t)).done;
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    // Spans are checked exactly in request-lines.test.ts; here the clock runs.
    expect(lines[0]).toMatch(new RegExp(`^${format.id}  medium    clarification +\\d+[smhd] ago +\\d+[smhd] left +report-bot: Which format\\?$`));
    expect(lines[1]).toMatch(new RegExp(`^${deploy.id}  critical  approval +\\d+[smhd] ago +\\d+[smhd] left +release-bot: Deploy to production$`));

    const json = await runCli(['list', '--json', '--limit', '1'], env(t)).done;
    expect(JSON.parse(json.stdout)).toMatchObject([{ id: format.id, kind: 'clarification', status: 'pending' }]);

    await new RestClient(t.url, await t.pairApprover('browser')).post(`/requests/${deploy.id}/respond`, { approved: true });
    const resolved = await runCli(['list', '--status', 'resolved'], env(t)).done;
    expect(resolved.stdout).toContain(`${deploy.id}  critical`);
    expect(resolved.stdout).toContain('resolved');
    const all = await runCli(['list', '--status', 'all', '--json'], env(t)).done;
    expect(JSON.parse(all.stdout)).toHaveLength(2);
    const badStatus = await runCli(['list', '--status', 'done'], env(t)).done;
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toContain('--status:');
  });

  it('respond --approve (over the challenge, with the terminal’s key) lets a waiting `signoff ask` go on; --reject sends the reason back; a second answer exits 1', async () => {
    t = await startTestHub();
    await pairTerminal(t);
    const approved = await askInBackground(t, ['Deploy to staging', '--severity', 'high']);
    const respond = await runCli(['respond', approved.id, '--approve', '--reason', 'go'], env(t)).done;
    expect(respond.code).toBe(0);
    expect(respond.stdout.trim()).toBe(`Approved: Deploy to staging [${approved.id}]`);
    const asked = await approved.run.done;
    expect(asked.code).toBe(0);
    // Over Socket.IO now: the terminal proves its device key once the hub proved its own.
    expect(JSON.parse(asked.stdout)).toMatchObject({ status: 'resolved', respondedBy: 'terminal', via: 'socket', response: { approved: true, reason: 'go' } });

    const rejected = await askInBackground(t, ['Drop the staging database', '--severity', 'critical']);
    // The start of an id is enough when it is unique among pending requests.
    const byPrefix = await runCli(['respond', rejected.id.slice(0, 8), '--reject', 'not before the backup', '--json'], env(t)).done;
    expect(byPrefix.code).toBe(0);
    expect(JSON.parse(byPrefix.stdout)).toMatchObject({ requestId: rejected.id, response: { approved: false, reason: 'not before the backup' } });
    const refused = await rejected.run.done;
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).response.reason).toBe('not before the backup');

    const twice = await runCli(['respond', rejected.id, '--approve'], env(t)).done;
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain(`${rejected.id} is already resolved (by terminal)`);
  });

  it('respond takes SIGNOFF_APPROVER_TOKEN, checks answers against the kind, and refuses an agent token', async () => {
    t = await startTestHub();
    const token = await t.pairApprover('Grace');
    const question = await askInBackground(t, ['Which format?', '--kind', 'clarification', '--option', 'pdf=PDF', '--option', 'xlsx=Spreadsheet']);
    const withToken = { SIGNOFF_APPROVER_TOKEN: token };

    const yesToAQuestion = await runCli(['respond', question.id, '--approve'], env(t, withToken)).done;
    expect(yesToAQuestion.code).toBe(2);
    expect(yesToAQuestion.stderr).toContain('a clarification request needs its answer as --response JSON');
    const emptyAnswer = await runCli(['respond', question.id, '--response', '{}'], env(t, withToken)).done;
    expect(emptyAnswer.code).toBe(2);
    expect(emptyAnswer.stderr).toContain('an answer needs optionId, text or values');
    const twoAnswers = await runCli(['respond', question.id, '--approve', '--reject', 'x'], env(t, withToken)).done;
    expect(twoAnswers.code).toBe(2);
    const agentToken = await runCli(['respond', question.id, '--response', '{"optionId":"pdf"}'], env(t, { SIGNOFF_APPROVER_TOKEN: t.agentToken })).done;
    expect(agentToken.code).toBe(2);
    expect(agentToken.stderr).toContain('approver role');

    const answered = await runCli(['respond', question.id, '--response', '{"optionId":"xlsx"}'], env(t, withToken)).done;
    expect(answered.stdout.trim()).toBe(`Answered: Which format? [${question.id}]`);
    // Without --json, a clarification prints the answer itself.
    const asked = await question.run.done;
    expect(asked.code).toBe(0);
    expect(asked.stdout).toBe('xlsx\n');
  });

  it('ask --kind edit prints the edited text, or the draft when accepted; --json prints the decision; a rejection prints nothing', async () => {
    t = await startTestHub();
    const token = await t.pairApprover('Ada');
    const withToken = env(t, { SIGNOFF_APPROVER_TOKEN: token });
    const dir = mkdtempSync(join(tmpdir(), 'signoff-edit-'));
    dirs.push(dir);
    const draft = join(dir, 'reply.md');
    writeFileSync(draft, 'Hi Sam,\nthe refund is sent.\n');

    const edited = await askInBackground(t, ['Review the reply', '--kind', 'edit', '--file', draft]);
    await runCli(['respond', edited.id, '--response', JSON.stringify({ action: 'edit', content: 'Hi Sam,\nyour refund is on its way.\n' })], withToken).done;
    const editedOut = await edited.run.done;
    expect(editedOut.code).toBe(0);
    expect(editedOut.stdout).toBe('Hi Sam,\nyour refund is on its way.\n');

    const accepted = await askInBackground(t, ['Review the reply again', '--kind', 'edit', '--file', draft]);
    await runCli(['respond', accepted.id, '--approve'], withToken).done;
    expect((await accepted.run.done).stdout).toBe('Hi Sam,\nthe refund is sent.\n');

    const asJson = await askInBackground(t, ['Review it as JSON', '--kind', 'edit', '--file', draft, '--json']);
    await runCli(['respond', asJson.id, '--approve', '--reason', 'fine'], withToken).done;
    expect(JSON.parse((await asJson.run.done).stdout)).toMatchObject({ status: 'resolved', response: { action: 'accept', reason: 'fine' } });

    const rejected = await askInBackground(t, ['Review a bad reply', '--kind', 'edit', '--file', draft]);
    await runCli(['respond', rejected.id, '--reject', 'too curt'], withToken).done;
    const rejectedOut = await rejected.run.done;
    expect(rejectedOut.code).toBe(1);
    expect(rejectedOut.stdout).toBe('');
    expect(rejectedOut.stderr.trim()).toBe('signoff: rejected by Ada: too curt');
  });

  it('lists the new commands in the help', async () => {
    const main = await runCli(['--help']).done;
    for (const command of ['mcp', 'hook', 'list', 'respond', 'devices']) expect(main.stdout).toContain(`  ${command} `);
    expect(main.stdout).toContain('SIGNOFF_APPROVER_TOKEN');
    const ask = await runCli(['ask', '--help']).done;
    expect(ask.stdout).toContain('--json            print the decision as JSON whatever the kind');
    for (const command of ['list', 'respond', 'mcp', 'hook', 'pair', 'devices']) {
      const help = await runCli([command, '--help']).done;
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`signoff ${command}`);
    }
  });
});
