import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, SignoffError, validate } from '@signoff/shared';
import { z } from 'zod';

/**
 * What one agent (one agent token, and one `agentId` under it) may do to the hub, so
 * that no agent can exhaust the hub's memory, disk, sockets or the person's attention,
 * nor crowd out the other agents. Every limit is per token *and* per `agentId`
 * (requests without an `agentId` share the `""` bucket), so one flooding agentId is
 * stopped while the token's other agentIds still get through.
 *
 * Defaults are far above what a busy person's agents do (a person decides a few
 * requests a minute), and well below what hurts the hub.
 */

const MiB = 1024 * 1024;

const count = z.number().int().min(1);
const perSecond = z.number().positive().max(1_000_000);

export const AgentLimitsSchema = z.strictObject({
  /** Requests of one agentId waiting for a decision. */
  pendingPerAgentId: count,
  /** Stored JSON of one agentId's waiting requests, in bytes. */
  pendingBytesPerAgentId: count,
  /** Requests of one agent token waiting for a decision, all agentIds together. */
  pendingPerToken: count,
  /** Stored JSON of one agent token's waiting requests, in bytes. */
  pendingBytesPerToken: count,
  /** Sustained creates per second of one agentId (token bucket rate)… */
  createsPerSecondPerAgentId: perSecond,
  /** …and how many it may make at once after a quiet spell (bucket size). */
  createBurstPerAgentId: count,
  createsPerSecondPerToken: perSecond,
  createBurstPerToken: count,
  /** Feedback records per second of one agentId, and its burst. */
  feedbackPerSecondPerAgentId: perSecond,
  feedbackBurstPerAgentId: count,
  feedbackPerSecondPerToken: perSecond,
  feedbackBurstPerToken: count,
  /** Feedback records stored about one agentId, ever (agents may add no more past it). */
  feedbackTotalPerAgentId: count,
  /** Request ids one `/agent` socket receives decisions for (created or watched on it). */
  watchesPerSocket: count,
  /** Concurrent `GET /requests/:id?wait=` long-polls on one agentId's requests. */
  longPollsPerAgentId: count,
  /** Concurrent long-polls of one agent token. */
  longPollsPerToken: count,
  /** Engine.IO sessions that have not joined a namespace yet; past it the oldest is closed. */
  unjoinedSessions: count,
  /** How long an Engine.IO session may stay without joining a namespace, in ms. */
  handshakeTimeoutMs: z.number().int().min(100).max(600_000),
  /** Wrong pairing codes one TCP connection may send; the last is answered 429 and the connection closed. */
  wrongPairingCodesPerConnection: count,
  /** Wrong pairing codes one source (the address the proxy saw) may send through the public URL per pairing window. */
  wrongPairingCodesPerSource: count,
  /** Wrong pairing codes all sources together may send through the public URL per pairing window; past it public pairing is 429 (the local route is never locked). */
  wrongPairingCodesPublic: count,
  /** The window of the two public pairing limits, in ms. */
  pairingWindowMs: z.number().int().min(1000).max(86_400_000),
  /** Reviews (reviewer commands, judge calls) running at once in the hub; past it a request goes to the person unreviewed. */
  reviewsRunning: count,
  /** Reviews running at once for one agentId's requests, so one agent cannot take every reviewer. */
  reviewsRunningPerAgentId: count,
});

export type AgentLimits = z.output<typeof AgentLimitsSchema>;

/** Why each default is what it is: README, "Limits". */
export const DEFAULT_AGENT_LIMITS: AgentLimits = {
  pendingPerAgentId: 200,
  pendingBytesPerAgentId: 32 * MiB,
  pendingPerToken: 2000,
  pendingBytesPerToken: 256 * MiB,
  createsPerSecondPerAgentId: 10,
  createBurstPerAgentId: 50,
  createsPerSecondPerToken: 100,
  createBurstPerToken: 500,
  feedbackPerSecondPerAgentId: 1,
  feedbackBurstPerAgentId: 20,
  feedbackPerSecondPerToken: 5,
  feedbackBurstPerToken: 100,
  feedbackTotalPerAgentId: 10_000,
  watchesPerSocket: 2000,
  longPollsPerAgentId: 200,
  longPollsPerToken: 1000,
  unjoinedSessions: 1000,
  handshakeTimeoutMs: 10_000,
  wrongPairingCodesPerConnection: 3,
  wrongPairingCodesPerSource: 5,
  wrongPairingCodesPublic: 30,
  pairingWindowMs: 5 * 60 * 1000,
  reviewsRunning: 4,
  reviewsRunningPerAgentId: 2,
};

