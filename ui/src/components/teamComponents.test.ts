// The team in the window, rendered to HTML (server-side, no DOM): the header's link state and team button, the
// members panel, claim and presence lines, the collision prompt, hand-off to a person, trainee approval, joining
// a team — test ids and words, and teammates' names kept as text.
import { createRawSnippet } from 'svelte';
import { render } from 'svelte/server';
import { describe, expect, it, vi } from 'vitest';
import { ActionForms } from '../lib/actionForms.svelte';
import type { ConversationSummary, TeamView, Thread } from '../lib/bindings';
import { JoinTeamForm } from '../lib/joinTeam.svelte';
import { ReplyDrafts } from '../lib/replyDrafts.svelte';
import {
  claimView,
  conversation,
  joinPreview,
  outgoingReply,
  presenceView,
  queueSummary,
  teamMember,
  teamView,
  threadOf,
  unusedBackend,
  workspaceEntry,
} from '../lib/testFixtures';
import { Workspaces } from '../lib/workspaces.svelte';
import AppHeader from './AppHeader.svelte';
import ConversationList from './ConversationList.svelte';
import JoinTeam from './JoinTeam.svelte';
import ManageWorkspacesPanel from './ManageWorkspacesPanel.svelte';
import MembersPanel from './MembersPanel.svelte';
import NoWorkspace from './NoWorkspace.svelte';
import QueueSidebar from './QueueSidebar.svelte';
import ThreadView from './ThreadView.svelte';

const NOW = new Date(2026, 11, 6, 11, 0).getTime();
const AT_10_42 = new Date(2026, 11, 6, 10, 42).getTime();
const HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script>';
const noop = () => undefined;

