import { MAX_JSON_DEPTH, MAX_PAYLOAD_BYTES } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import { recordingLogger, useHubs } from '../support/harness.js';
import { approvalRequest, clarificationWithForm, clarificationWithOptions, editRequest, escalationRequest } from '../support/requests.js';
import { rawRequest } from '../support/rest-client.js';

/** An approval whose JSON is exactly `bytes` long, padded through `context`. */
function approvalOfSize(bytes: number, pad = 'x'): Record<string, unknown> {
  const base = { kind: 'approval', title: 'Upload the nightly dump', context: { blob: '' } };
  const overhead = Buffer.byteLength(JSON.stringify(base));
  const padBytes = Buffer.byteLength(pad);
  const blob = pad.repeat(Math.floor((bytes - overhead) / padBytes)) + 'x'.repeat((bytes - overhead) % padBytes);
  const body = { ...base, context: { blob } };
  expect(Buffer.byteLength(JSON.stringify(body))).toBe(bytes);
  return body;
}

describe('payload limits', () => {
  const hubs = useHubs();

  it('accepts a REST body of exactly 256 KiB and refuses one byte more with 413', async () => {
    const t = await hubs.start();
    const agent = hubs.agentRest(t);
    expect((await agent.post('/requests', approvalOfSize(MAX_PAYLOAD_BYTES))).status).toBe(201);
    const tooBig = await agent.post('/requests', approvalOfSize(MAX_PAYLOAD_BYTES + 1));
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error).toMatchObject({ code: 'payload_too_large', message: expect.stringContaining(String(MAX_PAYLOAD_BYTES)) });
    // The hub goes on working.
    expect((await agent.post('/requests', approvalRequest)).status).toBe(201);
  });

  it('counts bytes, not characters, and refuses an oversize body sent without Content-Length (chunked)', async () => {
    const t = await hubs.start();
    const agent = hubs.agentRest(t);
    // 90,000 three-byte characters: small in characters, 270 KB on the wire.
    const multiByte = { kind: 'approval', title: '本番データの削除', context: { note: '漢'.repeat(90_000) } };
    expect((await agent.post('/requests', multiByte)).status).toBe(413);

    const chunked = await rawRequest({
      port: t.port,
      path: '/api/v1/requests',
      method: 'POST',
      headers: { authorization: `Bearer ${t.agentToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(approvalOfSize(300 * 1024)),
      chunked: true,
    });
    expect(chunked.status).toBe(413);
    expect(chunked.body.error.code).toBe('payload_too_large');
    expect((await agent.post('/requests', approvalRequest)).status).toBe(201);
  });

  it('refuses an oversize respond body with 413 and leaves the request pending', async () => {
    const t = await hubs.start();
    const agent = hubs.agentRest(t);
    const approver = await hubs.approverRest(t);
    const { id } = (await agent.post('/requests', { kind: 'external', title: 'Paste the log', tool: { name: 'journalctl' } })).body;
    const res = await approver.post(`/requests/${id}/respond`, { result: 'l'.repeat(MAX_PAYLOAD_BYTES) });
    expect(res.status).toBe(413);
    expect((await agent.get(`/requests/${id}`)).body.status).toBe('pending');
    expect((await approver.post(`/requests/${id}/respond`, { result: 'ok' })).status).toBe(200);
  });

  it('answers an oversize socket payload with an ack error, and the socket keeps working', async () => {
    const t = await hubs.start();
    const agent = await hubs.agentSocket(t);
    const approver = await hubs.approverSocket(t);
    const tooBig = await agent.ack('request:create', approvalOfSize(MAX_PAYLOAD_BYTES + 1024));
    expect(tooBig).toEqual({ ok: false, error: { code: 'payload_too_large', message: expect.stringContaining(String(MAX_PAYLOAD_BYTES)) } });
    const multiByte = await agent.ack('request:create', { kind: 'approval', title: 'big', context: { note: '漢'.repeat(90_000) } });
    expect(multiByte).toMatchObject({ ok: false, error: { code: 'payload_too_large' } });
    expect(agent.connected).toBe(true);

    const created = await agent.call('request:create', approvalRequest);
    const hugeAnswer = await approver.ack('request:respond', { id: created.id, response: { approved: true, reason: 'r'.repeat(MAX_PAYLOAD_BYTES) } });
    expect(hugeAnswer).toMatchObject({ ok: false, error: { code: 'payload_too_large' } });
    expect(await approver.call('request:respond', { id: created.id, response: { approved: true } })).toMatchObject({ status: 'resolved' });
    // Nothing oversize reached the queue.
    expect((await approver.call('request:list', {})).requests.map((r: { id: string }) => r.id)).toEqual([created.id]);
  });

  it('refuses JSON nested deeper than the limit on both transports, naming the field, and keeps working', async () => {
    const logger = recordingLogger();
    const t = await hubs.start({ logger });
    // 5,000 levels in about 10 KB, as raw text: enough to overflow any recursive walker, ours or the client's.
    const deepText = `{"kind":"approval","title":"Deep","context":${'{"a":'.repeat(5000)}{}${'}'.repeat(5000)}}`;
    const rest = await hubs.agentRest(t).post('/requests', undefined, { raw: deepText });
    expect(rest.status).toBe(400);
    expect(rest.body.error.message).toMatch(new RegExp(`^context: nested deeper than ${MAX_JSON_DEPTH} levels`));

    // socket.io-client walks payloads recursively itself, so the socket gets a (still far too) deep 500 levels.
    const nested = (levels: number) => {
      const root: Record<string, unknown> = {};
      let cursor = root;
      for (let i = 1; i < levels; i++) cursor = (cursor.a = {}) as Record<string, unknown>;
      return root;
    };
    const agent = await hubs.agentSocket(t);
    const viaSocket = await agent.ack('request:create', { kind: 'approval', title: 'Deep', context: nested(500) });
    expect(viaSocket).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringContaining('nested deeper') } });
    // `context` itself is level 2 of the payload and level 1 of its own schema check.
    const atLimit = nested(MAX_JSON_DEPTH - 1);
    expect(await agent.call('request:create', { kind: 'approval', title: 'Just deep enough', context: atLimit })).toMatchObject({ status: 'pending' });
    expect(logger.errors).toEqual([]);
  });

  it('drops only the offending connection for a message over the 1 MiB transport ceiling', async () => {
    const t = await hubs.start();
    const offender = await hubs.agentSocket(t);
    const bystander = await hubs.agentSocket(t);
    const disconnected = new Promise<string>((resolve) => offender.socket.once('disconnect', resolve));
    offender.socket.emit('request:create', approvalOfSize(2 * 1024 * 1024), () => {});
    expect(await disconnected).toMatch(/^transport (close|error)$/);
    expect(await bystander.call('request:create', approvalRequest)).toMatchObject({ status: 'pending' });
    expect((await hubs.agentRest(t).get('/health')).status).toBe(200);
  });
});

describe('malformed and invalid input', () => {
  const hubs = useHubs();

  it('answers malformed or missing JSON with 400', async () => {
    const t = await hubs.start();
    const agent = hubs.agentRest(t);
    const approver = await hubs.approverRest(t);
    for (const raw of ['{"kind": "approval", "title": ', 'kind=approval', "{'kind':'approval'}", '']) {
      const res = await agent.call('POST', '/requests', { raw });
      expect(res.status, raw).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.message).toMatch(raw === '' ? /JSON body is required/ : /not valid JSON/);
    }
    const { id } = (await agent.post('/requests', approvalRequest)).body;
    const badAnswer = await approver.call('POST', `/requests/${id}/respond`, { raw: '{"approved": tru' });
    expect(badAnswer.status).toBe(400);
    expect((await agent.get(`/requests/${id}`)).body.status).toBe('pending');
    const badFeedback = await agent.call('POST', '/feedback', { raw: '[' });
    expect(badFeedback.status).toBe(400);
    const badPair = await agent.as(undefined).call('POST', '/pair', { raw: 'code=ABCD' });
    expect(badPair.status).toBe(400);
  });

  const invalidCreates: [string, unknown, RegExp][] = [
    ['a draft in an unknown format', { ...editRequest, draft: { format: 'yaml', content: 'a: 1' } }, /^draft\.format: /],
    ['a draft without content', { ...editRequest, draft: { format: 'json' } }, /^draft\.content: /],
    ['a misspelt top-level field', { ...approvalRequest, titel: 'typo' }, /Unrecognized key: "titel"/],
    ['a misspelt nested field', { ...approvalRequest, action: { name: 'db.deleteUsers', arg: {} } }, /^action: Unrecognized key: "arg"/],
    ['a field of another kind', { ...approvalRequest, draft: editRequest.draft }, /Unrecognized key: "draft"/],
    ['no title', { kind: 'approval' }, /^title: /],
    ['a blank title', { kind: 'approval', title: '   ' }, /^title: /],
    ['an unknown kind', { kind: 'poll', title: 'Lunch?' }, /^kind: /],
    ['no kind', { title: 'Lunch?' }, /^kind: /],
    ['an unknown severity', { ...approvalRequest, severity: 'urgent' }, /^severity: /],
    ['progress above 1', { kind: 'checkpoint', title: 'Halfway', phase: 'copy', progress: 1.5 }, /^progress: /],
    ['an alternative without id', { ...approvalRequest, alternatives: [{ description: 'Archive' }] }, /^alternatives\.0\.id: /],
    ['a form field of an unknown type', { ...clarificationWithForm, fields: [{ name: 'd', label: 'Date', type: 'date' }] }, /^fields\.0\.type: /],
    ['a clarification that asks nothing', { kind: 'clarification', title: 'Hm?', allowFreeform: false }, /^options: a clarification needs/],
    ['a negative timeout', { ...approvalRequest, timeoutMs: -5 }, /^timeoutMs: /],
    ['an unknown onTimeout', { ...approvalRequest, onTimeout: 'retry' }, /^onTimeout: /],
    ['a context that is not an object', { ...approvalRequest, context: ['prod'] }, /^context: /],
    ['an escalation without a reason', { ...escalationRequest, reason: undefined }, /^reason: /],
    ['an array instead of an object', [approvalRequest], /^\(root\): /],
  ];

  it.each(invalidCreates)('refuses %s with 400 naming the field, on REST and on the socket', async (_name, body, message) => {
    const t = await hubs.start();
    const res = await hubs.agentRest(t).post('/requests', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(message), details: { issues: expect.any(Array) } });
    const agent = await hubs.agentSocket(t);
    const ack = await agent.ack('request:create', body);
    expect(ack).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringMatching(message) } });
    expect((await (await hubs.approverRest(t)).get('/requests')).body.requests).toEqual([]);
  });

  const invalidAnswers: [string, unknown, unknown, RegExp][] = [
    ['an approval without approved', approvalRequest, { reason: 'ok' }, /^response\.approved: /],
    ['an approval with approved as a string', approvalRequest, { approved: 'yes' }, /^response\.approved: /],
    ['an alternative that was not offered', approvalRequest, { approved: false, alternativeId: 'burn-it' }, /^response\.alternativeId: "burn-it" is not one of the offered/],
    ['a misspelt answer field', approvalRequest, { approved: true, reasn: 'typo' }, /^response: Unrecognized key: "reasn"/],
    ['an option that was not offered', clarificationWithOptions, { optionId: 'rfc2822' }, /^response\.optionId: /],
    ['free text where none is allowed', clarificationWithOptions, { text: 'whatever' }, /^response\.text: /],
    ['a missing required form field', clarificationWithForm, { values: { replicas: 2 } }, /^response\.values\.env: Environment is required/],
    ['a number field given text', clarificationWithForm, { values: { env: 'prod', replicas: 'three' } }, /^response\.values\.replicas: Replicas must be a number/],
    ['a select given an unoffered value', clarificationWithForm, { values: { env: 'qa', replicas: 1 } }, /^response\.values\.env: /],
    ['a checkbox given text', clarificationWithForm, { values: { env: 'prod', replicas: 1, notifyOnCall: 'yes' } }, /^response\.values\.notifyOnCall: /],
    ['an empty clarification answer', clarificationWithOptions, {}, /^response: an answer needs/],
    ['an edit of a json draft that is not json', editRequest, { action: 'edit', content: '{flags: on' }, /^response\.content: the edited draft is not valid JSON/],
    ['an edit without content', editRequest, { action: 'edit' }, /^response\.content: an edit needs content/],
    ['an unknown edit action', editRequest, { action: 'merge' }, /^response\.action: /],
    ['a delegation without a target', escalationRequest, { action: 'delegate' }, /^response\.targetAgentId: /],
    ['an external answer without result', { kind: 'external', title: 'Run it', tool: { name: 'x' } }, {}, /^response\.result: /],
  ];

  it.each(invalidAnswers)('refuses %s with 400 naming the field and keeps the request open', async (_name, request, response, message) => {
    const t = await hubs.start();
    const agent = hubs.agentRest(t);
    const approver = await hubs.approverRest(t);
    const { id } = (await agent.post('/requests', request)).body;
    const res = await approver.post(`/requests/${id}/respond`, response);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(message) });
    const socket = await hubs.approverSocket(t);
    const ack = await socket.ack('request:respond', { id, response });
    expect(ack).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringMatching(message) } });
    expect((await agent.get(`/requests/${id}`)).body.status).toBe('pending');
  });

  it('refuses unknown query parameters and bad feedback', async () => {
    const t = await hubs.start();
    const agent = hubs.agentRest(t);
    const approver = await hubs.approverRest(t);
    const list = await approver.get('/requests?state=pending');
    expect(list.status).toBe(400);
    expect(list.body.error.message).toContain('Unrecognized key: "state"');
    const feedback = await agent.get('/feedback?agent=writer');
    expect(feedback.status).toBe(400);
    expect(feedback.body.error.message).toContain('"agent"');
    const importance = await agent.post('/feedback', { agentId: 'w', type: 'praise', aspect: 'tone', content: 'good', importance: 3 });
    expect(importance.status).toBe(400);
    expect(importance.body.error.message).toMatch(/^importance: /);
    const type = await agent.post('/feedback', { agentId: 'w', type: 'rant', aspect: 'tone', content: 'bad' });
    expect(type.body.error.message).toMatch(/^type: /);
  });
});

describe('garbage on the socket', () => {
  const hubs = useHubs();
  const garbage: unknown[] = [42, null, 'request', true, [], [1, 2, 3], {}, { id: 42 }, { id: '' }, { ids: 'all' }, { id: 'x'.repeat(201) }, { kind: 'approval' }, JSON.parse('{"__proto__": {"polluted": true}, "id": "x"}'), { constructor: { prototype: { polluted: true } } }];

  it('answers every event with a result for any payload, and never crashes the hub', async () => {
    const logger = recordingLogger();
    const t = await hubs.start({ logger });
    const agent = await hubs.agentSocket(t);
    const approver = await hubs.approverSocket(t);
    const agentEvents = ['request:create', 'request:get', 'request:watch', 'request:cancel', 'feedback:record', 'feedback:list'];
    const approverEvents = ['request:list', 'request:respond', 'stats:get'];

    for (const [socket, events] of [[agent, agentEvents], [approver, approverEvents]] as const) {
      for (const event of events) {
        for (const payload of garbage) {
          const result = await socket.ack(event, payload);
          expect(typeof result.ok, `${event} ${JSON.stringify(payload)}`).toBe('boolean');
          if (!result.ok) {
            expect(['invalid_request', 'not_found']).toContain(result.error.code);
            expect(result.error.message).not.toMatch(/\n\s+at /); // never a stack
          }
        }
        // Extra arguments, and no ack at all: nothing to answer, nothing may throw.
        socket.socket.emit(event, { id: 'x' }, 'extra', 7, () => {});
        for (const payload of garbage) socket.socket.emit(event, payload);
        socket.socket.emit(event);
      }
      socket.socket.emit('no:such:event', { id: 'x' }, () => {});
    }
    // None of it made a request, and the refusals name what is wrong.
    expect((await approver.call('request:list', {})).requests).toEqual([]);
    expect(await agent.ack('request:create', 42)).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringMatching(/^\(root\): /) } });
    expect(await approver.ack('request:respond', null)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await agent.ack('request:watch', { ids: 'all' })).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringMatching(/^ids: /) } });

    expect(agent.connected && approver.connected).toBe(true);
    expect(logger.errors).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // And the hub still does its job end to end.
    const { id } = await agent.call('request:create', approvalRequest);
    await approver.call('request:respond', { id, response: { approved: true } });
    expect(await agent.waitFor('request:decided', (d) => d.requestId === id)).toMatchObject({ status: 'resolved' });
  });

  it('survives a raw HTTP flood of nonsense', async () => {
    const logger = recordingLogger();
    const t = await hubs.start({ logger });
    const token = `Bearer ${t.agentToken}`;
    const attempts = [
      { path: '/socket.io/?EIO=4&transport=polling', method: 'POST', body: '42["request:create",{"kind":"approval"' },
      { path: '/socket.io/?EIO=99&transport=polling' },
      { path: '/socket.io/?EIO=4&transport=carrier-pigeon' },
      { path: '/api/v1/requests', method: 'POST', body: '\u0000\u0001\u0002', headers: { authorization: token } },
      { path: '/api/v1/requests', method: 'POST', body: 'null', headers: { authorization: token } },
      { path: '/api/v1/requests', method: 'POST', body: '"a string"', headers: { authorization: token } },
      { path: '/api/v1/requests/..%2F..%2Fetc%2Fpasswd', headers: { authorization: token } },
      { path: '/api/v1/requests?status=pending&status=resolved', headers: { authorization: token } },
    ];
    for (const a of attempts) {
      const res = await rawRequest({ port: t.port, ...a });
      expect(res.status, a.path).toBeGreaterThanOrEqual(400);
      expect(res.status, a.path).toBeLessThan(500);
    }
    expect(logger.errors).toEqual([]);
    expect((await hubs.agentRest(t).post('/requests', approvalRequest)).status).toBe(201);
  });
});
