import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ErrorCode, toError, type Logger } from '@signoff/shared';

/**
 * Every HTTP request gets an answer and every connection ends: a handler that throws
 * or rejects (a bug, or input nobody foresaw) still answers 500 and closes, so no
 * client waits forever and no file descriptor leaks; a request Node cannot even parse
 * answers 400 (408, 431) and its socket is destroyed.
 */

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * Wraps `handle` so that a throw or a rejection anywhere in it answers
 * `500 internal_error` with `Connection: close` (or, when the answer had begun,
 * destroys the connection). The failure is logged once with its stack: it is a hub bug.
 */
export function answerEveryRequest(handle: Handler, logger: Logger): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const failed = (error: unknown) => {
      logger.error(`${req.method ?? '?'} request failed:`, toError(error).stack ?? toError(error).message);
      closeWith500(res);
    };
    try {
      const result = handle(req, res);
      if (result instanceof Promise) result.catch(failed);
    } catch (error) {
      failed(error);
    }
  };
}

function closeWith500(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code: ErrorCode.internal, message: 'internal error in the hub; see its log' } });
  res.writeHead(500, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    Connection: 'close',
  });
  res.end(body);
}

/** Node's own statuses for what it cannot parse, with words that name the problem. */
function refusalFor(code: string | undefined): { status: string; message: string } {
  if (code === 'HPE_HEADER_OVERFLOW') return { status: '431 Request Header Fields Too Large', message: 'request headers are too large' };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: '408 Request Timeout', message: 'the request did not arrive in time' };
  const what = PARSER_PROBLEMS[code ?? ''] ?? 'it is not valid HTTP/1.1';
  return { status: '400 Bad Request', message: `malformed HTTP request (${code ?? 'unknown'}): ${what}` };
}

/** What Node's HTTP parser refuses, in words (codes from llhttp). */
const PARSER_PROBLEMS: Readonly<Record<string, string>> = {
  HPE_INVALID_METHOD: 'the method is not a known upper-case HTTP method',
  HPE_INVALID_URL: 'the request target is not a valid path',
  HPE_INVALID_VERSION: 'the HTTP version is not valid',
  HPE_INVALID_HEADER_TOKEN: 'a header name holds a character headers may not',
  HPE_INVALID_CONSTANT: 'the request line is not valid',
  HPE_INVALID_CONTENT_LENGTH: 'Content-Length is not valid',
  HPE_UNEXPECTED_CONTENT_LENGTH: 'Content-Length and Transfer-Encoding were both sent',
  HPE_INVALID_CHUNK_SIZE: 'a chunk size is not valid',
  HPE_INVALID_TRANSFER_ENCODING: 'Transfer-Encoding is not valid',
  HPE_LF_EXPECTED: 'a line does not end with CRLF',
  HPE_CR_EXPECTED: 'a line does not end with CRLF',
};

/** A raw HTTP/1.1 refusal with a JSON error body, for sockets no ServerResponse owns. */
function rawRefusal(status: string, message: string): string {
  const body = JSON.stringify({ error: { code: status.startsWith('431') ? ErrorCode.tooLarge : ErrorCode.invalid, message } });
  return `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** At most one client-error line per this many ms; the rest are counted into the next line. */
const CLIENT_ERROR_LOG_MS = 1000;

/**
 * Answers requests Node's parser refuses (bad method, bad header, a body framing error,
 * a request timeout) with 400 (408, 431) and closes the socket (within a second). Logs one line per
 * error — never a stack, never the request's bytes — and no more than one a second,
 * so garbage on the port cannot flood the log. A peer that hung up is not logged.
 */
export function answerClientErrors(server: Server, logger: Logger): void {
  let lastLog = -Infinity;
  let quiet = 0;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') {
      const now = Date.now();
      if (now - lastLog >= CLIENT_ERROR_LOG_MS) {
        const more = quiet > 0 ? ` (and ${quiet} more since the last line)` : '';
        logger.warn(`refused a malformed HTTP request: ${error.code ?? 'error'}: ${error.message.replace(/\s+/g, ' ')}${more}`);
        lastLog = now;
        quiet = 0;
      } else {
        quiet += 1;
      }
    }
    // Node's own check: no status line in the middle of a response already on its way
    // (https://github.com/nodejs/node/blob/v20.x/lib/_http_server.js, socketOnError).
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (!socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const { status, message } = refusalFor(error.code);
    // Half-close and keep discarding what the peer still sends (a 2 MB body behind a bad
    // header): destroying the socket with unread bytes makes the kernel send a reset,
    // which can drop the answer before the peer reads it. The peer's own close ends it…
    socket.on('data', () => {});
    socket.resume();
    socket.end(rawRefusal(status, message));
    // …and a peer that never stops sending, or reads nothing, is cut off after a second.
    setTimeout(() => socket.destroy(), CLIENT_ERROR_LOG_MS).unref();
  });
}

/**
 * An `Expect` header other than `100-continue` answers 417 with a body that says why
 * (Node's default answer is empty).
 */
export function answerExpectations(server: Server): void {
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    const body = JSON.stringify({ error: { code: ErrorCode.invalid, message: `Expect: ${String(req.headers.expect)} is not supported; send no Expect header` } });
    res.writeHead(417, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
    res.end(body);
  });
}

/**
 * Answers WebSocket upgrades to any path but Engine.IO's with 400 at once. Engine.IO only
 * ends them, silently and a second later (`destroyUpgrade`), which the hub turns off.
 */
export function answerStrayUpgrades(server: Server, enginePath: string): void {
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    if (req.url?.startsWith(enginePath)) return; // Engine.IO's own listener takes it
    socket.on('error', () => socket.destroy());
    socket.end(rawRefusal('400 Bad Request', `no WebSocket is served at ${JSON.stringify((req.url ?? '').slice(0, 100))}; Socket.IO lives at ${enginePath}`), () => socket.destroy());
  });
}
