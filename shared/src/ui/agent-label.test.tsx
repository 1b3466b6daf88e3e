import { render } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import type { SignoffRequest } from '../protocol/index.js';
import { agentLabel } from '../protocol/agent-label.js';
import { RequestMeta } from './request-meta.js';
import { HistoryRow, PendingRow } from './request-rows.js';

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

describe('agentLabel', () => {
  it('names the agent, and the machine when another one sent it', () => {
    expect(agentLabel({ agentId: 'claude-code', machine: 'build-box' })).toBe('claude-code from build-box');
    expect(agentLabel({ machine: 'build-box' })).toBe('from build-box');
    expect(agentLabel({ agentId: 'claude-code' })).toBe('claude-code');
    expect(agentLabel({})).toBeNull();
  });

  it('quotes an agentId with spaces, so no agent can write the hub\'s "from MACHINE" itself', () => {
    // A local agent posing as build-box's "deploy", and build-box's real one: never the same text.
    expect(agentLabel({ agentId: 'deploy from build-box' })).toBe('"deploy from build-box"');
    expect(agentLabel({ agentId: 'deploy', machine: 'build-box' })).toBe('deploy from build-box');
    expect(agentLabel({ agentId: 'x from y', machine: 'build-box' })).toBe('"x from y" from build-box');
    expect(agentLabel({ agentId: 'a"b c' })).toBe(`"a'b c"`);
    expect(agentLabel({ agentId: 'tab\tfrom\tbox' })).toBe('"tab\tfrom\tbox"');
  });

  it('shortens the agent and the machine apart: a long agentId never cuts off the machine', () => {
    const show = (text: string) => (text.length > 10 ? `${text.slice(0, 9)}…` : text);
    expect(agentLabel({ agentId: 'a'.repeat(200), machine: 'build-box' }, show)).toBe(`${'a'.repeat(9)}… from build-box`);
  });

  it('is shown as plain text in the queue row, the history row and the request meta', () => {
    const fromBox = { ...request, agentId: '<i>bot</i>', machine: 'build-box' };
    expect(render(<PendingRow request={fromBox} now={0} queued={false} />)).toContain('<span>&lt;i>bot&lt;/i> from build-box</span>');
    expect(render(<HistoryRow request={{ ...fromBox, status: 'resolved' } as SignoffRequest} now={0} />)).toContain('&lt;i>bot&lt;/i> from build-box');
    expect(render(<RequestMeta request={fromBox} now={0} pending />)).toContain('<dt>Agent</dt><dd>&lt;i>bot&lt;/i> from build-box</dd>');
    expect(render(<RequestMeta request={{ ...request, machine: 'build-box' }} now={0} pending />)).toContain('<dd>from build-box</dd>');
    expect(render(<RequestMeta request={request} now={0} pending />)).not.toContain('<dt>Agent</dt>');
  });
});
