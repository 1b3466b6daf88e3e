import { describe, expect, it } from 'vitest';
import { sampleRequest } from '../../samples/requests.js';
import {
  buildApprovalResponse,
  initialApprovalForm,
  initialApprovalFormFor,
  rememberBlocked,
  rememberPatternProblem,
  rememberUnavailable,
  restoreApprovalForm,
  type ApprovalForm,
  type RememberForm,
} from './approval-form.js';
import { argsToText } from './edited-args.js';
import { toStoredDraft } from './form-draft.js';

const critical = sampleRequest('approval');
const low = sampleRequest('approval', { severity: 'low' });
const form = (fields: Partial<ApprovalForm>): ApprovalForm => ({ ...initialApprovalForm(), ...fields });
const originalArgs = critical.action!.args!;
const editedText = (changes: Record<string, unknown>) => JSON.stringify({ ...originalArgs, ...changes });

describe('buildApprovalResponse', () => {
  it('approves the action as proposed', () => {
    expect(buildApprovalResponse(critical, initialApprovalForm(), 'approve')).toEqual({ ok: true, response: { approved: true } });
  });

  it('approves a picked alternative', () => {
    expect(buildApprovalResponse(critical, form({ alternativeId: 'archive' }), 'approve')).toEqual({
      ok: true,
      response: { approved: true, alternativeId: 'archive' },
    });
  });

  it('refuses an alternative the request does not offer', () => {
    const result = buildApprovalResponse(critical, form({ alternativeId: 'shred' }), 'approve');
    expect(result).toMatchObject({ ok: false, errors: [{ path: 'alternativeId' }] });
  });

  it('needs a reason to reject unless severity is low', () => {
    expect(buildApprovalResponse(critical, form({ reason: '   ' }), 'reject')).toMatchObject({ ok: false, errors: [{ path: 'reason' }] });
    expect(buildApprovalResponse(low, initialApprovalForm(), 'reject')).toEqual({ ok: true, response: { approved: false } });
  });

  it('sends the trimmed reason with a rejection, and no alternative, note or edits', () => {
    expect(buildApprovalResponse(critical, form({ alternativeId: 'archive', reason: '  too risky ', note: 'ok', argsText: editedText({ count: 1 }) }), 'reject')).toEqual({
      ok: true,
      response: { approved: false, reason: 'too risky' },
    });
  });

  it('refuses a reason longer than the contract allows', () => {
    expect(buildApprovalResponse(critical, form({ reason: 'x'.repeat(10_001) }), 'reject')).toMatchObject({ ok: false, errors: [{ path: 'reason' }] });
  });

  it('sends a note with an approval, in the reason field the contract has', () => {
    expect(buildApprovalResponse(critical, form({ note: '  after the backup  ', reason: 'unused' }), 'approve')).toEqual({
      ok: true,
      response: { approved: true, reason: 'after the backup' },
    });
    expect(buildApprovalResponse(critical, form({ alternativeId: 'archive', note: 'thanks' }), 'approve')).toEqual({
      ok: true,
      response: { approved: true, alternativeId: 'archive', reason: 'thanks' },
    });
  });

  it('shows a note longer than the contract allows at the note, not the reason', () => {
    expect(buildApprovalResponse(critical, form({ note: 'x'.repeat(10_001) }), 'approve')).toMatchObject({ ok: false, errors: [{ path: 'note' }] });
  });
});

