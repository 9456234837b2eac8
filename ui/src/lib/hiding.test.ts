import { describe, expect, it, vi } from 'vitest';
import type { ThreadItem } from './bindings';
import { canHide, HIDE_REASON_MISSING, hiddenLine, hideReasonProblem } from './hiding';
import { HidePrompt } from './hidePrompt.svelte';
import { teamMember } from './testFixtures';

function comment(overrides: Partial<ThreadItem> = {}): ThreadItem {
  return {
    id: 30,
    author: { handle: '5501', display_name: 'Ana' },
    from_brand: false,
    kind: 'comment',
    text: 'Cheap watches at example.test',
    lang: null,
    created_at: 1_000,
    hidden: false,
    hidden_by: null,
    hidden_reason: null,
    ...overrides,
  };
}

describe('canHide', () => {
  it("offers it on a customer's Facebook or Instagram comment in a queue the person leads", () => {
    expect(canHide(comment(), 'facebook', 'support', ['support'])).toBe(true);
    expect(canHide(comment(), 'instagram', 'support', ['sales', 'support'])).toBe(true);
  });

  it('not to someone who does not lead the queue', () => {
    expect(canHide(comment(), 'facebook', 'support', [])).toBe(false);
    expect(canHide(comment(), 'facebook', 'support', ['sales'])).toBe(false);
  });

  it("not on messages, the brand's own comments, or other platforms", () => {
    expect(canHide(comment({ kind: 'direct_message' }), 'facebook', 'support', ['support'])).toBe(false);
    expect(canHide(comment({ kind: 'mention' }), 'instagram', 'support', ['support'])).toBe(false);
    expect(canHide(comment({ from_brand: true }), 'facebook', 'support', ['support'])).toBe(false);
    expect(canHide(comment({ kind: 'reply' }), 'mastodon', 'support', ['support'])).toBe(false);
    expect(canHide(comment(), 'mastodon', 'support', ['support'])).toBe(false);
  });
});

describe('hiddenLine', () => {
  it('says who hid it and why, naming team members', () => {
    const item = comment({ hidden: true, hidden_by: 'sb_rosa', hidden_reason: 'spam' });
    expect(hiddenLine(item, [teamMember('sb_rosa', 'Rosa')])).toBe('Hidden from the public by Rosa — spam');
    expect(hiddenLine(item, [])).toBe('Hidden from the public by sb_rosa — spam');
    expect(hiddenLine(comment({ hidden: true }), [])).toBe('Hidden from the public');
  });
});

describe('HidePrompt', () => {
  it('asks for a reason before hiding, and nothing is sent without one', async () => {
    const perform = vi.fn(async () => true);
    const prompt = new HidePrompt();
    prompt.open(30);
    expect(prompt.isOpenFor(30)).toBe(true);
    prompt.edit('   ');
    expect(await prompt.hide(7, perform)).toBe(false);
    expect(prompt.problem).toBe(HIDE_REASON_MISSING);
    expect(hideReasonProblem('spam')).toBeNull();
    expect(perform).not.toHaveBeenCalled();
  });

  it('hides with the reason and closes; stays open with the reason when the backend refuses', async () => {
    const prompt = new HidePrompt();
    prompt.open(30);
    prompt.edit('  spam ');
    const refused = vi.fn(async () => false);
    expect(await prompt.hide(7, refused)).toBe(false);
    expect(prompt.isOpenFor(30)).toBe(true);
    expect(prompt.reason).toBe('  spam ');
    const perform = vi.fn(async () => true);
    expect(await prompt.hide(7, perform)).toBe(true);
    expect(perform).toHaveBeenCalledWith(7, { type: 'set_item_hidden', itemId: 30, hidden: true, reason: 'spam' });
    expect(prompt.isOpenFor(30)).toBe(false);
  });

  it('shows an item again without asking', async () => {
    const perform = vi.fn(async () => true);
    await new HidePrompt().show(7, 30, perform);
    expect(perform).toHaveBeenCalledWith(7, { type: 'set_item_hidden', itemId: 30, hidden: false, reason: '' });
  });
});
