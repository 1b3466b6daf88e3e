import type { RefObject } from 'preact';
import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import type { AnyResponse, Grant, SignoffRequest } from '../protocol/index.js';
import { summarizeDecision } from './decision-summary.js';
import { prettyJson } from './json-text.js';
import { AgentDescription, ReadOnlyFacts } from './request-facts.js';
import { ContextView, Countdown, RequestMeta } from './request-meta.js';
import { formatAgo, formatDuration } from './time-format.js';
import type { LoadedDraft } from './use-form-draft.js';
import { ApprovalView } from './views/approval-view.js';
import { CheckpointView } from './views/checkpoint-view.js';
import { ClarificationView } from './views/clarification-view.js';
import { EditView } from './views/edit-view.js';
import { EscalationView } from './views/escalation-view.js';
import { ExternalView } from './views/external-view.js';
import { HIDDEN_CHARACTERS_WARNING, requestHasHiddenCharacters, visibleText } from './visible-text.js';

/** What the host's `respond` resolves to: sent (or queued), or refused with a message for the human. */
export type RespondResult = { ok: true } | { ok: false; message: string };

/** Props of {@link RequestDetail}; the app passes its host's callbacks through. */
export interface RequestDetailProps {
  request: SignoffRequest;
  /** `respond`: a pending request to answer; `read`: a notification or a past decision. */
  mode: 'respond' | 'read';
  /** An answer to it is queued offline: show that, and take no second one. */
  queued: boolean;
  now: number;
  loadDraft: (id: string) => Promise<unknown>;
  saveDraft: (id: string, draft: unknown) => void;
  respond: (response: AnyResponse) => Promise<RespondResult>;
  onBack: () => void;
  /** Focused when the detail opens, so screen readers announce the request. */
  headingRef?: RefObject<HTMLHeadingElement | null>;
  /** The hub's grants, to name who made the one behind a decision. */
  grants?: readonly Grant[];
}

/**
 * One request in full, in the order a person should read it: the title; kind,
 * severity, agent and deadline; a warning when the agent's text holds hidden
 * characters; the request's own facts (action and arguments, reversibility,
 * consequences, alternatives…); then, set apart, the agent's context and
 * description; then the kind's controls (or, read-only, what was decided). The
 * agent's words never come before the facts they could contradict. Shows the
 * host's refusal (`already decided by Ada via socket`) in place.
 */
