import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { approvedAction, canonicalJson, type Decision } from '../protocol/index.js';
import { actionDigest } from './action-digest.js';
import { ApprovedActionMismatchError, gateStep } from './approval-gate.js';

const nodeSha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const action = { name: 'deleteRows', args: { table: 'users', limit: 500 } };

function approved(response: Decision<'approval'>['response'], actionDigestValue?: string): Decision<'approval'> {
  const d: Decision<'approval'> = { requestId: 'r1', status: 'resolved', response, respondedBy: 'ada', via: 'socket', respondedAt: 1, waitMs: 1 };
  if (actionDigestValue) d.receipt = { seq: 1, hash: 'a'.repeat(64), actionDigest: actionDigestValue };
  return d;
}

describe('actionDigest', () => {
  it('is the SHA-256 of the RFC 8785 text, whatever the key order', async () => {
    expect(canonicalJson({ b: [1, 'x', null], a: { d: 1e21, c: 0.1 } })).toBe('{"a":{"c":0.1,"d":1e+21},"b":[1,"x",null]}');
    const digest = await actionDigest({ name: 'x', args: { b: 2, a: 1 } });
    expect(digest).toBe(nodeSha256('{"args":{"a":1,"b":2},"name":"x"}'));
    expect(digest).toBe(await actionDigest({ args: { a: 1, b: 2 }, name: 'x' }));
  });

  it('covers the edited arguments instead of the proposed ones, and null for a request with no action', () => {
    expect(approvedAction({ kind: 'approval', action }, { approved: true })).toEqual(action);
    expect(approvedAction({ kind: 'approval', action }, { approved: true, editedArgs: { limit: 10 } })).toEqual({ name: 'deleteRows', args: { limit: 10 } });
    expect(approvedAction({ kind: 'approval' }, { approved: true })).toBeNull();
    expect(approvedAction({ kind: 'external', tool: { name: 'deploy' } }, null)).toEqual({ name: 'deploy', args: null });
    expect(approvedAction({ kind: 'clarification' }, { optionId: 'a' })).toBeNull();
  });
});

describe('gateStep with a receipt', () => {
  const args: [{ table: string; limit: number }] = [{ table: 'users', limit: 500 }];

  it('runs the tool when the receipt covers the action asked about (edited or not)', async () => {
    const plain = approved({ approved: true }, await actionDigest(action));
    await expect(gateStep(plain, args, {}, { action })).resolves.toEqual({ run: 'tool', args });
    const edited = approved({ approved: true, editedArgs: { limit: 10 } }, await actionDigest({ name: 'deleteRows', args: { limit: 10 } }));
    await expect(gateStep(edited, args, {}, { action })).resolves.toEqual({ run: 'tool', args: [{ table: 'users', limit: 10 }] });
  });

  it('refuses, without running anything, when the arguments it would run are not the approved ones', async () => {
    // Approved 10 rows; the decision that arrived says 10 000.
    const forged = approved({ approved: true, editedArgs: { limit: 10_000 } }, await actionDigest({ name: 'deleteRows', args: { limit: 10 } }));
    const error = await gateStep(forged, args, {}, { action }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApprovedActionMismatchError);
    expect(error).toMatchObject({ approved: await actionDigest({ name: 'deleteRows', args: { limit: 10 } }), actual: await actionDigest({ name: 'deleteRows', args: { limit: 10_000 } }) });
    // A receipt for another action altogether.
    const other = approved({ approved: true }, await actionDigest({ name: 'deleteRows', args: { table: 'audit', limit: 500 } }));
    await expect(gateStep(other, args, {}, { action })).rejects.toBeInstanceOf(ApprovedActionMismatchError);
  });

  it('checks nothing on a decision without a receipt (a hub from before receipts)', async () => {
    await expect(gateStep(approved({ approved: true }), args, {}, { action })).resolves.toEqual({ run: 'tool', args });
  });
});
