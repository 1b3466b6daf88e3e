import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { PopupPage } from './support/popup-page.js';
import { expectBadge, startSession, type E2eSession } from './support/session.js';

const EXTENSION_NAME = 'Browser extension (Chrome)';

describe('deciding from the popup (built extension in Chromium, real hub, SDK agent)', () => {
  let s: E2eSession;
  beforeAll(async () => {
    s = await startSession();
  });
  afterAll(async () => s?.close());

  it('shows a new request in the popup and the badge, and approves it', async () => {
    const popup = await PopupPage.open(s.browser);
    const decision = s.agent.requestApproval({ title: 'Restart the staging database', severity: 'high' });
    await popup.expectRow('Restart the staging database');
    await expectBadge(s, '1');
    await popup.open('Restart the staging database');
    await popup.button('Approve').click();
    await expect(decision).resolves.toMatchObject({
      status: 'resolved',
      respondedBy: EXTENSION_NAME,
      via: 'socket',
      response: { approved: true },
    });
    await popup.expectNoRow('Restart the staging database');
    await expectBadge(s, '');
    await popup.page.close();
  });

  it('rejects with a reason', async () => {
    const popup = await PopupPage.open(s.browser);
    const decision = s.agent.requestApproval({ title: 'Force-push to main', severity: 'critical' });
    await popup.open('Force-push to main');
    await popup.field('Reason').fill('Open a pull request instead');
    await popup.button('Reject').click();
    await expect(decision).resolves.toMatchObject({ response: { approved: false, reason: 'Open a pull request instead' } });
    await popup.page.close();
  });

  it('approves an alternative instead of the action', async () => {
    const popup = await PopupPage.open(s.browser);
    const decision = s.agent.requestApproval({
      title: 'Delete 5,000 inactive accounts',
      action: { name: 'db.deleteUsers', args: { count: 5000 } },
      reversible: false,
      alternatives: [{ id: 'archive', description: 'Archive them to cold storage' }],
    });
    await popup.open('Delete 5,000 inactive accounts');
    expect(await popup.text()).toContain('Irreversible');
    await popup.page.getByRole('radio', { name: /Archive them to cold storage/ }).check();
    await popup.button('Approve').click();
    await expect(decision).resolves.toMatchObject({ response: { approved: true, alternativeId: 'archive' } });
    await popup.page.close();
  });

  it('edits the arguments and approves with a note: the SDK agent receives editedArgs and the note', async () => {
    const popup = await PopupPage.open(s.browser);
    const args = { table: 'sessions', olderThanDays: 30, dryRun: false };
    const request = await s.agent.submit({ kind: 'approval', title: 'Purge old sessions', severity: 'high', action: { name: 'db.purge', args } });
    const decision = s.agent.waitFor(request.id);
    await popup.open('Purge old sessions');
    await popup.button('Edit arguments').click();
    const editor = popup.field('Arguments (JSON)');
    expect(await editor.inputValue()).toBe(JSON.stringify(args, null, 2));
    // A value of the wrong type is named by its path.
    await editor.fill(JSON.stringify({ ...args, olderThanDays: 'ninety' }, null, 2));
    await popup.page.getByText('editedArgs.olderThanDays: expected a number, not a string').waitFor({ timeout: 10_000 });
    await editor.fill(JSON.stringify({ ...args, olderThanDays: 90 }, null, 2));
    await popup.page.getByText('You are approving EDITED arguments').waitFor({ timeout: 10_000 });
    // The edit is saved as a draft and survives the popup closing.
    await expect.poll(() => popup.savedDraft(request.id)).toContain('\\"olderThanDays\\": 90');
    await popup.page.close();

    const again = await PopupPage.open(s.browser);
    await again.open('Purge old sessions');
    await expect.poll(() => again.field('Arguments (JSON)').inputValue()).toBe(JSON.stringify({ ...args, olderThanDays: 90 }, null, 2));
    expect(await again.text()).toContain('editedArgs.olderThanDays: 30 → 90');
    // Typed key by key: `a` and `r` type into the note, they do not approve or jump.
    await again.field('Note').pressSequentially('Keep three months, for the audit');
    await again.button('Approve with edits').click();
    await expect(decision).resolves.toMatchObject({
      status: 'resolved',
      response: { approved: true, reason: 'Keep three months, for the audit', editedArgs: { ...args, olderThanDays: 90 } },
    });
    await again.page.close();
  });

  it('edits a Claude Code tool call: the hook answers with the edited input as updatedInput and the note for Claude', async () => {
    const popup = await PopupPage.open(s.browser);
    const input = { command: 'npm publish --tag latest', description: 'Publish the release' };
    const hook = runCli(
      ['hook', 'claude-code'],
      { SIGNOFF_URL: s.hub.url, SIGNOFF_HOME: s.hub.dataDir },
      JSON.stringify({
        session_id: 'e2e-session',
        cwd: '/home/ada/shop',
        hook_event_name: 'PreToolUse',
        tool_name: 'Bash',
        tool_input: input,
        tool_use_id: 'toolu_e2e_edit',
      }),
    );
    await popup.expectRow('Bash: npm publish --tag latest');
    await popup.open('Bash: npm publish --tag latest');
    await popup.button('Edit arguments').click();
    await popup.field('Arguments (JSON)').fill(JSON.stringify({ ...input, command: 'npm publish --tag next' }, null, 2));
    await popup.field('Note').fill('As a pre-release first');
    await popup.button('Approve with edits').click();
    const { code, stdout } = await hook.done;
    expect(code).toBe(0);
    expect(JSON.parse(stdout).hookSpecificOutput).toMatchObject({
      permissionDecision: 'allow',
      updatedInput: { command: 'npm publish --tag next', description: 'Publish the release' },
      additionalContext: expect.stringContaining('noted: As a pre-release first'),
    });
    await popup.page.close();
  });

  it('answers a question by picking an option', async () => {
    const popup = await PopupPage.open(s.browser);
    const decision = s.agent.requestClarification({
      title: 'Which format for the Q3 report?',
      options: [
        { id: 'pdf', label: 'PDF' },
        { id: 'xlsx', label: 'Spreadsheet' },
      ],
      allowFreeform: false,
    });
    await popup.open('Which format for the Q3 report?');
    await popup.page.getByRole('radio', { name: 'Spreadsheet' }).check();
    await popup.button('Send').click();
    await expect(decision).resolves.toMatchObject({ response: { optionId: 'xlsx' } });
    await popup.page.close();
  });

  it('fills a form, checking required fields first', async () => {
    const popup = await PopupPage.open(s.browser);
    const decision = s.agent.requestClarification({
      title: 'Details for the new staging server',
      allowFreeform: false,
      fields: [
        { name: 'hostname', label: 'Host name', type: 'text', required: true },
        { name: 'cpus', label: 'CPU cores', type: 'number', required: true },
        { name: 'backups', label: 'Nightly backups', type: 'checkbox' },
      ],
    });
    await popup.open('Details for the new staging server');
    await popup.field('Host name').fill('stage-3');
    await popup.button('Send').click();
    // CPU cores is required: the form says so and nothing is sent.
    await popup.page.getByText(/CPU cores is required/).waitFor({ timeout: 10_000 });
    await popup.field('CPU cores').fill('8');
    await popup.field('Nightly backups').check();
    await popup.button('Send').click();
    await expect(decision).resolves.toMatchObject({ response: { values: { hostname: 'stage-3', cpus: 8, backups: true } } });
    await popup.page.close();
  });

  it('edits a draft: the agent receives the edited content', async () => {
    const popup = await PopupPage.open(s.browser);
    const decision = s.agent.requestEdit({
      title: 'Review the reply to Dana',
      draft: { format: 'markdown', content: 'Hi Dana,\n\nSorry about the damaged order.\n' },
    });
    await popup.open('Review the reply to Dana');
    const editor = popup.field(/^Draft/);
    await editor.fill('Hi Dana,\n\nSorry about the damaged order. A full refund is on its way.\n');
    // The live diff shows the change.
    await popup.page.getByText('A full refund is on its way.', { exact: false }).first().waitFor();
    await popup.button('Save edits').click();
    await expect(decision).resolves.toMatchObject({
      response: { action: 'edit', content: 'Hi Dana,\n\nSorry about the damaged order. A full refund is on its way.\n' },
    });
    await popup.page.close();
  });

  it('keeps a half-made edit when the popup closes and reopens', async () => {
    const popup = await PopupPage.open(s.browser);
    const request = await s.agent.submit({ kind: 'edit', title: 'Tweak the release notes', draft: { format: 'text', content: 'v1.2: bug fixes' } });
    const decision = s.agent.waitFor(request.id);
    await popup.open('Tweak the release notes');
    await popup.field(/^Draft/).fill('v1.2: bug fixes and a faster start');
    // The autosave reached IndexedDB before the popup goes away.
    await expect.poll(() => popup.savedDraft(request.id)).toContain('a faster start');
    await popup.page.close();

    const again = await PopupPage.open(s.browser);
    await again.open('Tweak the release notes');
    await expect.poll(() => again.field(/^Draft/).inputValue()).toBe('v1.2: bug fixes and a faster start');
    await again.button('Save edits').click();
    await expect(decision).resolves.toMatchObject({ response: { action: 'edit', content: 'v1.2: bug fixes and a faster start' } });
    await again.page.close();
  });

  it('removes a request decided elsewhere (REST) from the open popup at once', async () => {
    const popup = await PopupPage.open(s.browser);
    const request = await s.agent.submit({ kind: 'approval', title: 'Rotate the signing key' });
    await popup.expectRow('Rotate the signing key');
    const approver = await s.hub.pairApprover('Grace (terminal)');
    const res = await fetch(`${s.hub.url}/api/v1/requests/${request.id}/respond`, {
      method: 'POST',
      headers: { authorization: `Bearer ${approver}`, 'content-type': 'application/json' },
      body: JSON.stringify({ approved: true }),
    });
    expect(res.status).toBe(200);
    await popup.expectNoRow('Rotate the signing key');
    await popup.page.getByRole('tab', { name: /History/ }).click();
    await popup.expectRow('Rotate the signing key');
    expect(await popup.text()).toContain('by Grace (terminal) via rest');
    await popup.page.close();
  });
});
