import { describe, expect, it } from 'vitest';
import { isTypingTarget, keyAction, moveIndex, promptKey, SHORTCUTS } from './keyboard';

describe('moveIndex', () => {
  it('moves down and up', () => {
    expect(moveIndex(0, 1, 3)).toBe(1);
    expect(moveIndex(2, -1, 3)).toBe(1);
  });

  it('clamps at both ends', () => {
    expect(moveIndex(2, 1, 3)).toBe(2);
    expect(moveIndex(0, -1, 3)).toBe(0);
  });

  it('selects the first row when nothing is selected', () => {
    expect(moveIndex(-1, 1, 3)).toBe(0);
    expect(moveIndex(-1, -1, 3)).toBe(0);
  });

  it('clamps a selection past the end of a list that shrank', () => {
    expect(moveIndex(7, 1, 3)).toBe(2);
    expect(moveIndex(7, -1, 3)).toBe(2);
  });

  it('has nothing to select in an empty list', () => {
    expect(moveIndex(-1, 1, 0)).toBe(-1);
    expect(moveIndex(0, 1, 0)).toBe(-1);
  });
});

describe('isTypingTarget', () => {
  it('recognises inputs, textareas, selects and editable elements', () => {
    expect(isTypingTarget({ tagName: 'INPUT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTypingTarget({ tagName: 'select' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
  });

  it('does not count buttons, the page, or nothing', () => {
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget({ tagName: 'BODY', isContentEditable: false })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
    expect(isTypingTarget(undefined)).toBe(false);
  });
});

describe('keyAction', () => {
  const body = { tagName: 'BODY' };

  it('maps j/k and the arrows to moves', () => {
    expect(keyAction({ key: 'j', target: body })).toEqual({ type: 'move', delta: 1 });
    expect(keyAction({ key: 'ArrowDown', target: body })).toEqual({ type: 'move', delta: 1 });
    expect(keyAction({ key: 'k', target: body })).toEqual({ type: 'move', delta: -1 });
    expect(keyAction({ key: 'ArrowUp', target: body })).toEqual({ type: 'move', delta: -1 });
  });

  it('maps 1–9 to queues by position', () => {
    expect(keyAction({ key: '1', target: body })).toEqual({ type: 'selectQueue', index: 0 });
    expect(keyAction({ key: '9', target: body })).toEqual({ type: 'selectQueue', index: 8 });
    expect(keyAction({ key: '0', target: body })).toBeNull();
  });

  it('maps ? to the help panel and Escape to closing it (or the open form)', () => {
    expect(keyAction({ key: '?', target: body })).toEqual({ type: 'toggleHelp' });
    expect(keyAction({ key: 'Escape', target: body })).toEqual({ type: 'close' });
  });

  it('maps , to the notification settings, but not while typing', () => {
    expect(keyAction({ key: ',', target: body })).toEqual({ type: 'toggleAlertSettings' });
    expect(keyAction({ key: ',', target: { tagName: 'INPUT' } })).toBeNull();
    expect(keyAction({ key: ',', ctrlKey: true, target: body })).toBeNull();
  });

  it('maps c, h, n, e, o and s to the conversation actions', () => {
    const keys = ['c', 'h', 'n', 'e', 'o', 's'].map((key) => keyAction({ key, target: body }));
    expect(keys).toEqual([
      { type: 'conversation', key: 'claimToggle' },
      { type: 'conversation', key: 'handoff' },
      { type: 'conversation', key: 'note' },
      { type: 'conversation', key: 'done' },
      { type: 'conversation', key: 'reopen' },
      { type: 'conversation', key: 'snooze' },
    ]);
  });

  it('leaves the action letters alone while typing, but lets Escape close the form', () => {
    for (const key of ['c', 'h', 'n', 'e', 'o', 's']) {
      expect(keyAction({ key, target: { tagName: 'TEXTAREA' } })).toBeNull();
      expect(keyAction({ key, target: { tagName: 'INPUT' } })).toBeNull();
    }
    expect(keyAction({ key: 'Escape', target: { tagName: 'TEXTAREA' } })).toEqual({ type: 'close' });
    expect(keyAction({ key: 'Escape', isComposing: true, target: { tagName: 'TEXTAREA' } })).toBeNull();
  });

  it('does not treat capitals or modified letters as actions', () => {
    expect(keyAction({ key: 'C', target: body })).toBeNull();
    expect(keyAction({ key: 'c', ctrlKey: true, target: body })).toBeNull();
    expect(keyAction({ key: 's', metaKey: true, target: body })).toBeNull();
  });

  it('ignores keys typed into text fields', () => {
    expect(keyAction({ key: 'j', target: { tagName: 'INPUT' } })).toBeNull();
    expect(keyAction({ key: '1', target: { tagName: 'TEXTAREA' } })).toBeNull();
    expect(keyAction({ key: '?', target: { tagName: 'DIV', isContentEditable: true } })).toBeNull();
  });

  it('leaves modified keys and other keys alone', () => {
    expect(keyAction({ key: '0', ctrlKey: true, target: body })).toBeNull();
    expect(keyAction({ key: '1', metaKey: true, target: body })).toBeNull();
    expect(keyAction({ key: '1', ctrlKey: true, altKey: true, target: body })).toBeNull();
    expect(keyAction({ key: 'j', metaKey: true, target: body })).toBeNull();
    expect(keyAction({ key: 'k', altKey: true, target: body })).toBeNull();
    expect(keyAction({ key: 'j', isComposing: true, target: body })).toBeNull();
    expect(keyAction({ key: 'x', target: body })).toBeNull();
  });
});

describe('keyAction for workspaces, accounts and replies', () => {
  const body = { tagName: 'BODY' };

  it('maps Ctrl+1–9 to the workspaces by position, even from a text field', () => {
    expect(keyAction({ key: '1', ctrlKey: true, target: body })).toEqual({ type: 'switchWorkspace', index: 0 });
    expect(keyAction({ key: '9', ctrlKey: true, target: { tagName: 'TEXTAREA' } })).toEqual({
      type: 'switchWorkspace',
      index: 8,
    });
  });

  it('reads the physical digit key, so layouts with shifted digits (AZERTY) work', () => {
    expect(keyAction({ key: '&', code: 'Digit1', ctrlKey: true, target: body })).toEqual({
      type: 'switchWorkspace',
      index: 0,
    });
    expect(keyAction({ key: '2', code: 'Digit2', ctrlKey: true, shiftKey: true, target: body })).toEqual({
      type: 'switchWorkspace',
      index: 1,
    });
  });

  it('maps w to the workspace switcher, a to the accounts and r to the reply box, but not while typing', () => {
    expect(keyAction({ key: 'w', target: body })).toEqual({ type: 'toggleWorkspaceMenu' });
    expect(keyAction({ key: 'a', target: body })).toEqual({ type: 'toggleAccounts' });
    expect(keyAction({ key: 'r', target: body })).toEqual({ type: 'focusReply' });
    for (const key of ['w', 'a', 'r']) {
      expect(keyAction({ key, target: { tagName: 'TEXTAREA' } }), `${key} while typing`).toBeNull();
      expect(keyAction({ key, ctrlKey: true, target: body }), `Ctrl+${key}`).toBeNull();
    }
  });
});

describe('keyAction for the response times', () => {
  it('maps t to the Response times panel, keeping r for the reply box', () => {
    const body = { tagName: 'BODY' };
    expect(keyAction({ key: 't', target: body })).toEqual({ type: 'toggleResponseTimes' });
    expect(keyAction({ key: 'r', target: body })).toEqual({ type: 'focusReply' });
    expect(keyAction({ key: 't', target: { tagName: 'INPUT' } })).toBeNull();
    expect(keyAction({ key: 't', ctrlKey: true, target: body })).toBeNull();
    expect(SHORTCUTS).toContainEqual({ keys: 't', action: 'Response times' });
    expect(keyAction({ key: 'p', target: body })).toEqual({ type: 'toggleSavedReplies' });
    expect(keyAction({ key: 'p', target: { tagName: 'TEXTAREA' } }), 'typing a p').toBeNull();
    expect(SHORTCUTS).toContainEqual({ keys: 'p', action: 'Saved replies' });
    expect(SHORTCUTS.map((s) => s.keys)).toContain('Ctrl+/');
  });
});

describe('SHORTCUTS', () => {
  it('lists every shortcut in the help', () => {
    const keys = SHORTCUTS.map((s) => s.keys);
    for (const key of ['j / ↓', 'k / ↑', '1 – 9', 'c', 'h', 'n', 'e', 'o', 's', 'r', 'w', 'Ctrl+1 – 9', 'a', 't', ',', '?', 'Esc']) {
      expect(keys).toContain(key);
    }
  });
});

describe('promptKey', () => {
  it('cancels the prompt on Esc, and leaves Enter to the focused button (no shortcut takes it either)', () => {
    expect(promptKey({ key: 'Escape' })).toBe('cancel');
    expect(promptKey({ key: 'Escape', isComposing: true })).toBeNull();
    expect(promptKey({ key: 'Enter' })).toBeNull();
    const button = { tagName: 'BUTTON' };
    expect(keyAction({ key: 'Enter', target: button }), 'Enter on a button is the button\'s').toBeNull();
  });
});
