import type { CreateRequestInput } from '@signoff/shared';
import { SAMPLE_INPUTS } from '@signoff/shared/samples';

/**
 * The shared sample requests (`@signoff/shared/samples`, the same that `signoff demo`
 * sends and the UI tests render) under the names the integration tests use, each
 * with a human answer that fits it. Shared by the REST and Socket.IO round-trip tests.
 */
export interface RoundTripCase {
  name: string;
  request: CreateRequestInput;
  /** A valid answer; absent for `notify`, which nobody answers. */
  response?: unknown;
}

export const approvalRequest = SAMPLE_INPUTS.approval;
export const clarificationWithOptions = SAMPLE_INPUTS.clarificationOptions;
export const clarificationWithForm = SAMPLE_INPUTS.clarificationForm;
/** A JSON draft: the limit tests check that an edit of it must stay JSON. */
export const editRequest = SAMPLE_INPUTS.editJson;
export const escalationRequest = SAMPLE_INPUTS.escalation;
export const checkpointRequest = SAMPLE_INPUTS.checkpoint;
export const externalRequest = SAMPLE_INPUTS.external;
export const notifyRequest = SAMPLE_INPUTS.notify;

/** Every kind that waits for a human, with a fitting answer. */
export const ROUND_TRIPS: RoundTripCase[] = [
  {
    name: 'approval picking an alternative',
    request: approvalRequest,
    response: { approved: false, reason: 'Archive instead, legal wants the data', alternativeId: 'archive' },
  },
  {
    name: 'approval with edited args',
    request: { ...approvalRequest, title: 'Delete 5,000 inactive user accounts (edited)' },
    response: { approved: true, reason: 'Smaller batch first', editedArgs: { where: "last_login < now() - interval '24 months'", count: 500 } },
  },
  { name: 'clarification with options', request: clarificationWithOptions, response: { optionId: 'iso' } },
  {
    name: 'clarification with form fields',
    request: clarificationWithForm,
    response: { values: { env: 'staging', replicas: 3, notifyOnCall: true, note: 'First rollout' } },
  },
  {
    name: 'clarification with options, form fields and free text',
    request: SAMPLE_INPUTS.clarification,
    response: { optionId: 'defaults', text: 'Name it after the ticket', values: { hostname: 'stage-2', cpus: 4, region: 'eu-west', backups: true } },
  },
  { name: 'edit of a markdown draft, accepted', request: SAMPLE_INPUTS.edit, response: { action: 'accept' } },
  {
    name: 'edit of a json draft',
    request: editRequest,
    response: {
      action: 'edit',
      content: JSON.stringify({ flags: { newCheckout: { enabled: true, rollout: 0.05 }, darkMode: { enabled: false } } }),
      reason: 'Start at 5%',
    },
  },
  {
    name: 'escalation',
    request: escalationRequest,
    response: { action: 'delegate', guidance: 'The checkout team owns that test', targetAgentId: 'checkout-bot' },
  },
  {
    name: 'checkpoint',
    request: checkpointRequest,
    response: { action: 'modify', skipSteps: ['Drop orders.currency_legacy'], notes: 'Keep the legacy column for a week' },
  },
  {
    name: 'external',
    request: externalRequest,
    response: { result: { passed: 41, failed: 1, failures: ['checkout: coupon with 100% discount'] } },
  },
];

/** The fields a created request echoes back (the hub adds `id`, times, `status`, defaults). */
export function echoedFields(request: CreateRequestInput): Record<string, unknown> {
  return { severity: 'medium', ...request };
}

/** Home directory the policy tests pass to the hub (`~` in `policy.yaml`). */
export const POLICY_HOME = '/home/ada';

/** What the Claude Code hook sends for a Bash call in a project under {@link POLICY_HOME}. */
export function bashRequest(command: string, extra: Record<string, unknown> = {}) {
  return {
    kind: 'approval',
    agentId: 'claude-code',
    title: `Bash: ${command}`,
    action: { name: 'Bash', args: { command } },
    context: { cwd: `${POLICY_HOME}/code/shop` },
    ...extra,
  };
}
