import { describe, expect, it } from 'vitest';
import { sampleRequest } from '../../samples/requests.js';
import { buildApprovalResponse, initialApprovalForm, restoreApprovalForm, type ApprovalForm } from './approval-form.js';
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
    const saved = { alternativeId: 'archive', reason: 'r', note: 'n', argsText: '{"count": 1' };
    expect(restoreApprovalForm(critical, toStoredDraft('approval', saved))).toEqual(saved);
    expect(restoreApprovalForm(critical, toStoredDraft('approval', { alternativeId: 'gone', reason: 7, note: [], argsText: 3 }))).toEqual(initialApprovalForm());
  });

  it('restores a draft saved before notes and edits existed', () => {
    expect(restoreApprovalForm(critical, toStoredDraft('approval', { alternativeId: 'archive', reason: 'r' }))).toEqual(form({ alternativeId: 'archive', reason: 'r' }));
  });

  it('drops saved edit text when the request has no arguments to edit', () => {
    const bare = sampleRequest('approval', { action: { name: 'deploy' } });
    expect(restoreApprovalForm(bare, toStoredDraft('approval', { argsText: '{}' })).argsText).toBeNull();
  });

  it('ignores drafts of another kind or shape', () => {
    expect(restoreApprovalForm(critical, toStoredDraft('edit', { reason: 'x' }))).toEqual(initialApprovalForm());
    expect(restoreApprovalForm(critical, 'junk')).toEqual(initialApprovalForm());
    expect(restoreApprovalForm(critical, undefined)).toEqual(initialApprovalForm());
  });
});
