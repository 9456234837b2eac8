import { describe, expect, it, vi } from 'vitest';
import { BackendError, type WorkspaceBackend } from './backend';
import type { ConversationSummary, DoneReason, QueueSummary, Thread, WorkspaceInfo } from './bindings';
import { ConsoleState } from './consoleState.svelte';
import {
  alertPrefs,
  conversation,
  demoWorkspace,
  outgoingReply,
  queueSummary,
  threadOf,
  unusedWorkspaceBackend,
} from './testFixtures';

/** An in-memory backend whose data the test can change; actions change it like the real one. */
function fakeBackend() {
  const data = {
    workspace: demoWorkspace as WorkspaceInfo,
    queues: [queueSummary('triage', 'Triage', 1), queueSummary('support', 'Support', 2)] as QueueSummary[],
    lists: {
      triage: [conversation(1, 'triage')],
      support: [conversation(2, 'support'), conversation(3, 'support')],
    } as Record<string, ConversationSummary[]>,
    done: [] as ConversationSummary[],
  };
  const find = (id: number) => {
    const found = [...Object.values(data.lists).flat(), ...data.done].find((c) => c.id === id);
    if (!found) throw new BackendError('not_found', 'That conversation is gone.');
    return found;
  };
  /** Applies a change to a listed conversation and answers with its thread. */
  const change = (id: number, patch: Partial<ConversationSummary>) => {
    const updated = { ...find(id), ...patch };
    for (const queue of Object.keys(data.lists)) {
      data.lists[queue] = data.lists[queue]!.map((c) => (c.id === id ? updated : c));
    }
    return threadOf(updated);
  };
  let replyIds = 0;
  const backend = {
    ...unusedWorkspaceBackend(),
    workspace: vi.fn(async () => data.workspace),
    queues: vi.fn(async () => data.queues),
    conversations: vi.fn(async (queue: string) => data.lists[queue] ?? []),
    thread: vi.fn(async (id: number) => threadOf(find(id))),
    claim: vi.fn(async (id: number) => change(id, { claimed_by: 'Ana' })),
    release: vi.fn(async (id: number) => change(id, { claimed_by: null })),
    reopen: vi.fn(async (id: number) => {
      const found = find(id);
      data.done = data.done.filter((c) => c.id !== id);
      const reopened = { ...found, done_reason: null };
      data.lists[found.queue] = [...(data.lists[found.queue] ?? []), reopened];
      return threadOf(reopened);
    }),
    handOff: vi.fn(async (id: number, queue: string, note: string) => {
      if (note.trim() === '') throw { code: 'invalid_input', message: 'Write a note first.' };
      const moved = { ...find(id), queue, handoff_note: { by: 'Ana', text: note, at: 5_000, to_member: null } };
      for (const q of Object.keys(data.lists)) data.lists[q] = data.lists[q]!.filter((c) => c.id !== id);
      data.lists[queue] = [...(data.lists[queue] ?? []), moved];
      return threadOf(moved);
    }),
    addNote: vi.fn(async (id: number) => change(id, { note_count: find(id).note_count + 1 })),
    markDone: vi.fn(async (id: number, reason: DoneReason) => {
      const finished = { ...find(id), done_reason: reason, sla: null };
      for (const q of Object.keys(data.lists)) data.lists[q] = data.lists[q]!.filter((c) => c.id !== id);
      data.done.push(finished);
      return threadOf(finished);
    }),
    snooze: vi.fn(async (id: number, minutes: number) => change(id, { snoozed_until: 1_000 + minutes * 60_000 })),
    alertPreferences: vi.fn(async () => alertPrefs()),
    setAlertPreferences: vi.fn(async (p: ReturnType<typeof alertPrefs>) => p),
    pauseAlerts: vi.fn(async () => alertPrefs()),
    sendReply: vi.fn(async (id: number, text: string) => {
      if (text.trim() === '') throw { code: 'invalid_input', message: 'Write a reply first.' };
      return { ...threadOf(find(id)), outgoing: [outgoingReply(++replyIds, text)] };
    }),
    retryReply: vi.fn(async (id: number, replyId: number) => ({
      ...threadOf(find(id)),
      outgoing: [outgoingReply(replyId, 'again')],
    })),
  } satisfies WorkspaceBackend;
  return { backend, data };
}

