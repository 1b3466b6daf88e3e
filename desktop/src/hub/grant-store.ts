import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Grant, GrantMatch, GrantScope } from '@signoff/shared';
import { compileGrant, type CompiledGrant } from '../policy/grant-match.js';

/** What an approver's "always allow this" stores. */
export interface NewGrant {
  /** The token owner of the agent that asked (grants never cross agents' tokens). */
  owner: string;
  agentId: string;
  scope: GrantScope;
  runId: string | null;
  match: GrantMatch;
  createdBy: string;
  requestId: string;
  createdAt: number;
  expiresAt: number | null;
}

interface GrantRow {
  id: string;
  owner: string;
  agent_id: string;
  scope: GrantScope;
  run_id: string | null;
  match: string;
  created_by: string;
  request_id: string;
  created_at: number;
  expires_at: number | null;
  uses: number;
  last_used_at: number | null;
}

function toGrant(row: GrantRow): Grant {
  return {
    id: row.id,
    createdBy: row.created_by,
    requestId: row.request_id,
    agentId: row.agent_id,
    scope: row.scope,
    runId: row.run_id,
    match: JSON.parse(row.match) as GrantMatch,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    uses: row.uses,
    lastUsedAt: row.last_used_at,
  };
}

/** A hostile approver script could otherwise fill memory; far beyond what a person makes by hand. */
export const MAX_LIVE_GRANTS = 1000;

/**
 * Remembered "always allow" grants (the `grants` table). Live grants (not revoked,
 * not expired) are also held compiled in memory, since every request is matched
 * against them; the table is the truth and the cache is rebuilt from it whenever it
 * changes here, and by `refresh()` when another process may have changed it. Time
 * comes in as arguments (the hub's clock), as in the other stores.
 */
export class GrantStore {
  private readonly stmt;
  private live: CompiledGrant[] = [];

  /** When the cached list was read: a grant expiring after it drops out at the next read past its time. */
  private readAt = 0;

  constructor(db: Database.Database) {
    this.stmt = {
      add: db.prepare(
        `INSERT INTO grants (id, owner, agent_id, scope, run_id, match, created_by, request_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      live: db.prepare(`SELECT * FROM grants WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at DESC, id`),
      countLive: db.prepare(`SELECT COUNT(*) FROM grants WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)`).pluck(),
      revoke: db.prepare(`UPDATE grants SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`),
      use: db.prepare(`UPDATE grants SET uses = uses + 1, last_used_at = ? WHERE id = ?`),
    };
    this.refresh(0);
  }

  /** Rebuilds the in-memory list from the table as of `now` (expired grants drop out here). */
  refresh(now: number): void {
    this.readAt = now;
    this.live = (this.stmt.live.all(now) as GrantRow[]).map((row) => compileGrant(toGrant(row), row.owner));
  }

  /** Live grants at `now`, newest first. */
  list(now: number): Grant[] {
    return this.compiled(now).map((g) => g.grant);
  }

  /** Compiled live grants at `now`, for matching requests. */
  compiled(now: number): readonly CompiledGrant[] {
    if (now < this.readAt || this.live.some((g) => g.grant.expiresAt !== null && g.grant.expiresAt <= now)) this.refresh(now);
    return this.live;
  }

  /** @returns the new grant, or `null` when the live-grant limit is reached */
  add(input: NewGrant): Grant | null {
    if ((this.stmt.countLive.get(input.createdAt) as number) >= MAX_LIVE_GRANTS) return null;
    const id = randomUUID();
    this.stmt.add.run(id, input.owner, input.agentId, input.scope, input.runId, JSON.stringify(input.match), input.createdBy, input.requestId, input.createdAt, input.expiresAt);
    this.refresh(input.createdAt);
    return this.live.find((g) => g.grant.id === id)?.grant ?? null;
  }

  /** @returns whether a live grant was revoked */
  revoke(id: string, now: number): boolean {
    const changed = this.stmt.revoke.run(now, id).changes > 0;
    if (changed) this.refresh(now);
    return changed;
  }

  /** Counts one use at `at` (the request it approved is recorded with its id). */
  recordUse(id: string, at: number): void {
    this.stmt.use.run(at, id);
    const hit = this.live.find((g) => g.grant.id === id);
    if (hit) hit.grant = { ...hit.grant, uses: hit.grant.uses + 1, lastUsedAt: at };
  }
}