/** Optional overrides in the data dir, `{ "pendingPerAgentId": 500, … }`. */
export const LIMITS_FILE = 'limits.json';

const OverridesSchema = AgentLimitsSchema.partial();

function parseOverrides(input: unknown, source: string): Partial<AgentLimits> {
  const parsed = validate(OverridesSchema, input);
  if (!parsed.ok) throw new SignoffError(ErrorCode.invalid, `${source}: ${parsed.error.message}`, parsed.error.details);
  return parsed.data;
}

/**
 * The limits a hub runs with: the defaults, then `<dataDir>/limits.json`, then
 * `overrides` (from `HubOptions.limits`). A bad file or override throws, naming the field.
 */
export function resolveAgentLimits(dataDir: string, overrides: Partial<AgentLimits> = {}): AgentLimits {
  const file = join(dataDir, LIMITS_FILE);
  let fromFile: Partial<AgentLimits> = {};
  let text: string | null = null;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== null) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new SignoffError(ErrorCode.invalid, `${file}: not valid JSON (${(error as Error).message})`);
    }
    fromFile = parseOverrides(json, file);
  }
  return { ...DEFAULT_AGENT_LIMITS, ...fromFile, ...parseOverrides(overrides, 'limits') };
}

/**
 * A token bucket: `burst` tokens, refilled at `perSecond`. Time comes in from the
 * caller, so it is testable without sleeping, and a clock that steps back adds nothing.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Milliseconds until a token is there; 0 when one is there now. */
  waitMs(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.perSecond);
  }

  /** Takes a token; call after {@link waitMs} said 0. */
  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
  }

  /** A full bucket behaves exactly like a new one, so it can be forgotten. */
  isFull(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.burst;
  }

  private refill(now: number): void {
    if (now <= this.last) return;
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.perSecond) / 1000);
    this.last = now;
  }
}

/** What one token or one agentId holds right now. */
interface Usage {
  pending: number;
  bytes: number;
  longPolls: number;
  creates: TokenBucket | null;
  feedback: TokenBucket | null;
}

/** A pending request as the limiter counts it. */
export interface PendingUsage {
  id: string;
  owner: string;
  agentId: string | null | undefined;
  /** Bytes of its stored JSON payload. */
  bytes: number;
}

type LimitName = keyof AgentLimits;

const nameOf = (agentId: string) => (agentId === '' ? 'agentId "" (requests sent without one)' : `agentId ${JSON.stringify(agentId)}`);

function refused(limit: LimitName, message: string, retryAfterMs?: number): SignoffError {
  const details: { limit: LimitName; retryAfterSeconds?: number } = { limit };
  if (retryAfterMs !== undefined) details.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const wait = details.retryAfterSeconds === undefined ? '' : `; retry in ${details.retryAfterSeconds} s`;
  return new SignoffError(ErrorCode.rateLimited, `${message} (limit ${limit})${wait}`, details);
}

/** Tables below this many entries are never swept; above it, a sweep runs when the table doubles. */
const SWEEP_FLOOR = 1024;

/**
 * Usage by key. Entries that hold nothing (no pending, no long-poll, full buckets) are
 * swept when the table doubles, so made-up agentIds cost no memory once they are quiet.
 */
class UsageTable {
  private readonly map = new Map<string, Usage>();
  private sweepAt = SWEEP_FLOOR;

  constructor(private readonly now: () => number) {}

  get size(): number {
    return this.map.size;
  }

  peek(key: string): Usage | undefined {
    return this.map.get(key);
  }