/** The text inside the element with `data-testid="testid"` (tags and Svelte's comments removed), or null. */
function textOf(html: string, testid: string): string | null {
  const start = html.indexOf(`data-testid="${testid}"`);
  if (start < 0) return null;
  const open = html.lastIndexOf('<', start);
  const tag = /^<([a-z0-9-]+)/i.exec(html.slice(open))![1]!;
  const pattern = new RegExp(`<(/?)${tag}\\b[^>]*>`, 'gi');
  pattern.lastIndex = open;
  let depth = 0;
  let end = html.length;
  for (let match = pattern.exec(html); match !== null; match = pattern.exec(html)) {
    depth += match[1] === '/' ? -1 : 1;
    if (depth === 0) {
      end = match.index;
      break;
    }
  }
  const inner = html.slice(html.indexOf('>', start) + 1, end);
  return inner
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

function count(html: string, testid: string): number {
  return html.split(`data-testid="${testid}"`).length - 1;
}

function header(team: TeamView | null) {
  return render(AppHeader, {
    props: {
      switcher: createRawSnippet(() => ({ render: () => '<span data-testid="workspace-name">Northwind</span>' })),
      helpOpen: false,
      onToggleHelp: noop,
      now: NOW,
      alertsPausedUntil: null,
      alertsPausing: null,
      onPauseAlerts: noop,
      onResumeAlerts: noop,
      alertSettingsOpen: false,
      onToggleAlertSettings: noop,
      accountsOpen: false,
      accountsNeedingSignIn: 0,
      onToggleAccounts: noop,
      responseTimesOpen: false,
      onToggleResponseTimes: noop,
      team,
      teamOpen: false,
      onToggleTeam: noop,
    },
  }).body;
}

function list(conversations: ConversationSummary[]) {
  return render(ConversationList, {
    props: {
      queue: { id: 'support', label: 'Support', color: '#000000' },
      conversations,
      load: { status: 'ready' },
      selectedId: null,
      now: NOW,
      onSelect: noop,
      onRetry: noop,
    },
  }).body;
}

function thread(
  t: Thread,
  options: { team?: TeamView | null; forms?: ActionForms; collision?: string | null; replyError?: string | null } = {},
) {
  return render(ThreadView, {
    props: {
      thread: t,
      load: { status: 'ready' },
      selectedId: t.conversation.id,
      now: NOW,
      onRetry: noop,
      queues: [queueSummary('support', 'Support'), queueSummary('sales', 'Sales')],
      forms: options.forms ?? new ActionForms(),
      pending: null,
      busy: false,
      actionError: null,
      replies: new ReplyDrafts(),
      replyError: options.replyError ?? null,
      perform: async () => true,
      team: options.team ?? null,
      seenVersion: 12,
      collision: options.collision ?? null,
      onDismissCollision: noop,
    },
  }).body;
}

describe('The header in a team workspace', () => {
  it('shows nothing of a team in a local workspace', () => {
    const html = header(null);
    expect(html).not.toContain('data-testid="team-link"');
    expect(html).not.toContain('data-testid="team-button"');
  });

  it('says the link is online, and names the team on the button that opens the members panel', () => {
    const html = header(teamView());
    expect(textOf(html, 'team-link')).toBe('Online');
    expect(textOf(html, 'team-button')).toBe('Northwind Support');
    expect(textOf(html, 'team-online-count')).toBe('3 of 3 online');
    expect(html).not.toContain('data-testid="team-offline"');
    expect(html).toMatch(/data-testid="team-button"[^>]*aria-controls="members-panel"|aria-controls="members-panel"[^>]*data-testid="team-button"/);
  });

  it('says since when it is offline, what is unsent, and that work goes on', () => {
    const link = { state: 'offline', offline_since: AT_10_42, behind: 0, unsent: 3, error: 'connection refused' } as const;
    const html = header(teamView({ link }));
    expect(textOf(html, 'team-link')).toBe('Offline since 10:42 · 3 unsent');
    expect(html).toContain('title="connection refused"');
    expect(textOf(html, 'team-offline')).toBe("— your actions are sent when it's back.");
  });

  it('says how far behind it is while catching up', () => {
    const html = header(teamView({ link: { state: 'catching_up', offline_since: null, behind: 12, unsent: 0, error: null } }));
    expect(textOf(html, 'team-link')).toBe('Catching up (12 events)');
  });

  it('counts replies awaiting approval on the team button, for leads only', () => {
    const lead = header(teamView({ me: teamMember('priya', 'Priya', { lead: true }), awaiting_approval: 2 }));
    expect(textOf(lead, 'team-awaiting-approval')).toBe('2 awaiting approval');
    const member = header(teamView({ awaiting_approval: 2 }));
    expect(member).not.toContain('team-awaiting-approval');
    const none = header(teamView({ me: teamMember('priya', 'Priya', { lead: true }), awaiting_approval: 0 }));
    expect(none).not.toContain('team-awaiting-approval');
  });

  it('keeps the team\'s name as text', () => {
    const html = header(teamView({ team_name: HOSTILE }));
    expect(html).not.toContain('<img');
    expect(textOf(html, 'team-button')).toBe(HOSTILE);
  });
});

describe('MembersPanel', () => {
  it('lists each member with queues, Lead and Trainee badges, online now or last seen, and the policy version', () => {
    const team = teamView({
      members: [
        teamMember('ana', 'Ana', { queues: ['support', 'sales'] }),
        teamMember('bob', 'Bob', { trainee: true, online: false, last_seen: AT_10_42 }),
        teamMember('priya', 'Priya', { lead: true, queues: ['vip'] }),
      ],
      policy: { version: 12, by: 'Priya', at: AT_10_42 },
    });
    const html = render(MembersPanel, {
      props: { team, queues: [queueSummary('support', 'Support'), queueSummary('sales', 'Sales')], now: NOW, onClose: noop },
    }).body;
    expect(html).toContain('data-testid="members-panel"');
    expect(html).toContain('id="members-panel"');
    expect(count(html, 'member-row')).toBe(3);
    expect(textOf(html, 'policy-version')).toBe('Policy v12 by Priya');
    const rows = html.split('data-testid="member-row"').slice(1);
    expect(textOf(`<li data-testid="x"${rows[0]}`, 'member-queues')).toBe('Support, Sales');
    expect(rows[0]).toContain('Online now');
    expect(rows[0]).toContain('(you)');
    expect(rows[1]).toContain('Last seen 10:42');
    expect(rows[1]).toContain('data-testid="member-trainee"');
    expect(rows[2]).toContain('data-testid="member-lead"');
    expect(rows[2]).toContain('vip');
  });

  it('leaves out the policy line when the team has none', () => {
    const html = render(MembersPanel, { props: { team: teamView(), queues: [], now: NOW, onClose: noop } }).body;
    expect(html).not.toContain('policy-version');
  });
});

describe('Claims and presence on rows', () => {
  it('names who has it and for how long, yours, pending or lost', () => {
    const html = list([
      conversation(1, 'support', { team: { claim: claimView({ since: NOW - 12 * 60_000 }), presence: [] } }),
      conversation(2, 'support', { team: { claim: claimView({ mine: true }), presence: [] } }),
      conversation(3, 'support', { team: { claim: claimView({ mine: true, state: 'pending' }), presence: [] } }),
      conversation(4, 'support', { team: { claim: claimView({ state: 'lost', explanation: 'Ana claimed this 3 s before you' }), presence: [] } }),
      conversation(5, 'support', { team: { claim: null, presence: [] } }),
      conversation(6),
    ]);
    const rows = html.split('data-testid="conversation-row"').slice(1).map((row) => `<b data-testid="row"${row}`);
    expect(rows.map((row) => textOf(row, 'row-claim'))).toEqual([
      'Claimed by Ana · 12 m',
      'Claimed by you',
      'Claim pending',
      'Claim lost',
      null,
      null,
    ]);
    expect(html, 'the plain "claimed by" flag gives way to the team\'s line').not.toContain('data-testid="claimed-by"');
  });

  it('says who is viewing or replying, replying first', () => {
    const html = list([
      conversation(1, 'support', { team: { claim: null, presence: [presenceView('Ana', 'viewing'), presenceView('Bob', 'viewing')] } }),
      conversation(2, 'support', { team: { claim: null, presence: [presenceView('Ana', 'viewing'), presenceView('Bob', 'replying')] } }),
    ]);
    const rows = html.split('data-testid="conversation-row"').slice(1).map((row) => `<b data-testid="row"${row}`);
    expect(rows.map((row) => textOf(row, 'row-presence'))).toEqual(['Ana, Bob are viewing', 'Bob is replying']);
  });

  it('keeps teammates\' names as text', () => {
    const html = list([
      conversation(1, 'support', {
        team: { claim: claimView({ name: HOSTILE, since: NOW }), presence: [presenceView(HOSTILE, 'replying')] },
      }),
    ]);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>');
  });
});

describe('The thread in a team', () => {
  it('shows the claim with why it was lost, and who is replying', () => {
    const html = thread(
      threadOf(
        conversation(1, 'support', {
          team: {
            claim: claimView({ state: 'lost', explanation: 'Ana claimed this 3 s before you' }),
            presence: [presenceView('Bob', 'replying')],
          },
        }),
      ),
    );
    expect(textOf(html, 'thread-claim')).toBe('Claim lost — Ana claimed this 3 s before you');
    expect(textOf(html, 'thread-presence')).toBe('Bob is replying');
  });

  it('asks before sending on a collision: the message, Send anyway and Cancel, instead of the error line', () => {
    const message = 'Bob replied after you opened this conversation.';
    const html = thread(threadOf(conversation(1)), { collision: message, replyError: null });
    expect(textOf(html, 'collision-prompt')).toContain(message);
    expect(html).toMatch(/<button type="button"[^>]*data-testid="collision-send-anyway"[^>]*>Send anyway</);
    expect(html).toMatch(/<button type="button"[^>]*data-testid="collision-cancel"[^>]*>Cancel</);
    expect(html).not.toContain('data-testid="reply-error"');
    expect(html).toContain('role="alertdialog"');

    const plain = thread(threadOf(conversation(1)), { replyError: 'Sign in again.' });
    expect(plain).not.toContain('collision-prompt');
    expect(textOf(plain, 'reply-error')).toBe('Sign in again.');
  });

  it('keeps the collision message as text', () => {
    const html = thread(threadOf(conversation(1)), { collision: HOSTILE });
    expect(html).not.toContain('<img');
  });

  it('offers hand-off to a teammate only in a team, "Anyone in the queue" first', () => {
    const forms = new ActionForms();
    forms.open(1, 'handoff');
    const team = thread(threadOf(conversation(1)), { team: teamView(), forms });
    expect(team).toContain('data-testid="handoff-member"');
    const options = [...team.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)</g)].map((m) => [m[1], m[2]]);
    expect(options).toEqual([
      ['sales', 'Sales'],
      ['', 'Anyone in the queue'],
      ['bob', 'Bob'],
      ['priya', 'Priya'],
    ]);

    const local = thread(threadOf(conversation(1)), { forms });
    expect(local).not.toContain('handoff-member');
  });

  it('says whom a hand-off was for, and names teammates rather than their login roles', () => {
    const members = [teamMember('sb_ana_1', 'Ana'), teamMember('sb_priya_2', 'Priya')];
    const note = { by: 'sb_ana_1', text: 'Quote please', at: NOW, to_member: 'sb_priya_2' };
    const t: Thread = {
      ...threadOf(conversation(1, 'support', { handoff_note: note })),
      history: [{ seq: 1, at: NOW, kind: 'handed_off', by: 'sb_ana_1', detail: 'Handed off to support' }],
      outgoing: [outgoingReply(1, 'On it', { by: 'sb_priya_2' })],
    };
    const html = thread(t, { team: teamView({ me: members[0], members }) });
    expect(textOf(html, 'handoff-note')).toMatch(/^Handed off by Ana for Priya: Quote please/);
    expect(html).not.toContain('sb_ana_1<');
    expect(html).not.toContain('sb_priya_2<');
  });

  it('shows a trainee\'s reply awaiting approval, with approve and reject for leads only', () => {
    const awaiting: Thread = {
      ...threadOf(conversation(1)),
      outgoing: [outgoingReply(1, 'Hello!', { state: 'awaiting_approval', approval: 'ap-1', by: 'Bob' })],
    };
    const lead = thread(awaiting, { team: teamView({ me: teamMember('priya', 'Priya', { lead: true }) }) });
    expect(textOf(lead, 'outgoing-state')).toBe("Awaiting a lead's approval");
    expect(lead).toContain('data-testid="approval-approve"');
    expect(lead).toContain('data-testid="approval-reject"');
    expect(lead).toMatch(/<textarea[^>]*data-testid="approval-text"/);
    expect(lead).not.toContain('approval-reason');

    const member = thread(awaiting, { team: teamView() });
    expect(textOf(member, 'outgoing-state')).toBe("Awaiting a lead's approval");
    expect(member).not.toContain('approval-approve');
    expect(member).not.toContain('approval-reject');
    expect(thread(awaiting)).not.toContain('approval-approve');
  });

  it('shows a rejected reply with the reason', () => {
    const rejected: Thread = {
      ...threadOf(conversation(1)),
      outgoing: [outgoingReply(1, 'Hello!', { state: 'rejected', error: 'Too curt', approval: 'ap-1' })],
    };
    const html = thread(rejected, { team: teamView({ me: teamMember('priya', 'Priya', { lead: true }) }) });
    expect(textOf(html, 'outgoing-state')).toBe('Rejected: Too curt');
    expect(html).not.toContain('approval-approve');
  });
});

