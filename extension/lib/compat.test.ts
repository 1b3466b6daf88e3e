import { describe, expect, it } from 'vitest';
import { browserCompat, type ToolbarButton } from './compat.js';

const button = (): ToolbarButton => ({
  setBadgeText: async () => {},
  setBadgeBackgroundColor: async () => {},
  setTitle: async () => {},
  openPopup: async () => {},
});

const options = { type: 'basic' as const, iconUrl: 'x.png', title: 't', message: 'm', contextMessage: 'c', priority: 2, requireInteraction: true };

describe('browser compatibility', () => {
  it('uses `action` in Manifest V3 and `browserAction` in Firefox’s Manifest V2', () => {
    const action = button();
    const browserAction = button();
    expect(browserCompat({ action }, { firefox: false }).toolbar).toBe(action);
    expect(browserCompat({ browserAction }, { firefox: true }).toolbar).toBe(browserAction);
    expect(browserCompat({ action, browserAction }, { firefox: false }).toolbar).toBe(action);
  });

  it('says plainly when there is no toolbar button API at all', () => {
    expect(() => browserCompat({}, { firefox: false })).toThrow(/neither `action` nor `browserAction`/);
  });

  it('drops only `requireInteraction` from notifications for Firefox, and keeps Chrome’s as they are', () => {
    expect(browserCompat({ browserAction: button() }, { firefox: true }).notificationOptions(options)).toEqual({
      type: 'basic',
      iconUrl: 'x.png',
      title: 't',
      message: 'm',
      contextMessage: 'c',
      priority: 2,
    });
    expect(browserCompat({ action: button() }, { firefox: false }).notificationOptions(options)).toEqual(options);
  });
});