  get(key: string): Usage {
    let usage = this.map.get(key);
    if (!usage) {
      if (this.map.size >= this.sweepAt) this.sweep();
      usage = { pending: 0, bytes: 0, longPolls: 0, creates: null, feedback: null };
      this.map.set(key, usage);
    }
    return usage;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, u] of this.map) {
      const idle = u.pending === 0 && u.longPolls === 0 && (u.creates?.isFull(now) ?? true) && (u.feedback?.isFull(now) ?? true);
      if (idle) this.map.delete(key);
    }
    this.sweepAt = Math.max(SWEEP_FLOOR, 2 * this.map.size);
  }
}

/**
 * Counts what each agent token and agentId holds and refuses what would go past
 * {@link AgentLimits}, with `rate_limited` (HTTP 429) naming the limit, and
 * `retryAfterSeconds` when waiting is sure to help.
 *
 * Pending counts live in memory: loaded once from the store at start ({@link load}),
 * then kept by the lifecycle's created/settled events, never a query per create.
 */
export class AgentLimiter {
  private readonly tokens: UsageTable;
  private readonly agents: UsageTable;
  /** Every pending request counted, so a settle subtracts exactly what its create added. */
  private readonly pending = new Map<string, { owner: string; agentId: string; bytes: number }>();

  constructor(
    readonly limits: AgentLimits,
    private readonly now: () => number,
  ) {
    this.tokens = new UsageTable(now);
    this.agents = new UsageTable(now);
  }

  /** Counts requests that were pending when the hub started. */
  load(rows: Iterable<PendingUsage>): void {
    for (const row of rows) this.created(row);
  }

  /**
   * Throws unless `owner` may create a request of `agentId` whose stored JSON is
   * `bytes` long. Takes a create token from both buckets when it does not throw.
   * `pending: false` for requests that are settled at once (`notify`): only the rate applies.
   */
  admitCreate(owner: string, agentId: string | null | undefined, bytes: number, pending = true): void {
    const id = agentId ?? '';
    const l = this.limits;
    const token = this.tokens.get(owner);
    const agent = this.agents.get(agentKey(owner, id));
    if (pending) {
      const wait = 'wait for some to be decided, or cancel some';
      if (agent.pending + 1 > l.pendingPerAgentId) {
        throw refused('pendingPerAgentId', `${nameOf(id)} already has ${agent.pending} requests waiting for a decision; ${wait}`);
      }
      if (agent.bytes + bytes > l.pendingBytesPerAgentId) {
        throw refused('pendingBytesPerAgentId', `the waiting requests of ${nameOf(id)} would hold more than ${l.pendingBytesPerAgentId} bytes; ${wait}`);
      }
      if (token.pending + 1 > l.pendingPerToken) {
        throw refused('pendingPerToken', `this agent token already has ${token.pending} requests waiting for a decision; ${wait}`);
      }
      if (token.bytes + bytes > l.pendingBytesPerToken) {
        throw refused('pendingBytesPerToken', `the waiting requests of this agent token would hold more than ${l.pendingBytesPerToken} bytes; ${wait}`);
      }
    }
    const now = this.now();
    agent.creates ??= new TokenBucket(l.createsPerSecondPerAgentId, l.createBurstPerAgentId, now);
    token.creates ??= new TokenBucket(l.createsPerSecondPerToken, l.createBurstPerToken, now);
    const agentWait = agent.creates.waitMs(now);
    if (agentWait > 0) {
      throw refused('createsPerSecondPerAgentId', `${nameOf(id)} creates requests faster than ${l.createsPerSecondPerAgentId} per second`, agentWait);
    }
    const tokenWait = token.creates.waitMs(now);
    if (tokenWait > 0) {
      throw refused('createsPerSecondPerToken', `this agent token creates requests faster than ${l.createsPerSecondPerToken} per second`, tokenWait);
    }
    agent.creates.take(now);
    token.creates.take(now);
  }

  /** A request became pending (created now, or found pending at start). */
  created(request: PendingUsage): void {
    if (this.pending.has(request.id)) return;
    const agentId = request.agentId ?? '';
    this.pending.set(request.id, { owner: request.owner, agentId, bytes: request.bytes });
    for (const usage of [this.tokens.get(request.owner), this.agents.get(agentKey(request.owner, agentId))]) {
      usage.pending += 1;
      usage.bytes += request.bytes;
    }
  }

