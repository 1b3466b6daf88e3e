import { afterEach, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub.js';

describe('hub smoke', () => {
  let t: TestHub;
  afterEach(async () => t?.dispose());

  it('answers health and an approval round trip over REST', async () => {
    t = await startTestHub();
    const health = await fetch(`${t.url}/api/v1/health`);
    expect(await health.json()).toEqual({ ok: true, version: '0.1.0' });
    const agent = { authorization: `Bearer ${t.agentToken}`, 'content-type': 'application/json' };
    const created = await fetch(`${t.url}/api/v1/requests`, {
      method: 'POST',
      headers: agent,
      body: JSON.stringify({ kind: 'approval', title: 'Delete 5,000 accounts' }),
    });
    expect(created.status).toBe(201);
    const request = (await created.json()) as { id: string; status: string };
    expect(request.status).toBe('pending');
    const approver = { authorization: `Bearer ${await t.pairApprover()}`, 'content-type': 'application/json' };
    const decided = await fetch(`${t.url}/api/v1/requests/${request.id}/respond`, {
      method: 'POST',
      headers: approver,
      body: JSON.stringify({ approved: true }),
    });
    expect(decided.status).toBe(200);
    const got = await fetch(`${t.url}/api/v1/requests/${request.id}`, { headers: agent });
    expect(await got.json()).toMatchObject({ status: 'resolved', decision: { response: { approved: true }, respondedBy: 'test approver' } });
  });
});
