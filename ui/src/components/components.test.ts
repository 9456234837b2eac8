// Renders the panes to HTML (server-side, no DOM) to check test ids, labels, and that customer text stays text.
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import type { ConversationSummary, Thread } from '../lib/bindings';
import { conversation, queueSummary, threadOf } from '../lib/testFixtures';
import ConversationList from './ConversationList.svelte';
import QueueSidebar from './QueueSidebar.svelte';
import ThreadView from './ThreadView.svelte';

const NOW = 1_000 + 2 * 3_600_000 + 10 * 60_000;
const READY = { status: 'ready' } as const;
const noop = () => undefined;
const HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script>\u202Eevil';

function list(conversations: ConversationSummary[], label = 'Support') {
  return render(ConversationList, {
    props: {
      queue: { id: 'support', label, color: '#000000' },
      conversations,
      load: READY,
      selectedId: conversations[0]?.id ?? null,
      now: NOW,
      onSelect: noop,
      onRetry: noop,
    },
  }).body;
}

describe('QueueSidebar', () => {
  it('labels each queue with its colour, count, and the selection', () => {
    const html = render(QueueSidebar, {
      props: {
        queues: [queueSummary('triage', 'Triage', 4), queueSummary('support', 'Support', 0)],
        selectedId: 'triage',
        load: READY,
        onSelect: noop,
        onRetry: noop,
      },
    }).body;
    expect(html).toContain('data-testid="queue-triage"');
    expect(html).toMatch(/data-testid="queue-count-triage"[^>]*>4</);
    expect(html).toMatch(/data-testid="queue-count-support"[^>]*>0</);
    expect(html).toMatch(/data-testid="queue-triage"[^>]*aria-current="true"/);
    expect(html).not.toMatch(/data-testid="queue-support"[^>]*aria-current/);
    expect(html).toContain('background-color: #2f80ed');
  });
});

describe('ConversationList', () => {
  it('shows each row with its id, platform, kind, and waiting age', () => {
    const html = list([conversation(5, 'support', { platform: 'linked_in', kind: 'direct_message' })]);
    expect(html).toContain('data-testid="conversation-row"');
    expect(html).toContain('data-conversation-id="5"');
    expect(html).toContain('LinkedIn');
    expect(html).toContain('>DM<');
    expect(html).toContain('Waiting');
    expect(html).toContain('2 h 10 m');
  });

  it('says the queue is empty in plain words', () => {
    expect(list([])).toContain(
      'No conversations in Support yet — new ones appear here as customers write.',
    );
  });

  it('escapes customer text', () => {
    const html = list([
      conversation(6, 'support', { preview: HOSTILE, customer: { handle: HOSTILE, display_name: HOSTILE } }),
    ]);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;img src=x onerror=alert(1)>');
  });
});

describe('ThreadView', () => {
  const thread = (t: Thread, selectedId: number | null = t.conversation.id) =>
    render(ThreadView, { props: { thread: t, load: READY, selectedId, now: NOW, onRetry: noop } }).body;

  it('asks for a selection when none is made', () => {
    expect(thread(threadOf(conversation(1)), null)).toContain('Select a conversation');
  });

  it('shows items with the brand labelled and the language tag', () => {
    const base = threadOf(conversation(1));
    const withReply: Thread = {
      ...base,
      items: [
        ...base.items,
        {
          id: 11,
          author: { handle: '@northwind', display_name: 'Northwind Coffee' },
          from_brand: true,
          kind: 'reply',
          text: 'Thanks!\nWe are on it.',
          lang: null,
          created_at: 2_000,
        },
      ],
    };
    const html = thread(withReply);
    expect(html).toContain('data-testid="thread-view"');
    expect(html.match(/data-testid="thread-item"/g)).toHaveLength(2);
    expect(html).toContain('data-testid="brand-label"');
    expect(html).toMatch(/data-testid="lang"[^>]*>en</);
    expect(html).toContain('Thanks!\nWe are on it.');
  });

  it('escapes item text', () => {
    const base = threadOf(conversation(1));
    const html = thread({ ...base, items: [{ ...base.items[0]!, text: HOSTILE, lang: HOSTILE }] });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
  });
});
