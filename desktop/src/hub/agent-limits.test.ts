import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignoffError } from '@signoff/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AgentLimiter,
  DEFAULT_AGENT_LIMITS,
  LIMITS_FILE,
  TokenBucket,
  resolveAgentLimits,
  type AgentLimits,
} from './agent-limits.js';

const T0 = Date.UTC(2026, 0, 1);
const TOKEN = 'agent-abc';

/** A limiter whose clock the test moves by hand. */
function limiterWith(overrides: Partial<AgentLimits> = {}) {
  const time = { now: T0 };
  const limiter = new AgentLimiter({ ...DEFAULT_AGENT_LIMITS, ...overrides }, () => time.now);
  return { limiter, time };
}

/** The refusal `run` throws, for assertions on its code, limit and wait. */
function refusal(run: () => unknown): { code: string; message: string; details: { limit: string; retryAfterSeconds?: number } } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SignoffError);
    const e = error as SignoffError;
    return { code: e.code, message: e.message, details: e.details as { limit: string; retryAfterSeconds?: number } };
  }
  throw new Error('expected a refusal');
}

let nextId = 0;
/** Admits and counts a pending create, as the lifecycle does. */
function create(limiter: AgentLimiter, agentId: string | undefined, bytes = 100, owner = TOKEN): string {
  limiter.admitCreate(owner, agentId, bytes);
  const id = `r${nextId++}`;
  limiter.created({ id, owner, agentId, bytes });
  return id;
}

describe('TokenBucket', () => {
  it('gives a burst, then one token per 1/rate, and says how long to wait', () => {
    const bucket = new TokenBucket(10, 3, T0);
    for (let i = 0; i < 3; i++) {
      expect(bucket.waitMs(T0)).toBe(0);
      bucket.take(T0);
    }
    expect(bucket.waitMs(T0)).toBe(100);
    expect(bucket.waitMs(T0 + 40)).toBe(60);
    expect(bucket.waitMs(T0 + 100)).toBe(0);
  });

  it('never holds more than its burst, and a clock that steps back adds nothing', () => {
    const bucket = new TokenBucket(1, 2, T0);
    bucket.take(T0);
    bucket.take(T0);
    expect(bucket.isFull(T0 + 3_600_000)).toBe(true);
    bucket.take(T0 + 3_600_000);
    bucket.take(T0 + 3_600_000);
    expect(bucket.waitMs(T0)).toBe(1000);
  });
});

