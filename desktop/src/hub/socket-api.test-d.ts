import type { Decision, HubStats, Logger, SignoffRequest, WatchResult } from '@signoff/shared';
import { describe, expectTypeOf, it } from 'vitest';
import { answer, type AckData, type AgentNamespace, type AgentSocket, type ApproverNamespace, type ApproverSocket } from './socket-api.js';

/*
 * The hub answers through the contract's event maps: an event the namespace does not
 * have, or a handler whose result is not what the event's ack carries, does not compile.
 * Type-checked only, never run.
 */
declare const agent: AgentSocket;
declare const approver: ApproverSocket;
declare const agents: AgentNamespace;
declare const approvers: ApproverNamespace;
declare const logger: Logger;
declare const request: SignoffRequest;
declare const decision: Decision;
declare const stats: HubStats;

describe('answer', () => {
  it('takes the events of the socket’s own namespace, with their ack’s data', () => {
    answer(agent, 'request:create', logger, () => request);
    answer(agent, 'request:cancel', logger, () => decision);
    answer(approver, 'request:respond', logger, () => decision);
    answer(approver, 'stats:get', logger, () => stats);
    answer(approver, 'push:key', logger, () => ({ publicKey: 'B…', sending: true }));
    answer(approver, 'push:unsubscribe', logger, () => ({ removed: true }));
    answer(approver, 'pairing:create', logger, () => ({ code: 'ABCD-EFGH', expiresAt: 0, url: null }));
    expectTypeOf<AckData<(payload: { id: string }, ack: (result: { ok: true; data: WatchResult }) => void) => void>>().toEqualTypeOf<WatchResult>();
  });

  it('refuses an event name outside the namespace’s contract', () => {
    // @ts-expect-error: `request:respond` is an approver event; agents cannot send it.
    answer(agent, 'request:respond', logger, () => decision);
    // @ts-expect-error: `request:create` is an agent event.
    answer(approver, 'request:create', logger, () => request);
    // @ts-expect-error: push subscriptions are an approver's; agents cannot register where pushes go.
    answer(agent, 'push:subscribe', logger, () => ({ endpoint: 'https://push.example/x', created: true }));
    // @ts-expect-error: no such event.
    answer(agent, 'request:delete', logger, () => decision);
  });

  it('refuses a handler whose result is not the ack’s data', () => {
    // @ts-expect-error: `request:get` acks a request, not a decision.
    answer(agent, 'request:get', logger, () => decision);
    // @ts-expect-error: `request:watch` acks { watching, decided, unknown } ids.
    answer(agent, 'request:watch', logger, () => ({ watching: [], decided: [decision], unknown: [] }));
    // @ts-expect-error: `stats:get` acks the stats.
    answer(approver, 'stats:get', logger, () => request);
  });
});

describe('namespaces', () => {
  it('emit only their own contract events, with their payloads', () => {
    agents.to('room').emit('request:decided', decision);
    approvers.to('proven').emit('request:new', request);
    // @ts-expect-error: `request:new` goes to approvers, not agents.
    agents.to('room').emit('request:new', request);
    // @ts-expect-error: `request:decided` carries a decision.
    agents.to('room').emit('request:decided', request);
    // @ts-expect-error: a snapshot is a page of requests with its total.
    approvers.to('proven').emit('snapshot', { requests: [request] });
  });

  it('hand connection handlers sockets that know the contract and their data', () => {
    agents.on('connection', (socket) => {
      expectTypeOf(socket).toEqualTypeOf<AgentSocket>();
      expectTypeOf(socket.data.principal).toEqualTypeOf<string>();
    });
    approvers.on('connection', (socket) => expectTypeOf(socket).toEqualTypeOf<ApproverSocket>());
  });
});