export function RequestDetail(props: RequestDetailProps) {
  const { request, mode, queued, now, onBack, headingRef } = props;
  const titleId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState<LoadedDraft>({ status: 'loading' });
  const live = useRef(true);
  const answerable = mode === 'respond' && request.kind !== 'notify';
  const hidden = useMemo(() => requestHasHiddenCharacters(request), [request]);

  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  // Through a ref: a host passing a new function each render (each clock tick)
  // must not reload the draft every second.
  const loadDraft = useRef(props.loadDraft);
  loadDraft.current = props.loadDraft;
  useEffect(() => {
    if (!answerable) return undefined;
    let current = true;
    setLoaded({ status: 'loading' });
    // A throwing or rejecting store only costs the saved draft, never the form.
    void Promise.resolve()
      .then(() => loadDraft.current(request.id))
      .then(
        (draft) => current && setLoaded({ status: 'loaded', draft }),
        () => current && setLoaded({ status: 'loaded', draft: undefined }),
      );
    return () => {
      current = false;
    };
  }, [request.id, answerable]);

  // A ref, not the `busy` state: two clicks in one frame must not send twice.
  const sending = useRef(false);
  const submit = (response: AnyResponse) => {
    if (sending.current || queued) return;
    sending.current = true;
    setBusy(true);
    setError(null);
    const refused = (error: unknown): RespondResult => ({ ok: false, message: error instanceof Error ? error.message : String(error) });
    let answer: Promise<RespondResult>;
    try {
      answer = props.respond(response); // called now, so the app knows of the answer before any push from the hub
    } catch (error) {
      answer = Promise.resolve(refused(error));
    }
    void answer
      .catch(refused)
      .then((result) => {
        sending.current = false;
        if (!live.current) return;
        setBusy(false);
        if (!result.ok) setError(result.message);
      });
  };
  const description = (
    <>
      <ContextView context={request.context} />
      <AgentDescription body={request.body} />
    </>
  );
  const common = {
    description,
    loaded,
    saveDraft: (draft: unknown) => props.saveDraft(request.id, draft),
    busy,
    locked: queued,
    submit,
  };

  return (
    <article class={`so-detail so-edge-${request.severity}`} aria-labelledby={titleId}>
      <div class="so-detail-bar">
        <button type="button" class="so-btn so-btn-quiet" onClick={onBack}>
          <span aria-hidden="true">← </span>Back
        </button>
        {mode === 'respond' && <Countdown expiresAt={request.expiresAt} now={now} />}
      </div>
      <h2 id={titleId} class="so-title" tabIndex={-1} ref={headingRef}>
        {visibleText(request.title)}
      </h2>
      <RequestMeta request={request} now={now} pending={mode === 'respond'} />
      {hidden && (
        <p class="so-hidden-warning" role="note">
          <strong>{HIDDEN_CHARACTERS_WARNING}.</strong> They are shown as markers such as ⟨U+202E⟩; read the marked text
          carefully before you decide.
        </p>
      )}
      {!answerable && (
        <>
          <ReadOnlyFacts request={request} />
          {description}
        </>
      )}
      {answerable && queued && (
        <p class="so-queued" role="status">
          Your answer is queued and is sent when the hub is back.
        </p>
      )}
      {answerable ? <KindView key={request.id} request={request} {...common} /> : <DecisionView request={request} now={now} grants={props.grants} />}
      {busy && (
        <p class="so-hint" role="status">
          Sending…
        </p>
      )}
      {error !== null && (
        <p class="so-error" role="alert">
          {error}
        </p>
      )}
    </article>
  );
}

type CommonKindProps = Omit<Parameters<typeof ApprovalView>[0], 'request' | 'submit'> & { submit: (response: AnyResponse) => void };

/** The answer form for the request's kind. */
function KindView({ request, ...common }: CommonKindProps & { request: SignoffRequest }) {
  switch (request.kind) {
    case 'approval':
      return <ApprovalView request={request} {...common} />;
    case 'clarification':
      return <ClarificationView request={request} {...common} />;
    case 'edit':
      return <EditView request={request} {...common} />;
    case 'escalation':
      return <EscalationView request={request} {...common} />;
    case 'checkpoint':
      return <CheckpointView request={request} {...common} />;
    case 'external':
      return <ExternalView request={request} {...common} />;
    case 'notify':
      return null;
  }
}

/** A settled request, read-only: what was decided, by whom, through which surface, how long it waited. */
function DecisionView({ request, now, grants }: { request: SignoffRequest; now: number; grants: readonly Grant[] | undefined }) {
  const decision = request.decision;
  if (request.kind === 'notify' && (!decision || decision.response === null)) {
    return <p class="so-hint">A notice for the record: nothing to decide.</p>;
  }
  if (!decision) return <p class="so-hint">No decision recorded.</p>;
  const summary = summarizeDecision(request, grants ? { grants } : {});
  return (
    <section class="so-section" aria-label="Decision">
      <h3>Decision</h3>
      <p>
        <span class={`so-outcome so-outcome-${summary.outcome ?? 'none'}`}>{visibleText(summary.label)}</span>
      </p>
      <p class="so-hint">
        by {visibleText(decision.respondedBy)} via {decision.via}, {formatAgo(decision.respondedAt, now)} · waited {formatDuration(decision.waitMs)}
      </p>
      {summary.note !== undefined && <p class="so-pre-line">{visibleText(summary.note)}</p>}
      {summary.warning !== undefined && (
        <p class="so-banner so-banner-warn" role="note">
          {visibleText(summary.warning)}
        </p>
      )}
      {decision.response !== null && (
        <details>
          <summary>Response</summary>
          <pre class="so-json">{visibleText(prettyJson(decision.response))}</pre>
        </details>
      )}
    </section>
  );
}
