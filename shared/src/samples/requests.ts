import type { CreateRequestInput, RequestKind, SignoffRequest } from '../protocol/index.js';

/**
 * Realistic sample requests: the one source for `signoff demo`, the approver UI's tests
 * and previews, and the integration tests. Pure data typed by the wire contract; it
 * loads nothing at runtime (no zod, no Preact). Import as `@signoff/shared/samples`.
 *
 * Tests assert on these words (titles, option ids, field names, steps), so change a
 * value here only together with the tests that read it.
 */

/** Requests as an agent sends them (`request:create`, `POST /requests`, `client.submit`). */
export const SAMPLE_INPUTS = {
  /** Irreversible, with an action, arguments to edit, consequences and two alternatives. */
  approval: {
    kind: 'approval',
    title: 'Delete 5,000 inactive user accounts',
    body: 'Accounts with **no login for 24 months** and no open invoices. Found by the nightly cleanup job.',
    severity: 'critical',
    agentId: 'cleanup-agent',
    runId: 'cleanup-run-7',
    context: { database: 'prod-users', table: 'users', estimatedRows: 5000 },
    action: { name: 'db.deleteUsers', args: { where: "last_login < now() - interval '24 months'", count: 5000 } },
    reversible: false,
    consequences: ['5,000 users lose their data for good', 'Billing history of these accounts is removed', 'Marketing lists shrink by 12%'],
    alternatives: [
      { id: 'archive', description: 'Archive the accounts instead', tradeoffs: 'Keeps data for 90 days; costs about $4/month' },
      { id: 'email-first', description: 'Email the users first and delete in 30 days' },
    ],
  },
  /** Every way to answer at once: options, a typed form and free text. */
  clarification: {
    kind: 'clarification',
    title: 'Details for the new staging server',
    severity: 'low',
    agentId: 'infra-agent',
    options: [
      { id: 'defaults', label: 'Use the defaults' },
      { id: 'copy-prod', label: 'Copy production' },
    ],
    allowFreeform: true,
    fields: [
      { name: 'hostname', label: 'Host name', type: 'text', required: true },
      { name: 'cpus', label: 'CPU cores', type: 'number', required: true },
      {
        name: 'region',
        label: 'Region',
        type: 'select',
        options: [
          { id: 'eu-west', label: 'EU West' },
          { id: 'us-east', label: 'US East' },
        ],
      },
      { name: 'backups', label: 'Nightly backups', type: 'checkbox' },
    ],
  },
  /** Options only, no free text. */
  clarificationOptions: {
    kind: 'clarification',
    title: 'Which date format should the export use?',
    agentId: 'report-bot',
    options: [
      { id: 'iso', label: 'ISO 8601 (2026-01-31)' },
      { id: 'us', label: 'US (01/31/2026)' },
      { id: 'eu', label: 'EU (31.01.2026)' },
    ],
    allowFreeform: false,
  },
  /** A form only, with a required select. */
  clarificationForm: {
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
  },
  /** A Markdown draft. */
  edit: {
    kind: 'edit',
    title: 'Review the reply to a customer complaint',
    severity: 'high',
    agentId: 'support-agent',
    context: { ticket: 'SUP-4182', customer: 'Dana Whitfield', sentiment: 'angry' },
    draft: {
      format: 'markdown',
      content:
        'Hi Dana,\n\nI am sorry your order arrived damaged. We have issued a **full refund**. ' +
        'It should reach your card within 5 business days.\n\nBest regards,\nThe Support Team',
    },
  },
  /** A JSON draft, edited as JSON. */
  editJson: {
    kind: 'edit',
    title: 'Review the feature-flag config before rollout',
    agentId: 'config-bot',
    draft: {
      format: 'json',
      content: JSON.stringify({ flags: { newCheckout: { enabled: true, rollout: 0.25 }, darkMode: { enabled: false } } }, null, 2),
    },
  },
  escalation: {
    kind: 'escalation',
    title: 'Flaky test keeps failing the deploy',
    severity: 'high',
    agentId: 'ci-agent',
    runId: 'deploy-run-41',
    reason: 'Cannot tell whether the failure is a regression or a flaky test',
    attempted: ['Re-ran the suite 3 times', 'Bisected to 4f2a91c, inconclusive'],
    recommendations: ['Quarantine the test and deploy', 'Revert 4f2a91c'],
  },
  checkpoint: {
    kind: 'checkpoint',
    title: 'Database migration: halfway checkpoint',
    severity: 'medium',
    agentId: 'migration-agent',
    runId: 'migration-run-3',
    phase: 'Backfill orders.currency',
    progress: 0.55,
    completed: ['Add column orders.currency', 'Backfill 2019-2022'],
    upcoming: ['Backfill 2023-2026', 'Add NOT NULL constraint', 'Drop orders.currency_legacy'],
    issues: ['312 rows had an unknown currency code and were set to USD'],
  },
  external: {
    kind: 'external',
    title: 'Run the production smoke test and paste its output',
    severity: 'medium',
    agentId: 'release-agent',
    tool: { name: 'smoke-test', args: { environment: 'production', suite: 'checkout' } },
  },
  notify: {
    kind: 'notify',
    title: 'Nightly backup finished: 42 GB in 18 minutes',
    body: 'Stored in `s3://backups/nightly/2026-01-31`.',
    severity: 'low',
    agentId: 'backup-agent',
    runId: 'backup-run-2026-01-31',
  },
} as const satisfies Record<string, CreateRequestInput>;

/**
 * One stored request of each kind, as the hub serves it to approvers: the kind's
 * sample in {@link SAMPLE_INPUTS} (for `clarification` the one with options, form and
 * free text; for `edit` the Markdown draft) with id `sample-<kind>`, created at 0.
 */
export const SAMPLE_REQUESTS = {
  approval: { ...SAMPLE_INPUTS.approval, id: 'sample-approval', createdAt: 0, expiresAt: 15 * 60_000, status: 'pending', onTimeout: 'reject' },
  clarification: { ...SAMPLE_INPUTS.clarification, id: 'sample-clarification', createdAt: 0, expiresAt: 24 * 3_600_000, status: 'pending', onTimeout: 'expire' },
  edit: { ...SAMPLE_INPUTS.edit, id: 'sample-edit', createdAt: 0, expiresAt: 3_600_000, status: 'pending', onTimeout: 'expire' },
  escalation: { ...SAMPLE_INPUTS.escalation, id: 'sample-escalation', createdAt: 0, expiresAt: 3_600_000, status: 'pending', onTimeout: 'expire' },
  checkpoint: { ...SAMPLE_INPUTS.checkpoint, id: 'sample-checkpoint', createdAt: 0, expiresAt: 4 * 3_600_000, status: 'pending', onTimeout: 'expire' },
  external: { ...SAMPLE_INPUTS.external, id: 'sample-external', createdAt: 0, expiresAt: 4 * 3_600_000, status: 'pending', onTimeout: 'expire' },
  notify: { ...SAMPLE_INPUTS.notify, id: 'sample-notify', createdAt: 0, expiresAt: null, status: 'resolved', onTimeout: 'expire' },
} as const satisfies { [K in RequestKind]: SignoffRequest<K> };

/**
 * A copy of the stored sample of `kind` with `overrides` applied, typed as that kind,
 * e.g. `sampleRequest('approval', { id: 'a1', severity: 'low' })`.
 */
export function sampleRequest<K extends RequestKind>(kind: K, overrides: Partial<SignoffRequest<K>> = {}): SignoffRequest<K> {
  return { ...structuredClone(SAMPLE_REQUESTS[kind]), ...overrides } as unknown as SignoffRequest<K>;
}