describe('AgentLimiter: pending requests', () => {
  it('caps one agentId and leaves the other agentIds of the same token alone', () => {
    const { limiter } = limiterWith({ pendingPerAgentId: 3, createBurstPerAgentId: 100 });
    for (let i = 0; i < 3; i++) create(limiter, 'flood');
    const refused = refusal(() => limiter.admitCreate(TOKEN, 'flood', 100));
    expect(refused).toMatchObject({ code: 'rate_limited', details: { limit: 'pendingPerAgentId' } });
    expect(refused.details.retryAfterSeconds).toBeUndefined();
    expect(refused.message).toMatch(/^agentId "flood" already has 3 requests waiting/);
    expect(() => create(limiter, 'quiet')).not.toThrow();
  });

  it('frees a place when a request is settled, exactly once', () => {
    const { limiter } = limiterWith({ pendingPerAgentId: 2 });
    const a = create(limiter, 'w');
    create(limiter, 'w');
    expect(() => limiter.admitCreate(TOKEN, 'w', 100)).toThrow(/pendingPerAgentId/);
    limiter.settled(a);
    limiter.settled(a);
    limiter.settled('never-counted');
    expect(limiter.usageOf(TOKEN, 'w')).toMatchObject({ pending: 1, bytes: 100 });
    expect(() => create(limiter, 'w')).not.toThrow();
    expect(() => limiter.admitCreate(TOKEN, 'w', 100)).toThrow(/pendingPerAgentId/);
  });

  it('counts requests without an agentId in their own "" bucket', () => {
    const { limiter } = limiterWith({ pendingPerAgentId: 1 });
    create(limiter, undefined);
    expect(refusal(() => limiter.admitCreate(TOKEN, undefined, 1)).message).toContain('agentId "" (requests sent without one)');
    expect(() => create(limiter, 'named')).not.toThrow();
    expect(limiter.usageOf(TOKEN, null).pending).toBe(1);
  });

  it('caps stored bytes per agentId and per token', () => {
    const { limiter } = limiterWith({ pendingBytesPerAgentId: 1000, pendingBytesPerToken: 1500 });
    create(limiter, 'a', 900);
    expect(refusal(() => limiter.admitCreate(TOKEN, 'a', 101)).details.limit).toBe('pendingBytesPerAgentId');
    create(limiter, 'a', 100);
    create(limiter, 'b', 500);
    expect(refusal(() => limiter.admitCreate(TOKEN, 'c', 1)).details.limit).toBe('pendingBytesPerToken');
    expect(limiter.usageOf(TOKEN)).toMatchObject({ pending: 3, bytes: 1500 });
  });

  it('caps pending requests per token, across agentIds', () => {
    const { limiter } = limiterWith({ pendingPerToken: 4 });
    for (const agent of ['a', 'b', 'c', 'd']) create(limiter, agent);
    expect(refusal(() => limiter.admitCreate(TOKEN, 'e', 1)).details.limit).toBe('pendingPerToken');
    // Another token is not affected.
    expect(() => create(limiter, 'e', 1, 'agent-other')).not.toThrow();
  });

  it('applies only the rate to a request that is settled at once (notify)', () => {
    const { limiter } = limiterWith({ pendingPerAgentId: 1 });
    create(limiter, 'n');
    expect(() => limiter.admitCreate(TOKEN, 'n', 100, false)).not.toThrow();
  });

  it('loads what was pending at start', () => {
    const { limiter } = limiterWith({ pendingPerAgentId: 2 });
    limiter.load([
      { id: 'x1', owner: TOKEN, agentId: 'w', bytes: 10 },
      { id: 'x2', owner: TOKEN, agentId: 'w', bytes: 20 },
      { id: 'x3', owner: TOKEN, agentId: null, bytes: 5 },
    ]);
    expect(limiter.usageOf(TOKEN)).toEqual({ pending: 3, bytes: 35, longPolls: 0 });
    expect(() => limiter.admitCreate(TOKEN, 'w', 1)).toThrow(/pendingPerAgentId/);
    limiter.settled('x1');
    expect(() => limiter.admitCreate(TOKEN, 'w', 1)).not.toThrow();
  });
});

