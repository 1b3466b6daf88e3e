import type { ClientCapabilities, ElicitRequestFormParams, ElicitResult, PrimitiveSchemaDefinition } from '@modelcontextprotocol/sdk/types.js';
import {
  ApprovalResponseSchema,
  ClarificationResponseSchema,
  DEFAULT_TIMEOUT_MS,
  TIMEOUT_BOUNDS,
  type AnyResponse,
  type CreateRequestInput,
} from '@signoff/shared';
import type { DecisionLike } from './decision-text.js';

/**
 * Asking the person through the MCP client (`elicitation/create`, form mode) when
 * Signoff's hub is not running: an approval or a question still reaches a human,
 * in the client's own dialog, instead of failing. Only approvals and questions are
 * asked this way; their answers fit a flat form (MCP elicitation allows only flat
 * objects of strings, numbers, booleans and enums).
 */

type ApprovalInput = Extract<CreateRequestInput, { kind: 'approval' }>;
type ClarificationInput = Extract<CreateRequestInput, { kind: 'clarification' }>;
/** The requests the client may be asked to put to the user. */
export type ElicitableRequest = ApprovalInput | ClarificationInput;

/** The answer an elicitation gave, as a decision (no hub id: the hub never saw it). */
export type ElicitedDecision = DecisionLike & { respondedAt: number; waitMs: number };

/**
 * Whether the client can show a form: it declared `elicitation.form`, or an empty
 * `elicitation` object, which MCP 2025-11-25 reads as form mode (clients written
 * against 2025-06-18 declare just `elicitation: {}`).
 */
export function supportsFormElicitation(capabilities: ClientCapabilities | undefined): boolean {
  const elicitation = capabilities?.elicitation;
  if (!elicitation) return false;
  return elicitation.form !== undefined || elicitation.url === undefined;
}

export function isElicitable(request: CreateRequestInput): request is ElicitableRequest {
  return request.kind === 'approval' || request.kind === 'clarification';
}

/** How long the client's dialog may stay open: the request's own deadline, clamped as the hub would. */
export function elicitationTimeoutMs(request: ElicitableRequest): number {
  const wanted = request.timeoutMs ?? DEFAULT_TIMEOUT_MS[request.severity ?? 'medium'];
  return Math.min(Math.max(wanted, TIMEOUT_BOUNDS.minMs), TIMEOUT_BOUNDS.maxMs);
}

const APPROVE = 'approve';
const REJECT = 'reject';
const ALTERNATIVE = 'alternative:';
const OPTION = 'option';
const ANSWER = 'answer';
const FIELD = 'field:';

const bullets = (label: string, lines: readonly string[] | undefined) => (lines?.length ? `\n${label}:\n${lines.map((l) => `- ${l}`).join('\n')}` : '');

