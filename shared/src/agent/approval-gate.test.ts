import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Decision } from '../protocol/index.js';
import { AlternativeChosenError, gateStep, InvalidEditedArgsError, NotApprovedError } from './approval-gate.js';

function decision(status: Decision['status'], response: Decision<'approval'>['response'], reason?: string): Decision<'approval'> {
  return { requestId: 'r1', status, response, respondedBy: 'ada', via: 'socket', respondedAt: 1, waitMs: 1, ...(reason ? { reason } : {}) };
}

describe('gateStep: what withApproval does with each decision', () => {
  const args: [{ table: string; limit: number }] = [{ table: 'users', limit: 500 }];

  it('a plain approval runs the tool with the caller’s arguments', async () => {
    await expect(gateStep(decision('resolved', { approved: true }), args, {})).resolves.toEqual({ run: 'tool', args });
  });

  it('an expiry that the request said to approve runs the tool', async () => {
    await expect(gateStep(decision('expired', { approved: true }), args, {})).resolves.toEqual({ run: 'tool', args });
  });

  it.each([
    ['rejected', decision('resolved', { approved: false, reason: 'no' }), 'no'],
    ['expired', decision('expired', null, 'nobody answered in 5m'), 'nobody answered in 5m'],
    ['cancelled', decision('cancelled', null), 'request cancelled'],
    ['blocked', decision('blocked', { approved: true }, 'destructive SQL'), 'destructive SQL'],
    ['a rejected alternative', decision('resolved', { approved: false, alternativeId: 'archive' }), undefined],
  ])('%s throws NotApprovedError with the reason', async (_, d, reason) => {
    const error = await gateStep(d, args, { onAlternative: { archive: () => 'x' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotApprovedError);
    expect((error as NotApprovedError).reason).toBe(reason);
  });

  it('an approved alternative never yields the tool, even with edited arguments', async () => {
    const d = decision('resolved', { approved: true, alternativeId: 'archive', editedArgs: { limit: 1 } });
    const error = await gateStep(d, args, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlternativeChosenError);
    expect((error as AlternativeChosenError).alternativeId).toBe('archive');
    const handler = () => 'archived';
    await expect(gateStep(d, args, { onAlternative: { archive: handler } })).resolves.toEqual({ run: 'alternative', handler });
  });

  it('an alternative named like an Object.prototype member is not a handler', async () => {
    const d = decision('resolved', { approved: true, alternativeId: 'constructor' });
    await expect(gateStep(d, args, { onAlternative: {} })).rejects.toBeInstanceOf(AlternativeChosenError);
  });

  it('edited keys replace the caller’s; a schema parses the result or refuses it', async () => {
    const schema = z.object({ table: z.string(), limit: z.number().max(100) });
    await expect(gateStep(decision('resolved', { approved: true, editedArgs: { limit: 10 } }), args, { schema })).resolves.toEqual({
      run: 'tool',
      args: [{ table: 'users', limit: 10 }],
    });
    const error = await gateStep(decision('resolved', { approved: true, editedArgs: { limit: 1000 } }), args, { schema }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidEditedArgsError);
    expect((error as Error).message).toMatch(/^the approver's edited arguments do not fit the tool, so it did not run: limit: /);
  });

  it('a validate function that throws refuses the edit', async () => {
    const validate = () => {
      throw new Error('table is fixed');
    };
    const d = decision('resolved', { approved: true, editedArgs: { table: 'prod' } });
    await expect(gateStep(d, args, { validate })).rejects.toThrow('table is fixed');
  });
});
