import { describe, expect, it } from 'vitest';
import { useHubs } from '../support/harness.js';
import { FakeClock } from '../support/hub.js';
import { editRequest } from '../support/requests.js';
import { RestClient } from '../support/rest-client.js';

describe('feedback', () => {
  const hubs = useHubs();

  it('records feedback from agents and approvers and lists it newest first with filters', async () => {
    const clock = new FakeClock();
    const t = await hubs.start({ clock });
    const agent = hubs.agentRest(t);
    const approver = await hubs.approverRest(t, 'Dana');
    const { id: requestId } = (await agent.post('/requests', editRequest)).body;

    const correction = await approver.post('/feedback', {
      agentId: 'config-bot',
      type: 'correction',
      aspect: 'rollout size',
      content: 'Never start a rollout above 5%.',
      importance: 0.9,
      requestId,
    });
    expect(correction.status).toBe(201);
    expect(correction.body).toEqual({
      id: expect.any(Number),
      agentId: 'config-bot',
      type: 'correction',
      aspect: 'rollout size',
      content: 'Never start a rollout above 5%.',
      importance: 0.9,
      requestId,
      recordedBy: 'Dana',
      createdAt: clock.now(),
    });

    clock.advance(1_000);
    const praise = await agent.post('/feedback', { agentId: 'config-bot', type: 'praise', aspect: 'diffs', content: 'Clear diff summaries.' });
    expect(praise.status).toBe(201);
    // An agent records feedback about itself; importance defaults to 0.5.
    expect(praise.body).toMatchObject({ recordedBy: 'config-bot', importance: 0.5 });
    expect(praise.body).not.toHaveProperty('requestId');

    clock.advance(1_000);
    const preference = await approver.post('/feedback', { agentId: 'report-bot', type: 'preference', aspect: 'dates', content: 'ISO dates, always.', importance: 0.3 });
    expect(preference.status).toBe(201);

    const ids = (res: { body: { feedback: { id: number }[] } }) => res.body.feedback.map((f) => f.id);
    expect(ids(await agent.get('/feedback'))).toEqual([preference.body.id, praise.body.id, correction.body.id]);
    expect(ids(await agent.get('/feedback?agentId=config-bot'))).toEqual([praise.body.id, correction.body.id]);
    expect(ids(await approver.get('/feedback?type=correction'))).toEqual([correction.body.id]);
    expect(ids(await approver.get('/feedback?agentId=config-bot&type=praise'))).toEqual([praise.body.id]);
    expect(ids(await approver.get('/feedback?agentId=report-bot&type=praise'))).toEqual([]);
    expect(ids(await agent.get('/feedback?limit=1'))).toEqual([preference.body.id]);
    expect((await agent.get('/feedback?agentId=config-bot')).body.feedback[1]).toEqual(correction.body);
  });

  it('records and lists feedback over the agent socket', async () => {
    const t = await hubs.start();
    const agent = await hubs.agentSocket(t);
    const recorded = await agent.call('feedback:record', { agentId: 'writer', type: 'preference', aspect: 'tone', content: 'Less jargon', importance: 0.7 });
    expect(recorded).toMatchObject({ id: expect.any(Number), agentId: 'writer', recordedBy: 'writer', importance: 0.7 });
    await agent.call('feedback:record', { agentId: 'other', type: 'praise', aspect: 'speed', content: 'Fast' });
    expect(await agent.call('feedback:list', { agentId: 'writer' })).toEqual({ feedback: [recorded] });
    // The REST view is the same store.
    expect((await hubs.agentRest(t).get('/feedback?type=preference')).body).toEqual({ feedback: [recorded] });
    expect(await agent.ack('feedback:record', { agentId: 'writer', type: 'praise', aspect: ' ', content: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/^aspect: /) },
    });
  });

  it('refuses bad limits and filters', async () => {
    const t = await hubs.start();
    const agent = hubs.agentRest(t);
    for (const query of ['limit=0', 'limit=1001', 'type=rant', 'agentId=']) {
      const res = await agent.get(`/feedback?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.message).toContain(query.split('=')[0]);
    }
  });
});

describe('feedback on more than one machine', () => {
  const hubs = useHubs();

  it("another machine's agents read and fill only their machine's feedback; the person's goes to the machine of the request it is about", async () => {
    const t = await hubs.start();
    const local = hubs.agentRest(t);
    const box = new RestClient(t.url, t.hub.store.machines.create('build-box', Date.now()).token);
    const approver = await hubs.approverRest(t, 'Dana');
    const note = { agentId: 'config-bot', type: 'correction', aspect: 'rollout size', content: 'Never start a rollout above 5%.' };

    const here = (await approver.post('/feedback', note)).body as { id: number };
    const { id: boxRequest } = (await box.post('/requests', editRequest)).body as { id: string };
    const aboutBox = (await approver.post('/feedback', { ...note, content: 'Build box: canary first.', requestId: boxRequest })).body as { id: number };
    const byBox = (await box.post('/feedback', { ...note, type: 'praise', content: 'Clear diff summaries.' })).body as { id: number };

    const ids = (res: { body: { feedback: { id: number }[] } }) => res.body.feedback.map((f) => f.id);
    // The person's correction to this machine's agent stays here; the box sees its own.
    expect(ids(await box.get('/feedback?agentId=config-bot'))).toEqual([byBox.id, aboutBox.id]);
    expect(ids(await local.get('/feedback?agentId=config-bot'))).toEqual([here.id]);
    expect(ids(await approver.get('/feedback?agentId=config-bot'))).toEqual([byBox.id, aboutBox.id, here.id]);
  });
});
