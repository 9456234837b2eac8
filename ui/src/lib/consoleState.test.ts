import { describe, expect, it, vi } from 'vitest';
import { BackendError, type Backend } from './backend';
import type { ConversationSummary, QueueSummary } from './bindings';
import { ConsoleState } from './consoleState.svelte';
import { conversation, demoWorkspace, queueSummary, threadOf } from './testFixtures';

/** An in-memory backend whose data the test can change. */
function fakeBackend() {
  const data = {
    queues: [queueSummary('triage', 'Triage', 1), queueSummary('support', 'Support', 2)] as QueueSummary[],
    lists: {
      triage: [conversation(1, 'triage')],
      support: [conversation(2, 'support'), conversation(3, 'support')],
    } as Record<string, ConversationSummary[]>,
  };
  const backend = {
    workspace: vi.fn(async () => demoWorkspace),
    queues: vi.fn(async () => data.queues),
    conversations: vi.fn(async (queue: string) => data.lists[queue] ?? []),
    thread: vi.fn(async (id: number) => {
      const found = Object.values(data.lists)
        .flat()
        .find((c) => c.id === id);
      if (!found) throw new BackendError('not_found', 'That conversation is gone.');
      return threadOf(found);
    }),
    onChange: vi.fn(() => () => undefined),
  } satisfies Backend;
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
});
