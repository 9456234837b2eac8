// Renders the panes to HTML (server-side, no DOM) to check test ids, labels, and that customer text stays text.
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { ActionForms } from '../lib/actionForms.svelte';
import type { ActionType, FormName } from '../lib/actions';
import type { ConversationSummary, Thread } from '../lib/bindings';
import { conversation, queueSummary, slaView, threadOf } from '../lib/testFixtures';
import ConversationList from './ConversationList.svelte';
import PolicyErrorBanner from './PolicyErrorBanner.svelte';
import QueueSidebar from './QueueSidebar.svelte';
import ShortcutsHelp from './ShortcutsHelp.svelte';
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

  it('shows at-risk and breached counts in words, only when there are some', () => {
    const html = render(QueueSidebar, {
      props: {
        queues: [
          queueSummary('triage', 'Triage', 4, { at_risk_count: 2, breached_count: 1 }),
          queueSummary('support', 'Support', 3),
        ],
        selectedId: 'triage',
        load: READY,
        onSelect: noop,
        onRetry: noop,
      },
    }).body;
    expect(html).toMatch(/data-testid="queue-at-risk-triage"[^>]*>.*2 at risk<\/span>/);
    expect(html).toMatch(/data-testid="queue-breached-triage"[^>]*>.*1 breached<\/span>/);
    expect(html).not.toContain('queue-at-risk-support');
    expect(html).not.toContain('queue-breached-support');
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

  it('shows the response clock in words with a countdown, and who has the conversation', () => {
    const html = list([
      conversation(7, 'support', {
        sla: slaView(NOW - 60_000, NOW + 12 * 60_000, NOW + 40 * 60_000),
        claimed_by: 'Ana',
        snoozed_until: NOW + 60_000,
        note_count: 2,
      }),
    ]);
    expect(html).toMatch(/data-testid="sla"[^>]*data-state="at_risk"/);
    expect(html).toMatch(/data-testid="sla-state"[^>]*>.*At risk<\/span>/);
    expect(html).toMatch(/data-testid="sla-countdown"[^>]*>due in 12 m</);
    expect(html).toMatch(/data-testid="claimed-by"[^>]*>Claimed by <bdi[^>]*>Ana<\/bdi>/);
    expect(html).toMatch(/data-testid="snoozed-until"[^>]*>.*Snoozed until \d\d:\d\d</);
    expect(html.replace(/<[^>]*>/g, '')).toContain('✎ 2 notes');
  });

  it('shows a breached clock as overdue, from the instants rather than the state read earlier', () => {
    const html = list([conversation(8, 'support', { sla: slaView(NOW - 20 * 60_000, NOW - 5 * 60_000, NOW + 60_000) })]);
    expect(html).toMatch(/data-state="breached"/);
    expect(html).toContain('Breached');
    expect(html).toContain('overdue 5 m');
  });

  it('keeps answered rows as they were, with no clock and no flags', () => {
    const html = list([conversation(9, 'support', { waiting_since: null, sla: null, snoozed_until: NOW - 1 })]);
    expect(html).toContain('Answered');
    expect(html).not.toContain('data-testid="sla"');
    expect(html).not.toContain('snoozed-until');
    expect(html).not.toContain('claimed-by');
    expect(html).not.toContain('note-count');
  });

  it('says the queue is empty in plain words', () => {
    expect(list([])).toContain(
      'No conversations in Support yet — new ones appear here as customers write.',
    );
  });

  it('escapes customer text', () => {
    const html = list([
      conversation(6, 'support', {
        preview: HOSTILE,
        customer: { handle: HOSTILE, display_name: HOSTILE },
        claimed_by: HOSTILE,
      }),
    ]);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;img src=x onerror=alert(1)>');
  });
});

