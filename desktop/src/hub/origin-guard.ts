/**
 * Browser-facing defences. Binding to 127.0.0.1 does not stop a web page in the
 * person's browser from calling a local server (or opening a WebSocket to it), and a
 * DNS-rebinding page can even reach it under its own host name. So: refuse any web
 * Origin but the hub's own, and any Host that is not loopback at our port — or the
 * host of the public URL (public-url.ts) a reverse proxy forwards to the hub.
 *
 * Every request that passes is on a route: `public` when it came through that proxy,
 * `local` otherwise. The public route is the stricter one (no local agent token,
 * pairing limited across all sources), so anything that looks proxied — the public
 * Host, or any forwarding header — is public: a client can only make itself stricter.
 */

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];
const EXTENSION_SCHEMES = ['chrome-extension:', 'moz-extension:', 'safari-web-extension:'];
/** Headers a reverse proxy adds (Caddy, Tailscale Serve, nginx); never sent by a local client of the hub. */
const FORWARDING_HEADERS = ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'forwarded'];

/** Where a request came from: this machine, or through the proxy at the public URL. */
export type Route = 'local' | 'public';

export interface GuardOptions {
  port: number;
  /** The host the hub was bound to, accepted in Host headers too when it is not a wildcard. */
  host: string;
  /** The public URL's Host (lower-cased `name[:port]`) and origin, when the hub has one. */
  publicUrl?: { host: string; origin: string } | null | undefined;
}

/** What the guard decided: the route, and why the request must be refused (`null`: it may go on to the token check). */
export interface GuardVerdict {
  route: Route;
  refusal: string | null;
}

type GuardHeaders = { host?: string | undefined; origin?: string | undefined } & Record<string, string | string[] | undefined>;

function allowedHosts({ port, host }: GuardOptions): Set<string> {
  const names = [...LOOPBACK_HOSTS];
  // Host headers are compared lower-cased, and URL lower-cases an Origin's host: so must `--host` be.
  const name = host.toLowerCase();
  if (name !== '0.0.0.0' && name !== '::' && !names.includes(name)) names.push(name.includes(':') ? `[${name}]` : name);
  return new Set(names.map((h) => `${h}:${port}`));
}

/** Classifies a request by its headers (`route`) and says whether its Host and Origin may use the hub. */
export function checkOriginAndHost(headers: GuardHeaders, options: GuardOptions): GuardVerdict {
  const hosts = allowedHosts(options);
  const host = headers.host?.toLowerCase();
  const publicHost = options.publicUrl?.host;
  const isPublicHost = publicHost !== undefined && host === publicHost;
  const route: Route = isPublicHost || FORWARDING_HEADERS.some((name) => headers[name] !== undefined) ? 'public' : 'local';
  const verdict = (refusal: string | null): GuardVerdict => ({ route, refusal });
  if (!host || (!isPublicHost && !hosts.has(host))) return verdict(`Host ${JSON.stringify(headers.host ?? '')} is not this hub`);
  const origin = headers.origin;
  if (origin === undefined) return verdict(null); // native clients: curl, SDKs, scripts
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return verdict(`Origin ${JSON.stringify(origin)} is not allowed`);
  }
  if (EXTENSION_SCHEMES.includes(url.protocol)) return verdict(null);
  if (url.protocol === 'http:' && url.origin === origin && hosts.has(url.host)) return verdict(null); // the hub's own UI
  if (options.publicUrl && origin === options.publicUrl.origin) return verdict(null); // the hub's UI through the proxy
  return verdict(`web origin ${origin} is not allowed to use this hub`);
}

/**
 * Who sent a request, for logs and per-source limits: on the public route the address
 * the proxy saw — the last `X-Forwarded-For` entry, the one the proxy itself appended
 * (earlier entries are whatever the client claimed) — else the TCP peer.
 */
export function requestSource(req: { headers: Record<string, string | string[] | undefined>; socket: { remoteAddress?: string | undefined } }, route: Route): string {
  const forwarded = req.headers['x-forwarded-for'];
  const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded)?.split(',').at(-1)?.trim();
  if (route === 'public' && last) return last.slice(0, 64);
  return req.socket.remoteAddress ?? 'unknown';
}

/** Lines {@link PublicRefusalLog} writes per minute at most. */
export const PUBLIC_REFUSAL_LINES_PER_MINUTE = 60;

/**
 * The log of refusals on the public route: one line each — route, source and reason,
 * never a token — but at most {@link PUBLIC_REFUSAL_LINES_PER_MINUTE} a minute, so that
 * a stranger hammering the proxy cannot fill the disk through the hub's log; the first
 * line of the next minute says how many were left out.
 */
export class PublicRefusalLog {
  private windowEnds = 0;
  private written = 0;
  private skipped = 0;

  constructor(
    private readonly logger: { warn(...args: unknown[]): void },
    private readonly now: () => number,
  ) {}

  refused(source: string, reason: string): void {
    const now = this.now();
    if (now >= this.windowEnds) {
      if (this.skipped > 0) this.logger.warn(`refused on the public route: ${this.skipped} more refusals in the last minute were not logged`);
      this.windowEnds = now + 60_000;
      this.written = 0;
      this.skipped = 0;
    }
    if (this.written >= PUBLIC_REFUSAL_LINES_PER_MINUTE) {
      this.skipped += 1;
      return;
    }
    this.written += 1;
    this.logger.warn(`refused on the public route from ${source}: ${reason}`);
  }
}