describe('The sidebar in a team', () => {
  it('marks the person\'s own queues and keeps the others', () => {
    const html = render(QueueSidebar, {
      props: {
        queues: [queueSummary('triage', 'Triage'), queueSummary('sales', 'Sales')],
        selectedId: 'sales',
        load: { status: 'ready' },
        onSelect: noop,
        onRetry: noop,
        yours: ['sales'],
      },
    }).body;
    expect(html).toContain('data-testid="queue-triage"');
    expect(textOf(html, 'queue-yours-sales')).toBe('Your queue');
    expect(html).not.toContain('queue-yours-triage');
  });
});

describe('Joining a team', () => {
  async function workspaces() {
    const backend = { ...unusedBackend(), workspaces: vi.fn(async () => []) };
    const all = new Workspaces(backend);
    await all.loadEntries(true);
    return all;
  }

  it('marks team workspaces in Manage workspaces', async () => {
    const backend = {
      ...unusedBackend(),
      workspaces: vi.fn(async () => [workspaceEntry('acme', 'Acme'), workspaceEntry('northwind', 'Northwind', { is_team: true })]),
    };
    const all = new Workspaces(backend);
    await all.loadEntries(true);
    const html = render(ManageWorkspacesPanel, { props: { workspaces: all, onRemove: noop, onClose: noop } }).body;
    expect(count(html, 'workspace-team-tag')).toBe(1);
  });

  it('offers "Join a team" on the first-workspace screen and in Manage workspaces', async () => {
    const first = render(NoWorkspace, { props: { workspaces: await workspaces() } }).body;
    expect(first).toContain('data-testid="join-team"');
    expect(first).not.toContain('data-testid="join-form"');
    const manage = render(ManageWorkspacesPanel, { props: { workspaces: await workspaces(), onRemove: noop, onClose: noop } }).body;
    expect(manage).toContain('data-testid="join-team"');
  });

  it('asks for the code first, then shows the preview, the name (the team\'s) and Join', async () => {
    const form = new JoinTeamForm({ previewJoin: async () => joinPreview({ lead: true }), join: async () => ({ ok: true }) });
    form.open();
    const empty = render(JoinTeam, { props: { form } }).body;
    expect(empty).toMatch(/<textarea[^>]*data-testid="join-code"/);
    expect(empty).toMatch(/data-testid="join-preview-button"[^>]*>Check code</);
    expect(empty).not.toContain('join-preview"');
    expect(empty).not.toContain('join-confirm');

    form.setCode('secret-code');
    await form.check();
    const checked = render(JoinTeam, { props: { form } }).body;
    const preview = textOf(checked, 'join-preview');
    expect(preview).toContain('Northwind Support');
    expect(preview).toContain('db.northwind.example:5432');
    expect(preview).toContain('Ana — Support, Sales');
    expect(preview).toContain('Lead');
    expect(checked).toMatch(/data-testid="join-name"[^>]*value="Northwind Support"/);
    expect(checked).toMatch(/data-testid="join-confirm"[^>]*>Join</);
  });

  it('shows why a code was refused', async () => {
    const form = new JoinTeamForm({
      previewJoin: async () => {
        throw { code: 'not_allowed', message: 'This join code was already used.' };
      },
      join: async () => ({ ok: true }),
    });
    form.open();
    form.setCode('used-code');
    await form.check();
    const html = render(JoinTeam, { props: { form } }).body;
    expect(textOf(html, 'join-error')).toBe('This join code was already used.');
    expect(html).not.toContain('join-confirm');
  });
});
