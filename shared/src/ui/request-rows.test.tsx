import { render } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import type { Decision, SignoffRequest } from '../protocol/index.js';
import { FEED_NOTE_MAX } from './decision-summary.js';
import { FeedRow } from './request-rows.js';

const approval = (decision: Partial<Decision>): SignoffRequest =>
  ({
    id: 'r1',
    kind: 'approval',
    title: 'Deploy',
    severity: 'medium',
    createdAt: 0,
    expiresAt: null,
    status: 'resolved',
    onTimeout: 'expire',
    decision: { requestId: 'r1', status: 'resolved', response: { approved: true }, respondedBy: 'judge', via: 'judge', respondedAt: 1000, waitMs: 1000, ...decision },
  }) as SignoffRequest;

describe('a reviewer’s decision in the feed', () => {
  it('says who decided and shows the reasoning as plain text, cut short: no links, no markup, no hidden characters', () => {
    const reasoning = `See [the docs](javascript:alert(1)) <b>now</b> \u202Eexe.txt ${'x'.repeat(FEED_NOTE_MAX)}`;
    const html = render(<FeedRow request={approval({ confidence: 0.93, reason: reasoning })} now={5000} />);
    expect(html).toContain('Allowed by the judge (0.93)');
    expect(html).toContain('See [the docs](javascript:alert(1)) &lt;b>now&lt;/b>');
    expect(html).not.toContain('<a');
    expect(html).not.toContain('\u202E');
    expect(html).toContain('…');
    expect(html).not.toContain('x'.repeat(FEED_NOTE_MAX - 20));
  });

  it('names a reviewer command that denied', () => {
    const html = render(<FeedRow request={approval({ response: { approved: false, reason: 'lint failed' }, respondedBy: 'reviewer:lint-check', via: 'reviewer', reason: 'lint failed' })} now={5000} />);
    expect(html).toContain('Denied by reviewer lint-check');
    expect(html).toContain('lint failed');
  });

  it('shows no reasoning line for an audit-rule approval', () => {
    const html = render(<FeedRow request={approval({ respondedBy: 'rule:log', via: 'rule', rule: 'log', audit: true, reason: 'logged' })} now={5000} />);
    expect(html).toContain('Allowed by rule “log”');
    expect(html).not.toContain('so-row-note');
  });
});