describe('ConsoleState', () => {
  it('starts with the workspace, its queues, and the first queue selected', async () => {
    const { backend } = fakeBackend();
    const state = new ConsoleState(backend);
    await state.start();

    expect(state.workspace).toEqual(demoWorkspace);
    expect(state.queues.map((q) => q.queue.id)).toEqual(['triage', 'support']);
    expect(state.selectedQueueId).toBe('triage');
    expect(state.selectedQueue?.label).toBe('Triage');
    expect(state.conversations.map((c) => c.id)).toEqual([1]);
    expect(state.listLoad.status).toBe('ready');
  });

  it('shows a failed start as an error that Retry recovers from', async () => {
    const { backend } = fakeBackend();
    backend.queues.mockRejectedValueOnce(new TypeError('offline'));
    const state = new ConsoleState(backend);
    await state.start();
    expect(state.queuesLoad.status).toBe('error');

    await state.retry();
    expect(state.queuesLoad.status).toBe('ready');
    expect(state.conversations).toHaveLength(1);
  });

  it('opens a conversation and moves with the keyboard, clamping at the ends', async () => {
    const { backend } = fakeBackend();
    const state = new ConsoleState(backend);
    await state.start();
    await state.selectQueueAt(1);
    expect(state.selectedQueueId).toBe('support');

    await state.moveSelection(1);
    expect(state.selectedConversationId).toBe(2);
    expect(state.thread?.conversation.id).toBe(2);
    await state.moveSelection(1);
    await state.moveSelection(1);
    expect(state.selectedConversationId).toBe(3);
    await state.moveSelection(-1);
    expect(state.selectedConversationId).toBe(2);
  });

  it('keeps the selection through a live refresh and shows the new data', async () => {
    const { backend, data } = fakeBackend();
    const state = new ConsoleState(backend);
    await state.start();
    await state.selectQueue('support');
    await state.selectConversation(3);

    data.lists.support = [conversation(4, 'support'), ...data.lists.support!];
    data.queues = [queueSummary('triage', 'Triage', 1), queueSummary('support', 'Support', 3)];
    await state.refresh();

    expect(state.selectedQueueId).toBe('support');
    expect(state.selectedConversationId).toBe(3);
    expect(state.conversations.map((c) => c.id)).toEqual([4, 2, 3]);
    expect(state.queues[1]!.waiting_count).toBe(3);
    expect(state.listLoad.status).toBe('ready');
    expect(state.refreshError).toBeNull();
  });

  it('keeps the data on screen when a live refresh fails, and reports it', async () => {
    const { backend } = fakeBackend();
    const state = new ConsoleState(backend);
    await state.start();
    backend.queues.mockRejectedValueOnce(new BackendError('storage', 'The database is busy.'));
    await state.refresh();

    expect(state.conversations).toHaveLength(1);
    expect(state.listLoad.status).toBe('ready');
    expect(state.refreshError?.message).toBe('The database is busy.');

    await state.retry();
    expect(state.refreshError).toBeNull();
  });

  it('drops an answer that arrives after the person moved on', async () => {
    const { backend } = fakeBackend();
    const state = new ConsoleState(backend);
    await state.start();

    let releaseSupport: () => void = () => undefined;
    backend.conversations.mockImplementationOnce(
      (queue: string) =>
        new Promise((resolve) => (releaseSupport = () => resolve([conversation(99, queue)]))),
    );
    const slow = state.selectQueue('support').then(() => undefined);
    // Before support's list arrives, go back to triage, which answers at once.
    backend.conversations.mockImplementationOnce(async () => [conversation(1, 'triage')]);
    await state.selectQueue('triage');
    releaseSupport();
    await slow;

    expect(state.selectedQueueId).toBe('triage');
    expect(state.conversations.map((c) => c.id)).toEqual([1]);
  });

  it('says so when the open conversation disappears', async () => {
    const { backend, data } = fakeBackend();
    const state = new ConsoleState(backend);
    await state.start();
    await state.selectConversation(1);
    data.lists.triage = [];
    await state.refresh();

    expect(state.conversations).toEqual([]);
    expect(state.threadLoad).toMatchObject({ status: 'error', error: { code: 'not_found' } });
  });

  it('refetches the workspace on refresh, so the policy error shows and clears', async () => {
    const { backend, data } = fakeBackend();
    const state = new ConsoleState(backend);
    await state.start();
    expect(state.workspace?.policy_error).toBeNull();

    data.workspace = { ...demoWorkspace, policy_error: 'policy.toml:3:7: unknown queue `vip`' };
    await state.refresh();
    expect(state.workspace?.policy_error).toBe('policy.toml:3:7: unknown queue `vip`');

    data.workspace = demoWorkspace;
    await state.refresh();
    expect(state.workspace?.policy_error).toBeNull();
  });
});

