import type { CreateRequestInput } from '@signoff/shared';

/**
 * One realistic request of each kind (and both shapes of clarification), with a
 * human answer that fits it. Shared by the REST and Socket.IO round-trip tests.
 */
export interface RoundTripCase {
  name: string;
  request: CreateRequestInput;
  /** A valid answer; absent for `notify`, which nobody answers. */
  response?: unknown;
}

export const approvalRequest = {
  kind: 'approval',
  title: 'Delete 5,000 inactive accounts',
  body: 'Accounts with no login since **2024-01-01**. Exported to `s3://backups/inactive-2026-01.csv` first.',
  severity: 'high',
  agentId: 'cleanup-bot',
  runId: 'run-cleanup-17',
  context: { database: 'prod-users', rowsAffected: 5000, exportedTo: 's3://backups/inactive-2026-01.csv' },
  action: { name: 'db.deleteUsers', args: { where: "last_login < '2024-01-01'", limit: 5000 } },
  reversible: false,
  consequences: ['Users lose their saved settings', 'Billing history is kept for 7 years'],
  alternatives: [
    { id: 'archive', description: 'Archive the accounts instead of deleting them', tradeoffs: 'Keeps storage cost, fully reversible' },
    { id: 'email-first', description: 'Email the users and delete in 30 days' },
  ],
} as const satisfies CreateRequestInput;

export const clarificationWithOptions = {
  kind: 'clarification',
  title: 'Which date format should the export use?',
  agentId: 'report-bot',
  options: [
    { id: 'iso', label: 'ISO 8601 (2026-01-31)' },
    { id: 'us', label: 'US (01/31/2026)' },
    { id: 'eu', label: 'EU (31.01.2026)' },
  ],
  allowFreeform: false,
} as const satisfies CreateRequestInput;

export const clarificationWithForm = {
  kind: 'clarification',
  title: 'Deployment settings for the new search service',
  agentId: 'deploy-bot',
  fields: [
    {
      name: 'env',
      label: 'Environment',
      type: 'select',
      required: true,
      options: [
        { id: 'staging', label: 'Staging' },
        { id: 'prod', label: 'Production' },
      ],
    },
    { name: 'replicas', label: 'Replicas', type: 'number', required: true },
    { name: 'notifyOnCall', label: 'Page the on-call engineer', type: 'checkbox' },
    { name: 'note', label: 'Note for the changelog', type: 'text' },
  ],
} as const satisfies CreateRequestInput;

export const editRequest = {
  kind: 'edit',
  title: 'Review the feature-flag config before rollout',
  agentId: 'config-bot',
  draft: {
    format: 'json',
    content: JSON.stringify({ flags: { newCheckout: { enabled: true, rollout: 0.25 }, darkMode: { enabled: false } } }, null, 2),
  },
} as const satisfies CreateRequestInput;

export const escalationRequest = {
  kind: 'escalation',
  title: 'Integration tests keep failing after three fixes',
  severity: 'high',
  agentId: 'ci-fixer',
  reason: 'tests still failing after 3 attempts',
  attempted: ['Pinned the flaky dependency', 'Raised the test timeout', 'Re-ran with a clean cache'],
  recommendations: ['A human looks at the payment sandbox credentials', 'Skip the payment suite for this release'],
} as const satisfies CreateRequestInput;

export const checkpointRequest = {
  kind: 'checkpoint',
  title: 'Halfway through the billing table migration',
  agentId: 'migrator',
  runId: 'run-migrate-3',
  phase: 'Copy rows to billing_v2',
  progress: 0.6,
  completed: ['Created billing_v2', 'Copied 2021–2023 rows'],
  upcoming: ['Copy 2024–2026 rows', 'Swap the views', 'Drop billing'],
  issues: ['312 rows with a null currency were defaulted to USD'],
} as const satisfies CreateRequestInput;

export const externalRequest = {
  kind: 'external',
  title: 'Run the production smoke test from the VPN',
  agentId: 'release-bot',
  tool: { name: 'smoke-test', args: { target: 'https://api.example.com', suite: 'checkout' } },
} as const satisfies CreateRequestInput;

export const notifyRequest = {
  kind: 'notify',
  title: 'Deployed v2.3.1 to staging',
  body: 'All 214 checks passed.',
  severity: 'low',
  agentId: 'release-bot',
  runId: 'run-release-231',
} as const satisfies CreateRequestInput;

/** Every kind that waits for a human, with a fitting answer. */
export const ROUND_TRIPS: RoundTripCase[] = [
  {
    name: 'approval picking an alternative',
    request: approvalRequest,
    response: { approved: false, reason: 'Archive instead, legal wants the data', alternativeId: 'archive' },
  },
  {
    name: 'approval with edited args',
    request: { ...approvalRequest, title: 'Delete 5,000 inactive accounts (edited)' },
    response: { approved: true, reason: 'Smaller batch first', editedArgs: { where: "last_login < '2024-01-01'", limit: 500 } },
  },
  { name: 'clarification with options', request: clarificationWithOptions, response: { optionId: 'iso' } },
  {
    name: 'clarification with form fields',
    request: clarificationWithForm,
    response: { values: { env: 'staging', replicas: 3, notifyOnCall: true, note: 'First rollout' } },
  },
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
    response: { action: 'delegate', guidance: 'Payments team owns the sandbox', targetAgentId: 'payments-bot' },
  },
  {
    name: 'checkpoint',
    request: checkpointRequest,
    response: { action: 'modify', skipSteps: ['Drop billing'], notes: 'Keep the old table for a week' },
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
