// What a person can do to a conversation: the actions, their words, which ones apply, and the backend call for each.
import type { CollisionCheck, WorkspaceBackend } from './backend';
import type { ConversationSummary, DoneReason, Queue, QueueId, QueueSummary, Thread } from './bindings';

export type ConversationAction =
  | { type: 'claim' }
  | { type: 'release' }
  | { type: 'reopen' }
  /** `toMember`: in a team, the teammate (id) it is handed to; absent or null for anyone in the queue. */
  | { type: 'hand_off'; queue: QueueId; note: string; toMember?: string | null }
  | { type: 'add_note'; note: string }
  /** A lead hides item `itemId` from the public with a reason, or shows it again. */
  | { type: 'set_item_hidden'; itemId: number; hidden: boolean; reason: string }
  | { type: 'mark_done'; reason: DoneReason }
  | { type: 'snooze'; minutes: number }
  /**
   * `key`: the reply's idempotency key, the same for every attempt to send this reply. `check`: in a team, the
   * thread's version when the person opened it, and whether they chose to send anyway after a collision.
   */
  | { type: 'reply'; text: string; key: string; check?: CollisionCheck }
  | { type: 'retry_reply'; replyId: number }
  /** A lead approves a trainee's reply, edited when `text` is given; `confirmedRules`: the guardrail warnings the lead confirmed. */
  | { type: 'approve_reply'; approval: string; text: string | null; confirmedRules?: string[] | null }
  /** A lead rejects a trainee's reply with a reason. */
  | { type: 'reject_reply'; approval: string; reason: string };

export type ActionType = ConversationAction['type'];

/** The actions of the reply box and the outgoing replies (their failures show there, not in the actions bar). */
export function isReplyAction(type: ActionType): boolean {
  return type === 'reply' || type === 'retry_reply' || type === 'approve_reply' || type === 'reject_reply';
}

/** The inline forms an action opens before it runs. */
export type FormName = 'handoff' | 'note' | 'done' | 'snooze';

/** Sends one action to the backend; resolves with the conversation as it now stands. */
export function runAction(backend: WorkspaceBackend, conversationId: number, action: ConversationAction): Promise<Thread> {
  switch (action.type) {
    case 'claim':
      return backend.claim(conversationId);
    case 'release':
      return backend.release(conversationId);
    case 'reopen':
      return backend.reopen(conversationId);
    case 'hand_off':
      return action.toMember
        ? backend.handOff(conversationId, action.queue, action.note, action.toMember)
        : backend.handOff(conversationId, action.queue, action.note);
    case 'add_note':
      return backend.addNote(conversationId, action.note);
    case 'set_item_hidden':
      return backend.setItemHidden(conversationId, action.itemId, action.hidden, action.reason);
    case 'mark_done':
      return backend.markDone(conversationId, action.reason);
    case 'snooze':
      return backend.snooze(conversationId, action.minutes);
    case 'reply':
      return action.check
        ? backend.sendReply(conversationId, action.text, action.key, action.check)
        : backend.sendReply(conversationId, action.text, action.key);
    case 'retry_reply':
      return backend.retryReply(conversationId, action.replyId);
    case 'approve_reply':
      return action.confirmedRules
        ? backend.approveReply(conversationId, action.approval, action.text, action.confirmedRules)
        : backend.approveReply(conversationId, action.approval, action.text);
    case 'reject_reply':
      return backend.rejectReply(conversationId, action.approval, action.reason);
  }
}

export const DONE_REASONS: ReadonlyArray<{ reason: DoneReason; label: string }> = [
  { reason: 'answered_elsewhere', label: 'Answered elsewhere' },
  { reason: 'no_reply_needed', label: 'No reply needed' },
  { reason: 'spam', label: 'Spam' },
];

export function doneReasonLabel(reason: DoneReason): string {
  return DONE_REASONS.find((r) => r.reason === reason)?.label ?? String(reason);
}

export const SNOOZE_CHOICES: ReadonlyArray<{ minutes: number; label: string }> = [
  { minutes: 15, label: '15 min' },
  { minutes: 60, label: '1 h' },
  { minutes: 240, label: '4 h' },
  { minutes: 1440, label: '1 day' },
];

/** What a button says while its action runs. */
const PENDING_LABELS: Record<ActionType, string> = {
  claim: 'Claiming…',
  release: 'Releasing…',
  reopen: 'Reopening…',
  hand_off: 'Handing off…',
  add_note: 'Saving…',
  set_item_hidden: 'Saving…',
  mark_done: 'Marking done…',
  snooze: 'Snoozing…',
  reply: 'Sending…',
  retry_reply: 'Retrying…',
  approve_reply: 'Approving…',
  reject_reply: 'Rejecting…',
};

export function pendingLabel(type: ActionType): string {
  return PENDING_LABELS[type];
}

export const EMPTY_NOTE_MESSAGE = 'Write a note first.';

/** Why a note cannot be sent as it is, or null when it can. */
export function noteProblem(note: string): string | null {
  return note.trim() === '' ? EMPTY_NOTE_MESSAGE : null;
}

/** The queues a conversation can be handed off to: every queue but its own, in sidebar order. */
export function handoffTargets(queues: readonly QueueSummary[], current: QueueId): Queue[] {
  return queues.map((q) => q.queue).filter((q) => q.id !== current);
}

/** The target queue to show as chosen: the draft's choice while it is still a target, else the first target. */
export function chosenTarget(draft: QueueId | null, targets: readonly Queue[]): QueueId | null {
  if (draft !== null && targets.some((q) => q.id === draft)) return draft;
  return targets[0]?.id ?? null;
}

/** Who did a history entry: the person, or "Platform" for items that arrived from the platform. */
export function historyWho(by: string | null): string {
  return by ?? 'Platform';
}

/** The conversation shortcuts (c, h, n, e, o, s). */
export type ConversationKey = 'claimToggle' | 'handoff' | 'note' | 'done' | 'reopen' | 'snooze';

export type KeyCommand = { run: ConversationAction } | { open: FormName } | null;

/** What a conversation shortcut does to this conversation, or null when it does not apply. */
export function keyCommand(key: ConversationKey, conversation: ConversationSummary): KeyCommand {
  const done = conversation.done_reason !== null;
  switch (key) {
    case 'claimToggle':
      return { run: { type: conversation.claimed_by !== null ? 'release' : 'claim' } };
    case 'handoff':
      return { open: 'handoff' };
    case 'note':
      return { open: 'note' };
    case 'done':
      return done ? null : { open: 'done' };
    case 'reopen':
      return done ? { run: { type: 'reopen' } } : null;
    case 'snooze':
      return { open: 'snooze' };
  }
}
