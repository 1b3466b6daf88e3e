import type { Server } from 'socket.io';
import type { Socket } from 'socket.io-client';
import { describe, expectTypeOf, it } from 'vitest';
import type { Result } from './errors.js';
import type { DeviceInfo, DeviceProof } from './approver-auth.js';
import type { Ack, AgentToHub, ApproverToHub, HubToAgent, HubToApprover, RequestPage, Snapshot, SocketData, WatchResult } from './events.js';
import type { CreateRequestInput, ListRequestsQuery } from './request-schemas.js';
import type { Decision, FeedbackInput, FeedbackQuery, FeedbackRecord, HubStats, SignoffRequest } from './request.js';
import type { AnyResponse } from './response-schemas.js';

/*
 * The hub is `new Server<ClientToServer, ServerToClient, {}, SocketData>` and the
 * clients are `Socket<ServerToClient, ClientToServer>` over the same maps. These
 * declarations are type-checked only, never run.
 */
declare const agentServer: Server<AgentToHub, HubToAgent, Record<string, never>, SocketData>;
declare const approverServer: Server<ApproverToHub, HubToApprover, Record<string, never>, SocketData>;
declare const agentClient: Socket<HubToAgent, AgentToHub>;
declare const approverClient: Socket<HubToApprover, ApproverToHub>;

declare const request: SignoffRequest;
declare const decision: Decision;
declare const feedback: FeedbackRecord;
declare const stats: HubStats;

describe('event maps', () => {
  it('name exactly the contract events (adding one means adding it here)', () => {
    expectTypeOf<keyof AgentToHub>().toEqualTypeOf<
      'request:create' | 'request:get' | 'request:watch' | 'request:cancel' | 'feedback:record' | 'feedback:list'
    >();
    expectTypeOf<keyof HubToAgent>().toEqualTypeOf<'request:decided'>();
    expectTypeOf<keyof ApproverToHub>().toEqualTypeOf<
      | 'auth:prove'
      | 'request:list'
      | 'request:get'
      | 'request:respond'
      | 'stats:get'
      | 'runs:list'
      | 'runs:get'
      | 'devices:list'
      | 'devices:revoke'
      | 'grants:list'
      | 'grants:revoke'
      | 'policy:status'
      | 'pairing:create'
      | 'audit:page'
      | 'push:key'
      | 'push:subscribe'
      | 'push:unsubscribe'
    >();
    expectTypeOf<keyof HubToApprover>().toEqualTypeOf<
      | 'auth:challenge'
      | 'snapshot'
      | 'request:new'
      | 'request:updated'
      | 'request:resolved'
      | 'approvers:presence'
      | 'grants:changed'
      | 'policy:changed'
    >();
  });
});

