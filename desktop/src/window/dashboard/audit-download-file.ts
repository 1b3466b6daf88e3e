import type { ExportFormat } from '@signoff/shared';

/** The downloaded file's type: what `GET /audit` serves for the same format. */
export const EXPORT_MIME: Record<ExportFormat, string> = {
  jsonl: 'application/x-ndjson',
  csv: 'text/csv',
};

/** `YYYY-MM-DD` of a local time. */
function day(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * The name the download is saved under: `signoff-decisions.jsonl`, or with the days it covers
 * (`signoff-decisions-from-2026-01-01-to-2026-01-31.csv`; `until` is exclusive, so the last day is the one before it).
 */
export function exportFileName(format: ExportFormat, range: { since?: number; until?: number }): string {
  const from = range.since === undefined ? '' : `-from-${day(range.since)}`;
  const to = range.until === undefined ? '' : `-to-${day(range.until - 1)}`;
  return `signoff-decisions${from}${to}.${format}`;
}