describe('buildApprovalResponse with edited arguments', () => {
  it('sends the edited arguments, whole, when a value changed', () => {
    expect(buildApprovalResponse(critical, form({ argsText: editedText({ count: 100 }), note: 'only 100 for now' }), 'approve')).toEqual({
      ok: true,
      response: { approved: true, reason: 'only 100 for now', editedArgs: { ...originalArgs, count: 100 } },
    });
  });

  it('sends no editedArgs when the editor is open but nothing changed', () => {
    expect(buildApprovalResponse(critical, form({ argsText: argsToText(originalArgs) }), 'approve')).toEqual({ ok: true, response: { approved: true } });
    expect(buildApprovalResponse(critical, form({ argsText: JSON.stringify(originalArgs) }), 'approve')).toEqual({ ok: true, response: { approved: true } });
  });

  it('refuses to approve edits that do not fit, rather than approving the original', () => {
    expect(buildApprovalResponse(critical, form({ argsText: editedText({ count: '100' }) }), 'approve')).toEqual({
      ok: false,
      errors: [{ path: 'editedArgs', message: 'editedArgs.count: expected a number, not a string' }],
    });
    expect(buildApprovalResponse(critical, form({ argsText: '{' }), 'approve')).toMatchObject({ ok: false, errors: [{ path: 'editedArgs' }] });
  });

  it('does not send edits with an alternative: they apply only to the action as proposed', () => {
    expect(buildApprovalResponse(critical, form({ alternativeId: 'archive', argsText: editedText({ count: 100 }) }), 'approve')).toEqual({
      ok: true,
      response: { approved: true, alternativeId: 'archive' },
    });
    // Broken edits do not stand in the way of approving an alternative either.
    expect(buildApprovalResponse(critical, form({ alternativeId: 'archive', argsText: '{' }), 'approve')).toMatchObject({ ok: true });
  });

  it('ignores edit text for an action without arguments', () => {
    const bare = sampleRequest('approval', { action: { name: 'deploy' } });
    expect(buildApprovalResponse(bare, form({ argsText: '{"x": 1}' }), 'approve')).toEqual({ ok: true, response: { approved: true } });
  });

  it('puts a schema problem inside the edits (too deep under a null) at the editor, with its path', () => {
    const open = sampleRequest('approval', { action: { name: 'tag', args: { meta: null } } });
    const deep = `{"meta": ${'['.repeat(40)}${']'.repeat(40)}}`;
    const result = buildApprovalResponse(open, form({ argsText: deep }), 'approve');
    expect(result).toMatchObject({ ok: false, errors: [{ path: 'editedArgs', message: expect.stringMatching(/^editedArgs: nested deeper than/) }] });
  });
});

describe('restoreApprovalForm', () => {
  it('restores a saved form and drops an alternative no longer offered', () => {
    const saved = { alternativeId: 'archive', reason: 'r', note: 'n', argsText: '{"count": 1', remember: { on: true, for: 'today', scope: 'agent', pattern: null } };
    expect(restoreApprovalForm(critical, toStoredDraft('approval', saved))).toEqual(saved);
    expect(restoreApprovalForm(critical, toStoredDraft('approval', { alternativeId: 'gone', reason: 7, note: [], argsText: 3, remember: 'yes' }))).toEqual(
      initialApprovalFormFor(critical),
    );
  });

  it('restores a draft saved before notes and edits existed', () => {
    expect(restoreApprovalForm(critical, toStoredDraft('approval', { alternativeId: 'archive', reason: 'r' }))).toEqual({
      ...initialApprovalFormFor(critical),
      alternativeId: 'archive',
      reason: 'r',
    });
  });

  it('drops saved edit text when the request has no arguments to edit', () => {
    const bare = sampleRequest('approval', { action: { name: 'deploy' } });
    expect(restoreApprovalForm(bare, toStoredDraft('approval', { argsText: '{}' })).argsText).toBeNull();
  });

  it('ignores drafts of another kind or shape', () => {
    expect(restoreApprovalForm(critical, toStoredDraft('edit', { reason: 'x' }))).toEqual(initialApprovalFormFor(critical));
    expect(restoreApprovalForm(critical, 'junk')).toEqual(initialApprovalFormFor(critical));
    expect(restoreApprovalForm(critical, undefined)).toEqual(initialApprovalFormFor(critical));
  });
});

