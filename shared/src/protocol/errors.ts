/** Error codes shared by REST bodies and Socket.IO acks, with the HTTP status each maps to. */
export const ErrorCode = {
  invalid: 'invalid_request',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  notFound: 'not_found',
  conflict: 'conflict',
  tooLarge: 'payload_too_large',
  rateLimited: 'rate_limited',
  unavailable: 'unavailable',
  timeout: 'timeout',
  internal: 'internal_error',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  timeout: 504,
  internal_error: 500,
};

export interface WireError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** Every ack and every SDK call answers with this union. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: WireError };

export const ok = <T>(data: T): Result<T> => ({ ok: true, data });
export const fail = (code: ErrorCode, message: string, details?: unknown): { ok: false; error: WireError } => ({
  ok: false,
  error: details === undefined ? { code, message } : { code, message, details },
});

/** An error carrying a wire code, thrown by the SDK and by hub services. */
export class SignoffError extends Error {
  override readonly name = 'SignoffError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  toWire(): WireError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** Normalises anything thrown into an `Error`. */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === 'string' ? value : JSON.stringify(value));
}
