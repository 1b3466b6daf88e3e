import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SignoffRequest } from '@signoff/shared';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { bashRequest, POLICY_HOME } from '../support/requests.js';
import { shellCheckReviewer, startJudge, type TestJudge } from '../support/reviewers.js';
import { launchWindowBrowser, WIDE, WindowPage } from './support/window-page.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchWindowBrowser();
});
afterAll(async () => browser?.close());

/**
 * Issue 12 in the window, in Chromium under the hub's CSP: the History's Download saves
 * the hub's decision export, byte for byte what `signoff export` writes; what reviewers
 * decided shows in the Feed and in the stats.
 */
describe('the window: History Download, reviewers in the Feed and the stats', () => {
  let hub: TestHub | undefined;
  let context: BrowserContext | undefined;
  let judge: TestJudge | undefined;
  afterEach(async () => {
    await context?.close();
    await hub?.dispose();
    await judge?.close();
    hub = context = judge = undefined;
  });

  it('saves the export as JSON lines and as CSV, for all days or the From–To days, the same bytes as signoff export, with no CSP problem', async () => {
    hub = await startTestHub();
    const t = hub;
    const approver = await t.pairApprover('Ada');
    const post = async (path: string, token: string, body: unknown) =>
      (await (await fetch(`${t.url}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as SignoffRequest;
    for (const title of [`=cmd|' /C calc'!A0`, 'two\nlines, "quoted"', 'bidi \u202Eexe.txt']) await post('/requests', t.agentToken, { kind: 'notify', title, agentId: 'e2e' });
    const asked = await post('/requests', t.agentToken, { kind: 'approval', title: 'Drop the old table', agentId: 'e2e' });
    await post(`/requests/${asked.id}/respond`, approver, { approved: false, reason: '@SUM(1) no' });

    context = await browser.newContext({ viewport: WIDE, acceptDownloads: true });
    const ui = await WindowPage.open(context, t.url);
    await ui.pairAndWait(t.hub.createPairingCode().code);
    await ui.showSection('History');

    const downloaded = async () => {
      const [download] = await Promise.all([ui.page.waitForEvent('download'), ui.dashboard().getByRole('button', { name: 'Download' }).click()]);
      return { name: download.suggestedFilename(), text: readFileSync((await download.path())!, 'utf8') };
    };
    const cli = async (args: string[]) => {
      const run = await runCli(['export', ...args, '--data-dir', t.dataDir]).done;
      expect(run.code, run.stderr).toBe(0);
      return run.stdout;
    };

    const jsonl = await downloaded();
    expect(jsonl.name).toBe('signoff-decisions.jsonl');
    expect(jsonl.text).toBe(await cli([]));
    await ui.expectText(ui.dashboard(), 'Saved 4 decisions as signoff-decisions.jsonl');

    await ui.dashboard().getByLabel('Export as').selectOption({ label: 'CSV' });
    const csv = await downloaded();
    expect(csv.name).toBe('signoff-decisions.csv');
    expect(csv.text).toBe(await cli(['--format', 'csv']));
    expect(csv.text).toContain(`,'=cmd|' /C calc'!A0,`);

    // Narrowed to today in the History's From and To: the CLI's export of the same local day.
    const today = await ui.page.evaluate(() => {
      const d = new Date();
      const pad = (n: number) => String(n).padStart(2, '0');
      return { day: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`, since: new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime(), until: new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime() };
    });
    await ui.dashboard().getByLabel('From', { exact: true }).fill(today.day);
    await ui.dashboard().getByLabel('To', { exact: true }).fill(today.day);
    const day = await downloaded();
    expect(day.name).toBe(`signoff-decisions-from-${today.day}-to-${today.day}.csv`);
    expect(day.text).toBe(await cli(['--format', 'csv', '--since', String(today.since), '--until', String(today.until)]));
    expect(day.text.split('\r\n').length).toBeGreaterThan(2);
    expect(await ui.allProblems()).toEqual([]);
  });

  it('shows what a reviewer decided in the Feed, who and how sure, with the reasoning as text; and the stats’ Reviewers table', async () => {
    judge = await startJudge();
    const dataDir = mkdtempSync(join(tmpdir(), 'signoff-e2e-reviewers-'));
    const policy = {
      judge: { url: judge.url, model: 'test-model', criteria: 'Approve routine deploys.', timeout: '5s' },
      reviewers: { 'shell-check': shellCheckReviewer() },
      rules: [
        { name: 'shell by script', when: { action: 'Bash' }, then: 'review', reviewer: 'shell-check' },
        { name: 'deploys by judge', when: { action: 'deploy' }, then: 'review', reviewer: 'judge' },
      ],
    };
    writeFileSync(join(dataDir, 'policy.yaml'), JSON.stringify(policy));
    hub = await startTestHub({ dataDir, home: POLICY_HOME });
    const t = hub;
    context = await browser.newContext({ viewport: WIDE });
    const ui = await WindowPage.open(context, t.url);
    await ui.pairAndWait(t.hub.createPairingCode().code);

    const send = async (body: unknown) => {
      const res = await fetch(`${t.url}/api/v1/requests`, { method: 'POST', headers: { authorization: `Bearer ${t.agentToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const { id } = (await res.json()) as { id: string };
      await fetch(`${t.url}/api/v1/requests/${id}?wait=10`, { headers: { authorization: `Bearer ${t.agentToken}` } });
    };
    await send({ kind: 'approval', agentId: 'ops-bot', title: 'Deploy build 7', severity: 'high', action: { name: 'deploy', args: { env: 'prod' } } });
    await send(bashRequest('./wipe.sh'));

    await ui.queue().getByRole('tab', { name: /Feed/ }).click();
    await ui.expectRow('Deploy build 7');
    await ui.expectText(ui.row('Deploy build 7'), /Allowed by the judge \(0\.99\)[\s\S]*A routine deploy\./);
    await ui.expectText(ui.row('./wipe.sh'), /Denied by reviewer shell-check[\s\S]*checked by the script/);

    await ui.showSection('Stats');
    await ui.expectText(ui.chart('Reviewers'), /Judge\s*1\s*0\s*0\s*0/);
    await ui.expectText(ui.chart('Reviewers'), /shell-check\s*0\s*1\s*0\s*0/);
    expect(await ui.allProblems()).toEqual([]);
  });
});
