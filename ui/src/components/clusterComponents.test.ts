// Overlong grapheme clusters in customer text (hundreds of combining marks, or emoji joined
// into one) are cut before the thread and History show them, and what is shown is clipped to
// its bubble / line.
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { capClusters, MAX_JOINS, MAX_MARKS } from '../lib/clusters';
import { conversation, threadOf } from '../lib/testFixtures';
import HistoryList from './HistoryList.svelte';
import historySource from './HistoryList.svelte?raw';
import ThreadMessage from './ThreadMessage.svelte';
import messageSource from './ThreadMessage.svelte?raw';

const NOW = 10_000_000;
const ZALGO = `Z${'\u0301\u0316'.repeat(200)}algo`;
const JOINED = Array(300).fill('😀').join('\u200D');

/** The longest run of combining marks in `text`. */
function longestMarkRun(text: string): number {
  return Math.max(0, ...(text.match(/[\p{Mn}\p{Me}]+/gu) ?? []).map((run) => [...run].length));
}

/** The CSS rule for `selector` in a component's source. */
function rule(source: string, selector: string): string {
  const start = source.indexOf(`${selector} {`, source.indexOf('<style>'));
  expect(start, `${selector} is styled`).toBeGreaterThan(0);
  return source.slice(start, source.indexOf('}', start));
}

describe('capClusters', () => {
  it('keeps a few marks per character and a few joins per emoji sequence, and the rest of the text', () => {
    expect(capClusters(ZALGO)).toBe(`Z${'\u0301\u0316'.repeat(MAX_MARKS / 2)}algo`);
    const joined = capClusters(JOINED);
    expect([...joined.matchAll(/\u200D/g)]).toHaveLength(MAX_JOINS);
    expect([...joined.matchAll(/😀/gu)]).toHaveLength(300);
    for (const fine of ['café e\u0301', 'नमस्ते', '👨\u200D👩\u200D👧 family', 'می\u200Cخواهم']) {
      expect(capClusters(fine)).toBe(fine);
    }
  });
});

describe('ThreadMessage', () => {
  it('cuts an overlong cluster and clips its bubble', () => {
    const thread = threadOf(conversation(1, 'support', { preview: `${ZALGO} ${JOINED}` }));
    const html = render(ThreadMessage, { props: { item: thread.items[0], now: NOW } }).body;
    expect(longestMarkRun(html)).toBe(MAX_MARKS);
    expect(html.split('\u200D').length - 1).toBe(MAX_JOINS);
    expect(html).toContain('algo');
    const bubble = rule(messageSource, '.text');
    expect(bubble).toMatch(/overflow: (hidden|clip)/);
    expect(bubble).toContain('overflow-wrap: anywhere');
  });
});

describe('HistoryList', () => {
  it('cuts an overlong cluster and clips the entry', () => {
    const thread = threadOf(conversation(1, 'support', { preview: `${ZALGO} ${JOINED}` }));
    const html = render(HistoryList, { props: { entries: thread.history, now: NOW } }).body;
    expect(longestMarkRun(html)).toBe(MAX_MARKS);
    expect(html.split('\u200D').length - 1).toBe(MAX_JOINS);
    const detail = rule(historySource, '.detail');
    expect(detail).toMatch(/overflow: (hidden|clip)/);
    expect(detail).toContain('overflow-wrap: anywhere');
    expect(detail).toContain('min-width: 0');
  });
});
