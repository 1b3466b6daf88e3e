import type { RequestKind, SignoffRequest } from '../protocol/index.js';

/**
 * One realistic stored request of each kind, as the hub serves them. For previews of
 * the approver UI and for the tests of both hosts (popup, tray window), so nobody has
 * to hand-assemble a valid request to see a view fill.
 */
export const SAMPLE_REQUESTS = {
  approval: {
    kind: 'approval',
    id: 'sample-approval',
    title: 'Delete 5,000 inactive user accounts',
    body: 'Accounts with **no login for 24 months** and no open invoices.',
    severity: 'critical',
    agentId: 'cleanup-agent',
    runId: 'cleanup-run-7',
    context: { database: 'prod-users', estimatedRows: 5000 },
    action: { name: 'db.deleteUsers', args: { where: "last_login < now() - interval '24 months'", count: 5000 } },
    reversible: false,
    consequences: ['5,000 users lose their data for good', 'Billing history of these accounts is removed'],
    alternatives: [
      { id: 'archive', description: 'Archive the accounts instead', tradeoffs: 'Keeps data for 90 days' },
      { id: 'email-first', description: 'Email the users first and delete in 30 days' },
    ],
    createdAt: 0,
    expiresAt: 15 * 60_000,
    status: 'pending',
    onTimeout: 'reject',
  },
  clarification: {
    kind: 'clarification',
    id: 'sample-clarification',
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
    createdAt: 0,
    expiresAt: 24 * 3_600_000,
    status: 'pending',
    onTimeout: 'expire',
  },
  edit: {
    kind: 'edit',
    id: 'sample-edit',
    title: 'Review the reply to a customer complaint',
    severity: 'high',
    agentId: 'support-agent',
    context: { ticket: 'SUP-4182' },
    draft: { format: 'markdown', content: 'Hi Dana,\n\nWe have issued a **full refund**.\n\nBest regards,\nSupport' },
    createdAt: 0,
    expiresAt: 3_600_000,
    status: 'pending',
    onTimeout: 'expire',
  },
  escalation: {
    kind: 'escalation',
    id: 'sample-escalation',
    title: 'Flaky test keeps failing the deploy',
    severity: 'high',
    agentId: 'ci-agent',
    reason: 'Cannot tell whether the failure is a regression or a flaky test',
    attempted: ['Re-ran the suite 3 times', 'Bisected to 4f2a91c, inconclusive'],
    recommendations: ['Quarantine the test and deploy', 'Revert 4f2a91c'],
    createdAt: 0,
    expiresAt: 3_600_000,
    status: 'pending',
    onTimeout: 'expire',
  },
  checkpoint: {
    kind: 'checkpoint',
    id: 'sample-checkpoint',
    title: 'Database migration: halfway checkpoint',
    severity: 'medium',
    agentId: 'migration-agent',
    phase: 'Backfill orders.currency',
    progress: 0.55,
    completed: ['Add column orders.currency'],
    upcoming: ['Backfill 2023-2026', 'Add NOT NULL constraint', 'Drop orders.currency_legacy'],
    issues: ['312 rows had an unknown currency code'],
    createdAt: 0,
    expiresAt: 4 * 3_600_000,
    status: 'pending',
    onTimeout: 'expire',
  },
  external: {
    kind: 'external',
    id: 'sample-external',
    title: 'Run the production smoke test and paste its output',
    severity: 'medium',
    agentId: 'release-agent',
    tool: { name: 'smoke-test', args: { environment: 'production' } },
    createdAt: 0,
    expiresAt: 4 * 3_600_000,
    status: 'pending',
    onTimeout: 'expire',
  },
  notify: {
    kind: 'notify',
    id: 'sample-notify',
    title: 'Nightly backup finished: 42 GB in 18 minutes',
    severity: 'low',
    agentId: 'backup-agent',
    createdAt: 0,
    expiresAt: null,
    status: 'resolved',
    onTimeout: 'expire',
  },
} as const satisfies { [K in RequestKind]: SignoffRequest<K> };

/**
 * A copy of the sample request of `kind` with `overrides` applied, typed as that kind,
 * e.g. `sampleRequest('approval', { id: 'a1', severity: 'low' })`.
 */
export function sampleRequest<K extends RequestKind>(kind: K, overrides: Partial<SignoffRequest<K>> = {}): SignoffRequest<K> {
  return { ...structuredClone(SAMPLE_REQUESTS[kind]), ...overrides } as unknown as SignoffRequest<K>;
}
