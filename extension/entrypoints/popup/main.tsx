import { render } from 'preact';
import { PopupApp } from './popup-app.js';
import { readPopupState } from './popup-state.js';
import { openSignoffDB, SignoffStore } from '../../lib/db.js';

/** The first page paints straight from IndexedDB, before the worker or the hub answer. */
const FIRST_PAGE = 50;

const store = new SignoffStore(await openSignoffDB());
const initial = await readPopupState(store, FIRST_PAGE);
render(<PopupApp store={store} initial={initial} pageSize={FIRST_PAGE} />, document.getElementById('app')!);
