import { describe, expect, it } from 'vitest';
import { BADGE_COLORS, badgeFor } from './badge.js';

describe('badge', () => {
  it('shows the pending count in the colour of the most urgent severity', () => {
    expect(badgeFor(3, 'critical', 'connected')).toEqual({ text: '3', color: BADGE_COLORS.critical, title: 'Signoff: 3 pending' });
    expect(badgeFor(0, null, 'connected')).toMatchObject({ text: '' });
    expect(badgeFor(1200, 'low', 'connected').text).toBe('999+');
  });

  it('says when the hub is unreachable, and asks to pair when unpaired or rejected', () => {
    expect(badgeFor(2, 'high', 'offline').title).toBe('Signoff: 2 pending (hub not reachable)');
    expect(badgeFor(2, 'high', 'unpaired')).toMatchObject({ text: '!', title: expect.stringContaining('not paired') });
    expect(badgeFor(0, null, 'rejected').text).toBe('!');
  });
});
