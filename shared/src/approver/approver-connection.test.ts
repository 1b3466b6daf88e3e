// The grants and policy calls and pushes of the shared client, against a fake socket:
// the events are typed by the contract, so this checks the client's side of it (what
// it emits, what it hands on, how a refusal reads). The handshake and the rest are
// covered against a real hub in test/integration.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Grant, PolicyStatus, Result } from '../protocol/index.js';
import type { ApproverCredential } from './credential.js';

interface FakeSocket {
  connected: boolean;
  handlers: Map<string, (...args: unknown[]) => void>;
  emitted: { event: string; payload: unknown; timeoutMs: number }[];
  answer: (event: string, payload: unknown) => Result<unknown>;
  on: (event: string, handler: (...args: unknown[]) => void) => void;
  timeout: (ms: number) => { emitWithAck: (event: string, payload: unknown) => Promise<Result<unknown>> };
  close: () => void;
  push: (event: string, payload: unknown) => void;
}

const sockets: FakeSocket[] = [];

vi.mock('socket.io-client', () => ({
  io: () => {
    const socket: FakeSocket = {
      connected: true,
      handlers: new Map(),
      emitted: [],
      answer: () => ({ ok: false, error: { code: 'internal_error', message: 'no answer set' } }),
      on(event, handler) {
        socket.handlers.set(event, handler);
      },
      timeout(ms) {
        return {
          emitWithAck: (event, payload) => {
            socket.emitted.push({ event, payload, timeoutMs: ms });
            return Promise.resolve(socket.answer(event, payload));
          },
        };
      },
      close() {
        socket.connected = false;
      },
      push(event, payload) {
        socket.handlers.get(event)?.(payload);
      },
    };
    sockets.push(socket);
    return socket;
  },
}));

const { ApproverConnection } = await import('./approver-connection.js');

const credential: ApproverCredential = { answer: () => Promise.reject(new Error('not used here')) } as unknown as ApproverCredential;
const grant: Grant = {
  id: 'g1',
  createdBy: 'Ada',
  requestId: 'r1',
  agentId: 'coder',
  scope: 'agent',
  runId: null,
  match: { type: 'command', action: 'shell', pattern: 'npm run test:*', exact: false },
  createdAt: 1,
  expiresAt: null,
  uses: 3,
  lastUsedAt: 2,
};
const status: PolicyStatus = { file: '/home/a/.signoff/policy.yaml', present: true, rules: 4, guardrails: { 'code-safety': true, pii: false }, error: null, warnings: [], loadedAt: 5 };

afterEach(() => {
  sockets.length = 0;
});

function started(events: ConstructorParameters<typeof ApproverConnection>[1] = {}) {
  const connection = new ApproverConnection({ url: 'http://127.0.0.1:7475', credential, surface: 'window', ackTimeoutMs: 1234 }, events);
  connection.start();
  const socket = sockets.at(-1)!;
  return { connection, socket };
}

describe('ApproverConnection grants and policy', () => {
  it('lists grants, revokes one and reads the policy status with the contract’s events and an ack timeout', async () => {
    const { connection, socket } = started();
    socket.answer = (event) =>
      event === 'grants:list'
        ? { ok: true, data: { grants: [grant] } }
        : event === 'grants:revoke'
          ? { ok: true, data: { revoked: true } }
          : { ok: true, data: status };
    await expect(connection.listGrants()).resolves.toEqual([grant]);
    await expect(connection.revokeGrant('g1')).resolves.toEqual({ revoked: true });
    await expect(connection.policyStatus()).resolves.toEqual(status);
    expect(socket.emitted).toEqual([
      { event: 'grants:list', payload: {}, timeoutMs: 1234 },
      { event: 'grants:revoke', payload: { id: 'g1' }, timeoutMs: 1234 },
      { event: 'policy:status', payload: {}, timeoutMs: 1234 },
    ]);
    connection.close();
  });

  it('rejects with the hub’s words when it refuses, and says so when the hub cannot be reached', async () => {
    const { connection, socket } = started();
    socket.answer = () => ({ ok: false, error: { code: 'not_found', message: 'No grant g9.' } });
    await expect(connection.revokeGrant('g9')).rejects.toMatchObject({ message: 'No grant g9.', code: 'not_found' });
    socket.connected = false;
    await expect(connection.listGrants()).rejects.toThrow('The hub is not reachable at http://127.0.0.1:7475.');
    connection.close();
  });

  it('hands on grants:changed and policy:changed pushes', () => {
    const grants = vi.fn();
    const policy = vi.fn();
    const { connection, socket } = started({ grants, policy });
    socket.push('grants:changed', { grants: [grant] });
    socket.push('policy:changed', { ...status, error: 'rules[2].then: expected allow, deny, ask or audit' });
    expect(grants).toHaveBeenCalledWith([grant]);
    expect(policy).toHaveBeenCalledWith({ ...status, error: 'rules[2].then: expected allow, deny, ask or audit' });
    connection.close();
  });
});
