// The team's actions from the window: a reply checked against what the person saw, the collision prompt's
// "send anyway" with the same key, hand-off to a person, and a lead's answer to a trainee's reply.
import { describe, expect, it, vi } from 'vitest';
import { ActionForms, type Perform } from './actionForms.svelte';
import { isReplyAction, runAction } from './actions';
import type { WorkspaceBackend } from './backend';
import type { Thread } from './bindings';
import { ConsoleState } from './consoleState.svelte';
import { ReplyDrafts } from './replyDrafts.svelte';
import { conversation, demoWorkspace, outgoingReply, queueSummary, threadOf, unusedWorkspaceBackend } from './testFixtures';

const COLLISION = 'Bob replied to this conversation after you opened it.';

/** One queue with conversation 1 at version 12; replies are refused as a collision until sent anyway. */
function collidingBackend() {
  const thread = (): Thread => ({ ...threadOf(conversation(1)), version: 12 });
  return {
    ...unusedWorkspaceBackend(),
    workspace: vi.fn(async () => demoWorkspace),
    queues: vi.fn(async () => [queueSummary('support', 'Support', 1)]),
    conversations: vi.fn(async () => [conversation(1)]),
    thread: vi.fn(async () => thread()),
    sendReply: vi.fn(async (_id: number, text: string, _key: string, check?: { seenVersion: number | null; sendAnyway: boolean }) => {
      if (!check?.sendAnyway) throw { code: 'collision', message: COLLISION };
      return { ...thread(), outgoing: [outgoingReply(1, text)] };
    }),
  };
}

describe('Sending a reply in a team', () => {
  it('is held back on a collision; "send anyway" sends the same reply with the same key and sendAnyway', async () => {
    const backend = collidingBackend();
    const state = new ConsoleState(backend);
    const replies = new ReplyDrafts(() => 'key-1');
    const perform: Perform = (id, action) => state.perform(action, id);
    await state.start();
    await state.selectConversation(1);
    const seenVersion = state.seenVersionFor(1);
    expect(seenVersion).toBe(12);

    replies.edit(1, 'Thanks, on it!');
    expect(await replies.send(1, 'mastodon', perform, { seenVersion, sendAnyway: false })).toBe(false);
    const failure = state.actionErrorFor(1, 'reply');
    expect(failure).toMatchObject({ code: 'collision', message: COLLISION });
    expect(replies.draft(1), 'the text stays').toBe('Thanks, on it!');

    expect(await replies.send(1, 'mastodon', perform, { seenVersion, sendAnyway: true })).toBe(true);
    expect(backend.sendReply.mock.calls).toEqual([
      [1, 'Thanks, on it!', 'key-1', { seenVersion: 12, sendAnyway: false }],
      [1, 'Thanks, on it!', 'key-1', { seenVersion: 12, sendAnyway: true }],
    ]);
    expect(state.actionErrorFor(1, 'reply')).toBeNull();
    expect(replies.draft(1)).toBe('');
  });

  it('cancelling the prompt forgets the collision and keeps the text', async () => {
    const backend = collidingBackend();
    const state = new ConsoleState(backend);
    const replies = new ReplyDrafts(() => 'key-1');
    await state.start();
    await state.selectConversation(1);
    replies.edit(1, 'Thanks!');
    await replies.send(1, 'mastodon', (id, action) => state.perform(action, id), { seenVersion: 12, sendAnyway: false });
    state.dismissActionError(2);
    expect(state.actionErrorFor(1, 'reply'), 'another conversation\'s cancel leaves it').not.toBeNull();
    state.dismissActionError(1);
    expect(state.actionErrorFor(1, 'reply')).toBeNull();
    expect(replies.draft(1)).toBe('Thanks!');
  });
});

describe('runAction in a team', () => {
  function backend() {
    const answer = threadOf(conversation(7));
    const record = () => vi.fn(async (..._args: unknown[]) => answer);
    return {
      handOff: record(),
      sendReply: record(),
      approveReply: record(),
      rejectReply: record(),
    };
  }

  it('hands off to a person, checks a reply, and answers a trainee\'s reply', async () => {
    const b = backend();
    const asBackend = b as unknown as WorkspaceBackend;
    await runAction(asBackend, 7, { type: 'hand_off', queue: 'sales', note: 'For you', toMember: 'priya' });
    await runAction(asBackend, 7, { type: 'hand_off', queue: 'sales', note: 'Anyone' });
    await runAction(asBackend, 7, { type: 'reply', text: 'Hi', key: 'k', check: { seenVersion: 3, sendAnyway: true } });
    await runAction(asBackend, 7, { type: 'approve_reply', approval: 'ap-1', text: null });
    await runAction(asBackend, 7, { type: 'approve_reply', approval: 'ap-1', text: 'Edited' });
    await runAction(asBackend, 7, { type: 'approve_reply', approval: 'ap-1', text: 'Edited', confirmedRules: ['messaging_app'] });
    await runAction(asBackend, 7, { type: 'reject_reply', approval: 'ap-2', reason: 'Too curt' });
    expect(b.handOff.mock.calls).toEqual([
      [7, 'sales', 'For you', 'priya'],
      [7, 'sales', 'Anyone'],
    ]);
    expect(b.sendReply.mock.calls).toEqual([[7, 'Hi', 'k', { seenVersion: 3, sendAnyway: true }]]);
    expect(b.approveReply.mock.calls).toEqual([
      [7, 'ap-1', null],
      [7, 'ap-1', 'Edited'],
      [7, 'ap-1', 'Edited', ['messaging_app']],
    ]);
    expect(b.rejectReply.mock.calls).toEqual([[7, 'ap-2', 'Too curt']]);
  });

  it('shows approval failures with the replies, not in the actions bar', () => {
    expect(isReplyAction('approve_reply')).toBe(true);
    expect(isReplyAction('reject_reply')).toBe(true);
    expect(isReplyAction('hand_off')).toBe(false);
  });
});

describe('The hand-off form in a team', () => {
  it('hands off to the chosen teammate, or to anyone in the queue', async () => {
    const forms = new ActionForms();
    const perform = vi.fn<Perform>(async () => true);
    const targets = [{ id: 'sales', label: 'Sales', color: '#000000' }];
    forms.edit(1, { handoffNote: 'Quote please', handoffMember: 'priya' });
    await forms.submitHandoff(1, targets, perform);
    expect(perform).toHaveBeenLastCalledWith(1, { type: 'hand_off', queue: 'sales', note: 'Quote please', toMember: 'priya' });
    expect(forms.draft(1).handoffMember, 'cleared once handed off').toBe('');

    forms.edit(2, { handoffNote: 'Anyone' });
    await forms.submitHandoff(2, targets, perform);
    expect(perform).toHaveBeenLastCalledWith(2, { type: 'hand_off', queue: 'sales', note: 'Anyone' });
  });
});
