// Keyboard shortcuts as pure functions: which key means what, and where the selection moves.
import type { ConversationKey } from './actions';

export type KeyAction =
  | { type: 'move'; delta: 1 | -1 }
  | { type: 'selectQueue'; index: number }
  | { type: 'toggleHelp' }
  /** `,`: opens or closes the notification settings. */
  | { type: 'toggleAlertSettings' }
  /** Esc: closes the topmost dialog, menu or panel, or the open action form. */
  | { type: 'close' }
  | { type: 'conversation'; key: ConversationKey }
  /** `r`: puts the cursor in the open conversation's reply box. */
  | { type: 'focusReply' }
  /** `w`: opens or closes the workspace switcher. */
  | { type: 'toggleWorkspaceMenu' }
  /** `a`: opens or closes the Accounts panel. */
  | { type: 'toggleAccounts' }
  /** `t`: opens or closes the Response times panel (`r` already writes a reply). */
  | { type: 'toggleResponseTimes' }
  /** `p`: opens or closes the Saved replies panel. */
  | { type: 'toggleSavedReplies' }
  /** Ctrl+1…9: opens the n-th workspace (0-based index). */
  | { type: 'switchWorkspace'; index: number };

/** The parts of a KeyboardEvent the shortcuts look at. */
export interface KeyInput {
  key: string;
  /** The physical key (`Digit1`…), so Ctrl+1 works on layouts whose digits need Shift. */
  code?: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
  isComposing?: boolean;
  target?: unknown;
}

export interface TargetLike {
  tagName?: string;
  isContentEditable?: boolean;
}

const TYPING_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/** Whether keys pressed on this element are someone typing, which shortcuts must leave alone. */
export function isTypingTarget(target: unknown): boolean {
  if (typeof target !== 'object' || target === null) return false;
  const element = target as TargetLike;
  if (element.isContentEditable === true) return true;
  return typeof element.tagName === 'string' && TYPING_TAGS.has(element.tagName.toUpperCase());
}

export const SHORTCUTS: ReadonlyArray<{ keys: string; action: string }> = [
  { keys: 'j / ↓', action: 'Next conversation' },
  { keys: 'k / ↑', action: 'Previous conversation' },
  { keys: '1 – 9', action: 'Go to queue 1 to 9' },
  { keys: 'c', action: 'Claim or release the conversation' },
  { keys: 'h', action: 'Hand off to another queue…' },
  { keys: 'n', action: 'Add a note…' },
  { keys: 'e', action: 'Mark done…' },
  { keys: 'o', action: 'Reopen (or undo the last Done)' },
  { keys: 's', action: 'Snooze…' },
  { keys: 'r', action: 'Write a reply (Ctrl+Enter sends)' },
  { keys: 'Ctrl+/', action: 'Insert a saved reply (in the reply box)' },
  { keys: 'w', action: 'Switch workspace (↑ ↓ or j k, Enter)' },
  { keys: 'Ctrl+1 – 9', action: 'Open workspace 1 to 9' },
  { keys: 'a', action: 'Brand accounts' },
  { keys: 't', action: 'Response times' },
  { keys: 'p', action: 'Saved replies' },
  { keys: ',', action: 'Notification settings' },
  { keys: '?', action: 'Show or hide this help' },
  { keys: 'Esc', action: 'Close the dialog, menu, panel or open form' },
];

const CONVERSATION_KEYS: ReadonlyMap<string, ConversationKey> = new Map<string, ConversationKey>([
  ['c', 'claimToggle'],
  ['h', 'handoff'],
  ['n', 'note'],
  ['e', 'done'],
  ['o', 'reopen'],
  ['s', 'snooze'],
]);

/** The action for a key press, or null when the key is not a shortcut here. */
export function keyAction(input: KeyInput): KeyAction | null {
  if (input.isComposing) return null;
  // Ctrl+digit types nothing, so it works from inside text fields too.
  if (input.ctrlKey && !input.metaKey && !input.altKey) {
    const digit = /^Digit([1-9])$/.exec(input.code ?? '')?.[1] ?? (input.shiftKey ? undefined : /^[1-9]$/.exec(input.key)?.[0]);
    if (digit !== undefined) return { type: 'switchWorkspace', index: Number(digit) - 1 };
  }
  if (input.ctrlKey || input.metaKey || input.altKey) return null;
  // Esc closes a form even from inside its text field; every other key there is typing.
  if (input.key === 'Escape') return { type: 'close' };
  if (isTypingTarget(input.target)) return null;
  switch (input.key) {
    case 'j':
    case 'ArrowDown':
      return { type: 'move', delta: 1 };
    case 'k':
    case 'ArrowUp':
      return { type: 'move', delta: -1 };
    case '?':
      return { type: 'toggleHelp' };
    case ',':
      return { type: 'toggleAlertSettings' };
    case 'r':
      return { type: 'focusReply' };
    case 'w':
      return { type: 'toggleWorkspaceMenu' };
    case 'a':
      return { type: 'toggleAccounts' };
    case 't':
      return { type: 'toggleResponseTimes' };
    case 'p':
      return { type: 'toggleSavedReplies' };
  }
  const conversationKey = CONVERSATION_KEYS.get(input.key);
  if (conversationKey) return { type: 'conversation', key: conversationKey };
  if (/^[1-9]$/.test(input.key)) return { type: 'selectQueue', index: Number(input.key) - 1 };
  return null;
}

/**
 * The index after moving by `delta` in a list of `length`, clamped at both ends.
 * With nothing selected (-1) any move selects the first row; an empty list gives -1.
 */
export function moveIndex(current: number, delta: number, length: number): number {
  if (length <= 0) return -1;
  if (current < 0) return 0;
  return Math.min(length - 1, Math.max(0, current + delta));
}

/**
 * A key on a prompt that asks before going on (the collision prompt): Esc cancels; Enter is left to the focused
 * button, which the browser clicks.
 */
export function promptKey(input: Pick<KeyInput, 'key' | 'isComposing'>): 'cancel' | null {
  return input.key === 'Escape' && !input.isComposing ? 'cancel' : null;
}
