import { parseArgs } from 'node:util';
import { AUDIT_SCHEMA, AuditLog } from '../../hub/audit-log.js';
import { resolveDataDir } from '../config.js';
import { openDataFileReadOnly } from '../readonly-data-file.js';
import { UsageError } from '../usage-error.js';

export const auditHelp = `signoff audit verify [--json] [--data-dir DIR]

Walks the hub's audit log, where every settled decision is appended with the hash of
the entry before it, and checks every link: each entry must follow the previous one
and hash to what it says. Prints "ok N entries", or the first broken entry (changed,
or following a deleted one). Reads <data dir>/signoff.db read-only (a running hub is fine).
  --json          machine-readable output
  --data-dir DIR  the data dir (default SIGNOFF_HOME or ~/.signoff)
Exit: 0 the chain holds; 1 it is broken; 2 usage, or no data file.`;

export function runAudit(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { json: { type: 'boolean' }, 'data-dir': { type: 'string' } },
  });
  if (positionals.length !== 1 || positionals[0] !== 'verify') throw new UsageError('audit takes one subcommand: verify');
  const dataDir = resolveDataDir(values['data-dir']);
  const data = openDataFileReadOnly(dataDir);
  if (!data) {
    console.error(`signoff audit: no data file in ${dataDir}: no hub has run there`);
    return 2;
  }
  try {
    // A file no hub of this version has opened yet has no audit log: nothing to break.
    const verdict = data.schema < AUDIT_SCHEMA ? ({ ok: true, entries: 0 } as const) : new AuditLog(data.db).verify();
    if (values.json) console.log(JSON.stringify({ file: data.file, ...verdict }));
    else if (verdict.ok) console.log(`ok ${verdict.entries} entries`);
    else console.log(`broken at entry ${verdict.seq}: ${verdict.problem} (the ${verdict.entries} entries before it hold)`);
    return verdict.ok ? 0 : 1;
  } finally {
    data.db.close();
  }
}
