// Renders the panes to HTML (server-side, no DOM) to check test ids, labels, and that customer text stays text.
import { createRawSnippet } from 'svelte';
import { render } from 'svelte/server';
import { describe, expect, it, vi } from 'vitest';
import { ActionForms } from '../lib/actionForms.svelte';
import type { ActionType, FormName } from '../lib/actions';
import { AlertSettings } from '../lib/alertSettings.svelte';
import type { WorkspaceBackend } from '../lib/backend';
import type { AlertPreferences, ConversationSummary, Thread } from '../lib/bindings';
import { ReplyDrafts } from '../lib/replyDrafts.svelte';
import { alertPrefs, conversation, queueSummary, slaView, threadOf } from '../lib/testFixtures';
import AlertSettingsPanel from './AlertSettingsPanel.svelte';
import AppHeader from './AppHeader.svelte';
import ConversationList from './ConversationList.svelte';
import PolicyErrorBanner from './PolicyErrorBanner.svelte';
import QueueSidebar from './QueueSidebar.svelte';
import ShortcutsHelp from './ShortcutsHelp.svelte';
import ThreadView from './ThreadView.svelte';

const NOW = 1_000 + 2 * 3_600_000 + 10 * 60_000;
const READY = { status: 'ready' } as const;
const noop = () => undefined;
const HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script>\u202Eevil';

/** Undoes HTML escaping (named and numeric character references) in rendered text. */
function decodeEntities(html: string): string {
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
  return html.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return String.fromCodePoint(code);
    }
    return named[ref.toLowerCase()] ?? whole;
  });
}

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
  it('marks a queue in a spike with its factor, the count, window and top words in its title', () => {
    const spike = { since: 1_000, count: 46, window_minutes: 10, factor: 5.04, top_words: ['outage', 'login'], keyword: null };
    const html = render(QueueSidebar, {
      props: {
        queues: [queueSummary('support', 'Support', 46, { spike }), queueSummary('sales', 'Sales', 1)],
        selectedId: 'support',
        load: READY,
        onSelect: noop,
        onRetry: noop,
      },
    }).body;
    expect(html).toMatch(/data-testid="queue-spike-support" title="46 new in 10 min, 5× usual — top words: outage, login"[^>]*>Spike · 5×</);
    expect(html).not.toContain('queue-spike-sales');
  });

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
    options: {
      form?: FormName;
      pending?: ActionType;
      actionError?: string;
      forms?: ActionForms;
      replies?: ReplyDrafts;
      replyError?: string;
    } = {},
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
        replies: options.replies ?? new ReplyDrafts(),
        replyError: options.replyError ?? null,
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
          hidden: false,
          hidden_by: null,
          hidden_reason: null,
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
    // The text and the language are shown literally: each element holds exactly the hostile
    // string as text (no tag inside it), and the lang attribute carries it whole.
    const text = html.match(/<p class="text untrusted[^"]*"((?:\s+[\w-]+(?:="[^"]*")?)*)>([^]*?)<\/p>/);
    expect(text, 'the item text paragraph').not.toBeNull();
    expect(text![2]).not.toContain('<');
    expect(decodeEntities(text![2]!)).toBe(HOSTILE);
    expect(decodeEntities(text![1]!.match(/ lang="([^"]*)"/)![1]!)).toBe(HOSTILE);
    const lang = html.match(/data-testid="lang">([^]*?)<\/span>/);
    expect(lang, 'the language label').not.toBeNull();
    expect(lang![1]).not.toContain('<');
    expect(decodeEntities(lang![1]!)).toBe(HOSTILE);
    // No element was made of it anywhere on the page.
    expect(html).not.toMatch(/<img|<script/);
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
      conversation(1, 'support', { handoff_note: { by: 'Ana', text: 'Refund approved, please confirm.', at: 900, to_member: null } }),
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
    const html = thread(threadOf(conversation(1, 'support', { handoff_note: { by: HOSTILE, text: HOSTILE, at: 0, to_member: null } })));
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

  it('lists the workspace, account and reply keys', () => {
    const html = render(ShortcutsHelp, { props: { onClose: noop } }).body;
    expect(html).toMatch(/<kbd>w<\/kbd><\/dt> <dd[^>]*>Switch workspace/);
    expect(html).toMatch(/<kbd>Ctrl\+1 – 9<\/kbd><\/dt> <dd[^>]*>Open workspace 1 to 9/);
    expect(html).toMatch(/<kbd>a<\/kbd><\/dt> <dd[^>]*>Brand accounts/);
    expect(html).toMatch(/<kbd>r<\/kbd><\/dt> <dd[^>]*>Write a reply/);
  });

  it('lists , for the notification settings', () => {
    const html = render(ShortcutsHelp, { props: { onClose: noop } }).body;
    expect(html).toMatch(/<kbd>,<\/kbd><\/dt> <dd[^>]*>Notification settings<\/dd>/);
  });
});