describe('AgentLimiter: create rate', () => {
  it('refuses past the burst with the seconds to wait, then refills at the rate', () => {
    const { limiter, time } = limiterWith({ createsPerSecondPerAgentId: 2, createBurstPerAgentId: 4 });
    for (let i = 0; i < 4; i++) limiter.admitCreate(TOKEN, 'fast', 10, false);
    const refused = refusal(() => limiter.admitCreate(TOKEN, 'fast', 10, false));
    expect(refused).toMatchObject({ code: 'rate_limited', details: { limit: 'createsPerSecondPerAgentId', retryAfterSeconds: 1 } });
    expect(refused.message).toMatch(/faster than 2 per second \(limit createsPerSecondPerAgentId\); retry in 1 s$/);
    time.now += 500;
    expect(() => limiter.admitCreate(TOKEN, 'fast', 10, false)).not.toThrow();
    expect(() => limiter.admitCreate(TOKEN, 'fast', 10, false)).toThrow(/createsPerSecondPerAgentId/);
  });

  it('rounds a long wait up to whole seconds', () => {
    const { limiter } = limiterWith({ createsPerSecondPerAgentId: 0.1, createBurstPerAgentId: 1 });
    limiter.admitCreate(TOKEN, 'slow', 10, false);
    expect(refusal(() => limiter.admitCreate(TOKEN, 'slow', 10, false)).details.retryAfterSeconds).toBe(10);
  });

  it('stops one flooding agentId while another of the same token still gets through', () => {
    const { limiter } = limiterWith();
    let admitted = 0;
    for (let i = 0; i < 5000; i++) {
      try {
        limiter.admitCreate(TOKEN, 'flood', 100, false);
        admitted += 1;
      } catch {
        // refused, as it should be
      }
    }
    expect(admitted).toBe(DEFAULT_AGENT_LIMITS.createBurstPerAgentId);
    expect(() => limiter.admitCreate(TOKEN, 'quiet', 100)).not.toThrow();
  });

  it('has a token-wide rate over all agentIds, and takes no token from either bucket when one refuses', () => {
    const { limiter, time } = limiterWith({ createsPerSecondPerToken: 1, createBurstPerToken: 3, createBurstPerAgentId: 2 });
    limiter.admitCreate(TOKEN, 'a', 1, false);
    limiter.admitCreate(TOKEN, 'b', 1, false);
    limiter.admitCreate(TOKEN, 'c', 1, false);
    expect(refusal(() => limiter.admitCreate(TOKEN, 'd', 1, false)).details).toEqual({ limit: 'createsPerSecondPerToken', retryAfterSeconds: 1 });
    // 'a' was refused by the token's bucket: its own bucket still has its second token.
    time.now += 1000;
    limiter.admitCreate(TOKEN, 'a', 1, false);
    time.now += 1000;
    expect(() => limiter.admitCreate(TOKEN, 'a', 1, false)).not.toThrow();
  });

  it('checks the pending caps before the rate, so a refused create costs no rate', () => {
    const { limiter } = limiterWith({ pendingPerAgentId: 1, createBurstPerAgentId: 2, createsPerSecondPerAgentId: 0.001 });
    const first = create(limiter, 'p');
    for (let i = 0; i < 10; i++) expect(() => limiter.admitCreate(TOKEN, 'p', 1)).toThrow(/pendingPerAgentId/);
    limiter.settled(first);
    expect(() => create(limiter, 'p')).not.toThrow();
  });
});

describe('AgentLimiter: feedback, long-polls, watches', () => {
  it('limits the feedback rate per agentId and per token', () => {
    const { limiter } = limiterWith({ feedbackBurstPerAgentId: 2, feedbackBurstPerToken: 3 });
    const none = () => 0;
    limiter.admitFeedback(TOKEN, 'a', none);
    limiter.admitFeedback(TOKEN, 'a', none);
    expect(refusal(() => limiter.admitFeedback(TOKEN, 'a', none)).details).toEqual({ limit: 'feedbackPerSecondPerAgentId', retryAfterSeconds: 1 });
    limiter.admitFeedback(TOKEN, 'b', none);
    expect(refusal(() => limiter.admitFeedback(TOKEN, 'c', none)).details.limit).toBe('feedbackPerSecondPerToken');
  });

  it('refuses feedback about an agentId that has its total, asking the store only when the rate allows', () => {
    const { limiter } = limiterWith({ feedbackTotalPerAgentId: 5, feedbackBurstPerAgentId: 1 });
    let asked = 0;
    const stored = () => (asked++, 5);
    const refused = refusal(() => limiter.admitFeedback(TOKEN, 'full', stored));
    expect(refused.details).toEqual({ limit: 'feedbackTotalPerAgentId' });
    expect(refused.message).toContain('already has 5 feedback records');
    expect(asked).toBe(1);
    // The refused record took no rate: a smaller count goes through at once.
    expect(() => limiter.admitFeedback(TOKEN, 'full', () => 4)).not.toThrow();
    expect(() => limiter.admitFeedback(TOKEN, 'full', stored)).toThrow(/feedbackPerSecondPerAgentId/);
    expect(asked).toBe(1);
  });

  it('bounds concurrent long-polls per agentId and per token, and frees them when they end', () => {
    const { limiter } = limiterWith({ longPollsPerAgentId: 2, longPollsPerToken: 3 });
    const endA = limiter.beginLongPoll(TOKEN, 'a');
    limiter.beginLongPoll(TOKEN, 'a');
    expect(refusal(() => limiter.beginLongPoll(TOKEN, 'a')).details).toEqual({ limit: 'longPollsPerAgentId', retryAfterSeconds: 1 });
    limiter.beginLongPoll(TOKEN, 'b');
    expect(refusal(() => limiter.beginLongPoll(TOKEN, 'c')).details.limit).toBe('longPollsPerToken');
    endA();
    endA();
    expect(limiter.usageOf(TOKEN).longPolls).toBe(2);
    expect(() => limiter.beginLongPoll(TOKEN, 'c')).not.toThrow();
  });

  it('caps the ids one socket watches', () => {
    const { limiter } = limiterWith({ watchesPerSocket: 10 });
    expect(() => limiter.admitWatches(4, 6)).not.toThrow();
    expect(refusal(() => limiter.admitWatches(4, 7)).details).toEqual({ limit: 'watchesPerSocket' });
  });
});

