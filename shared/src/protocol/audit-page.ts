import { z } from 'zod';
import type { ExportedDecision } from './audit-export.js';

/** Most decisions one `audit:page` answer holds. */
export const AUDIT_PAGE_MAX_ENTRIES = 500;

/**
 * Most JSON bytes of decisions one `audit:page` answer holds (a page always holds at least
 * one decision, whatever its size): a long log comes in many small messages, never one
 * that could stall the socket or the hub.
 */
export const AUDIT_PAGE_MAX_BYTES = 1024 * 1024;

/** Epoch milliseconds, within what a `Date` can hold. */
const epochMs = z.number().int().min(0).max(8.64e15);

/**
 * `audit:page`: decisions settled in [`since`, `until`) in the order they were made, as
 * `signoff export` writes them; `after` is the `next` of the page before (absent: from the start).
 */
export const AuditPageQuerySchema = z.strictObject({
  since: epochMs.optional(),
  until: epochMs.optional(),
  after: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(AUDIT_PAGE_MAX_ENTRIES).default(200),
});
export type AuditPageQuery = z.input<typeof AuditPageQuerySchema>;

/** One page of the export: its decisions, and where the next page starts (`null`: this was the last). */
export interface AuditPage {
  entries: ExportedDecision[];
  next: number | null;
}
