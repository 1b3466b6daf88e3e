/**
 * The pairing link a hub hands out (`https://NAME/#pair=K7QX-M2PD`, shown as a QR code in
 * another approver's settings): the code rides in the fragment, which the browser never
 * sends to any server, and the page removes it once used so a reload never sends it again.
 */

/** The hub's codes: eight letters and digits from an alphabet without look-alikes, shown as `ABCD-EFGH`. */
const CODE = /^[A-HJKMNP-Z2-9]{4}-?[A-HJKMNP-Z2-9]{4}$/;

/** The pairing code in a location's fragment (`#pair=k7qx-m2pd` → `K7QX-M2PD`), or null when there is none or it is not a code. */
export function pairCodeFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const raw = params.get('pair')?.trim().toUpperCase();
  if (!raw || !CODE.test(raw)) return null;
  return raw.includes('-') ? raw : `${raw.slice(0, 4)}-${raw.slice(4)}`;
}

/** The same address without the fragment's `pair=` (other fragment parameters kept), for `history.replaceState`. */
export function withoutPairCode(href: string): string {
  const url = new URL(href);
  const params = new URLSearchParams(url.hash.replace(/^#/, ''));
  params.delete('pair');
  const rest = params.toString();
  url.hash = rest ? `#${rest}` : '';
  return url.href.replace(/#$/, '');
}

/**
 * Whether this page may keep a paired device in the browser's storage: only at an https
 * origin that is not loopback (the hub's public URL behind a TLS proxy). Loopback http
 * belongs to whoever binds the port next, so there a device lives in memory only.
 */
export function keepsDevice(location: { protocol: string; hostname: string }): boolean {
  if (location.protocol !== 'https:') return false;
  const host = location.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return !(host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host));
}
