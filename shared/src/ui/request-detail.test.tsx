import { render } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import type { SignoffRequest } from '../protocol/index.js';
import { RequestDetail } from './request-detail.js';
import { sampleRequest } from '../samples/requests.js';

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

  it('has buttons named Approve and Reject, Back, and Edit arguments for an action with arguments', () => {
    expect(buttonNames(html)).toEqual(['Back', 'Edit arguments', 'Approve', 'Reject']);
    expect(buttonNames(renderDetail(sampleRequest('approval', { action: { name: 'deploy' } })))).toEqual(['Back', 'Approve', 'Reject']);
  });

  it('has textboxes labelled Note (for Approve) and Reason (for Reject)', () => {
    expect(labelledControls(html)).toEqual(expect.arrayContaining(['Note', 'Reason']));
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

describe('RequestDetail: what the person sees is what they approve', () => {
  const RLO = '\u202E';
  /** Where each marker-worthy piece of text lands, in document order. */
  const at = (html: string, text: string) => {
    const index = html.indexOf(text);
    expect(index, `"${text}" not rendered`).toBeGreaterThanOrEqual(0);
    return index;
  };

  it('shows a bidi override as a marker, so invoice\\u202Efdp.exe reads invoice⟨U+202E⟩fdp.exe', () => {
    const html = renderDetail(sampleRequest('approval', { title: `Send invoice${RLO}fdp.exe` }));
    expect(html.replace(/<[^>]+>/g, '')).toContain('Send invoice⟨U+202E⟩fdp.exe');
    expect(html).not.toContain(RLO);
  });

  it('marks hidden characters in every agent field of an approval and warns once', () => {
    const z = '\u200B';
    const html = renderDetail(
      sampleRequest('approval', {
        title: `t${z}`,
        agentId: `agent${z}`,
        runId: `run${z}`,
        body: `body${z}`,
        context: { [`key${z}`]: `value${z}`, nested: { deep: `deep${z}` } },
        action: { name: `name${z}`, args: { arg: `arg${z}` } },
        consequences: [`consequence${z}`],
        alternatives: [{ id: 'a', description: `alternative${z}`, tradeoffs: `tradeoff${z}` }],
      }),
    );
    const count = [...html.matchAll(/⟨U\+200B⟩/g)].length;
    expect(count).toBe(12);
    expect(html).not.toContain(z);
    expect([...html.matchAll(/This request contains hidden or direction-changing characters/g)]).toHaveLength(1);
  });

  it('marks options, field labels, select options, steps, recommendations, tool args and drafts', () => {
    const z = '\u2066';
    const outputs = [
      renderDetail(
        sampleRequest('clarification', {
          options: [{ id: 'a', label: `option${z}` }],
          fields: [
            { name: 'f', label: `label${z}`, type: 'text' },
            { name: 'g', label: 'Region', type: 'select', options: [{ id: 'eu', label: `EU${z}` }] },
          ],
        }),
      ),
      renderDetail(sampleRequest('checkpoint', { phase: `phase${z}`, completed: [`done${z}`], upcoming: [`next${z}`], issues: [`issue${z}`] })),
      renderDetail(sampleRequest('escalation', { reason: `reason${z}`, attempted: [`tried${z}`], recommendations: [`rec${z}`] })),
      renderDetail(sampleRequest('external', { tool: { name: `tool${z}`, args: { x: `arg${z}` } } })),
      renderDetail(sampleRequest('edit', { draft: { format: 'text', content: `draft${z}` } })),
    ];
    for (const html of outputs) {
      expect(html).toContain('⟨U+2066⟩');
      expect(html).toContain('This request contains hidden or direction-changing characters');
    }
    expect(outputs[0]).toContain('<option value="eu">EU⟨U+2066⟩</option>');
    expect(outputs[4]).toContain('The draft as sent, hidden characters shown');
  });

  it('shows no warning and no markers for ordinary text, emoji and Persian', () => {
    const html = renderDetail(sampleRequest('approval', { title: 'Ship 🚀 ❤️ 👩‍💻 می‌خواهم' }));
    expect(html).not.toContain('so-hidden');
    expect(html).not.toContain('⟨U+');
  });

  it('approval: the facts come first, then the agent\'s description, then the reason and the buttons', () => {
    const html = renderDetail(sampleRequest('approval', { body: '## Action\n\nReversible: **yes**' }));
    const order = [
      at(html, 'Critical'), // severity
      at(html, 'cleanup-agent'), // agent
      at(html, '<dt>Deadline</dt>'),
      at(html, 'db.deleteUsers'), // action
      at(html, '&quot;count&quot;: 5000'), // arguments
      at(html, '<strong>Irreversible</strong>'),
      at(html, '5,000 users lose their data for good'), // consequences
      at(html, 'Archive the accounts instead'), // alternatives
      at(html, "<h3>The agent's description</h3>"),
      at(html, 'Reversible: <strong>yes</strong>'), // the body
      at(html, '>Reason<'),
      at(html, '>Approve</button>'),
    ];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('the body sits in its own box and its headings are not headings', () => {
    const html = renderDetail(sampleRequest('approval', { body: '# Action\n\n## Reversible' }));
    const box = html.slice(at(html, 'so-agent-box'));
    expect(box).toMatch(/^so-agent-box"><div class="so-md"><p class="so-md-heading so-md-heading-1"><strong>Action<\/strong><\/p>/);
    expect(html.match(/<h[1-6][^>]*>[^<]*<\/h[1-6]>/g)).toEqual(
      expect.not.arrayContaining([expect.stringContaining('>Action<'), expect.stringContaining('>Reversible<')]),
    );
  });

  it.each([
    ['clarification', 'Use the defaults'],
    ['edit', 'Changes'],
    ['escalation', 'Revert 4f2a91c'],
    ['checkpoint', '312 rows had an unknown currency code'],
    ['external', 'smoke-test'],
  ] as const)('%s: the kind\'s facts come before the agent\'s description, which comes before the controls', (kind, fact) => {
    const request = sampleRequest(kind, { body: 'Agent says **this**.' });
    const html = renderDetail(request);
    const description = at(html, "The agent's description");
    expect(at(html, '<dt>Deadline</dt>')).toBeLessThan(description);
    // A question has no facts but its title and meta: its options are the form, after the description.
    if (kind === 'clarification') expect(description).toBeLessThan(at(html, fact));
    else expect(at(html, fact)).toBeLessThan(description);
    expect(description).toBeLessThan(at(html, 'class="so-actions so-decision"'));
  });

  it('read-only: the facts, then the agent\'s description, then the decision', () => {
    const request = sampleRequest('approval', {
      body: 'See the runbook.',
      status: 'resolved',
      decision: { requestId: 'sample-approval', status: 'resolved', response: { approved: true, alternativeId: 'archive' }, respondedBy: 'Ada', via: 'socket', respondedAt: 30_000, waitMs: 1000 },
    });
    const html = renderDetail(request, 'read');
    const order = [at(html, 'db.deleteUsers'), at(html, 'Alternatives offered'), at(html, 'See the runbook.'), at(html, 'Approved instead: Archive the accounts instead')];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('notify: the description sits under its heading', () => {
    const html = renderDetail(sampleRequest('notify', { body: 'Stored in **s3://backups**.' }), 'read');
    expect(at(html, "The agent's description")).toBeLessThan(at(html, 'nothing to decide'));
  });
});

describe('APPROVER_CSS keeps hostile text inside its box', () => {
  it('wraps long unbroken strings anywhere and sizes no track by max-content', async () => {
    const { APPROVER_CSS } = await import('./approver-css.js');
    expect(APPROVER_CSS).toMatch(/\.so-app \{[^}]*overflow-wrap: anywhere;/);
    expect(APPROVER_CSS).toMatch(/\.so-json, \.so-md pre, \.so-diff \{[^}]*overflow-wrap: anywhere/);
    expect(APPROVER_CSS).not.toMatch(/grid-template-columns:[^;]*max-content/);
    expect(APPROVER_CSS).toMatch(/\.so-hidden-char \{[^}]*unicode-bidi: isolate/);
  });
});
