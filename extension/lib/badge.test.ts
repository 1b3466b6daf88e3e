import { describe, expect, it } from 'vitest';
import { impostorMessage } from '@signoff/shared/approver';
import { BADGE_COLORS, badgeFor } from './badge.js';

const on = (state: Parameters<typeof badgeFor>[2]['state'], detail = '') => ({ state, detail });

describe('badge', () => {
  it('shows the pending count in the colour of the most urgent severity', () => {
    expect(badgeFor(3, 'critical', on('connected'))).toEqual({ text: '3', color: BADGE_COLORS.critical, title: 'Signoff: 3 pending' });
    expect(badgeFor(0, null, on('connected'))).toMatchObject({ text: '' });
    expect(badgeFor(1200, 'low', on('connected')).text).toBe('999+');
  });

  it('says when the hub is unreachable, and asks to pair when unpaired or rejected', () => {
    expect(badgeFor(2, 'high', on('offline')).title).toBe('Signoff: 2 pending (hub not reachable)');
    expect(badgeFor(2, 'high', on('unpaired'))).toMatchObject({ text: '!', title: expect.stringContaining('not paired') });
    expect(badgeFor(0, null, on('rejected')).text).toBe('!');
  });

  it('warns in red with the impostor sentence when something else answers on the hub’s port', () => {
    const sentence = impostorMessage('http://127.0.0.1:7475');
    expect(badgeFor(4, 'low', on('impostor', sentence))).toEqual({ text: '!', color: BADGE_COLORS.critical, title: `Signoff: ${sentence}` });
    expect(sentence).toContain('Something else is answering on 127.0.0.1:7475 — not your Signoff hub');
  });
});