describe('agent namespace', () => {
  it('hands the hub exactly the contract payloads and acks', () => {
    agentServer.of('/agent').on('connection', (socket) => {
      expectTypeOf(socket.data).toEqualTypeOf<SocketData>();

      socket.on('request:create', (payload, ack) => {
        expectTypeOf(payload).toEqualTypeOf<CreateRequestInput>();
        expectTypeOf(ack).toEqualTypeOf<Ack<SignoffRequest>>();
        ack({ ok: true, data: request });
        ack({ ok: false, error: { code: 'invalid_request', message: 'title: Required' } });
        // @ts-expect-error: request:create answers with a request, not a decision
        ack({ ok: true, data: decision });
        // @ts-expect-error: error codes are a closed set
        ack({ ok: false, error: { code: 'oops', message: 'x' } });
      });
      socket.on('request:get', (payload, ack) => {
        expectTypeOf(payload).toEqualTypeOf<{ id: string }>();
        expectTypeOf(ack).parameter(0).toEqualTypeOf<Result<SignoffRequest>>();
      });
      socket.on('request:watch', (payload, ack) => {
        expectTypeOf(payload).toEqualTypeOf<{ ids: string[] }>();
        expectTypeOf(ack).parameter(0).toEqualTypeOf<Result<WatchResult>>();
        ack({ ok: true, data: { watching: ['a'], decided: [], unknown: [] } });
        // @ts-expect-error: a watch result lists all three groups
        ack({ ok: true, data: { watching: ['a'] } });
      });
      socket.on('request:cancel', (payload, ack) => {
        expectTypeOf(payload).toEqualTypeOf<{ id: string }>();
        expectTypeOf(ack).parameter(0).toEqualTypeOf<Result<Decision>>();
      });
      socket.on('feedback:record', (payload, ack) => {
        expectTypeOf(payload).toEqualTypeOf<FeedbackInput>();
        expectTypeOf(ack).parameter(0).toEqualTypeOf<Result<FeedbackRecord>>();
        ack({ ok: true, data: feedback });
      });
      socket.on('feedback:list', (payload, ack) => {
        expectTypeOf(payload).toEqualTypeOf<FeedbackQuery>();
        expectTypeOf(ack).parameter(0).toEqualTypeOf<Result<{ feedback: FeedbackRecord[] }>>();
      });

      // @ts-expect-error: a handler cannot claim a different ack than the contract's
      socket.on('request:get', (_payload: { id: string }, _ack: Ack<Decision>) => {});
      // @ts-expect-error: nor a different payload
      socket.on('request:get', (_payload: { ids: string[] }, _ack: Ack<SignoffRequest>) => {});
      // @ts-expect-error: approver events do not exist on the agent namespace
      socket.on('request:respond', () => {});

      socket.emit('request:decided', decision);
      // @ts-expect-error: request:decided carries a Decision
      socket.emit('request:decided', request);
      // @ts-expect-error: the agent namespace has no request:new
      socket.emit('request:new', request);
    });

    agentServer.to('agent-1').emit('request:decided', decision);
    // @ts-expect-error: broadcasts are typed too
    agentServer.to('agent-1').emit('request:decided', { requestId: 'r' });
  });

  it('lets the client send exactly the contract payloads and read typed acks', async () => {
    agentClient.emit('request:create', { kind: 'approval', title: 'Ship it' }, (result) => {
      expectTypeOf(result).toEqualTypeOf<Result<SignoffRequest>>();
    });
    // @ts-expect-error: title is required
    agentClient.emit('request:create', { kind: 'approval' }, () => {});
    // @ts-expect-error: unknown kinds are refused
    agentClient.emit('request:create', { kind: 'poll', title: 'x' }, () => {});
    // @ts-expect-error: the ack receives a Result<SignoffRequest>, not a Result<Decision>
    agentClient.emit('request:create', { kind: 'notify', title: 'x' }, (_result: Result<Decision>) => {});
    // @ts-expect-error: request:cancel takes an id
    agentClient.emit('request:cancel', { requestId: 'r' }, () => {});
    // @ts-expect-error: approver events cannot be sent from an agent socket
    agentClient.emit('request:respond', { id: 'r', response: { approved: true } }, () => {});

    const created = await agentClient.emitWithAck('request:create', { kind: 'notify', title: 'Deployed' });
    expectTypeOf(created).toEqualTypeOf<Result<SignoffRequest>>();
    const watched = await agentClient.emitWithAck('request:watch', { ids: ['a', 'b'] });
    expectTypeOf(watched).toEqualTypeOf<Result<WatchResult>>();
    const listed = await agentClient.emitWithAck('feedback:list', { agentId: 'bot', limit: 10 });
    expectTypeOf(listed).toEqualTypeOf<Result<{ feedback: FeedbackRecord[] }>>();
    // @ts-expect-error: emitWithAck checks the payload
    await agentClient.emitWithAck('request:get', { id: 42 });

    // `timeout(ms).emitWithAck` still checks the payload but types its answer as `any`
    // (https://github.com/socketio/socket.io/issues/4925), which is why the SDK casts it.
    // If this starts failing, socket.io fixed it and the SDK's cast can go.
    const timed = await agentClient.timeout(5_000).emitWithAck('request:get', { id: 'r' });
    expectTypeOf(timed).toBeAny();
    // @ts-expect-error: the payload is still checked with a timeout
    await agentClient.timeout(5_000).emitWithAck('request:get', { id: 42 });

    agentClient.timeout(5_000).emit('request:get', { id: 'r' }, (error, result) => {
      expectTypeOf(error).toEqualTypeOf<Error>();
      expectTypeOf(result).toEqualTypeOf<Result<SignoffRequest>>();
    });

    agentClient.on('request:decided', (d) => {
      expectTypeOf(d).toEqualTypeOf<Decision>();
    });
    // @ts-expect-error: agents are not sent request:new
    agentClient.on('request:new', () => {});
    // @ts-expect-error: a decided listener gets a Decision, not a request
    agentClient.on('request:decided', (_r: SignoffRequest) => {});
  });
});