describe('ConsoleState actions', () => {
  async function started() {
    const fake = fakeBackend();
    const state = new ConsoleState(fake.backend);
    await state.start();
    await state.selectQueue('support');
    await state.selectConversation(2);
    fake.backend.queues.mockClear();
    fake.backend.conversations.mockClear();
    return { ...fake, state };
  }

  it('replaces the open thread with the answer and refreshes the queues and the list', async () => {
    const { backend, state } = await started();
    expect(await state.perform({ type: 'claim' })).toBe(true);

    expect(backend.claim).toHaveBeenCalledWith(2);
    expect(state.thread?.conversation.claimed_by).toBe('Ana');
    expect(state.conversations.find((c) => c.id === 2)?.claimed_by).toBe('Ana');
    expect(backend.queues).toHaveBeenCalledTimes(1);
    expect(backend.conversations).toHaveBeenCalledWith('support');
    expect(state.pendingAction).toBeNull();
  });

  it('shows which action is in flight and runs one at a time', async () => {
    const { backend, state } = await started();
    let finish: (thread: Thread) => void = () => undefined;
    backend.snooze.mockImplementationOnce(() => new Promise((resolve) => (finish = resolve)));

    const first = state.perform({ type: 'snooze', minutes: 15 });
    expect(state.pendingAction).toEqual({ conversationId: 2, type: 'snooze' });
    expect(state.pendingFor(2)).toBe('snooze');
    expect(state.pendingFor(3)).toBeNull();
    expect(await state.perform({ type: 'claim' })).toBe(false);
    expect(backend.claim).not.toHaveBeenCalled();

    finish(threadOf(conversation(2, 'support', { snoozed_until: 901_000 })));
    expect(await first).toBe(true);
    expect(state.pendingAction).toBeNull();
    expect(state.thread?.conversation.snoozed_until).toBe(901_000);
  });

  it('keeps the error, in the backend\'s words, with the conversation it is about', async () => {
    const { state } = await started();
    const thread = state.thread;
    expect(await state.perform({ type: 'hand_off', queue: 'triage', note: ' ' })).toBe(false);

    expect(state.actionErrorFor(2)).toMatchObject({ code: 'invalid_input', message: 'Write a note first.' });
    expect(state.actionErrorFor(3)).toBeNull();
    expect(state.thread).toBe(thread);
    expect(state.pendingAction).toBeNull();

    expect(await state.perform({ type: 'hand_off', queue: 'triage', note: 'Over to you' })).toBe(true);
    expect(state.actionErrorFor(2)).toBeNull();
    expect(state.thread?.conversation.handoff_note?.text).toBe('Over to you');
    expect(state.conversations.map((c) => c.id)).toEqual([3]);
  });

  it('does not let an older thread load replace the action\'s answer', async () => {
    const { backend, state } = await started();
    let stale: (thread: Thread) => void = () => undefined;
    backend.thread.mockImplementationOnce(() => new Promise((resolve) => (stale = resolve)));
    const refreshing = state.refresh();

    await state.perform({ type: 'add_note', note: 'Called back' });
    stale(threadOf(conversation(2)));
    await refreshing;
    expect(state.thread?.conversation.note_count).toBe(1);
  });

  it('after marking done, drops it from the list and opens the next conversation', async () => {
    const { backend, state } = await started();
    expect(await state.perform({ type: 'mark_done', reason: 'no_reply_needed' })).toBe(true);

    expect(backend.markDone).toHaveBeenCalledWith(2, 'no_reply_needed');
    expect(state.conversations.map((c) => c.id)).toEqual([3]);
    expect(state.selectedConversationId).toBe(3);
    expect(state.thread?.conversation.id).toBe(3);
    expect(state.doneNotice).toEqual({ conversationId: 2, customerName: 'Customer 2', reason: 'no_reply_needed' });
  });

  it('opens the one before when the last conversation is done, and nothing once the list is empty', async () => {
    const { state } = await started();
    await state.selectConversation(3);
    await state.perform({ type: 'mark_done', reason: 'spam' });
    expect(state.selectedConversationId).toBe(2);

    await state.perform({ type: 'mark_done', reason: 'spam' });
    expect(state.conversations).toEqual([]);
    expect(state.selectedConversationId).toBeNull();
    expect(state.thread).toBeNull();
    expect(state.threadLoad.status).toBe('idle');
  });

  it('undoes the last "done" by reopening it and opening it again', async () => {
    const { backend, state } = await started();
    await state.perform({ type: 'mark_done', reason: 'answered_elsewhere' });
    expect(state.selectedConversationId).toBe(3);

    expect(await state.undoDone()).toBe(true);
    expect(backend.reopen).toHaveBeenCalledWith(2);
    expect(state.selectedConversationId).toBe(2);
    expect(state.thread?.conversation.done_reason).toBeNull();
    expect(state.conversations.map((c) => c.id)).toContain(2);
    expect(state.doneNotice).toBeNull();
    expect(await state.undoDone()).toBe(false);
  });

  it('does nothing with no conversation open', async () => {
    const { backend } = fakeBackend();
    const state = new ConsoleState(backend);
    await state.start();
    expect(await state.perform({ type: 'claim' })).toBe(false);
    expect(backend.claim).not.toHaveBeenCalled();
  });
});

