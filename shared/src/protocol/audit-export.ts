import type { Decision } from './request.js';

/**
 * The decision export's formatting, in one place for every writer of it: the hub's
 * `GET /audit`, `signoff export`, and the window's Download button (which builds the
 * file from `audit:page` pages). Pure and zod-free, so each writes the same bytes.
 */

/**
 * One decision as `signoff export`, `GET /audit` and `audit:page` carry it. `machine`: the
 * machine token's name when another machine's agent sent the request (set by the hub).
 */
export interface ExportedDecision {
  request: { id: string; kind: string; title: string; agentId: string | null; machine: string | null; runId: string | null; severity: string; createdAt: number };
  decision: Decision;
}

/** Formats of the export. */
export const ExportFormat = { jsonl: 'jsonl', csv: 'csv' } as const;
export type ExportFormat = (typeof ExportFormat)[keyof typeof ExportFormat];

/** One JSON line per decision: `{ request, decision }`, as `ExportedDecision`. */
export function jsonlLine(record: ExportedDecision): string {
  return `${JSON.stringify(record)}\n`;
}

/** The CSV columns, one row per decision. Times are ISO 8601 (UTC); `response` is its JSON. */
export const CSV_COLUMNS = [
  'requestId',
  'kind',
  'title',
  'agentId',
  'machine',
  'runId',
  'severity',
  'createdAt',
  'status',
  'respondedBy',
  'via',
  'respondedAt',
  'waitMs',
  'reason',
  'rule',
  'grantId',
  'guardrail',
  'unguarded',
  'response',
  'auditSeq',
  'auditHash',
  'actionDigest',
] as const;

/** Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field: RFC 4180 quoting (quotes, commas and line breaks inside double quotes,
 * quotes doubled), and a `'` before a leading `=`, `+`, `-`, `@`, tab or carriage return
 * so that no spreadsheet runs text an agent wrote as a formula.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csvRow = (cells: (string | number | boolean | null | undefined)[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/** The CSV header row (CRLF-terminated). */
export const CSV_HEADER = csvRow([...CSV_COLUMNS]);

const iso = (ms: number): string => new Date(ms).toISOString();
const guard = (g: { id: string; reason: string } | undefined): string | null => (g ? `${g.id}: ${g.reason}` : null);

/** One CSV row (CRLF-terminated) for a decision, in the order of {@link CSV_COLUMNS}. */
export function csvLine({ request: r, decision: d }: ExportedDecision): string {
  return csvRow([
    r.id,
    r.kind,
    r.title,
    r.agentId,
    r.machine,
    r.runId,
    r.severity,
    iso(r.createdAt),
    d.status,
    d.respondedBy,
    d.via,
    iso(d.respondedAt),
    d.waitMs,
    d.reason,
    d.rule,
    d.grantId,
    guard(d.guardrail),
    guard(d.unguarded),
    d.response === null ? null : JSON.stringify(d.response),
    d.receipt?.seq,
    d.receipt?.hash,
    d.receipt?.actionDigest,
  ]);
}

/** The export as text chunks: the CSV header first, then a line per decision. */
export function* exportText(records: Iterable<ExportedDecision>, format: ExportFormat): Generator<string> {
  if (format === 'csv') yield CSV_HEADER;
  const line = format === 'csv' ? csvLine : jsonlLine;
  for (const record of records) yield line(record);
}
