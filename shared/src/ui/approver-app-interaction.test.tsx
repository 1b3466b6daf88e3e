// Interaction tests in a light DOM (linkedom; no layout, no focus tracking), so the
// flows that string rendering cannot show are covered: keys, answering, a request
// decided elsewhere, drafts. Focus moves and real browsers are the e2e suite's job.
import { parseHTML } from 'linkedom';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AnyResponse, Decision, Grant, SignoffRequest } from '../protocol/index.js';
import { ApproverApp, type ApproverAppProps } from './approver-app.js';
import type { RespondResult } from './request-detail.js';
import { sampleRequest } from '../samples/requests.js';
import { toStoredDraft } from './forms/form-draft.js';

interface Mounted {
  root: HTMLElement;
  update: (overrides: Partial<ApproverAppProps>) => void;
  key: (key: string, target?: EventTarget) => void;
  click: (element: Element | null | undefined) => void;
  type: (element: Element | null | undefined, value: string) => void;
  /** Sets a checkbox or radio button, as a click in a browser would, and fires its change. */
  check: (element: Element | null | undefined, checked?: boolean) => void;
  settle: () => Promise<void>;
  button: (name: string) => HTMLButtonElement | undefined;
  field: (label: string) => HTMLInputElement | HTMLTextAreaElement | undefined;
  text: () => string;
}

const globals = globalThis as { document?: unknown; window?: unknown };
afterEach(() => {
  delete globals.document;
  delete globals.window;
});

function mount(overrides: Partial<ApproverAppProps> = {}): Mounted {
  const { document, window } = parseHTML('<!doctype html><html><body><div id="root"></div></body></html>');
  globals.document = document;
  globals.window = window;
  const root = document.getElementById('root') as unknown as HTMLElement;
  let props: ApproverAppProps = {
    pending: [],
    history: [],
    feed: [],
    connection: 'connected',
    queued: new Set(),
    notices: [],
    onDismissNotice: () => {},
    now: 60_000,
    loadDraft: () => Promise.resolve(undefined),
    saveDraft: () => {},
    respond: () => Promise.resolve({ ok: true }),
    ...overrides,
  };
  const draw = () => void act(() => render(<ApproverApp {...props} />, root));
  draw();

  const fire = (target: EventTarget, type: string, init: Record<string, unknown> = {}) => {
    const event = new window.Event(type, { bubbles: true, cancelable: true });
    for (const [name, value] of Object.entries(init)) Object.defineProperty(event, name, { value });
    void act(() => {
      target.dispatchEvent(event as unknown as Event);
    });
  };
  const buttons = () => Array.from(root.querySelectorAll('button'));
  const nameOf = (button: HTMLButtonElement) => button.getAttribute('aria-label') ?? button.textContent?.replace('←', '').trim();
  return {
    root,
    update: (next) => {
      props = { ...props, ...next };
      draw();
    },
    key: (key, target = document as unknown as EventTarget) => fire(target, 'keydown', { key }),
    click: (element) => {
      if (!element) throw new Error('nothing to click');
      fire(element, 'click');
      // A browser submits the form when its submit button is clicked; linkedom does not.
      const form = element.closest('form');
      if (element.getAttribute('type') === 'submit' && form && !(element as HTMLButtonElement).disabled) fire(form, 'submit');
    },
    type: (element, value) => {
      if (!element) throw new Error('nothing to type into');
      (element as HTMLInputElement).value = value;
      fire(element, 'input');
    },
    check: (element, checked = true) => {
      if (!element) throw new Error('nothing to check');
      (element as HTMLInputElement).checked = checked;
      fire(element, 'change');
    },
    settle: () =>
      act(async () => {
        for (let i = 0; i < 5; i++) await Promise.resolve();
      }),
    button: (name) => buttons().find((b) => nameOf(b) === name),
    field: (label) => {
      const target = Array.from(root.querySelectorAll('label')).find((l) => l.textContent?.replace('*', '').trim() === label)?.getAttribute('for');
      return target ? (root.querySelector(`[id="${target}"]`) as HTMLInputElement | undefined) : undefined;
    },
    text: () => root.textContent ?? '',
  };
}

