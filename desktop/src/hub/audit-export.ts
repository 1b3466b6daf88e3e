import { ErrorCode, SignoffError } from '@signoff/shared';
import type { ExportedDecision } from './audit-log.js';

/** Formats of `signoff export` and `GET /audit`. */
export const ExportFormat = { jsonl: 'jsonl', csv: 'csv' } as const;
export type ExportFormat = (typeof ExportFormat)[keyof typeof ExportFormat];

/** Content types served by `GET /audit`. */
export const EXPORT_CONTENT_TYPE: Record<ExportFormat, string> = {
  jsonl: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
};

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * Reads `--since` / `--until` / `?since=`: a span back from `now` (`90m`, `7d`, `2w`), an ISO
 * 8601 date or date-time (`2026-01-31`, `2026-01-31T12:00:00Z`), or epoch milliseconds.
 */
export function parseTimeBound(name: string, text: string, now: number): number {
  const trimmed = text.trim();
  const span = /^(\d+(?:\.\d+)?)(s|m|h|d|w)$/.exec(trimmed);
  if (span) return now - Math.round(Number(span[1]) * UNIT_MS[span[2] as keyof typeof UNIT_MS]);
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = /^\d{4}-\d{2}-\d{2}/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (!Number.isFinite(at)) {
    throw new SignoffError(ErrorCode.invalid, `${name}: cannot read ${JSON.stringify(text)}: use a date (2026-01-31), a date-time, or a span back from now (7d, 12h)`);
  }
  return at;
}

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

export const CSV_HEADER = csvRow([...CSV_COLUMNS]);

const iso = (ms: number): string => new Date(ms).toISOString();
const guard = (g: { id: string; reason: string } | undefined): string | null => (g ? `${g.id}: ${g.reason}` : null);

export function csvLine({ request: r, decision: d }: ExportedDecision): string {
  return csvRow([
    r.id,
    r.kind,
    r.title,
    r.agentId,
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
