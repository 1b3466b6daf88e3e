/**
 * The approver UI both hosts render (the extension popup and the tray window):
 * pure Preact components fed through props, plus the pure logic under them.
 * Import as `@signoff/shared/ui`; inject {@link APPROVER_CSS} in a `<style>`.
 */
export { ApproverApp, type ApproverAppProps } from './approver-app.js';
export { APPROVER_CSS } from './approver-css.js';
export { RequestDetail, type RequestDetailProps, type RespondResult } from './request-detail.js';
export { MarkdownView, type MarkdownViewProps } from './markdown-view.js';
export { FeedRow, HistoryRow, PendingRow } from './request-rows.js';
export { ConnectionBanner, NoticeList, type Notice } from './status-banners.js';

export { CONNECTION_BANNERS, ConnectionState, KIND_LABELS, OFFLINE_WITHOUT_OUTBOX_BANNER, SEVERITY_LABELS } from './labels.js';
export { sortFeed, sortHistory, sortQueue, settledAt } from './queue-order.js';
export { countdownUrgency, formatAge, formatAgo, formatCountdown, formatDuration, isoTime } from './time-format.js';
export { diffLines, diffStats, foldUnchanged, splitLines, MAX_DIFF_CELLS, type DiffHunkLine, type DiffLine } from './line-diff.js';
export { inlineText, MAX_MARKDOWN_NESTING, parseInline, parseMarkdown, type MdBlock, type MdInline } from './markdown.js';
export { ALLOWED_LINK_PROTOCOLS, safeHref } from './safe-href.js';
export { discloseLink, type LinkDisclosure } from './link-target.js';
export { describeHiddenCharacter, HIDDEN_CHARACTERS_WARNING, markHiddenCharacters, requestHasHiddenCharacters, visibleText } from './visible-text.js';
export { AgentDescription, ReadOnlyFacts } from './request-facts.js';
export { clampIndex, DEFAULT_PAGE_SIZE, shownToInclude, visiblePage } from './pagination.js';
export { isActivatingTarget, isTypingTarget, Shortcut, shortcutFor, type KeyInput, type KeyTarget, type ShortcutScope } from './keyboard.js';
export { initialNavigation, navigate, selectedIndexIn, Tab, type Navigation, type NavigationAction } from './navigation.js';
export { isFeedItem, summarizeDecision, vanishedNotice, type DecisionContext, type DecisionSummary } from './decision-summary.js';
export { prettyJson } from './json-text.js';
export { GrantsList, grantExpiryText, grantMatchText, grantScopeText, grantUsesText, type GrantsListProps, type RevokeResult } from './grants-list.js';

export { finishResponse, errorAt, optionalText, reasonRequired, REASON_MISSING, type BuildResult, type FieldError } from './forms/form-result.js';
export { storedForm, toStoredDraft, type StoredDraft } from './forms/form-draft.js';
export { ApprovalAction, buildApprovalResponse, initialApprovalForm, restoreApprovalForm, type ApprovalForm } from './forms/approval-form.js';
export {
  buildClarificationResponse,
  freeformAllowed,
  initialClarificationForm,
  restoreClarificationForm,
  type ClarificationForm,
} from './forms/clarification-form.js';
export { buildEditResponse, draftProblem, EditAction, initialEditForm, restoreEditForm, type EditForm } from './forms/edit-form.js';
export { buildEscalationResponse, EscalationAction, initialEscalationForm, restoreEscalationForm, type EscalationForm } from './forms/escalation-form.js';
export {
  buildCheckpointResponse,
  CheckpointAction,
  initialCheckpointForm,
  restoreCheckpointForm,
  toggleSkip,
  type CheckpointForm,
} from './forms/checkpoint-form.js';
export { buildExternalResponse, initialExternalForm, parseToolResult, restoreExternalForm, type ExternalForm } from './forms/external-form.js';
