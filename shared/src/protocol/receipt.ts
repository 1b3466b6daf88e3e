import canonicalize from 'canonicalize';
import type { Decision, SignoffRequest } from './request.js';

/**
 * The action a decision settled, as a receipt's `actionDigest` covers it:
 * - an approval: `{ name, args }` with the approver's `editedArgs` when given, else the
 *   request's `action.args` (`null` for none); `null` when the request named no action
 *   and nothing was edited;
 * - an `external` request: its `tool` (`{ name, args }`);
 * - every other kind: `null`.
 */
export function approvedAction(
  request: Pick<SignoffRequest, 'kind'> & { action?: { name: string; args?: Record<string, unknown> }; tool?: { name: string; args?: Record<string, unknown> } },
  response: Decision['response'],
): { name: string | null; args: Record<string, unknown> | null } | null {
  if (request.kind === 'approval') {
    const edited = response && typeof response === 'object' && 'editedArgs' in response ? response.editedArgs : undefined;
    if (!request.action && !edited) return null;
    return { name: request.action?.name ?? null, args: edited ?? request.action?.args ?? null };
  }
  if (request.kind === 'external' && request.tool) return { name: request.tool.name, args: request.tool.args ?? null };
  return null;
}

/** RFC 8785 (JSON Canonicalization Scheme) text of a JSON value: what every audit hash covers. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('not a JSON value');
  return text;
}
