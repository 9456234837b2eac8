import { describe, expect, it, vi } from 'vitest';
import type { Perform } from './actionForms.svelte';
import { ReplyDrafts } from './replyDrafts.svelte';
import { countCharacters, replyMeter, replyProblem } from './replyText';

describe('replyMeter', () => {
  it('counts characters as a person does, emoji included', () => {
    expect(countCharacters('héllo')).toBe(5);
    expect(countCharacters('👍🏽')).toBe(1);
    expect(countCharacters('👩‍👩‍👧')).toBe(1);
  });

  it('shows the count against the platform limit, and blocks only enforced limits', () => {
    expect(replyMeter('Thanks!', 'bluesky')).toMatchObject({ count: 7, max: 300, over: false, blocks: false, label: '7 / 300' });
    expect(replyMeter('x'.repeat(305), 'bluesky')).toMatchObject({ over: true, blocks: true, label: '5 over the limit of 300' });
    expect(replyMeter('x'.repeat(501), 'mastodon')).toMatchObject({ over: true, blocks: false });
    expect(replyMeter('Hi', 'linked_in')).toMatchObject({ max: null, label: '2 characters' });
  });

  it('says why a reply cannot be sent', () => {
    expect(replyProblem('  \n ', 'mastodon')).toBe('Write a reply first.');
    expect(replyProblem('x'.repeat(301), 'bluesky')).toBe('Shorten the reply: it is 1 over the limit of 300.');
    expect(replyProblem('Thanks!', 'bluesky')).toBeNull();
  });
});

describe('ReplyDrafts', () => {
  it('keeps a draft per conversation and clears it once sent', async () => {
    const replies = new ReplyDrafts();
    const perform = vi.fn<Perform>(async () => true);
    replies.edit(1, '  Thanks, on it!  ');
    replies.edit(2, 'Other');
    expect(await replies.send(1, 'mastodon', perform)).toBe(true);
    expect(perform).toHaveBeenCalledWith(1, { type: 'reply', text: 'Thanks, on it!' });
    expect(replies.draft(1)).toBe('');
    expect(replies.draft(2)).toBe('Other');
  });

  it('keeps the text when sending fails', async () => {
    const replies = new ReplyDrafts();
    replies.edit(1, 'Thanks!');
    expect(await replies.send(1, 'mastodon', async () => false)).toBe(false);
    expect(replies.draft(1)).toBe('Thanks!');
  });

  it('refuses an empty reply without asking the backend, until the person types', async () => {
    const replies = new ReplyDrafts();
    const perform = vi.fn<Perform>(async () => true);
    expect(await replies.send(1, 'mastodon', perform)).toBe(false);
    expect(perform).not.toHaveBeenCalled();
    expect(replies.problemFor(1)).toBe('Write a reply first.');
    expect(replies.problemFor(2)).toBeNull();
    replies.edit(1, 'T');
    expect(replies.problemFor(1)).toBeNull();
  });

  it('retries a failed reply by its id', async () => {
    const replies = new ReplyDrafts();
    const perform = vi.fn<Perform>(async () => true);
    await replies.retry(1, 17, perform);
    expect(perform).toHaveBeenCalledWith(1, { type: 'retry_reply', replyId: 17 });
  });
});