const approval = sampleRequest('approval', { id: 'appr', severity: 'high', createdAt: 1 });
const edit = sampleRequest('edit', { id: 'edit', severity: 'medium', createdAt: 2 });
const heading = (m: Mounted) => m.root.querySelector('h2')?.textContent ?? null;

describe('keyboard', () => {
  it('j/k move the selection, Enter opens, Escape goes back', () => {
    const m = mount({ pending: [approval, edit] });
    const selected = () => m.root.querySelector('[data-selected="true"] .so-row-title')?.textContent;
    expect(selected()).toBe(approval.title);
    m.key('j');
    expect(selected()).toBe(edit.title);
    m.key('j');
    expect(selected()).toBe(edit.title);
    m.key('k');
    m.key('Enter');
    expect(heading(m)).toBe(approval.title);
    m.key('Escape');
    expect(heading(m)).toBeNull();
    expect(selected()).toBe(approval.title);
  });

  it('ignores shortcuts typed into a text field', () => {
    const respond = vi.fn(() => Promise.resolve<RespondResult>({ ok: true }));
    const m = mount({ pending: [approval], respond, initialRequestId: 'appr' });
    m.key('a', m.field('Reason'));
    expect(respond).not.toHaveBeenCalled();
    m.key('Escape', m.field('Reason'));
    expect(heading(m)).toBe(approval.title); // Escape in a field only leaves the field
  });

  it('a approves the open approval and returns to the list', async () => {
    const respond = vi.fn((_id: string, _response: AnyResponse) => Promise.resolve<RespondResult>({ ok: true }));
    const m = mount({ pending: [approval], respond, initialRequestId: 'appr' });
    m.key('a');
    await m.settle();
    expect(respond).toHaveBeenCalledWith('appr', { approved: true });
    expect(heading(m)).toBeNull();
  });

  it('Enter in the Reason box rejects with the reason', async () => {
    const respond = vi.fn((_id: string, _response: AnyResponse) => Promise.resolve<RespondResult>({ ok: true }));
    const m = mount({ pending: [approval], respond, initialRequestId: 'appr' });
    m.type(m.field('Reason'), '  not on a Friday ');
    m.key('Enter', m.field('Reason'));
    await m.settle();
    expect(respond).toHaveBeenCalledWith('appr', { approved: false, reason: 'not on a Friday' });
  });
});

describe('answering', () => {
  it('approves a picked alternative', async () => {
    const respond = vi.fn((_id: string, _response: AnyResponse) => Promise.resolve<RespondResult>({ ok: true }));
    const m = mount({ pending: [approval], respond, initialRequestId: 'appr' });
    const archive = m.root.querySelector('input[value="archive"]') as HTMLInputElement;
    archive.checked = true;
    void act(() => {
      archive.dispatchEvent(new (globals.window as typeof window).Event('change', { bubbles: true }));
    });
    m.click(m.button('Approve'));
    await m.settle();
    expect(respond).toHaveBeenCalledWith('appr', { approved: true, alternativeId: 'archive' });
  });

  it('asks for a reason before rejecting, and sends nothing', () => {
    const respond = vi.fn(() => Promise.resolve<RespondResult>({ ok: true }));
    const m = mount({ pending: [approval], respond, initialRequestId: 'appr' });
    m.click(m.button('Reject'));
    expect(respond).not.toHaveBeenCalled();
    expect(m.root.querySelector('.so-field-error')?.textContent).toMatch(/Give a reason/);
    expect(m.field('Reason')?.getAttribute('aria-invalid')).toBe('true');
  });

  it('shows the refusal in place and stays open', async () => {
    const m = mount({
      pending: [approval],
      initialRequestId: 'appr',
      respond: () => Promise.resolve({ ok: false, message: 'already decided by Ada via socket' }),
    });
    m.click(m.button('Approve'));
    await m.settle();
    expect(heading(m)).toBe(approval.title);
    expect(m.root.querySelector('[role="alert"]')?.textContent).toBe('already decided by Ada via socket');
  });

  it('turns a thrown error into a message', async () => {
    const m = mount({ pending: [approval], initialRequestId: 'appr', respond: () => Promise.reject(new Error('socket closed')) });
    m.click(m.button('Approve'));
    await m.settle();
    expect(m.root.querySelector('[role="alert"]')?.textContent).toBe('socket closed');
  });

  it('sends a clarification form and shows field errors beside their fields', async () => {
    const respond = vi.fn((_id: string, _response: AnyResponse) => Promise.resolve<RespondResult>({ ok: true }));
    const question = sampleRequest('clarification', { id: 'q' });
    const m = mount({ pending: [question], respond, initialRequestId: 'q' });
    m.type(m.field('CPU cores'), 'four');
    m.click(m.button('Send'));
    expect(respond).not.toHaveBeenCalled();
    const cores = m.field('CPU cores')!;
    expect(m.root.querySelector(`[id="${cores.getAttribute('aria-describedby')}"]`)?.textContent).toBe('CPU cores must be a number');
    expect(m.text()).toContain('Host name is required');
    m.type(m.field('Host name'), 'stage-1');
    m.type(m.field('CPU cores'), '4');
    m.click(m.button('Send'));
    await m.settle();
    expect(respond).toHaveBeenCalledWith('q', { values: { hostname: 'stage-1', cpus: 4, backups: false } });
  });
});