/** Alert settings loaded from `prefs` and opened, with saves answered by `save`. */
async function openedSettings(
  prefs: AlertPreferences,
  save: (p: AlertPreferences) => Promise<AlertPreferences> = async (p) => p,
) {
  const backend = {
    alertPreferences: vi.fn(async () => prefs),
    setAlertPreferences: vi.fn(save),
    pauseAlerts: vi.fn(async () => prefs),
  } satisfies Partial<WorkspaceBackend>;
  const settings = new AlertSettings(backend as unknown as WorkspaceBackend);
  await settings.start();
  await settings.open();
  return settings;
}

describe('AlertSettingsPanel', () => {
  const QUEUES = [queueSummary('triage', 'Triage'), queueSummary('support', 'Support'), queueSummary('sales', 'Sales')];

  function panel(settings: AlertSettings, now = NOW) {
    return render(AlertSettingsPanel, { props: { settings, queues: QUEUES, now } }).body;
  }

  it('says who is notified, which queues they lead, and that none ticked means all queues', async () => {
    const html = panel(await openedSettings(alertPrefs({ lead_of: ['support'] })));
    expect(html).toContain('data-testid="alert-settings"');
    expect(html).toMatch(/data-testid="alert-person"[^>]*>For <bdi[^>]*>Ana<\/bdi>/);
    expect(html).toMatch(/data-testid="alert-lead-of"[^>]*>Escalations in Support come to you</);
    for (const id of ['triage', 'support', 'sales']) {
      expect(html).toMatch(new RegExp(`type="checkbox" data-testid="alert-queue-${id}"(?![^>]*checked)`));
    }
    expect(html).toMatch(/data-testid="alert-queues-summary"[^>]*>None ticked: you are notified about all queues.</);
  });

  it('says when the person leads no queue, and ticks the queues they work in', async () => {
    const html = panel(await openedSettings(alertPrefs({ queues: ['sales'] })));
    expect(html).toMatch(/data-testid="alert-lead-of"[^>]*>You lead no queue</);
    expect(html).toMatch(/data-testid="alert-queue-sales"[^>]*checked/);
    expect(html).not.toMatch(/data-testid="alert-queue-triage"[^>]*checked/);
    expect(html).toContain('You are notified about Sales only.');
  });

  it('shows quiet hours over midnight with the time zone, the escalation switch and the cool-down', async () => {
    const html = panel(
      await openedSettings(
        alertPrefs({
          quiet_hours: { start: '18:00', end: '08:00' },
          escalations_pierce_quiet_hours: true,
          cooldown_seconds: 120,
        }),
      ),
    );
    expect(html).toMatch(/data-testid="quiet-hours-toggle"[^>]*checked/);
    expect(html).toMatch(/type="time" data-testid="quiet-start"[^>]*value="18:00"/);
    expect(html).toMatch(/type="time" data-testid="quiet-end"[^>]*value="08:00"/);
    expect(html).toContain('Quiet from 18:00 to 08:00 the next day (over midnight).');
    expect(html).toMatch(/data-testid="quiet-time-zone"[^>]*>.*Europe\/Lisbon/);
    expect(html).toMatch(/data-testid="pierce-toggle"[^>]*checked/);
    expect(html).toContain('Let escalations through during quiet hours');
    expect(html).toContain('data-testid="cooldown"');
    expect(html).toMatch(/<option value="120"[^>]*selected[^>]*>2 min<\/option>/);
    for (const [seconds, label] of [[0, 'Off'], [30, '30 s'], [60, '1 min'], [300, '5 min']] as const) {
      expect(html).toMatch(new RegExp(`<option value="${seconds}"[^>]*>${label}</option>`));
    }
    expect(html).toContain('data-testid="alert-settings-save"');
  });

  it('hides the times while quiet hours are off, but still shows the time zone', async () => {
    const html = panel(await openedSettings(alertPrefs()));
    expect(html).not.toMatch(/data-testid="quiet-hours-toggle"[^>]*checked/);
    expect(html).not.toContain('data-testid="quiet-start"');
    expect(html).toContain('data-testid="quiet-time-zone"');
  });

  it('shows a failed save inline, keeping the edits', async () => {
    const message = 'There is no queue `vip` in this workspace. <b>';
    const settings = await openedSettings(alertPrefs(), async () => {
      throw { code: 'invalid_input', message };
    });
    settings.edit({ queues: ['support'], quietEnabled: true, quietStart: '21:15' });
    await settings.save();
    const html = panel(settings);
    expect(html).toMatch(/data-testid="alert-settings-error"[^>]*>There is no queue `vip` in this workspace. &lt;b></);
    expect(html).toMatch(/data-testid="alert-queue-support"[^>]*checked/);
    expect(html).toMatch(/data-testid="quiet-start"[^>]*value="21:15"/);
  });

  it('shows progress while saving, then "Saved." with what the backend stored', async () => {
    let answer: (p: AlertPreferences) => void = () => undefined;
    const settings = await openedSettings(alertPrefs(), () => new Promise((resolve) => (answer = resolve)));
    settings.edit({ cooldownSeconds: 0 });
    const saving = settings.save();
    const during = panel(settings);
    expect(during).toMatch(/data-testid="alert-settings-save"[^>]*disabled[^>]*>Saving…</);
    expect(during).toMatch(/<fieldset class="fields[^"]*" disabled/);

    answer(alertPrefs({ cooldown_seconds: 30 }));
    await saving;
    const after = panel(settings);
    expect(after).toContain('data-testid="alert-settings-saved"');
    expect(after).toMatch(/<option value="30"[^>]*selected/);
  });

  it('offers the pause in the panel too, with its own test ids', async () => {
    const settings = await openedSettings(alertPrefs());
    expect(panel(settings)).toContain('data-testid="panel-pause-alerts"');
    const paused = await openedSettings(alertPrefs({ paused_until: NOW + 60_000 }));
    expect(panel(paused)).toContain('data-testid="panel-alerts-paused"');
    expect(panel(paused)).toContain('data-testid="panel-resume-alerts"');
  });

  it('says it is loading, or why it could not load', async () => {
    const backend = {
      alertPreferences: vi.fn(async () => {
        throw { code: 'storage', message: 'The database is busy.' };
      }),
    };
    const settings = new AlertSettings(backend as unknown as WorkspaceBackend);
    await settings.open();
    expect(panel(settings)).toMatch(/data-testid="alert-settings-load-error"[^>]*>.*The database is busy./s);
    void settings.start();
    expect(panel(settings)).toContain('data-testid="alert-settings-loading"');
  });

  it('escapes the person\'s name and queue labels', async () => {
    const settings = await openedSettings(alertPrefs({ person: HOSTILE, queues: ['<x>'] }));
    const html = panel(settings);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<x>');
  });
});

