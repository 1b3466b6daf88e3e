import { describe, expect, it } from 'vitest';
import { sampleRequest } from '../sample-requests.js';
import { buildApprovalResponse, initialApprovalForm, restoreApprovalForm } from './approval-form.js';
import { toStoredDraft } from './form-draft.js';

const critical = sampleRequest('approval');
const low = sampleRequest('approval', { severity: 'low' });

describe('buildApprovalResponse', () => {
  it('approves the action as proposed', () => {
    expect(buildApprovalResponse(critical, initialApprovalForm(), 'approve')).toEqual({ ok: true, response: { approved: true } });
  });

  it('approves a picked alternative', () => {
    expect(buildApprovalResponse(critical, { alternativeId: 'archive', reason: '' }, 'approve')).toEqual({
      ok: true,
      response: { approved: true, alternativeId: 'archive' },
    });
  });

  it('refuses an alternative the request does not offer', () => {
    const result = buildApprovalResponse(critical, { alternativeId: 'shred', reason: '' }, 'approve');
    expect(result).toMatchObject({ ok: false, errors: [{ path: 'alternativeId' }] });
  });

  it('needs a reason to reject unless severity is low', () => {
    expect(buildApprovalResponse(critical, { alternativeId: null, reason: '   ' }, 'reject')).toMatchObject({ ok: false, errors: [{ path: 'reason' }] });
    expect(buildApprovalResponse(low, initialApprovalForm(), 'reject')).toEqual({ ok: true, response: { approved: false } });
  });

  it('sends the trimmed reason with a rejection, and no alternative', () => {
    expect(buildApprovalResponse(critical, { alternativeId: 'archive', reason: '  too risky ' }, 'reject')).toEqual({
      ok: true,
      response: { approved: false, reason: 'too risky' },
    });
  });

  it('refuses a reason longer than the contract allows', () => {
    expect(buildApprovalResponse(critical, { alternativeId: null, reason: 'x'.repeat(10_001) }, 'reject')).toMatchObject({ ok: false, errors: [{ path: 'reason' }] });
  });
});

describe('restoreApprovalForm', () => {
  it('restores a saved form and drops an alternative no longer offered', () => {
    expect(restoreApprovalForm(critical, toStoredDraft('approval', { alternativeId: 'archive', reason: 'r' }))).toEqual({ alternativeId: 'archive', reason: 'r' });
    expect(restoreApprovalForm(critical, toStoredDraft('approval', { alternativeId: 'gone', reason: 7 }))).toEqual({ alternativeId: null, reason: '' });
  });

  it('ignores drafts of another kind or shape', () => {
    expect(restoreApprovalForm(critical, toStoredDraft('edit', { reason: 'x' }))).toEqual(initialApprovalForm());
    expect(restoreApprovalForm(critical, 'junk')).toEqual(initialApprovalForm());
    expect(restoreApprovalForm(critical, undefined)).toEqual(initialApprovalForm());
  });
});
