/**
 * A name for this device as the hub will list it ("Pixel 8 · Chrome", "iPhone · Safari"),
 * read from the browser's user agent: the person sees it in `signoff devices` and in every
 * approver's device list, and revokes a lost phone by it. Only a prefill: the pairing
 * screen lets the person change it, so a wrong guess costs nothing.
 */
export function deviceName(userAgent: string): string {
  const browser = browserName(userAgent);
  const device = deviceKind(userAgent);
  if (!device && !browser) return 'Browser window';
  return [device ?? 'Browser', browser].filter(Boolean).join(' · ');
}

/** The most specific browser first: Edge, Opera and Samsung Internet also say "Chrome", Chrome also says "Safari". */
const BROWSERS: readonly (readonly [RegExp, string])[] = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\b(?:OPR|OPT|Opera)\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(?:Firefox|FxiOS)\//, 'Firefox'],
  [/\b(?:Chrome|CriOS|Chromium)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
];

function browserName(ua: string): string | null {
  return BROWSERS.find(([pattern]) => pattern.test(ua))?.[1] ?? null;
}

function deviceKind(ua: string): string | null {
  if (/\biPhone\b/.test(ua)) return 'iPhone';
  if (/\biPad\b/.test(ua)) return 'iPad';
  const android = /\bAndroid\b[^;)]*(?:;\s*([^;)]*))?/.exec(ua);
  if (android) {
    // "Android 14; Pixel 8 Build/AP1A…": the model, without the build; reduced user agents say "K".
    const model = (android[1] ?? '').replace(/\s*Build\/.*$/, '').trim();
    return model && model !== 'K' && !/^(?:Mobile|Tablet|rv:|[a-z]{2}[-_][a-z]{2}$)/i.test(model) ? model.slice(0, 40) : 'Android';
  }
  if (/\bCrOS\b/.test(ua)) return 'Chromebook';
  if (/\bMacintosh\b/.test(ua)) return 'Mac';
  if (/\bWindows\b/.test(ua)) return 'Windows';
  if (/\bLinux\b/.test(ua)) return 'Linux';
  return null;
}