describe('AppHeader', () => {
  function header(pausedUntil: number | null, now = NOW, needingSignIn = 0) {
    return render(AppHeader, {
      props: {
        switcher: createRawSnippet(() => ({ render: () => '<span data-testid="workspace-name">Demo</span>' })),
        helpOpen: false,
        onToggleHelp: noop,
        now,
        alertsPausedUntil: pausedUntil,
        alertsPausing: null,
        onPauseAlerts: noop,
        onResumeAlerts: noop,
        alertSettingsOpen: false,
        onToggleAlertSettings: noop,
        accountsOpen: false,
        accountsNeedingSignIn: needingSignIn,
        onToggleAccounts: noop,
        responseTimesOpen: false,
        onToggleResponseTimes: noop,
      },
    }).body;
  }

  it('has the Saved replies button (p)', () => {
    expect(header(null)).toMatch(/data-testid="open-saved-replies"[^>]*>\s*Saved replies <kbd[^>]*>p<\/kbd>/);
  });

  it('has the Notifications button and offers to pause for an hour', () => {
    const html = header(null);
    expect(html).toMatch(/data-testid="open-alert-settings"[^>]*>\s*Notifications <kbd[^>]*>,<\/kbd>/);
    expect(html).toMatch(/data-testid="pause-alerts"[^>]*>Pause notifications for 1 h</);
    expect(html).not.toContain('data-testid="alerts-paused"');
  });

  it('shows until when notifications are paused, with Resume, and forgets it once the time has passed', async () => {
    const at = new Date(NOW);
    at.setHours(14, 5, 0, 0);
    const until = at.getTime();
    const settings = await openedSettings(alertPrefs({ paused_until: until }));

    const paused = header(settings.pausedUntil(until - 60_000), until - 60_000);
    expect(paused).toMatch(/data-testid="alerts-paused"[^>]*>Notifications paused until 14:05</);
    expect(paused).toMatch(/data-testid="resume-alerts"[^>]*>Resume</);
    expect(paused).not.toContain('data-testid="pause-alerts"');

    const over = header(settings.pausedUntil(until), until);
    expect(over).not.toContain('data-testid="alerts-paused"');
    expect(over).toContain('data-testid="pause-alerts"');
  });

  it('shows the switcher, and the Accounts button with how many need signing in again', () => {
    const html = header(null);
    expect(html).toContain('data-testid="workspace-name"');
    expect(html).toMatch(/data-testid="open-accounts"[^>]*>\s*Accounts/);
    expect(html).not.toContain('accounts-attention');
    expect(header(null, NOW, 2)).toMatch(/data-testid="accounts-attention"[^>]*>· 2 need sign-in</);
  });

  it('has the Response times button with its key', () => {
    expect(header(null)).toMatch(
      /data-testid="open-response-times"[^>]*aria-controls="response-times-panel"[^>]*>\s*Response times <kbd[^>]*>t<\/kbd>/,
    );
  });
});