describe('"Always allow this"', () => {
  const shell = sampleRequest('approval', {
    severity: 'medium',
    reversible: true,
    alternatives: [{ id: 'dry', description: 'Dry run first' }],
    action: { name: 'shell', args: { command: 'npm run test:unit' } },
  });
  const noRun = sampleRequest('approval', { severity: 'medium', reversible: true, runId: undefined, action: { name: 'files.write', args: { path: 'a.txt' } } });
  const on = (fields: Partial<RememberForm> = {}): ApprovalForm => ({ ...initialApprovalFormFor(shell), remember: { ...initialApprovalFormFor(shell).remember, on: true, ...fields } });

  it('starts off, for an hour, scoped to the run when the request has one, else to the agent', () => {
    expect(initialApprovalFormFor(shell).remember).toEqual({ on: false, for: '1h', scope: 'run', pattern: null });
    expect(initialApprovalFormFor(noRun).remember).toEqual({ on: false, for: '1h', scope: 'agent', pattern: null });
  });

  it('is unavailable for critical or irreversible requests, in the contract’s words', () => {
    expect(rememberUnavailable(shell)).toBeNull();
    expect(rememberUnavailable(critical)).toBe('critical requests are always asked');
    expect(rememberUnavailable(sampleRequest('approval', { severity: 'high', reversible: false }))).toBe('irreversible requests are always asked');
  });

  it('is blocked by a picked alternative or edited arguments, but not by an editor with no change', () => {
    expect(rememberBlocked(shell, on())).toBeNull();
    expect(rememberBlocked(shell, { ...on(), alternativeId: 'dry' })).toMatch(/alternative cannot be remembered/);
    expect(rememberBlocked(shell, { ...on(), argsText: '{"command": "npm run test:all"}' })).toMatch(/edited arguments cannot be remembered/);
    expect(rememberBlocked(shell, { ...on(), argsText: '{"command": ' })).toMatch(/edited arguments/);
    expect(rememberBlocked(shell, { ...on(), argsText: argsToText(shell.action!.args!) })).toBeNull();
  });

  it('sends remember with Approve, exact by default (no pattern while the command is unchanged)', () => {
    expect(buildApprovalResponse(shell, on({ for: 'always', scope: 'agent' }), 'approve')).toEqual({
      ok: true,
      response: { approved: true, remember: { for: 'always', scope: 'agent' } },
    });
    expect(buildApprovalResponse(shell, on({ pattern: '  npm run test:unit ' }), 'approve')).toEqual({
      ok: true,
      response: { approved: true, remember: { for: '1h', scope: 'run' } },
    });
  });

  it('sends a widened pattern, and refuses one the contract refuses, at the pattern', () => {
    expect(buildApprovalResponse(shell, on({ pattern: 'npm run test:*' }), 'approve')).toEqual({
      ok: true,
      response: { approved: true, remember: { for: '1h', scope: 'run', pattern: 'npm run test:*' } },
    });
    expect(buildApprovalResponse(shell, on({ pattern: 'npm *' }), 'approve')).toMatchObject({ ok: false, errors: [{ path: 'remember.pattern' }] });
    expect(rememberPatternProblem(shell, 'npm *')).toMatch(/widen to at least/);
    expect(rememberPatternProblem(shell, 'npm run test:*')).toBeNull();
  });

  it('sends no remember when off, with an alternative, with edits, or with Reject', () => {
    expect(buildApprovalResponse(shell, initialApprovalFormFor(shell), 'approve')).toEqual({ ok: true, response: { approved: true } });
    expect(buildApprovalResponse(shell, { ...on(), alternativeId: 'dry' }, 'approve')).toEqual({ ok: true, response: { approved: true, alternativeId: 'dry' } });
    expect(buildApprovalResponse(shell, { ...on(), argsText: '{"command": "npm run test:all"}' }, 'approve')).toEqual({
      ok: true,
      response: { approved: true, editedArgs: { command: 'npm run test:all' } },
    });
    expect(buildApprovalResponse(shell, { ...on(), reason: 'no' }, 'reject')).toEqual({ ok: true, response: { approved: false, reason: 'no' } });
  });

  it('never offers a pattern for an action without a command, and ignores a saved one', () => {
    expect(rememberPatternProblem(noRun, '*')).toBeNull();
    const restored = restoreApprovalForm(noRun, toStoredDraft('approval', { remember: { on: true, for: 'today', scope: 'run', pattern: 'x*' } }));
    // No run to scope to: the saved `run` falls back to the agent.
    expect(restored.remember).toEqual({ on: true, for: 'today', scope: 'agent', pattern: null });
    expect(buildApprovalResponse(noRun, restored, 'approve')).toEqual({ ok: true, response: { approved: true, remember: { for: 'today', scope: 'agent' } } });
  });
});
