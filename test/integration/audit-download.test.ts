import { AUDIT_PAGE_MAX_ENTRIES, type AuditPage, type Result, type SignoffRequest } from '@signoff/shared';
import { ApproverConnection, exportFromPages, keyCredential, type ExportProgress } from '@signoff/shared/approver';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startTestHub, type TestHub } from '../support/hub.js';

/** Text an agent may put in a title or a reason to make a spreadsheet or a reader go wrong. */
const HOSTILE = [
  `=cmd|' /C calc'!A0`,
  '+SUM(1,2)',
  '-2+3',
  '@import "x"',
  '\t=tab first',
  'two\nlines, "quoted"',
  'carriage\r\nreturn',
  'bidi \u202Eexe.txt\u202C and \u2066isolate\u2069',
  'zero\u200Bwidth and emoji 👍',
  '"only quotes"',
];

/**
 * The window's Download: an approver connection reads the export in `audit:page` pages and
 * builds the file with the shared formatter; it must be the same bytes as `signoff export`
 * for the same range, whatever the agents wrote.
 */
describe('the decision export over the approver socket (audit:page)', () => {
  let t: TestHub;
  let token: string;
  let connection: ApproverConnection;
  const decidedAt: number[] = [];

  beforeAll(async () => {
    t = await startTestHub({ limits: { createBurstPerAgentId: 1000, createBurstPerToken: 1000 } });
    token = await t.pairApprover('script');
    const headers = (bearer: string) => ({ authorization: `Bearer ${bearer}`, 'content-type': 'application/json' });
    const post = async (path: string, bearer: string, body: unknown) => {
      const res = await fetch(`${t.url}/api/v1${path}`, { method: 'POST', headers: headers(bearer), body: JSON.stringify(body) });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
      return (await res.json()) as SignoffRequest;
    };
    // 300 notices (settled at once) and 30 approvals a person answers, hostile text throughout.
    for (let i = 0; i < 300; i++) {
      const created = await post('/requests', t.agentToken, { kind: 'notify', title: `${HOSTILE[i % HOSTILE.length]} #${i}`, agentId: HOSTILE[(i + 3) % HOSTILE.length]!.slice(0, 20), runId: `run-${i % 7}` });
      decidedAt.push(created.createdAt);
    }
    for (let i = 0; i < 30; i++) {
      const asked = await post('/requests', t.agentToken, { kind: 'approval', title: `Approve ${HOSTILE[i % HOSTILE.length]}`, action: { name: 'Bash', args: { command: HOSTILE[(i + 1) % HOSTILE.length] } } });
      const answer = i % 2 === 0 ? { approved: true } : { approved: false, reason: HOSTILE[(i + 5) % HOSTILE.length] };
      await post(`/requests/${asked.id}/respond`, token, answer);
    }
    connection = new ApproverConnection({ url: t.url, credential: keyCredential(await t.pairDevice('Browser window')), surface: 'window', ackTimeoutMs: 5000 }, {});
    connection.start();
    await connection.whenConnected(5000);
  });
  afterAll(async () => {
    connection?.close();
    await t?.dispose();
  });

  const cliExport = async (args: string[]) => {
    const run = await runCli(['export', ...args, '--data-dir', t.dataDir]).done;
    expect(run.code, run.stderr).toBe(0);
    return run.stdout;
  };

  it('the pages join into exactly what signoff export writes, as JSON lines and as CSV', async () => {
    const progress: ExportProgress[] = [];
    const jsonl = (await exportFromPages((q) => connection.auditPage(q), {}, 'jsonl', (p) => progress.push(p))).join('');
    expect(jsonl.split('\n')).toHaveLength(331);
    expect(jsonl).toBe(await cliExport([]));
    // 330 decisions in pages of at most AUDIT_PAGE_MAX_ENTRIES, progress after each.
    expect(progress).toEqual([{ decisions: 330, pages: 1 }]);

    const csv = (await exportFromPages((q) => connection.auditPage(q), {}, 'csv')).join('');
    expect(csv).toBe(await cliExport(['--format', 'csv']));
    expect(csv).toContain(`,'=cmd|' /C calc'!A0 #0,`);
    expect(csv).toContain(`'+SUM(1,2)`);
  });

  it('keeps a since/until range across pages, as the CLI reads it', async () => {
    const since = decidedAt[40]!;
    const until = decidedAt[250]!;
    const pages: number[] = [];
    const read = (q: Parameters<typeof connection.auditPage>[0]) =>
      connection.auditPage({ ...q, limit: 64 }).then((page) => {
        pages.push(page.entries.length);
        return page;
      });
    const csv = (await exportFromPages(read, { since, until }, 'csv')).join('');
    expect(csv).toBe(await cliExport(['--format', 'csv', '--since', String(since), '--until', String(until)]));
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.slice(0, -1).every((n) => n === 64)).toBe(true);
  });

  it('bounds a page: at most AUDIT_PAGE_MAX_ENTRIES decisions, and says where the next one starts', async () => {
    const first = await connection.auditPage({ limit: 100 });
    expect(first.entries).toHaveLength(100);
    expect(first.next).not.toBeNull();
    const second = await connection.auditPage({ limit: 100, after: first.next! });
    expect(second.entries[0]!.request.id).not.toBe(first.entries[99]!.request.id);
    await expect(connection.auditPage({ limit: AUDIT_PAGE_MAX_ENTRIES + 1 })).rejects.toThrow(/^limit: /);
    await expect(connection.auditPage({ limit: 0 })).rejects.toThrow(/^limit: /);
    await expect(connection.auditPage({ since: 'yesterday' } as never)).rejects.toThrow(/^since: /);
    await expect(connection.auditPage({ after: -1 })).rejects.toThrow(/^after: /);
    await expect(connection.auditPage({ limit: 10, extra: 1 } as never)).rejects.toThrow(/extra/);
  });

  it('is not served to agents: their token opens no approver connection, and GET /audit refuses them', async () => {
    const agentSocket = io(`${t.url}/approver`, { auth: { token: t.agentToken }, reconnection: false, transports: ['websocket'] });
    try {
      const refused = await new Promise<string>((resolve) => {
        agentSocket.on('connect_error', (error) => resolve(error.message));
        agentSocket.on('connect', () => {
          void (agentSocket.timeout(2000).emitWithAck('audit:page', {}) as Promise<Result<AuditPage>>).then((r) => resolve(`served: ${JSON.stringify(r)}`));
        });
      });
      expect(refused).not.toMatch(/^served/);
    } finally {
      agentSocket.close();
    }
    const res = await fetch(`${t.url}/api/v1/audit`, { headers: { authorization: `Bearer ${t.agentToken}` } });
    expect(res.status).toBe(403);
  });
});
