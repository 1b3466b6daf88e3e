import { ExportFormat, type AuditPage, type AuditPageQuery } from '@signoff/shared';
import { exportFromPages } from '@signoff/shared/approver';
import { useId, useRef, useState } from 'preact/hooks';
import { exportFileName, EXPORT_MIME } from './audit-download-file.js';

type DownloadState = { phase: 'idle' } | { phase: 'reading'; decisions: number } | { phase: 'done'; decisions: number; file: string } | { phase: 'failed'; message: string };

/**
 * The History's Download: the hub's decision export (what `signoff export` writes, byte for
 * byte) for the filter's days, read in `audit:page` pages over the window's own connection
 * (it holds no bearer token for `GET /audit`) and saved as a file.
 */
export function AuditDownload({ readPage, range }: { readPage: (query: AuditPageQuery) => Promise<AuditPage>; range: { since?: number; until?: number } }) {
  const [format, setFormat] = useState<ExportFormat>(ExportFormat.jsonl);
  const [state, setState] = useState<DownloadState>({ phase: 'idle' });
  const running = useRef(false);
  const id = useId();

  const download = async () => {
    if (running.current) return;
    running.current = true;
    setState({ phase: 'reading', decisions: 0 });
    try {
      let decisions = 0;
      const chunks = await exportFromPages(readPage, range, format, (progress) => {
        decisions = progress.decisions;
        setState({ phase: 'reading', decisions });
      });
      const file = exportFileName(format, range);
      save(new Blob(chunks, { type: EXPORT_MIME[format] }), file);
      setState({ phase: 'done', decisions, file });
    } catch (error) {
      setState({ phase: 'failed', message: error instanceof Error ? error.message : String(error) });
    } finally {
      running.current = false;
    }
  };

  return (
    <div class="sw-download">
      <div class="so-field">
        <label for={`${id}-format`}>Export as</label>
        <select id={`${id}-format`} value={format} onChange={(e) => setFormat(e.currentTarget.value as ExportFormat)}>
          <option value={ExportFormat.jsonl}>JSON lines</option>
          <option value={ExportFormat.csv}>CSV</option>
        </select>
      </div>
      <button type="button" class="so-btn so-btn-small" disabled={state.phase === 'reading'} onClick={() => void download()}>
        Download
      </button>
      <p class="sw-muted">{scope(range)}</p>
      <p class="sw-muted" role="status">
        {state.phase === 'reading' && `Reading decisions… ${state.decisions}`}
        {state.phase === 'done' && `Saved ${state.decisions} ${state.decisions === 1 ? 'decision' : 'decisions'} as ${state.file}`}
      </p>
      {state.phase === 'failed' && (
        <p class="so-error" role="alert">
          Download failed: {state.message}
        </p>
      )}
    </div>
  );
}

/** What the download holds, in words: every decision in the days chosen, whatever the other filters say. */
function scope({ since, until }: { since?: number; until?: number }): string {
  const days = `${since === undefined ? '' : ` from ${new Date(since).toLocaleDateString()}`}${until === undefined ? '' : ` to ${new Date(until - 1).toLocaleDateString()}`}`;
  return `Every decision${days}, as signoff export writes it (the other filters do not apply).`;
}

/** Saves a Blob as a file: a click on a `download` link to its object URL (a navigation, which the window's CSP leaves alone). */
function save(blob: Blob, file: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its copy once the click's task is over.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
