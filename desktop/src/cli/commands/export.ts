import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { exportText, ExportFormat } from '@signoff/shared';
import { parseTimeBound } from '../../hub/audit-export.js';
import { AUDIT_SCHEMA, AuditLog } from '../../hub/audit-log.js';
import { resolveDataDir } from '../config.js';
import { openDataFileReadOnly } from '../readonly-data-file.js';
import { UsageError } from '../usage-error.js';

export const exportHelp = `signoff export [--since DATE] [--until DATE] [--format jsonl|csv] [--out FILE] [--data-dir DIR]

Writes every decision settled in [--since, --until), in the order they were made: the
request (id, kind, title, agentId, machine, runId, severity, createdAt), who decided and
via what, when, the rule, grant or guardrail behind it, the answer, and its receipt (audit seq,
hash, action digest). DATE: 2026-01-31, a date-time, or a span back from now (7d, 12h).
  --format jsonl  one JSON object per line, { request, decision } (the default)
  --format csv    one row per decision (RFC 4180; cells that a spreadsheet would read
                  as a formula start with ')
  --out FILE      write to FILE (created private to you) instead of stdout
  --data-dir DIR  the data dir (default SIGNOFF_HOME or ~/.signoff)
Reads <data dir>/signoff.db read-only (a running hub is fine).
Exit: 0 written; 2 usage, or no data file.`;

export async function runExport(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      since: { type: 'string' },
      until: { type: 'string' },
      format: { type: 'string', default: 'jsonl' },
      out: { type: 'string' },
      'data-dir': { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected ${JSON.stringify(positionals[0])}`);
  const format = values.format;
  if (format !== ExportFormat.jsonl && format !== ExportFormat.csv) throw new UsageError(`--format must be jsonl or csv, not ${JSON.stringify(format)}`);
  const now = Date.now();
  const since = values.since === undefined ? undefined : parseTimeBound('--since', values.since, now);
  const until = values.until === undefined ? undefined : parseTimeBound('--until', values.until, now);
  const dataDir = resolveDataDir(values['data-dir']);
  const data = openDataFileReadOnly(dataDir);
  if (!data) {
    console.error(`signoff export: no data file in ${dataDir}: no hub has run there`);
    return 2;
  }
  try {
    if (data.schema < AUDIT_SCHEMA) {
      console.error(`signoff export: ${data.file} is from an older Signoff (data schema ${data.schema}); start the hub once to update it`);
      return 2;
    }
    const out: Writable = values.out === undefined ? process.stdout : createWriteStream(values.out, { mode: 0o600 });
    await writeAll(out, exportText(new AuditLog(data.db).decisions({ since, until }), format));
    if (out !== process.stdout) {
      out.end();
      await once(out, 'finish');
    }
    return 0;
  } finally {
    data.db.close();
  }
}

/** Writes the chunks, about 64 KiB at a time, waiting whenever the stream asks to. */
async function writeAll(out: Writable, chunks: Iterable<string>): Promise<void> {
  let batch = '';
  for (const chunk of chunks) {
    batch += chunk;
    if (batch.length < 65_536) continue;
    if (!out.write(batch)) await once(out, 'drain');
    batch = '';
  }
  if (batch && !out.write(batch)) await once(out, 'drain');
}
