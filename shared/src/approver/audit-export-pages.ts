import { AUDIT_PAGE_MAX_ENTRIES, CSV_HEADER, csvLine, jsonlLine, type AuditPage, type AuditPageQuery, type ExportFormat } from '../protocol/index.js';

/** How far a paged export has come, for a progress line. */
export interface ExportProgress {
  /** Decisions written so far. */
  decisions: number;
  /** Pages read so far. */
  pages: number;
}

/**
 * The decision export (`signoff export` for the same range and format, byte for byte) built
 * from `audit:page` pages, for an approver without a bearer token for `GET /audit`. Reads a
 * page at a time until the hub says nothing follows, calling `onProgress` after each; rejects
 * with the failing page's error (nothing partial is returned as if it were the whole).
 */
export async function exportFromPages(
  readPage: (query: AuditPageQuery) => Promise<AuditPage>,
  range: { since?: number; until?: number },
  format: ExportFormat,
  onProgress?: (progress: ExportProgress) => void,
): Promise<string[]> {
  const chunks: string[] = format === 'csv' ? [CSV_HEADER] : [];
  const line = format === 'csv' ? csvLine : jsonlLine;
  const progress: ExportProgress = { decisions: 0, pages: 0 };
  let after: number | undefined;
  for (;;) {
    const page = await readPage({ ...range, ...(after === undefined ? {} : { after }), limit: AUDIT_PAGE_MAX_ENTRIES });
    // One string per page: a long log stays a few thousand Blob parts, not one per decision.
    chunks.push(page.entries.map(line).join(''));
    progress.decisions += page.entries.length;
    progress.pages += 1;
    onProgress?.({ ...progress });
    if (page.next === null) return chunks;
    if (after !== undefined && page.next <= after) throw new Error('The hub sent the same page of the export twice; try again.');
    after = page.next;
  }
}
