/**
 * Browser-facing defences. Binding to 127.0.0.1 does not stop a web page in the
 * person's browser from calling a local server (or opening a WebSocket to it), and a
 * DNS-rebinding page can even reach it under its own host name. So: refuse any web
 * Origin but the hub's own, and any Host that is not loopback at our port.
 */

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];
const EXTENSION_SCHEMES = ['chrome-extension:', 'moz-extension:', 'safari-web-extension:'];

export interface GuardOptions {
  port: number;
  /** The host the hub was bound to, accepted in Host headers too when it is not a wildcard. */
  host: string;
}

function allowedHosts({ port, host }: GuardOptions): Set<string> {
  const names = [...LOOPBACK_HOSTS];
  // Host headers are compared lower-cased, and URL lower-cases an Origin's host: so must `--host` be.
  const name = host.toLowerCase();
  if (name !== '0.0.0.0' && name !== '::' && !names.includes(name)) names.push(name.includes(':') ? `[${name}]` : name);
  return new Set(names.map((h) => `${h}:${port}`));
}

/** Returns why a request must be refused, or `null` if it may go on to the token check. */
export function refuseByOriginOrHost(
  headers: { host?: string | undefined; origin?: string | undefined },
  options: GuardOptions,
): string | null {
  const hosts = allowedHosts(options);
  const host = headers.host?.toLowerCase();
  if (!host || !hosts.has(host)) return `Host ${JSON.stringify(headers.host ?? '')} is not this hub`;
  const origin = headers.origin;
  if (origin === undefined) return null; // native clients: curl, SDKs, scripts
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return `Origin ${JSON.stringify(origin)} is not allowed`;
  }
  if (EXTENSION_SCHEMES.includes(url.protocol)) return null;
  if (url.protocol === 'http:' && url.origin === origin && hosts.has(url.host)) return null; // the hub's own UI
  return `web origin ${origin} is not allowed to use this hub`;
}
