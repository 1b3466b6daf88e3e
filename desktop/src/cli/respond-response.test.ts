import { describe, expect, it } from 'vitest';
import { responseFromFlags } from './respond-response.js';
import { UsageError } from './usage-error.js';

describe('responseFromFlags', () => {
  it('maps --approve and --reject onto each kind that has a yes and a no', () => {
    expect(responseFromFlags('approval', { approve: true })).toEqual({ approved: true });
    expect(responseFromFlags('approval', { approve: true, reason: 'ok' })).toEqual({ approved: true, reason: 'ok' });
    expect(responseFromFlags('approval', { reject: 'not today' })).toEqual({ approved: false, reason: 'not today' });
    expect(responseFromFlags('edit', { approve: true })).toEqual({ action: 'accept' });
    expect(responseFromFlags('edit', { reject: 'tone' })).toEqual({ action: 'reject', reason: 'tone' });
    expect(responseFromFlags('checkpoint', { approve: true, reason: 'carry on' })).toEqual({ action: 'continue', notes: 'carry on' });
    expect(responseFromFlags('checkpoint', { reject: 'numbers off' })).toEqual({ action: 'abort', notes: 'numbers off' });
    expect(responseFromFlags('escalation', { reject: 'drop it' })).toEqual({ action: 'abort', guidance: 'drop it' });
  });

  it('takes any answer as --response JSON, validated against the kind', () => {
    expect(responseFromFlags('clarification', { response: '{"optionId":"pdf"}' })).toEqual({ optionId: 'pdf' });
    expect(responseFromFlags('external', { response: '{"result":{"passed":3}}' })).toEqual({ result: { passed: 3 } });
    expect(() => responseFromFlags('edit', { response: '{"action":"edit"}' })).toThrow('content: an edit needs content');
    expect(() => responseFromFlags('approval', { response: '{"approved":true,"colour":"red"}' })).toThrow(/colour/);
    expect(() => responseFromFlags('approval', { response: 'yes' })).toThrow('--response must be JSON');
  });

  it('refuses missing, doubled or meaningless answers', () => {
    expect(() => responseFromFlags('approval', {})).toThrow(UsageError);
    expect(() => responseFromFlags('approval', { approve: true, reject: 'x' })).toThrow('exactly one');
    expect(() => responseFromFlags('approval', { reject: '  ' })).toThrow('needs a reason');
    expect(() => responseFromFlags('approval', { reject: 'x', reason: 'y' })).toThrow('--reason goes with --approve');
    expect(() => responseFromFlags('clarification', { approve: true })).toThrow('needs its answer as --response JSON');
  });
});
