import { describe, expect, it } from 'vitest';
import { isTypingTarget, shortcutFor, type KeyInput } from './keyboard.js';

const body = { tagName: 'BODY' };
const press = (key: string, target: KeyInput['target'] = body, extra: Partial<KeyInput> = {}): KeyInput => ({ key, target, ...extra });

describe('shortcutFor in the list', () => {
  it('moves with j/k and opens with Enter', () => {
    expect(shortcutFor(press('j'), 'list')).toBe('next');
    expect(shortcutFor(press('k'), 'list')).toBe('previous');
    expect(shortcutFor(press('Enter'), 'list')).toBe('open');
  });

  it('leaves Enter to a focused button (it opens by itself)', () => {
    expect(shortcutFor(press('Enter', { tagName: 'BUTTON' }), 'list')).toBeNull();
    expect(shortcutFor(press('j', { tagName: 'BUTTON' }), 'list')).toBe('next');
  });

  it('ignores keys with modifiers, while composing, and Escape', () => {
    expect(shortcutFor(press('j', body, { ctrlKey: true }), 'list')).toBeNull();
    expect(shortcutFor(press('j', body, { metaKey: true }), 'list')).toBeNull();
    expect(shortcutFor(press('j', body, { isComposing: true }), 'list')).toBeNull();
    expect(shortcutFor(press('Escape'), 'list')).toBeNull();
  });
});

describe('shortcutFor in a detail', () => {
  it('goes back with Escape', () => {
    expect(shortcutFor(press('Escape'), 'detail')).toBe('back');
  });

  it('approves with a and jumps to the reason with r, only in an approval', () => {
    expect(shortcutFor(press('a'), 'approval')).toBe('approve');
    expect(shortcutFor(press('r'), 'approval')).toBe('focusReason');
    expect(shortcutFor(press('a'), 'detail')).toBeNull();
    expect(shortcutFor(press('j'), 'approval')).toBeNull();
  });

  it('ignores letters while typing, and Escape only leaves the field', () => {
    const input = { tagName: 'INPUT', type: 'text' };
    expect(shortcutFor(press('a', input), 'approval')).toBeNull();
    expect(shortcutFor(press('r', { tagName: 'TEXTAREA' }), 'approval')).toBeNull();
    expect(shortcutFor(press('Escape', input), 'approval')).toBe('leaveField');
  });
});

describe('isTypingTarget', () => {
  it('knows text fields from other controls', () => {
    expect(isTypingTarget({ tagName: 'INPUT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'input', type: 'search' })).toBe(true);
    expect(isTypingTarget({ tagName: 'SELECT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'radio' })).toBe(false);
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
