import { describe, expect, it, vi } from 'vitest';
import { BackendError } from './backend';
import type { SavedReply } from './bindings';
import { fitOf, insertAt, searchSavedReplies } from './savedReplies';
import { SavedReplies } from './savedReplies.svelte';
import { savedReply, unusedWorkspaceBackend } from './testFixtures';

const PLACE = { queue: 'support', platform: 'bluesky' } as const;

const refund = savedReply('r1', 'Refund on its way', 'Hi {customer}, your refund for {{order number}} is on its way.', {
  category: 'Orders',
});
const outage = savedReply('r2', 'Outage apology', 'Sorry, the app is down; we are on it.', {
  category: 'Apologies',
  queues: ['support'],
});
const salesOnly = savedReply('r3', 'Quote', 'A quote for your order follows.', { queues: ['sales'] });
const mastodonOnly = savedReply('r4', 'Order status', 'Your order ships today.', { platforms: ['mastodon'] });
const archived = savedReply('r5', 'Old refund text', 'Refunds take 30 days.', { archived: true });
const ALL = [refund, outage, salesOnly, mastodonOnly, archived];

describe('searchSavedReplies', () => {
  it('offers the ones fitting this queue and platform first, archived ones never', () => {
    expect(searchSavedReplies(ALL, '', PLACE).map((r) => r.id)).toEqual(['r2', 'r1', 'r4', 'r3']);
    expect(fitOf(outage, PLACE)).toBe(2);
    expect(fitOf(refund, PLACE)).toBe(1);
    expect(fitOf(salesOnly, PLACE)).toBe(0);
    expect(fitOf(mastodonOnly, PLACE)).toBe(0);
  });

  it('finds every word of the query in the title, text or category, ignoring case and accents', () => {
    expect(searchSavedReplies(ALL, 'refund', PLACE).map((r) => r.id)).toEqual(['r1']);
    expect(searchSavedReplies(ALL, 'APOLOGIES', PLACE).map((r) => r.id)).toEqual(['r2']);
    expect(searchSavedReplies(ALL, 'order', PLACE).map((r) => r.id)).toEqual(['r1', 'r4', 'r3']);
    expect(searchSavedReplies([savedReply('c', 'Café', 'x')], 'cafe', PLACE)).toHaveLength(1);
    expect(searchSavedReplies(ALL, 'refund outage', PLACE)).toEqual([]);
  });
});

describe('insertAt', () => {
  it('puts the text at the cursor (or over the selection) and the cursor after it; several go in one reply', () => {
    const first = insertAt('Hi! Thanks', 4, 4, 'Sorry. ');
    expect(first).toEqual({ text: 'Hi! Sorry. Thanks', cursor: 11 });
    const second = insertAt(first.text, first.cursor, first.cursor, 'Ships today. ');
    expect(second).toEqual({ text: 'Hi! Sorry. Ships today. Thanks', cursor: 24 });
    expect(insertAt('Hi XXX!', 3, 6, 'Ana')).toEqual({ text: 'Hi Ana!', cursor: 6 });
    expect(insertAt('🙂 Hi', 2, 2, ' x')).toEqual({ text: '🙂 x Hi', cursor: 4 });
  });
});

describe('SavedReplies (the panel)', () => {
  function setup(list: SavedReply[] = [refund, archived]) {
    const backend = {
      ...unusedWorkspaceBackend(),
      savedReplies: vi.fn(async () => list),
      saveSavedReply: vi.fn(async (draft) => ({ ...savedReply(draft.id ?? 'new-1', draft.title, draft.text), category: draft.category, queues: draft.queues, platforms: draft.platforms })),
      archiveSavedReply: vi.fn(async (id: string, archived: boolean) => list.map((r) => (r.id === id ? { ...r, archived } : r))),
    };
    return { backend, state: new SavedReplies(backend) };
  }

  it('opens with the list, archived ones apart', async () => {
    const { state } = setup();
    await state.open();
    expect(state.isOpen).toBe(true);
    expect(state.active.map((r) => r.id)).toEqual(['r1']);
    expect(state.archived.map((r) => r.id)).toEqual(['r5']);
  });

  it('creates one: the draft goes to the backend with id null', async () => {
    const { state, backend } = setup();
    await state.open();
    state.startNew();
    state.draft!.title = 'Shipping';
    state.draft!.text = 'It ships {{day}}.';
    state.draft!.category = 'Orders';
    state.draft!.queues = ['support'];
    await expect(state.save()).resolves.toBe(true);
    expect(backend.saveSavedReply).toHaveBeenCalledWith({ id: null, title: 'Shipping', text: 'It ships {{day}}.', category: 'Orders', queues: ['support'], platforms: [] });
    expect(state.draft).toBeNull();
    expect(state.active.map((r) => r.title)).toEqual(['Refund on its way', 'Shipping']);
  });

  it('edits one: the draft carries its id', async () => {
    const { state, backend } = setup();
    await state.open();
    state.edit(refund);
    state.draft!.title = 'Refund sent';
    await state.save();
    expect(backend.saveSavedReply.mock.calls[0]![0]).toMatchObject({ id: 'r1', title: 'Refund sent', text: refund.text, category: 'Orders' });
    expect(state.list.find((r) => r.id === 'r1')?.title).toBe('Refund sent');
  });

  it('keeps the form and shows the backend\'s words when it refuses', async () => {
    const { state, backend } = setup();
    backend.saveSavedReply.mockRejectedValueOnce(new BackendError('invalid_input', 'Give the saved reply a title.'));
    await state.open();
    state.startNew();
    await expect(state.save()).resolves.toBe(false);
    expect(state.error).toBe('Give the saved reply a title.');
    expect(state.draft).not.toBeNull();
  });

  it('archives and restores', async () => {
    const { state, backend } = setup();
    await state.open();
    await state.archive('r1', true);
    expect(backend.archiveSavedReply).toHaveBeenCalledWith('r1', true);
    expect(state.active).toEqual([]);
    await state.archive('r5', false);
    expect(backend.archiveSavedReply).toHaveBeenLastCalledWith('r5', false);
  });
});
