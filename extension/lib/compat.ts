/**
 * The two places where the Chrome (Manifest V3) and Firefox (Manifest V2) builds
 * differ at run time, in one spot so the background never checks the browser itself:
 *
 * - the toolbar button is `action` in MV3 and `browserAction` in MV2 (Firefox's MV2
 *   has no `action` at all, so every badge update failed there);
 * - Firefox's `notifications.create` refuses options its schema does not list, and
 *   `requireInteraction` is one of them (`contextMessage` and `priority` are listed).
 */

/** What the background uses of the toolbar button; the same shape under both names. */
export interface ToolbarButton {
  setBadgeText(details: { text: string }): Promise<void>;
  setBadgeBackgroundColor(details: { color: string }): Promise<void>;
  setTitle(details: { title: string }): Promise<void>;
  openPopup(): Promise<void>;
}

/** The extension API as far as the compatibility choices need it. */
export interface ExtensionApi {
  action?: unknown;
  browserAction?: unknown;
}

export interface BrowserCompat {
  /** The toolbar button: `action` where the manifest declares one (MV3), else `browserAction` (MV2). */
  toolbar: ToolbarButton;
  /** `options` as this browser's `notifications.create` accepts them. */
  notificationOptions<T extends { requireInteraction?: boolean }>(options: T): T | Omit<T, 'requireInteraction'>;
}

/**
 * Chooses per browser once. `firefox` is the build target (`import.meta.env.FIREFOX`):
 * what Firefox refuses in a notification cannot be detected before it is refused.
 */
export function browserCompat(api: ExtensionApi, target: { firefox: boolean }): BrowserCompat {
  const toolbar = (api.action ?? api.browserAction) as ToolbarButton | undefined;
  if (!toolbar) throw new Error('This browser exposes neither `action` nor `browserAction`: the toolbar button cannot be updated.');
  return {
    toolbar,
    notificationOptions(options) {
      if (!target.firefox) return options;
      const { requireInteraction: _dropped, ...accepted } = options;
      return accepted;
    },
  };
}
