import { connect, NotApprovedError, SignoffError, type SignoffClient } from '@signoff/shared/agent';
import type { AnyResponse, SignoffRequest } from '@signoff/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { startApproverBot, type ApproverBot } from '../support/approver-bot.js';
import { startTestHub, type TestHub } from '../support/hub.js';

describe('agent SDK against a real hub', () => {
  let t: TestHub;
  let client: SignoffClient | undefined;
  let bot: ApproverBot | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];

  afterEach(async () => {
    client?.close();
    bot?.close();
    client = bot = undefined;
    for (const c of cleanups.splice(0)) await c();
    await t?.dispose();
  });

  const answering = async (decide: (r: SignoffRequest) => AnyResponse | undefined) => {
    bot = await startApproverBot(t.url, await t.pairApprover('Ada'), decide);
    return bot;
  };

  it('returns a typed decision for every kind', async () => {
    t = await startTestHub();
    await answering((r) => {
      switch (r.kind) {
        case 'approval':
          return { approved: true, alternativeId: 'archive' };
        case 'clarification':
          return { optionId: 'pdf' };
        case 'edit':
          return { action: 'edit', content: 'Hi Dana, sorry!' };
        case 'escalation':
          return { action: 'continue', guidance: 'quarantine the test' };
        case 'checkpoint':
          return { action: 'modify', skipSteps: ['drop legacy column'] };
        case 'external':
          return { result: { passed: 12, failed: 0 } };
        default:
          return undefined;
      }
    });
    client = await connect({ agentId: 'sdk-test', url: t.url, token: t.agentToken });

    const approval = await client.requestApproval({
      title: 'Delete 5,000 accounts',
      alternatives: [{ id: 'archive', description: 'Archive instead' }],
    });
    expect(approval).toMatchObject({ status: 'resolved', respondedBy: 'Ada', via: 'socket', response: { approved: true, alternativeId: 'archive' } });
    expect(approval.waitMs).toBeGreaterThanOrEqual(0);

    const answer = await client.requestClarification({ title: 'Format?', options: [{ id: 'pdf', label: 'PDF' }] });
    expect(answer.response).toEqual({ optionId: 'pdf' });
    const edit = await client.requestEdit({ title: 'Reply', draft: { format: 'text', content: 'Hi Dana' } });
    expect(edit.response).toEqual({ action: 'edit', content: 'Hi Dana, sorry!' });
    const escalation = await client.escalate({ title: 'Stuck', reason: 'flaky test' });
    expect(escalation.response?.action).toBe('continue');
    const checkpoint = await client.checkpoint({ title: 'Migration', phase: 'backfill', progress: 0.5 });
    expect(checkpoint.response).toEqual({ action: 'modify', skipSteps: ['drop legacy column'] });
    const external = await client.requestExternal({ title: 'Run smoke test', tool: { name: 'smoke' } });
    expect(external.response).toEqual({ result: { passed: 12, failed: 0 } });
    const notice = await client.notify({ title: 'Backup done' });
    expect(notice).toMatchObject({ kind: 'notify', status: 'resolved', agentId: 'sdk-test' });
  });

  it('throws the hub refusal naming the field', async () => {
    t = await startTestHub();
    client = await connect({ agentId: 'sdk-test', url: t.url, token: t.agentToken });
    const error = await client
      .requestEdit({ title: 'x', draft: { format: 'pdf' as 'text', content: '' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignoffError);
    expect((error as SignoffError).code).toBe('invalid_request');
    expect((error as SignoffError).message).toContain('draft.format');
  });

  it('cancels the request at the hub when the AbortSignal fires', async () => {
    t = await startTestHub();
    const approverToken = await t.pairApprover();
    await answering(() => undefined);
    client = await connect({ agentId: 'sdk-test', url: t.url, token: t.agentToken });
    const abort = new AbortController();
    const pending = client.requestApproval({ title: 'Wait for me' }, { signal: abort.signal });
    const request = await waitForRequest(bot!);
    abort.abort(new Error('user gave up'));
    await expect(pending).rejects.toThrow('user gave up');
    const settled = await pollStatus(t.url, approverToken, request.id, 'cancelled');
    expect(settled.decision).toMatchObject({ status: 'cancelled', respondedBy: 'agent' });
  });

  it('waits through a hub restart and gets the decision made after it', async () => {
    t = await startTestHub();
    const approverToken = await t.pairApprover('Grace');
    client = await connect({ agentId: 'sdk-test', url: t.url, token: t.agentToken });
    const decision = client.requestApproval({ title: 'Survive a restart', idempotencyKey: 'restart-1' });
    const { requests } = await listPending(t.url, approverToken);
    expect(requests).toHaveLength(1);

    await t.stop();
    const again = await startTestHub({ dataDir: t.dataDir, port: t.port });
    cleanups.push(() => again.stop());
    const res = await fetch(`${again.url}/api/v1/requests/${requests[0]!.id}/respond`, {
      method: 'POST',
      headers: { authorization: `Bearer ${approverToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ approved: true }),
    });
    expect(res.status).toBe(200);
    await expect(decision).resolves.toMatchObject({ status: 'resolved', respondedBy: 'Grace', response: { approved: true } });
  });

  it('creates exactly one request when asked while the hub is down', async () => {
    t = await startTestHub();
    const approverToken = await t.pairApprover();
    client = await connect({ agentId: 'sdk-test', url: t.url, token: t.agentToken, ackTimeoutMs: 500 });
    await t.stop();
    const decision = client.requestApproval({ title: 'Asked during the outage' });
    await new Promise((r) => setTimeout(r, 300));
    const again = await startTestHub({ dataDir: t.dataDir, port: t.port });
    cleanups.push(() => again.stop());
    const request = await pollPending(again.url, approverToken);
    await fetch(`${again.url}/api/v1/requests/${request.id}/respond`, {
      method: 'POST',
      headers: { authorization: `Bearer ${approverToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ approved: false, reason: 'not now' }),
    });
    await expect(decision).resolves.toMatchObject({ response: { approved: false, reason: 'not now' } });
    const all = (await (await fetch(`${again.url}/api/v1/requests?limit=100`, { headers: { authorization: `Bearer ${approverToken}` } })).json()) as {
      requests: SignoffRequest[];
    };
    expect(all.requests.filter((r) => r.title === 'Asked during the outage')).toHaveLength(1);
  });

  it('withApproval runs the tool only when approved, with edited arguments', async () => {
    t = await startTestHub();
    await answering((r) =>
      r.title.includes('prod') ? { approved: false, reason: 'not on prod' } : { approved: true, editedArgs: { limit: 10 } },
    );
    client = await connect({ agentId: 'sdk-test', url: t.url, token: t.agentToken });
    const calls: unknown[] = [];
    const deleteRows = client.withApproval(
      (args: { table: string; limit: number }) => {
        calls.push(args);
        return `deleted ${args.limit} from ${args.table}`;
      },
      (args) => ({ title: `Delete ${args.limit} rows from ${args.table}`, action: { name: 'deleteRows', args } }),
    );
    await expect(deleteRows({ table: 'staging.users', limit: 500 })).resolves.toBe('deleted 10 from staging.users');
    const refused = await deleteRows({ table: 'prod.users', limit: 5 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NotApprovedError);
    expect((refused as NotApprovedError).message).toContain('not on prod');
    expect(calls).toEqual([{ table: 'staging.users', limit: 10 }]);
  });

  it('records feedback and reads its history', async () => {
    t = await startTestHub();
    client = await connect({ agentId: 'writer', url: t.url, token: t.agentToken });
    await client.recordFeedback({ type: 'preference', aspect: 'tone', content: 'Shorter emails', importance: 0.8 });
    await client.recordFeedback({ type: 'praise', aspect: 'format', content: 'Good table' });
    const prefs = await client.feedbackHistory({ type: 'preference' });
    expect(prefs.map((f) => f.content)).toEqual(['Shorter emails']);
    expect(await client.feedbackHistory()).toHaveLength(2);
  });

  it('fails to connect with a clear error for a bad token or no hub', async () => {
    t = await startTestHub();
    await expect(connect({ agentId: 'x', url: t.url, token: 'nope' })).rejects.toMatchObject({ code: 'unauthorized' });
    const approverToken = await t.pairApprover();
    await expect(connect({ agentId: 'x', url: t.url, token: approverToken })).rejects.toMatchObject({ code: 'forbidden' });
    const port = t.port;
    await t.stop();
    const error = await connect({ agentId: 'x', url: `http://127.0.0.1:${port}`, token: 'x', connectTimeoutMs: 3000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unavailable' });
    expect((error as Error).message).toContain('npx signoff hub');
  });
});

async function waitForRequest(bot: ApproverBot): Promise<SignoffRequest> {
  for (let i = 0; i < 200 && bot.seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  return bot.seen[0]!;
}

async function listPending(url: string, token: string): Promise<{ requests: SignoffRequest[] }> {
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${url}/api/v1/requests?status=pending`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { requests: SignoffRequest[] };
    if (body.requests.length > 0) return body;
    await new Promise((r) => setTimeout(r, 10));
  }
  return { requests: [] };
}

async function pollPending(url: string, token: string): Promise<SignoffRequest> {
  const { requests } = await listPending(url, token);
  if (!requests[0]) throw new Error('no pending request appeared');
  return requests[0];
}

async function pollStatus(url: string, token: string, id: string, status: string): Promise<SignoffRequest> {
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${url}/api/v1/requests/${id}`, { headers: { authorization: `Bearer ${token}` } });
    const request = (await res.json()) as SignoffRequest;
    if (request.status === status) return request;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`request ${id} never became ${status}`);
}
