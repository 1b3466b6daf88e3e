import type { AnyResponse, ApproverToHub, HubToApprover, Result, SignoffRequest } from '@signoff/shared';
import type { Socket } from 'socket.io-client';
import { connectSocket } from './hub.js';

export interface ApproverBot {
  socket: Socket<HubToApprover, ApproverToHub>;
  /** Requests seen through `request:new`, in order. */
  seen: SignoffRequest[];
  close(): void;
}

/**
 * A real `/approver` client that answers every new request with `decide(request)`;
 * `undefined` leaves the request pending.
 */
export async function startApproverBot(
  url: string,
  token: string,
  decide: (request: SignoffRequest) => AnyResponse | undefined,
): Promise<ApproverBot> {
  const socket = (await connectSocket(url, '/approver', token)) as unknown as Socket<HubToApprover, ApproverToHub>;
  const seen: SignoffRequest[] = [];
  socket.on('request:new', (request) => {
    seen.push(request);
    if (request.status !== 'pending') return;
    const response = decide(request);
    if (response === undefined) return;
    socket.emit('request:respond', { id: request.id, response }, (result: Result<unknown>) => {
      if (!result.ok) throw new Error(`bot could not respond: ${result.error.message}`);
    });
  });
  return { socket, seen, close: () => socket.close() };
}
