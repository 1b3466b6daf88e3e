/**
 * Keyboard shortcuts as a pure mapping from a key event to an intent, so the rules
 * (never while typing, never with modifiers, Enter left to buttons) are tested
 * without a browser. Views bind the intents.
 */

export const Shortcut = {
  next: 'next',
  previous: 'previous',
  open: 'open',
  back: 'back',
  /** Escape inside a text field: leave the field first, so a half-typed reason is not lost by one key. */
  leaveField: 'leaveField',
  approve: 'approve',
  focusReason: 'focusReason',
} as const;
export type Shortcut = (typeof Shortcut)[keyof typeof Shortcut];

/** Where the keys are pressed: the list, a request's detail, or an approval's detail. */
export type ShortcutScope = 'list' | 'detail' | 'approval';

/** The parts of a focused element the rules look at (a DOM element fits). */
export interface KeyTarget {
  tagName?: string;
  type?: string;
  isContentEditable?: boolean;
}

/** The parts of a keyboard event the rules look at (a `KeyboardEvent` fits). */
export interface KeyInput {
  key: string;
  altKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  isComposing?: boolean;
  target: KeyTarget | EventTarget | null;
}

const NON_TEXT_INPUTS = new Set(['button', 'checkbox', 'color', 'file', 'image', 'radio', 'range', 'reset', 'submit']);

/** Whether keys typed at `target` are text: letters there must type, not jump. */
export function isTypingTarget(target: KeyInput['target']): boolean {
  const t = target as KeyTarget | null;
  if (!t) return false;
  if (t.isContentEditable) return true;
  const tag = t.tagName?.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  return tag === 'INPUT' && !NON_TEXT_INPUTS.has((t.type ?? 'text').toLowerCase());
}

/** Whether Enter already does something at `target` (a button, link or form control). */
export function isActivatingTarget(target: KeyInput['target']): boolean {
  const tag = (target as KeyTarget | null)?.tagName?.toUpperCase();
  return tag === 'BUTTON' || tag === 'A' || tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || tag === 'SUMMARY';
}

/**
 * The intent of a key press in `scope`, or `null` to let it be. List: `j`/`k` move,
 * Enter opens (unless a button has focus and opens by itself). Detail: Escape goes
 * back. Approval: `a` approves, `r` goes to the Reason box.
 */
export function shortcutFor(event: KeyInput, scope: ShortcutScope): Shortcut | null {
  if (event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return null;
  const typing = isTypingTarget(event.target);
  if (event.key === 'Escape') {
    if (scope === 'list') return null;
    return typing ? Shortcut.leaveField : Shortcut.back;
  }
  if (typing) return null;
  if (scope === 'list') {
    if (event.key === 'j') return Shortcut.next;
    if (event.key === 'k') return Shortcut.previous;
    if (event.key === 'Enter' && !isActivatingTarget(event.target)) return Shortcut.open;
    return null;
  }
  if (scope === 'approval') {
    if (event.key === 'a') return Shortcut.approve;
    if (event.key === 'r') return Shortcut.focusReason;
  }
  return null;
}
