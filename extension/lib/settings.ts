/** Where the options page proposes to pair when nothing says otherwise. */
export const DEFAULT_HUB_URL = 'http://127.0.0.1:7475';

/** The notice that tells the person their old pairing was dropped; while it stands, "Not paired" says why. */
export const LEGACY_PAIRING_NOTICE = 'pairing:legacy-token';
