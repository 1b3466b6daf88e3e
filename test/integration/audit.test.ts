import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { approvedAction, type Decision, type SignoffRequest } from '@signoff/shared';
import { actionDigest, connect, type SignoffClient } from '@signoff/shared/agent';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { waitUntil } from '../support/wait-until.js';

/**
 * Receipts that prove themselves: every decision a real hub settles is in its audit log,
 * the agent's decision carries the receipt, `signoff audit verify` finds tampering and
 * `signoff export` / `GET /audit` hand the history back.
 */
describe('receipts and the audit log', () => {
  let t: TestHub;
  let client: SignoffClient | undefined;
  afterEach(async () => {
    client?.close();
    client = undefined;
    await t?.dispose();
  });

  const json = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

  /** Answers the next pending request over REST, as a person. */
  async function answerNext(token: string, response: unknown): Promise<SignoffRequest> {
    const request = await waitUntil(async () => {
      const res = await fetch(`${t.url}/api/v1/requests?status=pending`, { headers: json(token) });
      return ((await res.json()) as { requests: SignoffRequest[] }).requests[0];
    }, 'the request to reach the hub');
    const res = await fetch(`${t.url}/api/v1/requests/${request.id}/respond`, { method: 'POST', headers: json(token), body: JSON.stringify(response) });
    expect(res.status).toBe(200);
    return request;
  }

  /** A history of decisions: the SDK's approval (edited by the person), a cancel, a notice, an injection attempt in a title. */
  async function makeHistory(token: string): Promise<{ ran: unknown[] }> {
    client = await connect({ agentId: 'audit-test', url: t.url, token: t.agentToken });
    const ran: unknown[] = [];
    const deleteRows = client.withApproval(
      (args: { table: string; limit: number }) => {
        ran.push(args);
        return 'deleted';
      },
      (args) => ({ title: `Delete ${args.limit} rows from ${args.table}`, action: { name: 'deleteRows', args } }),
    );
    const result = deleteRows({ table: 'users', limit: 5000 });
    await answerNext(token, { approved: true, editedArgs: { limit: 10 } });
    expect(await result).toBe('deleted');
    const asked = await client.submit({ kind: 'approval', title: '=HYPERLINK("http://evil.example","click")', action: { name: 'x' } });
    await client.cancel(asked.id);
    await client.notify({ title: '@SUM(1+1), "quoted"\nsecond line' });
    return { ran };
  }

  async function history(token: string): Promise<{ request: Record<string, unknown>; decision: Decision }[]> {
    const res = await fetch(`${t.url}/api/v1/requests?limit=100`, { headers: json(token) });
    const { requests } = (await res.json()) as { requests: SignoffRequest[] };
    return requests.reverse().map((r) => ({
      request: { id: r.id, kind: r.kind, title: r.title, agentId: r.agentId ?? null, machine: r.machine ?? null, runId: r.runId ?? null, severity: r.severity, createdAt: r.createdAt },
      decision: r.decision!,
    }));
  }

  it('the SDK runs only what the receipt covers; every decision is exported and the chain verifies', async () => {
    t = await startTestHub();
    const token = await t.pairApprover('Ada');
    const { ran } = await makeHistory(token);
    expect(ran).toEqual([{ table: 'users', limit: 10 }]);

    const decided = await history(token);
    expect(decided).toHaveLength(3);
    // Every decision has its receipt, in order; the approval's digest covers the edited arguments.
    expect(decided.map((d) => d.decision.receipt?.seq)).toEqual([1, 2, 3]);
    expect(decided[0]!.decision.receipt!.actionDigest).toBe(await actionDigest({ name: 'deleteRows', args: { limit: 10 } }));
    expect(decided[1]!.decision.receipt!.actionDigest).toBe(await actionDigest(approvedAction({ kind: 'approval', action: { name: 'x' } }, null)));

    // GET /audit: JSON lines that parse back into the history; CSV one row per decision.
    const agentAudit = await fetch(`${t.url}/api/v1/audit`, { headers: json(t.agentToken) });
    expect(agentAudit.status).toBe(403);
    const jsonl = await fetch(`${t.url}/api/v1/audit`, { headers: json(token) });
    expect(jsonl.status).toBe(200);
    expect(jsonl.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = (await jsonl.text()).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(decided);
    const csv = await (await fetch(`${t.url}/api/v1/audit?format=csv`, { headers: json(token) })).text();
    expect(csv.split('\r\n')[0]).toMatch(/^requestId,kind,title,/);
    expect(csv).toContain(`,"'=HYPERLINK(""http://evil.example"",""click"")",`);
    expect(csv).toContain(`,"'@SUM(1+1), ""quoted""\nsecond line",`);
    const later = await fetch(`${t.url}/api/v1/audit?since=${Date.now() + 60_000}`, { headers: json(token) });
    expect(await later.text()).toBe('');
    const bad = await fetch(`${t.url}/api/v1/audit?since=yesterday`, { headers: json(token) });
    expect(bad.status).toBe(400);

    // The CLI, read-only beside the running hub.
    const verified = await runCli(['audit', 'verify', '--data-dir', t.dataDir]).done;
    expect(verified).toMatchObject({ code: 0, stdout: 'ok 3 entries\n' });
    const exported = await runCli(['export', '--data-dir', t.dataDir]).done;
    expect(exported.code).toBe(0);
    expect(exported.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual(decided);
    const out = join(t.dataDir, 'export.csv');
    expect((await runCli(['export', '--format', 'csv', '--since', '1h', '--out', out, '--data-dir', t.dataDir]).done).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(csv);
  });

  it('signoff audit verify names the first entry that was changed or follows a deleted one', async () => {
    t = await startTestHub();
    const token = await t.pairApprover('Ada');
    await makeHistory(token);
    const raw = new Database(join(t.dataDir, 'signoff.db'));
    try {
      raw.prepare(`UPDATE audit SET response = '{"approved":true,"editedArgs":{"limit":10000}}' WHERE seq = 1`).run();
      let verdict = await runCli(['audit', 'verify', '--data-dir', t.dataDir]).done;
      expect(verdict).toMatchObject({ code: 1, stdout: 'broken at entry 1: its content does not match its hash (the row was changed) (the 0 entries before it hold)\n' });
      raw.prepare(`DELETE FROM audit WHERE seq = 1`).run();
      verdict = await runCli(['audit', 'verify', '--data-dir', t.dataDir, '--json']).done;
      expect(verdict.code).toBe(1);
      expect(JSON.parse(verdict.stdout)).toMatchObject({ ok: false, entries: 0, seq: 2, problem: 'expected entry 1 here: 1 missing before it' });
    } finally {
      raw.close();
    }
  });
});
