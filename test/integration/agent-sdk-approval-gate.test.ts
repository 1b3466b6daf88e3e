import {
  AlternativeChosenError,
  connect,
  InvalidEditedArgsError,
  NotApprovedError,
  type AnyResponse,
  type SignoffClient,
  type SignoffRequest,
} from '@signoff/shared/agent';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestHub, type TestHub } from '../support/hub.js';
import { waitUntil } from '../support/wait-until.js';

/**
 * `withApproval` runs exactly what was decided: a real hub, the SDK as the agent,
 * and a person answering over REST with a paired approver's bearer token.
 */
describe('withApproval runs exactly what was decided', () => {
  let t: TestHub;
  let client: SignoffClient | undefined;

  afterEach(async () => {
    client?.close();
    client = undefined;
    await t?.dispose();
  });

  /** Answers the next pending request with `response` once it appears, over REST. */
  async function answerNext(response: AnyResponse): Promise<SignoffRequest> {
    const token = await t.pairApprover('Ada');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const request = await waitUntil(async () => {
      const res = await fetch(`${t.url}/api/v1/requests?status=pending`, { headers });
      return ((await res.json()) as { requests: SignoffRequest[] }).requests[0];
    }, 'the request to reach the hub');
    const res = await fetch(`${t.url}/api/v1/requests/${request.id}/respond`, { method: 'POST', headers, body: JSON.stringify(response) });
    expect(res.status).toBe(200);
    return request;
  }

  const setup = async () => {
    t = await startTestHub();
    client = await connect({ agentId: 'gate-test', url: t.url, token: t.agentToken });
    const calls: unknown[] = [];
    return { client, calls };
  };

  const describeDelete = (args: { table: string; limit: number }) => ({
    title: `Delete ${args.limit} rows from ${args.table}`,
    action: { name: 'deleteRows', args },
    alternatives: [{ id: 'archive', description: 'Archive them instead' }],
  });

  it('approving an alternative does not run the original tool: it throws AlternativeChosenError with the id', async () => {
    const { client, calls } = await setup();
    const deleteRows = client.withApproval((args: { table: string; limit: number }) => {
      calls.push(args);
      return 'deleted';
    }, describeDelete);
    const result = deleteRows({ table: 'users', limit: 5000 }).catch((e: unknown) => e);
    await answerNext({ approved: true, alternativeId: 'archive', reason: 'keep them for a month' });
    const error = await result;
    expect(error).toBeInstanceOf(AlternativeChosenError);
    expect(error).toMatchObject({ alternativeId: 'archive', decision: { status: 'resolved', response: { approved: true, alternativeId: 'archive' } } });
    expect((error as Error).message).toContain('"archive"');
    expect(calls).toEqual([]);
  });

  it('approving an alternative runs the handler registered for it, never the original', async () => {
    const { client, calls } = await setup();
    const archived: unknown[] = [];
    const deleteRows = client.withApproval(
      (args: { table: string; limit: number }) => {
        calls.push(args);
        return 'deleted';
      },
      describeDelete,
      {
        onAlternative: {
          archive: ([args], decision) => {
            archived.push({ args, by: decision.respondedBy });
            return 'archived';
          },
        },
      },
    );
    const result = deleteRows({ table: 'users', limit: 5000 });
    await answerNext({ approved: true, alternativeId: 'archive' });
    await expect(result).resolves.toBe('archived');
    expect(archived).toEqual([{ args: { table: 'users', limit: 5000 }, by: 'Ada' }]);
    expect(calls).toEqual([]);
  });

  it('runs the tool with edited arguments that pass its zod schema (parsed by it)', async () => {
    const { client, calls } = await setup();
    const schema = z.object({ table: z.string(), limit: z.number().int().max(100), dryRun: z.boolean().default(false) });
    const deleteRows = client.withApproval(
      (args: z.infer<typeof schema>) => {
        calls.push(args);
        return `deleted ${args.limit}`;
      },
      (args) => ({ title: `Delete ${args.limit} rows`, action: { name: 'deleteRows', args } }),
      { schema },
    );
    const result = deleteRows({ table: 'users', limit: 5000, dryRun: false });
    await answerNext({ approved: true, editedArgs: { limit: 10 } });
    await expect(result).resolves.toBe('deleted 10');
    expect(calls).toEqual([{ table: 'users', limit: 10, dryRun: false }]);
  });

  it('edited arguments the schema refuses throw InvalidEditedArgsError and the tool does not run', async () => {
    const { client, calls } = await setup();
    const schema = z.object({ table: z.string(), limit: z.number().int().max(100) });
    const deleteRows = client.withApproval(
      (args: z.infer<typeof schema>) => {
        calls.push(args);
      },
      (args) => ({ title: `Delete ${args.limit} rows`, action: { name: 'deleteRows', args } }),
      { schema },
    );
    const result = deleteRows({ table: 'users', limit: 50 }).catch((e: unknown) => e);
    await answerNext({ approved: true, editedArgs: { limit: 'all' } });
    const error = await result;
    expect(error).toBeInstanceOf(InvalidEditedArgsError);
    expect(error).toMatchObject({ editedArgs: { limit: 'all' } });
    expect((error as Error).message).toContain('limit');
    expect(calls).toEqual([]);
  });

  it('a validate function maps edited arguments onto a tool with several arguments, and can refuse them', async () => {
    const { client, calls } = await setup();
    const send = client.withApproval(
      (to: string, body: string) => {
        calls.push([to, body]);
        return 'sent';
      },
      (to, body) => ({ title: `Email ${to}`, action: { name: 'send', args: { to, body } } }),
      {
        validate: (edited, [to, body]) => {
          if ('to' in edited && typeof edited.to !== 'string') throw new Error('to must be a string');
          return [(edited.to as string | undefined) ?? to, (edited.body as string | undefined) ?? body] as [string, string];
        },
      },
    );
    const ok = send('dana@example.com', 'Hi');
    await answerNext({ approved: true, editedArgs: { body: 'Hi Dana, sorry for the delay' } });
    await expect(ok).resolves.toBe('sent');
    const refused = send('dana@example.com', 'Hi').catch((e: unknown) => e);
    await answerNext({ approved: true, editedArgs: { to: 42 } });
    expect(await refused).toBeInstanceOf(InvalidEditedArgsError);
    expect(calls).toEqual([['dana@example.com', 'Hi Dana, sorry for the delay']]);
  });

  it('edited arguments for a tool without one object argument and no validate do not run it', async () => {
    const { client, calls } = await setup();
    const run = client.withApproval(
      (command: string) => {
        calls.push(command);
      },
      (command) => ({ title: `Run ${command}`, action: { name: 'shell', args: { command } } }),
    );
    const result = run('rm -rf build').catch((e: unknown) => e);
    await answerNext({ approved: true, editedArgs: { command: 'rm -rf build/tmp' } });
    expect(await result).toBeInstanceOf(InvalidEditedArgsError);
    expect(calls).toEqual([]);
  });

  it('a rejection throws NotApprovedError with the reason; a plain approval runs the original arguments', async () => {
    const { client, calls } = await setup();
    const deleteRows = client.withApproval((args: { table: string; limit: number }) => {
      calls.push(args);
      return 'deleted';
    }, describeDelete);
    const refused = deleteRows({ table: 'prod.users', limit: 5 }).catch((e: unknown) => e);
    await answerNext({ approved: false, reason: 'not on prod' });
    const error = await refused;
    expect(error).toBeInstanceOf(NotApprovedError);
    expect(error).toMatchObject({ reason: 'not on prod' });
    expect((error as Error).message).toContain('not on prod');

    const approved = deleteRows({ table: 'staging.users', limit: 5 });
    await answerNext({ approved: true });
    await expect(approved).resolves.toBe('deleted');
    expect(calls).toEqual([{ table: 'staging.users', limit: 5 }]);
  });

  it('aborting while the person decides cancels the request, rejects with the reason and does not run the tool', async () => {
    const { client, calls } = await setup();
    const abort = new AbortController();
    const deleteRows = client.withApproval(
      (args: { table: string; limit: number }) => {
        calls.push(args);
      },
      describeDelete,
      { signal: abort.signal },
    );
    const result = deleteRows({ table: 'users', limit: 1 }).catch((e: unknown) => e);
    const token = await t.pairApprover();
    await waitUntil(async () => {
      const res = await fetch(`${t.url}/api/v1/requests?status=pending`, { headers: { authorization: `Bearer ${token}` } });
      return ((await res.json()) as { requests: SignoffRequest[] }).requests[0];
    }, 'the request');
    abort.abort(new Error('agent stopped'));
    expect(await result).toMatchObject({ message: 'agent stopped' });
    expect(calls).toEqual([]);
  });
});
