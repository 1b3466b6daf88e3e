import { describe, expect, it } from 'vitest';
import { sampleRequest } from '../../samples/requests.js';
import { buildEditResponse, draftProblem, initialEditForm, restoreEditForm } from './edit-form.js';
import { toStoredDraft } from './form-draft.js';

const markdown = sampleRequest('edit');
const json = sampleRequest('edit', { draft: { format: 'json', content: '{"a":1}' }, severity: 'low' });

describe('buildEditResponse', () => {
  it('accepts the draft as is, whatever was typed', () => {
    expect(buildEditResponse(markdown, { content: 'changed', reason: '' }, 'accept')).toEqual({ ok: true, response: { action: 'accept' } });
  });

  it('saves edits with the full content', () => {
    expect(buildEditResponse(markdown, { content: 'Hi Dana,\n\nSorry.', reason: '' }, 'edit')).toEqual({
      ok: true,
      response: { action: 'edit', content: 'Hi Dana,\n\nSorry.' },
    });
  });

  it('refuses edits that break a JSON draft, and takes valid JSON', () => {
    const broken = buildEditResponse(json, { content: '{"a":', reason: '' }, 'edit');
    expect(broken).toMatchObject({ ok: false, errors: [{ path: 'content' }] });
    expect(buildEditResponse(json, { content: '{"a":2}', reason: '' }, 'edit')).toEqual({ ok: true, response: { action: 'edit', content: '{"a":2}' } });
  });

  it('needs a reason to reject above low severity', () => {
    expect(buildEditResponse(markdown, initialEditForm(markdown), 'reject')).toMatchObject({ ok: false, errors: [{ path: 'reason' }] });
    expect(buildEditResponse(markdown, { content: '', reason: 'wrong tone' }, 'reject')).toEqual({ ok: true, response: { action: 'reject', reason: 'wrong tone' } });
    expect(buildEditResponse(json, initialEditForm(json), 'reject')).toEqual({ ok: true, response: { action: 'reject' } });
  });
});

describe('draftProblem', () => {
  it('only judges JSON drafts', () => {
    expect(draftProblem('markdown', '{')).toBeNull();
    expect(draftProblem('json', '[1, 2]')).toBeNull();
    expect(draftProblem('json', '{')).toMatch(/^Not valid JSON: /);
  });
});

describe('restoreEditForm', () => {
  it('starts from the agent draft, a saved form, or saved text', () => {
    expect(restoreEditForm(markdown, undefined)).toEqual({ content: markdown.draft.content, reason: '' });
    expect(restoreEditForm(markdown, toStoredDraft('edit', { content: 'mine', reason: 'r' }))).toEqual({ content: 'mine', reason: 'r' });
    expect(restoreEditForm(markdown, 'plain text')).toEqual({ content: 'plain text', reason: '' });
  });
});
