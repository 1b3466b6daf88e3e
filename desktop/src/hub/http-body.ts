import type { IncomingMessage } from 'node:http';
import { ErrorCode, MAX_PAYLOAD_BYTES, SignoffError } from '@signoff/shared';

/** Reads a JSON body of at most {@link MAX_PAYLOAD_BYTES}; too large → 413, not JSON → 400. */
export async function readJsonBody(req: IncomingMessage, limit = MAX_PAYLOAD_BYTES): Promise<unknown> {
  const tooLarge = () => new SignoffError(ErrorCode.tooLarge, `body exceeds ${limit} bytes`);
  if (Number(req.headers['content-length'] ?? 0) > limit) {
    req.resume(); // discard it so the client can read our answer
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new SignoffError(ErrorCode.invalid, 'body: a JSON body is required');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SignoffError(ErrorCode.invalid, `body: not valid JSON (${(error as Error).message})`);
  }
}
