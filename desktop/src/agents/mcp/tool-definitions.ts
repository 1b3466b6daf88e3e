import {
  ApprovalRequestSchema,
  CheckpointRequestSchema,
  ClarificationRequestSchema,
  DEFAULT_TIMEOUT_MS,
  EditRequestSchema,
  EscalationRequestSchema,
  REQUEST_SCHEMAS,
  TIMEOUT_BOUNDS,
  validate,
  type CreateRequestInput,
  type Result,
} from '@signoff/shared';
import { z } from 'zod';

/**
 * The MCP tools `signoff mcp` offers. Every input field is a field of the shared
 * request schema of its kind (same limits, same validation), with a description
 * written for a model; only `description` is renamed (it is the request's `body`).
 */

/** The request kinds the MCP tools create. */
export type ToolKind = 'approval' | 'clarification' | 'edit' | 'checkpoint' | 'escalation';

export interface SignoffTool {
  /** MCP tool name. */
  name: string;
  /** Short human-readable name (MCP `title`). */
  title: string;
  /** What the model reads to decide when to call it. */
  description: string;
  kind: ToolKind;
  /** The tool's input: fields taken from the shared request schema of `kind`. */
  inputSchema: z.ZodObject;
}

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;
const deadlineHelp =
  `Optional deadline in milliseconds. The hub clamps it to ${TIMEOUT_BOUNDS.minMs / 1000} s … ${TIMEOUT_BOUNDS.maxMs / 86_400_000} days; ` +
  `without it the deadline follows severity (critical ${minutes(DEFAULT_TIMEOUT_MS.critical)}, high ${minutes(DEFAULT_TIMEOUT_MS.high)}, ` +
  `medium ${minutes(DEFAULT_TIMEOUT_MS.medium)}, low ${minutes(DEFAULT_TIMEOUT_MS.low)}).`;

/** The fields every kind shares (`common` in the shared schemas), described for a model. */
function commonFields(titleHelp: string) {
  const shape = ApprovalRequestSchema.shape;
  return {
    title: shape.title.describe(titleHelp),
    description: shape.body.describe('Optional details in markdown: what exactly, why, what you already checked.'),
    severity: shape.severity.describe(
      'How much is at stake: low, medium (default), high, critical (irreversible, costly, or affects other people). Drives how urgently the human is notified.',
    ),
    context: shape.context.describe('Optional JSON object of facts the human should see (ids, counts, environment, links).'),
    timeoutMs: shape.timeoutMs.describe(deadlineHelp),
  };
}

const approval = ApprovalRequestSchema.shape;
const clarification = ClarificationRequestSchema.shape;
const edit = EditRequestSchema.shape;
const checkpoint = CheckpointRequestSchema.shape;
const escalation = EscalationRequestSchema.shape;

const WAITS = 'Blocks until the human answers or the request times out.';

/** The five tools, in the order clients list them. */
export const SIGNOFF_TOOLS: readonly SignoffTool[] = [
  {
    name: 'request_approval',
    title: 'Request approval',
    kind: 'approval',
    description:
      `Ask the human to approve an action before you take it: anything destructive, irreversible, costly, or visible to other people. ${WAITS} ` +
      'Proceed only if the result says it was approved (use edited arguments or a chosen alternative if the result names them). ' +
      'If it was rejected or not answered in time, do not take the action.',
    inputSchema: z.strictObject({
      ...commonFields('What you want to do, in one line, e.g. "Delete 5,000 inactive accounts".'),
      action: approval.action.describe('The operation: its name and arguments, e.g. {"name":"db.deleteUsers","args":{"count":5000}}.'),
      reversible: approval.reversible.describe('Whether the action can be undone.'),
      consequences: approval.consequences.describe('What will happen, one effect per line.'),
      alternatives: approval.alternatives.describe('Other ways to reach the goal the human may pick instead (id, description, tradeoffs).'),
    }),
  },
  {
    name: 'ask_human',
    title: 'Ask the human',
    kind: 'clarification',
    description:
      `Ask the human a question you cannot answer yourself: a choice between options, a free-text answer, or a small form. ${WAITS} ` +
      'Give options and/or allow a free-text answer, or ask for form fields.',
    inputSchema: z.strictObject({
      ...commonFields('The question, in one line.'),
      options: clarification.options.describe('Answers to pick from, each {id, label}.'),
      allowFreeform: clarification.allowFreeform.describe('Whether the human may type their own answer (default true; set false to allow only the options).'),
      fields: clarification.fields.describe('Form fields to fill in, each {name, label, type: text|number|select|checkbox, options?, required?}.'),
    }),
  },
  {
    name: 'review_draft',
    title: 'Review a draft',
    kind: 'edit',
    description:
      `Show the human a draft (an email, a message, a document, a config) before you use it; they accept it, edit it, or reject it. ${WAITS} ` +
      'If they edited it, use their version exactly; if they rejected it, do not use the draft.',
    inputSchema: z.strictObject({
      ...commonFields('What the draft is, in one line, e.g. "Reply to the customer about the refund".'),
      draft: edit.draft.describe('The draft: {format: text|markdown|json, content}.'),
    }),
  },
  {
    name: 'checkpoint',
    title: 'Checkpoint',
    kind: 'checkpoint',
    description:
      `Report the progress of a long task at a milestone and ask whether to continue, change the plan, or stop. ${WAITS} ` +
      'Follow the answer: continue, apply the requested changes (skip the steps named), or abort.',
    inputSchema: z.strictObject({
      ...commonFields('The milestone, in one line, e.g. "Halfway through the billing migration".'),
      phase: checkpoint.phase.describe('The phase you are in.'),
      progress: checkpoint.progress.describe('Progress from 0 to 1.'),
      completed: checkpoint.completed.describe('Steps done, one per line.'),
      upcoming: checkpoint.upcoming.describe('Steps still to do, one per line.'),
      issues: checkpoint.issues.describe('Problems the human should know about, one per line.'),
    }),
  },
  {
    name: 'escalate',
    title: 'Escalate to the human',
    kind: 'escalation',
    description:
      `Hand a problem to the human when you are stuck or should not decide alone. ${WAITS} ` +
      'The human takes over, tells you to continue (often with guidance), to abort, or to hand the task to another agent.',
    inputSchema: z.strictObject({
      ...commonFields('The problem, in one line.'),
      reason: escalation.reason.describe('Why you are escalating.'),
      attempted: escalation.attempted.describe('What you already tried, one per line.'),
      recommendations: escalation.recommendations.describe('What you suggest, one per line.'),
    }),
  },
];

/**
 * Turns a tool's arguments into a request of its kind (`description` becomes
 * `body`) and validates it with the shared schema; the message names bad fields.
 */
export function toolRequest(tool: SignoffTool, args: Record<string, unknown>, agentId: string): Result<CreateRequestInput> {
  const { description, ...rest } = args;
  const request = { kind: tool.kind, ...rest, ...(description === undefined ? {} : { body: description }), agentId };
  const checked = validate(REQUEST_SCHEMAS[tool.kind], request);
  return checked.ok ? { ok: true, data: checked.data as CreateRequestInput } : checked;
}
