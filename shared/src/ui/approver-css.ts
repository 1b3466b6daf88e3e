/**
 * The approver UI's styles, as a string the host puts in a `<style>` element (the
 * popup and the tray window bundle CSS differently; a string works in both and
 * needs no loader). Everything is scoped under `.so-app`, sized in rem/em so it
 * follows zoom (200 % included) and wraps rather than clips; colours come from
 * custom properties with a dark set for `prefers-color-scheme: dark`. No external
 * fonts or images. The app fills its container's width: a popup host sets the
 * width (about 25rem), a window host lets it grow (content caps at 56rem).
 * Agent text can be hostile: \`overflow-wrap: anywhere\` on the root lets a
 * 10,000-character unbroken string wrap instead of widening any box (it also
 * shrinks min-content, so flex and grid tracks stay narrow), and no track is
 * sized by max-content.
 */
export const APPROVER_CSS = String.raw`
.so-app {
  --so-bg: #ffffff;
  --so-fg: #1b1e24;
  --so-muted: #555c69;
  --so-border: #cfd4dc;
  --so-surface: #f3f5f8;
  --so-raised: #ffffff;
  --so-accent: #1f5bd6;
  --so-accent-fg: #ffffff;
  --so-danger: #b42318;
  --so-danger-fg: #ffffff;
  --so-focus: #1a66ff;
  --so-low: #2f7d32;
  --so-medium: #1f5bd6;
  --so-high: #a85a00;
  --so-critical: #c0241a;
  --so-ok-bg: #e7f5ea;
  --so-warn-bg: #fff4e0;
  --so-error-bg: #fdeceb;
  --so-info-bg: #e9f0fd;
  --so-added-bg: #e6f6ea;
  --so-added-fg: #14532d;
  --so-removed-bg: #fdecec;
  --so-removed-fg: #7f1d1d;
  --so-mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;

  box-sizing: border-box;
  inline-size: 100%;
  max-inline-size: 56rem;
  margin-inline: auto;
  padding: 0.5rem 0.75rem 0.75rem;
  background: var(--so-bg);
  color: var(--so-fg);
  font: 0.875rem/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  overflow-wrap: anywhere;
}

@media (prefers-color-scheme: dark) {
  .so-app {
    --so-bg: #17191d;
    --so-fg: #e8eaee;
    --so-muted: #a3aab6;
    --so-border: #3a3f48;
    --so-surface: #22252b;
    --so-raised: #1d2025;
    --so-accent: #6d9eff;
    --so-accent-fg: #0b1020;
    --so-danger: #ff7b72;
    --so-danger-fg: #1a0b0a;
    --so-focus: #8fb4ff;
    --so-low: #74c77a;
    --so-medium: #7fa8ff;
    --so-high: #f0a64a;
    --so-critical: #ff6b61;
    --so-ok-bg: #1b3322;
    --so-warn-bg: #3a2d12;
    --so-error-bg: #3d1b19;
    --so-info-bg: #1b2740;
    --so-added-bg: #173323;
    --so-added-fg: #a7e8b8;
    --so-removed-bg: #3d1c1c;
    --so-removed-fg: #ffb4ad;
    color-scheme: dark;
  }
}

.so-app *, .so-app *::before, .so-app *::after { box-sizing: border-box; }
.so-app :focus-visible { outline: 0.15rem solid var(--so-focus); outline-offset: 0.1rem; }
/* Headings take focus only so screen readers announce a newly opened request. */
.so-app [tabindex="-1"]:focus { outline: none; }
.so-app h1, .so-app h2, .so-app h3 { margin: 0; line-height: 1.25; }
.so-app p { margin: 0.25rem 0; }
.so-app code, .so-app kbd, .so-app pre { font-family: var(--so-mono); font-size: 0.9em; }

/* header, banners, notices */
.so-header { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 0.75rem; padding-block-end: 0.5rem; }
.so-brand { font-size: 1rem; font-weight: 700; }
.so-header-status { color: var(--so-muted); flex: 1 1 auto; }
.so-banner, .so-notice {
  display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem;
  padding: 0.4rem 0.6rem; margin-block-end: 0.5rem; border-radius: 0.375rem; border: 1px solid var(--so-border);
}
.so-banner-info { background: var(--so-info-bg); }
.so-banner-warn { background: var(--so-warn-bg); }
.so-banner-error { background: var(--so-error-bg); font-weight: 600; }
.so-notice { background: var(--so-surface); }
.so-notices:empty { display: none; }

/* tabs and lists */
.so-tabs { display: flex; flex-wrap: wrap; gap: 0.25rem; border-block-end: 1px solid var(--so-border); margin-block-end: 0.5rem; }
.so-tab {
  font: inherit; color: var(--so-muted); background: none; border: none; cursor: pointer;
  padding: 0.4rem 0.6rem; border-block-end: 0.15rem solid transparent; margin-block-end: -1px;
}
.so-tab[aria-selected="true"] { color: var(--so-fg); font-weight: 600; border-block-end-color: var(--so-accent); }
.so-count {
  display: inline-block; margin-inline-start: 0.35em; padding: 0 0.4em; border-radius: 1em;
  background: var(--so-surface); border: 1px solid var(--so-border); font-size: 0.8em; font-weight: 600;
}
.so-list { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 0.375rem; }
.so-row {
  display: flex; flex-direction: column; gap: 0.15rem; inline-size: 100%;
  padding: 0.45rem 0.6rem; text-align: start; font: inherit; color: inherit; cursor: pointer;
  background: var(--so-raised); border: 1px solid var(--so-border); border-inline-start: 0.3rem solid var(--so-sev, var(--so-border));
  border-radius: 0.375rem;
}
.so-row:hover { background: var(--so-surface); }
.so-row.is-selected { background: var(--so-surface); border-color: var(--so-accent); border-inline-start-color: var(--so-sev, var(--so-accent)); }
.so-row-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.4rem; }
.so-row-title { font-weight: 600; flex: 1 1 10rem; min-inline-size: 0; }
.so-row-meta { display: flex; flex-wrap: wrap; gap: 0.1rem 0.6rem; color: var(--so-muted); font-size: 0.9em; }
.so-row-note { color: var(--so-fg); font-size: 0.9em; overflow-wrap: anywhere; unicode-bidi: isolate; }
.so-show-more { margin-block-start: 0.5rem; inline-size: 100%; }
.so-empty { color: var(--so-muted); padding: 1rem 0; text-align: center; }

/* severity: a word in its colour, and an edge on rows and details */
.so-edge-low { --so-sev: var(--so-low); }
.so-edge-medium { --so-sev: var(--so-medium); }
.so-edge-high { --so-sev: var(--so-high); }
.so-edge-critical { --so-sev: var(--so-critical); }
.so-sev {
  display: inline-block; padding: 0 0.45em; border-radius: 1em; border: 1px solid currentColor;
  font-size: 0.78em; font-weight: 700; text-transform: uppercase; letter-spacing: 0.02em; white-space: nowrap;
}
.so-sev-low { color: var(--so-low); }
.so-sev-medium { color: var(--so-medium); }
.so-sev-high { color: var(--so-high); }
.so-sev-critical { color: var(--so-critical); background: var(--so-error-bg); }
.so-pill {
  display: inline-block; padding: 0 0.45em; border-radius: 1em; font-size: 0.78em; font-weight: 600;
  background: var(--so-info-bg); border: 1px solid var(--so-border);
}
.so-pill-warn { background: var(--so-warn-bg); }
.so-countdown { white-space: nowrap; font-variant-numeric: tabular-nums; }
.so-countdown-soon, .so-countdown-expired { color: var(--so-critical); font-weight: 700; }

/* outcomes */
.so-outcome { font-weight: 700; }
.so-outcome-approved { color: var(--so-low); }
.so-outcome-rejected { color: var(--so-critical); }
.so-outcome-expired, .so-outcome-none { color: var(--so-muted); }

/* detail */
.so-detail {
  display: flex; flex-direction: column; gap: 0.6rem;
  border-inline-start: 0.3rem solid var(--so-sev, var(--so-border)); padding-inline-start: 0.6rem;
}
.so-detail-bar { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem; }
.so-title { font-size: 1.05rem; }
.so-meta, .so-context { margin: 0; }
.so-meta { display: flex; flex-wrap: wrap; gap: 0.15rem 1rem; color: var(--so-muted); font-size: 0.9em; }
.so-meta > div { display: flex; gap: 0.3rem; align-items: baseline; }
.so-meta dt::after { content: ":"; }
.so-meta dd { margin: 0; color: var(--so-fg); }
/* fit-content, not max-content: a long unbroken key must wrap, not push the value out of the box */
.so-context > div { display: grid; grid-template-columns: fit-content(40%) minmax(0, 1fr); gap: 0.5rem; padding-block: 0.15rem; }
.so-context dt { min-inline-size: 0; }
.so-context dt { color: var(--so-muted); }
.so-context dd { margin: 0; }
.so-section h3 { font-size: 0.9rem; margin-block-end: 0.25rem; }
.so-section-warn h3 { color: var(--so-high); }
.so-lines { margin: 0; padding-inline-start: 1.2rem; }
.so-pre-line { white-space: pre-line; }
.so-json, .so-md pre, .so-diff {
  margin: 0; padding: 0.5rem; border-radius: 0.375rem; background: var(--so-surface); border: 1px solid var(--so-border);
  white-space: pre-wrap; overflow-wrap: anywhere; max-block-size: 24em; overflow: auto;
}
.so-action-name { font-weight: 700; }
.so-irreversible {
  padding: 0.4rem 0.6rem; border-radius: 0.375rem; font-weight: 600;
  color: var(--so-critical); background: var(--so-error-bg); border: 1px solid var(--so-critical);
}
.so-reversible { color: var(--so-low); }
.so-queued { padding: 0.4rem 0.6rem; border-radius: 0.375rem; background: var(--so-info-bg); }
.so-error { padding: 0.4rem 0.6rem; border-radius: 0.375rem; background: var(--so-error-bg); color: var(--so-danger); font-weight: 600; }
.so-keys { color: var(--so-muted); font-size: 0.85em; }
.so-keys kbd { padding: 0 0.3em; border: 1px solid var(--so-border); border-radius: 0.2em; background: var(--so-surface); }

/* forms */
.so-kind { display: flex; flex-direction: column; gap: 0.6rem; }
.so-field { display: flex; flex-direction: column; gap: 0.2rem; }
.so-field > label { font-weight: 600; }
.so-field input[type="text"], .so-field textarea, .so-field select {
  font: inherit; color: var(--so-fg); background: var(--so-raised); inline-size: 100%;
  padding: 0.35rem 0.5rem; border: 1px solid var(--so-border); border-radius: 0.3rem;
}
.so-field textarea { resize: vertical; min-block-size: 4.5em; }
.so-code-input { font-family: var(--so-mono) !important; font-size: 0.85em !important; }
.so-field [aria-invalid="true"] { border-color: var(--so-danger); }
.so-required { color: var(--so-danger); }
.so-hint { color: var(--so-muted); font-size: 0.88em; }
.so-field-error { color: var(--so-danger); font-size: 0.9em; font-weight: 600; }
.so-choices { margin: 0; padding: 0.4rem 0.6rem; border: 1px solid var(--so-border); border-radius: 0.375rem; display: flex; flex-direction: column; gap: 0.3rem; }
.so-choices legend { font-weight: 600; padding: 0 0.25rem; }
.so-choice { display: flex; align-items: flex-start; gap: 0.45rem; cursor: pointer; }
.so-choice input { margin-block-start: 0.2em; flex: none; }
.so-choice-note { display: block; }
.so-grants { display: flex; flex-direction: column; gap: 0.5rem; }
.so-grant-list { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 0.4rem; }
.so-grant { display: grid; grid-template-columns: 1fr auto; gap: 0.15rem 0.5rem; padding: 0.45rem 0.6rem; border: 1px solid var(--so-border); border-radius: 0.375rem; }
.so-grant > .so-btn { grid-column: 2; grid-row: 1 / span 3; align-self: center; }
.so-grant-what code { overflow-wrap: anywhere; unicode-bidi: isolate; }
.so-remember { display: flex; flex-direction: column; gap: 0.35rem; padding: 0.4rem 0.6rem; border: 1px dashed var(--so-border); border-radius: 0.375rem; }
.so-remember .so-hint { margin: 0; }
.so-remember-options { display: flex; flex-wrap: wrap; gap: 0.5rem; }
.so-remember-options .so-choices { flex: 1 1 10rem; }
.so-actions { display: flex; flex-wrap: wrap; gap: 0.5rem; }
/* A decision's note or error sits in its bar, on a line of its own above the buttons. */
.so-decision > p { flex: 1 1 100%; margin: 0; }
.so-btn {
  font: inherit; color: var(--so-fg); background: var(--so-surface); cursor: pointer;
  min-block-size: 2.2em; padding: 0.3em 0.85em; border: 1px solid var(--so-border); border-radius: 0.375rem;
}
.so-btn:hover:not(:disabled) { border-color: var(--so-accent); }
.so-btn:disabled { opacity: 0.55; cursor: not-allowed; }
.so-btn-primary { background: var(--so-accent); color: var(--so-accent-fg); border-color: var(--so-accent); font-weight: 600; }
.so-btn-danger { background: var(--so-danger); color: var(--so-danger-fg); border-color: var(--so-danger); font-weight: 600; }
.so-btn-quiet { background: none; }
.so-btn-small { min-block-size: 1.8em; padding: 0.1em 0.5em; font-size: 0.9em; }

/* checkpoint progress */
.so-progress-row { display: flex; align-items: center; gap: 0.5rem; }
.so-progress { flex: 1 1 auto; block-size: 0.6em; border-radius: 0.3em; background: var(--so-surface); border: 1px solid var(--so-border); overflow: hidden; }
.so-progress-fill { block-size: 100%; background: var(--so-accent); }
.so-progress-text { font-variant-numeric: tabular-nums; }

/* edit diff */
.so-diff-line { display: block; min-block-size: 1.45em; }
.so-diff-added { background: var(--so-added-bg); color: var(--so-added-fg); }
.so-diff-removed { background: var(--so-removed-bg); color: var(--so-removed-fg); }
.so-diff-skip { color: var(--so-muted); font-style: italic; }
.so-diff-stats { font-weight: 400; font-size: 0.9em; }
.so-diff-added-count { color: var(--so-low); }
.so-diff-removed-count { color: var(--so-critical); }
.so-preview > summary { cursor: pointer; font-weight: 600; }

/* approval: edited arguments */
.so-args-editor { display: flex; flex-direction: column; gap: 0.4rem; }
.so-args-editor .so-field-error { white-space: pre-line; }
.so-arg-changes { padding: 0.4rem 0.6rem; border-radius: 0.375rem; border: 1px solid var(--so-high); }
.so-arg-changes h3 { margin-block: 0 0.2rem; }

/* markdown */
.so-md { line-height: 1.5; }
.so-md > :first-child { margin-block-start: 0; }
.so-md p, .so-md ul, .so-md ol, .so-md blockquote, .so-md pre { margin: 0.35rem 0; }
.so-md h3, .so-md h4, .so-md h5, .so-md h6 { font-size: 0.95rem; margin: 0.6rem 0 0.25rem; }
.so-md ul, .so-md ol { padding-inline-start: 1.3rem; }
.so-md blockquote { padding-inline-start: 0.6rem; border-inline-start: 0.2rem solid var(--so-border); color: var(--so-muted); }
.so-md :not(pre) > code { padding: 0 0.25em; border-radius: 0.2em; background: var(--so-surface); }
.so-md a { color: var(--so-accent); text-decoration: underline; }
/* Where a link really goes, beside its words. */
.so-link-host { color: var(--so-muted); font-size: 0.85em; }
.so-link-target { color: var(--so-critical); font-size: 0.85em; font-weight: 600; font-family: var(--so-mono); }
/* An agent's headings are bold lines in its box, never headings like the request's sections. */
.so-md .so-md-heading { margin: 0.5rem 0 0.2rem; font-size: 1em; }

/* the agent's description: below the facts, set apart in its own box */
.so-agent-box {
  padding: 0.4rem 0.6rem; border: 1px dashed var(--so-border); border-radius: 0.375rem; background: var(--so-surface);
  min-inline-size: 0;
}

/* hidden and direction-changing characters, shown where they sit */
.so-hidden-char {
  display: inline-block; margin: 0 0.05em; padding: 0 0.2em; border: 1px solid currentColor; border-radius: 0.2em;
  font-family: var(--so-mono); font-size: 0.8em; font-weight: 600; font-style: normal; line-height: 1.2;
  color: var(--so-critical); background: var(--so-error-bg); unicode-bidi: isolate; direction: ltr; white-space: nowrap;
}
.so-hidden-warning {
  padding: 0.4rem 0.6rem; border-radius: 0.375rem;
  color: var(--so-critical); background: var(--so-error-bg); border: 1px solid var(--so-critical);
}
/* Agent text is isolated, so right-to-left words cannot reorder the words around them. */
.so-title, .so-row-title, .so-meta dd, .so-context dt, .so-context dd, .so-lines li, .so-choice > span, .so-action-name { unicode-bidi: isolate; }
.so-md hr { border: none; border-block-start: 1px solid var(--so-border); }

@media (forced-colors: active) {
  .so-row, .so-detail { border-inline-start-width: 0.3rem; }
  .so-row.is-selected { outline: 0.15rem solid Highlight; }
  .so-progress-fill { background: Highlight; }
}

@media (min-width: 40rem) {
  .so-app { padding: 0.75rem 1.25rem 1.25rem; }
}

/* markdown: GFM tables and task items (alignment by class: the window's CSP allows no style attributes) */
.so-md-table { margin: 0.35rem 0; max-inline-size: 100%; overflow-x: auto; }
.so-md table { border-collapse: collapse; font-size: 0.95em; }
.so-md th, .so-md td { padding: 0.2rem 0.5rem; border: 1px solid var(--so-border); text-align: start; vertical-align: top; unicode-bidi: isolate; }
.so-md th { background: var(--so-surface); font-weight: 600; }
.so-md .so-md-align-left { text-align: left; }
.so-md .so-md-align-center { text-align: center; }
.so-md .so-md-align-right { text-align: right; }
.so-md li.so-md-task { list-style: none; }
.so-md li.so-md-task > input { margin: 0; margin-inline: -1.3rem 0.3em; vertical-align: middle; }
`;