describe('ThreadView', () => {
  const QUEUES = [queueSummary('triage', 'Triage'), queueSummary('support', 'Support'), queueSummary('sales', 'Sales')];

  function thread(
    t: Thread,
    selectedId: number | null = t.conversation.id,
    options: { form?: FormName; pending?: ActionType; actionError?: string; forms?: ActionForms } = {},
  ) {
    const forms = options.forms ?? new ActionForms();
    if (options.form && selectedId !== null) forms.open(selectedId, options.form);
    return render(ThreadView, {
      props: {
        thread: t,
        load: READY,
        selectedId,
        now: NOW,
        onRetry: noop,
        queues: QUEUES,
        forms,
        pending: options.pending ?? null,
        busy: options.pending !== undefined,
        actionError: options.actionError ?? null,
        perform: async () => true,
      },
    }).body;
  }

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

  it('shows the clock with the first/next reply hint in the header', () => {
    const t = threadOf(conversation(1, 'support', { sla: slaView(NOW + 60_000, NOW + 30 * 60_000, NOW + 60 * 60_000) }));
    const html = thread(t);
    expect(html).toContain('On track');
    expect(html).toContain('due in 30 m');
    expect(html).toMatch(/data-testid="sla-hint"[^>]*>first reply</);
  });

  it('shows the hand-off note first, above the messages', () => {
    const t = threadOf(
      conversation(1, 'support', { handoff_note: { by: 'Ana', text: 'Refund approved, please confirm.', at: 900 } }),
    );
    const html = thread(t);
    const note = html.indexOf('data-testid="handoff-note"');
    expect(note).toBeGreaterThan(-1);
    expect(note).toBeLessThan(html.indexOf('data-testid="thread-item"'));
    expect(html.replace(/<!--.*?-->/g, '')).toMatch(/Handed off by <bdi[^>]*>Ana<\/bdi>:<\/strong> <span[^>]*>Refund approved, please confirm.<\/span>/);
    expect(thread(threadOf(conversation(2)))).not.toContain('data-testid="handoff-note"');
  });

  it('has the actions bar: Claim, Hand off, Note, Done and Snooze for an open conversation', () => {
    const html = thread(threadOf(conversation(1)));
    expect(html).toContain('data-testid="conversation-actions"');
    for (const id of ['action-claim', 'action-handoff', 'action-note', 'action-done', 'action-snooze']) {
      expect(html).toContain(`data-testid="${id}"`);
    }
    expect(html).not.toContain('data-testid="action-release"');
    expect(html).not.toContain('data-testid="action-reopen"');
  });

  it('offers Release when claimed and Reopen when done', () => {
    const html = thread(threadOf(conversation(1, 'support', { claimed_by: 'Ana', done_reason: 'spam', sla: null })));
    expect(html).toContain('data-testid="action-release"');
    expect(html).toContain('data-testid="action-reopen"');
    expect(html).not.toContain('data-testid="action-claim"');
    expect(html).not.toContain('data-testid="action-done"');
  });

  it('opens the hand-off form with every other queue and a note field', () => {
    const html = thread(threadOf(conversation(1, 'support')), 1, { form: 'handoff' });
    expect(html).toContain('data-testid="handoff-queue"');
    expect(html).toContain('<option value="triage"');
    expect(html).toContain('<option value="sales"');
    expect(html).not.toContain('<option value="support"');
    expect(html).toContain('data-testid="handoff-note-input"');
    expect(html).toContain('data-testid="handoff-submit"');
  });

  it('keeps what was typed in the note form and shows the failure', () => {
    const forms = new ActionForms();
    forms.edit(1, { note: 'Half-written <b>note</b>' });
    const html = thread(threadOf(conversation(1)), 1, { form: 'note', forms, actionError: 'Write a note first.' });
    expect(html).toContain('data-testid="note-input"');
    expect(html).toContain('Half-written &lt;b>note&lt;/b>');
    expect(html).toContain('data-testid="note-submit"');
    expect(html).toMatch(/data-testid="action-error"[^>]*>Write a note first.</);
  });

  it('offers the done reasons and snooze lengths in words', () => {
    const done = thread(threadOf(conversation(1)), 1, { form: 'done' });
    expect(done).toMatch(/data-testid="done-reason-answered_elsewhere"[^>]*>Answered elsewhere</);
    expect(done).toMatch(/data-testid="done-reason-no_reply_needed"[^>]*>No reply needed</);
    expect(done).toMatch(/data-testid="done-reason-spam"[^>]*>Spam</);

    const snooze = thread(threadOf(conversation(1)), 1, { form: 'snooze' });
    for (const [minutes, label] of [[15, '15 min'], [60, '1 h'], [240, '4 h'], [1440, '1 day']] as const) {
      expect(snooze).toMatch(new RegExp(`data-testid="snooze-${minutes}"[^>]*>${label}<`));
    }
  });

  it('disables the actions while one is in flight and says which', () => {
    const html = thread(threadOf(conversation(1)), 1, { pending: 'claim' });
    expect(html).toMatch(/data-testid="action-claim"[^>]*disabled[^>]*>Claiming…</);
    expect(html).toMatch(/data-testid="action-note"[^>]*disabled/);
  });

  it('lists the history with the time, who (or Platform), and what happened, as text', () => {
    const base = threadOf(conversation(1));
    const html = thread({
      ...base,
      history: [
        ...base.history,
        { seq: 200, at: 1_500, kind: 'claimed', by: 'Ana', detail: 'Claimed' },
        { seq: 201, at: 1_600, kind: 'note_added', by: 'Ana', detail: `Note: ${HOSTILE}` },
      ],
    });
    expect(html).toContain('data-testid="history"');
    expect(html.match(/data-testid="history-entry"/g)).toHaveLength(3);
    expect(html).toMatch(/data-kind="item_ingested"[^>]*>.*<bdi[^>]*>Platform<\/bdi>/s);
    expect(html).toMatch(/<bdi[^>]*>Ana<\/bdi> <span[^>]*>Claimed<\/span>/);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
  });

  it('escapes the hand-off note', () => {
    const html = thread(threadOf(conversation(1, 'support', { handoff_note: { by: HOSTILE, text: HOSTILE, at: 0 } })));
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
  });
});

describe('PolicyErrorBanner', () => {
  it('says the last good policy is still in force, with the error as text', () => {
    const html = render(PolicyErrorBanner, {
      props: { error: 'policy.toml:3:7: unknown queue <vip>', path: '/data/policy.toml' },
    }).body;
    expect(html).toContain('data-testid="policy-error"');
    expect(html).toContain(
      'The policy file has an error, so the last good policy is still in force: <span class="untrusted">policy.toml:3:7: unknown queue &lt;vip></span>',
    );
  });
});

describe('ShortcutsHelp', () => {
  it('lists the action shortcuts', () => {
    const html = render(ShortcutsHelp, { props: { onClose: noop } }).body;
    for (const action of ['Claim or release', 'Hand off', 'Add a note', 'Mark done', 'Reopen', 'Snooze']) {
      expect(html).toContain(action);
    }
  });
});
