import { describe, expect, it } from 'vitest';
import type { NotifiedArrival } from './notify-policy.js';
import { MAX_TTL_SECONDS, MIN_TTL_SECONDS, ntfyHeaders, pushMessage, pushPayload, type PushMessageInput } from './push-message.js';

const NOW = Date.UTC(2026, 0, 5, 10);
const arrival = (requestId: string, severity: 'critical' | 'high'): NotifiedArrival => ({ requestId, agentId: 'secret-agent-name', severity, at: NOW });
const input = (changes: Partial<PushMessageInput> = {}): PushMessageInput => ({
  arrivals: [arrival('r1', 'critical')],
  summary: false,
  waiting: 4,
  publicUrl: 'https://signoff.example.ts.net',
  expiresAt: NOW + 15 * 60_000,
  now: NOW,
  ...changes,
});

describe('pushMessage', () => {
  it('one request: its severity, the count waiting, a link to it, high urgency when critical, TTL until its deadline', () => {
    expect(pushMessage(input())).toEqual({
      title: 'Signoff: a critical request',
      body: '4 waiting in all. Open Signoff to see it.',
      url: 'https://signoff.example.ts.net/#request=r1',
      tag: 'signoff',
      count: 1,
      critical: 1,
      waiting: 4,
      severity: 'critical',
      ttlSeconds: 900,
      urgency: 'high',
    });
    expect(pushMessage(input({ arrivals: [arrival('r2', 'high')], publicUrl: 'https://x.example:8443/' }))).toMatchObject({
      title: 'Signoff: a high-severity request',
      url: 'https://x.example:8443/#request=r2',
      severity: 'high',
      urgency: 'normal',
    });
  });

  it('a storm: one summary of the folded arrivals, linking to the queue', () => {
    const message = pushMessage(input({ arrivals: [arrival('a', 'high'), arrival('b', 'critical'), arrival('c', 'high')], summary: true, waiting: 9 }));
    expect(message).toMatchObject({ title: 'Signoff: 3 new requests', body: '1 critical · 9 waiting in all', url: 'https://signoff.example.ts.net/', count: 3, critical: 1, severity: 'critical' });
    expect(pushMessage(input({ arrivals: [arrival('a', 'high'), arrival('b', 'high'), arrival('c', 'high')], summary: true })).body).toBe('4 waiting in all');
  });

  it('keeps TTL within bounds, and an hour without a deadline', () => {
    expect(pushMessage(input({ expiresAt: NOW + 5_000 })).ttlSeconds).toBe(MIN_TTL_SECONDS);
    expect(pushMessage(input({ expiresAt: NOW + 30 * 86_400_000 })).ttlSeconds).toBe(MAX_TTL_SECONDS);
    expect(pushMessage(input({ expiresAt: null })).ttlSeconds).toBe(3600);
  });

  it('carries nothing an agent wrote: the payload and ntfy headers hold counts, severity and the link only', () => {
    const message = pushMessage(input());
    const payload = JSON.parse(pushPayload(message)) as Record<string, unknown>;
    expect(Object.keys(payload).sort()).toEqual(['body', 'count', 'critical', 'severity', 'tag', 'title', 'url', 'waiting']);
    expect(pushPayload(message)).not.toContain('secret-agent-name');
    expect(ntfyHeaders(message)).toEqual({ Title: 'Signoff: a critical request', Priority: '5', Click: 'https://signoff.example.ts.net/#request=r1', Tags: 'rotating_light' });
    expect(ntfyHeaders(pushMessage(input({ arrivals: [arrival('r', 'high')] })))).toMatchObject({ Priority: '4', Tags: 'bell' });
  });
});