describe('decided elsewhere', () => {
  it('closes the open request and says who decided it', () => {
    const m = mount({ pending: [approval, edit], initialRequestId: 'appr' });
    const settled: SignoffRequest = {
      ...approval,
      status: 'resolved',
      decision: { requestId: 'appr', status: 'resolved', response: { approved: false }, respondedBy: 'Ada', via: 'socket', respondedAt: 50_000, waitMs: 4000 },
    };
    m.update({ pending: [edit], history: [settled] });
    expect(heading(m)).toBeNull();
    expect(m.root.querySelector('.so-notice')?.textContent).toContain(`“${approval.title}” was decided elsewhere: Rejected by Ada via socket`);
    m.click(m.button('Dismiss'));
    expect(m.root.querySelector('.so-notice')).toBeNull();
  });

  it('stays quiet when the request left because this UI answered it', async () => {
    let resolve: (result: RespondResult) => void = () => {};
    const m = mount({ pending: [approval], initialRequestId: 'appr', respond: () => new Promise((r) => (resolve = r)) });
    m.click(m.button('Approve'));
    m.update({ pending: [] }); // the hub's request:resolved beats the ack
    expect(heading(m)).toBe(approval.title);
    resolve({ ok: true });
    await m.settle();
    expect(heading(m)).toBeNull();
    expect(m.root.querySelector('.so-notice')).toBeNull();
  });
});

describe('drafts', () => {
  it('restores a saved edit and saves every change', async () => {
    const saved: unknown[] = [];
    const m = mount({
      pending: [edit],
      initialRequestId: 'edit',
      loadDraft: () => Promise.resolve(toStoredDraft('edit', { content: 'Saved text', reason: '' })),
      saveDraft: (_id, draft) => saved.push(draft),
    });
    await m.settle();
    const editor = m.field('Draft (Markdown)')!;
    expect(editor.value).toBe('Saved text');
    m.type(editor, 'Saved text!');
    expect(saved).toEqual([toStoredDraft('edit', { content: 'Saved text!', reason: '' })]);
    expect(m.root.querySelector('.so-diff')?.textContent).toContain('+ Saved text!');
  });

  it('keeps Save edits off while a JSON draft does not parse', async () => {
    const respond = vi.fn((_id: string, _response: AnyResponse) => Promise.resolve<RespondResult>({ ok: true }));
    const json = sampleRequest('edit', { id: 'json', draft: { format: 'json', content: '{"a": 1}' } });
    const m = mount({ pending: [json], initialRequestId: 'json', respond });
    m.type(m.field('Draft (JSON)'), '{"a": ');
    expect(m.button('Save edits')?.disabled).toBe(true);
    expect(m.text()).toContain('Not valid JSON');
    m.type(m.field('Draft (JSON)'), '{"a": 2}');
    m.click(m.button('Save edits'));
    await m.settle();
    expect(respond).toHaveBeenCalledWith('json', { action: 'edit', content: '{"a": 2}' });
  });
});

