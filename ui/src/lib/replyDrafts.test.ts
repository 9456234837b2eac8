import { describe, expect, it, vi } from 'vitest';
import type { Perform } from './actionForms.svelte';
import { newReplyKey } from './replyKey';
import { ReplyDrafts } from './replyDrafts.svelte';
import { countCharacters, replyLength, replyLimitOf, replyMeter, replyProblem } from './replyText';
import { conversation, threadOf } from './testFixtures';

describe('replyMeter against the thread\'s real limit (reply_limit)', () => {
  it('counts Bluesky in graphemes: an emoji with its modifiers is one', () => {
    const limit = { max: 300, unit: 'graphemes' as const };
    const fits = 'x'.repeat(299) + '👍🏽';
    expect(replyMeter(fits, 'bluesky', limit)).toMatchObject({ count: 300, max: 300, over: false, label: '300 / 300' });
    expect(replyMeter(fits + '!', 'bluesky', limit)).toMatchObject({ over: true, blocks: true, label: '1 over the limit of 300' });
  });

  it('counts Mastodon\'s characters as the instance does (a link is 23) and enforces its own maximum', () => {
    const link = `See https://example.com/${'a'.repeat(200)} now`;
    expect(replyLength(link, 'characters')).toBe(4 + 23 + 4);
    const limit = { max: 1000, unit: 'characters' as const };
    expect(replyMeter('x'.repeat(800), 'mastodon', limit)).toMatchObject({ max: 1000, over: false, label: '800 / 1000' });
    expect(replyMeter('x'.repeat(1001), 'mastodon', limit)).toMatchObject({ blocks: true, label: '1 over the limit of 1000' });
    expect(replyProblem('x'.repeat(1001), 'mastodon', limit)).toBe('Shorten the reply: it is 1 over the limit of 1000.');
  });

  it('keeps the platform\'s usual limit when the backend sends none', () => {
    expect(replyLimitOf(threadOf(conversation(1)))).toBeNull();
    expect(replyLimitOf({ ...threadOf(conversation(1)), reply_limit: { max: 500, unit: 'characters' } })).toEqual({ max: 500, unit: 'characters' });
    expect(replyLimitOf(null)).toBeNull();
  });
});

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
    const replies = new ReplyDrafts(() => 'key-1');
    const perform = vi.fn<Perform>(async () => true);
    replies.edit(1, '  Thanks, on it!  ');
    replies.edit(2, 'Other');
    expect(await replies.send(1, 'mastodon', perform)).toBe(true);
    expect(perform).toHaveBeenCalledWith(1, { type: 'reply', text: 'Thanks, on it!', key: 'key-1' });
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

  it('sends the same reply again under the same key, so the backend queues it once', async () => {
    let minted = 0;
    const replies = new ReplyDrafts(() => `key-${++minted}`);
    const keys: string[] = [];
    const perform = vi.fn<Perform>(async (_id, action) => {
      if (action.type === 'reply') keys.push(action.key);
      return keys.length > 1; // the first answer is lost (the connection dropped)
    });
    replies.edit(1, 'Thanks!');
    expect(await replies.send(1, 'mastodon', perform)).toBe(false);
    expect(await replies.send(1, 'mastodon', perform), 'the resend').toBe(true);
    replies.edit(1, 'Thanks!');
    await replies.send(1, 'mastodon', perform);
    expect(keys, 'a resend keeps its key; a reply written after it was sent is a new one').toEqual(['key-1', 'key-1', 'key-2']);
  });

  it('gives an edited reply a new key', async () => {
    let minted = 0;
    const replies = new ReplyDrafts(() => `key-${++minted}`);
    const keys: string[] = [];
    const perform = vi.fn<Perform>(async (_id, action) => {
      if (action.type === 'reply') keys.push(action.key);
      return false;
    });
    replies.edit(1, 'Thanks!');
    await replies.send(1, 'mastodon', perform);
    replies.edit(1, 'Thanks, on it!');
    await replies.send(1, 'mastodon', perform);
    replies.edit(2, 'Thanks, on it!');
    await replies.send(2, 'mastodon', perform);
    expect(keys).toEqual(['key-1', 'key-2', 'key-3']);
  });

  it('mints reply keys as dated UUIDs (version 7)', () => {
    const key = newReplyKey(Date.UTC(2026, 11, 6, 5, 30), (bytes) => bytes.fill(0xff));
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(key.replaceAll('-', '').slice(0, 12), 16)).toBe(Date.UTC(2026, 11, 6, 5, 30));
    expect(newReplyKey()).not.toBe(newReplyKey());
  });

  it('retries a failed reply by its id', async () => {
    const replies = new ReplyDrafts();
    const perform = vi.fn<Perform>(async () => true);
    await replies.retry(1, 17, perform);
    expect(perform).toHaveBeenCalledWith(1, { type: 'retry_reply', replyId: 17 });
  });
});