/** The message and form the client shows; `agentId` names who is asking. */
export function elicitationParams(request: ElicitableRequest, agentId: string): ElicitRequestFormParams {
  const severity = request.severity && request.severity !== 'medium' && request.severity !== 'low' ? `[${request.severity}] ` : '';
  const intro = `${agentId} asks through Signoff (its hub is not running, so you are asked here):\n\n${severity}${request.title}`;
  const body = request.body ? `\n\n${request.body}` : '';
  const context = request.context ? `\n\nContext: ${JSON.stringify(request.context)}` : '';
  if (request.kind === 'approval') {
    const action = request.action ? `\n\nAction: ${request.action.name}${request.action.args ? ` ${JSON.stringify(request.action.args)}` : ''}` : '';
    const reversible = request.reversible === undefined ? '' : `\nReversible: ${request.reversible ? 'yes' : 'no'}`;
    const choices = [
      { const: APPROVE, title: 'Approve' },
      ...(request.alternatives ?? []).map((a) => ({ const: `${ALTERNATIVE}${a.id}`, title: `Instead: ${a.description}` })),
      { const: REJECT, title: 'Reject' },
    ];
    return {
      mode: 'form',
      message: intro + body + action + reversible + bullets('Consequences', request.consequences) + context,
      requestedSchema: {
        type: 'object',
        properties: {
          decision: { type: 'string', title: 'Your decision', oneOf: choices },
          reason: { type: 'string', title: 'Note or reason (optional)', maxLength: 10_000 },
        },
        required: ['decision'],
      },
    };
  }
  const properties: Record<string, PrimitiveSchemaDefinition> = {};
  const required: string[] = [];
  if (request.options?.length) {
    properties[OPTION] = { type: 'string', title: 'Pick one', oneOf: request.options.map((o) => ({ const: o.id, title: o.label })) };
  }
  if (request.allowFreeform !== false) {
    properties[ANSWER] = { type: 'string', title: request.options?.length ? 'Or your own answer' : 'Your answer', maxLength: 10_000 };
  }
  for (const field of request.fields ?? []) {
    const key = `${FIELD}${field.name}`;
    properties[key] =
      field.type === 'number'
        ? { type: 'number', title: field.label }
        : field.type === 'checkbox'
          ? { type: 'boolean', title: field.label }
          : field.type === 'select'
            ? { type: 'string', title: field.label, oneOf: (field.options ?? []).map((o) => ({ const: o.id, title: o.label })) }
            : { type: 'string', title: field.label };
    if (field.required) required.push(key);
  }
  // Only options and no free text: picking one is the answer.
  if (properties[OPTION] && !properties[ANSWER] && !request.fields?.length) required.push(OPTION);
  return {
    mode: 'form',
    message: intro + body + context,
    requestedSchema: { type: 'object', properties, ...(required.length ? { required } : {}) },
  };
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/** The human's answer in the client's form, as Signoff's response of the request's kind (`undefined` when it holds none). */
function responseOf(request: ElicitableRequest, content: ElicitResult['content']): AnyResponse | undefined {
  const values = content ?? {};
  const reason = text(values.reason);
  if (request.kind === 'approval') {
    const decision = values.decision;
    const offered = (id: string) => request.alternatives?.some((a) => a.id === id) === true;
    const response =
      decision === APPROVE
        ? { approved: true }
        : decision === REJECT
          ? { approved: false }
          : typeof decision === 'string' && decision.startsWith(ALTERNATIVE) && offered(decision.slice(ALTERNATIVE.length))
            ? { approved: true, alternativeId: decision.slice(ALTERNATIVE.length) }
            : undefined;
    if (!response) return undefined;
    const parsed = ApprovalResponseSchema.safeParse({ ...response, ...(reason ? { reason } : {}) });
    return parsed.success ? parsed.data : undefined;
  }
  const option = values[OPTION];
  const fields: Record<string, string | number | boolean> = {};
  for (const field of request.fields ?? []) {
    const value = values[`${FIELD}${field.name}`];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[field.name] = value;
  }
  const answer = {
    ...(typeof option === 'string' && request.options?.some((o) => o.id === option) ? { optionId: option } : {}),
    ...(request.allowFreeform !== false && text(values[ANSWER]) ? { text: text(values[ANSWER]) } : {}),
    ...(Object.keys(fields).length ? { values: fields } : {}),
  };
  const parsed = ClarificationResponseSchema.safeParse(answer);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The decision an elicitation result stands for. Accept with an answer: resolved
 * by the user. Decline: an approval is rejected, a question stays unanswered.
 * Cancel (dismissed), or accept with nothing usable: unanswered.
 */
export function elicitedDecision(request: ElicitableRequest, result: ElicitResult, startedAt: number, now: number): ElicitedDecision {
  const timing = { respondedAt: now, waitMs: now - startedAt };
  const by = { respondedBy: 'the user', ...timing };
  if (result.action === 'accept') {
    const response = responseOf(request, result.content);
    if (response) return { status: 'resolved', response, ...by };
    return { status: 'cancelled', response: null, reason: 'The user sent the form without an answer.', ...by };
  }
  if (result.action === 'decline' && request.kind === 'approval') {
    return { status: 'resolved', response: { approved: false, reason: 'Declined in the MCP client.' }, ...by };
  }
  return {
    status: 'cancelled',
    response: null,
    reason: result.action === 'decline' ? 'The user declined to answer.' : 'The user dismissed the question without answering.',
    ...by,
  };
}
