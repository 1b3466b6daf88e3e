import { useEffect, useRef, useState } from 'preact/hooks';

/** A value fetched from the hub, kept fresh: what was last loaded, and the last error. */
export interface LiveResource<T> {
  data: T | null;
  error: string | null;
  /** True until the first load finished (data or error). */
  loading: boolean;
}

/** How long after a change the fetch waits, so a burst of hub events costs one request. */
export const REFRESH_DELAY_MS = 250;

/**
 * Loads with `load` while `active`, and again (debounced) whenever `revision` or
 * `key` changes. An answer that arrives after a newer load began is dropped, so a
 * slow reply never overwrites a fresher one. Inactive views fetch nothing.
 */
export function useLiveResource<T>(load: () => Promise<T>, key: string, revision: number, active: boolean): LiveResource<T> {
  const [state, setState] = useState<LiveResource<T>>({ data: null, error: null, loading: true });
  const latestLoad = useRef(load);
  latestLoad.current = load;
  const sequence = useRef(0);
  const loadedKey = useRef<string | null>(null);
  const wasActive = useRef(false);

  useEffect(() => {
    const justShown = !wasActive.current;
    wasActive.current = active;
    if (!active) return undefined;
    const keyChanged = loadedKey.current !== key;
    if (keyChanged) setState({ data: null, error: null, loading: true });
    const run = () => {
      const mine = ++sequence.current;
      latestLoad.current().then(
        (data) => {
          if (mine !== sequence.current) return;
          loadedKey.current = key;
          setState({ data, error: null, loading: false });
        },
        (error: unknown) => {
          if (mine !== sequence.current) return;
          loadedKey.current = key;
          setState((previous) => ({ data: keyChanged ? null : previous.data, error: error instanceof Error ? error.message : String(error), loading: false }));
        },
      );
    };
    // A new subject, or a view just shown, loads at once; a change to the same one waits for the burst to settle.
    const timer = setTimeout(run, keyChanged || justShown ? 0 : REFRESH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [key, revision, active]);

  return state;
}
