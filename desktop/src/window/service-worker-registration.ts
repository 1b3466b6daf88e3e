/**
 * Registers `/sw.js` (the offline shell, and the slot for Web Push) for a browser page in a
 * secure context — never inside the tray, whose window always has its hub. A failed
 * registration changes nothing: the page works without it.
 */
export function registerServiceWorker(scope: Window): void {
  if (!scope.isSecureContext || !('serviceWorker' in scope.navigator)) return;
  scope.navigator.serviceWorker.register('/sw.js', { scope: '/', type: 'classic' }).catch(() => undefined);
}
