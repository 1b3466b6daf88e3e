import type { SignoffRequest } from '@signoff/shared';
import { ErrorCode } from '@signoff/shared/protocol/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { RestAgent } from '../../desktop/src/cli/rest-agent.js';
import { startApproverBot, type ApproverBot } from '../support/approver-bot.js';
import { startTestHub, type TestHub } from '../support/hub.js';

/** The hook's REST client against a real hub: what the hub decides, across a restart, and its refusals in its own words. */
describe('RestAgent (the hook’s way to the hub)', () => {
  let t: TestHub | undefined;
  let bot: ApproverBot | undefined;

  afterEach(async () => {
    bot?.close();
    bot = undefined;
    await t?.dispose();
    t = undefined;
  });

  const approval = (key: string) => ({ kind: 'approval' as const, agentId: 'hook', title: 'Deploy', idempotencyKey: key, timeoutMs: 60_000 });

  it('creates once per idempotency key and returns the decision the person made', async () => {
    t = await startTestHub();
    bot = await startApproverBot(t.url, await t.pairApprover('Ada'), () => ({ approved: true, editedArgs: { target: 'staging' } }));
    const agent = new RestAgent({ url: t.url, token: t.agentToken });
    const created = await agent.create(approval('k-1'));
    const again = await agent.create(approval('k-1'));
    expect(again.id).toBe(created.id);
    const decision = await agent.waitForDecision(created);
    expect(decision).toMatchObject({ requestId: created.id, status: 'resolved', response: { approved: true, editedArgs: { target: 'staging' } } });
  });

  it('keeps waiting while the hub restarts, and gets the decision made after it', async () => {
    t = await startTestHub();
    const { dataDir, port } = t;
    const agent = new RestAgent({ url: t.url, token: t.agentToken });
    const created = await agent.create(approval('k-restart'));
    const waiting = agent.waitForDecision(created);
    await t.stop();
    t = await startTestHub({ dataDir, port });
    bot = await startApproverBot(t.url, await t.pairApprover('Ada'), () => undefined);
    const res = await fetch(`${t.url}/api/v1/requests/${created.id}/respond`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await t.pairApprover('Bo')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ approved: false, reason: 'not now' }),
    });
    expect(res.status).toBe(200);
    await expect(waiting).resolves.toMatchObject({ status: 'resolved', response: { approved: false, reason: 'not now' } });
  });

  it('passes the hub’s refusals on with their code and words, and says plainly when no hub answers', async () => {
    t = await startTestHub();
    const agent = new RestAgent({ url: t.url, token: t.agentToken });
    await expect(agent.create({ ...approval('k-bad'), title: '' })).rejects.toMatchObject({ code: ErrorCode.invalid, message: expect.stringContaining('title') });
    await expect(new RestAgent({ url: t.url, token: 'wrong' }).create(approval('k-2'))).rejects.toMatchObject({ code: ErrorCode.unauthorized });
    const created = await agent.create(approval('k-cancel'));
    await expect(agent.cancel(created.id)).resolves.toMatchObject({ status: 'cancelled' });
    const { url } = t;
    await t.dispose();
    t = undefined;
    await expect(agent.create(approval('k-3'))).rejects.toMatchObject({ code: ErrorCode.unavailable, message: expect.stringContaining(url) });
  });

  it('gives up on a hub that stays away past the request’s deadline, and stops at once when aborted', async () => {
    t = await startTestHub();
    const agent = new RestAgent({ url: t.url, token: t.agentToken });
    const created = await agent.create(approval('k-away'));
    await t.dispose();
    t = undefined;
    const pastDeadline: SignoffRequest = { ...created, expiresAt: Date.now() - 60_000 };
    await expect(agent.waitForDecision(pastDeadline)).rejects.toMatchObject({ code: ErrorCode.unavailable, message: expect.stringContaining('past its deadline') });
    const stop = new AbortController();
    const waiting = agent.waitForDecision(created, stop.signal);
    stop.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
  });
});