describe('editing arguments', () => {
  const respondSpy = () => vi.fn((_id: string, _response: AnyResponse) => Promise.resolve<RespondResult>({ ok: true }));
  const args = approval.action!.args!;
  const edited = (changes: Record<string, unknown>) => JSON.stringify({ ...args, ...changes }, null, 2);
  const openEditor = (m: Mounted) => {
    m.click(m.button('Edit arguments'));
    return m.field('Arguments (JSON)')!;
  };

  it('opens on the original, shows what changed, and approves the edits with a note', async () => {
    const respond = respondSpy();
    const m = mount({ pending: [approval], respond, initialRequestId: 'appr' });
    expect(m.field('Arguments (JSON)')).toBeUndefined();
    const editor = openEditor(m);
    expect(editor.value).toBe(JSON.stringify(args, null, 2));
    expect(m.text()).toContain('No values changed');
    m.type(editor, edited({ count: 100 }));
    expect(m.root.querySelector('.so-arg-changes')?.textContent).toBe(
      "You are approving EDITED argumentsThe action will run with your values, not the agent's:editedArgs.count: 5000 → 100",
    );
    expect(m.button('Approve')).toBeUndefined();
    m.type(m.field('Note'), ' only a first batch ');
    m.click(m.button('Approve with edits'));
    await m.settle();
    expect(respond).toHaveBeenCalledWith('appr', { approved: true, reason: 'only a first batch', editedArgs: { ...args, count: 100 } });
  });

  it('sends no editedArgs when the open editor changed nothing', async () => {
    const respond = respondSpy();
    const m = mount({ pending: [approval], respond, initialRequestId: 'appr' });
    m.type(openEditor(m), JSON.stringify(args));
    m.click(m.button('Approve'));
    await m.settle();
    expect(respond).toHaveBeenCalledWith('appr', { approved: true });
  });

  it('names the path and the problem while typing, and will not approve until fixed or discarded', async () => {
    const respond = respondSpy();
    const m = mount({ pending: [approval], respond, initialRequestId: 'appr' });
    const editor = openEditor(m);
    m.type(editor, edited({ count: 'all' }));
    expect(editor.getAttribute('aria-invalid')).toBe('true');
    expect(m.root.querySelector(`[id="${editor.getAttribute('aria-describedby')?.split(' ')[1]}"]`)?.textContent).toBe(
      'editedArgs.count: expected a number, not a string',
    );
    m.click(m.button('Approve'));
    m.key('a');
    expect(respond).not.toHaveBeenCalled();
    expect(m.root.querySelector('[role="alert"]')?.textContent).toBe('Not approved: fix the edited arguments above, or discard the edits.');
    m.click(m.button('Discard edits'));
    expect(m.field('Arguments (JSON)')).toBeUndefined();
    m.click(m.button('Approve'));
    await m.settle();
    expect(respond).toHaveBeenCalledWith('appr', { approved: true });
  });

  it('keeps a, r and Enter from acting while typing in the editor or the note', async () => {
    const respond = respondSpy();
    const m = mount({ pending: [approval], respond, initialRequestId: 'appr' });
    const editor = openEditor(m);
    m.type(editor, edited({ count: 10 }));
    for (const key of ['a', 'r', 'Enter']) m.key(key, editor);
    m.key('a', m.field('Note'));
    m.key('Enter', m.field('Note'));
    expect(respond).not.toHaveBeenCalled();
    m.key('a'); // outside a box, a approves what is shown: the edited arguments
    await m.settle();
    expect(respond).toHaveBeenCalledWith('appr', { approved: true, editedArgs: { ...args, count: 10 } });
  });

  it('turns the editor off when an alternative is picked, and approves the alternative without the edits', async () => {
    const respond = respondSpy();
    const m = mount({ pending: [approval], respond, initialRequestId: 'appr' });
    const editor = openEditor(m);
    m.type(editor, edited({ count: 10 }));
    const archive = m.root.querySelector('input[value="archive"]') as HTMLInputElement;
    archive.checked = true;
    void act(() => {
      archive.dispatchEvent(new (globals.window as typeof window).Event('change', { bubbles: true }));
    });
    expect(m.field('Arguments (JSON)')?.disabled).toBe(true);
    expect(m.text()).toContain('approving an alternative does not send them');
    expect(m.root.querySelector('.so-arg-changes')).toBeNull();
    m.click(m.button('Approve'));
    await m.settle();
    expect(respond).toHaveBeenCalledWith('appr', { approved: true, alternativeId: 'archive' });
  });

  it('saves the edit text with the draft and reopens the editor on it', async () => {
    const saved: unknown[] = [];
    const first = mount({ pending: [approval], initialRequestId: 'appr', saveDraft: (_id, draft) => saved.push(draft) });
    first.type(openEditor(first), edited({ count: 7 }));
    expect(saved.at(-1)).toEqual(
      toStoredDraft('approval', { alternativeId: null, reason: '', note: '', argsText: edited({ count: 7 }), remember: expect.objectContaining({ on: false }) }),
    );

    const m = mount({ pending: [approval], initialRequestId: 'appr', loadDraft: () => Promise.resolve(saved.at(-1)) });
    await m.settle();
    expect(m.field('Arguments (JSON)')?.value).toBe(edited({ count: 7 }));
    expect(m.text()).toContain('editedArgs.count: 5000 → 7');
  });

  it('lists at most 20 changes of a large argument object and counts the rest', () => {
    const rows = Array.from({ length: 2500 }, (_, i) => ({ id: i, email: `user${i}@example.com` }));
    const big = sampleRequest('approval', { id: 'big', action: { name: 'mail.send', args: { rows } } });
    const m = mount({ pending: [big], initialRequestId: 'big' });
    const editor = openEditor(m);
    m.type(editor, editor.value.replaceAll('@example.com', '@example.org'));
    expect(m.root.querySelectorAll('.so-arg-changes li')).toHaveLength(20);
    expect(m.text()).toContain('and 2480 more changes');
  });

  it('keeps hostile arguments and edits as text, hidden characters as escapes and markers', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const hostile = sampleRequest('approval', { id: 'evil', action: { name: 'x', args: { html: evil, file: 'invoice\u202Efdp.exe' } } });
    const m = mount({ pending: [hostile], initialRequestId: 'evil' });
    const editor = openEditor(m);
    expect(editor.value).toBe('{\n  "html": "<img src=x onerror=alert(1)>",\n  "file": "invoice\\u202Efdp.exe"\n}');
    m.type(editor, JSON.stringify({ html: `${evil}!`, file: 'invoice\u202Efdp.exe' }));
    expect(m.root.querySelector('img')).toBeNull();
    expect(m.root.querySelector('.so-arg-changes li')?.textContent).toBe(`editedArgs.html: ${JSON.stringify(evil)} → ${JSON.stringify(`${evil}!`)}`);
  });

  it('shows no editor for an action without arguments', () => {
    const bare = sampleRequest('approval', { id: 'bare', action: { name: 'deploy' } });
    const m = mount({ pending: [bare], initialRequestId: 'bare' });
    expect(m.button('Edit arguments')).toBeUndefined();
    expect(m.field('Note')).toBeDefined();
  });
});

