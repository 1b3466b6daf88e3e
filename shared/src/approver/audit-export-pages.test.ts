import { describe, expect, it } from 'vitest';
import { CSV_HEADER, exportText, type AuditPage, type AuditPageQuery, type ExportedDecision } from '../protocol/index.js';
import { exportFromPages, type ExportProgress } from './audit-export-pages.js';

const record = (n: number): ExportedDecision => ({
  request: { id: `r${n}`, kind: 'notify', title: `=title ${n}, "quoted"`, agentId: null, machine: null, runId: null, severity: 'low', createdAt: n },
  decision: { requestId: `r${n}`, status: 'resolved', response: null, respondedBy: 'hub', via: 'hub', respondedAt: n, waitMs: 0 },
});
const ALL = [1, 2, 3, 4, 5].map(record);

/** A hub's audit:page over ALL, two decisions a page, recording what it was asked. */
function pagedHub(asked: AuditPageQuery[]) {
  return (query: AuditPageQuery): Promise<AuditPage> => {
    asked.push(query);
    const from = query.after ?? 0;
    const entries = ALL.slice(from, from + 2);
    return Promise.resolve({ entries, next: from + 2 < ALL.length ? from + 2 : null });
  };
}

describe('exportFromPages', () => {
  it('joins the pages into exactly the text exportText writes, keeping the range, with progress after each page', async () => {
    const asked: AuditPageQuery[] = [];
    const progress: ExportProgress[] = [];
    const csv = await exportFromPages(pagedHub(asked), { since: 1, until: 9 }, 'csv', (p) => progress.push(p));
    expect(csv.join('')).toBe([...exportText(ALL, 'csv')].join(''));
    expect(csv[0]).toBe(CSV_HEADER);
    expect(asked.map((q) => [q.since, q.until, q.after])).toEqual([
      [1, 9, undefined],
      [1, 9, 2],
      [1, 9, 4],
    ]);
    expect(progress).toEqual([
      { decisions: 2, pages: 1 },
      { decisions: 4, pages: 2 },
      { decisions: 5, pages: 3 },
    ]);
    expect((await exportFromPages(pagedHub([]), {}, 'jsonl')).join('')).toBe([...exportText(ALL, 'jsonl')].join(''));
  });

  it('rejects with the failing page’s error, and when the hub sends a page that does not move on', async () => {
    let calls = 0;
    const failing = () => (++calls === 2 ? Promise.reject(new Error('The hub is not reachable.')) : Promise.resolve({ entries: [record(1)], next: 1 }));
    await expect(exportFromPages(failing, {}, 'jsonl')).rejects.toThrow('The hub is not reachable.');
    const stuck = () => Promise.resolve({ entries: [record(1)], next: 1 });
    await expect(exportFromPages(stuck, {}, 'jsonl')).rejects.toThrow(/same page/);
  });
});
