import { render } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { FeedRow, HistoryRow, PendingRow } from './request-rows.js';
import { sampleRequest } from '../samples/requests.js';
import { NoticeList } from './status-banners.js';
import { describeHiddenCharacter, markHiddenCharacters, requestHasHiddenCharacters, visibleText } from './visible-text.js';

const html = (text: string) => render(<p>{visibleText(text)}</p>);

describe('visibleText', () => {
  it('returns ordinary text unchanged, the same string', () => {
    const text = 'Delete 5,000 accounts 🚀';
    expect(visibleText(text)).toBe(text);
    expect(html(text)).toBe(`<p>${text}</p>`);
  });

  it('renders each hidden character as a marker element with a tooltip, never the character', () => {
    expect(html('invoice\u202Efdp.exe')).toBe(
      '<p>invoice<span class="so-hidden-char" title="Hidden character: right-to-left override">⟨U+202E⟩</span>fdp.exe</p>',
    );
    expect(html('\u200B\u200B')).toBe(
      '<p><span class="so-hidden-char" title="Hidden character: zero-width space">⟨U+200B⟩</span><span class="so-hidden-char" title="Hidden character: zero-width space">⟨U+200B⟩</span></p>',
    );
  });

  it('keeps hostile markup as text around the markers', () => {
    expect(html('<img src=x onerror=alert(1)>\u202E')).toContain('&lt;img src=x onerror=alert(1)>');
  });

  it('has a string form for options and attributes', () => {
    expect(markHiddenCharacters('EU\u2066')).toBe('EU⟨U+2066⟩');
  });

  it('names what a marker stands for', () => {
    expect(describeHiddenCharacter(0x2067)).toBe('right-to-left isolate');
    expect(describeHiddenCharacter(0xe0041)).toBe('tag character (can hide text)');
    expect(describeHiddenCharacter(0xfe01)).toBe('variation selector (can hide text)');
    expect(describeHiddenCharacter(0x07)).toBe('control character');
    expect(describeHiddenCharacter(0x2062)).toBe('invisible formatting character');
  });
});

describe('requestHasHiddenCharacters', () => {
  it('finds hidden characters in any agent string or key, at any depth', () => {
    expect(requestHasHiddenCharacters(sampleRequest('approval'))).toBe(false);
    expect(requestHasHiddenCharacters(sampleRequest('approval', { agentId: 'bot\u200E' }))).toBe(true);
    expect(requestHasHiddenCharacters(sampleRequest('approval', { context: { a: [{ ['k\u2060']: 1 }] } }))).toBe(true);
    expect(requestHasHiddenCharacters(sampleRequest('edit', { draft: { format: 'text', content: 'x\u{E0041}' } }))).toBe(true);
  });

  it('ignores the decision: the approver\'s words are not the agent\'s', () => {
    const request = sampleRequest('approval', {
      status: 'resolved',
      decision: { requestId: 'x', status: 'resolved', response: { approved: false, reason: 'no\u200B' }, respondedBy: 'Ada', via: 'socket', respondedAt: 1, waitMs: 1 },
    });
    expect(requestHasHiddenCharacters(request)).toBe(false);
  });
});

describe('every list shows markers too', () => {
  it('queue, feed and history rows, and notices quoting a title', () => {
    const request = sampleRequest('approval', { title: 'Pay invoice\u202Efdp.exe', agentId: 'bot\u200B' });
    for (const out of [
      render(<PendingRow request={request} now={0} queued={false} />),
      render(<FeedRow request={request} now={0} />),
      render(<HistoryRow request={request} now={0} />),
    ]) {
      expect(out).toContain('invoice<span class="so-hidden-char"');
      expect(out).toContain('bot<span class="so-hidden-char"');
      expect(out).not.toMatch(/[\u202E\u200B]/);
    }
    const notices = render(<NoticeList notices={[{ id: '1', text: '“Pay invoice\u202Efdp.exe” was decided elsewhere' }]} onDismiss={() => {}} />);
    expect(notices).toContain('⟨U+202E⟩');
  });
});
