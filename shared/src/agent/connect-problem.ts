/**
 * Why a connection to the hub failed, in words a person can act on. With the hub on
 * 127.0.0.1 the only failure was "nothing listens"; through a TLS proxy
 * (`SIGNOFF_URL=https://…`) there are more, and engine.io reports every one of them as
 * the same "websocket error": an untrusted certificate, a name that does not resolve, a
 * proxy whose hub is down (502), a hub that refuses the name it is reached by (403).
 * The SDK and the hook's REST client both word them here.
 *
 * No imports: the hook's start path loads this too (README, "Start-up time").
 */
export interface ConnectProblem {
  /** What went wrong, for the person: "the certificate of box.example is not trusted (…)". */
  reason: string;
  /** Nothing answered at all (refused, or no such name): "start the hub" is the advice. */
  noHub: boolean;
}

/** Node's codes for a certificate it will not trust, as `tls` and `ws` report them. */
const UNTRUSTED_CERTIFICATE = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Statuses a reverse proxy answers with when the hub behind it is not there. */
const PROXY_WITHOUT_HUB = new Set([502, 503, 504]);

interface ErrorShape {
  message?: unknown;
  code?: unknown;
  /** engine.io's TransportError: the WebSocket's error event, which carries Node's error. */
  description?: { message?: unknown; error?: { code?: unknown; message?: unknown } };
  cause?: { code?: unknown; message?: unknown };
}

function parts(url: string): { host: string; hostname: string; origin: string } {
  try {
    const { host, hostname, origin } = new URL(url);
    return { host, hostname, origin };
  } catch {
    return { host: url, hostname: url, origin: url };
  }
}

/**
 * Words for a failed connection to the hub at `url`, from a Node network error, a fetch
 * error (its `cause`), an engine.io transport error, or an HTTP status (`status`, when
 * the failure was an answer rather than no answer).
 */
export function connectProblem(url: string, error: unknown, status?: number): ConnectProblem {
  const { host, hostname, origin } = parts(url);
  const shape = (typeof error === 'object' && error !== null ? error : {}) as ErrorShape;
  const inner = shape.description?.error ?? shape.cause ?? shape;
  const code = typeof inner.code === 'string' ? inner.code : undefined;
  const detail = [shape.description?.message, inner.message, shape.message].find((m): m is string => typeof m === 'string' && m !== '') ?? String(error);
  // ws words an HTTP answer to the upgrade as "Unexpected server response: 502".
  const answered = status ?? Number(/Unexpected server response: (\d{3})/.exec(detail)?.[1] ?? NaN);
  if (code === 'ECONNREFUSED') return { reason: `nothing is listening at ${host} (${detail})`, noHub: true };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { reason: `the name ${hostname} does not resolve (${detail})`, noHub: true };
  if (code !== undefined && UNTRUSTED_CERTIFICATE.has(code)) {
    return {
      reason:
        `the certificate at ${host} is not trusted (${detail}); if the proxy signs with its own CA (Caddy's tls internal), ` +
        'give Node its root certificate: NODE_EXTRA_CA_CERTS=/path/to/root.crt',
      noHub: false,
    };
  }
  if (PROXY_WITHOUT_HUB.has(answered)) {
    return { reason: `a proxy answers at ${host} but the hub behind it does not (HTTP ${answered}): is the hub running, on the port the proxy forwards to?`, noHub: false };
  }
  if (answered === 403) {
    return { reason: `${host} refused the connection (HTTP 403); a Signoff hub refuses a name it was not given: start it with --public-url ${origin}`, noHub: false };
  }
  return { reason: detail, noHub: false };
}
