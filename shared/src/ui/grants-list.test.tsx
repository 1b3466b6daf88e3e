import { parseHTML } from 'linkedom';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Grant } from '../protocol/index.js';
import { GrantsList, grantExpiryText, grantMatchText, grantScopeText, grantUsesText, type GrantsListProps } from './grants-list.js';

const globals = globalThis as { document?: unknown; window?: unknown };
afterEach(() => {
  delete globals.document;
  delete globals.window;
});

const NOW = new Date(2026, 0, 15, 10, 0).getTime();
const grant = (fields: Partial<Grant> = {}): Grant => ({
  id: 'g1',
  createdBy: 'Ada',
  requestId: 'req-7',
  agentId: 'coder',
  scope: 'run',
  runId: 'run-1',
  match: { type: 'command', action: 'shell', pattern: 'npm run test:*', exact: false },
  createdAt: NOW - 120_000,
  expiresAt: new Date(2026, 0, 15, 17, 0).getTime(),
  uses: 3,
  lastUsedAt: NOW - 60_000,
  ...fields,
});

function mount(props: Partial<GrantsListProps>) {
  const { document, window } = parseHTML('<!doctype html><html><body><div id="root"></div></body></html>');
  globals.document = document;
  globals.window = window;
  const root = document.getElementById('root') as unknown as HTMLElement;
  const all: GrantsListProps = { grants: [], now: NOW, onRevoke: () => Promise.resolve({ ok: true }), ...props };
  void act(() => render(<GrantsList {...all} />, root));
  const click = (element: Element | null | undefined) => {
    if (!element) throw new Error('nothing to click');
    void act(() => {
      element.dispatchEvent(new window.Event('click', { bubbles: true }) as unknown as Event);
    });
  };
  const settle = () => act(async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  });
  return { root, click, settle };
}

describe('grant texts', () => {
  it('says what a grant lets through', () => {
    expect(grantMatchText(grant())).toBe('shell: npm run test:*');
    expect(grantMatchText(grant({ match: { type: 'command', action: 'shell', pattern: 'npm test', exact: true } }))).toBe('shell: exactly npm test');
    expect(grantMatchText(grant({ match: { type: 'exact', action: 'files.write', args: { path: 'a.txt' } } }))).toBe('files.write with exactly {"path":"a.txt"}');
    expect(grantMatchText(grant({ match: { type: 'exact', action: 'deploy', args: null } }))).toBe('deploy, without arguments');
    expect(grantMatchText(grant({ match: { type: 'exact', action: 'x', args: { big: 'y'.repeat(500) } } }))).toMatch(/^x with exactly \{"big":"y+…$/);
  });

  it('says whom it covers', () => {
    expect(grantScopeText(grant())).toBe('coder, run run-1 only');
    expect(grantScopeText(grant({ scope: 'agent', runId: null }))).toBe('coder, every run');
  });

  it('says until when, in local time', () => {
    expect(grantExpiryText(null, NOW)).toBe('until revoked');
    expect(grantExpiryText(new Date(2026, 0, 15, 17, 0).getTime(), NOW)).toBe('until 17:00');
    expect(grantExpiryText(new Date(2026, 0, 16).getTime(), NOW)).toBe('until the end of today');
    expect(grantExpiryText(new Date(2026, 0, 16, 9, 5).getTime(), NOW)).toBe('until 2026-01-16 09:05');
    expect(grantExpiryText(NOW - 1, NOW)).toBe('expired');
  });

  it('says how often it was used', () => {
    expect(grantUsesText(grant({ uses: 0, lastUsedAt: null }), NOW)).toBe('not used yet');
    expect(grantUsesText(grant({ uses: 1, lastUsedAt: null }), NOW)).toBe('used once');
    expect(grantUsesText(grant(), NOW)).toBe('used 3 times, last 1m ago');
  });
});

describe('GrantsList', () => {
  it('lists each grant with who, which request, scope, expiry and uses', () => {
    const { root } = mount({ grants: [grant(), grant({ id: 'g2', scope: 'agent', runId: null, expiresAt: null, createdBy: 'Bo' })] });
    const items = Array.from(root.querySelectorAll('.so-grant')).map((li) => li.textContent);
    expect(items[0]).toContain('shell: npm run test:*');
    expect(items[0]).toContain('coder, run run-1 only');
    expect(items[0]).toContain('until 17:00');
    expect(items[0]).toContain('used 3 times');
    expect(items[0]).toContain('by Ada');
    expect(items[0]).toContain('from request req-7');
    expect(items[1]).toContain('until revoked');
    expect(items[1]).toContain('by Bo');
  });

  it('revokes with one click, and says why when the hub refused', async () => {
    const onRevoke = vi.fn(() => Promise.resolve({ ok: false as const, message: 'the hub is not reachable' }));
    const m = mount({ grants: [grant()], onRevoke });
    m.click(m.root.querySelector('.so-grant button'));
    await m.settle();
    expect(onRevoke).toHaveBeenCalledWith('g1');
    expect(m.root.querySelector('[role="alert"]')?.textContent).toBe('Not revoked: the hub is not reachable');
  });

  it('says when nothing is allowed, while it loads, and why it cannot list', () => {
    expect(mount({ grants: [] }).root.querySelector('.so-empty')?.textContent).toContain('Nothing is allowed without asking');
    expect(mount({ grants: null }).root.textContent).toContain('Loading…');
    const failed = mount({ grants: null, error: 'Not connected to the hub.' });
    expect(failed.root.textContent).toContain('Not connected to the hub.');
    expect(failed.root.textContent).not.toContain('Loading…');
  });

  it('keeps agent-made text as text, hidden characters marked', () => {
    const { root } = mount({ grants: [grant({ match: { type: 'command', action: 'shell', pattern: 'echo <b>hi</b>\u202e*', exact: false } })] });
    expect(root.querySelector('b')).toBeNull();
    expect(root.querySelector('.so-grant-what')?.textContent).not.toContain('\u202e');
  });
});
