import { render } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import type { SignoffRequest } from '../protocol/index.js';
import { ApproverApp, type ApproverAppProps } from './approver-app.js';
import { APPROVER_CSS } from './approver-css.js';
import { sampleRequest } from '../samples/requests.js';

const noop = () => {};
const props = (overrides: Partial<ApproverAppProps> = {}): ApproverAppProps => ({
  pending: [],
  history: [],
  feed: [],
  connection: 'connected',
  queued: new Set(),
  notices: [],
  onDismissNotice: noop,
  now: 10 * 60_000,
  loadDraft: () => Promise.resolve(undefined),
  saveDraft: noop,
  respond: () => Promise.resolve({ ok: true }),
  ...overrides,
});
const html = (overrides: Partial<ApproverAppProps> = {}) => render(<ApproverApp {...props(overrides)} />);
const rows = (out: string) => [...out.matchAll(/<button type="button" class="so-row/g)].length;
const titles = (out: string) => [...out.matchAll(/<span class="so-row-title">(.*?)<\/span>/g)].map(([, t]) => t);

describe('ApproverApp: the queue', () => {
  it('lists pending requests most severe first, then oldest', () => {
    const out = html({
      pending: [
        sampleRequest('approval', { id: 'a', title: 'low old', severity: 'low', createdAt: 0 }),
        sampleRequest('edit', { id: 'b', title: 'critical new', severity: 'critical', createdAt: 50 }),
        sampleRequest('checkpoint', { id: 'c', title: 'critical old', severity: 'critical', createdAt: 10 }),
        sampleRequest('external', { id: 'd', title: 'high', severity: 'high', createdAt: 5 }),
      ],
    });
    expect(titles(out)).toEqual(['critical old', 'critical new', 'high', 'low old']);
  });

  it('shows kind, agent, age, countdown and severity on each row', () => {
    const out = html({ pending: [sampleRequest('approval', { createdAt: 60_000, expiresAt: 10 * 60_000 + 4 * 60_000 + 5_000 })] });
    expect(out).toContain('<span class="so-sev so-sev-critical">Critical</span>');
    expect(out).toContain('<span>Approval</span><span>cleanup-agent</span><span>9m old</span>');
    expect(out).toContain('expires in 04:05');
  });

  it('renders one page of 10,000 pending requests, with Show more', () => {
    const pending = Array.from({ length: 10_000 }, (_, i) => sampleRequest('approval', { id: `r${i}`, title: `Request ${i}`, createdAt: i }));
    const out = html({ pending });
    expect(rows(out)).toBe(50);
    expect(out).toContain('Show more (50 of 9950 hidden)');
    expect(out).toContain('10000 waiting');
  });

  it('counts every pending request when the host has painted only the first page', () => {
    const firstPage = Array.from({ length: 50 }, (_, i) => sampleRequest('approval', { id: `r${i}`, createdAt: i }));
    expect(html({ pending: firstPage, pendingTotal: 10_000 })).toContain('10000 waiting');
    // A stale total never hides requests that are there.
    expect(html({ pending: firstPage, pendingTotal: 3 })).toContain('50 waiting');
  });

  it('honours a smaller page size', () => {
    const pending = Array.from({ length: 30 }, (_, i) => sampleRequest('approval', { id: `r${i}`, createdAt: i }));
    expect(rows(html({ pending, pageSize: 10 }))).toBe(10);
  });

  it('marks the first row selected, for j/k and Enter', () => {
    const out = html({ pending: [sampleRequest('approval', { id: 'x' }), sampleRequest('edit', { id: 'y' })] });
    expect([...out.matchAll(/data-selected="true"/g)]).toHaveLength(1);
  });

  it('flags requests whose answer is queued offline', () => {
    const out = html({ pending: [sampleRequest('approval', { id: 'q' })], queued: new Set(['q']) });
    expect(out).toContain('<span class="so-pill">Queued</span>');
  });

  it('escapes an agent title containing HTML', () => {
    const out = html({ pending: [sampleRequest('approval', { title: '<img src=x onerror=alert(1)><b>bold</b>' })] });
    expect(out).toContain('&lt;img src=x onerror=alert(1)>&lt;b>bold&lt;/b>');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('<b>');
  });

  it('says so when nothing is waiting', () => {
    expect(html()).toContain('Nothing is waiting for you.');
  });

  it('has tabs for Pending, Feed and History with the pending count', () => {
    const out = html({ pending: [sampleRequest('approval')] });
    const tabs = [...out.matchAll(/<button[^>]*role="tab"[^>]*aria-selected="(true|false)"[^>]*>(.*?)<\/button>/g)].map(
      ([, selected, inner = '']) => `${inner.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()}${selected === 'true' ? ' *' : ''}`,
    );
    expect(tabs).toEqual(['Pending 1 *', 'Feed', 'History']);
  });
});

describe('ApproverApp: connection and notices', () => {
  it.each([
    ['offline', 'Hub not reachable — decisions are queued and sent when it is back'],
    ['unpaired', 'Not paired — open settings'],
    ['rejected', 'Token rejected — pair again'],
    ['connecting', 'Connecting to the hub…'],
  ] as const)('explains %s in plain words', (connection, text) => {
    expect(html({ connection })).toContain(text);
  });

  it('says offline decisions cannot be sent, not that they are queued, for a host without an outbox', () => {
    const out = html({ connection: 'offline', queuesOffline: false });
    expect(out).toContain('Hub unreachable — retrying; decisions cannot be sent until it is back');
    expect(out).not.toContain('queued');
    expect(html({ connection: 'connecting', queuesOffline: false })).toContain('Connecting to the hub…');
  });

  it('shows no banner when connected', () => {
    expect(html()).not.toContain('so-banner');
  });

  it('offers pairing when that is the fix and the host can open settings', () => {
    expect(html({ connection: 'unpaired', onOpenSettings: noop })).toContain('>Pair</button>');
    expect(html({ connection: 'rejected', onOpenSettings: noop })).toContain('>Pair</button>');
    expect(html({ connection: 'unpaired' })).not.toContain('>Pair</button>');
    expect(html({ connection: 'offline', onOpenSettings: noop })).not.toContain('>Pair</button>');
  });

  it('shows the host notices, each with a Dismiss button described by its text', () => {
    const out = html({ notices: [{ id: 'n1', text: 'Approve deploy: answer queued' }] });
    expect(out).toMatch(/<span id="([^"]+)">Approve deploy: answer queued<\/span><button[^>]*aria-label="Dismiss" aria-describedby="\1"/);
  });
});

describe('ApproverApp: detail at start', () => {
  it('opens the request named by initialRequestId', () => {
    const out = html({ pending: [sampleRequest('approval', { id: 'open-me' }), sampleRequest('edit')], initialRequestId: 'open-me' });
    expect(out).toContain('>Approve</button>');
    expect(out).toContain('>Reject</button>');
    expect(out).not.toContain('role="tablist"');
  });

  it('shows the list while the named request has not arrived', () => {
    const out = html({ pending: [sampleRequest('edit')], initialRequestId: 'not-yet' });
    expect(out).toContain('role="tablist"');
  });

  it('opens a history entry read-only', () => {
    const past: SignoffRequest = sampleRequest('approval', {
      id: 'done',
      status: 'resolved',
      decision: { requestId: 'done', status: 'resolved', response: { approved: true }, respondedBy: 'Ada', via: 'rest', respondedAt: 0, waitMs: 1000 },
    });
    const out = html({ history: [past], initialRequestId: 'done' });
    expect(out).toContain('by Ada via rest');
    expect(out).not.toContain('>Approve</button>');
  });
});

describe('APPROVER_CSS', () => {
  it('is scoped, has a dark mode, a visible focus and no external resources', () => {
    expect(APPROVER_CSS).toContain('@media (prefers-color-scheme: dark)');
    expect(APPROVER_CSS).toContain(':focus-visible');
    expect(APPROVER_CSS).not.toMatch(/url\(|@import|@font-face/);
    // Every rule outside at-rules targets the app's own classes.
    const selectors = APPROVER_CSS.replace(/@media[^{]*\{/g, '')
      .split('}')
      .map((block) => block.split('{')[0]!.trim())
      .filter((selector) => selector !== '' && !selector.startsWith('/*'));
    for (const selector of selectors) {
      for (const part of selector.replace(/\/\*.*?\*\//gs, '').split(',')) expect(part.trim()).toMatch(/^\.so-/);
    }
  });
});
