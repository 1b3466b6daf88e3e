import { useState } from 'preact/hooks';
import type { Grant } from '../protocol/index.js';
import { formatAgo } from './time-format.js';
import { visibleText } from './visible-text.js';

/** What the host's `revoke` resolves to: done, or refused with a message for the person. */
export type RevokeResult = { ok: true } | { ok: false; message: string };

/** Props of {@link GrantsList}. */
export interface GrantsListProps {
  /** The hub's grants; `null` while they load. */
  grants: readonly Grant[] | null;
  /** Why the list cannot be shown (offline, an older hub), if so. */
  error?: string | null;
  now: number;
  /** Revokes one grant at the hub; the list itself is updated by the host (the hub's `grants:changed`). */
  onRevoke: (id: string) => Promise<RevokeResult>;
}

/** The longest argument text shown for an exact grant; the rest is cut with an ellipsis. */
const MAX_ARGS_TEXT = 160;

/** What a grant lets through, in one line: the command or pattern, or the action with its exact arguments. */
export function grantMatchText(grant: Pick<Grant, 'match'>): string {
  const { match } = grant;
  if (match.type === 'command') return match.exact ? `${match.action}: exactly ${match.pattern}` : `${match.action}: ${match.pattern}`;
  if (match.args === null) return `${match.action}, without arguments`;
  const args = JSON.stringify(match.args);
  return `${match.action} with exactly ${args.length > MAX_ARGS_TEXT ? `${args.slice(0, MAX_ARGS_TEXT)}…` : args}`;
}

/** Whom a grant covers: one run of its agent, or every run. */
export function grantScopeText(grant: Pick<Grant, 'scope' | 'runId' | 'agentId'>): string {
  const agent = grant.agentId === '' ? 'requests without an agent' : grant.agentId;
  return grant.scope === 'run' ? `${agent}, run ${grant.runId ?? '?'} only` : `${agent}, every run`;
}

/**
 * Until when a grant holds, in local time: "until revoked", "until the end of today"
 * (a grant made for the day ends at local midnight), "until 17:00" later today,
 * else "until 2026-01-31 17:00"; "expired" once past.
 */
export function grantExpiryText(expiresAt: number | null, now: number): string {
  if (expiresAt === null) return 'until revoked';
  if (expiresAt <= now) return 'expired';
  const end = new Date(expiresAt);
  const today = new Date(now);
  const midnight = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1).getTime();
  if (expiresAt === midnight) return 'until the end of today';
  const time = `${pad(end.getHours())}:${pad(end.getMinutes())}`;
  if (expiresAt < midnight) return `until ${time}`;
  return `until ${end.getFullYear()}-${pad(end.getMonth() + 1)}-${pad(end.getDate())} ${time}`;
}

/** How often a grant was used, and when last. */
export function grantUsesText(grant: Pick<Grant, 'uses' | 'lastUsedAt'>, now: number): string {
  if (grant.uses === 0) return 'not used yet';
  const times = grant.uses === 1 ? 'used once' : `used ${grant.uses} times`;
  return grant.lastUsedAt === null ? times : `${times}, last ${formatAgo(grant.lastUsedAt, now)}`;
}

/**
 * The "Allowed" list: every "always allow" grant with what it lets through, whom it
 * covers, who made it from which request, until when, and how often it was used, each
 * with a one-click Revoke. Shared by the popup and the window.
 */
export function GrantsList({ grants, error, now, onRevoke }: GrantsListProps) {
  const [revoking, setRevoking] = useState<ReadonlySet<string>>(new Set());
  const [failure, setFailure] = useState<string | null>(null);

  const revoke = async (id: string) => {
    setRevoking((ids) => new Set([...ids, id]));
    setFailure(null);
    let result: RevokeResult;
    try {
      result = await onRevoke(id);
    } catch (thrown) {
      result = { ok: false, message: thrown instanceof Error ? thrown.message : String(thrown) };
    }
    setRevoking((ids) => new Set([...ids].filter((x) => x !== id)));
    if (!result.ok) setFailure(`Not revoked: ${result.message}`);
  };

  return (
    <section class="so-grants" aria-label="Allowed">
      <p class="so-hint">Requests these grants match are approved without asking you (guardrails still apply). Revoke one to be asked again.</p>
      {error ? (
        <p class="so-banner so-banner-warn" role="status">
          {error}
        </p>
      ) : null}
      {failure !== null && (
        <p class="so-field-error" role="alert">
          {failure}
        </p>
      )}
      {grants === null ? (
        error ? null : <p class="so-hint">Loading…</p>
      ) : grants.length === 0 ? (
        <p class="so-empty">Nothing is allowed without asking. Choose “Always allow this” when approving to add to this list.</p>
      ) : (
        <ul class="so-grant-list">
          {grants.map((grant) => (
            <li key={grant.id} class="so-grant">
              <span class="so-grant-what">
                <code>{visibleText(grantMatchText(grant))}</code>
              </span>
              <span class="so-row-meta">
                <span>{visibleText(grantScopeText(grant))}</span>
                <span>{grantExpiryText(grant.expiresAt, now)}</span>
                <span>{grantUsesText(grant, now)}</span>
              </span>
              <span class="so-row-meta">
                <span>
                  by {visibleText(grant.createdBy)}, {formatAgo(grant.createdAt, now)}
                </span>
                <span>from request {visibleText(grant.requestId)}</span>
              </span>
              <button
                type="button"
                class="so-btn so-btn-small so-btn-danger"
                disabled={revoking.has(grant.id)}
                aria-label={`Revoke ${grantMatchText(grant)}`}
                onClick={() => void revoke(grant.id)}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
