import { createServer } from 'node:http';
import { connect, type SignoffClient } from '@signoff/shared/agent';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub.js';
import { waitUntil } from '../support/wait-until.js';

/** A plain Socket.IO server with no `/agent` namespace: it answers "Invalid namespace". */
async function startForeignSocketIo(port: number) {
  const http = createServer();
  const io = new Server(http, { transports: ['websocket'] });
  let connections = 0;
  io.engine.on('connection', () => connections++);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', resolve);
  });
  return {
    get connections() {
      return connections;
    },
    async close() {
      io.disconnectSockets(true);
      http.closeAllConnections();
      await io.close();
    },
  };
}

describe('the SDK after meeting something else on the port', () => {
  let t: TestHub;
  let again: TestHub | undefined;
  let client: SignoffClient | undefined;

  afterEach(async () => {
    client?.close();
    client = undefined;
    await again?.stop();
    again = undefined;
    await t?.dispose();
  });

  it('keeps reconnecting after "Invalid namespace" and gets the decision once the real hub is back', async () => {
    t = await startTestHub();
    const approverToken = await t.pairApprover('Grace');
    client = await connect({ agentId: 'foreign-test', url: t.url, token: t.agentToken });
    const request = await client.submit({ kind: 'approval', title: 'Outlive an impostor' });
    const decision = client.waitFor(request.id);

    await t.stop();
    const foreign = await startForeignSocketIo(t.port);
    // The client met the other program: its calls say so.
    await waitUntil(async () => {
      const error = (await client!.get(request.id, { callTimeoutMs: 100 }).catch((e: unknown) => e)) as Error;
      return error.message.includes(`something else is answering on 127.0.0.1:${t.port} — not a Signoff hub`);
    }, 'the client to meet the foreign Socket.IO server');
    expect(foreign.connections).toBeGreaterThan(0);
    expect(client.connected).toBe(false);
    await foreign.close();

    again = await startTestHub({ dataDir: t.dataDir, port: t.port });
    await waitUntil(() => client!.connected, 'the client to reach the real hub again');
    const res = await fetch(`${again.url}/api/v1/requests/${request.id}/respond`, {
      method: 'POST',
      headers: { authorization: `Bearer ${approverToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ approved: true }),
    });
    expect(res.status).toBe(200);
    await expect(decision).resolves.toMatchObject({ status: 'resolved', respondedBy: 'Grace', response: { approved: true } });
  });

  it('connect names the other program instead of "no hub"', async () => {
    t = await startTestHub();
    const port = t.port;
    await t.stop();
    const foreign = await startForeignSocketIo(port);
    try {
      const error = await connect({ agentId: 'x', url: `http://127.0.0.1:${port}`, token: 'x' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'unavailable' });
      expect((error as Error).message).toContain(`something else is answering on 127.0.0.1:${port} — not a Signoff hub`);
    } finally {
      await foreign.close();
    }
  });
});