describe('approver namespace', () => {
  it('hands the hub exactly the contract payloads and acks', () => {
    approverServer.of('/approver').on('connection', (socket) => {
      socket.on('request:list', (payload, ack) => {
        expectTypeOf(payload).toEqualTypeOf<ListRequestsQuery & { status?: SignoffRequest['status'] }>();
        expectTypeOf(ack).parameter(0).toEqualTypeOf<Result<RequestPage>>();
      });
      socket.on('auth:prove', (payload, ack) => {
        expectTypeOf(payload).toEqualTypeOf<DeviceProof>();
        expectTypeOf(ack).parameter(0).toEqualTypeOf<Result<{ device: DeviceInfo }>>();
      });
      socket.on('request:respond', (payload, ack) => {
        expectTypeOf(payload).toEqualTypeOf<{ id: string; response: AnyResponse }>();
        expectTypeOf(ack).parameter(0).toEqualTypeOf<Result<Decision>>();
        ack({ ok: true, data: decision });
        // @ts-expect-error: request:respond answers with a Decision
        ack({ ok: true, data: request });
      });
      socket.on('stats:get', (payload, ack) => {
        expectTypeOf(payload).toEqualTypeOf<Record<string, never>>();
        ack({ ok: true, data: stats });
      });
      // @ts-expect-error: agent events do not exist on the approver namespace
      socket.on('request:create', () => {});

      socket.emit('snapshot', { requests: [request], more: false, total: 1 });
      socket.emit('auth:challenge', { hubNonce: 'n', host: '127.0.0.1:7475', signature: 's' });
      // @ts-expect-error: a snapshot says how many are pending in all
      socket.emit('snapshot', { requests: [request], more: false });
      socket.emit('request:new', request);
      socket.emit('request:updated', request);
      socket.emit('request:resolved', request);
      socket.emit('approvers:presence', { surfaces: { extension: 1, tray: 1 } });
      // @ts-expect-error: presence counts surfaces in an object
      socket.emit('approvers:presence', { surfaces: ['extension'] });
      // @ts-expect-error: snapshot wraps the list
      socket.emit('snapshot', [request]);
      // @ts-expect-error: request:resolved carries the request, not the decision
      socket.emit('request:resolved', decision);
      // @ts-expect-error: approvers are not sent request:decided
      socket.emit('request:decided', decision);
    });
  });

  it('lets the client send exactly the contract payloads and read typed acks', async () => {
    const answered = await approverClient.emitWithAck('request:respond', {
      id: 'r',
      response: { action: 'edit', content: 'new text' },
    });
    expectTypeOf(answered).toEqualTypeOf<Result<Decision>>();
    const list = await approverClient.emitWithAck('request:list', { status: 'pending', limit: 50 });
    expectTypeOf(list).toEqualTypeOf<Result<RequestPage>>();
    const page = await approverClient.emitWithAck('request:list', { status: 'pending', limit: 50, before: 'r1' });
    expectTypeOf(page).toEqualTypeOf<Result<RequestPage>>();
    const devices = await approverClient.emitWithAck('devices:list', {});
    expectTypeOf(devices).toEqualTypeOf<Result<{ devices: DeviceInfo[]; self: string | null }>>();
    // @ts-expect-error: a device proof names the device
    approverClient.emit('auth:prove', { signature: 's' }, () => {});
    const hubStats = await approverClient.emitWithAck('stats:get', {});
    expectTypeOf(hubStats).toEqualTypeOf<Result<HubStats>>();

    // @ts-expect-error: status must be a request status
    approverClient.emit('request:list', { status: 'done' }, () => {});
    // @ts-expect-error: a response is not free-form
    approverClient.emit('request:respond', { id: 'r', response: { verdict: 'yes' } }, () => {});
    // @ts-expect-error: stats:get takes an empty object
    approverClient.emit('stats:get', { since: 0 }, () => {});

    approverClient.on('snapshot', (payload) => {
      expectTypeOf(payload).toEqualTypeOf<Snapshot>();
    });
    approverClient.on('request:new', (r) => expectTypeOf(r).toEqualTypeOf<SignoffRequest>());
    approverClient.on('request:updated', (r) => expectTypeOf(r).toEqualTypeOf<SignoffRequest>());
    approverClient.on('request:resolved', (r) => expectTypeOf(r).toEqualTypeOf<SignoffRequest>());
    approverClient.on('approvers:presence', (p) => expectTypeOf(p).toEqualTypeOf<{ surfaces: Record<string, number> }>());
    // @ts-expect-error: approvers are not sent request:decided
    approverClient.on('request:decided', () => {});
  });
});
