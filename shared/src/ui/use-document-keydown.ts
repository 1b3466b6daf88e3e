import type { RefObject } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * Listens to key presses anywhere in the document that holds `anchor`. The popup
 * and the window start with focus on `<body>`, where an element's own `onKeyDown`
 * would hear nothing. The document is found through the element, so the same code
 * works in either host and in tests; the handler may change every render.
 */
export function useDocumentKeydown(anchor: RefObject<Element | null>, handler: (event: KeyboardEvent) => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const doc = anchor.current?.ownerDocument;
    if (!doc) return undefined;
    const listener = (event: KeyboardEvent) => latest.current(event);
    doc.addEventListener('keydown', listener);
    return () => doc.removeEventListener('keydown', listener);
  }, [anchor]);
}
