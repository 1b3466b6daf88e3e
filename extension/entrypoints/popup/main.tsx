import { render } from 'preact';
import { openSignoffDB, SignoffStore } from '../../lib/db.js';
import { takeRequestToOpen } from '../../lib/extension-storage.js';
import { PopupApp } from './popup-app.js';
import { readPopupState } from './popup-state.js';

/** The first page paints straight from IndexedDB, before the worker or the hub answer. */
const FIRST_PAGE = 50;

/** Which request to open first: `?request=` (a notification's window) or the one a notification click left in session storage. */
async function requestToOpen(): Promise<string | undefined> {
  const fromUrl = new URL(location.href).searchParams.get('request');
  if (fromUrl) return fromUrl;
  return (await takeRequestToOpen()) ?? undefined;
}

const store = new SignoffStore(await openSignoffDB());
const [initial, openId] = await Promise.all([readPopupState(store, FIRST_PAGE), requestToOpen()]);
render(<PopupApp store={store} initial={initial} pageSize={FIRST_PAGE} openId={openId} />, document.getElementById('app')!);
