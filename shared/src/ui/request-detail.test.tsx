import { render } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import type { SignoffRequest } from '../protocol/index.js';
import { RequestDetail } from './request-detail.js';
import { sampleRequest } from './sample-requests.js';

const noop = () => {};
const renderDetail = (request: SignoffRequest, mode: 'respond' | 'read' = 'respond', queued = false) =>
  render(
    <RequestDetail
      request={request}
      mode={mode}
      queued={queued}
      now={60_000}
      loadDraft={() => Promise.resolve(undefined)}
      saveDraft={noop}
      respond={() => Promise.resolve({ ok: true })}
      onBack={noop}
    />,
  );

/** The visible text of every button, tags stripped: what a person (and Playwright) calls it. */
function buttonNames(html: string): string[] {
  return [...html.matchAll(/<button\b([^>]*)>(.*?)<\/button>/gs)].map(([, attrs = '', inner = '']) => {
    const label = /aria-label="([^"]*)"/.exec(attrs)?.[1];
    return label ?? inner.replace(/<span aria-hidden="true">.*?<\/span>/gs, '').replace(/<[^>]+>/g, '').trim();
  });
}

/** The text of the label whose `for` points at a control with that id, for each label. */
function labelledControls(html: string): string[] {
  return [...html.matchAll(/<label for="([^"]+)">(.*?)<\/label>/gs)]
    .filter(([, id]) => new RegExp(`<(input|textarea|select)\\b[^>]*\\bid="${id}"`).test(html))
    .map(([, , text = '']) => text.replace(/<span class="so-required" aria-hidden="true">.*?<\/span>/gs, '').replace(/<[^>]+>/g, '').trim());
}

describe('RequestDetail: approval', () => {
  const html = renderDetail(sampleRequest('approval'));

  it('has buttons named Approve and Reject, and Back', () => {
    expect(buttonNames(html)).toEqual(['Back', 'Approve', 'Reject']);
  });

  it('has a textbox labelled Reason', () => {
    expect(labelledControls(html)).toContain('Reason');
  });

  it('shows the action, its arguments as JSON text, and marks it irreversible', () => {
    expect(html).toContain('db.deleteUsers');
    expect(html).toContain('&quot;count&quot;: 5000');
    expect(html).toContain('<strong>Irreversible</strong>');
    expect(html).toContain('5,000 users lose their data for good');
  });

  it('offers the alternatives as radios, the proposed action first and picked', () => {
    const radios = [...html.matchAll(/<input type="radio"[^>]*>/g)].map(([tag]) => tag);
    expect(radios).toHaveLength(3);
    expect(radios[0]).toContain('checked');
    expect(html).toContain('Archive the accounts instead');
  });

  it('renders the markdown body and the context as text', () => {
    expect(html).toContain('<strong>no login for 24 months</strong>');
    expect(html).toContain('<dt>database</dt><dd>prod-users</dd>');
  });

  it('escapes agent text everywhere: title, args, context, consequences', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const out = renderDetail(
      sampleRequest('approval', {
        title: evil,
        agentId: evil,
        context: { [evil]: evil, nested: { html: evil } },
        action: { name: evil, args: { x: evil } },
        consequences: [evil],
        alternatives: [{ id: 'a', description: evil, tradeoffs: evil }],
      }),
    );
    expect(out).not.toContain('<img');
    expect(out).toContain('&lt;img src=x onerror=alert(1)>');
  });

  it('renders no link for a javascript: link in the body', () => {
    const out = renderDetail(sampleRequest('approval', { body: 'See [details](javascript:alert(document.cookie))' }));
    expect(out).not.toMatch(/<a[\s>]/);
    expect(out).toContain('See details</p>');
    expect(out).not.toContain('javascript:');
  });

  it('says a queued answer is waiting and turns the actions off', () => {
    const out = renderDetail(sampleRequest('approval'), 'respond', true);
    expect(out).toContain('Your answer is queued');
    expect(out).toMatch(/<button[^>]*disabled[^>]*>Approve<\/button>/);
  });
});

