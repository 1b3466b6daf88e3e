import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnyResponse, SignoffRequest } from '@signoff/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { startApproverBot, type ApproverBot } from '../support/approver-bot.js';
import { runCli } from '../support/cli.js';
import { FakeClock, startTestHub, type TestHub } from '../support/hub.js';

describe('signoff CLI', () => {
  let t: TestHub | undefined;
  let bot: ApproverBot | undefined;
  const dirs: string[] = [];

  afterEach(async () => {
    bot?.close();
    bot = undefined;
    await t?.dispose();
    t = undefined;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  const agentEnv = (hub: TestHub) => ({ SIGNOFF_URL: hub.url, SIGNOFF_HOME: hub.dataDir });
  const withBot = async (hub: TestHub, decide: (r: SignoffRequest) => AnyResponse | undefined) => {
    bot = await startApproverBot(hub.url, await hub.pairApprover('Ada'), decide);
  };

  it('ask exits 0 when approved and prints the decision as JSON', async () => {
    t = await startTestHub();
    await withBot(t, () => ({ approved: true }));
    const run = runCli(['ask', 'Deploy to staging', '--severity', 'high', '--context', '{"branch":"main"}'], agentEnv(t));
    const { code, stdout } = await run.done;
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'resolved', respondedBy: 'Ada', response: { approved: true } });
    expect(bot!.seen[0]).toMatchObject({ title: 'Deploy to staging', severity: 'high', context: { branch: 'main' }, agentId: 'cli' });
  });

  it('ask exits 1 when rejected, with the reason', async () => {
    t = await startTestHub();
    await withBot(t, () => ({ approved: false, reason: 'not today' }));
    const { code, stdout } = await runCli(['ask', 'Drop table users'], agentEnv(t)).done;
    expect(code).toBe(1);
    expect(JSON.parse(stdout).response).toEqual({ approved: false, reason: 'not today' });
  });

  it('ask exits 3 when nobody answers before the deadline', async () => {
    const clock = new FakeClock();
    t = await startTestHub({ clock });
    await withBot(t, () => undefined);
    const run = runCli(['ask', 'Rotate keys', '--timeout', '90s'], agentEnv(t));
    // Event-driven, not a polling cap: a loaded CI machine can take seconds to spawn the CLI.
    const seen = await new Promise<SignoffRequest>((resolve) => {
      if (bot!.seen[0]) resolve(bot!.seen[0]);
      else bot!.socket.once('request:new', resolve);
    });
    expect(seen.expiresAt! - seen.createdAt).toBe(90_000);
    clock.advance(90_000);
    const { code, stdout } = await run.done;
    expect(code).toBe(3);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'expired', response: null, reason: expect.stringContaining('Do not proceed') });
  });

  it('ask answers clarifications with options and edits from a file', async () => {
    t = await startTestHub();
    await withBot(t, (r) => (r.kind === 'clarification' ? { optionId: 'xlsx' } : { action: 'edit', content: '# Fixed' }));
    const clarification = await runCli(
      ['ask', 'Which format?', '--kind', 'clarification', '--option', 'pdf=PDF', '--option', 'xlsx=Spreadsheet', '--no-freeform', '--json'],
      agentEnv(t),
    ).done;
    expect(clarification.code).toBe(0);
    expect(JSON.parse(clarification.stdout).response).toEqual({ optionId: 'xlsx' });
    expect(bot!.seen[0]).toMatchObject({ allowFreeform: false, options: [{ id: 'pdf', label: 'PDF' }, { id: 'xlsx', label: 'Spreadsheet' }] });

    const dir = mkdtempSync(join(tmpdir(), 'signoff-cli-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'draft.md'), '# Draft');
    const edit = await runCli(['ask', 'Review the notes', '--kind', 'edit', '--file', join(dir, 'draft.md')], agentEnv(t)).done;
    expect(edit.code).toBe(0);
    expect(bot!.seen[1]).toMatchObject({ kind: 'edit', draft: { format: 'markdown', content: '# Draft' } });
  });

  it('ask exits 2 on usage errors and when no hub runs', async () => {
    const noText = await runCli(['ask']).done;
    expect(noText.code).toBe(2);
    expect(noText.stderr).toContain('needs the TEXT');
    const badKind = await runCli(['ask', 'x', '--kind', 'poll']).done;
    expect(badKind.code).toBe(2);
    expect(badKind.stderr).toContain('--kind must be one of');
    const badFlag = await runCli(['ask', 'x', '--colour', 'red']).done;
    expect(badFlag.code).toBe(2);

    t = await startTestHub();
    const url = t.url;
    const dataDir = t.dataDir;
    await t.stop();
    const noHub = await runCli(['ask', 'anyone?'], { SIGNOFF_URL: url, SIGNOFF_HOME: dataDir }).done;
    expect(noHub.code).toBe(2);
    expect(noHub.stderr).toContain('npx signoff hub');
  });

  it('hub prints where it listens, writes a 0600 token, and stops cleanly on SIGINT', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'signoff-cli-hub-'));
    dirs.push(dataDir);
    const run = runCli(['hub', '--port', '0', '--data-dir', dataDir]);
    await run.printed('listening on http://127.0.0.1:');
    expect(statSync(join(dataDir, 'agent.token')).mode & 0o777).toBe(0o600);
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code).toBe(0);
    const port = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(result.stdout)?.[1];
    expect(Number(port)).toBeGreaterThan(0);
  });

  it('pair prints a code (last line) that POST /pair exchanges for an approver token once', async () => {
    t = await startTestHub();
    // The hub must run (and prove the data dir's key) on the port pair is pointed at.
    const { code, stdout } = await runCli(['pair', '--data-dir', t.dataDir, '--port', String(t.port)]).done;
    expect(code).toBe(0);
    const pairingCode = stdout.trim().split('\n').at(-1)!;
    expect(pairingCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const pair = (c: string) =>
      fetch(`${t!.url}/api/v1/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: c, name: 'laptop' }) });
    const first = await pair(pairingCode);
    expect(first.status).toBe(201);
    const { token } = (await first.json()) as { token: string };
    const stats = await fetch(`${t.url}/api/v1/stats`, { headers: { authorization: `Bearer ${token}` } });
    expect(stats.status).toBe(200);
    expect((await pair(pairingCode)).status).toBe(401);
  });

  it('demo sends one request of every kind', async () => {
    t = await startTestHub();
    await withBot(t, () => undefined);
    const { code, stdout } = await runCli(['demo'], agentEnv(t)).done;
    expect(code).toBe(0);
    expect(stdout).toContain('sent 8 requests');
    for (let i = 0; i < 200 && bot!.seen.length < 8; i++) await new Promise((r) => setTimeout(r, 10));
    expect(new Set(bot!.seen.map((r) => r.kind))).toEqual(
      new Set(['approval', 'clarification', 'edit', 'escalation', 'checkpoint', 'external', 'notify']),
    );
  });

  it('prints help for the command and for each subcommand', async () => {
    const main = await runCli(['--help']).done;
    expect(main.code).toBe(0);
    for (const command of ['hub', 'pair', 'ask', 'demo']) expect(main.stdout).toContain(`  ${command} `);
    const ask = await runCli(['ask', '--help']).done;
    expect(ask.code).toBe(0);
    expect(ask.stdout).toContain('Exit: 0 approved/answered, 1 rejected, 3 expired');
    const unknown = await runCli(['frobnicate']).done;
    expect(unknown.code).toBe(2);
  });
});
