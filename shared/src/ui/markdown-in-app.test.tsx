// A GFM table in a request body, rendered by the approver app the extension popup
// and the desktop window both mount (`ApproverApp`), in a light DOM (linkedom).
import { parseHTML } from 'linkedom';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { SignoffRequest } from '../protocol/index.js';
import { ApproverApp } from './approver-app.js';
import { sampleRequest } from '../samples/requests.js';

const globals = globalThis as { document?: unknown; window?: unknown };
afterEach(() => {
  delete globals.document;
  delete globals.window;
});

function mountOpen(request: SignoffRequest): HTMLElement {
  const { document, window } = parseHTML('<!doctype html><html><body><div id="root"></div></body></html>');
  globals.document = document;
  globals.window = window;
  const root = document.getElementById('root') as unknown as HTMLElement;
  void act(() =>
    render(
      <ApproverApp
        pending={[request]}
        history={[]}
        feed={[]}
        connection="connected"
        queued={new Set()}
        notices={[]}
        onDismissNotice={() => {}}
        now={60_000}
        loadDraft={() => Promise.resolve(undefined)}
        saveDraft={() => {}}
        respond={() => Promise.resolve({ ok: true })}
        initialRequestId={request.id}
      />,
      root,
    ),
  );
  return root;
}

const body = [
  'Rows to delete, by table:',
  '',
  '| Table | Rows | Backed up |',
  '|:------|-----:|:---------:|',
  '| `users` | **5,000** | ~~no~~ yes |',
  '| sessions | 81,233 | yes |',
  '',
  '- [x] export taken',
  '- [ ] owner told',
].join('\n');

describe('a GFM table in a request body', () => {
  it('renders as a table, with its header, alignment and cell formatting', () => {
    const root = mountOpen(sampleRequest('approval', { id: 'tbl', body }));
    const table = root.querySelector('.so-md .so-md-table table');
    expect(table).not.toBeNull();
    const headers = Array.from(table!.querySelectorAll('thead th')).map((th) => [th.textContent, th.getAttribute('class')]);
    expect(headers).toEqual([
      ['Table', 'so-md-align-left'],
      ['Rows', 'so-md-align-right'],
      ['Backed up', 'so-md-align-center'],
    ]);
    const rows = Array.from(table!.querySelectorAll('tbody tr')).map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent));
    expect(rows).toEqual([
      ['users', '5,000', 'no yes'],
      ['sessions', '81,233', 'yes'],
    ]);
    expect(table!.querySelector('tbody td code')?.textContent).toBe('users');
    expect(table!.querySelector('tbody td strong')?.textContent).toBe('5,000');
    expect(table!.querySelector('tbody td del')?.textContent).toBe('no');
    expect(table!.querySelector('[style]')).toBeNull();
  });

  it('shows task boxes that cannot be ticked', () => {
    const root = mountOpen(sampleRequest('approval', { id: 'tasks', body }));
    const boxes = Array.from(root.querySelectorAll('.so-md li.so-md-task input[type="checkbox"]')) as unknown as HTMLInputElement[];
    // linkedom keeps `checked` as the attribute only.
    expect(boxes.map((box) => [box.hasAttribute('checked'), box.disabled])).toEqual([
      [true, true],
      [false, true],
    ]);
  });

  it('renders in the edit view preview of a markdown draft too', () => {
    const root = mountOpen(sampleRequest('edit', { id: 'draft', draft: { format: 'markdown', content: body } }));
    const preview = root.querySelector('.so-preview') as HTMLDetailsElement;
    // Closed, the preview renders nothing: markdown is not parsed on every keystroke of a draft nobody previews.
    expect(preview.querySelector('.so-md')).toBeNull();
    void act(() => {
      preview.open = true;
      preview.dispatchEvent(new (globals.window as typeof globalThis).Event('toggle'));
    });
    expect(root.querySelector('.so-preview .so-md table tbody')?.querySelectorAll('tr')).toHaveLength(2);
  });

  it('keeps agent HTML in a cell as text', () => {
    const root = mountOpen(sampleRequest('approval', { id: 'evil', body: '| a |\n|---|\n| <img src=x onerror=alert(1)> |' }));
    expect(root.querySelector('.so-md td')?.textContent).toBe('<img src=x onerror=alert(1)>');
    expect(root.querySelector('.so-md img')).toBeNull();
  });
});
