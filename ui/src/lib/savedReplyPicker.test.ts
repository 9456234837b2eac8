import { describe, expect, it, vi } from 'vitest';
import { BackendError } from './backend';
import type { PlaceholderAnswer } from './bindings';
import { SavedReplyPicker } from './savedReplyPicker.svelte';
import { savedReply } from './testFixtures';

const PLACE = { queue: 'support', platform: 'mastodon' } as const;
const refund = savedReply('r1', 'Refund on its way', 'Hi {customer}, refund for {{order number}} by {{date}}.');
const thanks = savedReply('r2', 'Thanks', 'Thanks {customer}!');
const old = savedReply('r3', 'Thanks (old)', 'Ta.', { archived: true });

function setup() {
  const fill = vi.fn(async (_conversation: number, id: string, answers: PlaceholderAnswer[]) => {
    if (id === 'r2') return { text: 'Thanks Maria!', missing: [] };
    const value = (name: string) => answers.find((a) => a.name === name)?.value;
    const missing = ['order number', 'date'].filter((n) => value(n) === undefined);
    return { text: `Hi Maria, refund for ${value('order number') ?? '{{order number}}'} by ${value('date') ?? '{{date}}'}.`, missing };
  });
  const load = vi.fn(async () => undefined);
  return { fill, load, picker: new SavedReplyPicker(() => [refund, thanks, old], fill, load) };
}

describe('SavedReplyPicker', () => {
  it('opens on an empty search, loads the saved replies, and never offers archived ones', () => {
    const { picker, load } = setup();
    picker.open();
    expect(picker.isOpen).toBe(true);
    expect(load).toHaveBeenCalled();
    expect(picker.options(PLACE).map((r) => r.id)).toEqual(['r1', 'r2']);
  });

  it('searches as the person types and moves with ↑/↓ within the results', () => {
    const { picker } = setup();
    picker.open();
    picker.search('tha');
    expect(picker.options(PLACE).map((r) => r.id)).toEqual(['r2']);
    picker.search('');
    picker.move(1, 2);
    picker.move(1, 2);
    expect(picker.index).toBe(1);
    picker.move(-1, 2);
    expect(picker.index).toBe(0);
    picker.search('r');
    expect(picker.index, 'a new search starts at the top').toBe(0);
  });

  it('a reply without placeholders is filled and handed back at once', async () => {
    const { picker, fill } = setup();
    picker.open();
    await expect(picker.choose(7, thanks)).resolves.toBe('Thanks Maria!');
    expect(fill).toHaveBeenCalledWith(7, 'r2', []);
    expect(picker.isOpen).toBe(false);
  });

  it('asks the missing placeholders, then fills again with the answers', async () => {
    const { picker, fill } = setup();
    picker.open();
    await expect(picker.choose(7, refund)).resolves.toBeNull();
    expect(picker.step).toEqual({ kind: 'placeholders', reply: refund, missing: ['order number', 'date'] });
    await expect(picker.insert(7)).resolves.toBeNull();
    expect(picker.error).toBe('Fill in “order number” first.');
    picker.answers['order number'] = 'A-1042';
    picker.answers['date'] = 'Friday';
    await expect(picker.insert(7)).resolves.toBe('Hi Maria, refund for A-1042 by Friday.');
    expect(fill).toHaveBeenLastCalledWith(7, 'r1', [
      { name: 'order number', value: 'A-1042' },
      { name: 'date', value: 'Friday' },
    ]);
    expect(picker.isOpen).toBe(false);
  });

  it('says why when the saved replies could not be read', () => {
    const p = new SavedReplyPicker(() => [], vi.fn(), async () => undefined, () => 'Couldn\'t load the saved replies: the database is locked.');
    p.open();
    expect(p.problem).toBe('Couldn\'t load the saved replies: the database is locked.');
  });

  it('shows the backend\'s words when filling fails, and stays open', async () => {
    const { picker, fill } = setup();
    fill.mockRejectedValueOnce(new BackendError('not_found', 'That saved reply is gone.'));
    picker.open();
    await expect(picker.choose(7, thanks)).resolves.toBeNull();
    expect(picker.error).toBe('That saved reply is gone.');
    expect(picker.isOpen).toBe(true);
  });
});
