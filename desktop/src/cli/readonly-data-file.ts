import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ErrorCode, SignoffError } from '@signoff/shared';
import { DB_FILE } from '../hub/hub.js';
import { MIGRATIONS } from '../hub/migrations.js';

/** The schema version that added the `grants` table (migration 3). */
export const GRANTS_SCHEMA = 3;

/** The hub's database opened for reading only, and its schema version. */
export interface ReadOnlyDataFile {
  db: Database.Database;
  file: string;
  schema: number;
}

/**
 * Opens `<dataDir>/signoff.db` read-only (`policy test` and `policy replay` never write
 * the hub's history, and never migrate it: that is the hub's job); `null` when no hub
 * ever ran there. Safe beside a running hub (WAL readers do not block its writes).
 * Refuses a file whose schema is newer than this Signoff knows.
 */
export function openDataFileReadOnly(dataDir: string): ReadOnlyDataFile | null {
  const file = join(dataDir, DB_FILE);
  if (!existsSync(file)) return null;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const schema = db.pragma('user_version', { simple: true }) as number;
  if (schema > MIGRATIONS.length) {
    db.close();
    throw new SignoffError(ErrorCode.invalid, `${file} has data schema ${schema}, newer than this Signoff knows (${MIGRATIONS.length}); upgrade Signoff`);
  }
  return { db, file, schema };
}
