import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { createLogger, toError } from '@signoff/shared';
import { AGENT_TOKEN_FILE, createHub } from '../../hub/index.js';
import { usePrivateUmask } from '../../hub/private-files.js';
import { resolveDataDir, resolvePort, resolvePublicUrl } from '../config.js';

export const hubHelp = `signoff hub [--port N] [--host H] [--data-dir DIR] [--public-url URL]

Runs the hub headless: agents connect to it, approvers answer through it.
  --port N          port to listen on (default SIGNOFF_PORT or 7475; 0 = any free port)
  --host H          address to bind (default 127.0.0.1; anything else exposes the hub)
  --data-dir DIR    where requests and tokens live (default SIGNOFF_HOME or ~/.signoff)
  --public-url URL  the https:// address of a reverse proxy you run in front of the hub
                    (Tailscale Serve, Caddy, nginx), for your phone and other
                    machines (default SIGNOFF_PUBLIC_URL); the hub stays on 127.0.0.1.
                    Other machines' agents need a machine token: signoff token create NAME`;

/** Runs until SIGINT/SIGTERM, then closes the store cleanly. */
export async function runHub(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, host: { type: 'string' }, 'data-dir': { type: 'string' }, 'public-url': { type: 'string' } },
    strict: true,
  });
  const dataDir = resolveDataDir(values['data-dir']);
  const port = resolvePort(values.port);
  const publicUrl = resolvePublicUrl(values['public-url']);
  const logger = createLogger('hub');
  // Whatever else this process writes (SQLite's journals, temp files) is the owner's only.
  usePrivateUmask();
  const hub = createHub({ dataDir, port, host: values.host ?? '127.0.0.1', logger, publicUrl });
  // Listen for the stop signal before announcing readiness: whoever waits for the
  // "listening" line may signal at once.
  const stopRequested = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  try {
    const { url } = await hub.start();
    logger.info(`listening on ${url}${hub.publicUrl ? `, and through your proxy at ${hub.publicUrl}` : ''}`);
    logger.info(`data dir ${dataDir}; agents use the token in ${join(dataDir, AGENT_TOKEN_FILE)}`);
    logger.info('pair a browser or the tray with: npx signoff pair');
  } catch (error) {
    await hub.stop().catch(() => {});
    const err = toError(error) as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') {
      logger.error(`port ${port} is in use: is a hub already running? (try --port N)`);
      return 1;
    }
    throw err;
  }
  await stopRequested;
  await hub.stop();
  logger.info('stopped');
  return 0;
}