describe('ConsoleState opening a conversation from a notification', () => {
  it('selects its queue and opens it, even from another queue', async () => {
    const { backend } = fakeBackend();
    const state = new ConsoleState(backend);
    await state.start();
    expect(state.selectedQueueId).toBe('triage');

    await state.openConversation(3);
    expect(backend.thread).toHaveBeenCalledWith(3);
    expect(state.selectedQueueId).toBe('support');
    expect(state.conversations.map((c) => c.id)).toEqual([2, 3]);
    expect(state.listLoad.status).toBe('ready');
    expect(state.selectedConversationId).toBe(3);
    expect(state.thread?.conversation.id).toBe(3);
    expect(state.threadLoad.status).toBe('ready');
  });

  it('opens one in the selected queue and refreshes the list quietly so it shows up', async () => {
    const { backend, data } = fakeBackend();
    const state = new ConsoleState(backend);
    await state.start();
    await state.selectConversation(1);
    data.lists.triage = [conversation(1, 'triage'), conversation(7, 'triage')];

    await state.openConversation(7);
    expect(state.selectedQueueId).toBe('triage');
    expect(state.conversations.map((c) => c.id)).toEqual([1, 7]);
    expect(state.selectedConversationId).toBe(7);
    expect(state.thread?.conversation.id).toBe(7);
  });

  it('says so in the thread pane when the conversation is gone, keeping the queue', async () => {
    const { backend } = fakeBackend();
    const state = new ConsoleState(backend);
    await state.start();

    await state.openConversation(404);
    expect(state.selectedQueueId).toBe('triage');
    expect(state.selectedConversationId).toBe(404);
    expect(state.thread).toBeNull();
    expect(state.threadLoad).toMatchObject({
      status: 'error',
      error: { code: 'not_found', message: 'That conversation is gone.' },
    });
  });

  it('waits for the first load when asked before the queues arrived', async () => {
    const { backend } = fakeBackend();
    const state = new ConsoleState(backend);
    const starting = state.start();
    const opening = state.openConversation(2);
    await Promise.all([starting, opening]);

    expect(state.selectedQueueId).toBe('support');
    expect(state.selectedConversationId).toBe(2);
    expect(state.thread?.conversation.id).toBe(2);
    expect(state.conversations.map((c) => c.id)).toEqual([2, 3]);
  });

  it('starts the window itself after a failed start, then opens it', async () => {
    const { backend } = fakeBackend();
    backend.queues.mockRejectedValueOnce(new TypeError('offline'));
    const state = new ConsoleState(backend);
    await state.start();
    expect(state.queuesLoad.status).toBe('error');

    await state.openConversation(3);
    expect(state.queuesLoad.status).toBe('ready');
    expect(state.selectedQueueId).toBe('support');
    expect(state.selectedConversationId).toBe(3);
  });

  it('gives way when the person picks another conversation while it loads', async () => {
    const { backend } = fakeBackend();
    const state = new ConsoleState(backend);
    await state.start();
    let arrive: (thread: Thread) => void = () => undefined;
    backend.thread.mockImplementationOnce(() => new Promise((resolve) => (arrive = resolve)));

    const opening = state.openConversation(3);
    await state.selectConversation(1);
    arrive(threadOf(conversation(3, 'support')));
    await opening;

    expect(state.selectedQueueId).toBe('triage');
    expect(state.selectedConversationId).toBe(1);
    expect(state.thread?.conversation.id).toBe(1);
  });
});

