import { useId } from 'preact/hooks';
import { CONNECTION_BANNERS, OFFLINE_WITHOUT_OUTBOX_BANNER, type ConnectionState } from './labels.js';
import { visibleText } from './visible-text.js';

/** A short message for the human (a request decided elsewhere, an answer queued). */
export interface Notice {
  id: string;
  text: string;
}

/**
 * The connection in plain words, with a "Pair" button to the host's settings when
 * pairing is the fix. Nothing when connected. `queuesOffline: false` (a host with no
 * outbox) says offline decisions cannot be sent rather than that they are queued.
 */
export function ConnectionBanner({ state, onOpenSettings, queuesOffline = true }: { state: ConnectionState; onOpenSettings?: () => void; queuesOffline?: boolean }) {
  const banner = state === 'offline' && !queuesOffline ? OFFLINE_WITHOUT_OUTBOX_BANNER : CONNECTION_BANNERS[state];
  if (!banner) return null;
  return (
    <div class={`so-banner so-banner-${banner.tone}`} role={banner.tone === 'error' ? 'alert' : 'status'}>
      <span>{banner.text}</span>
      {banner.settings && onOpenSettings && (
        <button type="button" class="so-btn so-btn-small" onClick={onOpenSettings}>
          Pair
        </button>
      )}
    </div>
  );
}

/** Notices, newest last, each dismissable; announced politely as they arrive. */
export function NoticeList({ notices, onDismiss }: { notices: readonly Notice[]; onDismiss: (id: string) => void }) {
  const idBase = useId();
  return (
    <div class="so-notices" role="status" aria-live="polite">
      {notices.map((notice) => (
        <div class="so-notice" key={notice.id}>
          {/* Notices quote request titles: agent words, shown like everywhere else. */}
          <span id={`${idBase}-${notice.id}`}>{visibleText(notice.text)}</span>
          {/* Named "Dismiss", described by the notice: its words (a request's title) must
              not make this button answer to "Approve". */}
          <button
            type="button"
            class="so-btn so-btn-quiet so-btn-small"
            aria-label="Dismiss"
            aria-describedby={`${idBase}-${notice.id}`}
            onClick={() => onDismiss(notice.id)}
          >
            <span aria-hidden="true">×</span>
          </button>
        </div>
      ))}
    </div>
  );
}