  /** A request left pending; ids never counted are ignored. */
  settled(id: string): void {
    const counted = this.pending.get(id);
    if (!counted) return;
    this.pending.delete(id);
    for (const usage of [this.tokens.peek(counted.owner), this.agents.peek(agentKey(counted.owner, counted.agentId))]) {
      if (!usage) continue;
      usage.pending -= 1;
      usage.bytes -= counted.bytes;
    }
  }

  /**
   * Throws unless `owner` may record feedback about `agentId`; `countStored` (asked
   * only once the rates allow it) says how many records it has. Takes a token from both
   * feedback buckets when it does not throw.
   */
  admitFeedback(owner: string, agentId: string, countStored: () => number): void {
    const l = this.limits;
    const now = this.now();
    const token = this.tokens.get(owner);
    const agent = this.agents.get(agentKey(owner, agentId));
    agent.feedback ??= new TokenBucket(l.feedbackPerSecondPerAgentId, l.feedbackBurstPerAgentId, now);
    token.feedback ??= new TokenBucket(l.feedbackPerSecondPerToken, l.feedbackBurstPerToken, now);
    const agentWait = agent.feedback.waitMs(now);
    if (agentWait > 0) {
      throw refused('feedbackPerSecondPerAgentId', `feedback about ${nameOf(agentId)} comes faster than ${l.feedbackPerSecondPerAgentId} per second`, agentWait);
    }
    const tokenWait = token.feedback.waitMs(now);
    if (tokenWait > 0) {
      throw refused('feedbackPerSecondPerToken', `this agent token records feedback faster than ${l.feedbackPerSecondPerToken} per second`, tokenWait);
    }
    const stored = countStored();
    if (stored >= l.feedbackTotalPerAgentId) {
      throw refused('feedbackTotalPerAgentId', `${nameOf(agentId)} already has ${stored} feedback records`);
    }
    agent.feedback.take(now);
    token.feedback.take(now);
  }

  /**
   * Starts a long-poll of `owner` on a request of `agentId`, or throws when too many
   * are open. Returns the function that ends it (extra calls do nothing).
   */
  beginLongPoll(owner: string, agentId: string | null | undefined): () => void {
    const id = agentId ?? '';
    const l = this.limits;
    const token = this.tokens.get(owner);
    const agent = this.agents.get(agentKey(owner, id));
    // A second is a fair guess: long-polls end when a request is decided or their wait runs out.
    if (agent.longPolls >= l.longPollsPerAgentId) {
      throw refused('longPollsPerAgentId', `${agent.longPolls} long-polls on requests of ${nameOf(id)} are already open`, 1000);
    }
    if (token.longPolls >= l.longPollsPerToken) {
      throw refused('longPollsPerToken', `${token.longPolls} long-polls of this agent token are already open`, 1000);
    }
    agent.longPolls += 1;
    token.longPolls += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      agent.longPolls -= 1;
      token.longPolls -= 1;
    };
  }

  /** Throws unless a socket receiving decisions for `current` ids may take `adding` more. */
  admitWatches(current: number, adding: number): void {
    const max = this.limits.watchesPerSocket;
    if (current + adding > max) {
      throw refused('watchesPerSocket', `this socket would watch ${current + adding} requests, more than ${max}; watch fewer, or use another connection`);
    }
  }

  /** What one token (no `agentId` argument) or one of its agentIds holds now. */
  usageOf(owner: string, ...agentId: [] | [string | null]): { pending: number; bytes: number; longPolls: number } {
    const usage = agentId.length === 0 ? this.tokens.peek(owner) : this.agents.peek(agentKey(owner, agentId[0] ?? ''));
    return { pending: usage?.pending ?? 0, bytes: usage?.bytes ?? 0, longPolls: usage?.longPolls ?? 0 };
  }

  /** Entries held in memory (tests check that quiet made-up agentIds are forgotten). */
  get size(): number {
    return this.tokens.size + this.agents.size;
  }
}

/** One agentId of one token; NUL cannot occur in a token's principal. */
const agentKey = (owner: string, agentId: string) => `${owner}\u0000${agentId}`;
