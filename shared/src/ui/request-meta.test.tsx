import { render } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import type { SignoffRequest } from '../protocol/index.js';
import { RequestMeta, reviewSummary } from './request-meta.js';

const request = {
  id: 'r1',
  kind: 'approval',
  title: 'Deploy',
  severity: 'high',
  createdAt: 0,
  expiresAt: 60_000,
  status: 'pending',
  onTimeout: 'expire',
} as SignoffRequest;

describe('a reviewer verdict on the request', () => {
  it('reads as one line: who, confidence, verdict, reasoning', () => {
    expect(reviewSummary({ reviewer: 'judge', verdict: 'approve', confidence: 0.62, reasoning: 'unsure because the script is new' })).toBe(
      'Judge: 0.62 approve — unsure because the script is new',
    );
    expect(reviewSummary({ reviewer: 'shell-check', verdict: 'error', reasoning: 'The reviewer command exited with code 3.' })).toBe(
      'shell-check: error — The reviewer command exited with code 3.',
    );
  });

  it('is shown as text in the request meta, and absent without a review', () => {
    const html = render(<RequestMeta request={{ ...request, review: { reviewer: 'judge', verdict: 'deny', confidence: 0.5, reasoning: '<b>rm</b> \u202e' } }} now={0} pending />);
    expect(html).toContain('<dt>Review</dt>');
    expect(html).toContain('Judge: 0.50 deny — &lt;b>rm&lt;/b>');
    expect(html).not.toContain('\u202e');
    expect(render(<RequestMeta request={request} now={0} pending />)).not.toContain('Review');
  });
});
