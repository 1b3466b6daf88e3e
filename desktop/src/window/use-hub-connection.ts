import { useEffect, useState } from 'preact/hooks';
import type { WindowCredentials } from './approver-credentials.js';
import { HubConnection, INITIAL_HUB_STATE, type HubConnectionState } from './hub-connection.js';

/**
 * One {@link HubConnection} for as long as the component lives (a new one when the hub
 * or the credentials change), and its state as it changes.
 */
export function useHubConnection(url: string, credentials: WindowCredentials): { hub: HubConnection | null; state: HubConnectionState } {
  const [hub, setHub] = useState<HubConnection | null>(null);
  const [state, setState] = useState<HubConnectionState>(INITIAL_HUB_STATE);
  useEffect(() => {
    const connection = new HubConnection({ url, credential: credentials.credential, surface: credentials.surface });
    setHub(connection);
    setState(connection.state);
    const unsubscribe = connection.subscribe(setState);
    connection.start();
    return () => {
      unsubscribe();
      connection.close();
    };
  }, [url, credentials]);
  return { hub, state };
}
