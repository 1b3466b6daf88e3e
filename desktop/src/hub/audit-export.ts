import { ErrorCode, SignoffError, type ExportFormat } from '@signoff/shared';

// The export's lines are formatted by `@signoff/shared` (`exportText`), so the window's
// Download writes the same bytes as `signoff export` and `GET /audit`.

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
