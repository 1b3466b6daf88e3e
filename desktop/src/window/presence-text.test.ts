import { describe, expect, it } from 'vitest';
import { describeOthers } from './presence-text.js';

describe('describeOthers', () => {
  it('names the other connected approvers, leaving this one out', () => {
    expect(describeOthers({ extension: 1, tray: 0, window: 1, other: 0 }, 'window')).toBe('1 browser extension');
    expect(describeOthers({ extension: 2, tray: 1, window: 3, other: 1 }, 'window')).toBe('2 browser extensions, 1 tray app, 2 browser windows, 1 other approver');
    expect(describeOthers({ window: 1 }, 'window')).toBe('none');
    expect(describeOthers({ robot: 2 }, 'tray')).toBe('2 other approvers');
  });
});
