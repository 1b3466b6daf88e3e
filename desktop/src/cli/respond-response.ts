import { RESPONSE_SCHEMAS, validate, type RequestKind } from '@signoff/shared';
import { UsageError } from './usage-error.js';

/** The answer flags of `signoff respond`; exactly one of `approve`, `reject`, `response`. */
export interface RespondFlags {
  approve?: boolean;
  /** The reason for a rejection. */
  reject?: string;
  /** A note with `--approve`. */
  reason?: string;
  /** Any kind's answer as JSON. */
  response?: string;
}

/** What `--approve` and `--reject` mean for each kind that has a yes and a no. */
const YES_NO: Partial<Record<RequestKind, { yes(note?: string): object; no(reason: string): object }>> = {
  approval: { yes: (note) => ({ approved: true, ...(note ? { reason: note } : {}) }), no: (reason) => ({ approved: false, reason }) },
  edit: { yes: (note) => ({ action: 'accept', ...(note ? { reason: note } : {}) }), no: (reason) => ({ action: 'reject', reason }) },
  checkpoint: { yes: (note) => ({ action: 'continue', ...(note ? { notes: note } : {}) }), no: (reason) => ({ action: 'abort', notes: reason }) },
  escalation: { yes: (note) => ({ action: 'continue', ...(note ? { guidance: note } : {}) }), no: (reason) => ({ action: 'abort', guidance: reason }) },
};

/**
 * Builds the response body for a request of `kind` from the flags, validated
 * with the shared response schema (the message names the bad field).
 */
export function responseFromFlags(kind: RequestKind, flags: RespondFlags): unknown {
  const given = [flags.approve === true, flags.reject !== undefined, flags.response !== undefined].filter(Boolean).length;
  if (given !== 1) throw new UsageError('give exactly one of --approve, --reject "reason", --response JSON');
  if (flags.reason !== undefined && flags.approve !== true) throw new UsageError('--reason goes with --approve; --reject takes its reason itself');
  let response: unknown;
  if (flags.response !== undefined) {
    try {
      response = JSON.parse(flags.response);
    } catch {
      throw new UsageError('--response must be JSON, e.g. \'{"optionId":"pdf"}\'');
    }
  } else {
    const answers = YES_NO[kind];
    if (!answers) throw new UsageError(`a ${kind} request needs its answer as --response JSON (e.g. ${kind === 'clarification' ? '\'{"text":"…"}\'' : '\'{"result":…}\''})`);
    if (flags.reject !== undefined && !flags.reject.trim()) throw new UsageError('--reject needs a reason for the agent');
    response = flags.approve ? answers.yes(flags.reason) : answers.no(flags.reject!);
  }
  const checked = validate(RESPONSE_SCHEMAS[kind], response);
  if (!checked.ok) throw new UsageError(`not a valid answer to a ${kind} request: ${checked.error.message}`);
  return checked.data;
}