describe('"Always allow this"', () => {
  const shell = sampleRequest('approval', {
    id: 'sh',
    severity: 'medium',
    reversible: true,
    runId: 'run-1',
    agentId: 'coder',
    alternatives: [{ id: 'dry', description: 'Dry run first' }],
    action: { name: 'shell', args: { command: 'npm run test:unit' } },
  });
  const respondSpy = () => vi.fn((_id: string, _response: AnyResponse) => Promise.resolve<RespondResult>({ ok: true }));
  const remember = (m: Mounted) => m.root.querySelector<HTMLInputElement>('.so-remember > label > input');
  const radio = (m: Mounted, label: string) =>
    Array.from(m.root.querySelectorAll('.so-remember label')).find((l) => l.textContent === label)?.querySelector('input');

  it('is off by default and approves without remembering', async () => {
    const respond = respondSpy();
    const m = mount({ pending: [shell], respond, initialRequestId: 'sh' });
    // linkedom leaves `checked` unset on a box that was never checked.
    expect(remember(m)).not.toBeNull();
    expect(Boolean(remember(m)!.checked)).toBe(false);
    expect(m.field('Commands to allow')).toBeUndefined();
    m.click(m.button('Approve'));
    await m.settle();
    expect(respond).toHaveBeenCalledWith('sh', { approved: true });
  });

  it('sends the duration, scope and a widened pattern with Approve', async () => {
    const respond = respondSpy();
    const m = mount({ pending: [shell], respond, initialRequestId: 'sh' });
    m.check(remember(m));
    expect(m.field('Commands to allow')?.value).toBe('npm run test:unit');
    expect(m.text()).toContain('This run (run-1)');
    m.check(radio(m, 'Until revoked'));
    m.check(radio(m, 'This agent (every run)'));
    m.type(m.field('Commands to allow'), 'npm run test:*');
    m.click(m.button('Approve'));
    await m.settle();
    expect(respond).toHaveBeenCalledWith('sh', { approved: true, remember: { for: 'always', scope: 'agent', pattern: 'npm run test:*' } });
  });

  it('says live what is wrong with a pattern, and does not approve with it', async () => {
    const respond = respondSpy();
    const m = mount({ pending: [shell], respond, initialRequestId: 'sh' });
    m.check(remember(m));
    m.type(m.field('Commands to allow'), 'npm *');
    expect(m.root.querySelector('.so-remember .so-field-error')?.textContent).toBe('widen to at least "npm <subcommand>*", not every npm command');
    m.click(m.button('Approve'));
    await m.settle();
    expect(respond).not.toHaveBeenCalled();
  });

  it('is disabled, saying why, while an alternative is picked, and not sent with it', async () => {
    const respond = respondSpy();
    const m = mount({ pending: [shell], respond, initialRequestId: 'sh' });
    m.check(remember(m));
    m.check(m.root.querySelector('.so-choices input[value="dry"]'));
    expect(remember(m)?.disabled).toBe(true);
    expect(remember(m)?.checked).toBe(false);
    expect(m.root.querySelector('.so-remember')?.textContent).toContain('Not available: an approved alternative cannot be remembered');
    m.click(m.button('Approve'));
    await m.settle();
    expect(respond).toHaveBeenCalledWith('sh', { approved: true, alternativeId: 'dry' });
  });

  it('is disabled while the arguments are edited', () => {
    const m = mount({ pending: [shell], initialRequestId: 'sh' });
    m.click(m.button('Edit arguments'));
    expect(remember(m)?.disabled).toBe(false);
    m.type(m.field('Arguments (JSON)'), '{"command": "npm run test:all"}');
    expect(remember(m)?.disabled).toBe(true);
    expect(m.root.querySelector('.so-remember')?.textContent).toContain('Not available: an approval with edited arguments cannot be remembered');
  });

  it('is not offered for critical or irreversible requests', () => {
    const m = mount({ pending: [approval, { ...shell, id: 'crit', severity: 'critical' }], initialRequestId: 'appr' });
    expect(m.root.querySelector('.so-remember')).toBeNull();
    m.update({ initialRequestId: 'crit' });
    expect(m.text()).not.toContain('Always allow this');
  });

  it('keeps its settings in the form draft', async () => {
    const saveDraft = vi.fn();
    const m = mount({ pending: [shell], initialRequestId: 'sh', saveDraft });
    await m.settle();
    m.check(remember(m));
    m.check(radio(m, 'Until the end of the day'));
    await m.settle();
    expect(saveDraft).toHaveBeenLastCalledWith('sh', toStoredDraft('approval', expect.objectContaining({ remember: { on: true, for: 'today', scope: 'run', pattern: null } })));
  });
});