describe('ConsoleState replies', () => {
  it('sends a reply and shows the thread with the reply in outgoing', async () => {
    const { backend } = fakeBackend();
    const state = new ConsoleState(backend);
    await state.start();
    await state.selectConversation(1);
    expect(await state.perform({ type: 'reply', text: 'Thanks!', key: 'key-1' })).toBe(true);
    expect(backend.sendReply).toHaveBeenCalledWith(1, 'Thanks!', 'key-1');
    expect(state.thread?.outgoing.map((r) => [r.text, r.state])).toEqual([['Thanks!', 'sending']]);

    expect(await state.perform({ type: 'retry_reply', replyId: 1 })).toBe(true);
    expect(backend.retryReply).toHaveBeenCalledWith(1, 1);
  });

  it('keeps a failed reply\'s error apart from the actions bar\'s', async () => {
    const { backend } = fakeBackend();
    const state = new ConsoleState(backend);
    await state.start();
    await state.selectConversation(1);
    backend.sendReply.mockRejectedValueOnce({ code: 'sign_in_again', message: 'Sign in to @brand again.' });
    expect(await state.perform({ type: 'reply', text: 'Thanks!', key: 'key-1' })).toBe(false);
    expect(state.actionErrorFor(1, 'reply')?.message).toBe('Sign in to @brand again.');
    expect(state.actionErrorFor(1), 'not shown in the actions bar').toBeNull();

    backend.claim.mockRejectedValueOnce({ code: 'storage', message: 'Busy.' });
    await state.perform({ type: 'claim' });
    expect(state.actionErrorFor(1)?.message).toBe('Busy.');
    expect(state.actionErrorFor(1, 'reply')).toBeNull();
  });
});
