import { useEffect, useState } from 'preact/hooks';
import type { WindowSurface } from './approver-credentials.js';
import { HubConnection, type HubConnectionState } from './hub-connection.js';

const INITIAL: HubConnectionState = { connection: 'connecting', queue: { pending: [], settled: [] }, surfaces: {}, revision: 0 };

/**
 * One {@link HubConnection} for as long as the component lives (a new one when
 * the hub, token or surface change), and its state as it changes.
 */
export function useHubConnection(url: string, token: string, surface: WindowSurface): { hub: HubConnection | null; state: HubConnectionState } {
  const [hub, setHub] = useState<HubConnection | null>(null);
  const [state, setState] = useState<HubConnectionState>(INITIAL);
  useEffect(() => {
    const connection = new HubConnection({ url, token, surface });
    setHub(connection);
    setState(connection.state);
    const unsubscribe = connection.subscribe(setState);
    connection.start();
    return () => {
      unsubscribe();
      connection.close();
    };
  }, [url, token, surface]);
  return { hub, state };
}