describe('RequestDetail: other kinds', () => {
  it('clarification: options, typed fields with labels, free text, Send', () => {
    const html = renderDetail(sampleRequest('clarification'));
    expect(buttonNames(html)).toEqual(['Back', 'Send']);
    expect(labelledControls(html)).toEqual(['Host name', 'CPU cores', 'Region', 'Answer']);
    expect(html).toContain('Use the defaults');
    expect(html).toMatch(/<input type="checkbox"[^>]*>.*Nightly backups/s);
    expect(html).toContain('<option value="eu-west">EU West</option>');
  });

  it('clarification without free text shows no Answer box', () => {
    const html = renderDetail(sampleRequest('clarification', { allowFreeform: false, fields: undefined }));
    expect(labelledControls(html)).toEqual([]);
  });

  it('edit: the draft in an editor, no changes yet, Accept / Save edits / Reject', () => {
    const request = sampleRequest('edit');
    const html = renderDetail(request);
    expect(buttonNames(html)).toEqual(['Back', 'Accept', 'Save edits', 'Reject']);
    expect(labelledControls(html)).toEqual(['Draft (Markdown)', 'Reason']);
    expect(html).toContain('We have issued a **full refund**.');
    expect(html).toContain('No changes yet');
  });

  it('edit: a JSON draft is edited as JSON', () => {
    const html = renderDetail(sampleRequest('edit', { draft: { format: 'json', content: '{"a": 1}' } }));
    expect(labelledControls(html)).toContain('Draft (JSON)');
    expect(html).not.toContain('Preview');
  });

  it('escalation: reason, attempts, recommendations and the four actions', () => {
    const html = renderDetail(sampleRequest('escalation'));
    // "Use" copies a recommendation into Guidance; agent words stay out of button names.
    expect(buttonNames(html)).toEqual(['Back', 'Use', 'Use', 'Take over', 'Continue', 'Delegate', 'Abort']);
    expect(html).toMatch(/<span id="([^"]+)">Revert 4f2a91c<\/span> <button[^>]*aria-describedby="\1"/);
    expect(labelledControls(html)).toEqual(['Guidance', 'Target agent']);
    expect(html).toContain('Bisected to 4f2a91c, inconclusive');
  });

  it('checkpoint: a progress bar, steps to skip, Continue / Modify / Abort', () => {
    const html = renderDetail(sampleRequest('checkpoint'));
    expect(html).toMatch(/role="progressbar"[^>]*aria-valuenow="55"/);
    expect([...html.matchAll(/<input type="checkbox"/g)]).toHaveLength(3);
    expect(buttonNames(html)).toEqual(['Back', 'Continue', 'Modify', 'Abort']);
    expect(labelledControls(html)).toEqual(['Notes']);
    expect(html).toContain('312 rows had an unknown currency code');
  });

  it('external: the tool and its args, a Result box and Send', () => {
    const html = renderDetail(sampleRequest('external'));
    expect(html).toContain('smoke-test');
    expect(html).toContain('&quot;environment&quot;: &quot;production&quot;');
    expect(labelledControls(html)).toEqual(['Result']);
    expect(buttonNames(html)).toEqual(['Back', 'Send']);
  });

  it('notify: read-only', () => {
    const html = renderDetail(sampleRequest('notify'), 'read');
    expect(buttonNames(html)).toEqual(['Back']);
    expect(html).toContain('nothing to decide');
  });

  it('a past decision reads who, via which surface, and how long it waited', () => {
    const request = sampleRequest('approval', {
      status: 'resolved',
      decision: { requestId: 'sample-approval', status: 'resolved', response: { approved: false, reason: 'too risky' }, respondedBy: 'Ada', via: 'socket', respondedAt: 30_000, waitMs: 125_000 },
    });
    const html = renderDetail(request, 'read');
    expect(buttonNames(html)).toEqual(['Back']);
    expect(html).toContain('Rejected');
    expect(html).toContain('by Ada via socket');
    expect(html).toContain('waited 2m 05s');
    expect(html).toContain('too risky');
  });
});
