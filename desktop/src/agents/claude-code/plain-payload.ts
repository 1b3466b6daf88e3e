import { RESERVED_JSON_KEYS } from '@signoff/shared/protocol/json-keys';
import { HookEvent } from './hook-event.js';
import type { HookPayload } from './hook-payload.js';

const EVENTS: ReadonlySet<unknown> = new Set(Object.values(HookEvent));

/** The optional string fields of {@link HookPayloadSchema} with their length bounds. */
const OPTIONAL_STRINGS: Record<string, { min: number; max: number }> = {
  session_id: { min: 1, max: 200 },
  cwd: { min: 1, max: Infinity },
  tool_use_id: { min: 1, max: 200 },
  permission_mode: { min: 0, max: 100 },
  transcript_path: { min: 0, max: Infinity },
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

const isScalar = (value: unknown) =>
  typeof value === 'string' || typeof value === 'boolean' || value === null || (typeof value === 'number' && Number.isFinite(value));

const hasReservedKey = (object: Record<string, unknown>) => Object.keys(object).some((key) => RESERVED_JSON_KEYS.has(key));

/**
 * The hook input as it is, when it is plain enough to accept without the zod
 * schemas: every field {@link HookPayloadSchema} knows has its type and bounds, and
 * `tool_input` is an object of strings, numbers, booleans and nulls under ordinary
 * keys — what Claude Code sends for nearly every tool. Anything else gives
 * `undefined`, and the caller checks it with `HookPayloadSchema`.
 *
 * Why: the hook runs on every tool call, and a call it decides without a person
 * (a read let through by `--allow-read-only`, a permission mode) should not pay for
 * loading zod and the protocol's schemas. It never accepts what the schema refuses
 * (`plain-payload.test.ts` checks that against the schema).
 */
export function plainHookPayload(raw: unknown): HookPayload | undefined {
  if (!isPlainObject(raw) || hasReservedKey(raw)) return undefined;
  if (!EVENTS.has(raw.hook_event_name)) return undefined;
  const toolName = raw.tool_name;
  if (typeof toolName !== 'string' || toolName.length < 1 || toolName.length > 200) return undefined;
  const input = raw.tool_input;
  if (!isPlainObject(input) || hasReservedKey(input) || !Object.values(input).every(isScalar)) return undefined;
  for (const [field, { min, max }] of Object.entries(OPTIONAL_STRINGS)) {
    if (!(field in raw)) continue;
    const value = raw[field];
    if (typeof value !== 'string' || value.length < min || value.length > max) return undefined;
  }
  return raw as HookPayload;
}
