import type { CreateRequestInput } from '@signoff/shared';

/** One realistic request of each kind, so a newcomer sees every view of the UI filled. */
export const DEMO_REQUESTS: CreateRequestInput[] = [
  {
    kind: 'approval',
    title: 'Delete 5,000 inactive user accounts',
    body: 'Accounts with **no login for 24 months** and no open invoices. Found by the nightly cleanup job.',
    severity: 'critical',
    agentId: 'cleanup-agent',
    runId: 'demo-cleanup-run',
    action: { name: 'db.deleteUsers', args: { where: "last_login < now() - interval '24 months'", count: 5000 } },
    reversible: false,
    consequences: ['5,000 users lose their data for good', 'Billing history of these accounts is removed', 'Marketing lists shrink by 12%'],
    alternatives: [
      { id: 'archive', description: 'Archive the accounts to cold storage instead of deleting them', tradeoffs: 'Keeps data for 90 days; costs about $4/month' },
      { id: 'email-first', description: 'Email the users first and delete in 30 days', tradeoffs: 'Slower, but gives people a chance to keep their account' },
    ],
    context: { database: 'prod-users', table: 'users', estimatedRows: 5000 },
  },
  {
    kind: 'clarification',
    title: 'Which format should the quarterly report be in?',
    body: 'The Q3 revenue report is ready to export.',
    severity: 'medium',
    agentId: 'report-agent',
    options: [
      { id: 'pdf', label: 'PDF (for the board)' },
      { id: 'xlsx', label: 'Spreadsheet (for finance)' },
      { id: 'both', label: 'Both' },
    ],
    allowFreeform: true,
  },
  {
    kind: 'clarification',
    title: 'Details for the new staging server',
    severity: 'low',
    agentId: 'infra-agent',
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
  {
    kind: 'edit',
    title: 'Review the reply to a customer complaint',
    severity: 'high',
    agentId: 'support-agent',
    context: { ticket: 'SUP-4182', customer: 'Dana Whitfield', sentiment: 'angry' },
    draft: {
      format: 'markdown',
      content:
        'Hi Dana,\n\nI am sorry your order arrived damaged. We have issued a **full refund** of $129.00, ' +
        'which should reach your card within 5 business days.\n\nBest regards,\nThe Support Team',
    },
  },
  {
    kind: 'escalation',
    title: 'Flaky test keeps failing the deploy',
    severity: 'high',
    agentId: 'ci-agent',
    runId: 'demo-deploy-run',
    reason: 'Low confidence: cannot tell whether the failure is a real regression or a flaky test',
    attempted: ['Re-ran the suite 3 times (failed 2 of 3)', 'Bisected to commit 4f2a91c, inconclusive'],
    recommendations: ['Quarantine test_checkout_total and deploy', 'Revert 4f2a91c and deploy'],
  },
  {
    kind: 'checkpoint',
    title: 'Database migration: halfway checkpoint',
    severity: 'medium',
    agentId: 'migration-agent',
    runId: 'demo-migration-run',
    phase: 'Backfill orders.currency',
    progress: 0.55,
    completed: ['Add column orders.currency', 'Backfill 2019-2022 (1.2M rows)'],
    upcoming: ['Backfill 2023-2026 (1.1M rows)', 'Add NOT NULL constraint', 'Drop orders.currency_legacy'],
    issues: ['312 rows had an unknown currency code and were set to USD'],
  },
  {
    kind: 'external',
    title: 'Run the production smoke test and paste its output',
    severity: 'medium',
    agentId: 'release-agent',
    tool: { name: 'smoke-test', args: { environment: 'production', suite: 'checkout' } },
  },
  {
    kind: 'notify',
    title: 'Nightly backup finished: 42 GB in 18 minutes',
    severity: 'low',
    agentId: 'backup-agent',
  },
];
