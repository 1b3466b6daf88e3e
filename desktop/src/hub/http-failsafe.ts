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

/** Node's own answers to what it cannot parse, as its default `clientError` handler gives them. */
function statusFor(code: string | undefined): string {
  if (code === 'HPE_HEADER_OVERFLOW') return '431 Request Header Fields Too Large';
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return '408 Request Timeout';
  return '400 Bad Request';
}

/** At most one client-error line per this many ms; the rest are counted into the next line. */
const CLIENT_ERROR_LOG_MS = 1000;

/**
 * Answers requests Node's parser refuses (bad method, bad header, a body framing error,
 * a request timeout) with 400 (408, 431) and destroys the socket. Logs one line per
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
    socket.end(`HTTP/1.1 ${statusFor(error.code)}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy());
    // A peer that reads nothing must not hold the socket open either.
    setTimeout(() => socket.destroy(), CLIENT_ERROR_LOG_MS).unref();
  });
}