describe('policy decisions in history and feed', () => {
  const base = sampleRequest('approval', { severity: 'medium', reversible: true });
  const settled = (id: string, decision: Partial<Decision>): SignoffRequest => ({
    ...base,
    id,
    title: `Request ${id}`,
    status: decision.status ?? 'resolved',
    decision: { requestId: id, status: 'resolved', response: { approved: true }, respondedBy: 'Ada', via: 'socket', respondedAt: 50_000, waitMs: 0, ...decision },
  });
  const grant: Grant = {
    id: 'g1', createdBy: 'Ada', requestId: 'r0', agentId: 'a', scope: 'agent', runId: null,
    match: { type: 'exact', action: 'x', args: null }, createdAt: 1, expiresAt: null, uses: 1, lastUsedAt: null,
  };
  const tab = (m: Mounted, name: string) => m.click(Array.from(m.root.querySelectorAll('[role="tab"]')).find((t) => t.textContent?.startsWith(name)));

  it('names rules, grants and guardrails in history rows, and flags an unguarded approval', () => {
    const m = mount({
      history: [
        settled('h1', { via: 'rule', respondedBy: 'rule:tests', rule: 'tests' }),
        settled('h2', { via: 'grant', respondedBy: 'grant:g1', grantId: 'g1' }),
        settled('h3', { status: 'blocked', guardrail: { id: 'code-safety', reason: 'Deletes recursively.' } }),
        settled('h4', { unguarded: { id: 'pii', reason: 'Contains an email address.' } }),
      ],
      grants: [grant],
    });
    tab(m, 'History');
    const labels = Array.from(m.root.querySelectorAll('.so-row .so-outcome')).map((e) => e.textContent);
    expect(labels).toEqual(expect.arrayContaining(['Allowed by rule “tests”', 'Allowed by a grant from Ada', 'Blocked by the code-safety guardrail', 'Approved']));
    expect(m.root.querySelector('.so-pill-warn')?.textContent).toBe('Guardrail off');
  });

  it('shows the guardrail’s reason and the unguarded warning in the decision', () => {
    const blocked = mount({ history: [settled('h3', { status: 'blocked', guardrail: { id: 'code-safety', reason: 'Deletes recursively.' } })], initialRequestId: 'h3' });
    const decision = blocked.root.querySelector('[aria-label="Decision"]');
    expect(decision?.querySelector('.so-outcome')?.textContent).toBe('Blocked by the code-safety guardrail');
    expect(decision?.querySelector('.so-pre-line')?.textContent).toBe('Deletes recursively.');

    const unguarded = mount({ history: [settled('h4', { unguarded: { id: 'pii', reason: 'Contains an email\u202e address.' } })], initialRequestId: 'h4' });
    const warning = unguarded.root.querySelector('[aria-label="Decision"] .so-banner-warn');
    expect(warning?.textContent).toContain('Approved only because the pii guardrail is off in policy.yaml; it would have blocked this: Contains an email');
    // The reason quotes the agent's text: a direction-changing character shows as a marker, never acts.
    expect(warning?.textContent).not.toContain('\u202e');
  });

  it('lists an audit-rule approval in the feed as allowed by its rule', () => {
    const audited = settled('f1', { via: 'rule', respondedBy: 'rule:log-deploys', rule: 'log-deploys', audit: true });
    const m = mount({ history: [audited], feed: [audited, sampleRequest('notify')] });
    tab(m, 'Feed');
    expect(m.root.querySelector('.so-row .so-outcome')?.textContent).toBe('Allowed by rule “log-deploys”');
    expect(m.text()).toContain('Nightly backup finished');
  });
});

describe('lists', () => {
  it('shows another page on Show more', () => {
    const pending = Array.from({ length: 120 }, (_, i) => sampleRequest('approval', { id: `r${i}`, createdAt: i }));
    const m = mount({ pending });
    const count = () => m.root.querySelectorAll('.so-row').length;
    expect(count()).toBe(50);
    m.click(m.root.querySelector('.so-show-more'));
    expect(count()).toBe(100);
  });

  it('switches tabs with a click', () => {
    const m = mount({ pending: [approval], feed: [sampleRequest('notify')] });
    m.click(Array.from(m.root.querySelectorAll('[role="tab"]')).find((t) => t.textContent?.startsWith('Feed')));
    expect(m.text()).toContain('Nightly backup finished');
    expect(m.text()).not.toContain(approval.title);
  });
});
