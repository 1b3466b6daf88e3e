import { ErrorCode, SignoffError } from '@signoff/shared/protocol/errors';

/**
 * The address at which the person reaches this hub from other machines: a
 * TLS-terminating reverse proxy they run (Tailscale Serve, Caddy, an SSH tunnel)
 * forwards it to the hub, which stays bound to 127.0.0.1. Requests that arrive under
 * this URL's host are the *public route* (origin-guard.ts), where the local agent
 * token is refused and pairing is rate-limited across all sources.
 */
export interface PublicUrl {
  /** `https://name[:port]`, what a browser sends as `Origin` from a page served there. */
  origin: string;
  /** As in a Host header, lower-cased: `name[:port]`, the port left out when it is the scheme's default. */
  host: string;
  /** The name alone, lower-cased (`[…]` kept for IPv6). */
  hostname: string;
}

/** Names that never leave the machine: the only ones allowed with plain `http:` (tests, local proxies). */
function isLoopbackName(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]' || hostname.endsWith('.localhost');
}

/**
 * Parses and checks the public URL: `https:` (or `http:` for a loopback name), no
 * credentials, path, query or fragment (a trailing `/` is fine), since the hub is
 * served at the proxy's root.
 *
 * @param source where the text came from, named in the error: `--public-url`, `SIGNOFF_PUBLIC_URL`
 * @throws SignoffError `invalid_request` saying what is wrong, led by `source`
 */
export function parsePublicUrl(raw: string, source: string): PublicUrl {
  const refuse = (problem: string) =>
    new SignoffError(ErrorCode.invalid, `${source}: ${problem}, not ${JSON.stringify(raw)}`, { source });
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw refuse('must be a URL such as https://signoff.example.ts.net');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse('must be an https:// URL');
  if (url.protocol === 'http:' && !isLoopbackName(url.hostname)) {
    throw refuse('must be https:// (plain http:// only for localhost, for testing): the proxy must terminate TLS');
  }
  if (url.username || url.password) throw refuse('must not hold a user name or password');
  if (url.pathname !== '/' || url.search || url.hash || /[?#]/.test(raw)) {
    throw refuse('must be the proxy\'s root, with no path, query or fragment (the hub is served at /)');
  }
  // URL drops a default port and lower-cases the name: its `host` is what a browser sends.
  return { origin: url.origin, host: url.host, hostname: url.hostname };
}