describe('AgentLimiter: memory', () => {
  const unlimitedToken = { createsPerSecondPerToken: 1_000_000, createBurstPerToken: 1_000_000 };

  it('forgets made-up agentIds once they hold nothing and their buckets are full again', () => {
    const { limiter, time } = limiterWith(unlimitedToken);
    for (let i = 0; i < 5000; i++) {
      limiter.admitCreate(TOKEN, `made-up-${i}`, 10, false);
      time.now += 1;
    }
    // An hour later every bucket is full: the next new entries sweep the old ones away.
    time.now += 3_600_000;
    for (let i = 0; i < 10; i++) limiter.admitCreate(TOKEN, `later-${i}`, 10, false);
    expect(limiter.size).toBeLessThan(2100);
  });

  it('never forgets an agentId that has pending requests', () => {
    const { limiter, time } = limiterWith({ ...unlimitedToken, pendingPerAgentId: 1 });
    create(limiter, 'holder');
    time.now += 3_600_000;
    for (let i = 0; i < 3000; i++) limiter.admitCreate(TOKEN, `noise-${i}`, 1, false);
    expect(limiter.usageOf(TOKEN, 'holder').pending).toBe(1);
    expect(() => limiter.admitCreate(TOKEN, 'holder', 1)).toThrow(/pendingPerAgentId/);
  });
});

describe('resolveAgentLimits', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'signoff-limits-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the defaults without a file', () => {
    expect(resolveAgentLimits(dir)).toEqual(DEFAULT_AGENT_LIMITS);
  });

  it('takes the file over the defaults, and options over the file', () => {
    writeFileSync(join(dir, LIMITS_FILE), JSON.stringify({ pendingPerAgentId: 500, createsPerSecondPerToken: 250 }));
    const limits = resolveAgentLimits(dir, { pendingPerAgentId: 7 });
    expect(limits).toEqual({ ...DEFAULT_AGENT_LIMITS, pendingPerAgentId: 7, createsPerSecondPerToken: 250 });
  });

  it.each([
    ['an unknown field', '{"pendingPerAgent": 5}', /limits\.json: \(root\): Unrecognized key: "pendingPerAgent"/],
    ['a negative count', '{"pendingPerToken": -1}', /limits\.json: pendingPerToken: /],
    ['a fraction where a count is due', '{"createBurstPerAgentId": 2.5}', /limits\.json: createBurstPerAgentId: /],
    ['a string', '{"createsPerSecondPerAgentId": "10"}', /limits\.json: createsPerSecondPerAgentId: /],
    ['not an object', '[1, 2]', /limits\.json: \(root\): /],
    ['broken JSON', '{"pendingPerToken": ', /limits\.json: not valid JSON/],
  ])('refuses a file with %s, naming the field', (_name, text, message) => {
    writeFileSync(join(dir, LIMITS_FILE), text);
    expect(() => resolveAgentLimits(dir)).toThrow(message);
  });

  it('refuses bad options the same way', () => {
    expect(() => resolveAgentLimits(dir, { handshakeTimeoutMs: 5 })).toThrow(/^limits: handshakeTimeoutMs: /);
  });
});
