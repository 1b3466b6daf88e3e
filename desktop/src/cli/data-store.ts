import { join } from 'node:path';
import { ensureDataDir } from '../hub/auth.js';
import { DB_FILE } from '../hub/hub.js';
import { SqliteStore } from '../hub/sqlite-store.js';

/**
 * Opens `<dataDir>/signoff.db` for writing, runs `use`, and closes it: for commands that
 * must work whether or not the hub runs (`signoff pair` minting a code, `signoff token`).
 * SQLite's WAL makes a second writer beside a running hub safe.
 */
export function withDataStore<T>(dataDir: string, use: (store: SqliteStore) => T): T {
  ensureDataDir(dataDir);
  const store = new SqliteStore(join(dataDir, DB_FILE));
  try {
    return use(store);
  } finally {
    store.close();
  }
}
