/**
 * Which link targets agent-written text may carry. Agents are not trusted: a
 * `javascript:` or `data:` link in a request body would run in the approver's
 * privileged popup or window, so only plain web and mail links survive.
 */
export const ALLOWED_LINK_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:']);

/**
 * The normalised href for `raw` if it is an absolute http(s) or mailto URL, else `null`.
 * Uses the URL parser, as the browser will, so tricks such as `java\tscript:`,
 * upper case or leading spaces are judged on what the browser would open; relative
 * links mean nothing in a popup and are refused too.
 */
export function safeHref(raw: string): string | null {
  const trimmed = raw.trim();
  if (trimmed === '') return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  return ALLOWED_LINK_PROTOCOLS.has(url.protocol) ? url.href : null;
}
