import { z } from 'zod';
import { REQUEST_SCHEMAS } from './request-schemas.js';
import { RESPONSE_SCHEMAS } from './response-schemas.js';
import type { RequestKind } from './constants.js';

/** JSON Schema (draft 2020-12) of what an agent sends to create a request of `kind`. */
export function requestJsonSchema(kind: RequestKind): Record<string, unknown> {
  return z.toJSONSchema(REQUEST_SCHEMAS[kind], { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/** JSON Schema of a human's answer to a request of `kind`. */
export function responseJsonSchema(kind: RequestKind): Record<string, unknown> {
  return z.toJSONSchema(RESPONSE_SCHEMAS[kind], { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
}
